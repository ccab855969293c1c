/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What a row of a FlyweightPokiesStore costs, counted from the store's own
 * allocations rather than timed or read from the process: a million
 * machines of ten configurations, each with an owner from a hundred and a
 * last draw, fit in eight bytes each; widths grow only when what is stored
 * needs them, and shrink back to nothing when a column empties.
 * FLYWEIGHT_TEST_QUICK uses a hundred thousand machines. */

#include <flyweight.h>

#include "flyweight-pokies-store-private.h"

static void
test_bytes_per_machine (void)
{
  guint n = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL ? 100000 : 1000000;
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightRandom) random = flyweight_random_new (1);
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **column = g_new (const char *, n);
  g_autoptr(GError) error = NULL;
  gsize empty, bytes;

  empty = flyweight_pokies_store_count_bytes (store);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (owners, g_strdup_printf ("Owner number %u", i));
  for (guint i = 0; i < n; i++)
    column[i] = g_ptr_array_index (owners, i % 100);

  for (guint c = 0; c < 10; c++)
    g_assert_true (flyweight_pokies_store_append_many (store, n / 10, 3, 10 + c, &error));
  g_assert_no_error (error);

  /* Ten configurations and no draw yet: a byte for the configuration
   * (rows are allocated ahead by at most a few percent here). */
  bytes = flyweight_pokies_store_count_bytes (store) - empty;
  g_test_message ("configurations only: %.2f B per machine", (double) bytes / n);
  g_assert_cmpfloat ((double) bytes / n, <=, 1.1);

  g_assert_true (flyweight_pokies_store_set_attr_strings (store, "owner", 0, column, n, &error));
  flyweight_pokies_store_draw_all (store, random);
  g_assert_no_error (error);

  bytes = flyweight_pokies_store_count_bytes (store) - empty;
  g_test_message ("with owner and last draw: %.2f B per machine", (double) bytes / n);
  /* The target is 8 bytes; the layout gives a byte for the configuration,
   * one for the owner and two for a draw of 3 reels of up to 19 symbols. */
  g_assert_cmpfloat ((double) bytes / n, <=, 4.5);

  /* A column nobody has any more costs nothing. */
  g_assert_true (flyweight_pokies_store_del_attr_range (store, "owner", 0, n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 0);
  g_assert_cmpfloat ((double) (flyweight_pokies_store_count_bytes (store) - empty) / n, <=, 3.3);
}

static void
test_widths_grow (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  guint n = 1000;
  gsize one, many;

  g_assert_true (flyweight_pokies_store_append_many (store, n, 3, 10, NULL));
  one = flyweight_pokies_store_count_bytes (store);

  /* One configuration is free per row; a 257th needs two bytes a row. */
  for (guint c = 0; c < 300; c++)
    g_assert_true (flyweight_pokies_store_append (store, 3, 11 + c, NULL));
  many = flyweight_pokies_store_count_bytes (store);
  g_assert_cmpuint (many - one, >=, 2 * n);

  /* Every row keeps its own configuration through the widening. */
  {
    g_auto (GValue) ten = G_VALUE_INIT;

    g_value_init (&ten, G_TYPE_UINT);
    g_value_set_uint (&ten, 10);
    g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "symbols", &ten, NULL), ==, n);
  }
  {
    g_autoptr(FlyweightPokiesView) last = flyweight_pokies_store_get_view (store, n + 299);

    g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (last)), ==, 310);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pokies-store/layout/bytes-per-machine", test_bytes_per_machine);
  g_test_add_func ("/pokies-store/layout/widths-grow", test_widths_grow);

  return g_test_run ();
}
