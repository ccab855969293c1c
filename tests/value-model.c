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
