/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "fuzz-common.h"

/* Warnings, criticals and failed checks abort, so that libFuzzer saves
 * the input and prints the stack; GLib's own fatal logging would stop on
 * a breakpoint trap instead, which libFuzzer does not catch. */
GLogWriterOutput
fuzz_abort_on_warning_writer (GLogLevelFlags   log_level,
                              const GLogField *fields,
                              gsize            n_fields,
                              gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return result;
}
