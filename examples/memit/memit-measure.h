/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One measurement of one variant, taken in a fresh process. All sizes are
 * in bytes, times in nanoseconds. */
typedef struct
{
  char    *id;
  guint64  instances;
  guint64  rss_before;   /* resident set before the pointer array exists */
  guint64  rss_after;    /* with every instance and the array still alive */
  guint64  peak_rss;     /* VmHWM of the whole process, what %memit prints */
  guint64  elapsed_ns;   /* the creation loop, monotonic clock */
  char    *runtime;      /* "GLib 2.74.6", "CPython 3.11.2"… */
} MemitSample;

void     memit_sample_clear                 (MemitSample *sample);
double   memit_sample_bytes_per_instance    (const MemitSample *sample);
double   memit_sample_ns_per_instance       (const MemitSample *sample);
double   memit_sample_peak_mb               (const MemitSample *sample);

guint64  memit_measure_rss                  (void);
guint64  memit_measure_peak_rss             (void);
guint64  memit_measure_mem_available        (void);
guint64  memit_measure_now_ns               (void);
double   memit_measure_median               (double      *values,
                                             gsize        n_values);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MemitSample, memit_sample_clear)

G_END_DECLS
