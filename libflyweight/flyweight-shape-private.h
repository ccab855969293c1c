/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string.h>

#include <glib-object.h>

#include "flyweight-intern-private.h"

G_BEGIN_DECLS

/* A shape is an immutable, shared description of which attributes an
 * object holds, in insertion order, and where each value sits in the
 * object's values: the "hidden class" of JavaScript engines, the shared
 * keys of CPython's dictionaries. Objects that gain the same names in the
 * same order with values of the same types share one shape, and keep only
 * their values.
 *
 * Shapes form a tree: adding an attribute moves an object from a shape to
 * one of its children (a transition), which is found again by the next
 * object taking the same step. A shape holds a reference on its parent;
 * children are referenced by the objects using them, so a branch nobody
 * uses any more is freed, names included.
 *
 * A shape does not copy its parent's entries: a branch of the tree shares
 * one append-only table of entries, each shape using the first n of them
 * (as V8's maps share descriptor arrays), with a hash index over the
 * table, so a lookup costs the same at any depth and a branch costs memory
 * in proportion to its length. Only a branch that leaves an existing one
 * part-way copies the entries before the fork.
 *
 * Shapes are for layouts many objects share. The tree only grows with
 * names that some other object already uses, and up to a bound on the
 * number of shapes: an object that would need a shape past that keeps a
 * table of its own instead, so that names of one object's own, or every
 * order of the same names, cost no shapes. The first object to use a
 * layout keeps a table; the ones after it share shapes.
 */

typedef struct
{
  const char *name;     /* interned */
  GType       type;
  guint32     offset;   /* in the object's values */
  guint8      kind;     /* FlyweightSlotKind */
  guint8      plain;    /* a number kept in a GValue's first word as is */
} FlyweightShapeEntry;

typedef struct _FlyweightShape FlyweightShape;

/* A name as a caller gives it, with its hash once needed. */
typedef struct
{
  const char *string;
  guint32     hash;
  gboolean    hashed;
} FlyweightNameKey;

#define FLYWEIGHT_NAME_KEY_INIT(s) { (s), 0, FALSE }

static inline guint32
flyweight_name_key_hash (FlyweightNameKey *key)
{
  if (!key->hashed)
    {
      key->hash = flyweight_intern_hash (key->string);
      key->hashed = TRUE;
    }

  return key->hash;
}

/* Deeper than this, an object keeps its attributes in a table of its own. */
#define FLYWEIGHT_SHAPE_MAX_ENTRIES 1024

/* Up to this many entries, a lookup compares names one by one: cheaper
 * than hashing the name it is given. */
#define FLYWEIGHT_SHAPE_SMALL 8

/* The entries of one branch of the tree, in insertion order. The shape
 * that added entry i is the only one that may find it at that position;
 * shapes higher up the branch use fewer of the entries, and see the later
 * ones in the index as positions past their own end.
 *
 * Entries are appended, never moved, under the shapes' lock; lookups read
 * them without any lock of ours, so the index slots are read and written
 * atomically and an entry is written before its slot. */
typedef struct
{
  gint                ref_count;   /* shapes using it */
  guint               capacity;    /* entries it has room for, a power of two */
  guint               n_used;      /* entries written; under the shapes' lock */
  guint               padding;
  FlyweightShapeEntry entries[];   /* then the index: 2 × capacity slots of
                                    * position + 1, or 0 for none */
} FlyweightShapeKeys;

/* The children of a shape, by name and type: open addressing. */
typedef struct
{
  guint           n_children;
  guint           mask;
  FlyweightShape *slots[];
} FlyweightShapeChildren;

/* Shapes are private to the store; their fields are read directly on the
 * attribute calls' fast paths, and written in flyweight-shape.c only. */
struct _FlyweightShape
{
  FlyweightShape         *parent;
  FlyweightShapeKeys     *keys;        /* NULL for the empty shape */
  FlyweightShapeChildren *children;    /* under the shapes' lock; not referenced */
  gint                    ref_count;   /* ignored once immortal */
  guint                   n_entries;
  guint                   size;        /* bytes of values */
  guint32                 set_hash;    /* of the entries, in any order */
  gboolean                immortal;
};

FlyweightShape            *flyweight_shape_get_empty     (void);
FlyweightShape            *flyweight_shape_ref           (FlyweightShape   *shape);
void                       flyweight_shape_unref         (FlyweightShape   *shape);
FlyweightShape            *flyweight_shape_step          (FlyweightShape   *shape,
                                                          FlyweightNameKey *name,
                                                          GType             type,
                                                          gboolean         *appended);
FlyweightShape            *flyweight_shape_get_parent    (FlyweightShape   *shape);
const FlyweightShapeEntry *flyweight_shape_lookup_hashed (FlyweightShape   *shape,
                                                          FlyweightNameKey *name,
                                                          guint            *position);
guint                      flyweight_shape_count_live    (void);

static inline guint
flyweight_shape_get_size (FlyweightShape *shape)
{
  return shape->size;
}

static inline guint
flyweight_shape_get_n_entries (FlyweightShape *shape)
{
  return shape->n_entries;
}

static inline const FlyweightShapeEntry *
flyweight_shape_get_entry (FlyweightShape *shape,
                           guint           position)
{
  g_assert (position < shape->n_entries);

  return &shape->keys->entries[position];
}

/* Whether the interned @stored is @name. Most names differ at once, and
 * attribute names are short: byte by byte, inline, they compare faster
 * than through a call of strcmp(), which wins on longer strings. */
static inline gboolean
flyweight_name_equal (const char *stored,
                      const char *name)
{
  for (gsize i = 0; stored[i] == name[i]; i++)
    if (stored[i] == '\0')
      return TRUE;

  return FALSE;
}

/* The entry for @name in a shape of up to FLYWEIGHT_SHAPE_SMALL entries,
 * and its position, or NULL. */
static inline const FlyweightShapeEntry *
flyweight_shape_lookup_small (FlyweightShape *shape,
                              const char     *name,
                              guint          *position)
{
  guint n = shape->n_entries;

  for (guint i = 0; i < n; i++)
    {
      const FlyweightShapeEntry *entry = &shape->keys->entries[i];

      if (flyweight_name_equal (entry->name, name))
        {
          if (position != NULL)
            *position = i;
          return entry;
        }
    }

  return NULL;
}

/* The entry for @name, and its position, or NULL. */
static inline const FlyweightShapeEntry *
flyweight_shape_lookup (FlyweightShape   *shape,
                        FlyweightNameKey *name,
                        guint            *position)
{
  if (shape->n_entries > FLYWEIGHT_SHAPE_SMALL)
    return flyweight_shape_lookup_hashed (shape, name, position);

  return flyweight_shape_lookup_small (shape, name->string, position);
}

/* The same for a name not hashed yet, as the attribute calls' fast paths
 * receive it: no key to keep on the stack unless the shape is large. */
static inline const FlyweightShapeEntry *
flyweight_shape_find (FlyweightShape *shape,
                      const char     *name)
{
  if (G_UNLIKELY (shape->n_entries > FLYWEIGHT_SHAPE_SMALL))
    {
      FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);

      return flyweight_shape_lookup_hashed (shape, &key, NULL);
    }

  return flyweight_shape_lookup_small (shape, name, NULL);
}

G_END_DECLS
