/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <flyweight.h>

#include "bench-pool.h"
#include "memit-run.h"

/* The pool's loops, with the C reference loops of the same run: a hit
 * against g_object_ref() and g_weak_ref_get(), what any weak lookup pays
 * at least, and against GLib's own interning of a short string; a miss
 * against constructing the same machine; churn with the keep-alive; and
 * one thread against two, on the same keys and on keys of their own,
 * beside two threads that share nothing at all. */

static FlyweightPool *weak_pool;     /* holds 3 × 10, and the threads' keys */
static FlyweightPool *kept_pool;     /* the same, with a keep-alive */
static FlyweightPool *empty_pool;    /* nothing held: every request misses */
static FlyweightPool *churn_pool;    /* nothing held, a keep-alive */
static FlyweightPool *spread_pool;   /* SPREAD machines held */
static GPtrArray *held;
static GObject *floor_objects[8];    /* the machines 1 × 10 to 8 × 10 */
static GWeakRef floor_weak[8];      /* a weak reference on each */
static GObject *plain;
static GWeakRef plain_weak;
static char *interned;

/* More held machines than the pool's cache has slots, asked for in turn:
 * hits that each go through their shard. */
#define SPREAD 256

static void
ensure_state (void)
{
  if (held != NULL)
    return;

  held = g_ptr_array_new_with_free_func (g_object_unref);
  weak_pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  kept_pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  flyweight_pool_set_keep_alive (kept_pool, 16);
  empty_pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  churn_pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  flyweight_pool_set_keep_alive (churn_pool, 16);

  /* Keys 1 × 10 to 8 × 10 for the threads, 3 × 10 among them. */
  for (guint reels = 1; reels <= 8; reels++)
    {
      g_ptr_array_add (held, flyweight_pool_get (weak_pool, NULL, "reels", reels, "symbols", 10, NULL));
      g_ptr_array_add (held, flyweight_pool_get (kept_pool, NULL, "reels", reels, "symbols", 10, NULL));
    }

  for (guint i = 0; i < G_N_ELEMENTS (floor_objects); i++)
    {
      floor_objects[i] = g_ptr_array_index (held, 2 * i);
      g_weak_ref_init (&floor_weak[i], floor_objects[i]);
    }

  spread_pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  for (guint reels = 1; reels <= SPREAD; reels++)
    g_ptr_array_add (held, flyweight_pool_get (spread_pool, NULL, "reels", reels, "symbols", 10, NULL));

  plain = g_object_new (G_TYPE_OBJECT, NULL);
  g_weak_ref_init (&plain_weak, plain);
  interned = g_ref_string_new_intern ("3x10");
}

void
bench_pool_cleanup (void)
{
  if (held == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (floor_objects); i++)
    {
      g_weak_ref_clear (&floor_weak[i]);
      floor_objects[i] = NULL;
    }
  g_clear_pointer (&held, g_ptr_array_unref);
  g_clear_object (&weak_pool);
  g_clear_object (&kept_pool);
  g_clear_object (&empty_pool);
  g_clear_object (&churn_pool);
  g_clear_object (&spread_pool);
  g_weak_ref_clear (&plain_weak);
  g_clear_object (&plain);
  g_clear_pointer (&interned, g_ref_string_release);
}

static guint64
run_get (FlyweightPool *pool,
         gsize          n)
{
  guint64 start;

  ensure_state ();
  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_object_unref (flyweight_pool_get (pool, NULL, "reels", 3, "symbols", 10, NULL));

  return memit_now_ns () - start;
}

guint64
bench_pool_hit (gsize n)
{
  ensure_state ();
  return run_get (weak_pool, n);
}

guint64
bench_pool_hit_kept (gsize n)
{
  ensure_state ();
  return run_get (kept_pool, n);
}

guint64
bench_pool_hit_spread (gsize n)
{
  guint64 start;

  ensure_state ();
  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_object_unref (flyweight_pool_get (spread_pool, NULL,
                                        "reels", (guint) (i % SPREAD) + 1, "symbols", 10, NULL));

  return memit_now_ns () - start;
}

guint64
bench_pool_miss (gsize n)
{
  ensure_state ();
  return run_get (empty_pool, n);
}

guint64
bench_pool_churn_kept (gsize n)
{
  ensure_state ();
  return run_get (churn_pool, n);
}

guint64
bench_pool_hit_gvalues (gsize n)
{
  const char *names[] = { "reels", "symbols" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };
  guint64 start, end;

  ensure_state ();
  g_value_init (&values[0], G_TYPE_UINT);
  g_value_set_uint (&values[0], 3);
  g_value_init (&values[1], G_TYPE_UINT);
  g_value_set_uint (&values[1], 10);

  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_object_unref (flyweight_pool_get_with_properties (weak_pool, 2, names, values, NULL));
  end = memit_now_ns ();

  g_value_unset (&values[0]);
  g_value_unset (&values[1]);

  return end - start;
}

guint64
bench_pool_object_ref (gsize n)
{
  guint64 start;

  ensure_state ();
  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_object_unref (g_object_ref (plain));

  return memit_now_ns () - start;
}

guint64
bench_pool_weak_ref_get (gsize n)
{
  guint64 start;

  ensure_state ();
  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_object_unref (g_weak_ref_get (&plain_weak));

  return memit_now_ns () - start;
}

guint64
bench_pool_ref_string_intern (gsize n)
{
  guint64 start;

  ensure_state ();
  start = memit_now_ns ();
  for (gsize i = 0; i < n; i++)
    g_ref_string_release (g_ref_string_new_intern ("3x10"));

  return memit_now_ns () - start;
}

guint64
bench_pool_construct (gsize n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    g_object_unref (g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, "reels", 3, "symbols", 10, NULL));

  return memit_now_ns () - start;
}

/* What any miss of a weak table built on GWeakRef pays at least: the
 * construction, a weak reference, and a notification of the object's
 * finalization, which frees the weak reference. */
typedef struct
{
  GWeakRef weak;
} FloorEntry;

static void
floor_entry_free (gpointer data)
{
  FloorEntry *entry = data;

  g_weak_ref_clear (&entry->weak);
  g_free (entry);
}

guint64
bench_pool_miss_floor (gsize n)
{
  GQuark quark = g_quark_from_static_string ("bench-pool-floor-entry");
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    {
      GObject *object = g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, "reels", 3, "symbols", 10, NULL);
      FloorEntry *entry = g_new0 (FloorEntry, 1);

      g_weak_ref_init (&entry->weak, object);
      g_object_set_qdata_full (object, quark, entry, floor_entry_free);
      g_object_unref (object);
    }

  return memit_now_ns () - start;
}

/* ------------------------------------------------------------- threads */

typedef enum
{
  SPIN,
  WEAK,
  KEPT,
  EMPTY,
  FLOOR_WEAK_REF,
  FLOOR_REF,
} Which;

typedef struct
{
  Which          which;
  FlyweightPool *pool;
  guint          first_reels;   /* each thread cycles over four keys */
  gsize          requests;
} Work;

static gpointer
work_thread (gpointer data)
{
  Work *work = data;
  guint32 state = 0x9e3779b9u;

  /* The floors: what GLib alone pays for the same four machines. */
  if (work->which == FLOOR_WEAK_REF)
    {
      for (gsize i = 0; i < work->requests; i++)
        g_object_unref (g_weak_ref_get (&floor_weak[work->first_reels - 1 + (guint) (i % 4)]));
      return NULL;
    }

  if (work->which == FLOOR_REF)
    {
      for (gsize i = 0; i < work->requests; i++)
        g_object_unref (g_object_ref (floor_objects[work->first_reels - 1 + (guint) (i % 4)]));
      return NULL;
    }

  if (work->which == SPIN)
    {
      for (gsize i = 0; i < work->requests * 16; i++)
        {
          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
        }
      return GUINT_TO_POINTER (state);
    }

  for (gsize i = 0; i < work->requests; i++)
    g_object_unref (flyweight_pool_get (work->pool, NULL,
                                        "reels", work->first_reels + (guint) (i % 4),
                                        "symbols", 10, NULL));

  return NULL;
}

/* @n requests shared among @n_threads threads, on a pool whose machines
 * are held, held and kept, or not held at all, on the same four keys or
 * four keys each; the wall time. */
static guint64
run_threads (Which    which,
             guint    n_threads,
             gboolean distinct,
             gsize    n)
{
  FlyweightPool *pool;
  Work work[2];
  GThread *threads[2];
  guint64 start;

  ensure_state ();
  pool = which == WEAK ? weak_pool : which == KEPT ? kept_pool : which == EMPTY ? empty_pool : NULL;
  start = memit_now_ns ();
  for (guint t = 0; t < n_threads; t++)
    {
      work[t] = (Work) { which, pool, distinct ? 1 + 4 * t : 1, n / n_threads };
      threads[t] = g_thread_new ("bench-pool", work_thread, &work[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);

  return memit_now_ns () - start;
}

guint64 bench_pool_spin_1 (gsize n) { return run_threads (SPIN, 1, FALSE, n); }
guint64 bench_pool_spin_2 (gsize n) { return run_threads (SPIN, 2, FALSE, n); }
guint64 bench_pool_threads_1_held (gsize n) { return run_threads (WEAK, 1, FALSE, n); }
guint64 bench_pool_threads_2_same (gsize n) { return run_threads (WEAK, 2, FALSE, n); }
guint64 bench_pool_threads_2_distinct (gsize n) { return run_threads (WEAK, 2, TRUE, n); }
guint64 bench_pool_threads_1_kept (gsize n) { return run_threads (KEPT, 1, FALSE, n); }
guint64 bench_pool_threads_2_same_kept (gsize n) { return run_threads (KEPT, 2, FALSE, n); }
guint64 bench_pool_threads_2_distinct_kept (gsize n) { return run_threads (KEPT, 2, TRUE, n); }
guint64 bench_pool_threads_1_churn (gsize n) { return run_threads (EMPTY, 1, FALSE, n); }
guint64 bench_pool_threads_2_same_churn (gsize n) { return run_threads (EMPTY, 2, FALSE, n); }
guint64 bench_pool_threads_2_distinct_churn (gsize n) { return run_threads (EMPTY, 2, TRUE, n); }
guint64 bench_pool_threads_1_weak_ref (gsize n) { return run_threads (FLOOR_WEAK_REF, 1, FALSE, n); }
guint64 bench_pool_threads_2_same_weak_ref (gsize n) { return run_threads (FLOOR_WEAK_REF, 2, FALSE, n); }
guint64 bench_pool_threads_2_distinct_weak_ref (gsize n) { return run_threads (FLOOR_WEAK_REF, 2, TRUE, n); }
guint64 bench_pool_threads_1_ref (gsize n) { return run_threads (FLOOR_REF, 1, FALSE, n); }
guint64 bench_pool_threads_2_same_ref (gsize n) { return run_threads (FLOOR_REF, 2, FALSE, n); }
guint64 bench_pool_threads_2_distinct_ref (gsize n) { return run_threads (FLOOR_REF, 2, TRUE, n); }
