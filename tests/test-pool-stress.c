/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Many threads get and release a few hot keys of one pool, so that
 * machines die and are built again all the time, and check on every get
 * that the pool never hands out two live machines for one key, nor a
 * machine that has started dying.
 *
 * The check: a witness per key holds a GWeakRef on the last machine seen
 * for it. GLib clears a GWeakRef before an object's dispose() runs, so if
 * the witness still yields a machine other than the one just handed out,
 * two machines for the key were alive and not dying at the same time.
 * Every machine also carries a marker that a weak notification sets when
 * its death begins; a machine somebody holds must never carry it.
 *
 * FLYWEIGHT_TEST_QUICK (set by the valgrind setup) makes the runs short. */

#include <flyweight.h>

#include "flyweight-tsan-private.h"

#define N_THREADS    4
#define N_KEYS       3
#define N_MANY_KEYS  600
#define N_HELD       2
#define SYMBOLS      7

typedef struct
{
  GMutex   lock;
  GWeakRef last;
} Witness;

typedef struct
{
  FlyweightPool *pool;
  guint          operations;
  guint          n_keys;
  Witness       *witnesses;
  gpointer      *mailbox;           /* a machine handed to another thread */
  gint           two_alive;
  gint           dying_handed_out;
  gint           wrong_machine;
  gint           finalized;
  gint           markers;
} Stress;

typedef struct
{
  Stress  *stress;
  guint    index;
  guint64  gets;
} Worker;

typedef struct
{
  Stress  *stress;
  GObject *machine;
  gint     dying;
} Marker;

static GQuark marker_quark;

static void
marker_dying_cb (gpointer  data,
                 GObject  *where_the_object_was)
{
  Marker *marker = data;

  g_atomic_int_set (&marker->dying, 1);
}

/* GLib orders every use of an object before its finalizer through the
 * reference count, inside libgobject where ThreadSanitizer cannot see it;
 * release_machine() and marker_free() say so. */
static void
release_machine (GObject *machine)
{
  flyweight_tsan_release (machine);
  g_object_unref (machine);
}

static void
marker_free (gpointer data)
{
  Marker *marker = data;

  flyweight_tsan_acquire (marker->machine);
  g_atomic_int_inc (&marker->stress->finalized);
  g_free (marker);
}

/* The marker is published through GLib's qdata, whose lock
 * ThreadSanitizer cannot see either. */
static Marker *
get_marker (GObject *machine)
{
  Marker *marker = g_object_get_qdata (machine, marker_quark);

  if (marker != NULL)
    flyweight_tsan_acquire (marker);

  return marker;
}

static Marker *
mark (Stress  *stress,
      GObject *machine)
{
  Marker *marker = get_marker (machine);

  if (marker == NULL)
    {
      Marker *fresh = g_new0 (Marker, 1);

      fresh->stress = stress;
      fresh->machine = machine;
      flyweight_tsan_release (fresh);
      if (g_object_replace_qdata (machine, marker_quark, NULL, fresh, marker_free, NULL))
        {
          g_object_weak_ref (machine, marker_dying_cb, fresh);
          g_atomic_int_inc (&stress->markers);
          marker = fresh;
        }
      else
        {
          g_free (fresh);
          marker = get_marker (machine);
        }
    }

  return marker;
}

static void
check_alive (Stress  *stress,
             GObject *machine)
{
  Marker *marker = get_marker (machine);

  if (marker != NULL && g_atomic_int_get (&marker->dying))
    g_atomic_int_inc (&stress->dying_handed_out);
}

static void
check_identity (Stress  *stress,
                guint    key,
                GObject *machine)
{
  Witness *witness = &stress->witnesses[key];
  GObject *last;

  if (!FLYWEIGHT_IS_POKIES_SLOTTED (machine) ||
      flyweight_pokies_get_reels (FLYWEIGHT_POKIES (machine)) != key + 1 ||
      flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (machine)) != SYMBOLS)
    g_atomic_int_inc (&stress->wrong_machine);

  mark (stress, machine);
  check_alive (stress, machine);

  g_mutex_lock (&witness->lock);
  last = g_weak_ref_get (&witness->last);
  if (last == NULL)
    g_weak_ref_set (&witness->last, machine);
  else if (last != machine)
    g_atomic_int_inc (&stress->two_alive);
  g_mutex_unlock (&witness->lock);

  g_clear_object (&last);
}

static gpointer
stress_worker (gpointer data)
{
  Worker *worker = data;
  Stress *stress = worker->stress;
  GObject *held[N_HELD] = { NULL, };
  guint32 state = 0x9e3779b9u * (worker->index + 1);

  for (guint i = 0; i < stress->operations; i++)
    {
      g_autoptr(GError) error = NULL;
      guint key, slot;
      GObject *machine;

      /* xorshift32: cheap, and different in every thread */
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      key = state % stress->n_keys;
      slot = (state >> 8) % N_HELD;

      machine = flyweight_pool_get (stress->pool, &error,
                                    "reels", key + 1, "symbols", SYMBOLS, NULL);
      g_assert_no_error (error);
      worker->gets++;
      check_identity (stress, key, machine);

      switch ((state >> 16) % 16)
        {
        case 0:
          /* Hold it a while, dropping the one held before. */
          if (held[slot] != NULL)
            {
              check_alive (stress, held[slot]);
              release_machine (held[slot]);
            }
          held[slot] = machine;
          break;

        case 1:
          /* Hand it to whichever thread comes next for this key: it will
           * be released, maybe finalized, there. */
          machine = g_atomic_pointer_exchange (&stress->mailbox[key], machine);
          if (machine != NULL)
            {
              check_alive (stress, machine);
              release_machine (machine);
            }
          break;

        case 2:
          /* Let go of everything this thread holds. */
          release_machine (machine);
          for (guint k = 0; k < N_HELD; k++)
            g_clear_pointer (&held[k], release_machine);
          machine = g_atomic_pointer_exchange (&stress->mailbox[key], NULL);
          g_clear_pointer (&machine, release_machine);
          break;

        default:
          /* Drop it at once: often the last reference. */
          release_machine (machine);
          break;
        }
    }

  for (guint k = 0; k < N_HELD; k++)
    g_clear_pointer (&held[k], release_machine);

  return NULL;
}

static void
run_stress (guint n_keys,
            guint keep_alive)
{
  gboolean quick = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL;
  Stress stress = { NULL, };
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  g_autoptr(FlyweightPoolStats) stats = NULL;
  guint64 gets = 0;
  gint64 start, elapsed;

  /* At least a million gets in all, but for valgrind. */
  stress.operations = quick ? 5000 : 250000;
  stress.pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  flyweight_pool_set_keep_alive (stress.pool, keep_alive);
  stress.n_keys = n_keys;
  stress.witnesses = g_new0 (Witness, n_keys);
  stress.mailbox = g_new0 (gpointer, n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      g_mutex_init (&stress.witnesses[k].lock);
      g_weak_ref_init (&stress.witnesses[k].last, NULL);
    }

  start = g_get_monotonic_time ();
  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { &stress, t, 0 };
      threads[t] = g_thread_new ("pool-stress", stress_worker, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      gets += workers[t].gets;
    }
  elapsed = g_get_monotonic_time () - start;

  for (guint k = 0; k < n_keys; k++)
    g_clear_pointer (&stress.mailbox[k], release_machine);

  stats = flyweight_pool_get_stats (stress.pool);
  g_test_message ("%u threads, %u keys, keep-alive %u: %" G_GUINT64_FORMAT " gets in %.2f s "
                  "(%.0f ns per get), %" G_GUINT64_FORMAT " hits, %" G_GUINT64_FORMAT " machines "
                  "built and %d finalized, peak %u",
                  N_THREADS, n_keys, keep_alive, gets, elapsed / 1e6,
                  elapsed * 1e3 / (double) gets, stats->hits, stats->misses,
                  g_atomic_int_get (&stress.finalized), stats->peak);

  g_assert_cmpint (g_atomic_int_get (&stress.two_alive), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&stress.dying_handed_out), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&stress.wrong_machine), ==, 0);
  g_assert_cmpuint (gets, ==, (guint64) N_THREADS * stress.operations);
  g_assert_cmpuint (stats->hits + stats->misses, ==, gets);
  g_assert_cmpuint (stats->peak, <=, n_keys);

  /* Machines died and were rebuilt, many times: the race was exercised. */
  g_assert_cmpuint (stats->misses, >, n_keys);

  /* Everything is released: with no keep-alive the pool is empty, and
   * every machine ever built has been finalized. */
  g_clear_object (&stress.pool);
  g_assert_cmpint (g_atomic_int_get (&stress.finalized), ==, g_atomic_int_get (&stress.markers));
  g_assert_cmpuint (stats->misses, ==, (guint64) g_atomic_int_get (&stress.markers));

  for (guint k = 0; k < n_keys; k++)
    {
      g_assert_null (g_weak_ref_get (&stress.witnesses[k].last));
      g_weak_ref_clear (&stress.witnesses[k].last);
      g_mutex_clear (&stress.witnesses[k].lock);
    }
  g_free (stress.witnesses);
  g_free (stress.mailbox);
}

static void
test_pool_stress_weak (void)
{
  run_stress (N_KEYS, 0);
}

static void
test_pool_stress_keep_alive (void)
{
  /* Fewer slots than keys: machines keep being pushed out while other
   * threads take them through the kept path. */
  run_stress (N_KEYS, N_KEYS - 1);
}

static void
test_pool_stress_many_keys (void)
{
  /* Several entries a shard: pages fill, empty and go while other threads
   * look entries up in them, and the shards' tables grow and shrink. */
  run_stress (N_MANY_KEYS, 0);
}

static void
test_pool_stress_many_keys_kept (void)
{
  run_stress (N_MANY_KEYS, N_MANY_KEYS / 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  marker_quark = g_quark_from_static_string ("test-pool-stress-marker");

  g_test_add_func ("/pool/stress/weak", test_pool_stress_weak);
  g_test_add_func ("/pool/stress/keep-alive", test_pool_stress_keep_alive);
  g_test_add_func ("/pool/stress/many-keys", test_pool_stress_many_keys);
  g_test_add_func ("/pool/stress/many-keys-kept", test_pool_stress_many_keys_kept);

  return g_test_run ();
}
