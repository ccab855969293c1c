/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-intern-private.h"
#include "flyweight-shape-private.h"
#include "flyweight-tsan-private.h"

struct _FlyweightShape
{
  /* What this shape adds to its parent: the key of the parent's
   * transition table. */
  FlyweightShapeEntry  added;

  gint                 ref_count;   /* ignored once immortal */
  gboolean             immortal;
  FlyweightShape      *parent;
  GHashTable          *children;    /* &child->added → child; under shape_lock */
  guint16              size;
  guint16              n_entries;
  guint16              n_fixed;     /* entries of the nearest immortal ancestor */
  FlyweightShapeEntry  entries[];   /* the parent's, then ours */
};

/* Guards every transition table, and the moment a shape is dropped from
 * its parent's table, so that no lookup revives a dying shape. */
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

static guint
entry_hash (gconstpointer key)
{
  const FlyweightShapeEntry *entry = key;

  return g_str_hash (entry->name) ^ (guint) entry->type;
}

static gboolean
entry_equal (gconstpointer a,
             gconstpointer b)
{
  const FlyweightShapeEntry *x = a, *y = b;

  return x->type == y->type && strcmp (x->name, y->name) == 0;
}

FlyweightSlotKind
flyweight_slot_kind_for_type (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
    case G_TYPE_FLOAT:
      return FLYWEIGHT_SLOT_U32;

    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_DOUBLE:
      return FLYWEIGHT_SLOT_U64;

    case G_TYPE_STRING:
      return FLYWEIGHT_SLOT_STRING;

    case G_TYPE_OBJECT:
      return FLYWEIGHT_SLOT_OBJECT;

    default:
      return FLYWEIGHT_SLOT_VALUE;
    }
}

static FlyweightShape *
shape_new (FlyweightShape *parent,
           const char     *name,
           GType           type)
{
  guint n_entries = parent != NULL ? parent->n_entries + 1 : 0;
  FlyweightShape *shape = g_malloc0 (sizeof (FlyweightShape) + n_entries * sizeof (FlyweightShapeEntry));

  shape->ref_count = 1;
  shape->n_entries = n_entries;
  g_atomic_int_inc (&live_shapes);

  if (parent != NULL)
    {
      guint slot_size;
      guint offset;

      shape->parent = flyweight_shape_ref (parent);
      shape->n_fixed = parent->n_fixed;
      shape->added.name = flyweight_intern_acquire (name);
      shape->added.type = type;
      shape->added.kind = flyweight_slot_kind_for_type (type);

      /* Append the slot, aligned to its own size. */
      slot_size = shape->added.kind == FLYWEIGHT_SLOT_U32 ? 4 : 8;
      offset = (parent->size + slot_size - 1) & ~(slot_size - 1);
      shape->added.offset = offset;
      shape->size = offset + slot_size;

      memcpy (shape->entries, parent->entries, parent->n_entries * sizeof (FlyweightShapeEntry));
      shape->entries[parent->n_entries] = shape->added;
    }

  return shape;
}

FlyweightShape *
flyweight_shape_get_empty (void)
{
  static gsize empty = 0;

  if (g_once_init_enter (&empty))
    {
      FlyweightShape *shape = shape_new (NULL, NULL, G_TYPE_INVALID);

      shape->immortal = TRUE;
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

/* Takes a reference unless the shape is already dying. */
static gboolean
try_ref (FlyweightShape *shape)
{
  gint count;

  if (shape->immortal)
    return TRUE;

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
      gpointer registered = NULL;

      lock_shapes ();
      /* A new shape may have taken our place already; leave it there. */
      if (parent->children != NULL &&
          g_hash_table_lookup_extended (parent->children, &shape->added, &registered, NULL) &&
          registered == &shape->added)
        g_hash_table_remove (parent->children, &shape->added);
      unlock_shapes ();

      g_assert (shape->children == NULL || g_hash_table_size (shape->children) == 0);
      g_clear_pointer (&shape->children, g_hash_table_unref);
      flyweight_intern_release (shape->added.name);
      g_free (shape);
      g_atomic_int_add (&live_shapes, -1);

      /* Drop our reference on the parent without recursing. */
      shape = parent;
    }
}

/* Immortal shapes are never freed and skip reference counting; their
 * entries become the fixed prefix of every shape grown from them. */
void
flyweight_shape_make_immortal (FlyweightShape *shape)
{
  shape->immortal = TRUE;
  shape->n_fixed = shape->n_entries;
}

guint
flyweight_shape_get_n_fixed (FlyweightShape *shape)
{
  return shape->n_fixed;
}

gboolean
flyweight_shape_is_immortal (FlyweightShape *shape)
{
  return shape->immortal;
}

/* Returns a reference to the child of @shape that adds @name holding a
 * @type, creating it if needed; NULL if @shape is as deep as shapes go. */
FlyweightShape *
flyweight_shape_add (FlyweightShape *shape,
                     const char     *name,
                     GType           type)
{
  FlyweightShapeEntry probe = { name, type, 0, 0 };
  FlyweightShape *child = NULL;
  gpointer found;

  if (shape->n_entries >= FLYWEIGHT_SHAPE_MAX_ENTRIES)
    return NULL;

  lock_shapes ();

  if (shape->children != NULL &&
      g_hash_table_lookup_extended (shape->children, &probe, &found, NULL) &&
      try_ref (found))
    child = found;

  if (child == NULL)
    {
      child = shape_new (shape, name, type);
      if (shape->children == NULL)
        shape->children = g_hash_table_new (entry_hash, entry_equal);
      g_hash_table_add (shape->children, &child->added);
    }

  unlock_shapes ();

  return child;
}

FlyweightShape *
flyweight_shape_get_parent (FlyweightShape *shape)
{
  return shape->parent;
}

guint
flyweight_shape_get_size (FlyweightShape *shape)
{
  return shape->size;
}

guint
flyweight_shape_get_n_entries (FlyweightShape *shape)
{
  return shape->n_entries;
}

const FlyweightShapeEntry *
flyweight_shape_get_entry (FlyweightShape *shape,
                           guint           position)
{
  g_assert (position < shape->n_entries);

  return &shape->entries[position];
}

const FlyweightShapeEntry *
flyweight_shape_lookup (FlyweightShape *shape,
                        const char     *name,
                        guint          *position)
{
  for (guint i = 0; i < shape->n_entries; i++)
    {
      const FlyweightShapeEntry *entry = &shape->entries[i];

      if (entry->name[0] == name[0] && strcmp (entry->name, name) == 0)
        {
          if (position != NULL)
            *position = i;
          return entry;
        }
    }

  return NULL;
}

/* For the tests: how many shapes exist, the empty one included. */
guint
flyweight_shape_count_live (void)
{
  return g_atomic_int_get (&live_shapes);
}
