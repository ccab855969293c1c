/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The attribute name rule: Unicode identifiers (UAX #31: XID_Start, then
 * XID_Continue) as Python and JavaScript have them, plus `-` after the
 * first character, `__` reserved and 255 bytes at most. */

#include <stdio.h>
#include <string.h>

#include <flyweight.h>

typedef struct
{
  const char *name;
  gboolean    valid;
  const char *why;   /* for a refused name: what the message must quote */
} Name;

static const Name names[] = {
  /* Not normalized: both forms of café are names, and two different ones. */
  { "caf\xc3\xa9", TRUE, NULL },
  { "cafe\xcc\x81", TRUE, NULL },
  /* Scripts written with combining marks. */
  { "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87", TRUE, NULL },      /* नमस्ते */
  { "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5", TRUE, NULL },      /* สวัสดี */
  { "\xe0\xae\xb5\xe0\xae\xa3\xe0\xae\x95\xe0\xaf\x8d\xe0\xae\x95\xe0\xae\xae\xe0\xaf\x8d", TRUE, NULL }, /* வணக்கம் */
  { "gr\xc3\xb6\xc3\x9f" "e", TRUE, NULL },
  { "\xe6\x89\x80\xe6\x9c\x89\xe8\x80\x85", TRUE, NULL },                                        /* 所有者 */
  { "\xc7\x85x", TRUE, NULL },                                    /* ǅ, a titlecase letter */
  { "\xe2\x85\xa0", TRUE, NULL },                                 /* Ⅰ, a letter number */
  { "x\xd9\xa3", TRUE, NULL },                                    /* x٣, an Arabic-Indic digit */
  { "a\xe2\x80\xbf" "b", TRUE, NULL },                            /* a‿b, connector punctuation */
  /* Other_ID_Start and Other_ID_Continue. */
  { "\xe2\x84\x98", TRUE, NULL },                                 /* ℘ */
  { "\xe2\x84\xae", TRUE, NULL },                                 /* ℮ */
  { "a\xc2\xb7" "b", TRUE, NULL },                                /* a·b */
  { "a\xe1\x8d\xa9", TRUE, NULL },                                /* a፩, an Ethiopic digit */
  /* The library's own rules. */
  { "a-b", TRUE, NULL },
  { "_", TRUE, NULL },
  { "_private", TRUE, NULL },
  { "-a", FALSE, "U+002D" },
  { "__dict__", FALSE, "__dict__" },
  /* Not identifiers. */
  { "x\xc2\xb2", FALSE, "U+00B2" },                               /* x², a superscript */
  { "\xc2\xb7" "a", FALSE, "U+00B7" },                            /* · only continues */
  { "\xcc\x81" "a", FALSE, "U+0301" },                            /* a mark cannot start */
  { "1st", FALSE, "U+0031" },
  { "a b", FALSE, "U+0020" },
  { "a\xe2\xb8\xaf" "b", FALSE, "U+2E2F" },                       /* Lm, but Pattern_Syntax */
  { "\xe0\xb8\xb3x", FALSE, "U+0E33" },                           /* ำ: XID_Continue only */
  { "x\xe0\xb8\xb3", TRUE, NULL },
  { "a\xcd\xba", FALSE, "U+037A" },                               /* ͺ: not XID at all */
  { "\xef\xbe\x9e", FALSE, "U+FF9E" },
  { "a\xef\xbe\x9e", TRUE, NULL },
  { "own\xe2\x80\x8d" "er", FALSE, "U+200D" },                    /* an invisible joiner */
  { "own\xe2\x80\x8b" "er", FALSE, "U+200B" },
  { "own\x1b[31mer", FALSE, "\\u{001B}" },
  { "\xf0\x9f\x8e\xb0", FALSE, "U+1F3B0" },                       /* 🎰 */
};

static void
test_examples (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = flyweight_attr_name_validate (names[i].name, &error);

      g_test_message ("%s: %s", names[i].name, valid ? "valid" : error->message);
      g_assert_cmpint (valid, ==, names[i].valid);
      if (valid)
        {
          g_assert_no_error (error);
          continue;
        }

      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
      g_assert_nonnull (strstr (error->message, names[i].why));
      /* The message states the rule. */
      if (names[i].why[0] == 'U')
        g_assert_true (strstr (error->message, "XID_Start") != NULL ||
                       strstr (error->message, "XID_Continue") != NULL);
    }
}

/* Composed and decomposed café are two attributes, as in Python. */
static void
test_not_normalized (void)
{
  g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, NULL);
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (machine);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GStrv) listed = NULL;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 1);
  g_assert_true (flyweight_pokies_set_attr (pokies, "caf\xc3\xa9", &value, &error));
  g_value_set_int (&value, 2);
  g_assert_true (flyweight_pokies_set_attr (pokies, "cafe\xcc\x81", &value, &error));
  g_assert_no_error (error);

  listed = flyweight_pokies_list_attrs (pokies);
  g_assert_cmpuint (g_strv_length (listed), ==, 4);
  g_value_unset (&value);
  g_assert_true (flyweight_pokies_get_attr (pokies, "caf\xc3\xa9", &value, &error));
  g_assert_cmpint (g_value_get_int (&value), ==, 1);
}

/* ---- every code point against the Unicode Character Database ---- */

static void
add_ranges (GHashTable *set,
            const char *contents,
            const char *property)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      char *comment = strchr (lines[i], '#');
      guint64 first, last;
      char *dots;

      if (comment != NULL)
        *comment = '\0';
      fields = g_strsplit (lines[i], ";", 2);
      if (fields[0] == NULL || fields[1] == NULL || strcmp (g_strstrip (fields[1]), property) != 0)
        continue;

      first = g_ascii_strtoull (fields[0], &dots, 16);
      last = g_str_has_prefix (dots, "..") ? g_ascii_strtoull (dots + 2, NULL, 16) : first;
      for (guint64 c = first; c <= last; c++)
        g_hash_table_add (set, GUINT_TO_POINTER ((guint) c));
    }
}

/* The code points whose general category this GLib and the file do not
 * agree on, as far as the identifier categories go: GLib implements
 * another version of Unicode there. */
static GHashTable *
version_skew (const char *unicode_data)
{
  static const struct { const char *code; GUnicodeType type; } categories[] = {
    { "Lu", G_UNICODE_UPPERCASE_LETTER }, { "Ll", G_UNICODE_LOWERCASE_LETTER },
    { "Lt", G_UNICODE_TITLECASE_LETTER }, { "Lm", G_UNICODE_MODIFIER_LETTER },
    { "Lo", G_UNICODE_OTHER_LETTER }, { "Nl", G_UNICODE_LETTER_NUMBER },
    { "Mn", G_UNICODE_NON_SPACING_MARK }, { "Mc", G_UNICODE_SPACING_MARK },
    { "Nd", G_UNICODE_DECIMAL_NUMBER }, { "Pc", G_UNICODE_CONNECT_PUNCTUATION },
  };
  GHashTable *skewed = g_hash_table_new (NULL, NULL);
  g_autofree char *category = g_malloc0 (0x110000 * 3);   /* two letters per code point */
  g_auto(GStrv) lines = g_strsplit (unicode_data, "\n", -1);
  gunichar range_start = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ";", 4);
      gunichar c, from;

      if (g_strv_length (fields) < 3 || strlen (fields[2]) != 2)
        continue;
      c = (gunichar) g_ascii_strtoull (fields[0], NULL, 16);
      if (c > 0x10FFFF)
        continue;
      /* Large blocks are given by their first and last code points. */
      if (g_str_has_suffix (fields[1], "First>"))
        {
          range_start = c;
          continue;
        }
      from = g_str_has_suffix (fields[1], "Last>") ? range_start : c;
      for (gunichar k = from; k <= c; k++)
        memcpy (&category[k * 3], fields[2], 2);
    }

  for (gunichar c = 0; c <= 0x10FFFF; c++)
    {
      const char *code = &category[c * 3];
      GUnicodeType type = g_unichar_type (c);

      if (code[0] == '\0')
        {
          if (type != G_UNICODE_UNASSIGNED && type != G_UNICODE_SURROGATE && type != G_UNICODE_PRIVATE_USE)
            g_hash_table_add (skewed, GUINT_TO_POINTER (c));
          continue;
        }
      for (gsize k = 0; k < G_N_ELEMENTS (categories); k++)
        if ((strcmp (code, categories[k].code) == 0) != (type == categories[k].type))
          g_hash_table_add (skewed, GUINT_TO_POINTER (c));
    }

  return skewed;
}

static gboolean
valid_with (const char *prefix,
            gunichar    c,
            const char *suffix)
{
  char name[16];
  int n = g_snprintf (name, sizeof name, "%s", prefix);

  n += g_unichar_to_utf8 (c, name + n);
  g_snprintf (name + n, sizeof name - n, "%s", suffix);

  return flyweight_attr_name_validate (name, NULL);
}

static void
test_every_code_point (void)
{
  const char *dir = "/usr/share/unicode";
  g_autofree char *derived_path = g_build_filename (dir, "DerivedCoreProperties.txt", NULL);
  g_autofree char *data_path = g_build_filename (dir, "UnicodeData.txt", NULL);
  g_autofree char *derived = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GHashTable) start = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) cont = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) skewed = NULL;
  guint checked = 0, differences = 0;
  guint major = 0, minor = 0;
  gunichar step;

  if (!g_file_get_contents (derived_path, &derived, NULL, NULL) ||
      !g_file_get_contents (data_path, &data, NULL, NULL))
    {
      g_test_skip ("no Unicode Character Database in /usr/share/unicode (Debian: unicode-data)");
      return;
    }

  g_test_message ("%.*s", (int) strcspn (derived, "\n"), derived);
  add_ranges (start, derived, "XID_Start");
  add_ranges (cont, derived, "XID_Continue");
  skewed = version_skew (data);
  /* Unicode 15.1 added the katakana middle dots U+30FB and U+FF65 to
   * Other_ID_Continue; the rule keeps the Unicode 15.0 lists, so a later
   * file (Debian 13 has 15.1) disagrees on those two, by design. */
  if (sscanf (derived, "# DerivedCoreProperties-%u.%u", &major, &minor) == 2 &&
      (major > 15 || (major == 15 && minor >= 1)))
    {
      g_hash_table_add (skewed, GUINT_TO_POINTER (0x30FB));
      g_hash_table_add (skewed, GUINT_TO_POINTER (0xFF65));
    }

  /* Under valgrind, a sample. */
  step = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL ? 101 : 1;

  for (gunichar c = 0x80; c <= 0x10FFFF; c += step)
    {
      gboolean is_start, is_continue;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;
      /* Deliberately out: the invisible joiners Unicode 15.1 let in. */
      if (c == 0x200C || c == 0x200D)
        continue;
      if (g_hash_table_contains (skewed, GUINT_TO_POINTER (c)))
        continue;

      is_start = g_hash_table_contains (start, GUINT_TO_POINTER (c));
      is_continue = g_hash_table_contains (cont, GUINT_TO_POINTER (c));
      checked++;

      if (valid_with ("", c, "x") != is_start)
        {
          g_test_message ("U+%04X: XID_Start %d, the rule says %d", c, is_start, !is_start);
          differences++;
        }
      if (valid_with ("x", c, "") != is_continue)
        {
          g_test_message ("U+%04X: XID_Continue %d, the rule says %d", c, is_continue, !is_continue);
          differences++;
        }
    }

  g_test_message ("%u code points checked, %u of them skipped for a version skew",
                  checked, g_hash_table_size (skewed));
  g_assert_cmpuint (checked, >, 1000000 / step);
  g_assert_cmpuint (differences, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/names/examples", test_examples);
  g_test_add_func ("/names/not-normalized", test_not_normalized);
  g_test_add_func ("/names/every-code-point", test_every_code_point);

  return g_test_run ();
}
