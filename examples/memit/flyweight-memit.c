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

#include "memit-plot.h"
#include "memit-report.h"
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
  gboolean well_formed = g_ascii_isdigit (*copy);
  char *end = NULL;
  double value = 0;

  /* Digits first; no sign, no hexadecimal, no "inf". */
  for (const char *p = copy; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '+')
      well_formed = FALSE;

  if (well_formed)
    value = g_ascii_strtod (copy, &end);
  if (!well_formed || *end != '\0' || value != floor (value))
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
                           _("Variant “%s” is asked for and left out at the same time"), name);
              return NULL;
            }

          if (!memit_runner_find (row->runner, NULL, &local_error))
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
                                 memit_runner_find (row->runner, NULL, NULL))
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(MemitReport) report = NULL;
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

      if (runner_is_left_out (runner) || memit_runner_find (runner, NULL, &missing) ||
          (runner == MEMIT_RUNNER_PYGOBJECT && !memit_runner_find (MEMIT_RUNNER_PYTHON, NULL, NULL)))
        continue;
      g_printerr (_("%s: the %s rows are left out: %s\n"), g_get_prgname (),
                  runner == MEMIT_RUNNER_PYTHON ? "CPython" :
                  runner == MEMIT_RUNNER_PYGOBJECT ? "PyGObject" : "gjs", missing->message);
    }

  report = memit_report_new (rows, count, (guint) opt_rounds);

  /* Two pages per row, over the smallest N of any row. */
  uncertainty = 2.0 * (double) sysconf (_SC_PAGESIZE) / (double) count;
  for (guint i = 0; i < rows->len; i++)
    uncertainty = MAX (uncertainty, 2.0 * (double) sysconf (_SC_PAGESIZE) /
                                    (double) memit_row_count (g_ptr_array_index (rows, i), count));
  if (uncertainty > QUOTABLE_UNCERTAINTY)
    {
      char *note = g_strdup_printf (_("N = %s is small: bytes/inst is exact only to ±%.1f B "
                                      "(two pages over N); use N = 1e5 or more for figures "
                                      "to quote."), report->count, uncertainty);

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
        MemitSample sample = { 0 };

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
        memit_report_add_sample (report, row, &sample);
      }

  if (progress.on_terminal && announce)
    g_printerr ("\r\033[K");

  memit_report_summarize (report);

  json = memit_report_format_json (report);
  if (opt_json)
    g_print ("%s", json);
  else
    {
      g_autofree char *table = memit_report_format_table (report);

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
      if (!memit_plot_write (report, opt_plot, &error))
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
