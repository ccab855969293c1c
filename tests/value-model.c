/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* How the tests that compare the library with a model judge a value.
 *
 * Nothing here shares the library's code, or its way of doing things: a
 * value read back is compared with the model's through plain C types, and
 * a get_dict() entry is read back into a GValue by GIO's own converter,
 * then compared with the model's value as GLib's transformations widen it,
 * against a table of the GVariant types the documentation promises. A bug
 * in how the library turns values into slots or GVariants shows up as a
 * difference, instead of being copied into the expectation. */

#include <float.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "value-model.h"

/* Exact equality: same type, same contents, the same object, floating
 * point numbers bit for bit (so that -0.0 comes back as -0.0). */
gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    return FALSE;

  if (type == G_TYPE_STRV)
    {
      const char * const *x = g_value_get_boxed (a), * const *y = g_value_get_boxed (b);

      return x == NULL || y == NULL ? x == y : g_strv_equal (x, y);
    }
  if (type == G_TYPE_BYTES)
    {
      GBytes *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);

      return x == NULL || y == NULL ? x == y : g_bytes_equal (x, y);
    }
  if (type == G_TYPE_VALUE)
    {
      const GValue *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);

      return x == NULL || y == NULL ? x == y : values_equal (x, y);
    }
  if (type == G_TYPE_ERROR)
    {
      const GError *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);

      if (x == NULL || y == NULL)
        return x == y;
      return x->domain == y->domain && x->code == y->code && strcmp (x->message, y->message) == 0;
    }
  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);

      return x == NULL || y == NULL ? x == y : g_date_time_equal (x, y);
    }
  if (type == G_TYPE_GSTRING)
    {
      GString *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);

      return x == NULL || y == NULL ? x == y : g_string_equal (x, y);
    }
  if (type == G_TYPE_GTYPE)
    return g_value_get_gtype (a) == g_value_get_gtype (b);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_INT: return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT: return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_INT64: return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64: return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_LONG: return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG: return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_BOOLEAN: return g_value_get_boolean (a) == g_value_get_boolean (b);
    case G_TYPE_CHAR: return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR: return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_ENUM: return g_value_get_enum (a) == g_value_get_enum (b);
    case G_TYPE_FLAGS: return g_value_get_flags (a) == g_value_get_flags (b);
    case G_TYPE_STRING: return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_OBJECT: return g_value_get_object (a) == g_value_get_object (b);
    case G_TYPE_PARAM: return g_value_get_param (a) == g_value_get_param (b);
    case G_TYPE_FLOAT:
      {
        gfloat x = g_value_get_float (a), y = g_value_get_float (b);

        return memcmp (&x, &y, sizeof x) == 0;
      }
    case G_TYPE_DOUBLE:
      {
        gdouble x = g_value_get_double (a), y = g_value_get_double (b);

        return memcmp (&x, &y, sizeof x) == 0;
      }
    case G_TYPE_VARIANT:
      {
        GVariant *x = g_value_get_variant (a), *y = g_value_get_variant (b);

        return x == NULL || y == NULL ? x == y : g_variant_equal (x, y);
      }
    default:
      g_error ("no comparison for %s", g_type_name (type));
      return FALSE;
    }
}

/* The GVariant types get_dict() documents: "numbers, booleans, strings,
 * string arrays and variants map to their GVariant counterparts (enums as
 * i, flags as u, a GType as its name)". GVariant has no 8-bit signed
 * type, so a gchar becomes an int16. */
static const struct
{
  GType       fundamental;
  const char *variant_type;
} documented_types[] = {
  { G_TYPE_BOOLEAN, "b" },
  { G_TYPE_CHAR, "n" },
  { G_TYPE_UCHAR, "y" },
  { G_TYPE_INT, "i" },
  { G_TYPE_UINT, "u" },
  { G_TYPE_LONG, "x" },
  { G_TYPE_ULONG, "t" },
  { G_TYPE_INT64, "x" },
  { G_TYPE_UINT64, "t" },
  { G_TYPE_FLOAT, "d" },
  { G_TYPE_DOUBLE, "d" },
  { G_TYPE_ENUM, "i" },
  { G_TYPE_FLAGS, "u" },
  { G_TYPE_STRING, "s" },
};

static const char *
documented_type (const GValue *value)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value));

  if (G_VALUE_HOLDS (value, G_TYPE_STRV))
    return "as";
  for (guint i = 0; i < G_N_ELEMENTS (documented_types); i++)
    if (documented_types[i].fundamental == fundamental)
      return documented_types[i].variant_type;

  return NULL;
}

static gboolean
fail (char       **why,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (char       **why,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  *why = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

static gboolean
is_nothing (GVariant           *got,
            const GVariantType *maybe_type)
{
  return g_variant_is_of_type (got, maybe_type) && g_variant_n_children (got) == 0;
}

/* Whether @got is the get_dict() entry the documentation promises for a
 * value equal to @expected; if not, says why. */
gboolean
dict_value_matches (GVariant      *got,
                    const GValue  *expected,
                    char         **why)
{
  const char *type = documented_type (expected);

  if (G_VALUE_HOLDS_VARIANT (expected))
    {
      GVariant *want = g_value_get_variant (expected);
      g_autoptr(GVariant) inner = NULL;

      if (want == NULL)
        return is_nothing (got, G_VARIANT_TYPE ("mv")) || fail (why, "a NULL variant is not an empty mv");
      if (!g_variant_is_of_type (got, G_VARIANT_TYPE_VARIANT))
        return fail (why, "a variant is not a v");
      inner = g_variant_get_variant (got);
      return g_variant_equal (inner, want) || fail (why, "the variant changed");
    }

  if (G_VALUE_HOLDS_GTYPE (expected))
    {
      if (g_value_get_gtype (expected) == G_TYPE_INVALID)
        return is_nothing (got, G_VARIANT_TYPE ("ms")) || fail (why, "G_TYPE_INVALID is not an empty ms");
      if (!g_variant_is_of_type (got, G_VARIANT_TYPE_STRING))
        return fail (why, "a GType is not a string");
      return g_str_equal (g_variant_get_string (got, NULL), g_type_name (g_value_get_gtype (expected))) ||
             fail (why, "a GType is not named by its name");
    }

  if (G_VALUE_HOLDS_STRING (expected) && g_value_get_string (expected) == NULL)
    return is_nothing (got, G_VARIANT_TYPE ("ms")) || fail (why, "a NULL string is not an empty ms");

  /* "A NULL string array as an empty one." */
  if (G_VALUE_HOLDS (expected, G_TYPE_STRV) && g_value_get_boxed (expected) == NULL)
    return (g_variant_is_of_type (got, G_VARIANT_TYPE_STRING_ARRAY) && g_variant_n_children (got) == 0) ||
           fail (why, "a NULL string array is not an empty as");

  if (type != NULL)
    {
      g_auto(GValue) read_back = G_VALUE_INIT;
      g_auto(GValue) widened = G_VALUE_INIT;

      if (!g_variant_is_of_type (got, G_VARIANT_TYPE (type)))
        return fail (why, "a %s is a %s, not a %s", G_VALUE_TYPE_NAME (expected),
                     g_variant_get_type_string (got), type);

      /* GIO reads the entry back; GLib widens the model's value to match. */
      g_dbus_gvariant_to_gvalue (got, &read_back);
      g_value_init (&widened, G_VALUE_TYPE (&read_back));
      if (!g_value_transform (expected, &widened))
        return fail (why, "%s does not widen to %s", G_VALUE_TYPE_NAME (expected), G_VALUE_TYPE_NAME (&read_back));

      return values_equal (&widened, &read_back) || fail (why, "the value changed");
    }

  /* Everything else is described, or an empty maybe when NULL. */
  if (g_value_peek_pointer (expected) == NULL)
    return is_nothing (got, G_VARIANT_TYPE ("ms")) || fail (why, "a NULL %s is not an empty ms", G_VALUE_TYPE_NAME (expected));

  if (!g_variant_is_of_type (got, G_VARIANT_TYPE_STRING))
    return fail (why, "a %s is not described by a string", G_VALUE_TYPE_NAME (expected));

  /* An object is the very one set; a boxed value is the machine's copy,
   * wherever that lives. */
  if (G_VALUE_HOLDS_OBJECT (expected))
    {
      g_autofree char *description = g_strdup_printf ("<%s at %p>",
                                                      G_OBJECT_TYPE_NAME (g_value_get_object (expected)),
                                                      g_value_get_object (expected));

      return g_str_equal (g_variant_get_string (got, NULL), description) ||
             fail (why, "an object is not described as %s", description);
    }
  else
    {
      g_autofree char *prefix = g_strdup_printf ("<%s at 0x", G_VALUE_TYPE_NAME (expected));
      const char *description = g_variant_get_string (got, NULL);

      return (g_str_has_prefix (description, prefix) && g_str_has_suffix (description, ">")) ||
             fail (why, "a %s is not described as %s...>", G_VALUE_TYPE_NAME (expected), prefix);
    }
}

/* The rule for reading a number as another numeric type, modelled apart
 * from the library: an integer is held exactly in a 128-bit integer, a
 * floating-point number as a double (valgrind runs long double as a
 * double, so it cannot be the exact type here). An integer type takes the
 * exact values of its range only, a floating-point type anything that
 * does not overflow. */
typedef struct
{
  gboolean floating;
  __int128 i;
  double   d;
} ModelNumber;

static gboolean
model_number (const GValue *value,
              ModelNumber  *n)
{
  n->floating = FALSE;
  n->d = 0;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_BOOLEAN: n->i = g_value_get_boolean (value) ? 1 : 0; return TRUE;
    case G_TYPE_CHAR: n->i = g_value_get_schar (value); return TRUE;
    case G_TYPE_UCHAR: n->i = g_value_get_uchar (value); return TRUE;
    case G_TYPE_INT: n->i = g_value_get_int (value); return TRUE;
    case G_TYPE_UINT: n->i = g_value_get_uint (value); return TRUE;
    case G_TYPE_LONG: n->i = g_value_get_long (value); return TRUE;
    case G_TYPE_ULONG: n->i = g_value_get_ulong (value); return TRUE;
    case G_TYPE_INT64: n->i = g_value_get_int64 (value); return TRUE;
    case G_TYPE_UINT64: n->i = g_value_get_uint64 (value); return TRUE;
    case G_TYPE_ENUM: n->i = g_value_get_enum (value); return TRUE;
    case G_TYPE_FLAGS: n->i = g_value_get_flags (value); return TRUE;
    case G_TYPE_FLOAT: n->floating = TRUE; n->d = g_value_get_float (value); return TRUE;
    case G_TYPE_DOUBLE: n->floating = TRUE; n->d = g_value_get_double (value); return TRUE;
    default: return FALSE;
    }
}

/* As an exact integer, if it is one that a 64-bit type could hold. */
static gboolean
model_integer (const ModelNumber *n,
               __int128          *i)
{
  if (!n->floating)
    {
      *i = n->i;
      return TRUE;
    }

  if (!isfinite (n->d) || floor (n->d) != n->d || n->d < -9223372036854775808.0 || n->d >= 18446744073709551616.0)
    return FALSE;

  *i = (__int128) n->d;
  return TRUE;
}

/* Fills @expected (initialized) as the rule says; FALSE if it refuses.
 * An enum or flags value is made only from a plain number that names
 * one of its members. */
static gboolean
model_number_conversion (const GValue      *from,
                         const ModelNumber *n,
                         GValue            *expected)
{
  gboolean from_enum = G_VALUE_HOLDS_ENUM (from) || G_VALUE_HOLDS_FLAGS (from);
  __int128 i = 0;
  gboolean integral = model_integer (n, &i);

  if (G_VALUE_HOLDS_ENUM (expected))
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (G_VALUE_TYPE (expected));

      if (from_enum || !integral || i < G_MININT || i > G_MAXINT ||
          g_enum_get_value (enum_class, (gint) i) == NULL)
        return FALSE;
      g_value_set_enum (expected, (gint) i);
      return TRUE;
    }

  if (G_VALUE_HOLDS_FLAGS (expected))
    {
      g_autoptr(GFlagsClass) flags_class = g_type_class_ref (G_VALUE_TYPE (expected));

      if (from_enum || !integral || i < 0 || i > G_MAXUINT || ((guint) i & ~flags_class->mask) != 0)
        return FALSE;
      g_value_set_flags (expected, (guint) i);
      return TRUE;
    }

#define INTEGER_CASE(fundamental, setter, ctype, lo, hi) \
    case fundamental: \
      if (!integral || i < (__int128) (lo) || i > (__int128) (hi)) \
        return FALSE; \
      setter (expected, (ctype) i); \
      return TRUE;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (expected)))
    {
    INTEGER_CASE (G_TYPE_BOOLEAN, g_value_set_boolean, gboolean, 0, 1)
    INTEGER_CASE (G_TYPE_CHAR, g_value_set_schar, gint8, G_MININT8, G_MAXINT8)
    INTEGER_CASE (G_TYPE_UCHAR, g_value_set_uchar, guchar, 0, G_MAXUINT8)
    INTEGER_CASE (G_TYPE_INT, g_value_set_int, gint, G_MININT, G_MAXINT)
    INTEGER_CASE (G_TYPE_UINT, g_value_set_uint, guint, 0, G_MAXUINT)
    INTEGER_CASE (G_TYPE_LONG, g_value_set_long, glong, G_MINLONG, G_MAXLONG)
    INTEGER_CASE (G_TYPE_ULONG, g_value_set_ulong, gulong, 0, G_MAXULONG)
    INTEGER_CASE (G_TYPE_INT64, g_value_set_int64, gint64, G_MININT64, G_MAXINT64)
    INTEGER_CASE (G_TYPE_UINT64, g_value_set_uint64, guint64, 0, G_MAXUINT64)
    case G_TYPE_FLOAT:
      if (n->floating && isfinite (n->d) && fabs (n->d) > FLT_MAX)
        return FALSE;
      g_value_set_float (expected, n->floating ? (float) n->d : (float) n->i);
      return TRUE;
    case G_TYPE_DOUBLE:
      g_value_set_double (expected, n->floating ? n->d : (double) n->i);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
#undef INTEGER_CASE
}

static gboolean
is_plain_number_type (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR: case G_TYPE_UCHAR: case G_TYPE_INT: case G_TYPE_UINT:
    case G_TYPE_LONG: case G_TYPE_ULONG: case G_TYPE_INT64: case G_TYPE_UINT64:
    case G_TYPE_FLOAT: case G_TYPE_DOUBLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A number read as a string must read back as the same number. */
gboolean
model_number_text_matches (const GValue *number,
                           const char   *text)
{
  ModelNumber n;
  char *end = NULL;

  if (text == NULL || !model_number (number, &n))
    return FALSE;

  if (n.floating)
    {
      double back = g_ascii_strtod (text, &end);

      if (*end != '\0')
        return FALSE;
      if (isnan (n.d))
        return isnan (back);
      return G_VALUE_HOLDS_FLOAT (number) ? (float) back == (float) n.d : back == n.d;
    }

  if (n.i < 0)
    return g_ascii_strtoll (text, &end, 10) == (gint64) n.i && *end == '\0';

  return g_ascii_strtoull (text, &end, 10) == (guint64) n.i && *end == '\0' && text[0] != '-';
}

ModelConversion
model_conversion (const GValue *stored,
                  GValue       *expected)
{
  ModelNumber n, unused;

  if (G_VALUE_TYPE (stored) == G_VALUE_TYPE (expected))
    {
      g_value_copy (stored, expected);
      return MODEL_VALUE;
    }

  if (model_number (stored, &n) && model_number (expected, &unused))
    return model_number_conversion (stored, &n, expected) ? MODEL_VALUE : MODEL_REFUSED;

  if (is_plain_number_type (G_VALUE_TYPE (stored)) && G_VALUE_HOLDS_STRING (expected))
    return MODEL_NUMBER_TEXT;

  /* Not numbers: as GLib converts them, but an object never becomes a
   * class it does not belong to. */
  if (!g_value_type_transformable (G_VALUE_TYPE (stored), G_VALUE_TYPE (expected)) ||
      !g_value_transform (stored, expected))
    return MODEL_REFUSED;
  if (G_VALUE_HOLDS_OBJECT (stored) && g_value_get_object (stored) != NULL &&
      g_value_get_object (expected) == NULL)
    return MODEL_REFUSED;

  return MODEL_VALUE;
}
