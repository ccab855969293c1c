/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The hostile-user table, tests/bad-inputs.txt, run from C: every row must
 * fail with the error it names (or succeed harmlessly), leave the machine
 * exactly as it was, and leave it working. The Python and JavaScript
 * runners read the same table; the rows only C can express (typed reads,
 * NULL arguments) run here only. */

#include <string.h>

#include <flyweight.h>

#define MAX_MESSAGE_BYTES 1024
#define STILL_WORKS_NAME "still_works"

typedef struct
{
  guint line;
  char *id;
  char *target;
  char *operation;
  char *name;
  char *value;
  char *expected;
  char *todo;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->id);
  g_free (row->target);
  g_free (row->operation);
  g_free (row->name);
  g_free (row->value);
  g_free (row->expected);
  g_free (row->todo);
  g_free (row);
}

/* ------------------------------------------------------------ table */

static int
hex_digit (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* Undoes the C escapes of a table field. NUL is refused: C strings could
 * not carry the rest of the name, so C and the bindings would disagree. */
static char *
unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }

      p++;
      switch (*p)
        {
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case '\\':
          g_string_append_c (out, '\\');
          break;
        case 'x':
          {
            int high = hex_digit (p[1]);
            int low = high >= 0 ? hex_digit (p[2]) : -1;

            if (low < 0 || (high == 0 && low == 0))
              g_error ("bad-inputs.txt: bad escape in “%s”", text);
            g_string_append_c (out, (char) (high * 16 + low));
            p += 2;
          }
          break;
        default:
          g_error ("bad-inputs.txt: bad escape in “%s”", text);
        }
    }

  return g_string_free (out, FALSE);
}

static char *
repeat (const char *unit,
        guint       count)
{
  GString *out = g_string_sized_new (strlen (unit) * count);

  for (guint i = 0; i < count; i++)
    g_string_append (out, unit);

  return g_string_free (out, FALSE);
}

/* Turns the name column into the bytes the call receives; NULL for
 * "@NULL" and for "-" (not used). */
static char *
decode_name (const char *field)
{
  if (strcmp (field, "-") == 0 || strcmp (field, "@NULL") == 0)
    return NULL;
  if (strcmp (field, "@EMPTY") == 0)
    return g_strdup ("");
  if (strcmp (field, "@256") == 0)
    return repeat ("a", 256);
  if (strcmp (field, "@1MB") == 0)
    return repeat ("a", 1048576);
  if (g_str_has_prefix (field, "@REPEAT:"))
    {
      g_auto(GStrv) parts = g_strsplit (field + strlen ("@REPEAT:"), ":", 2);
      g_autofree char *unit = NULL;
      guint64 count;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_assert_true (g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT, &count, NULL));
      unit = unescape (parts[1]);
      return repeat (unit, (guint) count);
    }
  if (field[0] == '@')
    g_error ("bad-inputs.txt: unknown name token “%s”", field);

  return unescape (field);
}

static GPtrArray *
load_table (void)
{
  /* Test cases are registered from the rows, before any case runs, when
   * g_test_get_filename() is not yet allowed. */
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "bad-inputs.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("Cannot read the table: %s", error->message);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint n_fields;
      Row *row;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;

      fields = g_strsplit (lines[i], "\t", -1);
      n_fields = g_strv_length (fields);
      if (n_fields != 6 && n_fields != 7)
        g_error ("%s:%u: expected 6 or 7 tab-separated fields, found %u",
                 path, i + 1, n_fields);

      row = g_new0 (Row, 1);
      row->line = i + 1;
      row->id = g_strdup (fields[0]);
      row->target = g_strdup (fields[1]);
      row->operation = g_strdup (fields[2]);
      row->name = g_strdup (fields[3]);
      row->value = g_strdup (fields[4]);
      row->expected = g_strdup (fields[5]);
      if (n_fields == 7)
        {
          if (!g_str_has_prefix (fields[6], "todo:"))
            g_error ("%s:%u: the seventh field must start with “todo:”", path, i + 1);
          row->todo = g_strdup (fields[6] + strlen ("todo:"));
        }
      g_ptr_array_add (rows, row);
    }

  return rows;
}

static GPtrArray *table;

static void
test_table (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (table->len, >=, 35);
  for (guint i = 0; i < table->len; i++)
    {
      Row *row = g_ptr_array_index (table, i);

      if (!g_hash_table_add (ids, row->id))
        g_error ("bad-inputs.txt:%u: duplicate id “%s”", row->line, row->id);
    }
}

/* ------------------------------------------------------------ values */

/* Stand-ins for the boxed types gjs and PyGObject register for their own
 * objects: the library knows them by name only. */
static int foreign_object;

static gpointer
foreign_copy (gpointer boxed)
{
  return boxed;
}

static void
foreign_free (gpointer boxed)
{
}

static GType
foreign_type (const char *binding)
{
  const char *name = strcmp (binding, "js") == 0 ? "JSObject" :
                     strcmp (binding, "python") == 0 ? "PyObject" : NULL;
  GType type;

  if (name == NULL)
    g_error ("bad-inputs.txt: unknown foreign value “%s”", binding);

  type = g_type_from_name (name);
  if (type == G_TYPE_INVALID)
    type = g_boxed_type_register_static (name, foreign_copy, foreign_free);

  return type;
}

/* Fills @value from a value column; returns FALSE for "@NULL", where the
 * call receives no GValue at all. */
static gboolean
make_value (const char *spec,
            GValue     *value)
{
  const char *colon = strchr (spec, ':');
  g_autofree char *kind = NULL;
  const char *arg;

  if (strcmp (spec, "@NULL") == 0)
    return FALSE;

  g_assert_nonnull (colon);
  kind = g_strndup (spec, colon - spec);
  arg = colon + 1;

  if (strcmp (kind, "string") == 0)
    {
      g_autofree char *text = unescape (arg);

      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, text);
    }
  else if (strcmp (kind, "int") == 0)
    {
      gint64 number;

      g_assert_true (g_ascii_string_to_signed (arg, 10, G_MININT, G_MAXINT, &number, NULL));
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (int) number);
    }
  else if (strcmp (kind, "uint") == 0)
    {
      guint64 number;

      g_assert_true (g_ascii_string_to_unsigned (arg, 10, 0, G_MAXUINT, &number, NULL));
      g_value_init (value, G_TYPE_UINT);
      g_value_set_uint (value, (guint) number);
    }
  else if (strcmp (kind, "int64") == 0)
    {
      gint64 number;

      g_assert_true (g_ascii_string_to_signed (arg, 10, G_MININT64, G_MAXINT64, &number, NULL));
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, number);
    }
  else if (strcmp (kind, "uint64") == 0)
    {
      guint64 number;

      g_assert_true (g_ascii_string_to_unsigned (arg, 10, 0, G_MAXUINT64, &number, NULL));
      g_value_init (value, G_TYPE_UINT64);
      g_value_set_uint64 (value, number);
    }
  else if (strcmp (kind, "foreign") == 0)
    {
      g_value_init (value, foreign_type (arg));
      g_value_set_static_boxed (value, &foreign_object);
    }
  else if (strcmp (kind, "double") == 0)
    {
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, g_ascii_strtod (arg, NULL));
    }
  else if (strcmp (kind, "object") == 0 && strcmp (arg, "random") == 0)
    {
      g_value_init (value, FLYWEIGHT_TYPE_RANDOM);
      g_value_take_object (value, flyweight_random_new (42));
    }
  else if (strcmp (kind, "typed") == 0)
    {
      GType type = g_type_from_name (arg);

      if (type == G_TYPE_INVALID)
        g_error ("bad-inputs.txt: unknown type “%s”", arg);
      g_value_init (value, type);
    }
  else if (strcmp (kind, "pointer") == 0 && strcmp (arg, "null") == 0)
    {
      g_value_init (value, G_TYPE_POINTER);
      g_value_set_pointer (value, NULL);
    }
  else if (strcmp (kind, "unset") == 0)
    {
      /* Left as G_VALUE_INIT: a GValue with no type. */
    }
  else
    g_error ("bad-inputs.txt: unknown value “%s”", spec);

  return TRUE;
}

/* Reads reels:N, symbols:N or dims:RxS; the missing half is the default. */
static void
parse_dims (const char *spec,
            guint      *reels,
            guint      *symbols)
{
  guint64 r = 3, s = 10;

  if (g_str_has_prefix (spec, "reels:"))
    g_assert_true (g_ascii_string_to_unsigned (spec + 6, 10, 0, G_MAXUINT, &r, NULL));
  else if (g_str_has_prefix (spec, "symbols:"))
    g_assert_true (g_ascii_string_to_unsigned (spec + 8, 10, 0, G_MAXUINT, &s, NULL));
  else if (g_str_has_prefix (spec, "dims:"))
    {
      g_auto(GStrv) parts = g_strsplit (spec + 5, "x", 2);

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_assert_true (g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT, &r, NULL));
      g_assert_true (g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &s, NULL));
    }
  else if (strcmp (spec, "-") != 0)
    g_error ("bad-inputs.txt: unknown dimensions “%s”", spec);

  *reels = (guint) r;
  *symbols = (guint) s;
}

/* ------------------------------------------------------------ machines */

static void
set_checked (FlyweightPokies *machine,
             const char      *name,
             const GValue    *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (flyweight_pokies_set_attr (machine, name, value, &error));
  g_assert_no_error (error);
}

/* The subject of a row: a Dynamic carries a few attributes of different
 * kinds, so that "unchanged" means more than two numbers. */
static FlyweightPokies *
new_subject (const char *kind,
             guint       reels,
             guint       symbols)
{
  g_autoptr(GError) error = NULL;
  FlyweightPokies *machine;

  if (strcmp (kind, "dynamic") == 0)
    {
      g_auto(GValue) owner = G_VALUE_INIT;
      g_auto(GValue) lucky = G_VALUE_INIT;
      g_auto(GValue) rng = G_VALUE_INIT;

      machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, &error));
      g_assert_no_error (error);

      g_value_init (&owner, G_TYPE_STRING);
      g_value_set_string (&owner, "Aristocrat");
      set_checked (machine, "owner", &owner);
      g_value_init (&lucky, G_TYPE_INT);
      g_value_set_int (&lucky, 7);
      set_checked (machine, "lucky", &lucky);
      g_value_init (&rng, FLYWEIGHT_TYPE_RANDOM);
      g_value_take_object (&rng, flyweight_random_new (1));
      set_checked (machine, "rng", &rng);
    }
  else
    {
      machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, &error));
      g_assert_no_error (error);
    }

  g_assert_nonnull (machine);

  return machine;
}

/* Everything observable about a machine, as one string. */
static char *
snapshot (FlyweightPokies *machine)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (machine);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%u×%u;", flyweight_pokies_get_reels (machine),
                          flyweight_pokies_get_symbols (machine));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *contents = NULL;

      g_assert_true (flyweight_pokies_get_attr (machine, names[i], &value, &error));
      g_assert_no_error (error);
      contents = g_strdup_value_contents (&value);
      g_string_append_printf (out, "%s=%s:%s;", names[i], G_VALUE_TYPE_NAME (&value), contents);
    }

  if (FLYWEIGHT_IS_POKIES_DYNAMIC (machine))
    {
      g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
      g_autofree char *printed = g_variant_print (dict, TRUE);

      g_string_append (out, printed);
    }

  return g_string_free (out, FALSE);
}

static void
check_values (const guint *values,
              guint        n_values,
              guint        reels,
              guint        symbols)
{
  guint low = 0, high = 0;

  g_assert_nonnull (values);
  g_assert_cmpuint (n_values, ==, reels);
  for (guint i = 0; i < n_values; i++)
    {
      g_assert_cmpuint (values[i], >=, 1);
      g_assert_cmpuint (values[i], <=, symbols);
      if (values[i] > symbols / 2)
        high++;
      else
        low++;
    }

  /* With this many reels, missing either half of the range has a
   * probability below 2^-64: the draws really span all the symbols. */
  if (reels >= 64 && symbols >= 2)
    {
      g_assert_cmpuint (high, >, 0);
      g_assert_cmpuint (low, >, 0);
    }
}

static void
check_draws (FlyweightPokies *machine)
{
  guint reels = flyweight_pokies_get_reels (machine);
  guint symbols = flyweight_pokies_get_symbols (machine);
  g_autoptr(FlyweightRandom) first = flyweight_random_new (20130405);
  g_autoptr(FlyweightRandom) second = flyweight_random_new (20130405);
  g_autofree guint *values = NULL;
  g_autofree guint *seeded = NULL;
  g_autofree guint *again = NULL;
  guint n_values = 0, n_seeded = 0, n_again = 0;

  values = flyweight_pokies_draw (machine, &n_values);
  check_values (values, n_values, reels, symbols);

  seeded = flyweight_pokies_draw_with (machine, first, &n_seeded);
  check_values (seeded, n_seeded, reels, symbols);
  again = flyweight_pokies_draw_with (machine, second, &n_again);
  g_assert_cmpmem (seeded, n_seeded * sizeof (guint), again, n_again * sizeof (guint));
}

static void
count_cb (FlyweightPokiesDynamic *machine,
          const char             *name,
          guint                  *count)
{
  (*count)++;
}

/* After a row: draws still come out right, and attributes still come and
 * go (a Dynamic) or are still refused (a Slotted). */
static void
check_still_works (FlyweightPokies *machine,
                   guint           *signal_count)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) read = G_VALUE_INIT;

  check_draws (machine);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "still working");

  if (FLYWEIGHT_IS_POKIES_DYNAMIC (machine))
    {
      g_assert_false (flyweight_pokies_has_attr (machine, STILL_WORKS_NAME));
      set_checked (machine, STILL_WORKS_NAME, &value);
      g_assert_true (flyweight_pokies_has_attr (machine, STILL_WORKS_NAME));
      g_assert_true (flyweight_pokies_get_attr (machine, STILL_WORKS_NAME, &read, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (g_value_get_string (&read), ==, "still working");
      g_assert_true (flyweight_pokies_del_attr (machine, STILL_WORKS_NAME, &error));
      g_assert_no_error (error);
      g_assert_false (flyweight_pokies_has_attr (machine, STILL_WORKS_NAME));
      g_assert_cmpuint (*signal_count, ==, 2);
    }
  else
    {
      g_assert_true (flyweight_pokies_get_attr (machine, "reels", &read, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_value_get_uint (&read), ==, flyweight_pokies_get_reels (machine));
      g_assert_false (flyweight_pokies_set_attr (machine, STILL_WORKS_NAME, &value, &error));
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
    }
}

/* ------------------------------------------------------------ checks */

static int
expected_code (const Row *row)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (FLYWEIGHT_TYPE_ERROR);
  GEnumValue *value = g_enum_get_value_by_nick (klass, row->expected);

  if (value == NULL)
    g_error ("bad-inputs.txt:%u: “%s” expects an error, not “%s”",
             row->line, row->operation, row->expected);

  return value->value;
}

/* A message a user can read: short, UTF-8, nothing that moves a cursor,
 * changes colours or reorders text. */
static void
check_message (const char *message)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  gsize length = strlen (message);

  if (length == 0)
    g_string_append (problems, "empty message; ");
  if (length > MAX_MESSAGE_BYTES)
    g_string_append_printf (problems, "message of %" G_GSIZE_FORMAT " bytes; ", length);
  if (!g_utf8_validate (message, -1, NULL))
    g_string_append (problems, "message is not UTF-8; ");
  else
    {
      for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
        {
          GUnicodeType type = g_unichar_type (g_utf8_get_char (p));

          if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)
            {
              g_string_append_printf (problems, "message has U+%04X at byte %d; ",
                                      g_utf8_get_char (p), (int) (p - message));
              break;
            }
        }
    }

  g_assert_cmpstr (problems->str, ==, "");
}

static void
check_error (const Row    *row,
             const GError *error,
             const char   *name)
{
  int code = expected_code (row);

  g_assert_error (error, FLYWEIGHT_ERROR, code);
  check_message (error->message);

  /* These two name an attribute that passed the naming rule: say which. */
  if (code == FLYWEIGHT_ERROR_NO_ATTRIBUTE || code == FLYWEIGHT_ERROR_READ_ONLY)
    g_assert_nonnull (strstr (error->message, name));
}

static void
expect (const Row  *row,
        const char *wanted)
{
  if (strcmp (row->expected, wanted) != 0)
    g_error ("bad-inputs.txt:%u: “%s” can only expect “%s”", row->line, row->operation, wanted);
}

static void
run_weak_ref (const Row  *row,
              const char *kind)
{
  g_autoptr(FlyweightWeakRef) ref = NULL;
  g_autoptr(GObject) got = NULL;
  FlyweightPokies *object = new_subject (kind, 3, 10);

  expect (row, "none");
  ref = flyweight_weak_ref_new (G_OBJECT (object));

  if (strcmp (row->operation, "weakref_get_finalized") == 0)
    {
      g_assert_finalize_object (object);
      got = flyweight_weak_ref_get (ref);
    }
  else if (strcmp (row->operation, "weakref_copy_finalized") == 0)
    {
      g_autoptr(FlyweightWeakRef) copy = flyweight_weak_ref_copy (ref);

      g_assert_finalize_object (object);
      got = flyweight_weak_ref_get (copy);
      g_assert_null (got);
      got = flyweight_weak_ref_get (ref);
    }
  else if (strcmp (row->operation, "weakref_set_finalized") == 0)
    {
      FlyweightPokies *other = new_subject (kind, 3, 10);

      flyweight_weak_ref_set (ref, G_OBJECT (other));
      g_assert_finalize_object (other);
      got = flyweight_weak_ref_get (ref);
      /* The first object was let go, not kept alive by the reference. */
      g_assert_finalize_object (object);
    }
  else
    g_assert_not_reached ();

  g_assert_null (got);
}

/* Runs one row against @machine, a subject of @kind. */
static void
run_operation (const Row       *row,
               const char      *kind,
               FlyweightPokies *machine)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = decode_name (row->name);
  const char *op = row->operation;

  if (strcmp (op, "set") == 0)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_true (make_value (row->value, &value));
      g_assert_false (flyweight_pokies_set_attr (machine, name, &value, &error));
      check_error (row, error, name);
    }
  else if (strcmp (op, "get") == 0)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_false (flyweight_pokies_get_attr (machine, name, &value, &error));
      g_assert_false (G_IS_VALUE (&value));
      check_error (row, error, name);
    }
  else if (strcmp (op, "del") == 0)
    {
      g_assert_false (flyweight_pokies_del_attr (machine, name, &error));
      check_error (row, error, name);
    }
  else if (strcmp (op, "has") == 0)
    {
      expect (row, "false");
      g_assert_false (flyweight_pokies_has_attr (machine, name));
    }
  else if (strcmp (op, "get_value_typed") == 0)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      GType type;

      g_assert_true (make_value (row->value, &value));
      type = G_VALUE_TYPE (&value);
      before = g_strdup_value_contents (&value);
      g_assert_false (flyweight_pokies_get_attr (machine, name, &value, &error));
      check_error (row, error, name);

      /* The caller's GValue is left as it was. */
      g_assert_cmpstr (g_type_name (G_VALUE_TYPE (&value)), ==, g_type_name (type));
      after = g_strdup_value_contents (&value);
      g_assert_cmpstr (after, ==, before);
    }
  else if (strcmp (op, "convert") == 0)
    {
      g_autoptr(FlyweightPokiesDynamic) own = flyweight_pokies_dynamic_new (3, 10, NULL);
      g_auto(GStrv) parts = g_strsplit (row->value, ">", 2);
      g_auto(GValue) stored = G_VALUE_INIT;
      g_auto(GValue) read = G_VALUE_INIT;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      GType type;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_assert_true (make_value (parts[0], &stored));
      set_checked (FLYWEIGHT_POKIES (own), "value", &stored);
      type = g_type_from_name (parts[1]);
      if (type == G_TYPE_INVALID)
        g_error ("bad-inputs.txt:%u: unknown type “%s”", row->line, parts[1]);
      g_value_init (&read, type);
      before = g_strdup_value_contents (&read);
      g_assert_false (flyweight_pokies_get_attr (FLYWEIGHT_POKIES (own), "value", &read, &error));
      check_error (row, error, "value");
      after = g_strdup_value_contents (&read);
      g_assert_cmpstr (after, ==, before);
    }
  else if (strcmp (op, "validate") == 0)
    {
      g_assert_false (flyweight_attr_name_validate (name, &error));
      check_error (row, error, name);
    }
  else if (strcmp (op, "new_dynamic") == 0 || strcmp (op, "new_slotted") == 0)
    {
      g_autoptr(FlyweightPokies) made = NULL;
      guint reels, symbols;

      parse_dims (row->value, &reels, &symbols);
      if (strcmp (op, "new_dynamic") == 0)
        made = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, &error));
      else
        made = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, &error));
      g_assert_null (made);
      check_error (row, error, name);
    }
  else if (g_str_has_prefix (op, "weakref_"))
    {
      run_weak_ref (row, kind);
    }
  else if (strcmp (op, "draw") == 0 || strcmp (op, "draw_huge") == 0)
    {
      expect (row, "ok");
      check_draws (machine);
    }
  else
    g_error ("bad-inputs.txt:%u: unknown operation “%s”", row->line, op);
}

static void
run_checks (const Row *row)
{
  const char *both[] = { "dynamic", "slotted", NULL };
  const char *one[] = { row->target, NULL };
  const char * const *kinds;
  guint reels = 3, symbols = 10;

  if (strcmp (row->target, "any") == 0 || strcmp (row->target, "module") == 0)
    kinds = both;
  else if (strcmp (row->target, "dynamic") == 0 || strcmp (row->target, "slotted") == 0)
    kinds = one;
  else
    g_error ("bad-inputs.txt:%u: unknown target “%s”", row->line, row->target);

  if (g_str_has_prefix (row->operation, "draw"))
    parse_dims (row->value, &reels, &symbols);

  for (guint k = 0; kinds[k] != NULL; k++)
    {
      g_autoptr(FlyweightPokies) machine = new_subject (kinds[k], reels, symbols);
      g_autofree char *before = snapshot (machine);
      g_autofree char *after = NULL;
      guint signal_count = 0;

      if (FLYWEIGHT_IS_POKIES_DYNAMIC (machine))
        g_signal_connect (machine, "attr-changed", G_CALLBACK (count_cb), &signal_count);

      g_test_message ("%s on a %s machine", row->operation, kinds[k]);
      run_operation (row, kinds[k], machine);

      after = snapshot (machine);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (signal_count, ==, 0);

      check_still_works (machine, &signal_count);
    }
}

static void
run_row (gconstpointer data)
{
  const Row *row = data;

  /* A row marked todo documents a known defect: it runs in a child, whose
   * failure is expected, and whose success means the mark must go. */
  if (row->todo != NULL && !g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (g_test_trap_has_passed ())
        g_test_fail_printf ("row “%s” passes now: remove its todo mark", row->id);
      else
        g_test_incomplete (row->todo);
      return;
    }

  run_checks (row);
}

/* ------------------------------------------------------------ criticals */

static void
call_with_programmer_error (const Row *row)
{
  g_autoptr(FlyweightPokies) dynamic = new_subject ("dynamic", 3, 10);
  g_autoptr(FlyweightPokies) slotted = new_subject ("slotted", 3, 10);
  g_autoptr(FlyweightRandom) random = flyweight_random_new (1);
  g_autofree char *name = decode_name (row->name);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean has_value = FALSE;
  FlyweightPokies *self = dynamic;
  const char *op = row->operation;
  g_autoptr(GError) error = NULL;
  guint n_values;

  if (strcmp (row->value, "-") != 0)
    has_value = make_value (row->value, &value);

  if (strcmp (row->target, "c-critical-null-self") == 0)
    self = NULL;
  else if (strcmp (row->target, "c-critical-wrong-self") == 0)
    self = strcmp (op, "get_dict") == 0 ? slotted : (FlyweightPokies *) random;
  else if (strcmp (row->target, "c-critical") != 0)
    g_error ("bad-inputs.txt:%u: unknown target “%s”", row->line, row->target);

  if (strcmp (op, "set") == 0)
    flyweight_pokies_set_attr (self, name, has_value ? &value : NULL, &error);
  else if (strcmp (op, "get") == 0)
    g_assert_false (flyweight_pokies_get_attr (self, name, &value, &error));
  else if (strcmp (op, "del") == 0)
    flyweight_pokies_del_attr (self, name, &error);
  else if (strcmp (op, "has") == 0)
    flyweight_pokies_has_attr (self, name);
  else if (strcmp (op, "validate") == 0)
    flyweight_attr_name_validate (name, &error);
  else if (strcmp (op, "get_value_typed") == 0)
    flyweight_pokies_get_attr (self, name, has_value ? &value : NULL, &error);
  else if (strcmp (op, "list_attrs") == 0)
    g_assert_null (flyweight_pokies_list_attrs (self));
  else if (strcmp (op, "draw_null_n_values") == 0)
    g_assert_null (flyweight_pokies_draw (self, NULL));
  else if (strcmp (op, "draw_with_null_random") == 0)
    g_assert_null (flyweight_pokies_draw_with (self, NULL, &n_values));
  else if (strcmp (op, "get_dict") == 0)
    g_assert_null (flyweight_pokies_dynamic_get_dict ((FlyweightPokiesDynamic *) self));
  else
    g_error ("bad-inputs.txt:%u: unknown operation “%s”", row->line, op);
}

static void
run_critical_row (gconstpointer data)
{
  const Row *row = data;
  g_autofree char *pattern = NULL;

  g_assert_true (g_str_has_prefix (row->expected, "critical:"));

  if (g_test_subprocess ())
    {
      call_with_programmer_error (row);
      return;
    }

  /* The child aborts on the critical, which g_test_init() makes fatal. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  pattern = g_strdup_printf ("*CRITICAL*%s*", row->expected + strlen ("critical:"));
  g_test_trap_assert_stderr (pattern);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* typed:NAME looks types up by name: register the ones it may name. */
  g_type_ensure (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_type_ensure (FLYWEIGHT_TYPE_POKIES_DYNAMIC);
  g_type_ensure (FLYWEIGHT_TYPE_RANDOM);
  g_type_ensure (G_TYPE_STRV);
  g_type_ensure (FLYWEIGHT_TYPE_ERROR);

  table = load_table ();

  g_test_add_func ("/bad-inputs/table", test_table);
  for (guint i = 0; i < table->len; i++)
    {
      Row *row = g_ptr_array_index (table, i);
      g_autofree char *path = g_strdup_printf ("/bad-inputs/%s", row->id);

      if (g_str_has_prefix (row->target, "c-critical"))
        g_test_add_data_func (path, row, run_critical_row);
      else
        g_test_add_data_func (path, row, run_row);
    }

  status = g_test_run ();
  g_ptr_array_unref (table);

  return status;
}
