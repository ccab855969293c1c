/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How an attribute value is kept: the GValue given to set_attr() becomes
 * a slot of 4 or 8 bytes, and a slot becomes a GValue again on reading.
 * This is the one place that knows the fundamental types; the store only
 * moves slots around, and holds no lock while anything here runs code of
 * the value's type (copying a boxed value, dropping an object). */

typedef enum
{
  FLYWEIGHT_SLOT_U32,     /* 4 bytes: ints, booleans, enums, flags, floats */
  FLYWEIGHT_SLOT_U64,     /* 8 bytes: 64-bit ints, longs, doubles */
  FLYWEIGHT_SLOT_STRING,  /* an interned string, or NULL */
  FLYWEIGHT_SLOT_OBJECT,  /* a strong reference, or NULL */
  FLYWEIGHT_SLOT_VALUE,   /* a counted heap-allocated GValue: everything else */
} FlyweightSlotKind;

typedef union
{
  guint32  u32;
  guint64  u64;
  gpointer pointer;
} FlyweightSlot;

#define FLYWEIGHT_SLOT_SIZE(kind) ((kind) == FLYWEIGHT_SLOT_U32 ? 4u : 8u)

FlyweightSlotKind flyweight_slot_kind_for_type  (GType              type);
FlyweightSlot     flyweight_slot_encode         (FlyweightSlotKind  kind,
                                                 const GValue      *value);
void              flyweight_slot_decode         (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind,
                                                 GType              type,
                                                 GValue            *value);
void              flyweight_slot_hold           (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind);
void              flyweight_slot_decode_into    (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind,
                                                 GValue            *value);
const GValue     *flyweight_slot_peek           (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind,
                                                 GType              type,
                                                 GValue            *scratch);
gboolean          flyweight_slot_holds          (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind,
                                                 const GValue      *value);
void              flyweight_slot_release        (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind);
GVariant         *flyweight_value_to_variant    (const GValue      *value);

G_END_DECLS
