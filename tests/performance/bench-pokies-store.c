/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* bench-pokies-store: FlyweightPokiesStore's targets, each beside its
 * reference rows measured in the same run.
 *
 * - Memory: a million machines of ten configurations, each with an owner
 *   from a hundred and a last draw, in a store built from C, and, through
 *   flyweight-memit's rows, from PyGObject and gjs, against the notebook's
 *   `__slots__` class under CPython; and the same machines held as objects
 *   from PyGObject and gjs (fewer for gjs, whose wrappers cost O(live
 *   wrappers) each to make). Every row in a fresh process; bytes = RSS
 *   delta / N.
 * - Pull every arm: draw_all() on a million 3×10 machines against a
 *   CPython loop calling the notebook's draw() on a list of its
 *   FlyweightPokies, repetitions interleaved.
 * - get_item(): on a row whose view is alive, against GListStore's
 *   get_item(), and get_view() (the same without GListModel's interface
 *   dispatch); on fresh rows, against PokiesSlotted creation, both keeping
 *   what they make, and both letting it go again at once, beside the bare
 *   view object made without a store. A store with
 *   thread-safe-items does both again, beside what it pays GLib at least:
 *   g_weak_ref_get(), and PokiesSlotted creation with a GWeakRef.
 *
 * Figures are medians of repetitions timed as whole loops on the monotonic
 * clock. Run with `meson compile -C BUILD bench-store`. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <flyweight.h>

#include "memit-rows.h"
#include "memit-run.h"

#define EXIT_USAGE 2
#define WINDOW     256

static int opt_count = 1000000;
static int opt_get_count = 200000;
static int opt_repetitions = 5;
static char *opt_output = NULL;
static gboolean opt_no_bindings = FALSE;
static char *opt_child = NULL;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
    "Machines for the memory and draw rows (default 1000000)", "N" },
  { "get-count", 0, 0, G_OPTION_ARG_INT, &opt_get_count,
    "get_item() calls per timed loop (default 200000)", "N" },
  { "repetitions", 'r', 0, G_OPTION_ARG_INT, &opt_repetitions,
    "Loops per figure, of which the median is reported (default 5)", "R" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    "Also write the results as JSON to FILE", "FILE" },
  { "no-bindings", 0, 0, G_OPTION_ARG_NONE, &opt_no_bindings,
    "Leave out the CPython, PyGObject and gjs rows", NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child,
    "Measure the C store in this process and print one JSON line", "MODE" },
  { NULL }
};

typedef struct
{
  const char *id;
  char       *what;
  double      bytes;   /* NAN where not measured */
  double      ns;
  const char *reference;
} Row;

static GPtrArray *rows;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->what);
  g_free (row);
}

static void
add_row (const char *id,
         const char *what,
         double      bytes,
         double      ns,
         const char *reference)
{
  Row *row = g_new0 (Row, 1);

  row->id = id;
  row->what = g_strdup (what);
  row->bytes = bytes;
  row->ns = ns;
  row->reference = reference;
  g_ptr_array_add (rows, row);
}

static const Row *
find_row (const char *id)
{
  for (guint i = 0; id != NULL && i < rows->len; i++)
    if (g_str_equal (((Row *) g_ptr_array_index (rows, i))->id, id))
      return g_ptr_array_index (rows, i);

  return NULL;
}

static guint64
now_ns (void)
{
  return (guint64) g_get_monotonic_time () * 1000;
}

static guint64
rss (void)
{
  g_autofree char *statm = NULL;
  guint64 pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%*u %" G_GUINT64_FORMAT, &pages);

  return pages * (guint64) sysconf (_SC_PAGESIZE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
ratio (double value,
       double reference)
{
  return isfinite (value) && isfinite (reference) && reference > 0 ? value / reference : NAN;
}

static void
progress (const char *what)
{
  g_printerr ("… %s\n", what);
}

/* ---- the machines every store row holds ---- */

static FlyweightPokiesStore *
build_store (guint n)
{
  FlyweightPokiesStore *store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightRandom) random = flyweight_random_new (1);
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **column = g_new (const char *, MAX (n, 1));

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (owners, g_strdup_printf ("Owner %u", i));
  for (guint i = 0; i < n; i++)
    column[i] = g_ptr_array_index (owners, i % 100);

  for (guint c = 0; c < 10; c++)
    flyweight_pokies_store_append_many (store, n / 10 + (c < n % 10), 3, 10 + c, NULL);
  flyweight_pokies_store_set_attr_strings (store, "owner", 0, column, n, NULL);
  flyweight_pokies_store_draw_all (store, random);

  return store;
}

/* The C store in a fresh process: run as --child=store. */
static int
child_main (const char *mode,
            guint       n)
{
  FlyweightPokiesStore *store;
  guint64 before, after, start, end;

  if (!g_str_equal (mode, "store"))
    return EXIT_USAGE;

  /* Types, classes and the allocator's first blocks exist before the
   * first reading, as for every other row. */
  g_object_unref (build_store (100));

  before = rss ();
  start = now_ns ();
  store = build_store (n);
  end = now_ns ();
  after = rss ();

  g_print ("{\"mode\":\"store\",\"count\":%u,\"bytes\":%.3f,\"ns\":%.1f,\"runtime\":\"GLib %u.%u.%u\"}\n",
           n, ((double) after - (double) before) / n, (double) (end - start) / n,
           glib_major_version, glib_minor_version, glib_micro_version);
  g_object_unref (store);

  return EXIT_SUCCESS;
}

static char *
self_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_strdup (g_get_prgname ());
}

/* ---- children ---- */

/* Runs a child and returns the JSON object of its last line, or NULL with
 * a message: a missing interpreter costs its rows, not the run. */
static JsonObject *
run_json_child (GSubprocessLauncher *launcher,
                const char * const  *argv)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  const char *last = NULL;
  JsonNode *root;

  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child == NULL ||
      !g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error))
    {
      g_printerr ("bench-pokies-store: %s: %s\n", argv[0], error->message);
      return NULL;
    }
  if (!g_subprocess_get_successful (child))
    {
      g_printerr ("bench-pokies-store: %s failed\n", argv[0]);
      return NULL;
    }

  lines = g_strsplit (output != NULL ? output : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      last = lines[i];

  if (last == NULL || !json_parser_load_from_data (parser, last, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    {
      g_printerr ("bench-pokies-store: %s printed no result\n", argv[0]);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static double
number (JsonObject *object,
        const char *key)
{
  if (object == NULL || !json_object_has_member (object, key))
    return NAN;

  return json_object_get_double_member (object, key);
}

/* The draw loop of the notebook's class, in /usr/bin/python3. */
static JsonObject *
run_python_draw (guint n)
{
  g_autoptr(GSubprocessLauncher) launcher = memit_runner_launcher (MEMIT_RUNNER_PYTHON,
                                                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *program = NULL;
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autoptr(GError) error = NULL;

  if (!memit_runner_find (MEMIT_RUNNER_PYTHON, &program, &error))
    {
      g_printerr ("bench-pokies-store: %s\n", error->message);
      return NULL;
    }

  {
    const char *argv[] = {
      program, "-I", BENCH_SOURCE_DIR "/pokies-store-child.py", BENCH_NOTEBOOK, count, NULL
    };

    return run_json_child (launcher, argv);
  }
}

/* ---- memory ---- */

/* One of flyweight-memit's rows, measured as flyweight-memit does. */
static void
add_memit_row (const char *id,
               const char *what)
{
  const MemitRow *row = memit_rows_lookup (id);
  g_auto(MemitSample) sample = { 0 };
  g_autoptr(GError) error = NULL;
  gsize n = memit_row_count (row, (gsize) opt_count);
  g_autofree char *label = n < (gsize) opt_count ? g_strdup_printf ("%s (N = %" G_GSIZE_FORMAT ")", what, n)
                                                 : g_strdup (what);

  if (!memit_measure (row, (gsize) opt_count, NULL, NULL, &sample, &error))
    {
      g_printerr ("bench-pokies-store: %s: %s\n", id, error->message);
      add_row (id, label, NAN, NAN, "python-slots");
      return;
    }

  add_row (id, label, memit_sample_bytes_per_instance (&sample),
           memit_sample_ns_per_instance (&sample), g_str_equal (id, "python-slots") ? NULL : "python-slots");
}

static void
bench_memory (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *self = self_path ();
  g_autofree char *count = g_strdup_printf ("--count=%d", opt_count);
  const char *argv[] = { self, "--child=store", count, NULL };
  g_autoptr(JsonObject) c_store = NULL;

  progress ("memory, each row in a fresh process");

  c_store = run_json_child (launcher, argv);
  add_row ("c-store", "C: PokiesStore, bulk calls", number (c_store, "bytes"),
           number (c_store, "ns"), "python-slots");

  if (opt_no_bindings)
    return;

  add_memit_row ("python-slots", "CPython: the notebook's FlyweightPokies (__slots__) in a list");
  add_memit_row ("pygobject-store", "PyGObject: PokiesStore, bulk calls");
  add_memit_row ("gjs-store", "gjs: PokiesStore, bulk calls");
  add_memit_row ("pygobject-dynamic-owner", "PyGObject: PokiesDynamic + owner in a list");
  add_memit_row ("gjs-dynamic-owner", "gjs: PokiesDynamic + owner in an Array");
}

/* ---- pulling every arm ---- */

static void
bench_draw_all (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  guint repetitions = (guint) opt_repetitions;
  g_autofree double *c_samples = g_new (double, repetitions);
  g_autofree double *python_samples = g_new (double, repetitions);
  guint n_python = 0;

  progress ("pull every arm, repetitions interleaved");

  flyweight_pokies_store_append_many (store, (guint) opt_count, 3, 10, NULL);
  flyweight_pokies_store_draw_all (store, NULL);

  for (guint r = 0; r < repetitions; r++)
    {
      guint64 start = now_ns ();

      flyweight_pokies_store_draw_all (store, NULL);
      c_samples[r] = (double) (now_ns () - start) / opt_count;

      if (!opt_no_bindings)
        {
          g_autoptr(JsonObject) python = run_python_draw ((guint) opt_count);
          double ns = number (python, "ns");

          if (isfinite (ns))
            python_samples[n_python++] = ns;
        }
    }

  add_row ("c-draw-all", "C: draw_all () on a store of 3×10 machines", NAN,
           median (c_samples, repetitions), "python-draw");

  if (opt_no_bindings)
    return;

  add_row ("python-draw", "CPython: for p in machines: p.draw() (notebook's FlyweightPokies)",
           NAN, n_python > 0 ? median (python_samples, n_python) : NAN, NULL);
}

/* ---- get_item () ---- */

static void
bench_get_item (void)
{
  guint repetitions = (guint) opt_repetitions;
  guint n = (guint) opt_get_count;
  g_autofree double *live = g_new (double, repetitions);
  g_autofree double *live_typed = g_new (double, repetitions);
  g_autofree double *weak_get = g_new (double, repetitions);
  g_autofree double *list_store = g_new (double, repetitions);
  g_autofree double *fresh = g_new (double, repetitions);
  g_autofree double *fresh_typed = g_new (double, repetitions);
  g_autofree double *slotted = g_new (double, repetitions);
  g_autofree double *slotted_weak = g_new (double, repetitions);
  g_autofree double *bare_view = g_new (double, repetitions);
  g_autofree GWeakRef *weak_refs = g_new0 (GWeakRef, n);
  g_autofree double *fresh_window = g_new (double, repetitions);
  g_autofree double *slotted_window = g_new (double, repetitions);
  g_autofree double *shared_live = g_new (double, repetitions);
  g_autofree double *shared_fresh = g_new (double, repetitions);
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightPokiesStore) shared = g_object_new (FLYWEIGHT_TYPE_POKIES_STORE,
                                                          "thread-safe-items", TRUE, NULL);
  g_autoptr(FlyweightPokiesView) shared_held = NULL;
  g_autoptr(GListStore) reference = g_list_store_new (FLYWEIGHT_TYPE_POKIES);
  g_autoptr(FlyweightPokiesView) held = NULL;
  GWeakRef held_weak;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_full (n, g_object_unref);
  GObject *window[WINDOW] = { NULL };

  progress ("get_item (), repetitions interleaved");

  flyweight_pokies_store_append_many (store, n, 3, 10, NULL);
  held = flyweight_pokies_store_get_view (store, n / 2);
  flyweight_pokies_store_append_many (shared, n, 3, 10, NULL);
  shared_held = flyweight_pokies_store_get_view (shared, n / 2);
  g_weak_ref_init (&held_weak, held);
  {
    g_autoptr(FlyweightPokiesSlotted) machine = flyweight_pokies_slotted_new (3, 10, NULL);

    g_list_store_append (reference, machine);
  }

  for (guint r = 0; r < repetitions; r++)
    {
      guint64 start;

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (store), n / 2));
      live[r] = (double) (now_ns () - start) / n;

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_object_unref (flyweight_pokies_store_get_view (store, n / 2));
      live_typed[r] = (double) (now_ns () - start) / n;

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (shared), n / 2));
      shared_live[r] = (double) (now_ns () - start) / n;

      /* What a weak cache shared between threads pays at least: GLib
       * gives no other way to take a reference safely. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_object_unref (g_weak_ref_get (&held_weak));
      weak_get[r] = (double) (now_ns () - start) / n;

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (reference), 0));
      list_store[r] = (double) (now_ns () - start) / n;

      /* Fresh rows, kept, like objects made and kept in an array. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (kept, g_list_model_get_item (G_LIST_MODEL (store), i));
      fresh[r] = (double) (now_ns () - start) / n;
      g_ptr_array_set_size (kept, 0);

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (kept, flyweight_pokies_slotted_new (3, 10, NULL));
      slotted[r] = (double) (now_ns () - start) / n;
      g_ptr_array_set_size (kept, 0);

      /* The object a view is, without a store: what get_item () pays
       * beyond it is the store's. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (kept, g_object_new (FLYWEIGHT_TYPE_POKIES_VIEW, NULL));
      bare_view[r] = (double) (now_ns () - start) / n;
      g_ptr_array_set_size (kept, 0);

      /* The same, each with a weak reference to itself, as a view has. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        {
          FlyweightPokiesSlotted *machine = flyweight_pokies_slotted_new (3, 10, NULL);

          g_weak_ref_init (&weak_refs[i], machine);
          g_ptr_array_add (kept, machine);
        }
      slotted_weak[r] = (double) (now_ns () - start) / n;
      for (guint i = 0; i < n; i++)
        g_weak_ref_clear (&weak_refs[i]);
      g_ptr_array_set_size (kept, 0);

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (kept, g_list_model_get_item (G_LIST_MODEL (shared), i));
      shared_fresh[r] = (double) (now_ns () - start) / n;
      g_ptr_array_set_size (kept, 0);

      /* The same without GListModel's interface dispatch. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (kept, flyweight_pokies_store_get_view (store, i));
      fresh_typed[r] = (double) (now_ns () - start) / n;
      g_ptr_array_set_size (kept, 0);

      /* Fresh rows, let go as a list view scrolls: WINDOW alive at a time. */
      start = now_ns ();
      for (guint i = 0; i < n; i++)
        {
          g_clear_object (&window[i % WINDOW]);
          window[i % WINDOW] = g_list_model_get_item (G_LIST_MODEL (store), i);
        }
      for (guint i = 0; i < WINDOW; i++)
        g_clear_object (&window[i]);
      fresh_window[r] = (double) (now_ns () - start) / n;

      start = now_ns ();
      for (guint i = 0; i < n; i++)
        {
          g_clear_object (&window[i % WINDOW]);
          window[i % WINDOW] = G_OBJECT (flyweight_pokies_slotted_new (3, 10, NULL));
        }
      for (guint i = 0; i < WINDOW; i++)
        g_clear_object (&window[i]);
      slotted_window[r] = (double) (now_ns () - start) / n;
    }
  g_weak_ref_clear (&held_weak);

  add_row ("get-item-live", "get_item () + unref, the row's view alive", NAN,
           median (live, repetitions), "list-store-get-item");
  add_row ("list-store-get-item", "GListStore get_item () + unref", NAN,
           median (list_store, repetitions), NULL);
  add_row ("get-view-live", "get_view () + unref, the row's view alive (no interface dispatch)", NAN,
           median (live_typed, repetitions), "list-store-get-item");
  add_row ("get-item-live-thread-safe", "get_item () + unref, the row's view alive, thread-safe-items", NAN,
           median (shared_live, repetitions), "weak-ref-get");
  add_row ("weak-ref-get", "g_weak_ref_get () + unref of a live object", NAN,
           median (weak_get, repetitions), NULL);
  add_row ("get-item-fresh", "get_item () on fresh rows, views kept", NAN,
           median (fresh, repetitions), "slotted-new");
  add_row ("slotted-new", "flyweight_pokies_slotted_new (3, 10), kept", NAN,
           median (slotted, repetitions), NULL);
  add_row ("view-new", "g_object_new () of a PokiesView without a store, kept", NAN,
           median (bare_view, repetitions), "slotted-new");
  add_row ("get-item-fresh-thread-safe", "get_item () on fresh rows, views kept, thread-safe-items", NAN,
           median (shared_fresh, repetitions), "slotted-new");
  add_row ("slotted-new-weak", "flyweight_pokies_slotted_new (3, 10) with a GWeakRef to itself, kept", NAN,
           median (slotted_weak, repetitions), "slotted-new");
  add_row ("get-view-fresh", "get_view () on fresh rows (no interface dispatch), views kept", NAN,
           median (fresh_typed, repetitions), "slotted-new");
  add_row ("get-item-fresh-window", "get_item () on fresh rows, " G_STRINGIFY (WINDOW) " alive at a time",
           NAN, median (fresh_window, repetitions), "slotted-new-window");
  add_row ("slotted-new-window", "flyweight_pokies_slotted_new (3, 10), " G_STRINGIFY (WINDOW) " alive at a time",
           NAN, median (slotted_window, repetitions), NULL);
}

/* ---- report ---- */

typedef struct
{
  const char *id;
  const char *text;
  const char *row;
  const char *reference;   /* NULL: an absolute limit on the row's ns */
  gboolean    bytes;
  double      limit;
} Target;

static const Target targets[] = {
  { "c-store-bytes", "C store ≤ 0.15 × CPython __slots__ bytes", "c-store", "python-slots", TRUE, 0.15 },
  { "pygobject-store-bytes", "PyGObject store ≤ 0.15 × CPython __slots__ bytes", "pygobject-store", "python-slots", TRUE, 0.15 },
  { "gjs-store-bytes", "gjs store ≤ 0.15 × CPython __slots__ bytes", "gjs-store", "python-slots", TRUE, 0.15 },
  { "draw-all", "draw_all () ≤ 0.02 × CPython draw() loop", "c-draw-all", "python-draw", FALSE, 0.02 },
  { "get-item-live", "get_item () of a live view ≤ 50 ns", "get-item-live", NULL, FALSE, 50 },
  { "get-view-live", "get_view () of a live view ≤ 50 ns", "get-view-live", NULL, FALSE, 50 },
  { "get-item-fresh", "get_item () of a fresh row ≤ 1.5 × PokiesSlotted creation", "get-item-fresh", "slotted-new", FALSE, 1.5 },
};

static char *
format_number (double value,
               int    digits)
{
  return isfinite (value) ? g_strdup_printf ("%.*f", digits, value) : g_strdup ("—");
}

static double
target_value (const Target *target)
{
  const Row *row = find_row (target->row);
  const Row *reference = find_row (target->reference);

  if (row == NULL)
    return NAN;
  if (target->reference == NULL)
    return row->ns;
  if (reference == NULL)
    return NAN;

  return target->bytes ? ratio (row->bytes, reference->bytes) : ratio (row->ns, reference->ns);
}

static void
print_report (void)
{
  g_print ("bench-pokies-store: GLib %u.%u.%u; N = %d machines, "
           "get_item loops of %d, medians of %d\n\n",
           glib_major_version, glib_minor_version, glib_micro_version,
           opt_count, opt_get_count, opt_repetitions);
  g_print ("%-24s %-72s %10s %10s %8s %8s  %s\n", "row", "what", "bytes/inst", "ns",
           "bytes ×", "ns ×", "reference");

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);
      const Row *reference = find_row (row->reference);
      g_autofree char *bytes = format_number (row->bytes, 2);
      g_autofree char *ns = format_number (row->ns, row->ns < 10 ? 2 : 1);
      g_autofree char *bytes_ratio = format_number (ratio (row->bytes, reference ? reference->bytes : NAN), 3);
      g_autofree char *ns_ratio = format_number (ratio (row->ns, reference ? reference->ns : NAN), 3);

      g_print ("%-24s %-72s %10s %10s %8s %8s  %s\n", row->id, row->what, bytes, ns,
               bytes_ratio, ns_ratio, row->reference != NULL ? row->reference : "");
    }

  g_print ("\nTargets\n");
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      double value = target_value (&targets[i]);

      g_print ("  %-4s %s: %.3f\n", !isfinite (value) ? "—" : value <= targets[i].limit ? "met" : "MISS",
               targets[i].text, value);
    }
}

static gboolean
write_json (const char  *path,
            GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version,
                                           glib_minor_version, glib_micro_version);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "glib");
  json_builder_add_string_value (builder, glib);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, opt_count);
  json_builder_set_member_name (builder, "get_count");
  json_builder_add_int_value (builder, opt_get_count);
  json_builder_set_member_name (builder, "repetitions");
  json_builder_add_int_value (builder, opt_repetitions);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, row->id);
      json_builder_set_member_name (builder, "what");
      json_builder_add_string_value (builder, row->what);
      json_builder_set_member_name (builder, "bytes_per_instance");
      if (isfinite (row->bytes))
        json_builder_add_double_value (builder, row->bytes);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "ns");
      if (isfinite (row->ns))
        json_builder_add_double_value (builder, row->ns);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "reference");
      if (row->reference != NULL)
        json_builder_add_string_value (builder, row->reference);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "targets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      double value = target_value (&targets[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, targets[i].id);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, targets[i].text);
      json_builder_set_member_name (builder, "value");
      if (isfinite (value))
        json_builder_add_double_value (builder, value);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "limit");
      json_builder_add_double_value (builder, targets[i].limit);
      json_builder_set_member_name (builder, "met");
      json_builder_add_boolean_value (builder, isfinite (value) && value <= targets[i].limit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_file (generator, path, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_set_prgname ("bench-pokies-store");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Measures FlyweightPokiesStore against its targets, with the reference rows\n"
    "(the notebook's CPython class and loop, GListStore, PokiesSlotted) in the\n"
    "same run. Compare the ratios, not the absolute figures.");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-pokies-store: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (opt_count < 100 || opt_get_count < WINDOW ||
      opt_repetitions < 1 || opt_repetitions > 63)
    {
      g_printerr ("bench-pokies-store: -n must be at least 100, --get-count at least %d, "
                  "-r between 1 and 63\n", WINDOW);
      return EXIT_USAGE;
    }

  if (opt_child != NULL)
    return child_main (opt_child, (guint) opt_count);

  if (!opt_no_bindings && !memit_runner_find (MEMIT_RUNNER_PYTHON, NULL, NULL))
    opt_no_bindings = TRUE;

  rows = g_ptr_array_new_with_free_func (row_free);

  bench_memory ();
  bench_draw_all ();
  bench_get_item ();

  print_report ();

  if (opt_output != NULL && !write_json (opt_output, &error))
    {
      g_printerr ("bench-pokies-store: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_ptr_array_unref (rows);

  return EXIT_SUCCESS;
}
