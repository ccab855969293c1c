/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Eight threads, a million mixed operations: machines created and
 * dropped, attributes set, read and deleted on shared machines, draws,
 * and weak references read while other threads drop the last strong
 * reference. At the end every counter must add up. */

#include <flyweight.h>

#include "flyweight-tsan-private.h"

#define N_THREADS 8
#define N_SHARED  4
#define N_SLOTS   64

typedef struct
{
  FlyweightPokies  *shared[N_SHARED];
  GWeakRef          slots[N_SLOTS];   /* slot i's machine is owned by thread i % N_THREADS */
  FlyweightRandom  *random;
  guint             operations;       /* per thread */
  gint              created;
  gint              finalized;
  gint              weak_hits;
  gint              draws;
} Stress;

#define SLOTS_PER_THREAD (N_SLOTS / N_THREADS)

typedef struct
{
  Stress          *stress;
  guint            index;
  guint            sets;        /* of this thread's own counter attribute */
  FlyweightPokies *owned[SLOTS_PER_THREAD];
} Worker;

static void
finalized_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  g_atomic_int_inc (&((Stress *) data)->finalized);
}

/* g_weak_ref_set() publishes a machine under GLib's lock for the weak
 * reference, and g_weak_ref_get() takes the same lock, so whatever the
 * setting thread did to the machine before is visible to the getting one.
 * GLib 2.74 uses a GRWLock there, which ThreadSanitizer intercepts; later
 * GLibs (2.84 in Debian 13) use bit locks inside libglib, which it cannot
 * see. Tell it about that ordering, and only that one. */
static void
slot_set (GWeakRef *slot,
          gpointer  machine)
{
  flyweight_tsan_release (slot);
  g_weak_ref_set (slot, machine);
}

static GObject *
slot_get (GWeakRef *slot)
{
  GObject *machine = g_weak_ref_get (slot);

  flyweight_tsan_acquire (slot);

  return machine;
}

static FlyweightPokies *
create_machine (Stress *stress,
                guint   choice)
{
  g_autoptr(GError) error = NULL;
  FlyweightPokies *machine = choice % 2
    ? FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (1 + choice % 5, 2 + choice % 7, &error))
    : FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (1 + choice % 5, 2 + choice % 7, &error));

  g_assert_no_error (error);
  g_object_weak_ref (G_OBJECT (machine), finalized_cb, stress);
  g_atomic_int_inc (&stress->created);

  return machine;
}

static void
check_draw (FlyweightPokies *machine,
            guint           *values,
            guint            n_values)
{
  g_assert_cmpuint (n_values, ==, flyweight_pokies_get_reels (machine));
  for (guint i = 0; i < n_values; i++)
    {
      g_assert_cmpuint (values[i], >=, 1);
      g_assert_cmpuint (values[i], <=, flyweight_pokies_get_symbols (machine));
    }
}

static gpointer
stress_worker (gpointer data)
{
  Worker *worker = data;
  Stress *stress = worker->stress;
  g_autofree char *own = g_strdup_printf ("counter%u", worker->index);
  g_autofree char *scratch = g_strdup_printf ("scratch%u", worker->index);
  GRand *rand = g_rand_new_with_seed (worker->index);

  for (guint i = 0; i < stress->operations; i++)
    {
      guint choice = g_rand_int (rand);
      FlyweightPokies *shared = stress->shared[choice % N_SHARED];
      g_autoptr(GError) error = NULL;

      switch (choice % 8)
        {
        case 0:
          {
            /* Replace one of our slots' machine: we drop the old one's last
             * strong reference, perhaps while another thread holds it
             * through the weak reference. */
            guint k = (choice >> 4) % SLOTS_PER_THREAD;
            FlyweightPokies *old = worker->owned[k];

            worker->owned[k] = create_machine (stress, choice >> 8);
            slot_set (&stress->slots[k * N_THREADS + worker->index], worker->owned[k]);
            g_clear_object (&old);
          }
          break;

        case 1:
          {
            g_autoptr(GObject) alive = slot_get (&stress->slots[(choice >> 4) % N_SLOTS]);

            if (alive != NULL)
              {
                guint n_values;
                g_autofree guint *values = flyweight_pokies_draw (FLYWEIGHT_POKIES (alive), &n_values);

                check_draw (FLYWEIGHT_POKIES (alive), values, n_values);
                g_atomic_int_inc (&stress->weak_hits);
              }
          }
          break;

        case 2:
          {
            guint n_values;
            g_autofree guint *values = flyweight_pokies_draw_with (shared, stress->random, &n_values);

            check_draw (shared, values, n_values);
            g_atomic_int_inc (&stress->draws);
          }
          break;

        case 3:
          {
            /* Only this thread writes its counter: no update may be lost. */
            g_auto(GValue) value = G_VALUE_INIT;

            g_value_init (&value, G_TYPE_UINT);
            g_value_set_uint (&value, ++worker->sets);
            g_assert_true (flyweight_pokies_set_attr (stress->shared[0], own, &value, &error));
          }
          break;

        case 4:
          {
            g_auto(GValue) value = G_VALUE_INIT;

            g_value_init (&value, G_TYPE_STRING);
            g_value_set_static_string (&value, choice & 0x100 ? "Aristocrat" : "Konami");
            g_assert_true (flyweight_pokies_set_attr (shared, scratch, &value, &error) ||
                           g_error_matches (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE));
          }
          break;

        case 5:
          if (!flyweight_pokies_del_attr (shared, scratch, &error))
            g_assert_true (g_error_matches (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE));
          break;

        case 6:
          {
            g_auto(GValue) value = G_VALUE_INIT;

            if (flyweight_pokies_get_attr (shared, scratch, &value, &error))
              g_assert_true (G_VALUE_HOLDS_STRING (&value));
            else
              g_assert_true (g_error_matches (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE));
          }
          break;

        case 7:
        default:
          {
            g_auto(GStrv) names = flyweight_pokies_list_attrs (shared);

            g_assert_cmpstr (names[0], !=, NULL);
            g_object_unref (create_machine (stress, choice));
          }
          break;
        }
    }

  g_rand_free (rand);
  for (guint k = 0; k < SLOTS_PER_THREAD; k++)
    g_clear_object (&worker->owned[k]);

  return NULL;
}

static void
test_stress_mixed (void)
{
  /* Under valgrind (the valgrind setup sets FLYWEIGHT_TEST_QUICK) a tenth. */
  gboolean slow = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL;
  Stress stress = { { NULL, }, };
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  guint total_sets = 0;

  stress.operations = slow ? 12500 : 125000;
  stress.random = flyweight_random_new (2013);
  for (guint i = 0; i < N_SHARED; i++)
    stress.shared[i] = i % 2 ? FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL))
                             : FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (5, 20, NULL));
  for (guint i = 0; i < N_SLOTS; i++)
    g_weak_ref_init (&stress.slots[i], NULL);

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { &stress, t, 0, { NULL, } };
      threads[t] = g_thread_new ("stress", stress_worker, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  g_test_message ("%u operations: %d machines created, %d weak-reference hits, %d shared draws",
                  N_THREADS * stress.operations, stress.created, stress.weak_hits, stress.draws);

  /* No lost update: each thread's counter holds its last write. */
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *own = g_strdup_printf ("counter%u", t);

      if (workers[t].sets > 0)
        {
          g_autoptr(GError) error = NULL;
          g_auto(GValue) value = G_VALUE_INIT;

          g_assert_true (flyweight_pokies_get_attr (stress.shared[0], own, &value, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (g_value_get_uint (&value), ==, workers[t].sets);
        }
      total_sets += workers[t].sets;
    }
  g_assert_cmpuint (total_sets, >, 0);

  /* Dimensions never moved. */
  for (guint i = 0; i < N_SHARED; i++)
    g_assert_cmpuint (flyweight_pokies_get_reels (stress.shared[i]), ==, i % 2 ? 3 : 5);

  /* Every machine made is finalized once its last holder lets go, and
   * no weak reference outlives its machine. */
  g_assert_cmpint (g_atomic_int_get (&stress.weak_hits), >, 0);
  for (guint i = 0; i < N_SLOTS; i++)
    g_assert_null (g_weak_ref_get (&stress.slots[i]));
  g_assert_cmpint (g_atomic_int_get (&stress.finalized), ==, g_atomic_int_get (&stress.created));
  for (guint i = 0; i < N_SLOTS; i++)
    g_weak_ref_clear (&stress.slots[i]);

  for (guint i = 0; i < N_SHARED; i++)
    g_assert_finalize_object (stress.shared[i]);
  g_assert_finalize_object (stress.random);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/mixed", test_stress_mixed);

  return g_test_run ();
}
