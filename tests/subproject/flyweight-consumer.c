/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Draws from a slotted machine: a parent project's use of libflyweight. */

#include <flyweight.h>

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokiesSlotted) pokies = flyweight_pokies_slotted_new (3, 10, &error);
  g_autofree guint *draw = NULL;
  guint n_values;

  if (pokies == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  draw = flyweight_pokies_draw (FLYWEIGHT_POKIES (pokies), &n_values);
  g_print ("libflyweight %s: %u reels: %u %u %u\n",
           FLYWEIGHT_VERSION_S, n_values, draw[0], draw[1], draw[2]);

  return n_values == 3 ? 0 : 1;
}
