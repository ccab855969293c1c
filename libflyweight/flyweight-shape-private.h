/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A shape is an immutable, shared description of which attributes an
 * object holds, in insertion order, and where each value sits in the
 * object's data: the "hidden class" of JavaScript engines, the shared keys
 * of CPython's dictionaries. Objects that gain the same names in the same
 * order with values of the same types share one shape, and keep only their
 * values.
 *
 * Shapes form a tree: adding an attribute moves an object from a shape to
 * one of its children (a transition), which is found again by the next
 * object taking the same step. A shape holds a reference on its parent;
 * children are referenced by the objects using them, so a branch nobody
 * uses any more is freed, names included. */

typedef enum
{
  FLYWEIGHT_SLOT_U32,     /* 4 bytes: ints, booleans, enums, flags, floats */
  FLYWEIGHT_SLOT_U64,     /* 8 bytes: 64-bit ints, longs, doubles */
  FLYWEIGHT_SLOT_STRING,  /* an interned string, or NULL */
  FLYWEIGHT_SLOT_OBJECT,  /* a strong reference, or NULL */
  FLYWEIGHT_SLOT_VALUE,   /* a heap-allocated GValue: everything else */
} FlyweightSlotKind;

typedef struct
{
  const char *name;     /* interned */
  GType       type;
  guint16     offset;   /* in the object's data */
  guint8      kind;     /* FlyweightSlotKind */
} FlyweightShapeEntry;

typedef struct _FlyweightShape FlyweightShape;

/* Beyond this many attributes an object leaves the shape tree for a table
 * of its own: deep shapes would be used by few objects each. */
#define FLYWEIGHT_SHAPE_MAX_ENTRIES 32

FlyweightShape            *flyweight_shape_get_empty    (void);
FlyweightShape            *flyweight_shape_ref          (FlyweightShape *shape);
void                       flyweight_shape_unref        (FlyweightShape *shape);
void                       flyweight_shape_make_immortal (FlyweightShape *shape);
gboolean                   flyweight_shape_is_immortal  (FlyweightShape *shape);
guint                      flyweight_shape_get_n_fixed  (FlyweightShape *shape);
FlyweightShape            *flyweight_shape_add          (FlyweightShape *shape,
                                                         const char     *name,
                                                         GType           type);
FlyweightShape            *flyweight_shape_get_parent   (FlyweightShape *shape);
guint                      flyweight_shape_get_size     (FlyweightShape *shape);
guint                      flyweight_shape_get_n_entries (FlyweightShape *shape);
const FlyweightShapeEntry *flyweight_shape_get_entry    (FlyweightShape *shape,
                                                         guint           position);
const FlyweightShapeEntry *flyweight_shape_lookup       (FlyweightShape *shape,
                                                         const char     *name,
                                                         guint          *position);
FlyweightSlotKind          flyweight_slot_kind_for_type (GType           type);
guint                      flyweight_shape_count_live   (void);

G_END_DECLS
