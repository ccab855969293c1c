/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "memit-rows.h"

G_BEGIN_DECLS

/* One measurement of one row, taken in a fresh process. Sizes in bytes,
 * times in nanoseconds. */
typedef struct
{
  guint64  instances;
  guint64  rss_before;   /* resident set before the array of references exists */
  guint64  rss_after;    /* with every instance and the array still alive */
  guint64  peak_rss;     /* VmHWM of the whole process, what %memit prints */
  guint64  elapsed_ns;   /* the creation loop, monotonic clock */
  char    *runtime;      /* "GLib 2.74.6 (GSlice)", "CPython 3.11.2"… */
} MemitSample;

void     memit_sample_clear             (MemitSample *sample);
double   memit_sample_bytes_per_instance (const MemitSample *sample);
double   memit_sample_ns_per_instance   (const MemitSample *sample);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MemitSample, memit_sample_clear)

/* Readings of this process and the clock. */
guint64  memit_read_rss                 (void);
guint64  memit_read_rss_of              (const char *pid);
guint64  memit_read_peak_rss            (void);
guint64  memit_read_mem_available       (void);
guint64  memit_now_ns                   (void);
double   memit_median                   (double     *values,
                                         gsize       n_values);
char    *memit_describe_glib            (void);
char    *memit_join_runtimes            (const char * const *runtimes,
                                         gsize               n_runtimes);

/* A C row's instances, made in this process. */
typedef struct _MemitBatch MemitBatch;

MemitBatch *memit_batch_new             (const MemitRow *row,
                                         gsize           n);
guint64     memit_batch_fill            (MemitBatch     *batch);
void        memit_batch_free            (MemitBatch     *batch);

int         memit_child_main            (const char     *row_id,
                                         gsize           n);

/* Fresh processes. */
typedef void (*MemitWaitFunc) (double    seconds,
                               guint64   child_rss,
                               gpointer  user_data);

gboolean    memit_runner_find           (MemitRunner          runner,
                                         char               **program,
                                         GError             **error);
GSubprocessLauncher *
            memit_runner_launcher       (MemitRunner          runner,
                                         GSubprocessFlags     flags);
GStrv       memit_runner_argv           (MemitRunner          runner,
                                         const char          *mode,
                                         GError             **error);
gboolean    memit_measure               (const MemitRow      *row,
                                         gsize                count,
                                         MemitWaitFunc        wait_func,
                                         gpointer             user_data,
                                         MemitSample         *sample,
                                         GError             **error);

G_END_DECLS
