/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight-memit: the notebook's %memit table for GObject. Creates N
 * instances of each variant, each in a fresh process, and prints the peak
 * memory, the bytes and nanoseconds per instance, side by side with the
 * notebook's own CPython classes. */

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

#include "memit-child.h"
#include "memit-measure.h"
#include "memit-plot.h"
#include "memit-python.h"
#include "memit-report.h"
#include "memit-variant.h"

#define DEFAULT_COUNT 1000000
#define MAX_COUNT     G_GUINT64_CONSTANT (1000000000)

#define EXIT_USAGE 2

static char *opt_count = NULL;
static char **opt_variants = NULL;
static gboolean opt_json = FALSE;
static char *opt_plot = NULL;
static char *opt_output = NULL;
static gboolean opt_no_python = FALSE;
static char *opt_child = NULL;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_STRING, &opt_count,
    N_("Instances per variant (default 1000000; 1e6 works too)"), N_("N") },
  { "variant", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_variants,
    N_("Measure only this variant (repeatable, or comma-separated)"), N_("ID") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print machine-readable JSON instead of the table"), NULL },
  { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opt_plot,
    N_("Draw bytes per instance as a bar chart; PNG or SVG by extension"), N_("FILE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("Also write the JSON to FILE, whatever is printed"), N_("FILE") },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    N_("Leave out the CPython rows"), NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child,
    "Measure one C variant in this process and print one JSON line", "ID" },
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

/* A positive whole number, written out or as 1e6 / 2.5e5. */
static gboolean
parse_count (const char  *text,
             guint64     *count,
             GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *p = copy;
  double value;
  char *end = NULL;

  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '+')
      break;

  if (*copy == '\0' || *p != '\0' || !g_ascii_isdigit (*copy))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: expected a positive whole number such as 1000000 or 1e6"),
                   text);
      return FALSE;
    }

  value = g_ascii_strtod (copy, &end);
  if (end == NULL || *end != '\0' || value != floor (value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: expected a positive whole number such as 1000000 or 1e6"),
                   text);
      return FALSE;
    }

  if (value < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invalid count “%s”: at least one instance is needed"), text);
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

/* The selected variants in table order, each once. */
static GPtrArray *
select_variants (gboolean   with_python,
                 GError   **error)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) names = NULL;
  const MemitVariant *all;
  gsize n_all;

  all = memit_variant_get_all (&n_all);

  if (opt_variants != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", opt_variants);

      names = g_strsplit (joined, ",", -1);
      for (guint i = 0; names[i] != NULL; i++)
        {
          const char *name = g_strstrip (names[i]);
          const MemitVariant *variant;

          if (*name == '\0')
            continue;

          variant = memit_variant_lookup (name, FALSE);
          if (variant == NULL)
            {
              g_autoptr(GString) known = g_string_new (NULL);

              for (gsize k = 0; k < n_all; k++)
                if (!all[k].bench_only)
                  g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", all[k].id);

              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Unknown variant “%s”; known variants: %s"), name, known->str);
              return NULL;
            }

          if (variant->kind == MEMIT_KIND_PYTHON && opt_no_python)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Variant “%s” is a CPython row, but --no-python was given"), name);
              return NULL;
            }

          if (variant->kind == MEMIT_KIND_PYTHON && !with_python)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Variant “%s” needs %s, which is not there"),
                           name, memit_python_get_path ());
              return NULL;
            }

          g_hash_table_add (wanted, (gpointer) variant->id);
        }

      if (g_hash_table_size (wanted) == 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--variant needs a variant name"));
          return NULL;
        }
    }

  for (gsize i = 0; i < n_all; i++)
    {
      const MemitVariant *variant = &all[i];

      if (variant->bench_only)
        continue;
      if (opt_variants != NULL && !g_hash_table_contains (wanted, variant->id))
        continue;
      if (opt_variants == NULL && variant->kind == MEMIT_KIND_PYTHON && !with_python)
        continue;

      g_ptr_array_add (selected, (gpointer) variant);
    }

  return g_steal_pointer (&selected);
}

/* Makes sure, before measuring, that the JSON file can be written; the
 * file is created to be sure, and removed again if it did not exist. */
static gboolean
check_output_path (const char  *path,
                   GError     **error)
{
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  int fd;

  if (existed && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("Cannot write the JSON to “%s”: it is a folder"), path);
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write the JSON to “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (!existed)
    g_unlink (path);

  return TRUE;
}

/* Refuses a count whose worst case would not fit in memory, before any
 * child allocates it. */
static gboolean
check_memory (GPtrArray  *variants,
              guint64     count,
              GError    **error)
{
  guint64 available = memit_measure_mem_available ();
  const MemitVariant *largest = NULL;
  double needed;

  if (available == 0)
    return TRUE;

  /* The children run one at a time: the largest one has to fit. */
  for (guint i = 0; i < variants->len; i++)
    {
      const MemitVariant *variant = g_ptr_array_index (variants, i);

      if (largest == NULL || variant->worst_bytes > largest->worst_bytes)
        largest = variant;
    }

  needed = (double) largest->worst_bytes * (double) count;
  if (needed > (double) available)
    {
      g_autofree char *count_text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Refusing to create %s instances: %s may need up to "
                     "%.0f MB, and only %.0f MB are available"),
                   count_text, largest->id, needed / 1e6, (double) available / 1e6);
      return FALSE;
    }

  return TRUE;
}

static double
estimate_seconds (GPtrArray *variants,
                  guint64    count)
{
  double seconds = 0.0;

  for (guint i = 0; i < variants->len; i++)
    {
      const MemitVariant *variant = g_ptr_array_index (variants, i);

      /* Process start-up, then the loop and the freeing. */
      seconds += 0.05 + (double) count * variant->rough_ns * 1e-9;
    }

  return seconds;
}

static const char *
get_summary (void)
{
  /* xgettext:no-c-format */
  return _("Reproduces the notebook’s %memit table for GObject: creates N instances of each\n"
           "variant in a fresh process and reports, side by side with the notebook’s own\n"
           "CPython classes (Pokies, FlyweightPokies, WeakPokies):\n"
           "\n"
           "  MB per loop  peak RSS (VmHWM) of that process in MiB, as %memit prints it\n"
           "               (“maximum of 1: X MB per loop”), the process’s own baseline included\n"
           "  bytes/inst   (RSS after − RSS before) / N, from the resident pages of\n"
           "               /proc/self/statm; the pointer array is allocated after the first\n"
           "               reading and filled by the loop, so each row includes the 8-byte\n"
           "               reference per instance, like the notebook’s list\n"
           "               (slotted-weakref: 16, its GWeakRef array too)\n"
           "  ns/inst      one creation loop on the monotonic clock (first touch included)\n"
           "  × dynamic    bytes/inst relative to PokiesDynamic");
}

static char *
get_description (void)
{
  g_autoptr(GString) text = g_string_new (_("Variants:\n"));
  const MemitVariant *all;
  gsize n_all;

  all = memit_variant_get_all (&n_all);
  for (gsize i = 0; i < n_all; i++)
    if (!all[i].bench_only)
      g_string_append_printf (text, "  %-18s %s\n", all[i].id, _(all[i].description));

  g_string_append_printf (text,
                          _("\nThe CPython rows run %s (or $FLYWEIGHT_MEMIT_PYTHON) with the\n"
                            "notebook’s class text; they are left out when it is missing.\n"
                            "\n"
                            "Exit status: 0 on success, 1 if a measurement failed, 2 for bad arguments.\n"),
                          MEMIT_PYTHON_DEFAULT_PATH);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_progress (gboolean    on_terminal,
               const char *id,
               guint       index,
               guint       total)
{
  /* Translators: progress while measuring, e.g. "measuring slotted (3/10)…" */
  g_autofree char *line = g_strdup_printf (_("measuring %s (%u/%u)…"), id, index, total);

  if (on_terminal)
    g_printerr ("\r\033[K%s", line);
  else
    g_printerr ("%s\n", line);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(MemitReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *json = NULL;
  guint64 count = DEFAULT_COUNT;
  gboolean with_python, progress, stderr_is_terminal;

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

  with_python = !opt_no_python && memit_python_is_available ();

  variants = select_variants (with_python, &error);
  if (variants == NULL)
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (opt_plot != NULL && !memit_plot_check_path (opt_plot, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (opt_output != NULL && !check_output_path (opt_output, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (!check_memory (variants, count, &error))
    {
      usage_error ("%s", error->message);
      return EXIT_USAGE;
    }

  stderr_is_terminal = isatty (STDERR_FILENO);
  progress = !(opt_json && !isatty (STDOUT_FILENO)) && estimate_seconds (variants, count) > 1.0;

  if (!opt_no_python && !with_python && opt_variants == NULL)
    g_printerr (_("%s not found: the CPython rows are left out\n"), memit_python_get_path ());

  report = memit_report_new (count);
  for (guint i = 0; i < variants->len; i++)
    {
      const MemitVariant *variant = g_ptr_array_index (variants, i);
      MemitRow *row = memit_report_add (report, variant);
      gboolean ok;

      if (progress)
        show_progress (stderr_is_terminal, variant->id, i + 1, variants->len);

      if (variant->kind == MEMIT_KIND_PYTHON)
        ok = memit_python_measure (variant, count, &row->sample, &error);
      else
        ok = memit_child_measure (variant, count, &row->sample, &error);

      if (!ok)
        {
          if (progress && stderr_is_terminal)
            g_printerr ("\n");
          g_printerr (_("%s: measuring %s failed: %s\n"), g_get_prgname (), variant->id,
                      error->message);
          return EXIT_FAILURE;
        }
    }

  if (progress && stderr_is_terminal)
    g_printerr ("\r\033[K");

  json = memit_report_format_json (report);
  if (opt_json)
    fputs (json, stdout);
  else
    {
      g_autofree char *table = memit_report_format_table (report);

      fputs (table, stdout);
    }

  if (opt_output != NULL && !g_file_set_contents (opt_output, json, -1, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  if (opt_plot != NULL && !memit_plot_write (report, opt_plot, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr (_("%s: cannot write the output\n"), g_get_prgname ());
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
