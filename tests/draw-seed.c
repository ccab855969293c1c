/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Prints COUNT seeded draws of a REELS×SYMBOLS machine, one per line, so
 * that the Python and JavaScript suites can check they get the same. */

#include <stdlib.h>
#include <flyweight.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FlyweightPokies) machine = NULL;
  g_autoptr(FlyweightRandom) random = NULL;
  g_autoptr(GError) error = NULL;
  guint64 seed, reels, symbols, count;

  if (argc != 5 ||
      !g_ascii_string_to_unsigned (argv[1], 10, 0, G_MAXUINT32, &seed, NULL) ||
      !g_ascii_string_to_unsigned (argv[2], 10, 0, G_MAXUINT, &reels, NULL) ||
      !g_ascii_string_to_unsigned (argv[3], 10, 0, G_MAXUINT, &symbols, NULL) ||
      !g_ascii_string_to_unsigned (argv[4], 10, 0, G_MAXUINT, &count, NULL))
    {
      g_printerr ("usage: %s SEED REELS SYMBOLS COUNT\n", argv[0]);
      return EXIT_FAILURE;
    }

  machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, &error));
  if (machine == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  random = flyweight_random_new (seed);

  for (guint64 i = 0; i < count; i++)
    {
      guint n_values;
      g_autofree guint *values = flyweight_pokies_draw_with (machine, random, &n_values);

      for (guint j = 0; j < n_values; j++)
        g_print ("%s%u", j > 0 ? " " : "", values[j]);
      g_print ("\n");
    }

  return EXIT_SUCCESS;
}
