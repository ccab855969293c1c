/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <unistd.h>

#include <gio/gio.h>

#include "bench-bindings.h"
#include "memit-child.h"
#include "memit-json.h"
#include "memit-python.h"

/* The cost of one object made through the bindings: PyGObject under
 * /usr/bin/python3 and gjs, each in a fresh process that finds the
 * typelib through GI_TYPELIB_PATH (the bench target sets it to the build
 * tree). The scripts are compiled into the program as resources. */

/**
 * bench_bindings_measure:
 * @binding: which interpreter
 * @what: "slotted" for Flyweight.PokiesSlotted.new(3, 10), "object" for a
 *   bare GObject.Object
 * @n: objects per loop
 * @repetitions: loops; the first one in the fresh process gives the bytes
 * @sample: (out): the memory figures of the first loop
 * @ns_per_instance: (out): the median time per object
 */
gboolean
bench_bindings_measure (BenchBinding   binding,
                        const char    *what,
                        gsize          n,
                        guint          repetitions,
                        MemitSample   *sample,
                        double        *ns_per_instance,
                        GError       **error)
{
  g_autofree char *script = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  g_autofree char *reps = g_strdup_printf ("%u", repetitions);
  g_autofree char *page = g_strdup_printf ("%ld", sysconf (_SC_PAGESIZE));
  g_autofree char *gjs = NULL;
  g_autoptr(GHashTable) object = NULL;

  if (binding == BENCH_BINDING_PYGOBJECT)
    {
      script = memit_python_load_script ("bench-pygobject-child.py", FALSE, error);
      if (script == NULL)
        return FALSE;

      {
        /* Without -I, so that a gi found through PYTHONPATH still works. */
        const char *argv[] = { memit_python_get_path (), "-c", script, what, count, reps, NULL };

        object = memit_child_run_json (argv, error);
      }
    }
  else
    {
      gjs = g_find_program_in_path ("gjs");
      if (gjs == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "gjs is not installed");
          return FALSE;
        }

      script = memit_python_load_script ("bench-gjs-child.js", FALSE, error);
      if (script == NULL)
        return FALSE;

      {
        const char *argv[] = { gjs, "-c", script, what, count, reps, page, NULL };

        object = memit_child_run_json (argv, error);
      }
    }

  if (object == NULL)
    return FALSE;

  if (!memit_child_read_sample (object, sample, error))
    return FALSE;

  if (!memit_json_lookup_number (object, "ns_per_instance", ns_per_instance))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the binding child printed no ns_per_instance");
      return FALSE;
    }

  return TRUE;
}
