/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A program built against the installed library, as a user builds one:
 *   cc consumer.c $(pkg-config --cflags --libs flyweight-1)
 * Prints the path of the libflyweight it runs with, for the caller to check. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyweight.h>

#if !FLYWEIGHT_CHECK_VERSION (1, 0, 0)
# error "libflyweight 1.0.0 or newer is needed"
#endif

static int
fail (const char *what)
{
  g_printerr ("consumer: %s\n", what);
  return EXIT_FAILURE;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) dynamic = NULL;
  g_autoptr(FlyweightPokies) slotted = NULL;
  g_autoptr(FlyweightRandom) random = NULL;
  g_autofree guint *values = NULL;
  g_auto(GValue) owner = G_VALUE_INIT;
  char line[4096];
  guint n_values;
  FILE *maps;

  dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, &error));
  if (dynamic == NULL)
    return fail (error->message);

  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");
  if (!flyweight_pokies_set_attr (dynamic, "owner", &owner, &error))
    return fail (error->message);

  slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, &error));
  if (slotted == NULL)
    return fail (error->message);
  if (flyweight_pokies_set_attr (slotted, "owner", &owner, &error) ||
      !g_error_matches (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE))
    return fail ("a slotted machine accepted “owner”");
  g_clear_error (&error);

  random = flyweight_random_new (42);
  values = flyweight_pokies_draw_with (slotted, random, &n_values);
  if (n_values != 3 || values[0] != 3 || values[1] != 8 || values[2] != 7)
    return fail ("seed 42 did not draw (3, 8, 7)");

  /* Which copy of the library the dynamic linker picked. */
  maps = fopen ("/proc/self/maps", "r");
  if (maps == NULL)
    return fail ("cannot read /proc/self/maps");
  while (fgets (line, sizeof line, maps) != NULL)
    {
      char *path = strchr (line, '/');

      if (path != NULL && strstr (path, "libflyweight-1.so") != NULL)
        {
          printf ("library: %s", path);
          break;
        }
    }
  fclose (maps);

  printf ("version: %s\n", FLYWEIGHT_VERSION_S);

  return EXIT_SUCCESS;
}
