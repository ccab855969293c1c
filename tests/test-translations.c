/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Error messages come out in the user's language.
 *
 *   test-translations LANG --tap
 *
 * LANG is fr or de. Run through test-translations.sh, which builds that
 * locale in a temporary folder and points the library at the catalogs of
 * the build tree; the program itself only calls setlocale (LC_ALL, ""). */

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <flyweight.h>

#define NBSP "\xc2\xa0"

typedef struct
{
  const char *lang;
  const char *invalid_reels;
  const char *no_attribute;
  const char *read_only;
  const char *not_identifier;
} Expected;

static const Expected expected_messages[] = {
  {
    "fr",
    "Une machine doit avoir entre 1 et 1024" NBSP "rouleaux, pas 0",
    "L\xe2\x80\x99objet \xc2\xab" NBSP "FlyweightPokiesSlotted" NBSP "\xc2\xbb n\xe2\x80\x99" "a pas d\xe2\x80\x99" "attribut \xc2\xab" NBSP "owner" NBSP "\xc2\xbb",
    "L\xe2\x80\x99" "attribut \xc2\xab" NBSP "reels" NBSP "\xc2\xbb de l\xe2\x80\x99objet \xc2\xab" NBSP "FlyweightPokiesDynamic" NBSP "\xc2\xbb est en lecture seule",
    "Le nom d\xe2\x80\x99" "attribut \xc2\xab" NBSP "x\xc2\xb2" NBSP "\xc2\xbb ne peut pas contenir \xc2\xab" NBSP "\xc2\xb2" NBSP "\xc2\xbb (U+00B2)" NBSP
    ": apr\xc3\xa8s son premier caract\xc3\xa8re, un nom contient des lettres, des signes diacritiques combinants, "
    "des chiffres, \xc2\xab" NBSP "_" NBSP "\xc2\xbb et \xc2\xab" NBSP "-" NBSP "\xc2\xbb (Unicode XID_Continue)",
  },
  {
    "de",
    "Ein Automat muss zwischen 1 und 1024 Walzen haben, nicht 0",
    "Das Objekt \xe2\x80\x9e" "FlyweightPokiesSlotted\xe2\x80\x9c hat kein Attribut \xe2\x80\x9eowner\xe2\x80\x9c",
    "Das Attribut \xe2\x80\x9ereels\xe2\x80\x9c des Objekts \xe2\x80\x9e" "FlyweightPokiesDynamic\xe2\x80\x9c ist schreibgesch\xc3\xbctzt",
    "Attributname \xe2\x80\x9ex\xc2\xb2\xe2\x80\x9c darf \xe2\x80\x9e\xc2\xb2\xe2\x80\x9c (U+00B2) nicht enthalten: "
    "Nach seinem ersten Zeichen enth\xc3\xa4lt ein Name Buchstaben, kombinierende Zeichen, Ziffern, "
    "\xe2\x80\x9e_\xe2\x80\x9c und \xe2\x80\x9e-\xe2\x80\x9c (Unicode XID_Continue)",
  },
};

static const Expected *expected;

/* The first call into the library in this process: nothing but the
 * constructor's own check has run yet. */
static void
test_invalid_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (0, 10, &error));

  g_assert_null (machine);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, expected->invalid_reels);
}

static void
test_no_attribute (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, &error));
  g_auto(GValue) owner = G_VALUE_INIT;

  g_assert_no_error (error);
  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");

  g_assert_false (flyweight_pokies_set_attr (machine, "owner", &owner, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_cmpstr (error->message, ==, expected->no_attribute);
}

static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, &error));

  g_assert_no_error (error);
  g_assert_false (flyweight_pokies_del_attr (machine, "reels", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY);
  g_assert_cmpstr (error->message, ==, expected->read_only);
}

static void
test_not_identifier (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (flyweight_attr_name_validate ("x\xc2\xb2", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_assert_cmpstr (error->message, ==, expected->not_identifier);
}

int
main (int   argc,
      char *argv[])
{
  const char *messages_locale;

  /* Before g_test_init(), so that GLib's own output is in the locale too. */
  messages_locale = setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("Usage: %s LANG [--tap]\n", argv[0]);
      return EXIT_FAILURE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (expected_messages); i++)
    if (strcmp (expected_messages[i].lang, argv[1]) == 0)
      expected = &expected_messages[i];

  if (expected == NULL)
    {
      g_printerr ("No messages known for “%s”\n", argv[1]);
      return EXIT_FAILURE;
    }

  if (messages_locale == NULL)
    {
      g_test_skip_printf ("setlocale() failed: the %s locale is not available", argv[1]);
      return g_test_run ();
    }

  g_test_add_func ("/translations/invalid-value", test_invalid_value);
  g_test_add_func ("/translations/no-attribute", test_no_attribute);
  g_test_add_func ("/translations/read-only", test_read_only);
  g_test_add_func ("/translations/not-identifier", test_not_identifier);

  return g_test_run ();
}
