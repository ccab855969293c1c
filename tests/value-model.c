/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* How the tests that compare the library with a model see a value: exact
 * equality (same type, same contents, the same object, floating point
 * numbers bit for bit, so that -0.0 comes back as -0.0), and the form
 * get_dict() documents for it. */

#include <string.h>

#include "value-model.h"

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

/* What get_dict() documents for a value, or NULL for the kinds that
 * appear as a "<TypeName at 0x...>" description. */
GVariant *
expected_dict_variant (const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (value);

      return g_variant_new_strv (strv, strv != NULL ? -1 : 0);
    }
  if (type == G_TYPE_GTYPE)
    return g_value_get_gtype (value) == G_TYPE_INVALID
           ? g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL)
           : g_variant_new_string (g_type_name (g_value_get_gtype (value)));

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_INT: return g_variant_new_int32 (g_value_get_int (value));
    case G_TYPE_UINT: return g_variant_new_uint32 (g_value_get_uint (value));
    case G_TYPE_INT64: return g_variant_new_int64 (g_value_get_int64 (value));
    case G_TYPE_UINT64: return g_variant_new_uint64 (g_value_get_uint64 (value));
    case G_TYPE_LONG: return g_variant_new_int64 (g_value_get_long (value));
    case G_TYPE_ULONG: return g_variant_new_uint64 (g_value_get_ulong (value));
    case G_TYPE_BOOLEAN: return g_variant_new_boolean (g_value_get_boolean (value));
    case G_TYPE_CHAR: return g_variant_new_int16 (g_value_get_schar (value));
    case G_TYPE_UCHAR: return g_variant_new_byte (g_value_get_uchar (value));
    case G_TYPE_ENUM: return g_variant_new_int32 (g_value_get_enum (value));
    case G_TYPE_FLAGS: return g_variant_new_uint32 (g_value_get_flags (value));
    case G_TYPE_FLOAT: return g_variant_new_double (g_value_get_float (value));
    case G_TYPE_DOUBLE: return g_variant_new_double (g_value_get_double (value));
    case G_TYPE_STRING:
      if (g_value_get_string (value) == NULL)
        return g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);
      return g_variant_new_string (g_value_get_string (value));
    case G_TYPE_VARIANT:
      if (g_value_get_variant (value) == NULL)
        return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
      return g_variant_new_variant (g_value_get_variant (value));
    default:
      if (g_value_peek_pointer (value) == NULL)
        return g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL);
      return NULL;
    }
}
