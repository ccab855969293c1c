/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One timed row of the pool section: a median in nanoseconds per request
 * (per request of all threads together for the threaded rows). */
typedef struct
{
  const char *id;
  const char *label;
  double      ns;
  const char *reference;   /* the row it is compared with, or NULL */
} BenchPoolRow;

GArray *bench_pool_time (gsize operations,
                         guint repetitions);

G_END_DECLS
