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

/* ---- transitions ---- */

static guint
transition_hash (guint32 name_hash,
                 GType   type)
{
  return name_hash ^ (guint) ((guint64) type * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) >> 32);
}

static const FlyweightShapeEntry *
added_entry (FlyweightShape *shape)
{
  return &shape->keys->entries[shape->n_entries - 1];
}

static FlyweightShape *
find_child (FlyweightShape   *shape,
            FlyweightNameKey *name,
            GType             type)
{
  FlyweightShapeChildren *children = shape->children;

  if (children == NULL)
    return NULL;

  for (guint i = transition_hash (flyweight_name_key_hash (name), type) & children->mask;
       children->slots[i] != NULL;
       i = (i + 1) & children->mask)
    {
      const FlyweightShapeEntry *added = added_entry (children->slots[i]);

      if (added->type == type && strcmp (added->name, name->string) == 0)
        return children->slots[i];
    }

  return NULL;
}

static guint
child_home (FlyweightShapeChildren       *children,
            FlyweightShape *child)
{
  const FlyweightShapeEntry *added = added_entry (child);

  return transition_hash (flyweight_intern_get_hash (added->name), added->type) & children->mask;
}

static void
insert_child (FlyweightShapeChildren       *children,
              FlyweightShape *child)
{
  guint i;

  for (i = child_home (children, child); children->slots[i] != NULL; i = (i + 1) & children->mask)
    ;
  children->slots[i] = child;
  children->n_children++;
}

/* Adds @child, or puts it in the place of a dying shape of the same step. */
static void
add_child (FlyweightShape *shape,
           FlyweightShape *child,
           FlyweightShape *dying)
{
  FlyweightShapeChildren *children = shape->children;

  if (dying != NULL)
    {
      for (guint i = child_home (children, dying); ; i = (i + 1) & children->mask)
        if (children->slots[i] == dying)
          {
            children->slots[i] = child;
            return;
          }
    }

  if (children == NULL || (children->n_children + 1) * 4 > (children->mask + 1) * 3)
    {
      guint capacity = children != NULL ? 2 * (children->mask + 1) : 2;
      FlyweightShapeChildren *grown = g_malloc0 (sizeof (FlyweightShapeChildren) + capacity * sizeof (FlyweightShape *));

      grown->mask = capacity - 1;
      for (guint i = 0; children != NULL && i <= children->mask; i++)
        if (children->slots[i] != NULL)
          insert_child (grown, children->slots[i]);
      g_free (children);
      shape->children = children = grown;
    }

  insert_child (children, child);
}

static void
remove_child (FlyweightShape *shape,
              FlyweightShape *child)
{
  FlyweightShapeChildren *children = shape->children;
  guint hole;

  if (children == NULL)
    return;

  for (hole = child_home (children, child); children->slots[hole] != child; hole = (hole + 1) & children->mask)
    if (children->slots[hole] == NULL)
      return;   /* a newer shape took its place */

  /* Backward-shift deletion keeps every probe run unbroken. */
  for (guint i = (hole + 1) & children->mask; children->slots[i] != NULL; i = (i + 1) & children->mask)
    {
      guint home = child_home (children, children->slots[i]);

      if (((i - home) & children->mask) >= ((i - hole) & children->mask))
        {
          children->slots[hole] = children->slots[i];
          hole = i;
        }
    }
  children->slots[hole] = NULL;

  if (--children->n_children == 0)
    g_clear_pointer (&shape->children, g_free);
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
  g_atomic_int_inc (&live_shapes);

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
      g_once_init_leave (&empty, (gsize) shape);
    }

  return (FlyweightShape *) empty;
}

FlyweightShape *
flyweight_shape_ref (FlyweightShape *shape)
{
  if (!shape->immortal)
    g_atomic_int_inc (&shape->ref_count);

  return shape;
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

void
flyweight_shape_unref (FlyweightShape *shape)
{
  while (shape != NULL && !shape->immortal && g_atomic_int_dec_and_test (&shape->ref_count))
    {
      FlyweightShape *parent = shape->parent;
      const char *popped = NULL;

      lock_shapes ();
      remove_child (parent, shape);
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

/* Returns a reference to the child of @shape that adds @name holding a
 * @type, creating it if the tree should grow there; NULL if the object
 * taking this step should keep a table of its own instead. */
FlyweightShape *
flyweight_shape_add (FlyweightShape   *shape,
                     FlyweightNameKey *name,
                     GType             type)
{
  FlyweightShape *child, *dying;
  const char *interned;

  lock_shapes ();

  child = find_child (shape, name, type);
  if (child != NULL && try_ref (child))
    {
      unlock_shapes ();
      return child;
    }
  dying = child;

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

  child = shape_new (shape, interned, type);
  add_child (shape, child, dying);

  unlock_shapes ();

  return child;
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
