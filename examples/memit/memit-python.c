/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>

#include "memit-child.h"
#include "memit-python.h"

/* The CPython rows. The notebook's classes (memit-notebook.py) and the
 * drivers that measure them are compiled into the program as resources
 * and run with `python3 -I -c`, so the installed tool needs no data
 * files, and every row runs the very same class text. */

#define RESOURCE_PREFIX "/org/flyweight/memit/"

/**
 * memit_python_get_path:
 *
 * The interpreter for the reference rows: /usr/bin/python3, or
 * $FLYWEIGHT_MEMIT_PYTHON when set.
 */
const char *
memit_python_get_path (void)
{
  const char *path = g_getenv ("FLYWEIGHT_MEMIT_PYTHON");

  return path != NULL && *path != '\0' ? path : MEMIT_PYTHON_DEFAULT_PATH;
}

gboolean
memit_python_is_available (void)
{
  return g_file_test (memit_python_get_path (), G_FILE_TEST_IS_EXECUTABLE);
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
 * memit_python_load_script:
 * @name: a script compiled into the program
 * @with_notebook: whether to put the notebook's classes before it
 *
 * Returns: (transfer full): the script text, or %NULL
 */
char *
memit_python_load_script (const char  *name,
                          gboolean     with_notebook,
                          GError     **error)
{
  g_autoptr(GString) script = g_string_new (NULL);

  if (with_notebook && !append_resource (script, "memit-notebook.py", error))
    return NULL;

  if (!append_resource (script, name, error))
    return NULL;

  return g_string_free (g_steal_pointer (&script), FALSE);
}

/**
 * memit_python_measure:
 *
 * Measures one CPython row in a fresh interpreter, the same way as the C
 * rows: RSS, then `objs = [None] * n`, the timed loop filling it by
 * index, RSS again with everything alive.
 */
gboolean
memit_python_measure (const MemitVariant  *variant,
                      gsize                n,
                      MemitSample         *sample,
                      GError             **error)
{
  g_autofree char *script = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  g_autoptr(GHashTable) object = NULL;

  g_return_val_if_fail (variant->python_class != NULL, FALSE);

  script = memit_python_load_script ("memit-python-child.py", TRUE, error);
  if (script == NULL)
    return FALSE;

  {
    const char *argv[] = {
      memit_python_get_path (), "-I", "-c", script,
      variant->id, variant->python_class, count,
      variant->python_owner ? "owner" : "-",
      NULL
    };

    object = memit_child_run_json (argv, error);
  }

  if (object == NULL)
    return FALSE;

  return memit_child_read_sample (object, sample, error);
}

/**
 * memit_python_bench:
 * @count: instances per creation loop
 * @operations: operations per attribute loop (a fifth of it for draw())
 * @repetitions: loops per figure; the median is kept
 *
 * Times the notebook's classes: creation, `o.owner` read and assignment,
 * draw(), and the empty loop for scale.
 *
 * Returns: (transfer full): the child's JSON object, nanoseconds per
 *   instance or operation
 */
GHashTable *
memit_python_bench (gsize    count,
                    gsize    operations,
                    guint    repetitions,
                    GError **error)
{
  g_autofree char *script = NULL;
  g_autofree char *count_text = g_strdup_printf ("%" G_GSIZE_FORMAT, count);
  g_autofree char *operations_text = g_strdup_printf ("%" G_GSIZE_FORMAT, operations);
  g_autofree char *repetitions_text = g_strdup_printf ("%u", repetitions);

  script = memit_python_load_script ("bench-python-child.py", TRUE, error);
  if (script == NULL)
    return NULL;

  {
    const char *argv[] = {
      memit_python_get_path (), "-I", "-c", script,
      count_text, operations_text, repetitions_text,
      NULL
    };

    return memit_child_run_json (argv, error);
  }
}
