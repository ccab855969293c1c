/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight-bench: the timing side of the measurements, run with
 * `meson compile -C BUILD bench` (the test suite runs it with tiny counts
 * so that it keeps working). Every figure is the median of several
 * repetitions of a loop timed as a whole on the monotonic clock. Every
 * repetition runs every row once, the C rows and the reference rows of
 * CPython and PyGObject in turn, so that a slow spell of a shared machine
 * falls on both sides of a ratio. Memory is flyweight-memit's business. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyweight.h>
#include <json-glib/json-glib.h>

#include "bench-pool.h"
#include "memit-output.h"
#include "memit-rows.h"
#include "memit-run.h"

#define EXIT_USAGE      2
#define MAX_REPETITIONS 63

static int opt_count = 200000;
static int opt_operations = 1000000;
static int opt_repetitions = 5;
static gboolean opt_json = FALSE;
static char *opt_output = NULL;
static gboolean opt_no_python = FALSE;
static gboolean opt_no_bindings = FALSE;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
    "Instances per creation loop (default 200000)", "N" },
  { "operations", 'm', 0, G_OPTION_ARG_INT, &opt_operations,
    "Operations per attribute loop; draw() loops do a fifth (default 1000000)", "M" },
  { "repetitions", 'r', 0, G_OPTION_ARG_INT, &opt_repetitions,
    "Loops per figure, of which the median is reported (default 5)", "R" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print JSON instead of the tables", NULL },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    "Also write the JSON to FILE", "FILE" },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    "Leave out the CPython and PyGObject rows", NULL },
  { "no-bindings", 0, 0, G_OPTION_ARG_NONE, &opt_no_bindings,
    "Leave out the PyGObject rows", NULL },
  { NULL }
};

/* What the C operation rows work on: a PokiesDynamic and a naive hash
 * table that both hold an "owner" already, and a PokiesSlotted. */
typedef struct
{
  FlyweightPokies *dynamic;
  FlyweightPokies *slotted;
  GHashTable      *table;
  GValue           owner;

  /* A store of 3×10 machines, enough for any loop, whose last row has a
   * live view; and a GListStore of one item, the list model floor. */
  FlyweightPokiesStore *store;
  FlyweightPokiesView  *held;
  GListStore           *list_store;
} Fixture;

static void
free_value (gpointer data)
{
  g_value_unset (data);
  g_free (data);
}

static guint64
run_get_attr (Fixture *fixture,
              gsize    n)
{
  guint64 start = memit_now_ns ();

  /* As GObject's own getters: the caller's GValue gets a copy. */
  for (gsize i = 0; i < n; i++)
    {
      GValue value = G_VALUE_INIT;

      flyweight_pokies_get_attr (fixture->dynamic, "owner", &value, NULL);
      g_value_unset (&value);
    }

  return memit_now_ns () - start;
}

static guint64
run_peek_attr (Fixture *fixture,
               gsize    n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    flyweight_pokies_peek_attr (fixture->dynamic, "owner", NULL);

  return memit_now_ns () - start;
}

static guint64
run_set_attr (Fixture *fixture,
              gsize    n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    flyweight_pokies_set_attr (fixture->dynamic, "owner", &fixture->owner, NULL);

  return memit_now_ns () - start;
}

static guint64
run_hash_get (Fixture *fixture,
              gsize    n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    {
      const GValue *stored = g_hash_table_lookup (fixture->table, "owner");
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_VALUE_TYPE (stored));
      g_value_copy (stored, &value);
      g_value_unset (&value);
    }

  return memit_now_ns () - start;
}

static guint64
run_hash_set (Fixture *fixture,
              gsize    n)
{
  guint64 start = memit_now_ns ();

  /* In place, as real code would: find the value and copy over it
   * (g_value_copy() releases what the destination held). */
  for (gsize i = 0; i < n; i++)
    g_value_copy (&fixture->owner, g_hash_table_lookup (fixture->table, "owner"));

  return memit_now_ns () - start;
}

static guint64
run_draw (FlyweightPokies *pokies,
          gsize            n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    {
      guint n_values;

      g_free (flyweight_pokies_draw (pokies, &n_values));
    }

  return memit_now_ns () - start;
}

static guint64
run_draw_slotted (Fixture *fixture,
                  gsize    n)
{
  return run_draw (fixture->slotted, n);
}

static guint64
run_draw_dynamic (Fixture *fixture,
                  gsize    n)
{
  return run_draw (fixture->dynamic, n);
}

static guint64
run_get_item_fresh (Fixture *fixture,
                    gsize    n)
{
  GPtrArray *kept = g_ptr_array_new_full ((guint) n, g_object_unref);
  guint64 start = memit_now_ns ();
  guint64 elapsed;

  /* Made and kept, as the creation rows keep what they make. */
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (kept, g_list_model_get_item (G_LIST_MODEL (fixture->store), (guint) i));
  elapsed = memit_now_ns () - start;
  g_ptr_array_unref (kept);

  return elapsed;
}

static guint64
run_get_item_live (Fixture *fixture,
                   gsize    n)
{
  guint position = flyweight_pokies_view_get_position (fixture->held);
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (fixture->store), position));

  return memit_now_ns () - start;
}

static guint64
run_list_store_get_item (Fixture *fixture,
                         gsize    n)
{
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (fixture->list_store), 0));

  return memit_now_ns () - start;
}

static guint64
run_draw_all (Fixture *fixture,
              gsize    n)
{
  guint64 start = memit_now_ns ();

  flyweight_pokies_store_draw_range (fixture->store, 0, (guint) n, NULL);

  return memit_now_ns () - start;
}

typedef enum
{
  SECTION_CREATION,    /* ns per instance, N per loop */
  SECTION_ATTRIBUTES,  /* ns per operation, M per loop */
  SECTION_DRAW,        /* ns per call, M / 5 per loop */
  SECTION_POOL,        /* ns per request, M / 5 per loop */
  N_SECTIONS
} Section;

static const char * const section_ids[N_SECTIONS] = { "creation", "attributes", "draw", "pool" };

/**
 * BenchRow:
 *
 * One timed loop. A row either times the creation loop of one of
 * flyweight-memit's rows (@creates, C or interpreted alike), or a C loop
 * (@run on the fixture, @run_alone on state of its own), or an
 * interpreted loop (@runner, @setup before the timer and @body for each
 * `i`, in the runner's language). @floor names the C row it is compared
 * with, @reference the CPython row.
 */
typedef struct
{
  const char   *id;
  const char   *label;
  Section       section;
  const char   *floor;
  const char   *reference;
  const char   *creates;
  guint64     (*run) (Fixture *fixture,
                      gsize    n);
  guint64     (*run_alone) (gsize n);
  MemitRunner   runner;
  const char   *setup;
  const char   *body;
} BenchRow;

#define PYTHON_OWNER    "o = Pokies(3, 10); o.owner = 'Aristocrat'"
#define PYGOBJECT_OWNER "o = Flyweight.PokiesDynamic.new(3, 10); o.set_attr('owner', 'Aristocrat')"

static const BenchRow rows[] = {
  { "slotted", "flyweight_pokies_slotted_new (3, 10)", SECTION_CREATION,
    "gobject-floor", "python-slots", .creates = "slotted" },
  { "slotted-props", "g_object_new (POKIES_SLOTTED, \"reels\", 3, …)", SECTION_CREATION,
    "gobject-floor", "python-slots", .creates = "slotted-props" },
  { "dynamic", "flyweight_pokies_dynamic_new (3, 10)", SECTION_CREATION,
    "gobject-floor", "python-dict", .creates = "dynamic" },
  { "dynamic-props", "g_object_new (POKIES_DYNAMIC, \"reels\", 3, …)", SECTION_CREATION,
    "gobject-floor", "python-dict", .creates = "dynamic-props" },
  { "gobject-floor", "GObject, two fields, g_object_new (T, NULL)", SECTION_CREATION,
    NULL, "python-slots", .creates = "gobject-floor" },
  { "gobject-floor-props", "GObject, two construct-only properties", SECTION_CREATION,
    "gobject-floor", "python-slots", .creates = "gobject-floor-props" },
  { "malloc-struct", "g_malloc of two guints", SECTION_CREATION,
    "gobject-floor", "python-slots", .creates = "malloc-struct" },
  { "hashtable", "GObject + GHashTable of two GValues", SECTION_CREATION,
    "gobject-floor", "python-dict", .creates = "hashtable" },
  { "python-dict", "CPython Pokies(3, 10)", SECTION_CREATION, .creates = "python-dict" },
  { "python-slots", "CPython FlyweightPokies(3, 10)", SECTION_CREATION, .creates = "python-slots" },
  { "python-weakslots", "CPython WeakPokies(3, 10)", SECTION_CREATION, .creates = "python-weakslots" },
  { "pygobject-slotted", "PyGObject Flyweight.PokiesSlotted.new(3, 10)", SECTION_CREATION,
    NULL, "python-slots", .creates = "pygobject-slotted" },
  { "get-item-fresh", "PokiesStore get_item () of a fresh row, kept", SECTION_CREATION,
    "slotted", NULL, .run = run_get_item_fresh },

  { "get_attr", "get_attr (\"owner\", caller's GValue)", SECTION_ATTRIBUTES,
    "hashtable-get", "python-get", .run = run_get_attr },
  { "peek_attr", "peek_attr (\"owner\")", SECTION_ATTRIBUTES,
    "hashtable-get", "python-get", .run = run_peek_attr },
  { "hashtable-get", "GHashTable lookup + GValue copy", SECTION_ATTRIBUTES,
    NULL, "python-get", .run = run_hash_get },
  { "set_attr", "set_attr (\"owner\") over an existing one", SECTION_ATTRIBUTES,
    "hashtable-set", "python-set", .run = run_set_attr },
  { "hashtable-set", "GHashTable lookup + g_value_copy in place", SECTION_ATTRIBUTES,
    NULL, "python-set", .run = run_hash_set },
  { "python-get", "CPython o.owner", SECTION_ATTRIBUTES,
    .runner = MEMIT_RUNNER_PYTHON, .setup = PYTHON_OWNER, .body = "o.owner" },
  { "python-set", "CPython o.owner = 'Aristocrat'", SECTION_ATTRIBUTES,
    .runner = MEMIT_RUNNER_PYTHON, .setup = PYTHON_OWNER, .body = "o.owner = 'Aristocrat'" },
  { "python-empty-loop", "CPython empty loop (inside each row above)", SECTION_ATTRIBUTES,
    .runner = MEMIT_RUNNER_PYTHON, .setup = "", .body = "pass" },
  { "pygobject-get", "PyGObject o.get_attr('owner')", SECTION_ATTRIBUTES,
    NULL, "python-get", .runner = MEMIT_RUNNER_PYGOBJECT, .setup = PYGOBJECT_OWNER,
    .body = "o.get_attr('owner')" },
  { "pygobject-set", "PyGObject o.set_attr('owner', 'Aristocrat')", SECTION_ATTRIBUTES,
    NULL, "python-set", .runner = MEMIT_RUNNER_PYGOBJECT, .setup = PYGOBJECT_OWNER,
    .body = "o.set_attr('owner', 'Aristocrat')" },

  { "get-item-live", "PokiesStore get_item () + unref, the view alive", SECTION_ATTRIBUTES,
    "list-store-get-item", NULL, .run = run_get_item_live },
  { "list-store-get-item", "GListStore get_item () + unref", SECTION_ATTRIBUTES,
    NULL, NULL, .run = run_list_store_get_item },

  { "draw-slotted", "PokiesSlotted 3×10 draw ()", SECTION_DRAW,
    NULL, "python-draw-slots", .run = run_draw_slotted },
  { "draw-dynamic", "PokiesDynamic 3×10 draw ()", SECTION_DRAW,
    NULL, "python-draw-dict", .run = run_draw_dynamic },
  { "python-draw-slots", "CPython FlyweightPokies(3, 10).draw()", SECTION_DRAW,
    .runner = MEMIT_RUNNER_PYTHON, .setup = "o = FlyweightPokies(3, 10)", .body = "o.draw()" },
  { "python-draw-dict", "CPython Pokies(3, 10).draw()", SECTION_DRAW,
    .runner = MEMIT_RUNNER_PYTHON, .setup = "o = Pokies(3, 10)", .body = "o.draw()" },

  /* A hit: the machine is held elsewhere. Then what a weak lookup pays at
   * least, and GLib's and CPython's own weak interning of a value. */
  { "pool-hit", "flyweight_pool_get (3 × 10, held) + unref", SECTION_POOL,
    "ref-string-intern", "python-wvd-get", .run_alone = bench_pool_hit },
  { "pool-hit-gvalues", "get_with_properties (3 × 10, held) + unref", SECTION_POOL,
    "pool-hit", NULL, .run_alone = bench_pool_hit_gvalues },
  { "pool-hit-kept", "flyweight_pool_get, kept by the keep-alive + unref", SECTION_POOL,
    "ref-string-intern", "python-wvd-get", .run_alone = bench_pool_hit_kept },
  { "pool-hit-spread", "flyweight_pool_get over 256 held machines in turn + unref", SECTION_POOL,
    "weak-ref-get", NULL, .run_alone = bench_pool_hit_spread },
  { "object-ref", "g_object_ref + g_object_unref", SECTION_POOL,
    .run_alone = bench_pool_object_ref },
  { "weak-ref-get", "g_weak_ref_get + g_object_unref", SECTION_POOL,
    "object-ref", .run_alone = bench_pool_weak_ref_get },
  { "ref-string-intern", "g_ref_string_new_intern (\"3x10\", held) + release", SECTION_POOL,
    "object-ref", .run_alone = bench_pool_ref_string_intern },
  { "python-wvd-get", "CPython WeakValueDictionary d[(3, 10)], held", SECTION_POOL,
    .runner = MEMIT_RUNNER_PYTHON,
    .setup = "import weakref; d = weakref.WeakValueDictionary(); key = (3, 10); "
             "held = d[key] = WeakPokies(3, 10)",
    .body = "d[key]" },
  { "pygobject-pool-get", "PyGObject pool.get(reels=3, symbols=10), held", SECTION_POOL,
    NULL, "python-wvd-get", .runner = MEMIT_RUNNER_PYGOBJECT,
    .setup = "pool = Flyweight.Pool.new(Flyweight.PokiesSlotted); held = pool.get(reels=3, symbols=10)",
    .body = "pool.get(reels=3, symbols=10)" },
  /* A miss: nobody holds the machine, so each request builds it and its
   * release finalizes it; against building it directly. */
  { "pool-miss", "flyweight_pool_get (nobody holds it) + unref", SECTION_POOL,
    "construct-properties", .run_alone = bench_pool_miss },
  { "construct-properties", "g_object_new (POKIES_SLOTTED, \"reels\", 3, …) + unref", SECTION_POOL,
    .run_alone = bench_pool_construct },
  { "miss-floor", "g_object_new + a GWeakRef and a finalize notification + unref", SECTION_POOL,
    "construct-properties", .run_alone = bench_pool_miss_floor },
  { "pool-churn-kept", "the same with a keep-alive of 16: churn", SECTION_POOL,
    "pool-miss", .run_alone = bench_pool_churn_kept },
  /* Threads: the requests of a loop shared by one or two threads, the wall
   * time; beside two threads that share nothing, the machine's ceiling. */
  { "threads-1-spin", "1 thread sharing nothing", SECTION_POOL,
    .run_alone = bench_pool_spin_1 },
  { "threads-2-spin", "2 threads sharing nothing", SECTION_POOL,
    "threads-1-spin", .run_alone = bench_pool_spin_2 },
  { "threads-1-held", "1 thread, 4 keys, held: hits", SECTION_POOL,
    .run_alone = bench_pool_threads_1_held },
  { "threads-2-same-held", "2 threads, the same 4 keys, held", SECTION_POOL,
    "threads-1-held", .run_alone = bench_pool_threads_2_same },
  { "threads-2-distinct-held", "2 threads, 4 keys each, held", SECTION_POOL,
    "threads-1-held", .run_alone = bench_pool_threads_2_distinct },
  { "threads-1-kept", "1 thread, 4 keys, held and kept", SECTION_POOL,
    .run_alone = bench_pool_threads_1_kept },
  { "threads-2-same-kept", "2 threads, the same 4 keys, kept", SECTION_POOL,
    "threads-1-kept", .run_alone = bench_pool_threads_2_same_kept },
  { "threads-2-distinct-kept", "2 threads, 4 keys each, kept", SECTION_POOL,
    "threads-1-kept", .run_alone = bench_pool_threads_2_distinct_kept },
  /* The floors of the held and kept rows: GLib's own g_weak_ref_get() and
   * g_object_ref() on the same four machines, by one thread and by two. */
  { "threads-1-weakref", "1 thread, g_weak_ref_get + unref, 4 machines", SECTION_POOL,
    .run_alone = bench_pool_threads_1_weak_ref },
  { "threads-2-same-weakref", "2 threads, g_weak_ref_get, the same 4 machines", SECTION_POOL,
    "threads-1-weakref", .run_alone = bench_pool_threads_2_same_weak_ref },
  { "threads-2-distinct-weakref", "2 threads, g_weak_ref_get, 4 machines each", SECTION_POOL,
    "threads-1-weakref", .run_alone = bench_pool_threads_2_distinct_weak_ref },
  { "threads-1-ref", "1 thread, g_object_ref + unref, 4 machines", SECTION_POOL,
    .run_alone = bench_pool_threads_1_ref },
  { "threads-2-same-ref", "2 threads, g_object_ref, the same 4 machines", SECTION_POOL,
    "threads-1-ref", .run_alone = bench_pool_threads_2_same_ref },
  { "threads-2-distinct-ref", "2 threads, g_object_ref, 4 machines each", SECTION_POOL,
    "threads-1-ref", .run_alone = bench_pool_threads_2_distinct_ref },
  { "threads-1-churn", "1 thread, 4 keys nobody holds", SECTION_POOL,
    .run_alone = bench_pool_threads_1_churn },
  { "threads-2-same-churn", "2 threads, the same 4 keys, nobody holds them", SECTION_POOL,
    "threads-1-churn", .run_alone = bench_pool_threads_2_same_churn },
  { "threads-2-distinct-churn", "2 threads, 4 keys each, nobody holds them", SECTION_POOL,
    "threads-1-churn", .run_alone = bench_pool_threads_2_distinct_churn },
  /* Pulling every arm: the store in one call, CPython over its list. */
  { "draw-all", "PokiesStore draw_range () of 3×10 machines, per machine", SECTION_DRAW,
    NULL, "python-draw-list", .run = run_draw_all },
  { "python-draw-list", "CPython: draw() on each FlyweightPokies(3, 10) of a list", SECTION_DRAW,
    .runner = MEMIT_RUNNER_PYTHON, .setup = "machines = [FlyweightPokies(3, 10) for _ in range(count)]",
    .body = "machines[i].draw()" },
};

/* What the project aims at, from the rows of one run. */
static const struct {
  const char *row;
  const char *against;
  double      limit;
  /* GLib's own floor of the same ratio, where one caps what the row can
   * reach: shown beside it, so that a miss the floor forces reads so. */
  const char *floor_row;
  const char *floor_against;
} goals[] = {
  { "get_attr", "python-get", 1.0 },
  { "set_attr", "python-set", 1.5 },
  { "slotted", "gobject-floor", 2.0 },
  { "pool-miss", "construct-properties", 1.5, "miss-floor", "construct-properties" },
  /* Wall time per request: at least one thread's throughput is 1.0 or
   * less, 1.6 times it 0.625 or less. */
  { "threads-2-same-held", "threads-1-held", 1.0,
    "threads-2-same-weakref", "threads-1-weakref" },
  { "threads-2-distinct-held", "threads-1-held", 0.625,
    "threads-2-distinct-weakref", "threads-1-weakref" },
  { "threads-2-same-kept", "threads-1-kept", 1.0,
    "threads-2-same-ref", "threads-1-ref" },
  { "threads-2-distinct-kept", "threads-1-kept", 0.625,
    "threads-2-distinct-ref", "threads-1-ref" },
  { "threads-2-same-churn", "threads-1-churn", 1.0 },
  { "threads-2-distinct-churn", "threads-1-churn", 0.625 },
  { "draw-all", "python-draw-list", 0.02 },
  { "get-item-fresh", "slotted", 1.5 },
};

/* The interpreter that times a runner's rows, kept for the whole run. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *replies;
  GOutputStream    *requests;
  char             *runtime;
} Server;

static MemitRunner
row_runner (const BenchRow *row)
{
  return row->creates != NULL ? memit_rows_lookup (row->creates)->runner : row->runner;
}

static gsize
section_count (Section section)
{
  switch (section)
    {
    case SECTION_CREATION:
      return (gsize) opt_count;
    case SECTION_ATTRIBUTES:
      return (gsize) opt_operations;
    case SECTION_DRAW:
    case SECTION_POOL:
      return MAX (1, (gsize) opt_operations / 5);
    case N_SECTIONS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
server_start (Server       *server,
              MemitRunner   runner,
              GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = memit_runner_argv (runner, "serve", error);

  if (argv == NULL)
    return FALSE;

  launcher = memit_runner_launcher (runner, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (server->process == NULL)
    return FALSE;

  server->requests = g_subprocess_get_stdin_pipe (server->process);
  server->replies = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  return TRUE;
}

static void
server_stop (Server *server)
{
  if (server->process == NULL)
    return;

  g_output_stream_close (server->requests, NULL, NULL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->replies);
  g_clear_object (&server->process);
  g_clear_pointer (&server->runtime, g_free);
}

/* Asks @server to run one loop of @n; returns its nanoseconds. */
static gboolean
server_time (Server       *server,
             const char   *prepare,
             const char   *presize,
             const char   *body,
             gsize         n,
             guint64      *elapsed,
             GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  g_autofree char *reply = NULL;
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prepare");
  json_builder_add_string_value (builder, prepare != NULL ? prepare : "");
  json_builder_set_member_name (builder, "presize");
  json_builder_add_string_value (builder, presize != NULL ? presize : "");
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) n);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  line = json_to_string (request, FALSE);

  if (!g_output_stream_printf (server->requests, NULL, NULL, error, "%s\n", line) ||
      !g_output_stream_flush (server->requests, NULL, error))
    return FALSE;

  reply = g_data_input_stream_read_line_utf8 (server->replies, NULL, NULL, error);
  if (reply == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "the interpreter stopped");
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, reply, -1, error))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  *elapsed = (guint64) json_object_get_int_member (object, "ns");
  if (server->runtime == NULL)
    server->runtime = g_strdup (json_object_get_string_member (object, "runtime"));

  return TRUE;
}

/* One loop of @row over @n; returns its nanoseconds. */
static gboolean
time_row (const BenchRow  *row,
          Fixture         *fixture,
          Server          *servers,
          gsize            n,
          guint64         *elapsed,
          GError         **error)
{
  const MemitRow *creates = row->creates != NULL ? memit_rows_lookup (row->creates) : NULL;
  MemitBatch *batch;

  if (row->run != NULL)
    {
      *elapsed = row->run (fixture, n);
      return TRUE;
    }

  if (row->run_alone != NULL)
    {
      *elapsed = row->run_alone (n);
      return TRUE;
    }

  if (creates != NULL && creates->runner == MEMIT_RUNNER_C)
    {
      batch = memit_batch_new (creates, n);
      if (batch == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "out of memory");
          return FALSE;
        }
      *elapsed = memit_batch_fill (batch);
      memit_batch_free (batch);
      return TRUE;
    }

  if (creates != NULL)
    return server_time (&servers[creates->runner], creates->prepare, creates->presize,
                        creates->body, n, elapsed, error);

  return server_time (&servers[row->runner], NULL, row->setup, row->body, n, elapsed, error);
}

typedef struct
{
  const BenchRow *row;
  double          samples[MAX_REPETITIONS];
  double          ns;
} Timing;

static const Timing *
find_timing (const Timing *timings,
             gsize         n_timings,
             const char   *id)
{
  for (gsize i = 0; id != NULL && i < n_timings; i++)
    if (g_str_equal (timings[i].row->id, id))
      return &timings[i];

  return NULL;
}

static double
ratio_to (const Timing *timings,
          gsize         n_timings,
          double        value,
          const char   *id)
{
  const Timing *other = find_timing (timings, n_timings, id);

  return other != NULL && other->ns > 0 ? value / other->ns : NAN;
}

static char *
format_ratio (double      value,
              const char *id)
{
  return isfinite (value) ? g_strdup_printf ("%.2f× %s", value, id) : g_strdup ("");
}

static void
append_section (GString      *out,
                Section       section,
                const Timing *timings,
                gsize         n_timings)
{
  static const char * const units[] = { "instance", "operation", "call", "request" };
  const char *headers[] = { "row", "what", "ns", "× C floor", "× CPython" };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  g_string_append_printf (out, "\n%s, ns per %s (median of %d × %zu)\n", section_ids[section],
                          units[section], opt_repetitions, section_count (section));

  for (gsize c = 0; c < G_N_ELEMENTS (headers); c++)
    g_ptr_array_add (cells, g_strdup (headers[c]));
  for (gsize i = 0; i < n_timings; i++)
    {
      const Timing *timing = &timings[i];
      const BenchRow *row = timing->row;

      if (row->section != section)
        continue;
      g_ptr_array_add (cells, g_strdup (row->id));
      g_ptr_array_add (cells, g_strdup (row->label));
      g_ptr_array_add (cells, g_strdup_printf (timing->ns < 10 ? "%.1f" : "%.0f", timing->ns));
      g_ptr_array_add (cells, format_ratio (ratio_to (timings, n_timings, timing->ns, row->floor),
                                            row->floor));
      g_ptr_array_add (cells, format_ratio (ratio_to (timings, n_timings, timing->ns, row->reference),
                                            row->reference));
    }

  memit_append_columns (out, cells, "llrll");
}

static char *
format_json (const Timing *timings,
             gsize         n_timings,
             JsonObject   *environment,
             GString      *goal_lines)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *reached = json_array_new ();

  json_object_set_string_member (root, "program", "flyweight-bench " PACKAGE_VERSION);
  json_object_set_object_member (root, "environment", environment);
  json_object_set_int_member (root, "count", opt_count);
  json_object_set_int_member (root, "operations", opt_operations);
  json_object_set_int_member (root, "repetitions", opt_repetitions);
  json_object_set_string_member (root, "unit_note",
    "ns = median over the repetitions of one loop timed on the monotonic clock, per instance, "
    "operation or call. Each repetition runs every row once, C and interpreted rows in turn. "
    "The CPython and PyGObject loops include the interpreter's loop (see python-empty-loop).");

  for (int section = 0; section < N_SECTIONS; section++)
    {
      JsonArray *array = json_array_new ();

      for (gsize i = 0; i < n_timings; i++)
        {
          const Timing *timing = &timings[i];
          const BenchRow *row = timing->row;
          double to_floor = ratio_to (timings, n_timings, timing->ns, row->floor);
          double to_reference = ratio_to (timings, n_timings, timing->ns, row->reference);
          JsonObject *object;
          JsonArray *samples;

          if (row->section != (Section) section)
            continue;
          object = json_object_new ();
          samples = json_array_new ();
          json_object_set_string_member (object, "id", row->id);
          json_object_set_string_member (object, "label", row->label);
          json_object_set_double_member (object, "ns", timing->ns);
          for (int r = 0; r < opt_repetitions; r++)
            json_array_add_double_element (samples, timing->samples[r]);
          json_object_set_array_member (object, "samples", samples);
          memit_json_set_string (object, "floor", isfinite (to_floor) ? row->floor : NULL);
          memit_json_set_number (object, "ratio_to_floor", to_floor);
          memit_json_set_string (object, "reference", isfinite (to_reference) ? row->reference : NULL);
          memit_json_set_number (object, "ratio_to_reference", to_reference);
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (root, section_ids[section], array);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (goals); i++)
    {
      const Timing *timing = find_timing (timings, n_timings, goals[i].row);
      double value = timing != NULL ? ratio_to (timings, n_timings, timing->ns, goals[i].against) : NAN;
      const Timing *floor_timing = NULL;
      double floor_value = NAN;
      JsonObject *goal;

      if (goals[i].floor_row != NULL)
        floor_timing = find_timing (timings, n_timings, goals[i].floor_row);
      if (floor_timing != NULL)
        floor_value = ratio_to (timings, n_timings, floor_timing->ns, goals[i].floor_against);

      if (!isfinite (value))
        continue;
      goal = json_object_new ();
      json_object_set_string_member (goal, "row", goals[i].row);
      json_object_set_string_member (goal, "against", goals[i].against);
      json_object_set_double_member (goal, "ratio", value);
      json_object_set_double_member (goal, "limit", goals[i].limit);
      json_object_set_boolean_member (goal, "met", value <= goals[i].limit);
      if (isfinite (floor_value))
        {
          json_object_set_string_member (goal, "floor-row", goals[i].floor_row);
          json_object_set_string_member (goal, "floor-against", goals[i].floor_against);
          json_object_set_double_member (goal, "floor-ratio", floor_value);
        }
      json_array_add_object_element (reached, goal);

      g_string_append_printf (goal_lines, "  %-4s %s ≤ %g × %s: %.3f",
                              value <= goals[i].limit ? "met" : "MISS", goals[i].row,
                              goals[i].limit, goals[i].against, value);
      if (isfinite (floor_value))
        g_string_append_printf (goal_lines, " (GLib's floor, %s × %s: %.3f%s)",
                                goals[i].floor_row, goals[i].floor_against, floor_value,
                                floor_value > goals[i].limit ? ", above the goal" : "");
      g_string_append_c (goal_lines, '\n');
    }
  json_object_set_array_member (root, "goals", reached);

  return memit_json_to_data (root);
}

static gboolean
runner_is_wanted (MemitRunner runner)
{
  if (runner == MEMIT_RUNNER_PYTHON)
    return !opt_no_python;
  if (runner == MEMIT_RUNNER_PYGOBJECT)
    return !opt_no_python && !opt_no_bindings;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) timings = g_array_new (FALSE, TRUE, sizeof (Timing));
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GString) goal_lines = g_string_new (NULL);
  g_autofree char *glib = memit_describe_glib ();
  g_autofree char *json = NULL;
  Server servers[MEMIT_RUNNER_GJS + 1] = { { 0 } };
  Fixture fixture = { NULL, NULL, NULL, G_VALUE_INIT, NULL, NULL, NULL };
  JsonObject *environment;

  setlocale (LC_ALL, "");
  g_set_prgname ("flyweight-bench");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Times creation, attribute access, draw() and FlyweightPool beside the GObject, malloc\n"
    "and GHashTable floors, GLib's and CPython's weak interning and the notebook's CPython\n"
    "classes, and the library used from PyGObject.\n"
    "Figures are medians of R repetitions of a loop timed as a whole on the monotonic\n"
    "clock; each repetition runs every row once, C and interpreted rows in turn.\n"
    "Compare the ratios, not the absolute times.");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("flyweight-bench: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (argc > 1 || opt_count < 1 || opt_operations < 1 ||
      opt_repetitions < 1 || opt_repetitions > MAX_REPETITIONS)
    {
      g_printerr ("flyweight-bench: -n and -m must be at least 1, -r between 1 and %d, "
                  "and nothing else may follow the options\n", MAX_REPETITIONS);
      return EXIT_USAGE;
    }

  /* An interpreter that is not there takes its rows with it. */
  for (MemitRunner runner = MEMIT_RUNNER_PYTHON; runner <= MEMIT_RUNNER_PYGOBJECT; runner++)
    {
      g_autoptr(GError) missing = NULL;

      if (!runner_is_wanted (runner))
        continue;
      if (!memit_runner_find (runner, NULL, &missing))
        {
          g_printerr ("flyweight-bench: the %s rows are left out: %s\n",
                      runner == MEMIT_RUNNER_PYTHON ? "CPython" : "PyGObject", missing->message);
          continue;
        }
      if (!server_start (&servers[runner], runner, &error))
        {
          g_printerr ("flyweight-bench: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  fixture.dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  fixture.slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_value_init (&fixture.owner, G_TYPE_STRING);
  g_value_set_static_string (&fixture.owner, "Aristocrat");
  flyweight_pokies_set_attr (fixture.dynamic, "owner", &fixture.owner, NULL);
  fixture.store = flyweight_pokies_store_new ();
  flyweight_pokies_store_append_many (fixture.store,
                                      (guint) MAX (section_count (SECTION_CREATION),
                                                   section_count (SECTION_DRAW)) + 1,
                                      3, 10, NULL);
  fixture.held = flyweight_pokies_store_get_view (fixture.store,
                                                  g_list_model_get_n_items (G_LIST_MODEL (fixture.store)) - 1);
  fixture.list_store = g_list_store_new (FLYWEIGHT_TYPE_POKIES);
  g_list_store_append (fixture.list_store, fixture.slotted);
  fixture.table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_value);
  {
    GValue *stored = g_new0 (GValue, 1);

    g_value_init (stored, G_TYPE_STRING);
    g_value_set_string (stored, "Aristocrat");
    g_hash_table_insert (fixture.table, g_strdup ("owner"), stored);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    if (row_runner (&rows[i]) == MEMIT_RUNNER_C || servers[row_runner (&rows[i])].process != NULL)
      {
        Timing timing = { &rows[i] };

        g_array_append_val (timings, timing);
      }

  /* The order of a repetition: C and interpreted rows of each section
   * in turn. */
  for (int section = 0; section < N_SECTIONS; section++)
    {
      g_autoptr(GPtrArray) c_rows = g_ptr_array_new ();
      g_autoptr(GPtrArray) interpreted = g_ptr_array_new ();

      for (guint i = 0; i < timings->len; i++)
        {
          Timing *timing = &g_array_index (timings, Timing, i);

          if (timing->row->section == (Section) section)
            g_ptr_array_add (row_runner (timing->row) == MEMIT_RUNNER_C ? c_rows : interpreted, timing);
        }
      for (guint i = 0; i < MAX (c_rows->len, interpreted->len); i++)
        {
          if (i < c_rows->len)
            g_ptr_array_add (order, g_ptr_array_index (c_rows, i));
          if (i < interpreted->len)
            g_ptr_array_add (order, g_ptr_array_index (interpreted, i));
        }
    }

  /* A first, shorter pass is not counted: types, classes and compiled
   * loops come into being there. */
  for (int r = -1; r < opt_repetitions; r++)
    {
      if (!opt_json && r < 0)
        g_printerr ("flyweight-bench: warming up…\n");
      else if (!opt_json)
        g_printerr ("flyweight-bench: repetition %d of %d…\n", r + 1, opt_repetitions);

      for (guint i = 0; i < order->len; i++)
        {
          Timing *timing = g_ptr_array_index (order, i);
          gsize n = section_count (timing->row->section);
          guint64 elapsed;

          if (r < 0)
            n = MIN (n, 1000);
          if (!time_row (timing->row, &fixture, servers, n, &elapsed, &error))
            {
              g_printerr ("flyweight-bench: %s failed: %s\n", timing->row->id, error->message);
              return EXIT_FAILURE;
            }
          if (r >= 0)
            timing->samples[r] = (double) elapsed / (double) n;
        }
    }

  for (guint i = 0; i < timings->len; i++)
    {
      Timing *timing = &g_array_index (timings, Timing, i);
      double sorted[MAX_REPETITIONS];

      memcpy (sorted, timing->samples, sizeof sorted);
      timing->ns = memit_median (sorted, (gsize) opt_repetitions);
      if (!(timing->ns > 0))
        {
          g_printerr ("flyweight-bench: %s measured no time at all\n", timing->row->id);
          return EXIT_FAILURE;
        }
    }

  environment = json_object_new ();
  json_object_set_string_member (environment, "glib", glib);
  json_object_set_string_member (environment, "allocator",
                                 strstr (glib, "(GSlice)") != NULL ? "GSlice" : "malloc");
  memit_json_set_string (environment, "python", servers[MEMIT_RUNNER_PYTHON].runtime);
  memit_json_set_string (environment, "pygobject", servers[MEMIT_RUNNER_PYGOBJECT].runtime);

  json = format_json (&g_array_index (timings, Timing, 0), timings->len, environment, goal_lines);

  {
    const char *runtimes[] = {
      glib, servers[MEMIT_RUNNER_PYTHON].runtime, servers[MEMIT_RUNNER_PYGOBJECT].runtime,
    };
    g_autofree char *joined = memit_join_runtimes (runtimes, G_N_ELEMENTS (runtimes));

    g_string_append_printf (table, "flyweight-bench %s: %s\n", PACKAGE_VERSION, joined);
  }
  for (int section = 0; section < N_SECTIONS; section++)
    append_section (table, section, &g_array_index (timings, Timing, 0), timings->len);
  if (goal_lines->len > 0)
    g_string_append_printf (table, "\nGoals\n%s", goal_lines->str);

  fputs (opt_json ? json : table->str, stdout);

  if (opt_output != NULL && !g_file_set_contents (opt_output, json, -1, &error))
    {
      g_printerr ("flyweight-bench: %s\n", error->message);
      return EXIT_FAILURE;
    }

  for (MemitRunner runner = MEMIT_RUNNER_PYTHON; runner <= MEMIT_RUNNER_PYGOBJECT; runner++)
    server_stop (&servers[runner]);
  bench_pool_cleanup ();
  g_object_unref (fixture.held);
  g_object_unref (fixture.store);
  g_object_unref (fixture.list_store);
  g_object_unref (fixture.dynamic);
  g_object_unref (fixture.slotted);
  g_hash_table_unref (fixture.table);
  g_value_unset (&fixture.owner);

  return fflush (stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
