/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <flyweight.h>

#include "bench-pool.h"
#include "memit-measure.h"

/* The pool's timings, with the C reference rows of the same run: a hit
 * against g_object_ref() and g_weak_ref_get() (what any weak lookup pays
 * at least) and against GLib's own interning of a short string; a miss
 * against constructing the same machine directly; churn with and without
 * the keep-alive; and one thread against two, on the same keys and on
 * keys of their own. Every figure is the median of the repetitions, and
 * the repetitions of the rows that are compared are interleaved. */

typedef enum
{
  LOOP_POOL_HIT,
  LOOP_POOL_HIT_GVALUES,
  LOOP_POOL_HIT_KEPT,
  LOOP_OBJECT_REF,
  LOOP_WEAK_REF_GET,
  LOOP_REF_STRING_INTERN,
  LOOP_POOL_MISS,
  LOOP_CONSTRUCT_PROPERTIES,
  LOOP_CONSTRUCT_NEW,
  LOOP_POOL_CHURN_KEPT,
  N_LOOPS
} Loop;

static const struct {
  const char *id;
  const char *label;
  const char *reference;
} loops[N_LOOPS] = {
  [LOOP_POOL_HIT] = { "pool-hit", "flyweight_pool_get (3 x 10, held) + unref", "ref-string-intern" },
  [LOOP_POOL_HIT_GVALUES] = { "pool-hit-gvalues", "get_with_properties (3 x 10, held) + unref", "pool-hit" },
  [LOOP_POOL_HIT_KEPT] = { "pool-hit-kept", "flyweight_pool_get, kept by the keep-alive + unref", "pool-hit" },
  [LOOP_OBJECT_REF] = { "object-ref", "g_object_ref + g_object_unref", NULL },
  [LOOP_WEAK_REF_GET] = { "weak-ref-get", "g_weak_ref_get + g_object_unref", NULL },
  [LOOP_REF_STRING_INTERN] = { "ref-string-intern", "g_ref_string_new_intern (\"3x10\", held) + release", NULL },
  [LOOP_POOL_MISS] = { "pool-miss", "flyweight_pool_get (nobody holds it) + unref", "construct-properties" },
  [LOOP_CONSTRUCT_PROPERTIES] = { "construct-properties", "g_object_new (PokiesSlotted, \"reels\", 3, \"symbols\", 10) + unref", NULL },
  [LOOP_CONSTRUCT_NEW] = { "construct-new", "flyweight_pokies_slotted_new (3, 10) + unref", "construct-properties" },
  [LOOP_POOL_CHURN_KEPT] = { "pool-churn-kept", "get + unref (nobody holds it), keep-alive 8", "pool-miss" },
};

static double
time_loop (Loop  loop,
           gsize operations)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(GObject) held = NULL;
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  const char *names[] = { "reels", "symbols" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };
  GWeakRef weak;
  char *interned = g_ref_string_new_intern ("3x10");
  guint64 start, end;

  g_value_init (&values[0], G_TYPE_UINT);
  g_value_set_uint (&values[0], 3);
  g_value_init (&values[1], G_TYPE_UINT);
  g_value_set_uint (&values[1], 10);
  g_weak_ref_init (&weak, object);

  switch (loop)
    {
    case LOOP_POOL_HIT:
    case LOOP_POOL_HIT_GVALUES:
      held = flyweight_pool_get (pool, NULL, "reels", 3, "symbols", 10, NULL);
      break;
    case LOOP_POOL_HIT_KEPT:
      flyweight_pool_set_keep_alive (pool, 8);
      held = flyweight_pool_get (pool, NULL, "reels", 3, "symbols", 10, NULL);
      break;
    case LOOP_POOL_CHURN_KEPT:
      flyweight_pool_set_keep_alive (pool, 8);
      break;
    case LOOP_OBJECT_REF:
    case LOOP_WEAK_REF_GET:
    case LOOP_REF_STRING_INTERN:
    case LOOP_POOL_MISS:
    case LOOP_CONSTRUCT_PROPERTIES:
    case LOOP_CONSTRUCT_NEW:
    case N_LOOPS:
    default:
      break;
    }

  start = memit_measure_now_ns ();

  switch (loop)
    {
    case LOOP_POOL_HIT:
    case LOOP_POOL_HIT_KEPT:
    case LOOP_POOL_MISS:
    case LOOP_POOL_CHURN_KEPT:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (flyweight_pool_get (pool, NULL, "reels", 3, "symbols", 10, NULL));
      break;
    case LOOP_POOL_HIT_GVALUES:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (flyweight_pool_get_with_properties (pool, 2, names, values, NULL));
      break;
    case LOOP_OBJECT_REF:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (g_object_ref (object));
      break;
    case LOOP_WEAK_REF_GET:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (g_weak_ref_get (&weak));
      break;
    case LOOP_REF_STRING_INTERN:
      for (gsize i = 0; i < operations; i++)
        g_ref_string_release (g_ref_string_new_intern ("3x10"));
      break;
    case LOOP_CONSTRUCT_PROPERTIES:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, "reels", 3, "symbols", 10, NULL));
      break;
    case LOOP_CONSTRUCT_NEW:
      for (gsize i = 0; i < operations; i++)
        g_object_unref (flyweight_pokies_slotted_new (3, 10, NULL));
      break;
    case N_LOOPS:
    default:
      g_assert_not_reached ();
    }

  end = memit_measure_now_ns ();

  g_weak_ref_clear (&weak);
  g_ref_string_release (interned);
  g_value_unset (&values[0]);
  g_value_unset (&values[1]);

  return (double) (end - start) / (double) operations;
}

/* ------------------------------------------------------------- threads */

typedef struct
{
  FlyweightPool *pool;
  guint          first_reels;   /* each thread cycles over four keys */
  gsize          operations;
} ThreadWork;

static gpointer
thread_work (gpointer data)
{
  ThreadWork *work = data;

  for (gsize i = 0; i < work->operations; i++)
    g_object_unref (flyweight_pool_get (work->pool, NULL,
                                        "reels", work->first_reels + (guint) (i % 4),
                                        "symbols", 10, NULL));

  return NULL;
}

/* Wall time of @n_threads threads doing @operations requests each, per
 * request of all of them: lower is more throughput. With @held, a holder
 * keeps every key's machine, so requests are hits; without, a machine
 * often dies with its last request and is built again. */
static double
time_threads (guint    n_threads,
              gboolean distinct,
              gboolean held,
              guint    keep_alive,
              gsize    operations)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(GPtrArray) holders = g_ptr_array_new_with_free_func (g_object_unref);
  ThreadWork work[2];
  GThread *threads[2];
  guint64 start, end;

  flyweight_pool_set_keep_alive (pool, keep_alive);
  for (guint t = 0; t < n_threads; t++)
    {
      work[t] = (ThreadWork) { pool, distinct ? 1 + 4 * t : 1, operations };
      if (held)
        for (guint k = 0; k < 4; k++)
          g_ptr_array_add (holders, flyweight_pool_get (pool, NULL, "reels", work[t].first_reels + k,
                                                        "symbols", 10, NULL));
    }

  start = memit_measure_now_ns ();
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bench-pool", thread_work, &work[t]);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  end = memit_measure_now_ns ();

  return (double) (end - start) / (double) (operations * n_threads);
}

/* The machine's own ceiling: threads that share nothing at all. On a
 * shared or busy machine two threads may not get two cores, and the
 * ratios of the pool's threaded rows are to be read against this one. */
static gpointer
spin_work (gpointer data)
{
  gsize operations = *(gsize *) data;
  guint32 state = 0x9e3779b9u;

  for (gsize i = 0; i < operations * 16; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
    }

  return GUINT_TO_POINTER (state);
}

static double
time_spin (guint n_threads,
           gsize operations)
{
  GThread *threads[2];
  guint64 start = memit_measure_now_ns (), end;

  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bench-spin", spin_work, &operations);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  end = memit_measure_now_ns ();

  return (double) (end - start) / (double) (operations * n_threads);
}

typedef struct
{
  const char *id;
  const char *label;
  guint       n_threads;
  gboolean    distinct;
  gboolean    held;
  guint       keep_alive;
  const char *reference;
} ThreadRow;

static const ThreadRow thread_rows[] = {
  { "threads-1-spin", "1 thread sharing nothing (the machine's ceiling)", 1, FALSE, FALSE, 0, NULL },
  { "threads-2-spin", "2 threads sharing nothing", 2, FALSE, FALSE, 0, "threads-1-spin" },
  { "threads-1-held", "1 thread, 4 keys, held: hits", 1, FALSE, TRUE, 0, NULL },
  { "threads-2-same-held", "2 threads, the same 4 keys, held", 2, FALSE, TRUE, 0, "threads-1-held" },
  { "threads-2-distinct-held", "2 threads, 4 keys each, held", 2, TRUE, TRUE, 0, "threads-1-held" },
  { "threads-1-kept", "1 thread, 4 keys, held and kept (keep-alive 8)", 1, FALSE, TRUE, 8, NULL },
  { "threads-2-same-kept", "2 threads, the same 4 keys, kept", 2, FALSE, TRUE, 8, "threads-1-kept" },
  { "threads-2-distinct-kept", "2 threads, 4 keys each, kept", 2, TRUE, TRUE, 8, "threads-1-kept" },
  { "threads-1-churn", "1 thread, 4 keys, nobody holds them", 1, FALSE, FALSE, 0, NULL },
  { "threads-2-same-churn", "2 threads, the same 4 keys, nobody holds them", 2, FALSE, FALSE, 0, "threads-1-churn" },
  { "threads-2-distinct-churn", "2 threads, 4 keys each, nobody holds them", 2, TRUE, FALSE, 0, "threads-1-churn" },
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *samples,
        guint   n)
{
  qsort (samples, n, sizeof *samples, compare_doubles);

  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/**
 * bench_pool_time:
 * @operations: requests per loop (per thread for the threaded rows)
 * @repetitions: loops per row, interleaved across the rows; at most 63
 *
 * Returns: (transfer full) (element-type BenchPoolRow): the rows
 */
GArray *
bench_pool_time (gsize operations,
                 guint repetitions)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (BenchPoolRow));
  double loop_samples[N_LOOPS][64];
  double thread_samples[G_N_ELEMENTS (thread_rows)][64];
  /* Misses build and free a machine each: a fifth of the requests. */
  gsize slow_operations = MAX (1, operations / 5);

  g_return_val_if_fail (repetitions >= 1 && repetitions < 64, rows);

  for (guint r = 0; r < repetitions; r++)
    {
      for (guint l = 0; l < N_LOOPS; l++)
        {
          gboolean slow = l == LOOP_POOL_MISS || l == LOOP_CONSTRUCT_PROPERTIES ||
                          l == LOOP_CONSTRUCT_NEW;

          loop_samples[l][r] = time_loop (l, slow ? slow_operations : operations);
        }

      for (guint t = 0; t < G_N_ELEMENTS (thread_rows); t++)
        {
          if (g_str_has_suffix (thread_rows[t].id, "-spin"))
            thread_samples[t][r] = time_spin (thread_rows[t].n_threads, operations);
          else
            thread_samples[t][r] = time_threads (thread_rows[t].n_threads, thread_rows[t].distinct,
                                                 thread_rows[t].held, thread_rows[t].keep_alive,
                                                 thread_rows[t].held ? operations : slow_operations);
        }
    }

  for (guint l = 0; l < N_LOOPS; l++)
    {
      BenchPoolRow row = { loops[l].id, loops[l].label,
                           median (loop_samples[l], repetitions), loops[l].reference };

      g_array_append_val (rows, row);
    }

  for (guint t = 0; t < G_N_ELEMENTS (thread_rows); t++)
    {
      BenchPoolRow row = { thread_rows[t].id, thread_rows[t].label,
                           median (thread_samples[t], repetitions), thread_rows[t].reference };

      g_array_append_val (rows, row);
    }

  return rows;
}
