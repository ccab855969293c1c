/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "memit-run.h"

/* Every row is measured in a process of its own: RSS only grows within a
 * process, and what one row leaves in the allocator would otherwise be
 * reused by the next. A C row runs in a copy of this program started with
 * --child; the others in the interpreter of their runner, with one driver
 * script per language compiled into the program as a resource. Each child
 * prints one JSON line. */

#define RESOURCE_PREFIX "/org/flyweight/memit/"
#define DEFAULT_PYTHON  "/usr/bin/python3"

/* What the PyGObject rows' code can use. */
#define PYGOBJECT_PREAMBLE \
  "import gi\n" \
  "gi.require_version('Flyweight', '1.0')\n" \
  "from gi.repository import Flyweight, GObject\n"

void
memit_sample_clear (MemitSample *sample)
{
  g_clear_pointer (&sample->runtime, g_free);
  memset (sample, 0, sizeof *sample);
}

double
memit_sample_bytes_per_instance (const MemitSample *sample)
{
  if (sample->instances == 0)
    return 0.0;

  /* Signed: a process can give pages back between the two readings. */
  return ((double) sample->rss_after - (double) sample->rss_before) / (double) sample->instances;
}

double
memit_sample_ns_per_instance (const MemitSample *sample)
{
  if (sample->instances == 0)
    return 0.0;

  return (double) sample->elapsed_ns / (double) sample->instances;
}

/* Reads a small /proc file into @buffer without touching the heap, so that
 * reading the RSS does not change it. */
static gboolean
read_proc_file (const char *path,
                char       *buffer,
                gsize       size)
{
  gsize total = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  while (total + 1 < size)
    {
      ssize_t n = read (fd, buffer + total, size - 1 - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      total += (gsize) n;
    }

  close (fd);
  buffer[total] = '\0';

  return total > 0;
}

/* The value of a "Name:   1234 kB" line, in bytes; 0 if absent. */
static guint64
read_proc_kb_field (const char *path,
                    const char *field)
{
  char buffer[8192];
  gsize field_len = strlen (field);

  if (!read_proc_file (path, buffer, sizeof buffer))
    return 0;

  for (const char *line = buffer; line != NULL && *line != '\0'; )
    {
      const char *next = strchr (line, '\n');

      if (strncmp (line, field, field_len) == 0 && line[field_len] == ':')
        return g_ascii_strtoull (line + field_len + 1, NULL, 10) * 1024;

      line = next != NULL ? next + 1 : NULL;
    }

  return 0;
}

/**
 * memit_read_rss:
 *
 * The resident set size of this process in bytes, counted exactly: the
 * kernel walks the page tables for `/proc/self/smaps_rollup`, where the
 * counters behind `statm` and `VmRSS` can lag by dozens of pages. Falls
 * back on `VmRSS`; 0 if neither can be read.
 */
guint64
memit_read_rss (void)
{
  guint64 rss = read_proc_kb_field ("/proc/self/smaps_rollup", "Rss");

  return rss != 0 ? rss : read_proc_kb_field ("/proc/self/status", "VmRSS");
}

/* The approximate RSS of another process, for progress reports. */
guint64
memit_read_rss_of (const char *pid)
{
  char path[64];

  g_snprintf (path, sizeof path, "/proc/%s/status", pid);

  return read_proc_kb_field (path, "VmRSS");
}

/* The peak resident set size of this process (VmHWM). */
guint64
memit_read_peak_rss (void)
{
  return read_proc_kb_field ("/proc/self/status", "VmHWM");
}

guint64
memit_read_mem_available (void)
{
  return read_proc_kb_field ("/proc/meminfo", "MemAvailable");
}

guint64
memit_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of @values, which it sorts in place. */
double
memit_median (double *values,
              gsize   n_values)
{
  if (n_values == 0)
    return 0.0;

  qsort (values, n_values, sizeof *values, compare_doubles);

  if (n_values % 2 == 1)
    return values[n_values / 2];

  return (values[n_values / 2 - 1] + values[n_values / 2]) / 2.0;
}

/**
 * memit_describe_glib:
 *
 * The GLib this process runs on and the allocator behind g_slice_new()
 * and GObject instances: GSlice before GLib 2.76 (unless
 * G_SLICE=always-malloc), malloc since.
 *
 * Returns: (transfer full): "GLib 2.74.6 (GSlice)" or the like
 */
char *
memit_describe_glib (void)
{
  const char *g_slice = g_getenv ("G_SLICE");
  const char *allocator;

  if (glib_check_version (2, 76, 0) == NULL)
    allocator = "malloc";
  else if (g_slice != NULL && strstr (g_slice, "always-malloc") != NULL)
    allocator = "malloc, G_SLICE=always-malloc";
  else
    allocator = "GSlice";

  return g_strdup_printf ("GLib %u.%u.%u (%s)", glib_major_version, glib_minor_version,
                          glib_micro_version, allocator);
}

/**
 * memit_join_runtimes:
 * @runtimes: (array length=n_runtimes): "GLib 2.74.6 (GSlice)",
 *   "PyGObject 3.42.2, CPython 3.11.2"…; %NULL ones are skipped
 *
 * Returns: (transfer full): the runtimes in one line, each named once
 */
char *
memit_join_runtimes (const char * const *runtimes,
                     gsize               n_runtimes)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n_runtimes; i++)
    {
      g_auto(GStrv) names = g_strsplit (runtimes[i] != NULL ? runtimes[i] : "", ", ", -1);

      for (guint k = 0; names[k] != NULL; k++)
        if (*names[k] != '\0' &&
            !g_ptr_array_find_with_equal_func (parts, names[k], g_str_equal, NULL))
          g_ptr_array_add (parts, g_strdup (names[k]));
    }
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (", ", (char **) parts->pdata);
}

/* The instances of one C row: a reference each in @objects and, if the row
 * asks, @extra_size bytes each in @extras. Both arrays are allocated
 * untouched, so that their pages become resident only as the loop fills
 * them, and count in the measurement as the notebook's list did. */
struct _MemitBatch
{
  const MemitRow  *row;
  gsize            n;
  gpointer        *objects;
  guint8          *extras;
};

MemitBatch *
memit_batch_new (const MemitRow *row,
                 gsize           n)
{
  MemitBatch *batch = g_new0 (MemitBatch, 1);

  g_return_val_if_fail (row->make != NULL, NULL);

  batch->row = row;
  batch->n = n;
  batch->objects = g_try_new (gpointer, n);
  if (row->extra_size > 0)
    batch->extras = g_try_malloc_n (n, row->extra_size);

  if (batch->objects == NULL || (row->extra_size > 0 && batch->extras == NULL))
    {
      g_free (batch->objects);
      g_free (batch->extras);
      g_free (batch);
      return NULL;
    }

  return batch;
}

static gpointer
batch_extra (MemitBatch *batch,
             gsize       i)
{
  return batch->extras != NULL ? batch->extras + i * batch->row->extra_size : NULL;
}

/**
 * memit_batch_fill:
 *
 * Makes the batch's instances in one loop, the one loop of every C row.
 *
 * Returns: the nanoseconds it took
 */
guint64
memit_batch_fill (MemitBatch *batch)
{
  gpointer (*make) (gsize, gpointer) = batch->row->make;
  guint64 start = memit_now_ns ();

  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = make (i, batch_extra (batch, i));

  return memit_now_ns () - start;
}

void
memit_batch_free (MemitBatch *batch)
{
  if (batch == NULL)
    return;

  for (gsize i = 0; i < batch->n; i++)
    batch->row->release (batch->objects[i], batch_extra (batch, i));

  g_free (batch->extras);
  g_free (batch->objects);
  g_free (batch);
}

static void
print_sample (const char        *row_id,
              const MemitSample *sample)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *line = NULL;

  json_object_set_string_member (object, "id", row_id);
  json_object_set_int_member (object, "instances", (gint64) sample->instances);
  json_object_set_int_member (object, "rss_before", (gint64) sample->rss_before);
  json_object_set_int_member (object, "rss_after", (gint64) sample->rss_after);
  json_object_set_int_member (object, "peak_rss", (gint64) sample->peak_rss);
  json_object_set_int_member (object, "elapsed_ns", (gint64) sample->elapsed_ns);
  json_object_set_string_member (object, "runtime", sample->runtime);
  json_node_set_object (root, object);
  line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
}

/**
 * memit_child_main:
 *
 * The child's side of a C row: make @n instances, read the RSS around
 * them, print one JSON line, free everything, exit.
 *
 * Returns: the exit status
 */
int
memit_child_main (const char *row_id,
                  gsize       n)
{
  const MemitRow *row = memit_rows_lookup (row_id);
  g_auto(MemitSample) sample = { 0 };
  MemitBatch *batch;

  if (row == NULL || row->runner != MEMIT_RUNNER_C)
    {
      g_printerr (_("No C row called “%s”\n"), row_id);
      return 2;
    }

  /* Class initialisation, type registration and the allocator's first
   * magazines happen here, before the first reading, as the notebook's
   * classes exist before %memit runs. */
  batch = memit_batch_new (row, 1);
  memit_batch_fill (batch);
  memit_batch_free (batch);

  sample.instances = n;
  sample.rss_before = memit_read_rss ();

  batch = memit_batch_new (row, n);
  if (batch == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

      g_printerr (_("Cannot allocate the arrays for %s instances\n"), count);
      return EXIT_FAILURE;
    }

  sample.elapsed_ns = memit_batch_fill (batch);
  sample.rss_after = memit_read_rss ();
  sample.peak_rss = memit_read_peak_rss ();
  memit_batch_free (batch);

  if (sample.rss_before == 0 || sample.rss_after == 0 || sample.peak_rss == 0)
    {
      g_printerr (_("Cannot read the resident set size from /proc/self\n"));
      return EXIT_FAILURE;
    }

  sample.runtime = memit_describe_glib ();
  print_sample (row_id, &sample);

  return fflush (stdout) == 0 && !ferror (stdout) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/**
 * memit_runner_find:
 * @program: (out) (optional): the interpreter or program to start
 *
 * Finds what runs @runner's rows: this very program for C rows,
 * /usr/bin/python3 (or $FLYWEIGHT_MEMIT_PYTHON) for the Python ones, gjs
 * on the PATH (or $FLYWEIGHT_MEMIT_GJS). The bindings' rows also need a
 * build with introspection data.
 */
gboolean
memit_runner_find (MemitRunner   runner,
                   char        **program,
                   GError      **error)
{
  g_autofree char *found = NULL;
  const char *wanted = NULL;

#ifndef MEMIT_HAVE_INTROSPECTION
  if (runner == MEMIT_RUNNER_PYGOBJECT || runner == MEMIT_RUNNER_GJS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("this build has no introspection data"));
      return FALSE;
    }
#endif

  switch (runner)
    {
    case MEMIT_RUNNER_C:
      found = g_file_read_link ("/proc/self/exe", error);
      break;

    case MEMIT_RUNNER_PYTHON:
    case MEMIT_RUNNER_PYGOBJECT:
      wanted = g_getenv ("FLYWEIGHT_MEMIT_PYTHON");
      if (wanted == NULL || *wanted == '\0')
        wanted = DEFAULT_PYTHON;
      if (g_file_test (wanted, G_FILE_TEST_IS_EXECUTABLE))
        found = g_strdup (wanted);
      break;

    case MEMIT_RUNNER_GJS:
      wanted = g_getenv ("FLYWEIGHT_MEMIT_GJS");
      if (wanted == NULL || *wanted == '\0')
        wanted = "gjs";
      found = g_find_program_in_path (wanted);
      break;

    default:
      g_assert_not_reached ();
    }

  if (found == NULL)
    {
      if (wanted != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s is not installed"), wanted);
      return FALSE;
    }

  if (program != NULL)
    *program = g_steal_pointer (&found);

  return TRUE;
}

static void
prepend_path (GSubprocessLauncher *launcher,
              const char          *variable,
              const char          *path)
{
  const char *old = g_getenv (variable);
  g_autofree char *value = NULL;

  value = old != NULL && *old != '\0' ? g_strjoin (":", path, old, NULL) : g_strdup (path);
  g_subprocess_launcher_setenv (launcher, variable, value, TRUE);
}

static gboolean
running_uninstalled (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  return self != NULL && g_str_has_prefix (self, MEMIT_BUILD_ROOT G_DIR_SEPARATOR_S);
}

/**
 * memit_runner_launcher:
 *
 * A launcher whose children find this build of the library: from the
 * build tree when this program runs from there, else from where it is
 * installed, whatever the prefix.
 *
 * Returns: (transfer full): the launcher
 */
GSubprocessLauncher *
memit_runner_launcher (MemitRunner      runner,
                       GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  if (runner == MEMIT_RUNNER_PYGOBJECT || runner == MEMIT_RUNNER_GJS)
    {
      if (running_uninstalled ())
        {
          prepend_path (launcher, "GI_TYPELIB_PATH", MEMIT_BUILD_ROOT "/libflyweight");
          prepend_path (launcher, "LD_LIBRARY_PATH", MEMIT_BUILD_ROOT "/libflyweight");
          prepend_path (launcher, "PYTHONPATH", MEMIT_SOURCE_ROOT "/libflyweight/python");
        }
      else
        {
          prepend_path (launcher, "GI_TYPELIB_PATH", MEMIT_LIBDIR "/girepository-1.0");
          prepend_path (launcher, "LD_LIBRARY_PATH", MEMIT_LIBDIR);
        }
    }

  return launcher;
}

static gboolean
append_resource (GString     *script,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return FALSE;

  g_string_append_len (script, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_string_append_c (script, '\n');

  return TRUE;
}

/**
 * memit_runner_argv:
 * @mode: "memit" (one row, in a fresh process) or "serve" (timings on
 *   request, for the bench)
 *
 * The start of an interpreted runner's command line: the interpreter and
 * its driver script, the notebook's classes or the imports of the
 * bindings before it. A "memit" child takes the row's id, the count, and
 * the row's prepare, presize and body code after it.
 *
 * Returns: (transfer full): the command line, or %NULL
 */
GStrv
memit_runner_argv (MemitRunner   runner,
                   const char   *mode,
                   GError      **error)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *program = NULL;

  g_return_val_if_fail (runner != MEMIT_RUNNER_C, NULL);

  if (!memit_runner_find (runner, &program, error))
    return NULL;

  if (runner == MEMIT_RUNNER_PYTHON && !append_resource (script, "memit-notebook.py", error))
    return NULL;
  if (runner == MEMIT_RUNNER_PYGOBJECT)
    g_string_append (script, PYGOBJECT_PREAMBLE);
  if (!append_resource (script, runner == MEMIT_RUNNER_GJS ? "memit-child.js" : "memit-child.py",
                        error))
    return NULL;

  g_strv_builder_add (argv, program);
  /* The notebook's rows run isolated from the user's site packages and
   * PYTHON* variables; the PyGObject rows need PYTHONPATH for the
   * override of an uninstalled build. */
  if (runner == MEMIT_RUNNER_PYTHON)
    g_strv_builder_add (argv, "-I");
  g_strv_builder_add_many (argv, "-c", script->str, mode, NULL);

  return g_strv_builder_end (argv);
}

typedef struct
{
  GSubprocess   *child;
  gboolean       done;
  char          *output;
  GError        *error;
  guint64        started;
  MemitWaitFunc  wait_func;
  gpointer       user_data;
} Waiting;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Waiting *waiting = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &waiting->output, NULL, &waiting->error);
  waiting->done = TRUE;
}

static gboolean
tick_cb (gpointer data)
{
  Waiting *waiting = data;
  const char *pid = g_subprocess_get_identifier (waiting->child);

  if (pid != NULL)
    waiting->wait_func ((double) (memit_now_ns () - waiting->started) / 1e9,
                        memit_read_rss_of (pid), waiting->user_data);

  return G_SOURCE_CONTINUE;
}

/* Runs @argv, its stderr shared with ours, and returns what it printed;
 * @wait_func hears from it once a second meanwhile. */
static char *
run_child (GSubprocessLauncher  *launcher,
           const char * const   *argv,
           MemitWaitFunc         wait_func,
           gpointer              user_data,
           GError              **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) ticks = NULL;
  g_autofree char *program = g_path_get_basename (argv[0]);
  g_autoptr(GError) local_error = NULL;
  Waiting waiting = { NULL, FALSE, NULL, NULL, memit_now_ns (), wait_func, user_data };
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *output = NULL;

  g_main_context_push_thread_default (context);
  waiting.child = g_subprocess_launcher_spawnv (launcher, argv, &local_error);
  if (waiting.child == NULL)
    {
      g_main_context_pop_thread_default (context);
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("Cannot run %s: %s"), argv[0], local_error->message);
      return NULL;
    }

  g_subprocess_communicate_utf8_async (waiting.child, NULL, NULL, communicate_cb, &waiting);
  if (wait_func != NULL)
    {
      ticks = g_timeout_source_new_seconds (1);
      g_source_set_callback (ticks, tick_cb, &waiting, NULL);
      g_source_attach (ticks, context);
    }
  while (!waiting.done)
    g_main_context_iteration (context, TRUE);
  if (ticks != NULL)
    g_source_destroy (ticks);
  g_main_context_pop_thread_default (context);

  output = g_steal_pointer (&waiting.output);
  local_error = g_steal_pointer (&waiting.error);
  child = g_steal_pointer (&waiting.child);

  if (local_error != NULL)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("Cannot read the output of %s: %s"), program, local_error->message);
      return NULL;
    }

  if (g_subprocess_get_if_signaled (child))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s was killed by signal %d"), program, g_subprocess_get_term_sig (child));
      return NULL;
    }

  if (g_subprocess_get_exit_status (child) != 0)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s exited with status %d"), program, g_subprocess_get_exit_status (child));
      return NULL;
    }

  return g_steal_pointer (&output);
}

/* Fills @sample from the last line a child printed. */
static gboolean
read_sample (const char   *program,
             const char   *output,
             MemitSample  *sample,
             GError      **error)
{
  static const char * const required[] = {
    "instances", "rss_before", "rss_after", "peak_rss", "elapsed_ns", "runtime",
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  const char *last = NULL;
  JsonObject *object;

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      last = lines[i];

  if (last == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s printed no result"), program);
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, last, -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s printed an unreadable result: %s"), program,
                   local_error != NULL ? local_error->message : last);
      return FALSE;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    if (!json_object_has_member (object, required[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("%s printed a result without %s"), program, required[i]);
        return FALSE;
      }

  sample->instances = (guint64) json_object_get_int_member (object, "instances");
  sample->rss_before = (guint64) json_object_get_int_member (object, "rss_before");
  sample->rss_after = (guint64) json_object_get_int_member (object, "rss_after");
  sample->peak_rss = (guint64) json_object_get_int_member (object, "peak_rss");
  sample->elapsed_ns = (guint64) json_object_get_int_member (object, "elapsed_ns");
  g_free (sample->runtime);
  sample->runtime = g_strdup (json_object_get_string_member (object, "runtime"));

  return TRUE;
}

/**
 * memit_measure:
 * @count: instances wanted; a bounded row makes fewer
 * @wait_func: (nullable): called once a second while the child runs
 *
 * Measures @row in a fresh process.
 */
gboolean
memit_measure (const MemitRow  *row,
               gsize            count,
               MemitWaitFunc    wait_func,
               gpointer         user_data,
               MemitSample     *sample,
               GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = memit_runner_launcher (row->runner, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *n = g_strdup_printf ("%" G_GSIZE_FORMAT, memit_row_count (row, count));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *output = NULL;
  g_autofree char *program = NULL;

  if (row->runner == MEMIT_RUNNER_C)
    {
      g_autofree char *child_arg = g_strdup_printf ("--child=%s", row->id);
      g_autofree char *count_arg = g_strdup_printf ("--count=%s", n);

      if (!memit_runner_find (MEMIT_RUNNER_C, &program, error))
        return FALSE;
      g_strv_builder_add_many (builder, program, child_arg, count_arg, NULL);
    }
  else
    {
      g_auto(GStrv) start = memit_runner_argv (row->runner, "memit", error);

      if (start == NULL)
        return FALSE;
      g_strv_builder_addv (builder, (const char **) start);
      g_strv_builder_add_many (builder, row->id, n,
                               row->prepare != NULL ? row->prepare : "",
                               row->presize != NULL ? row->presize : "",
                               row->body, NULL);
    }
  argv = g_strv_builder_end (builder);

  output = run_child (launcher, (const char * const *) argv, wait_func, user_data, error);
  if (output == NULL)
    return FALSE;

  g_clear_pointer (&program, g_free);
  program = g_path_get_basename (argv[0]);

  return read_sample (program, output, sample, error);
}
