/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-intern-private.h"
#include "flyweight-value-codec-private.h"

/* What the codec knows of one fundamental type: the kind of slot it
 * takes, for numbers how its bits go in and out of a GValue, and its
 * GVariant form. */
typedef struct
{
  FlyweightSlotKind   kind;
  guint64           (*get_bits)   (const GValue *value);
  void              (*set_bits)   (GValue       *value,
                                   guint64       bits);
  GVariant         *(*to_variant) (const GValue *value);
} Codec;

/* Numbers: the bits of the slot, widened to 64. Signed types are stored
 * as their two's complement, floating point numbers bit for bit, so that
 * -0.0 and NaN payloads come back as they went in. */

static guint64 boolean_get (const GValue *v) { return g_value_get_boolean (v) ? 1 : 0; }
static void boolean_set (GValue *v, guint64 b) { g_value_set_boolean (v, (guint32) b != 0); }
static GVariant *boolean_variant (const GValue *v) { return g_variant_new_boolean (g_value_get_boolean (v)); }

static guint64 char_get (const GValue *v) { return (guint32) (gint32) g_value_get_schar (v); }
static void char_set (GValue *v, guint64 b) { g_value_set_schar (v, (gint8) (gint32) (guint32) b); }
static GVariant *char_variant (const GValue *v) { return g_variant_new_int16 (g_value_get_schar (v)); }

static guint64 uchar_get (const GValue *v) { return g_value_get_uchar (v); }
static void uchar_set (GValue *v, guint64 b) { g_value_set_uchar (v, (guchar) b); }
static GVariant *uchar_variant (const GValue *v) { return g_variant_new_byte (g_value_get_uchar (v)); }

static guint64 int_get (const GValue *v) { return (guint32) g_value_get_int (v); }
static void int_set (GValue *v, guint64 b) { g_value_set_int (v, (gint32) (guint32) b); }
static GVariant *int_variant (const GValue *v) { return g_variant_new_int32 (g_value_get_int (v)); }

static guint64 uint_get (const GValue *v) { return g_value_get_uint (v); }
static void uint_set (GValue *v, guint64 b) { g_value_set_uint (v, (guint32) b); }
static GVariant *uint_variant (const GValue *v) { return g_variant_new_uint32 (g_value_get_uint (v)); }

static guint64 long_get (const GValue *v) { return (guint64) (gint64) g_value_get_long (v); }
static void long_set (GValue *v, guint64 b) { g_value_set_long (v, (glong) (gint64) b); }
static GVariant *long_variant (const GValue *v) { return g_variant_new_int64 (g_value_get_long (v)); }

static guint64 ulong_get (const GValue *v) { return g_value_get_ulong (v); }
static void ulong_set (GValue *v, guint64 b) { g_value_set_ulong (v, (gulong) b); }
static GVariant *ulong_variant (const GValue *v) { return g_variant_new_uint64 (g_value_get_ulong (v)); }

static guint64 int64_get (const GValue *v) { return (guint64) g_value_get_int64 (v); }
static void int64_set (GValue *v, guint64 b) { g_value_set_int64 (v, (gint64) b); }
static GVariant *int64_variant (const GValue *v) { return g_variant_new_int64 (g_value_get_int64 (v)); }

static guint64 uint64_get (const GValue *v) { return g_value_get_uint64 (v); }
static void uint64_set (GValue *v, guint64 b) { g_value_set_uint64 (v, b); }
static GVariant *uint64_variant (const GValue *v) { return g_variant_new_uint64 (g_value_get_uint64 (v)); }

static guint64 enum_get (const GValue *v) { return (guint32) g_value_get_enum (v); }
static void enum_set (GValue *v, guint64 b) { g_value_set_enum (v, (gint32) (guint32) b); }
static GVariant *enum_variant (const GValue *v) { return g_variant_new_int32 (g_value_get_enum (v)); }

static guint64 flags_get (const GValue *v) { return g_value_get_flags (v); }
static void flags_set (GValue *v, guint64 b) { g_value_set_flags (v, (guint32) b); }
static GVariant *flags_variant (const GValue *v) { return g_variant_new_uint32 (g_value_get_flags (v)); }

static guint64
float_get (const GValue *v)
{
  gfloat f = g_value_get_float (v);
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

static void
float_set (GValue  *v,
           guint64  b)
{
  guint32 bits = (guint32) b;
  gfloat f;

  memcpy (&f, &bits, sizeof f);
  g_value_set_float (v, f);
}

static GVariant *float_variant (const GValue *v) { return g_variant_new_double (g_value_get_float (v)); }

static guint64
double_get (const GValue *v)
{
  gdouble d = g_value_get_double (v);
  guint64 bits;

  memcpy (&bits, &d, sizeof bits);
  return bits;
}

static void
double_set (GValue  *v,
            guint64  b)
{
  gdouble d;

  memcpy (&d, &b, sizeof d);
  g_value_set_double (v, d);
}

static GVariant *double_variant (const GValue *v) { return g_variant_new_double (g_value_get_double (v)); }

/* Pointers: what they hold has no bits to copy, only a GVariant form. */

static GVariant *
string_variant (const GValue *v)
{
  if (g_value_get_string (v) == NULL)
    return g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);
  return g_variant_new_string (g_value_get_string (v));
}

static GVariant *
variant_variant (const GValue *v)
{
  if (g_value_get_variant (v) == NULL)
    return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
  return g_variant_new_variant (g_value_get_variant (v));
}

static GVariant *
strv_variant (const GValue *v)
{
  const char * const *strv = g_value_get_boxed (v);

  return g_variant_new_strv (strv, strv != NULL ? -1 : 0);
}

static GVariant *
gtype_variant (const GValue *v)
{
  GType gtype = g_value_get_gtype (v);

  if (gtype == G_TYPE_INVALID)
    return g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);
  return g_variant_new_string (g_type_name (gtype));
}

/* Objects, boxed types and the like have no GVariant form: a description
 * that names an object by its own class, not by the value's declared type. */
static GVariant *
described_variant (const GValue *v)
{
  if (g_value_peek_pointer (v) == NULL)
    return g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);

  return g_variant_new_take_string (g_strdup_printf ("<%s at %p>",
                                                     G_VALUE_HOLDS_OBJECT (v)
                                                       ? G_OBJECT_TYPE_NAME (g_value_get_object (v))
                                                       : G_VALUE_TYPE_NAME (v),
                                                     g_value_peek_pointer (v)));
}

#define NUMBER(kind, name) { FLYWEIGHT_SLOT_##kind, name##_get, name##_set, name##_variant }

static const Codec boolean_codec = NUMBER (U32, boolean);
static const Codec char_codec = NUMBER (U32, char);
static const Codec uchar_codec = NUMBER (U32, uchar);
static const Codec int_codec = NUMBER (U32, int);
static const Codec uint_codec = NUMBER (U32, uint);
static const Codec enum_codec = NUMBER (U32, enum);
static const Codec flags_codec = NUMBER (U32, flags);
static const Codec float_codec = NUMBER (U32, float);
static const Codec long_codec = NUMBER (U64, long);
static const Codec ulong_codec = NUMBER (U64, ulong);
static const Codec int64_codec = NUMBER (U64, int64);
static const Codec uint64_codec = NUMBER (U64, uint64);
static const Codec double_codec = NUMBER (U64, double);
static const Codec string_codec = { FLYWEIGHT_SLOT_STRING, NULL, NULL, string_variant };
static const Codec object_codec = { FLYWEIGHT_SLOT_OBJECT, NULL, NULL, described_variant };
static const Codec variant_codec = { FLYWEIGHT_SLOT_VALUE, NULL, NULL, variant_variant };
static const Codec strv_codec = { FLYWEIGHT_SLOT_VALUE, NULL, NULL, strv_variant };
static const Codec gtype_codec = { FLYWEIGHT_SLOT_VALUE, NULL, NULL, gtype_variant };
static const Codec other_codec = { FLYWEIGHT_SLOT_VALUE, NULL, NULL, described_variant };

/* A value kept whole, counted: a reader holds it while it copies it with
 * no lock held, and the last of the store and its readers frees it. The
 * GValue comes first, so that the slot's pointer is the value's. */
typedef struct
{
  GValue          value;
  gatomicrefcount refs;
} KeptValue;

/* The one switch over the fundamental types. */
static const Codec *
codec_for_type (GType type)
{
  /* A fundamental type is its own fundamental: no call into GType. */
  GType fundamental = type <= G_TYPE_FUNDAMENTAL_MAX ? type : G_TYPE_FUNDAMENTAL (type);

  switch (fundamental)
    {
    case G_TYPE_BOOLEAN: return &boolean_codec;
    case G_TYPE_CHAR: return &char_codec;
    case G_TYPE_UCHAR: return &uchar_codec;
    case G_TYPE_INT: return &int_codec;
    case G_TYPE_UINT: return &uint_codec;
    case G_TYPE_ENUM: return &enum_codec;
    case G_TYPE_FLAGS: return &flags_codec;
    case G_TYPE_FLOAT: return &float_codec;
    case G_TYPE_LONG: return &long_codec;
    case G_TYPE_ULONG: return &ulong_codec;
    case G_TYPE_INT64: return &int64_codec;
    case G_TYPE_UINT64: return &uint64_codec;
    case G_TYPE_DOUBLE: return &double_codec;
    case G_TYPE_STRING: return &string_codec;
    case G_TYPE_OBJECT: return &object_codec;
    case G_TYPE_VARIANT: return &variant_codec;
    /* A string array is boxed and a GType a pointer type, yet both have a
     * GVariant form; every other boxed or pointer value is described. */
    case G_TYPE_BOXED: return type == G_TYPE_STRV ? &strv_codec : &other_codec;
    case G_TYPE_POINTER: return type == G_TYPE_GTYPE ? &gtype_codec : &other_codec;
    default: return &other_codec;
    }
}

FlyweightSlotKind
flyweight_slot_kind_for_type (GType type)
{
  /* Strings first: they are what machines hold most. */
  if (type == G_TYPE_STRING)
    return FLYWEIGHT_SLOT_STRING;

  return codec_for_type (type)->kind;
}

/* The slot for @value, which then owns a copy of it: strings are
 * interned (a million machines owned by "Aristocrat" share one copy),
 * objects referenced, other values copied whole. Returned whole, never
 * written piecemeal through memory, which processors read back slowly. */
FlyweightSlot
flyweight_slot_encode (FlyweightSlotKind  kind,
                       const GValue      *value)
{
  FlyweightSlot slot;

  slot.u64 = 0;

  if ((kind == FLYWEIGHT_SLOT_U32 || kind == FLYWEIGHT_SLOT_U64) &&
      flyweight_slot_encode_number (value, &slot))
    return slot;

  switch (kind)
    {
    case FLYWEIGHT_SLOT_U32:
      slot.u32 = (guint32) codec_for_type (G_VALUE_TYPE (value))->get_bits (value);
      break;

    case FLYWEIGHT_SLOT_U64:
      slot.u64 = codec_for_type (G_VALUE_TYPE (value))->get_bits (value);
      break;

    case FLYWEIGHT_SLOT_STRING:
      if (g_value_get_string (value) != NULL)
        slot.pointer = (gpointer) flyweight_intern_acquire (g_value_get_string (value));
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      slot.pointer = g_value_dup_object (value);
      break;

    case FLYWEIGHT_SLOT_VALUE:
    default:
      {
        KeptValue *kept = g_new0 (KeptValue, 1);

        g_atomic_ref_count_init (&kept->refs);
        g_value_init (&kept->value, G_VALUE_TYPE (value));
        g_value_copy (value, &kept->value);
        slot.pointer = kept;
      }
      break;
    }

  return slot;
}

/* Keeps what @slot holds alive past the lock, until the matching
 * flyweight_slot_release(): what a reader does, under the lock, before it
 * copies a value whose copy runs code of its type (a boxed copy function)
 * unlocked. Runs no code but ours. Only values kept whole need it. */
void
flyweight_slot_hold (FlyweightSlot      slot,
                     FlyweightSlotKind  kind)
{
  g_return_if_fail (kind == FLYWEIGHT_SLOT_VALUE);

  g_atomic_ref_count_inc (&((KeptValue *) slot.pointer)->refs);
}

/* Fills the empty @value with a copy of what @slot holds, as a @type. */
void
flyweight_slot_decode (FlyweightSlot      slot,
                       FlyweightSlotKind  kind,
                       GType              type,
                       GValue            *value)
{
  /* A string or a number of the commonest types is set up as
   * g_value_init() would (cleared, then the type, whose value_init clears
   * the first word again), without its look-up of the type's value
   * table: half the cost of a read into an empty value. */
  if (type == G_TYPE_STRING)
    {
      memset (value->data, 0, sizeof value->data);
      value->data[0].v_pointer = g_strdup (slot.pointer);
      value->g_type = type;
      return;
    }

  if (kind != FLYWEIGHT_SLOT_VALUE && kind != FLYWEIGHT_SLOT_OBJECT)
    {
      memset (value->data, 0, sizeof value->data);
      value->g_type = type;
      if (flyweight_slot_decode_number_into (slot, value))
        return;
      value->g_type = G_TYPE_INVALID;
    }

  g_value_init (value, type);

  switch (kind)
    {
    case FLYWEIGHT_SLOT_U32:
      codec_for_type (type)->set_bits (value, slot.u32);
      break;

    case FLYWEIGHT_SLOT_U64:
      codec_for_type (type)->set_bits (value, slot.u64);
      break;

    case FLYWEIGHT_SLOT_STRING:
      g_value_set_string (value, slot.pointer);
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      g_value_set_object (value, slot.pointer);
      break;

    case FLYWEIGHT_SLOT_VALUE:
    default:
      g_value_copy (slot.pointer, value);
      break;
    }
}

/* Makes @value, which already holds the slot's type, hold what @slot
 * holds: a number, or a string, one @value already holds left as it is,
 * not copied. (Objects and other values are decoded into empty values,
 * so that their previous contents can be dropped unlocked.) */
void
flyweight_slot_decode_into (FlyweightSlot      slot,
                            FlyweightSlotKind  kind,
                            GValue            *value)
{
  if ((kind == FLYWEIGHT_SLOT_U32 || kind == FLYWEIGHT_SLOT_U64) &&
      flyweight_slot_decode_number_into (slot, value))
    return;

  switch (kind)
    {
    case FLYWEIGHT_SLOT_U32:
      codec_for_type (G_VALUE_TYPE (value))->set_bits (value, slot.u32);
      break;

    case FLYWEIGHT_SLOT_U64:
      codec_for_type (G_VALUE_TYPE (value))->set_bits (value, slot.u64);
      break;

    case FLYWEIGHT_SLOT_STRING:
      if (!flyweight_slot_holds (slot, kind, value))
        g_value_set_string (value, slot.pointer);
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      g_value_set_object (value, slot.pointer);
      break;

    case FLYWEIGHT_SLOT_VALUE:
    default:
      g_value_copy (slot.pointer, value);
      break;
    }
}

/* The value @slot holds, valid while the slot is and not to be changed:
 * either the GValue the slot keeps whole, or @scratch, an empty value
 * filled without copying strings, which the caller unsets (that frees
 * nothing of the slot's). */
const GValue *
flyweight_slot_peek (FlyweightSlot      slot,
                     FlyweightSlotKind  kind,
                     GType              type,
                     GValue            *scratch)
{
  switch (kind)
    {
    case FLYWEIGHT_SLOT_VALUE:
      return slot.pointer;

    case FLYWEIGHT_SLOT_STRING:
      g_value_init (scratch, type);
      g_value_set_static_string (scratch, slot.pointer);
      return scratch;

    case FLYWEIGHT_SLOT_U32:
    case FLYWEIGHT_SLOT_U64:
    case FLYWEIGHT_SLOT_OBJECT:
    default:
      flyweight_slot_decode (slot, kind, type, scratch);
      return scratch;
    }
}

/* Frees what the slot owns. The caller holds no lock: dropping an object
 * reference may run its finalizer, which may use the same store. */
void
flyweight_slot_release (FlyweightSlot      slot,
                        FlyweightSlotKind  kind)
{
  switch (kind)
    {
    case FLYWEIGHT_SLOT_STRING:
      if (slot.pointer != NULL)
        flyweight_intern_release (slot.pointer);
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      if (slot.pointer != NULL)
        g_object_unref (slot.pointer);
      break;

    case FLYWEIGHT_SLOT_VALUE:
      if (slot.pointer != NULL &&
          g_atomic_ref_count_dec (&((KeptValue *) slot.pointer)->refs))
        {
          g_value_unset (slot.pointer);
          g_free (slot.pointer);
        }
      break;

    case FLYWEIGHT_SLOT_U32:
    case FLYWEIGHT_SLOT_U64:
    default:
      break;
    }
}

/* The form get_dict() gives @value: numbers, booleans, strings, string
 * arrays and variants as their GVariant counterparts (enums as i, flags
 * as u, a GType as its name, NULL as an empty maybe), anything else as a
 * description. */
GVariant *
flyweight_value_to_variant (const GValue *value)
{
  return codec_for_type (G_VALUE_TYPE (value))->to_variant (value);
}
