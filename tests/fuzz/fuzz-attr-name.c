/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight_attr_name_validate() under arbitrary bytes, against the rule
 * as documented, and every attribute call agreeing with it: a valid name
 * can be set, read, listed and deleted on a PokiesDynamic; an invalid one
 * fails everywhere with INVALID_NAME and exists nowhere. The input up to
 * its first NUL is the name, as a binding that passes a string with a NUL
 * in it gives the library the part before it. */

#include <stdlib.h>
#include <string.h>

#include <flyweight.h>

#include "fuzz-common.h"

static FlyweightPokies *dynamic;
static FlyweightPokies *slotted;

/* The rule as documented: Unicode identifiers, by the Unicode Character
 * Database itself (Debian: unicode-data), plus the library's own rules. */
static GHashTable *xid_start;
static GHashTable *xid_continue;

static void
load_property (GHashTable *set,
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

static gboolean
follows_rule (const char *name)
{
  size_t length = strlen (name);

  if (length < 1 || length > FLYWEIGHT_ATTR_NAME_MAX_LENGTH)
    return FALSE;
  if (!g_utf8_validate (name, (gssize) length, NULL))
    return FALSE;
  if (g_str_has_prefix (name, "__"))
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (p == name ? c != '_' && !g_hash_table_contains (xid_start, GUINT_TO_POINTER (c))
                    : c != '-' && !g_hash_table_contains (xid_continue, GUINT_TO_POINTER (c)))
        return FALSE;
    }

  return TRUE;
}

static void
check_error (const GError *error,
             gint          code)
{
  if (error == NULL)
    g_error ("expected error %d, got none", code);
  if (error->domain != FLYWEIGHT_ERROR || error->code != code)
    g_error ("expected FLYWEIGHT_ERROR %d, got %s %d: %s", code,
             g_quark_to_string (error->domain), error->code, error->message);
  if (!g_utf8_validate (error->message, -1, NULL))
    g_error ("error message is not UTF-8");
}

static gboolean
listed (FlyweightPokies *machine,
        const char      *name)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (machine);

  return g_strv_contains ((const char * const *) names, name);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *derived = NULL;

  g_log_set_writer_func (fuzz_abort_on_warning_writer, NULL, NULL);

  if (!g_file_get_contents ("/usr/share/unicode/DerivedCoreProperties.txt", &derived, NULL, NULL))
    g_error ("the oracle needs /usr/share/unicode/DerivedCoreProperties.txt (Debian: unicode-data)");
  xid_start = g_hash_table_new (NULL, NULL);
  xid_continue = g_hash_table_new (NULL, NULL);
  load_property (xid_start, derived, "XID_Start");
  load_property (xid_continue, derived, "XID_Continue");
  /* Unicode 15.1 let the invisible joiners continue a name; the library
   * keeps them out, as every invisible character. */
  g_hash_table_remove (xid_continue, GUINT_TO_POINTER (0x200C));
  g_hash_table_remove (xid_continue, GUINT_TO_POINTER (0x200D));

  dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));

  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *name = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean valid = flyweight_attr_name_validate (name, &error);
  gboolean dimension = strcmp (name, "reels") == 0 || strcmp (name, "symbols") == 0;
  const GValue *got;

  if (valid != follows_rule (name))
    g_error ("validate says %d, the rule %d", valid, !valid);
  if (valid)
    g_assert_no_error (error);
  else
    check_error (error, FLYWEIGHT_ERROR_INVALID_NAME);
  g_clear_error (&error);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);

  if (!valid)
    {
      if (flyweight_pokies_set_attr (dynamic, name, &value, &error))
        g_error ("set_attr took an invalid name");
      check_error (error, FLYWEIGHT_ERROR_INVALID_NAME);
      g_clear_error (&error);
      if (flyweight_pokies_peek_attr (dynamic, name, &error) != NULL)
        g_error ("get_attr found an invalid name");
      check_error (error, FLYWEIGHT_ERROR_INVALID_NAME);
      g_clear_error (&error);
      if (flyweight_pokies_del_attr (slotted, name, &error))
        g_error ("del_attr took an invalid name");
      check_error (error, FLYWEIGHT_ERROR_INVALID_NAME);
      g_clear_error (&error);
      if (flyweight_pokies_has_attr (dynamic, name) || flyweight_pokies_has_attr (slotted, name))
        g_error ("has_attr found an invalid name");
      return 0;
    }

  if (flyweight_pokies_has_attr (slotted, name) != dimension)
    g_error ("PokiesSlotted has_attr disagrees");

  if (dimension)
    {
      if (flyweight_pokies_set_attr (dynamic, name, &value, &error))
        g_error ("set_attr changed a dimension");
      check_error (error, FLYWEIGHT_ERROR_READ_ONLY);
      return 0;
    }

  /* Set, read, list and delete it; the machine ends as it started. */
  if (!flyweight_pokies_set_attr (dynamic, name, &value, &error))
    g_error ("set_attr refused a valid name: %s", error->message);
  got = flyweight_pokies_peek_attr (dynamic, name, &error);
  g_assert_no_error (error);
  if (got == NULL || !G_VALUE_HOLDS_INT (got) || g_value_get_int (got) != 42)
    g_error ("get_attr lost the value");
  if (!flyweight_pokies_has_attr (dynamic, name) || !listed (dynamic, name))
    g_error ("a set attribute is missing");
  if (!flyweight_pokies_del_attr (dynamic, name, &error))
    g_error ("del_attr failed: %s", error->message);
  if (flyweight_pokies_has_attr (dynamic, name) || listed (dynamic, name))
    g_error ("a deleted attribute is still there");
  if (flyweight_pokies_del_attr (dynamic, name, &error))
    g_error ("del_attr deleted twice");
  check_error (error, FLYWEIGHT_ERROR_NO_ATTRIBUTE);

  return 0;
}
