/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight_pokies_get_attr() into an initialized GValue: numbers convert
 * without loss or fail with FLYWEIGHT_ERROR_INVALID_VALUE, leaving the
 * value as it was. One row per case. */

#include <math.h>
#include <string.h>

#include <flyweight.h>

typedef struct
{
  GType       from;
  const char *stored;     /* the attribute, as text of type @from */
  GType       to;
  const char *expected;   /* the result, as text of type @to; NULL: refused */
} Conversion;

#define REFUSED NULL

static const Conversion conversions[] = {
  /* Integers out of range. */
  { G_TYPE_INT64,   "1099511627776",        G_TYPE_INT,     REFUSED },
  { G_TYPE_INT64,   "1099511627776",        G_TYPE_UINT,    REFUSED },
  { G_TYPE_INT64,   "1099511627776",        G_TYPE_UINT64,  "1099511627776" },
  { G_TYPE_INT64,   "1099511627776",        G_TYPE_DOUBLE,  "1099511627776" },
  { G_TYPE_INT,     "-1",                   G_TYPE_UINT,    REFUSED },
  { G_TYPE_INT,     "-1",                   G_TYPE_UINT64,  REFUSED },
  { G_TYPE_INT,     "-1",                   G_TYPE_ULONG,   REFUSED },
  { G_TYPE_INT,     "-1",                   G_TYPE_UCHAR,   REFUSED },
  { G_TYPE_INT,     "-1",                   G_TYPE_CHAR,    "-1" },
  { G_TYPE_INT,     "-1",                   G_TYPE_INT64,   "-1" },
  { G_TYPE_INT,     "127",                  G_TYPE_CHAR,    "127" },
  { G_TYPE_INT,     "128",                  G_TYPE_CHAR,    REFUSED },
  { G_TYPE_INT,     "-129",                 G_TYPE_CHAR,    REFUSED },
  { G_TYPE_INT,     "255",                  G_TYPE_UCHAR,   "255" },
  { G_TYPE_INT,     "256",                  G_TYPE_UCHAR,   REFUSED },
  { G_TYPE_UINT,    "4294967295",           G_TYPE_INT,     REFUSED },
  { G_TYPE_UINT,    "4294967295",           G_TYPE_INT64,   "4294967295" },
  { G_TYPE_UINT64,  "18446744073709551615", G_TYPE_INT64,   REFUSED },
  { G_TYPE_UINT64,  "9223372036854775807",  G_TYPE_INT64,   "9223372036854775807" },
  { G_TYPE_INT64,   "-9223372036854775808", G_TYPE_UINT64,  REFUSED },
  { G_TYPE_LONG,    "-1",                   G_TYPE_ULONG,   REFUSED },

  /* Floating point to integers: exact values only. */
  { G_TYPE_DOUBLE,  "1e300",                G_TYPE_INT,     REFUSED },
  { G_TYPE_DOUBLE,  "1e300",                G_TYPE_INT64,   REFUSED },
  { G_TYPE_DOUBLE,  "nan",                  G_TYPE_UINT64,  REFUSED },
  { G_TYPE_DOUBLE,  "nan",                  G_TYPE_INT,     REFUSED },
  { G_TYPE_DOUBLE,  "-inf",                 G_TYPE_UINT,    REFUSED },
  { G_TYPE_DOUBLE,  "inf",                  G_TYPE_INT64,   REFUSED },
  { G_TYPE_DOUBLE,  "2.5",                  G_TYPE_INT,     REFUSED },
  { G_TYPE_DOUBLE,  "-0.5",                 G_TYPE_INT,     REFUSED },
  { G_TYPE_DOUBLE,  "2",                    G_TYPE_INT,     "2" },
  { G_TYPE_DOUBLE,  "-0",                   G_TYPE_UINT,    "0" },
  { G_TYPE_DOUBLE,  "-2",                   G_TYPE_UINT,    REFUSED },
  { G_TYPE_DOUBLE,  "9223372036854775808",  G_TYPE_INT64,   REFUSED },
  { G_TYPE_DOUBLE,  "9223372036854775808",  G_TYPE_UINT64,  "9223372036854775808" },
  { G_TYPE_DOUBLE,  "-9223372036854775808", G_TYPE_INT64,   "-9223372036854775808" },
  { G_TYPE_DOUBLE,  "18446744073709551616", G_TYPE_UINT64,  REFUSED },
  { G_TYPE_DOUBLE,  "2147483647",           G_TYPE_INT,     "2147483647" },
  { G_TYPE_DOUBLE,  "2147483648",           G_TYPE_INT,     REFUSED },
  { G_TYPE_FLOAT,   "16777216",             G_TYPE_INT,     "16777216" },
  { G_TYPE_FLOAT,   "0.5",                  G_TYPE_UCHAR,   REFUSED },

  /* Booleans are the integers 0 and 1. */
  { G_TYPE_INT,     "0",                    G_TYPE_BOOLEAN, "0" },
  { G_TYPE_INT,     "1",                    G_TYPE_BOOLEAN, "1" },
  { G_TYPE_INT,     "2",                    G_TYPE_BOOLEAN, REFUSED },
  { G_TYPE_INT,     "-1",                   G_TYPE_BOOLEAN, REFUSED },
  { G_TYPE_DOUBLE,  "1",                    G_TYPE_BOOLEAN, "1" },
  { G_TYPE_DOUBLE,  "0.5",                  G_TYPE_BOOLEAN, REFUSED },
  { G_TYPE_BOOLEAN, "1",                    G_TYPE_INT,     "1" },
  { G_TYPE_BOOLEAN, "1",                    G_TYPE_DOUBLE,  "1" },

  /* Into floating point: rounded, never overflowing. */
  { G_TYPE_DOUBLE,  "nan",                  G_TYPE_FLOAT,   "nan" },
  { G_TYPE_DOUBLE,  "-inf",                 G_TYPE_FLOAT,   "-inf" },
  { G_TYPE_DOUBLE,  "1e300",                G_TYPE_FLOAT,   REFUSED },
  { G_TYPE_DOUBLE,  "-3.5e38",              G_TYPE_FLOAT,   REFUSED },
  { G_TYPE_DOUBLE,  "3.4e38",               G_TYPE_FLOAT,   "3.4e38" },
  { G_TYPE_DOUBLE,  "0.1",                  G_TYPE_FLOAT,   "0.1" },
  { G_TYPE_FLOAT,   "3.4e38",               G_TYPE_DOUBLE,  "3.3999999521443642e38" },
  { G_TYPE_INT64,   "9007199254740993",     G_TYPE_DOUBLE,  "9007199254740992" },
  { G_TYPE_INT64,   "16777217",             G_TYPE_FLOAT,   "16777216" },
  { G_TYPE_UINT64,  "18446744073709551615", G_TYPE_FLOAT,   "18446744073709551616" },

  /* Into text: the shortest digits that read back, in the C locale. */
  { G_TYPE_DOUBLE,  "1e-10",                G_TYPE_STRING,  "1e-10" },
  { G_TYPE_DOUBLE,  "0.1",                  G_TYPE_STRING,  "0.1" },
  { G_TYPE_DOUBLE,  "1.5",                  G_TYPE_STRING,  "1.5" },
  { G_TYPE_DOUBLE,  "1e300",                G_TYPE_STRING,  "1e+300" },
  { G_TYPE_DOUBLE,  "-inf",                 G_TYPE_STRING,  "-inf" },
  { G_TYPE_DOUBLE,  "nan",                  G_TYPE_STRING,  "nan" },
  { G_TYPE_FLOAT,   "0.1",                  G_TYPE_STRING,  "0.1" },
  { G_TYPE_INT,     "-7",                   G_TYPE_STRING,  "-7" },
  { G_TYPE_UINT64,  "18446744073709551615", G_TYPE_STRING,  "18446744073709551615" },
  { G_TYPE_CHAR,    "-5",                   G_TYPE_STRING,  "-5" },
  { G_TYPE_BOOLEAN, "1",                    G_TYPE_STRING,  "TRUE" },

  /* Not numbers: as GLib converts them, or refused. */
  { G_TYPE_STRING,  "12",                   G_TYPE_INT,     REFUSED },
  { G_TYPE_STRING,  "12",                   G_TYPE_DOUBLE,  REFUSED },
};

/* Enums and flags read as the integers they hold; no integer becomes one. */
static const Conversion enum_conversions[] = {
  { 0, "2", G_TYPE_INT,    "2" },
  { 0, "2", G_TYPE_UINT,   "2" },
  { 0, "2", G_TYPE_DOUBLE, "2" },
  { 0, "2", G_TYPE_STRING, "FLYWEIGHT_ERROR_READ_ONLY" },
};

static void
value_from_text (GValue     *value,
                 GType       type,
                 const char *text)
{
  g_value_init (value, type);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN: g_value_set_boolean (value, g_ascii_strtoll (text, NULL, 10) != 0); break;
    case G_TYPE_CHAR: g_value_set_schar (value, (gint8) g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UCHAR: g_value_set_uchar (value, (guchar) g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_INT: g_value_set_int (value, (gint) g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UINT: g_value_set_uint (value, (guint) g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_LONG: g_value_set_long (value, (glong) g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_ULONG: g_value_set_ulong (value, (gulong) g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_INT64: g_value_set_int64 (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UINT64: g_value_set_uint64 (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_FLOAT: g_value_set_float (value, (gfloat) g_ascii_strtod (text, NULL)); break;
    case G_TYPE_DOUBLE: g_value_set_double (value, g_ascii_strtod (text, NULL)); break;
    case G_TYPE_ENUM: g_value_set_enum (value, (gint) g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_STRING: g_value_set_string (value, text); break;
    default: g_assert_not_reached ();
    }
}

/* Equal as values: NaN equals NaN, and floats compare as their own type. */
static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  g_assert_cmpstr (G_VALUE_TYPE_NAME (a), ==, G_VALUE_TYPE_NAME (b));

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (a)))
    {
    case G_TYPE_BOOLEAN: return g_value_get_boolean (a) == g_value_get_boolean (b);
    case G_TYPE_CHAR: return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR: return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_INT: return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT: return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_LONG: return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG: return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_INT64: return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64: return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_FLOAT:
      return (isnan (g_value_get_float (a)) && isnan (g_value_get_float (b))) ||
             g_value_get_float (a) == g_value_get_float (b);
    case G_TYPE_DOUBLE:
      return (isnan (g_value_get_double (a)) && isnan (g_value_get_double (b))) ||
             g_value_get_double (a) == g_value_get_double (b);
    case G_TYPE_STRING: return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    default: g_assert_not_reached ();
    }
}

/* A value of @type that no conversion would produce by accident. */
static void
sentinel_of (GValue *value,
             GType   type)
{
  value_from_text (value, type, type == G_TYPE_STRING ? "sentinel" : "42");
}

static void
check_conversion (const Conversion *row,
                  GType             from)
{
  g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) stored = G_VALUE_INIT;
  g_auto(GValue) read = G_VALUE_INIT;
  g_auto(GValue) sentinel = G_VALUE_INIT;
  gboolean ok;

  value_from_text (&stored, from, row->stored);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machine), "value", &stored, &error));
  g_assert_no_error (error);

  sentinel_of (&sentinel, row->to);
  sentinel_of (&read, row->to);
  ok = flyweight_pokies_get_attr (FLYWEIGHT_POKIES (machine), "value", &read, &error);

  g_test_message ("%s %s as %s: %s", g_type_name (from), row->stored, g_type_name (row->to),
                  ok ? "converted" : "refused");

  if (row->expected == REFUSED)
    {
      g_assert_false (ok);
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, g_type_name (row->to)));
      g_assert_true (values_equal (&read, &sentinel));
    }
  else
    {
      g_auto(GValue) expected = G_VALUE_INIT;

      g_assert_no_error (error);
      g_assert_true (ok);
      value_from_text (&expected, row->to, row->expected);
      if (!values_equal (&read, &expected))
        {
          g_autofree char *got = g_strdup_value_contents (&read);

          g_error ("%s %s as %s: expected %s, got %s", g_type_name (from), row->stored,
                   g_type_name (row->to), row->expected, got);
        }
    }
}

static void
test_conversion (gconstpointer data)
{
  const Conversion *row = data;

  check_conversion (row, row->from);
}

static void
test_enum_conversion (gconstpointer data)
{
  check_conversion (data, FLYWEIGHT_TYPE_ERROR);
}

/* An integer becomes an enum only if it names a member; an object never
 * becomes an unrelated class. */
static void
test_not_numbers (void)
{
  g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, NULL);
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (machine);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightRandom) random = flyweight_random_new (1);
  g_auto(GValue) object = G_VALUE_INIT;
  g_auto(GValue) as_enum = G_VALUE_INIT;
  g_auto(GValue) as_object = G_VALUE_INIT;

  /* 3 names a member of FlyweightError; 10 does not. */
  g_value_init (&as_enum, FLYWEIGHT_TYPE_ERROR);
  g_assert_true (flyweight_pokies_get_attr (pokies, "reels", &as_enum, &error));
  g_assert_cmpint (g_value_get_enum (&as_enum), ==, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_value_set_enum (&as_enum, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_false (flyweight_pokies_get_attr (pokies, "symbols", &as_enum, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_assert_cmpint (g_value_get_enum (&as_enum), ==, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);

  /* Nor is an enum of one type a value of another. */
  g_value_unset (&as_enum);
  g_value_init (&as_enum, G_TYPE_BINDING_FLAGS);
  g_value_set_flags (&as_enum, G_BINDING_SYNC_CREATE);
  g_value_init (&object, FLYWEIGHT_TYPE_ERROR);
  g_value_set_enum (&object, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_true (flyweight_pokies_set_attr (pokies, "code", &object, &error));
  g_assert_false (flyweight_pokies_get_attr (pokies, "code", &as_enum, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_assert_cmpuint (g_value_get_flags (&as_enum), ==, G_BINDING_SYNC_CREATE);
  g_clear_error (&error);
  g_value_unset (&object);

  /* An object reads as its own class or a parent, never as another. */
  g_value_init (&object, FLYWEIGHT_TYPE_RANDOM);
  g_value_set_object (&object, random);
  g_assert_true (flyweight_pokies_set_attr (pokies, "rng", &object, &error));
  g_value_init (&as_object, G_TYPE_OBJECT);
  g_assert_true (flyweight_pokies_get_attr (pokies, "rng", &as_object, &error));
  g_assert_true (g_value_get_object (&as_object) == (gpointer) random);
  g_value_unset (&as_object);
  g_value_init (&as_object, FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_assert_false (flyweight_pokies_get_attr (pokies, "rng", &as_object, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_assert_null (g_value_get_object (&as_object));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (conversions); i++)
    {
      const Conversion *row = &conversions[i];
      g_autofree char *path = g_strdup_printf ("/conversions/%s/%s/%s",
                                               g_type_name (row->from), row->stored,
                                               g_type_name (row->to));

      g_strdelimit (path + 1, "-+.", '_');
      g_test_add_data_func (path, row, test_conversion);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (enum_conversions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/conversions/enum/%s",
                                               g_type_name (enum_conversions[i].to));

      g_test_add_data_func (path, &enum_conversions[i], test_enum_conversion);
    }

  g_test_add_func ("/conversions/not-numbers", test_not_numbers);

  return g_test_run ();
}
