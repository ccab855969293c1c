/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* draw(): ranges, uniformity, independence of reels, and reproducible
 * sequences from a seed. */

#include <string.h>

#include <flyweight.h>

/* Critical values of the chi-square distribution at p = 0.001: a correct
 * generator fails one of these checks once in a thousand seeds, and the
 * seeds are fixed, so the checks are deterministic. */
#define CHI2_0_001_DOF_5  20.515
#define CHI2_0_001_DOF_9  27.877
#define CHI2_0_001_DOF_99 148.230

static double
chi_square (const guint *observed,
            guint        n_cells,
            double       expected)
{
  double sum = 0;

  for (guint i = 0; i < n_cells; i++)
    sum += (observed[i] - expected) * (observed[i] - expected) / expected;

  return sum;
}

static void
test_draw_ranges (void)
{
  const guint shapes[][2] = { { 1, 1 }, { 1, 2 }, { 3, 10 }, { 5, 100 }, { 64, 3 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_autoptr(FlyweightPokies) slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (shapes[s][0], shapes[s][1], NULL));
      g_autoptr(FlyweightPokies) dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (shapes[s][0], shapes[s][1], NULL));
      g_autofree guint *seen = g_new0 (guint, shapes[s][1] + 1);

      for (guint round = 0; round < 200; round++)
        {
          FlyweightPokies *machine = round % 2 ? slotted : dynamic;
          guint n_values = 0;
          g_autofree guint *values = flyweight_pokies_draw (machine, &n_values);

          g_assert_cmpuint (n_values, ==, shapes[s][0]);
          for (guint i = 0; i < n_values; i++)
            {
              g_assert_cmpuint (values[i], >=, 1);
              g_assert_cmpuint (values[i], <=, shapes[s][1]);
              seen[values[i]]++;
            }
        }

      /* With at least 200 values over at most 100 symbols, missing a symbol
       * entirely is all but impossible for a uniform draw. */
      if (shapes[s][1] <= 10)
        for (guint v = 1; v <= shapes[s][1]; v++)
          g_assert_cmpuint (seen[v], >, 0);
    }
}

static void
test_draw_largest_machine (void)
{
  g_autoptr(FlyweightPokies) machine =
    FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (FLYWEIGHT_POKIES_MAX_REELS, FLYWEIGHT_POKIES_MAX_SYMBOLS, NULL));
  guint n_values = 0;
  g_autofree guint *values = flyweight_pokies_draw (machine, &n_values);
  guint above_half = 0;

  g_assert_cmpuint (n_values, ==, FLYWEIGHT_POKIES_MAX_REELS);
  for (guint i = 0; i < n_values; i++)
    {
      g_assert_cmpuint (values[i], >=, 1);
      g_assert_cmpuint (values[i], <=, FLYWEIGHT_POKIES_MAX_SYMBOLS);
      above_half += values[i] > FLYWEIGHT_POKIES_MAX_SYMBOLS / 2;
    }

  /* 1024 fair coin flips land between 400 and 624 heads but for 1e-12. */
  g_assert_cmpuint (above_half, >, 400);
  g_assert_cmpuint (above_half, <, 624);
}

static void
test_draw_uniform (void)
{
  const guint32 seeds[] = { 1, 42, 2024 };

  for (guint s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      g_autoptr(FlyweightRandom) random = flyweight_random_new (seeds[s]);
      g_autoptr(FlyweightPokies) die = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (1, 6, NULL));
      g_autoptr(FlyweightPokies) pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
      guint faces[6] = { 0, };
      guint symbols[10] = { 0, };
      guint pairs[100] = { 0, };
      const guint rolls = 60000, pulls = 30000;
      double chi2;

      for (guint i = 0; i < rolls; i++)
        {
          guint n_values;
          g_autofree guint *values = flyweight_pokies_draw_with (die, random, &n_values);

          faces[values[0] - 1]++;
        }
      chi2 = chi_square (faces, 6, rolls / 6.0);
      g_test_message ("seed %u: 1x6 chi-square %.2f (5 dof)", seeds[s], chi2);
      g_assert_cmpfloat (chi2, <, CHI2_0_001_DOF_5);

      for (guint i = 0; i < pulls; i++)
        {
          guint n_values;
          g_autofree guint *values = flyweight_pokies_draw_with (pokies, random, &n_values);

          for (guint r = 0; r < n_values; r++)
            symbols[values[r] - 1]++;
          pairs[(values[0] - 1) * 10 + (values[1] - 1)]++;
        }

      chi2 = chi_square (symbols, 10, pulls * 3 / 10.0);
      g_test_message ("seed %u: 3x10 chi-square %.2f (9 dof)", seeds[s], chi2);
      g_assert_cmpfloat (chi2, <, CHI2_0_001_DOF_9);

      /* Reels are independent: every (first, second) pair equally likely. */
      chi2 = chi_square (pairs, 100, pulls / 100.0);
      g_test_message ("seed %u: reel pairs chi-square %.2f (99 dof)", seeds[s], chi2);
      g_assert_cmpfloat (chi2, <, CHI2_0_001_DOF_99);
    }
}

static guint *
draw_sequence (FlyweightPokies *machine,
               FlyweightRandom *random,
               guint            pulls)
{
  guint reels = flyweight_pokies_get_reels (machine);
  guint *all = g_new (guint, pulls * reels);

  for (guint i = 0; i < pulls; i++)
    {
      guint n_values;
      g_autofree guint *values = flyweight_pokies_draw_with (machine, random, &n_values);

      memcpy (all + i * reels, values, reels * sizeof (guint));
    }

  return all;
}

static void
test_draw_reproducible (void)
{
  g_autoptr(FlyweightPokies) slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (5, 100, NULL));
  g_autoptr(FlyweightPokies) dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (5, 100, NULL));
  g_autoptr(FlyweightRandom) first = flyweight_random_new (42);
  g_autoptr(FlyweightRandom) second = g_object_new (FLYWEIGHT_TYPE_RANDOM, "seed", 42, NULL);
  g_autoptr(FlyweightRandom) other = flyweight_random_new (43);
  g_autofree guint *a = draw_sequence (slotted, first, 20);
  g_autofree guint *b = draw_sequence (dynamic, second, 20);
  g_autofree guint *c = draw_sequence (slotted, other, 20);
  g_autofree guint *d = NULL;
  guint seed = 0;

  /* Same seed, same draws, whichever kind of machine. */
  g_assert_cmpmem (a, 100 * sizeof (guint), b, 100 * sizeof (guint));
  g_assert_true (memcmp (a, c, 100 * sizeof (guint)) != 0);

  /* set_seed restarts the sequence. */
  flyweight_random_set_seed (first, 42);
  d = draw_sequence (slotted, first, 20);
  g_assert_cmpmem (a, 100 * sizeof (guint), d, 100 * sizeof (guint));

  g_object_get (first, "seed", &seed, NULL);
  g_assert_cmpuint (seed, ==, 42);
  g_assert_cmpuint (flyweight_random_get_seed (other), ==, 43);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_random_seed_notify (void)
{
  g_autoptr(FlyweightRandom) random = flyweight_random_new (1);
  guint notified = 0;

  g_signal_connect (random, "notify::seed", G_CALLBACK (notify_cb), &notified);
  flyweight_random_set_seed (random, 1);
  g_assert_cmpuint (notified, ==, 0);
  flyweight_random_set_seed (random, 2);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (random, "seed", 3, NULL);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_random_int_range (void)
{
  g_autoptr(FlyweightRandom) random = flyweight_random_new (7);
  gboolean seen_low = FALSE, seen_high = FALSE;

  for (guint i = 0; i < 1000; i++)
    {
      guint32 value = flyweight_random_int_range (random, 10, 15);

      g_assert_cmpuint (value, >=, 10);
      g_assert_cmpuint (value, <, 15);
      seen_low |= value == 10;
      seen_high |= value == 14;
    }

  g_assert_true (seen_low);
  g_assert_true (seen_high);
  g_assert_cmpuint (flyweight_random_int_range (random, 5, 6), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/draw/ranges", test_draw_ranges);
  g_test_add_func ("/draw/largest-machine", test_draw_largest_machine);
  g_test_add_func ("/draw/uniform", test_draw_uniform);
  g_test_add_func ("/draw/reproducible", test_draw_reproducible);
  g_test_add_func ("/draw/random-seed-notify", test_random_seed_notify);
  g_test_add_func ("/draw/random-int-range", test_random_int_range);

  return g_test_run ();
}
