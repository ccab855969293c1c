/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight-memit: the notebook's %memit table for GObject. Creates N
 * instances of each row, each in a fresh process, and prints the peak
 * memory, the bytes and nanoseconds per instance, side by side with the
 * notebook's own CPython classes and with the library used from Python
 * and gjs. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "memit-plot.h"
#include "memit-rows.h"
#include "memit-run.h"

#define DEFAULT_COUNT 1000000
#define MAX_COUNT     G_GUINT64_CONSTANT (1000000000)
/* Below this, a page of RSS is 4 bytes per instance or more: refused. */
#define MIN_COUNT     1000
/* The readings are exact to the page, but the allocator hands out whole
 * pages: allow two per row, and warn when that exceeds this many bytes. */
#define QUOTABLE_UNCERTAINTY 0.5
#define MAX_ROUNDS    99

#define EXIT_USAGE 2

static char *opt_count = NULL;
static char **opt_variants = NULL;
static int opt_rounds = 1;
static gboolean opt_json = FALSE;
static char *opt_plot = NULL;
static char *opt_output = NULL;
static gboolean opt_no_python = FALSE;
static gboolean opt_no_bindings = FALSE;
static gboolean opt_version = FALSE;
static char *opt_child = NULL;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_STRING, &opt_count,
    N_("Instances per row (default 1000000; 1e6 works too; at least 1000)"), N_("N") },
  { "variant", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_variants,
    N_("Measure only this row (repeatable, or comma-separated)"), N_("ID") },
  { "rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
    N_("Measure every row R times, interleaved, and report medians (default 1)"), N_("R") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print machine-readable JSON instead of the table"), NULL },
  { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opt_plot,
    N_("Draw bytes per instance as a bar chart; PNG or SVG by extension"), N_("FILE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("Also write the JSON to FILE, whatever is printed"), N_("FILE") },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    N_("Leave out the CPython rows"), NULL },
  { "no-bindings", 0, 0, G_OPTION_ARG_NONE, &opt_no_bindings,
    N_("Leave out the rows made from PyGObject and gjs"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Print the version and the GLib in use, and exit"), NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child,
    "Measure one C row in this process and print one JSON line", "ID" },
  { NULL }
};

/* One row of the report: every round's sample, and their medians. */
typedef struct
{
  const MemitRow *row;
  GArray         *samples;  /* of MemitSample */
  double          bytes;
  double          ns;
  double          peak_mb;
  const MemitSample *typical;  /* the round with the median bytes */
} Result;

typedef struct
{
  gsize    count;
  char    *count_text;
  guint    rounds;
  GArray  *results;  /* of Result */
  char    *glib;
  GPtrArray *notes;  /* of char *: what the figures cannot be trusted for */
} Report;

static void
result_clear (gpointer data)
{
  Result *result = data;

  g_array_unref (result->samples);
}

static void
report_free (Report *report)
{
  g_array_unref (report->results);
  g_ptr_array_unref (report->notes);
  g_free (report->glib);
  g_free (report->count_text);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static const Result *
report_find (const Report *report,
             const char   *id)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const Result *result = &g_array_index (report->results, Result, i);

      if (g_str_equal (result->row->id, id))
        return result;
    }

  return NULL;
}

/* The runtime that made a kind of row, as its children reported it. */
static const char *
report_runtime (const Report *report,
                MemitRunner   runner)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const Result *result = &g_array_index (report->results, Result, i);

      if (result->row->runner == runner && result->typical != NULL)
        return result->typical->runtime;
    }

  return NULL;
}

static double
ratio (double value,
       double reference)
{
  return isfinite (value) && isfinite (reference) && value > 0 && reference > 0
    ? value / reference : NAN;
}

static double
ratio_to_dynamic (const Report *report,
                  const Result *result)
{
  const Result *dynamic = report_find (report, "dynamic");

  return dynamic != NULL ? ratio (result->bytes, dynamic->bytes) : NAN;
}

static void
result_summarize (Result *result)
{
  guint n = result->samples->len;
  g_autofree double *bytes = g_new (double, n);
  g_autofree double *ns = g_new (double, n);
  g_autofree double *peak = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      const MemitSample *sample = &g_array_index (result->samples, MemitSample, i);

      bytes[i] = memit_sample_bytes_per_instance (sample);
      ns[i] = memit_sample_ns_per_instance (sample);
      peak[i] = (double) sample->peak_rss / (1024.0 * 1024.0);  /* MiB, as memory_profiler */
    }

  result->bytes = memit_median (bytes, n);
  result->ns = memit_median (ns, n);
  result->peak_mb = memit_median (peak, n);

  for (guint i = 0; i < n; i++)
    {
      const MemitSample *sample = &g_array_index (result->samples, MemitSample, i);

      if (result->typical == NULL ||
          fabs (memit_sample_bytes_per_instance (sample) - result->bytes) <
          fabs (memit_sample_bytes_per_instance (result->typical) - result->bytes))
        result->typical = sample;
    }
}

static void G_GNUC_PRINTF (1, 2)
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
}

/* A whole number, written out or as 1e6 / 2.5e5. */
static gboolean
parse_count (const char  *text,
             guint64     *count,
             GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  for (const char *p = copy; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '+')
      end = (char *) p;

  value = *copy != '\0' && end == NULL && g_ascii_isdigit (*copy) ? g_ascii_strtod (copy, &end) : -1;
  if (value < 0 || end == NULL || *end != '\0' || value != floor (value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: expected a positive whole number such as 1000000 or 1e6"),
                   text);
      return FALSE;
    }

  if (value < MIN_COUNT)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: memory is counted in pages of %d bytes, so fewer than "
                     "%d instances say nothing per instance"),
                   text, (int) sysconf (_SC_PAGESIZE), MIN_COUNT);
      return FALSE;
    }

  if (value > (double) MAX_COUNT)
    {
      g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, MAX_COUNT);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: at most %s instances"), text, max);
      return FALSE;
    }

  *count = (guint64) value;
  return TRUE;
}

/* Whether this machine and this build can run @runner's rows. */
static gboolean
runner_check (MemitRunner   runner,
              GError      **error)
{
#ifndef MEMIT_HAVE_INTROSPECTION
  if (runner == MEMIT_RUNNER_PYGOBJECT || runner == MEMIT_RUNNER_GJS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("this build has no introspection data"));
      return FALSE;
    }
#endif

  return memit_runner_find (runner, NULL, error);
}

static gboolean
runner_is_left_out (MemitRunner runner)
{
  return (runner == MEMIT_RUNNER_PYTHON && opt_no_python) ||
         ((runner == MEMIT_RUNNER_PYGOBJECT || runner == MEMIT_RUNNER_GJS) && opt_no_bindings);
}

static char *
known_rows (void)
{
  g_autoptr(GString) known = g_string_new (NULL);
  gsize n_rows;
  const MemitRow *rows = memit_rows_get_all (&n_rows);

  for (gsize i = 0; i < n_rows; i++)
    g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", rows[i].id);

  return g_string_free (g_steal_pointer (&known), FALSE);
}

/* The rows to measure, in table order, each once: those asked for with
 * --variant, or every row but the extra ones and those whose runner is
 * left out or missing. */
static GPtrArray *
select_rows (GError **error)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  gsize n_rows;
  const MemitRow *rows = memit_rows_get_all (&n_rows);

  for (guint i = 0; opt_variants != NULL && opt_variants[i] != NULL; i++)
    {
      g_auto(GStrv) names = g_strsplit (opt_variants[i], ",", -1);

      for (guint k = 0; names[k] != NULL; k++)
        {
          const char *name = g_strstrip (names[k]);
          const MemitRow *row = memit_rows_lookup (name);
          g_autoptr(GError) local_error = NULL;

          if (*name == '\0')
            continue;

          if (row == NULL)
            {
              g_autofree char *known = known_rows ();

              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Unknown variant “%s”; known variants: %s"), name, known);
              return NULL;
            }

          if (runner_is_left_out (row->runner))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Variant “%s” was asked for and left out at once"), name);
              return NULL;
            }

          if (!runner_check (row->runner, &local_error))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Variant “%s” cannot be measured here: %s"), name, local_error->message);
              return NULL;
            }

          g_hash_table_add (wanted, (gpointer) row->id);
        }
    }

  if (opt_variants != NULL && g_hash_table_size (wanted) == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--variant needs a variant name"));
      return NULL;
    }

  for (gsize i = 0; i < n_rows; i++)
    {
      const MemitRow *row = &rows[i];

      if (opt_variants != NULL ? g_hash_table_contains (wanted, row->id)
                               : !row->extra && !runner_is_left_out (row->runner) &&
                                 runner_check (row->runner, NULL))
        g_ptr_array_add (selected, (gpointer) row);
    }

  return g_steal_pointer (&selected);
}

/* Makes sure, before measuring, that @path can be written; the file is
 * created to be sure, and removed again if it did not exist. */
static gboolean
check_writable (const char  *path,
                GError     **error)
{
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  int fd;

  if (existed && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("Cannot write to “%s”: it is a folder"), path);
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write to “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (!existed)
    g_unlink (path);

  return TRUE;
}

/* Refuses a count whose largest row would not fit in memory, before any
 * child allocates it: the children run one at a time. */
static gboolean
check_memory (GPtrArray  *rows,
              guint64     count,
              GError    **error)
{
  guint64 available = memit_read_mem_available ();

  for (guint i = 0; available > 0 && i < rows->len; i++)
    {
      const MemitRow *row = g_ptr_array_index (rows, i);
      double needed = (double) row->worst_bytes * (double) memit_row_count (row, count);

      if (needed > (double) available)
        {
          g_autofree char *count_text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Refusing to create %s instances: %s may need up to "
                         "%.0f MB, and only %.0f MB are available"),
                       count_text, row->id, needed / 1e6, (double) available / 1e6);
          return FALSE;
        }
    }

  return TRUE;
}

/* The order of one round: one row of each kind in turn (ours, a floor,
 * CPython, a binding, ours again…), so that a slow spell of a shared
 * machine falls on all of them rather than on one kind. */
static GPtrArray *
interleave (GPtrArray *rows)
{
  GPtrArray *order = g_ptr_array_new ();
  guint next[MEMIT_KIND_BINDING + 1] = { 0 };

  while (order->len < rows->len)
    for (int kind = MEMIT_KIND_FLYWEIGHT; kind <= MEMIT_KIND_BINDING; kind++)
      for (; next[kind] < rows->len; next[kind]++)
        {
          const MemitRow *row = g_ptr_array_index (rows, next[kind]);

          if (row->kind == (MemitKind) kind)
            {
              g_ptr_array_add (order, (gpointer) row);
              next[kind]++;
              break;
            }
        }

  return order;
}

typedef struct
{
  gboolean    on_terminal;
  const char *id;
  guint       index;
  guint       total;
  double      last_line;
} Progress;

static void
progress_wait_cb (double   seconds,
                  guint64  child_rss,
                  gpointer user_data)
{
  Progress *progress = user_data;
  /* Translators: progress inside a long row, e.g. "measuring hashtable
   * (7/13)… 12 s, 1204 MB resident" */
  g_autofree char *line = g_strdup_printf (_("measuring %s (%u/%u)… %.0f s, %.0f MB resident"),
                                           progress->id, progress->index, progress->total,
                                           seconds, (double) child_rss / 1e6);

  if (progress->on_terminal)
    g_printerr ("\r\033[K%s", line);
  else if (seconds - progress->last_line >= 10.0)
    {
      g_printerr ("%s\n", line);
      progress->last_line = seconds;
    }
}

static void
progress_start (Progress       *progress,
                const MemitRow *row,
                guint           index,
                guint           total,
                gboolean        announce)
{
  progress->id = row->id;
  progress->index = index;
  progress->total = total;
  progress->last_line = 0.0;

  if (announce)
    {
      /* Translators: progress while measuring, e.g. "measuring slotted (3/10)…" */
      g_autofree char *line = g_strdup_printf (_("measuring %s (%u/%u)…"), row->id, index, total);

      if (progress->on_terminal)
        g_printerr ("\r\033[K%s", line);
      else
        g_printerr ("%s\n", line);
    }
}

static const char *
get_summary (void)
{
  /* xgettext:no-c-format */
  return _("Reproduces the notebook’s %memit table for GObject: creates N instances of each\n"
           "row in a fresh process and reports, side by side with the notebook’s own\n"
           "CPython classes (Pokies, FlyweightPokies, WeakPokies) and with the library\n"
           "used from PyGObject and gjs:\n"
           "\n"
           "  MB per loop  peak RSS (VmHWM) of that process in MiB, as %memit prints it\n"
           "               (“maximum of 1: X MB per loop”), the process’s own baseline included\n"
           "  bytes/inst   (RSS after − RSS before) / N, the RSS counted exactly from\n"
           "               /proc/self/smaps_rollup; the array of references is allocated after\n"
           "               the first reading and filled by the loop, so each row includes the\n"
           "               8-byte reference per instance, like the notebook’s list (a row that\n"
           "               holds a weak reference too: 16)\n"
           "  ns/inst      one creation loop on the monotonic clock (first touch included)\n"
           "  × dynamic    bytes/inst relative to PokiesDynamic\n"
           "\n"
           "With --rounds, every row runs R times, the rows of each kind in turn, and\n"
           "each column is the median.");
}

static char *
get_description (void)
{
  g_autoptr(GString) text = g_string_new (_("Rows (* only with --variant):\n"));
  gsize n_rows;
  const MemitRow *rows = memit_rows_get_all (&n_rows);

  for (gsize i = 0; i < n_rows; i++)
    g_string_append_printf (text, "  %-20s%s %s\n", rows[i].id, rows[i].extra ? "*" : " ",
                            _(rows[i].description));

  g_string_append (text,
                   _("\nThe CPython and PyGObject rows run /usr/bin/python3 (or\n"
                     "$FLYWEIGHT_MEMIT_PYTHON), the gjs row gjs (or $FLYWEIGHT_MEMIT_GJS); rows\n"
                     "whose interpreter is missing are left out.\n"
                     "\n"
                     "Exit status: 0 on success, 1 if a measurement failed, 2 for bad arguments.\n"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The comparisons worth a line, subject first. */
static const struct {
  const char *subject;
  const char *reference;
} comparisons[] = {
  { "slotted", "dynamic" },
  { "python-slots", "python-dict" },
  { "dynamic", "python-dict" },
  { "dynamic-owner", "python-dict-owner" },
  { "slotted", "python-slots" },
  { "slotted", "gobject-floor" },
  { "dynamic", "hashtable" },
  { "slotted-weakref", "python-weakref" },
  { "pygobject-slotted", "python-slots" },
  { "gjs-slotted", "python-slots" },
};

/* Pads by characters, not bytes, so that translated headers line up. */
static void
append_cell (GString    *out,
             const char *text,
             gsize       width,
             gboolean    right)
{
  gsize length = (gsize) g_utf8_strlen (text, -1);
  int padding = length < width ? (int) (width - length) : 0;

  g_string_append_printf (out, right ? "%*s%s" : "%*s%s", right ? padding : 0, "", text);
  if (!right)
    g_string_append_printf (out, "%*s", padding, "");
}

static char *
format_number (double value,
               int    digits)
{
  return isfinite (value) ? g_strdup_printf ("%.*f", digits, value) : g_strdup ("—");
}

/* The weak-reference lines: what a live reference costs each side, and
 * what CPython reserves for one before any is taken. */
static void
append_weak_reference_lines (GString      *out,
                             const Report *report)
{
  const Result *slotted = report_find (report, "slotted");
  const Result *slotted_ref = report_find (report, "slotted-weakref");
  const Result *slots = report_find (report, "python-slots");
  const Result *weakslots = report_find (report, "python-weakslots");
  const Result *weakref = report_find (report, "python-weakref");

  if (slotted != NULL && slotted_ref != NULL && weakslots != NULL && weakref != NULL)
    g_string_append_printf (out, _("A live weak reference, its 8-byte slot included: %+.1f B on a "
                                   "PokiesSlotted (GWeakRef), %+.1f B on a WeakPokies (weakref.ref).\n"),
                            slotted_ref->bytes - slotted->bytes, weakref->bytes - weakslots->bytes);

  if (slots != NULL && weakslots != NULL)
    g_string_append_printf (out, _("Reserved for weak references before any is taken: %+.1f B per "
                                   "WeakPokies (__weakref__); nothing per GObject.\n"),
                            weakslots->bytes - slots->bytes);
}

/* "GLib 2.74.6 (GSlice), CPython 3.11.2, …": what made the rows. */
static char *
describe_runtimes (const Report *report)
{
  const char *runtimes[] = {
    report->glib,
    report_runtime (report, MEMIT_RUNNER_PYTHON),
    report_runtime (report, MEMIT_RUNNER_PYGOBJECT),
    report_runtime (report, MEMIT_RUNNER_GJS),
  };

  return memit_join_runtimes (runtimes, G_N_ELEMENTS (runtimes));
}

static char *
format_table (const Report *report)
{
  enum { ID, LABEL, INSTANCES, PEAK, BYTES, NS, TO_DYNAMIC, N_COLUMNS };
  const char *headers[N_COLUMNS] = {
    _("variant"), _("class"), _("instances"), _("MB per loop"),
    _("bytes/inst"), _("ns/inst"), _("× dynamic"),
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gsize widths[N_COLUMNS] = { 0 }, total = 2 * (N_COLUMNS - 1);
  GString *out = g_string_new (NULL);
  g_autofree char *runtimes = NULL;

  for (int c = 0; c < N_COLUMNS; c++)
    g_ptr_array_add (cells, g_strdup (headers[c]));

  for (guint i = 0; i < report->results->len; i++)
    {
      const Result *result = &g_array_index (report->results, Result, i);

      g_ptr_array_add (cells, g_strdup (result->row->id));
      g_ptr_array_add (cells, g_strdup (result->row->label));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GUINT64_FORMAT, result->typical->instances));
      g_ptr_array_add (cells, format_number (result->peak_mb, 1));
      g_ptr_array_add (cells, format_number (result->bytes, 1));
      g_ptr_array_add (cells, format_number (result->ns, 0));
      g_ptr_array_add (cells, format_number (ratio_to_dynamic (report, result), 2));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLUMNS] = MAX (widths[i % N_COLUMNS],
                                 (gsize) g_utf8_strlen (g_ptr_array_index (cells, i), -1));
  for (int c = 0; c < N_COLUMNS; c++)
    total += widths[c];

  runtimes = describe_runtimes (report);
  g_string_append_printf (out, "flyweight-memit %s: %s\n\n", PACKAGE_VERSION, runtimes);

  for (guint r = 0; r <= report->results->len; r++)
    {
      for (int c = 0; c < N_COLUMNS; c++)
        {
          if (c > 0)
            g_string_append (out, "  ");
          append_cell (out, g_ptr_array_index (cells, r * N_COLUMNS + c), widths[c], c >= INSTANCES);
        }
      g_string_append_c (out, '\n');

      for (gsize k = 0; r == 0 && k < total; k++)
        g_string_append (out, "─");
      if (r == 0)
        g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  if (report->rounds == 1)
    g_string_append_printf (out, _("Each row ran in a fresh process with N = %s instances.\n"),
                            report->count_text);
  else
    g_string_append_printf (out, _("Each row ran in %u fresh processes with N = %s instances; "
                                   "each figure is the median.\n"),
                            report->rounds, report->count_text);
  g_string_append (out,
                   /* xgettext:no-c-format */
                   _("MB per loop: peak RSS (VmHWM) of that whole process in MiB, as %memit prints it\n"
                     "  (“maximum of 1: X MB per loop”); the program’s or interpreter’s own baseline is in it.\n"
                     "bytes/inst: (RSS after − RSS before) / N, the RSS counted exactly from\n"
                     "  /proc/self/smaps_rollup. The array of references is allocated after the first\n"
                     "  reading and filled by the loop, so every row includes its 8-byte reference,\n"
                     "  like the notebook’s list (a row that also holds a weak reference: 16 bytes).\n"
                     "ns/inst: one creation loop on the monotonic clock, first touch of fresh memory\n"
                     "  included; the bench (meson compile -C BUILD bench) reports medians of repetitions.\n"
                     "× dynamic: bytes/inst relative to PokiesDynamic.\n"));

  for (guint i = 0; i < report->notes->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (report->notes, i));

  g_string_append_c (out, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (comparisons); i++)
    {
      const Result *subject = report_find (report, comparisons[i].subject);
      const Result *reference = report_find (report, comparisons[i].reference);
      double memory = subject && reference ? ratio (subject->bytes, reference->bytes) : NAN;

      if (!isfinite (memory))
        continue;
      /* Translators: "PokiesSlotted: 69% of PokiesDynamic's memory, 0.74×
       * its creation time". The names are class names. */
      g_string_append_printf (out, _("%s: %.0f%% of %s’s memory, %.2f× its creation time\n"),
                              subject->row->label, memory * 100.0, reference->row->label,
                              ratio (subject->ns, reference->ns));
    }
  append_weak_reference_lines (out, report);

  return g_string_free (out, FALSE);
}

static const char *
kind_to_string (MemitKind kind)
{
  static const char * const names[] = { "flyweight", "reference", "python", "binding" };

  return names[kind];
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) value);
}

static char *
format_json (const Report *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean gslice = strstr (report->glib, "(GSlice)") != NULL;

  json_builder_begin_object (builder);
  add_string (builder, "program", "flyweight-memit " PACKAGE_VERSION);
  add_int (builder, "count", report->count);
  add_int (builder, "rounds", report->rounds);
  add_string (builder, "unit_note",
              "Each row runs in a fresh process. bytes_per_instance = (RSS after - RSS before) / "
              "instances, the RSS counted exactly from /proc/self/smaps_rollup; the array of "
              "references is allocated after the first reading and filled by the creation loop, "
              "so the 8-byte reference per instance is included, as in the notebook's list (16 "
              "bytes for a row that also holds a weak reference). peak_mb = VmHWM of that whole "
              "process in MiB, what %memit prints as 'MB per loop'. ns_per_instance = one "
              "creation loop on the monotonic clock, first touch of fresh memory included. "
              "ratio_to_dynamic = bytes_per_instance / PokiesDynamic's. With rounds > 1, each "
              "figure is the median of the rounds.");

  json_builder_set_member_name (builder, "environment");
  json_builder_begin_object (builder);
  add_string (builder, "glib", report->glib);
  add_string (builder, "allocator", gslice ? "GSlice" : "malloc");
  add_string (builder, "G_SLICE", g_getenv ("G_SLICE"));
  add_string (builder, "python", report_runtime (report, MEMIT_RUNNER_PYTHON));
  add_string (builder, "pygobject", report_runtime (report, MEMIT_RUNNER_PYGOBJECT));
  add_string (builder, "gjs", report_runtime (report, MEMIT_RUNNER_GJS));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->notes, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "variants");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->results->len; i++)
    {
      const Result *result = &g_array_index (report->results, Result, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", result->row->id);
      add_string (builder, "label", result->row->label);
      add_string (builder, "kind", kind_to_string (result->row->kind));
      add_int (builder, "instances", result->typical->instances);
      add_number (builder, "peak_mb", result->peak_mb);
      add_number (builder, "bytes_per_instance", result->bytes);
      add_number (builder, "ns_per_instance", result->ns);
      add_number (builder, "ratio_to_dynamic", ratio_to_dynamic (report, result));
      add_int (builder, "rss_before", result->typical->rss_before);
      add_int (builder, "rss_after", result->typical->rss_after);
      add_string (builder, "runtime", result->typical->runtime);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "comparisons");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (comparisons); i++)
    {
      const Result *subject = report_find (report, comparisons[i].subject);
      const Result *reference = report_find (report, comparisons[i].reference);

      if (subject == NULL || reference == NULL)
        continue;
      json_builder_begin_object (builder);
      add_string (builder, "subject", subject->row->id);
      add_string (builder, "reference", reference->row->id);
      add_number (builder, "memory_ratio", ratio (subject->bytes, reference->bytes));
      add_number (builder, "time_ratio", ratio (subject->ns, reference->ns));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);

  return json_generator_to_data (generator, NULL);
}

static gboolean
write_plot (const Report  *report,
            const char    *path,
            GError       **error)
{
  g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (MemitBar));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *runtimes = describe_runtimes (report);

  for (guint i = 0; i < report->results->len; i++)
    {
      const Result *result = &g_array_index (report->results, Result, i);
      MemitBar bar = { result->row->label, result->row->kind, result->bytes };

      g_array_append_val (bars, bar);
    }

  title = g_strdup_printf (_("Memory per instance, %s instances of each"), report->count_text);
  subtitle = g_strdup_printf (_("(RSS after − RSS before) / N in a fresh process per row, "
                                "8-byte reference included; %s"), runtimes);

  return memit_plot_write ((const MemitBar *) bars->data, bars->len, title, subtitle, path, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(Report) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *json = NULL;
  guint64 count = DEFAULT_COUNT;
  double uncertainty;
  gboolean announce;
  Progress progress = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("flyweight-memit");

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, get_summary ());
  description = get_description ();
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (opt_version)
    {
      g_autofree char *glib = memit_describe_glib ();

      g_print ("flyweight-memit %s (%s)\n", PACKAGE_VERSION, glib);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    {
      usage_error (_("Unexpected argument “%s”"), argv[1]);
      return EXIT_USAGE;
    }

  if (opt_count != NULL && !parse_count (opt_count, &count, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (opt_child != NULL)
    return memit_child_main (opt_child, count);

  if (opt_rounds < 1 || opt_rounds > MAX_ROUNDS)
    {
      usage_error (_("Invalid number of rounds %d: from 1 to %d"), opt_rounds, MAX_ROUNDS);
      return EXIT_USAGE;
    }

  if (!(rows = select_rows (&error)) ||
      (opt_plot != NULL && (!memit_plot_check_path (opt_plot, &error) ||
                            !check_writable (opt_plot, &error))) ||
      (opt_output != NULL && !check_writable (opt_output, &error)) ||
      !check_memory (rows, count, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  /* Say what a plain run leaves out, once per interpreter. */
  for (MemitRunner runner = MEMIT_RUNNER_PYTHON; opt_variants == NULL && runner <= MEMIT_RUNNER_GJS; runner++)
    {
      g_autoptr(GError) missing = NULL;

      if (runner_is_left_out (runner) || runner_check (runner, &missing) ||
          (runner == MEMIT_RUNNER_PYGOBJECT && !runner_check (MEMIT_RUNNER_PYTHON, NULL)))
        continue;
      g_printerr (_("%s: the %s rows are left out: %s\n"), g_get_prgname (),
                  runner == MEMIT_RUNNER_PYTHON ? "CPython" :
                  runner == MEMIT_RUNNER_PYGOBJECT ? "PyGObject" : "gjs", missing->message);
    }

  report = g_new0 (Report, 1);
  report->count = count;
  report->count_text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  report->rounds = (guint) opt_rounds;
  report->glib = memit_describe_glib ();
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->results = g_array_new (FALSE, TRUE, sizeof (Result));
  g_array_set_clear_func (report->results, result_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      Result result = { g_ptr_array_index (rows, i), g_array_new (FALSE, TRUE, sizeof (MemitSample)) };

      g_array_set_clear_func (result.samples, (GDestroyNotify) memit_sample_clear);
      g_array_append_val (report->results, result);
    }

  /* Two pages per row, over the smallest N of any row. */
  uncertainty = 2.0 * (double) sysconf (_SC_PAGESIZE) / (double) count;
  for (guint i = 0; i < rows->len; i++)
    uncertainty = MAX (uncertainty, 2.0 * (double) sysconf (_SC_PAGESIZE) /
                                    (double) memit_row_count (g_ptr_array_index (rows, i), count));
  if (uncertainty > QUOTABLE_UNCERTAINTY)
    {
      char *note = g_strdup_printf (_("N = %s is small: bytes/inst is exact only to ±%.1f B "
                                      "(two pages over N); use N = 1e5 or more for figures "
                                      "to quote."), report->count_text, uncertainty);

      g_printerr ("%s: %s\n", g_get_prgname (), note);
      g_ptr_array_add (report->notes, note);
    }

  /* Long runs say what they are doing; short ones stay quiet unless a row
   * turns out to be slow. */
  progress.on_terminal = isatty (STDERR_FILENO);
  announce = count * rows->len * report->rounds >= 2000000;
  order = interleave (rows);

  for (guint round = 0; round < report->rounds; round++)
    for (guint i = 0; i < order->len; i++)
      {
        const MemitRow *row = g_ptr_array_index (order, i);
        Result *result = NULL;
        MemitSample sample = { 0 };

        for (guint k = 0; k < report->results->len; k++)
          if (g_array_index (report->results, Result, k).row == row)
            result = &g_array_index (report->results, Result, k);

        progress_start (&progress, row, round * order->len + i + 1,
                        report->rounds * order->len, announce);
        if (!memit_measure (row, count, progress_wait_cb, &progress, &sample, &error))
          {
            if (progress.on_terminal)
              g_printerr ("\n");
            g_printerr (_("%s: measuring %s failed: %s\n"), g_get_prgname (), row->id, error->message);
            memit_sample_clear (&sample);
            return EXIT_FAILURE;
          }
        g_array_append_val (result->samples, sample);
      }

  if (progress.on_terminal && announce)
    g_printerr ("\r\033[K");

  for (guint i = 0; i < report->results->len; i++)
    result_summarize (&g_array_index (report->results, Result, i));

  json = format_json (report);
  if (opt_json)
    g_print ("%s\n", json);
  else
    {
      g_autofree char *table = format_table (report);

      g_print ("%s", table);
    }

  if (opt_output != NULL)
    {
      if (!g_file_set_contents (opt_output, json, -1, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return EXIT_FAILURE;
        }
      g_printerr (_("%s: JSON written to %s\n"), g_get_prgname (), opt_output);
    }

  if (opt_plot != NULL)
    {
      if (!write_plot (report, opt_plot, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return EXIT_FAILURE;
        }
      g_printerr (_("%s: chart written to %s\n"), g_get_prgname (), opt_plot);
    }

  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr (_("%s: cannot write the output\n"), g_get_prgname ());
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
