/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "memit-child.h"
#include "memit-json.h"

/* Every row is measured in a process of its own: RSS only grows within a
 * process, and what one variant leaves in the allocator would otherwise
 * be reused by the next one. The parent re-runs its own executable with a
 * hidden --child option, or the Python interpreter; either prints one JSON
 * line. */

static char *
describe_program (const char * const *argv)
{
  return g_path_get_basename (argv[0]);
}

/**
 * memit_child_run_json:
 * @argv: the child's command line
 *
 * Runs @argv with its stderr shared with ours, and parses the last line it
 * prints on stdout as a flat JSON object.
 *
 * Returns: (transfer full): the object, or %NULL if the child failed
 */
GHashTable *
memit_child_run_json (const char * const  *argv,
                      GError             **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *program = describe_program (argv);
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  const char *last = NULL;
  GHashTable *object;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &local_error);
  if (child == NULL)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("Cannot run %s: %s"), argv[0], local_error->message);
      return NULL;
    }

  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &local_error))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("Cannot read the output of %s: %s"), program, local_error->message);
      return NULL;
    }

  if (g_subprocess_get_if_signaled (child))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s was killed by signal %d"), program,
                   g_subprocess_get_term_sig (child));
      return NULL;
    }

  if (g_subprocess_get_exit_status (child) != 0)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s exited with status %d"), program,
                   g_subprocess_get_exit_status (child));
      return NULL;
    }

  lines = g_strsplit (output != NULL ? output : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      last = lines[i];

  if (last == NULL)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s printed no result"), program);
      return NULL;
    }

  object = memit_json_parse_flat (last, &local_error);
  if (object == NULL)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("%s printed an unreadable result: %s"), program, local_error->message);
      return NULL;
    }

  return object;
}

static gboolean
lookup_count (GHashTable *object,
              const char *key,
              guint64    *value)
{
  double number;

  if (!memit_json_lookup_number (object, key, &number) || number < 0)
    return FALSE;

  *value = (guint64) number;
  return TRUE;
}

/**
 * memit_child_read_sample:
 *
 * Fills @sample from a child's JSON object.
 */
gboolean
memit_child_read_sample (GHashTable   *object,
                         MemitSample  *sample,
                         GError      **error)
{
  const char *id = memit_json_lookup_string (object, "id");

  if (id == NULL ||
      !lookup_count (object, "instances", &sample->instances) ||
      !lookup_count (object, "rss_before", &sample->rss_before) ||
      !lookup_count (object, "rss_after", &sample->rss_after) ||
      !lookup_count (object, "peak_rss", &sample->peak_rss))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A measurement lacks one of id, instances, rss_before, rss_after, peak_rss"));
      return FALSE;
    }

  /* Optional: the binding rows report a median time instead. */
  lookup_count (object, "elapsed_ns", &sample->elapsed_ns);

  g_free (sample->id);
  sample->id = g_strdup (id);
  g_free (sample->runtime);
  sample->runtime = g_strdup (memit_json_lookup_string (object, "runtime"));

  return TRUE;
}

static char *
get_self_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_strdup (g_get_prgname ());
}

/**
 * memit_child_measure:
 *
 * Measures a C variant in a fresh copy of this very program, started with
 * `--child=ID --count=N`.
 */
gboolean
memit_child_measure (const MemitVariant  *variant,
                     gsize                n,
                     MemitSample         *sample,
                     GError             **error)
{
  g_autofree char *self = get_self_path ();
  g_autofree char *child_arg = g_strdup_printf ("--child=%s", variant->id);
  g_autofree char *count_arg = g_strdup_printf ("--count=%" G_GSIZE_FORMAT, n);
  const char *argv[] = { self, child_arg, count_arg, NULL };
  g_autoptr(GHashTable) object = NULL;

  object = memit_child_run_json (argv, error);
  if (object == NULL)
    return FALSE;

  return memit_child_read_sample (object, sample, error);
}

/**
 * memit_child_main:
 *
 * The child's side: measure, print one JSON line, free, exit.
 *
 * Returns: the exit status
 */
int
memit_child_main (const char *variant_id,
                  gsize       n)
{
  const MemitVariant *variant = memit_variant_lookup (variant_id, TRUE);
  g_auto(MemitSample) sample = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = NULL;

  if (variant == NULL || variant->fill == NULL)
    {
      g_printerr (_("No C variant called “%s”\n"), variant_id);
      return 2;
    }

  if (!memit_variant_measure (variant, n, &sample, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  line = g_string_new ("{\"id\":");
  memit_json_append_string (line, sample.id);
  g_string_append (line, ",\"instances\":");
  memit_json_append_number (line, (double) sample.instances);
  g_string_append (line, ",\"rss_before\":");
  memit_json_append_number (line, (double) sample.rss_before);
  g_string_append (line, ",\"rss_after\":");
  memit_json_append_number (line, (double) sample.rss_after);
  g_string_append (line, ",\"peak_rss\":");
  memit_json_append_number (line, (double) sample.peak_rss);
  g_string_append (line, ",\"elapsed_ns\":");
  memit_json_append_number (line, (double) sample.elapsed_ns);
  g_string_append_printf (line, ",\"runtime\":\"GLib %u.%u.%u\"}\n",
                          glib_major_version, glib_minor_version, glib_micro_version);

  fputs (line->str, stdout);
  fflush (stdout);

  return ferror (stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
}
