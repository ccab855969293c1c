/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A casino floor of a million machines, drawn from ten configurations,
 * shared through a FlyweightPool.
 *
 * Every position on the floor holds a machine, but the machine itself is
 * only its reels and symbols: that is the intrinsic state, shared through
 * a FlyweightPool, so the floor holds ten machines and a million
 * references to them. What differs from one position to the next (here,
 * the credits played there) is extrinsic state, kept beside the
 * reference, by the floor. The same seed gives the same floor, and the
 * same pulls, as pool-floor.py.
 *
 *   cc pool-floor.c $(pkg-config --cflags --libs flyweight-1) -o pool-floor
 *   ./pool-floor [MACHINES [SEED]]
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <flyweight.h>

typedef struct
{
  guint reels;
  guint symbols;
} Configuration;

static const Configuration configurations[] = {
  { 3, 10 }, { 3, 20 }, { 4, 12 }, { 5, 10 }, { 5, 20 },
  { 5, 50 }, { 5, 100 }, { 6, 30 }, { 7, 40 }, { 3, 6 },
};

#define N_CONFIGURATIONS G_N_ELEMENTS (configurations)

/* Resident memory of this process, in bytes. */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

static char *
format_draw (FlyweightPokies *machine,
             FlyweightRandom *random)
{
  guint n_values;
  g_autofree guint *values = flyweight_pokies_draw_with (machine, random, &n_values);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? " " : "", values[i]);

  return g_string_free (out, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  guint n_machines = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  guint32 seed = argc > 2 ? (guint32) g_ascii_strtoull (argv[2], NULL, 10) : 2013;
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(FlyweightRandom) random = flyweight_random_new (seed);
  g_autoptr(FlyweightPoolStats) stats = NULL;
  FlyweightPokies *first_of[N_CONFIGURATIONS] = { NULL, };
  guint count_of[N_CONFIGURATIONS] = { 0, };
  FlyweightPokies **floor;
  guint8 *configuration_at;
  gsize before, after;

  if (n_machines == 0)
    {
      g_printerr ("Usage: %s [MACHINES [SEED]]\n", argv[0]);
      return EXIT_FAILURE;
    }

  /* Which configuration stands where: extrinsic, and one byte each, so it
   * is drawn before the measurement starts. */
  configuration_at = g_new (guint8, n_machines);
  for (guint i = 0; i < n_machines; i++)
    configuration_at[i] = (guint8) flyweight_random_int_range (random, 0, N_CONFIGURATIONS);

  /* One request first, so that the library's code is paged in and not
   * counted as the floor's memory. */
  g_object_unref (flyweight_pool_get (pool, NULL, NULL));

  before = resident_bytes ();

  /* The floor: a reference per position, the array included in the
   * measurement, as a Python list of the machines would be. */
  floor = g_new (FlyweightPokies *, n_machines);
  for (guint i = 0; i < n_machines; i++)
    {
      const Configuration *c = &configurations[configuration_at[i]];
      g_autoptr(GError) error = NULL;

      floor[i] = flyweight_pool_get (pool, &error,
                                     "reels", c->reels,
                                     "symbols", c->symbols,
                                     NULL);
      if (floor[i] == NULL)
        g_error ("%s", error->message);
    }

  after = resident_bytes ();
  stats = flyweight_pool_get_stats (pool);

  g_print ("A casino floor of %u machines from %u configurations (seed %u)\n",
           n_machines, (guint) N_CONFIGURATIONS, seed);
  g_print ("  machines alive: %u, one per configuration on the floor\n", stats->size);
  g_print ("  requests: %" G_GUINT64_FORMAT " hits, %" G_GUINT64_FORMAT " misses\n",
           stats->hits, stats->misses);
  g_print ("  memory: %.1f bytes per position, its reference included (GLib %u.%u.%u)\n",
           (double) (after - before) / n_machines,
           glib_major_version, glib_minor_version, glib_micro_version);

  /* Every position with the same configuration holds the same machine. */
  for (guint i = 0; i < n_machines; i++)
    {
      guint c = configuration_at[i];

      if (first_of[c] == NULL)
        first_of[c] = floor[i];
      else if (floor[i] != first_of[c])
        g_error ("Position %u holds a second %u x %u machine", i,
                 configurations[c].reels, configurations[c].symbols);
      count_of[c]++;
    }

  for (guint c = 0; c < N_CONFIGURATIONS; c++)
    g_print ("  %u x %-3u %7u positions\n", configurations[c].reels,
             configurations[c].symbols, count_of[c]);

  /* Pulling an arm needs the shared machine and nothing else. */
  for (guint i = 0; i < MIN (n_machines, 3); i++)
    {
      g_autofree char *draw = format_draw (floor[i], random);

      g_print ("  position %u, a %u x %u machine, pulls %s\n", i,
               flyweight_pokies_get_reels (floor[i]),
               flyweight_pokies_get_symbols (floor[i]), draw);
    }

  /* Closing the floor lets every machine go. */
  for (guint i = 0; i < n_machines; i++)
    g_object_unref (floor[i]);
  g_free (floor);
  g_free (configuration_at);

  g_print ("Floor closed: %u machines alive\n", flyweight_pool_get_size (pool));

  if (stats->size > N_CONFIGURATIONS || flyweight_pool_get_size (pool) != 0)
    return EXIT_FAILURE;

  return EXIT_SUCCESS;
}
