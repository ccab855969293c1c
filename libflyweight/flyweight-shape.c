/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-shape-private.h"
#include "flyweight-tsan-private.h"
#include "flyweight-value-codec-private.h"

/* Past this many shapes, objects that would need a new one keep a table
 * of their own: a bound on what any mix of layouts can cost. */
#define MAX_SHAPES 16384

/* Guards the transition tables, the tables of entries as they grow, and
 * the moment a shape is dropped from its parent, so that no transition
 * revives a dying shape. */
static GMutex shape_lock;
static gint live_shapes;

static void
lock_shapes (void)
{
  g_mutex_lock (&shape_lock);
  flyweight_tsan_acquire (&shape_lock);
}

static void
unlock_shapes (void)
{
  flyweight_tsan_release (&shape_lock);
  g_mutex_unlock (&shape_lock);
}

/* ---- tables of entries ---- */

static guint32 *
keys_index (FlyweightShapeKeys *keys)
{
  return (guint32 *) (gpointer) &keys->entries[keys->capacity];
}

static FlyweightShapeKeys *
keys_new (guint capacity)
{
  FlyweightShapeKeys *keys = g_malloc0 (sizeof (FlyweightShapeKeys) +
                          capacity * sizeof (FlyweightShapeEntry) +
                          2 * capacity * sizeof (guint32));

  keys->ref_count = 1;
  keys->capacity = capacity;

  return keys;
}

/* Writes entry @position, then makes it findable. */
static void
keys_append (FlyweightShapeKeys                      *keys,
             const FlyweightShapeEntry *entry)
{
  guint32 *index = keys_index (keys);
  guint mask = 2 * keys->capacity - 1;
  guint position = keys->n_used;
  guint i;

  keys->entries[position] = *entry;
  keys->n_used = position + 1;

  for (i = flyweight_intern_get_hash (entry->name) & mask;
       g_atomic_int_get ((gint *) &index[i]) != 0;
       i = (i + 1) & mask)
    ;
  /* A full barrier: lookups that see the slot see the entry. */
  g_atomic_int_set ((gint *) &index[i], (gint) (position + 1));
}

/* Removes the last entry, whose shape died. Nothing was appended after
 * it, so no probe for another name passes its slot. */
static const char *
keys_pop (FlyweightShapeKeys *keys)
{
  guint32 *index = keys_index (keys);
  guint mask = 2 * keys->capacity - 1;
  guint position = keys->n_used - 1;
  const char *name = keys->entries[position].name;
  guint i;

  for (i = flyweight_intern_get_hash (name) & mask;
       g_atomic_int_get ((gint *) &index[i]) != (gint) (position + 1);
       i = (i + 1) & mask)
    ;
  g_atomic_int_set ((gint *) &index[i], 0);
  keys->n_used = position;

  return name;
}

static void
keys_unref (FlyweightShapeKeys *keys)
{
  if (keys == NULL || !g_atomic_int_dec_and_test (&keys->ref_count))
    return;

  for (guint i = 0; i < keys->n_used; i++)
    flyweight_intern_release (keys->entries[i].name);
  g_free (keys);
}

/* A lookup in a shape past FLYWEIGHT_SHAPE_SMALL entries: by the hash of
 * the name. */
const FlyweightShapeEntry *
flyweight_shape_lookup_hashed (FlyweightShape   *shape,
                               FlyweightNameKey *name,
                               guint            *position)
{
  FlyweightShapeKeys *keys = shape->keys;
  guint n_entries = shape->n_entries;
  const guint32 *index = keys_index (keys);
  guint32 hash = flyweight_name_key_hash (name);
  guint mask = 2 * keys->capacity - 1;

  for (guint i = hash & mask; ; i = (i + 1) & mask)
    {
      guint32 slot = (guint32) g_atomic_int_get ((const gint *) &index[i]);
      const FlyweightShapeEntry *entry;

      if (slot == 0)
        return NULL;

      /* Positions past our end belong to deeper shapes of the branch. */
      if (slot - 1 >= n_entries)
        continue;

      entry = &keys->entries[slot - 1];
      if (flyweight_intern_get_hash (entry->name) == hash && strcmp (entry->name, name->string) == 0)
        {
          if (position != NULL)
            *position = slot - 1;
          return entry;
        }
    }
}

/* ---- transitions, and shapes by their set of entries ---- */

/* Shapes are found two ways, both under shape_lock and neither holding a
 * reference: as the child of a shape by the step that adds an entry, and
 * in a table of every shape by the set of entries it holds, whatever their
 * order. Both tables use open addressing; a dying shape stays in them
 * until it is removed, and lookups pass over it. */
typedef guint (*ShapeHashFunc) (FlyweightShape *shape);

/* The shapes by set: what an object whose attributes came in another
 * order can share. */
static FlyweightShapeChildren *shape_sets;

static guint
step_hash (guint32 name_hash,
           GType   type)
{
  return name_hash ^ (guint) ((guint64) type * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) >> 32);
}

static const FlyweightShapeEntry *
added_entry (FlyweightShape *shape)
{
  return &shape->keys->entries[shape->n_entries - 1];
}

static guint
hash_by_step (FlyweightShape *shape)
{
  const FlyweightShapeEntry *added = added_entry (shape);

  return step_hash (flyweight_intern_get_hash (added->name), added->type);
}

static guint
hash_by_set (FlyweightShape *shape)
{
  return shape->set_hash;
}

static void
table_put (FlyweightShapeChildren *table,
           FlyweightShape         *shape,
           ShapeHashFunc           hash)
{
  guint i;

  for (i = hash (shape) & table->mask; table->slots[i] != NULL; i = (i + 1) & table->mask)
    ;
  table->slots[i] = shape;
  table->n_children++;
}

static void
table_add (FlyweightShapeChildren **table,
           FlyweightShape          *shape,
           ShapeHashFunc            hash)
{
  FlyweightShapeChildren *old = *table;

  if (old == NULL || (old->n_children + 1) * 4 > (old->mask + 1) * 3)
    {
      guint capacity = old != NULL ? 2 * (old->mask + 1) : 2;
      FlyweightShapeChildren *grown = g_malloc0 (sizeof (FlyweightShapeChildren) +
                                                 capacity * sizeof (FlyweightShape *));

      grown->mask = capacity - 1;
      for (guint i = 0; old != NULL && i <= old->mask; i++)
        if (old->slots[i] != NULL)
          table_put (grown, old->slots[i], hash);
      g_free (old);
      *table = grown;
    }

  table_put (*table, shape, hash);
}

static void
table_remove (FlyweightShapeChildren **table,
              FlyweightShape          *shape,
              ShapeHashFunc            hash)
{
  FlyweightShapeChildren *t = *table;
  guint hole;

  for (hole = hash (shape) & t->mask; t->slots[hole] != shape; hole = (hole + 1) & t->mask)
    ;

  /* Backward-shift deletion keeps every probe run unbroken. */
  for (guint i = (hole + 1) & t->mask; t->slots[i] != NULL; i = (i + 1) & t->mask)
    {
      guint home = hash (t->slots[i]) & t->mask;

      if (((i - home) & t->mask) >= ((i - hole) & t->mask))
        {
          t->slots[hole] = t->slots[i];
          hole = i;
        }
    }
  t->slots[hole] = NULL;

  if (--t->n_children == 0)
    g_clear_pointer (table, g_free);
}

/* Takes a reference unless the shape is already dying. */
static gboolean
try_ref (FlyweightShape *shape)
{
  gint count;

  do
    {
      count = g_atomic_int_get (&shape->ref_count);
      if (count == 0)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange (&shape->ref_count, count, count + 1));

  return TRUE;
}

/* A reference to the live child of @shape that adds @name holding a @type. */
static FlyweightShape *
find_child (FlyweightShape   *shape,
            FlyweightNameKey *name,
            GType             type)
{
  FlyweightShapeChildren *children = shape->children;

  if (children == NULL)
    return NULL;

  for (guint i = step_hash (flyweight_name_key_hash (name), type) & children->mask;
       children->slots[i] != NULL;
       i = (i + 1) & children->mask)
    {
      FlyweightShape *child = children->slots[i];
      const FlyweightShapeEntry *added = added_entry (child);

      if (added->type == type && strcmp (added->name, name->string) == 0 && try_ref (child))
        return child;
    }

  return NULL;
}

static gboolean
holds_entry (FlyweightShape *shape,
             const char     *name,
             guint32         name_hash,
             GType           type)
{
  FlyweightNameKey key = { name, name_hash, TRUE };
  const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, &key, NULL);

  return entry != NULL && entry->type == type;
}

/* A reference to a live shape that holds the entries of @shape and @name
 * holding a @type, in any order. */
static FlyweightShape *
find_set (FlyweightShape   *shape,
          FlyweightNameKey *name,
          GType             type)
{
  guint32 name_hash = flyweight_name_key_hash (name);
  guint set_hash = shape->set_hash ^ step_hash (name_hash, type);

  if (shape_sets == NULL)
    return NULL;

  for (guint i = set_hash & shape_sets->mask; shape_sets->slots[i] != NULL; i = (i + 1) & shape_sets->mask)
    {
      FlyweightShape *other = shape_sets->slots[i];
      gboolean same = other->set_hash == set_hash && other->n_entries == shape->n_entries + 1 &&
                      holds_entry (other, name->string, name_hash, type);

      for (guint j = 0; same && j < shape->n_entries; j++)
        {
          const FlyweightShapeEntry *entry = &shape->keys->entries[j];

          same = holds_entry (other, entry->name, flyweight_intern_get_hash (entry->name), entry->type);
        }

      if (same && try_ref (other))
        return other;
    }

  return NULL;
}

/* ---- shapes ---- */

/* Under shape_lock: the child of @parent that adds the interned @name
 * (the reference is the shape's) holding a @type. */
static FlyweightShape *
shape_new (FlyweightShape   *parent,
           const char       *name,
           GType             type)
{
  FlyweightShape *shape = g_new0 (FlyweightShape, 1);
  guint n = parent->n_entries;
  FlyweightShapeEntry entry;
  guint slot_size;
  FlyweightShapeKeys *keys = parent->keys;

  entry.kind = flyweight_slot_kind_for_type (type);
  entry.plain = flyweight_slot_is_plain_number (type);
  entry.type = type;
  entry.name = name;

  /* Append the slot, aligned to its own size. */
  slot_size = FLYWEIGHT_SLOT_SIZE (entry.kind);
  entry.offset = (parent->size + slot_size - 1) & ~(slot_size - 1);

  if (keys != NULL && keys->n_used == n && n < keys->capacity)
    {
      /* The parent ends its branch: extend the branch's own table. */
      g_atomic_int_inc (&keys->ref_count);
    }
  else
    {
      /* A fork, or a full table: a table of our own with room to grow,
       * so that building a long branch copies O(length) entries. A fork
       * from the empty shape is most often a name of one object's own. */
      keys = keys_new (n == 0 ? 1 : 1u << g_bit_storage (n));
      for (guint i = 0; i < n; i++)
        {
          FlyweightShapeEntry copy = parent->keys->entries[i];

          flyweight_intern_ref (copy.name);
          keys_append (keys, &copy);
        }
    }

  keys_append (keys, &entry);

  shape->parent = flyweight_shape_ref (parent);
  shape->keys = keys;
  shape->ref_count = 1;
  shape->n_entries = n + 1;
  shape->size = entry.offset + slot_size;
  shape->set_hash = parent->set_hash ^ step_hash (flyweight_intern_get_hash (name), type);
  g_atomic_int_inc (&live_shapes);

  table_add (&parent->children, shape, hash_by_step);
  table_add (&shape_sets, shape, hash_by_set);

  return shape;
}

FlyweightShape *
flyweight_shape_get_empty (void)
{
  static gsize empty = 0;

  if (g_once_init_enter (&empty))
    {
      FlyweightShape *shape = g_new0 (FlyweightShape, 1);

      shape->immortal = TRUE;
      g_atomic_int_inc (&live_shapes);
      flyweight_tsan_release (&empty);
      g_once_init_leave (&empty, (gsize) shape);
    }
  flyweight_tsan_acquire (&empty);

  return (FlyweightShape *) empty;
}

FlyweightShape *
flyweight_shape_ref (FlyweightShape *shape)
{
  if (!shape->immortal)
    g_atomic_int_inc (&shape->ref_count);

  return shape;
}

void
flyweight_shape_unref (FlyweightShape *shape)
{
  while (shape != NULL && !shape->immortal && g_atomic_int_dec_and_test (&shape->ref_count))
    {
      FlyweightShape *parent = shape->parent;
      const char *popped = NULL;

      lock_shapes ();
      table_remove (&parent->children, shape, hash_by_step);
      table_remove (&shape_sets, shape, hash_by_set);
      /* The last entry of the branch goes with the shape that added it,
       * so the next step from the parent extends the table in place. */
      if (shape->keys->n_used == shape->n_entries)
        popped = keys_pop (shape->keys);
      unlock_shapes ();

      g_assert (shape->children == NULL);
      if (popped != NULL)
        flyweight_intern_release (popped);
      keys_unref (shape->keys);
      g_free (shape);
      g_atomic_int_add (&live_shapes, -1);

      /* Drop our reference on the parent without recursing. */
      shape = parent;
    }
}

/* Takes the step from @shape that adds @name holding a @type: returns a
 * reference to a shape that holds the entries of @shape and that one.
 * With *@appended set, it is a child of @shape, whose layout is the same
 * with the new slot at the end; otherwise a shape an object reached by
 * adding the same attributes in another order, with a layout of its own.
 * Returns NULL if the object taking this step should keep a table of its
 * own instead. */
FlyweightShape *
flyweight_shape_step (FlyweightShape   *shape,
                      FlyweightNameKey *name,
                      GType             type,
                      gboolean         *appended)
{
  FlyweightShape *found;
  const char *interned;

  lock_shapes ();

  if ((found = find_child (shape, name, type)) != NULL)
    {
      *appended = TRUE;
      unlock_shapes ();
      return found;
    }

  if ((found = find_set (shape, name, type)) != NULL)
    {
      *appended = FALSE;
      unlock_shapes ();
      return found;
    }

  /* Grow the tree only with names some other object already uses: a name
   * of one object's own would make a shape for that object alone. And
   * never past a number of shapes, whatever the mix of names and orders,
   * so that the tree cannot cost more than the objects it serves. */
  if (shape->n_entries >= FLYWEIGHT_SHAPE_MAX_ENTRIES ||
      g_atomic_int_get (&live_shapes) >= MAX_SHAPES ||
      (interned = flyweight_intern_lookup (name->string, flyweight_name_key_hash (name))) == NULL)
    {
      unlock_shapes ();
      return NULL;
    }

  found = shape_new (shape, interned, type);
  *appended = TRUE;

  unlock_shapes ();

  return found;
}

FlyweightShape *
flyweight_shape_get_parent (FlyweightShape *shape)
{
  return shape->parent;
}

/* For the tests: how many shapes exist, the empty one included. */
guint
flyweight_shape_count_live (void)
{
  return g_atomic_int_get (&live_shapes);
}
