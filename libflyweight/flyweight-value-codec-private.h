/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string.h>

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
void              flyweight_slot_release        (FlyweightSlot      slot,
                                                 FlyweightSlotKind  kind);
GVariant         *flyweight_value_to_variant    (const GValue      *value);

/* Whether @slot already holds @value, of the slot's own type: setting it
 * again would change nothing. Values kept whole are never compared. A
 * string or an object sits in the value's first word, where
 * g_value_get_string() and g_value_get_object() read it. */
static inline gboolean
flyweight_slot_holds (FlyweightSlot      slot,
                      FlyweightSlotKind  kind,
                      const GValue      *value)
{
  const char *held;

  switch (kind)
    {
    case FLYWEIGHT_SLOT_STRING:
      held = value->data[0].v_pointer;
      if (held == slot.pointer)
        return TRUE;
      return held != NULL && slot.pointer != NULL && strcmp (held, slot.pointer) == 0;

    case FLYWEIGHT_SLOT_OBJECT:
      return value->data[0].v_pointer == slot.pointer;

    case FLYWEIGHT_SLOT_U32:
    case FLYWEIGHT_SLOT_U64:
    case FLYWEIGHT_SLOT_VALUE:
    default:
      return FALSE;
    }
}

/* The numbers of the commonest fundamental types sit in the value's first
 * word, where their accessors (g_value_get_int() and the like) read them:
 * these read and write them without a call. Each returns FALSE, doing
 * nothing, for any other type, which goes through the codec. */
static inline gboolean
flyweight_slot_encode_number (const GValue  *value,
                              FlyweightSlot *slot)
{
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_INT:
    case G_TYPE_UINT:
      slot->u64 = 0;
      slot->u32 = value->data[0].v_uint;
      return TRUE;

    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_DOUBLE:
      slot->u64 = value->data[0].v_uint64;
      return TRUE;

    default:
      return FALSE;
    }
}

/* Whether a number of @type sits in a GValue's first word as its slot
 * keeps it: the types flyweight_slot_encode_number() and
 * flyweight_slot_decode_number_into() know. */
static inline gboolean
flyweight_slot_is_plain_number (GType type)
{
  return type == G_TYPE_INT || type == G_TYPE_UINT ||
         type == G_TYPE_INT64 || type == G_TYPE_UINT64 || type == G_TYPE_DOUBLE;
}

/* The slot of @kind for the number @value holds, of a plain type. */
static inline FlyweightSlot
flyweight_slot_from_plain_number (const GValue      *value,
                                  FlyweightSlotKind  kind)
{
  FlyweightSlot slot;

  slot.u64 = 0;
  if (kind == FLYWEIGHT_SLOT_U32)
    slot.u32 = value->data[0].v_uint;
  else
    slot.u64 = value->data[0].v_uint64;

  return slot;
}

/* Makes @value, which holds a plain type of @kind, hold @slot's number. */
static inline void
flyweight_slot_to_plain_number (FlyweightSlot      slot,
                                FlyweightSlotKind  kind,
                                GValue            *value)
{
  if (kind == FLYWEIGHT_SLOT_U32)
    value->data[0].v_uint = slot.u32;
  else
    value->data[0].v_uint64 = slot.u64;
}

/* Makes @value, which holds the slot's own type, hold @slot's number. */
static inline gboolean
flyweight_slot_decode_number_into (FlyweightSlot  slot,
                                   GValue        *value)
{
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_INT:
    case G_TYPE_UINT:
      value->data[0].v_uint = slot.u32;
      return TRUE;

    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_DOUBLE:
      value->data[0].v_uint64 = slot.u64;
      return TRUE;

    default:
      return FALSE;
    }
}

G_END_DECLS
