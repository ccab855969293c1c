/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pool's loops for the bench, and their C reference loops. Each makes
 * @n requests and returns the elapsed nanoseconds; the threaded loops
 * share the @n requests among their threads and return the wall time, so
 * that two threads twice as fast as one take half the time. */

guint64 bench_pool_hit                (gsize n);
guint64 bench_pool_hit_gvalues        (gsize n);
guint64 bench_pool_hit_kept           (gsize n);
guint64 bench_pool_hit_spread         (gsize n);
guint64 bench_pool_object_ref         (gsize n);
guint64 bench_pool_weak_ref_get       (gsize n);
guint64 bench_pool_ref_string_intern  (gsize n);
guint64 bench_pool_miss               (gsize n);
guint64 bench_pool_construct          (gsize n);
guint64 bench_pool_miss_floor         (gsize n);
guint64 bench_pool_churn_kept         (gsize n);

guint64 bench_pool_spin_1             (gsize n);
guint64 bench_pool_spin_2             (gsize n);
guint64 bench_pool_threads_1_held     (gsize n);
guint64 bench_pool_threads_2_same     (gsize n);
guint64 bench_pool_threads_2_distinct (gsize n);
guint64 bench_pool_threads_1_kept     (gsize n);
guint64 bench_pool_threads_2_same_kept     (gsize n);
guint64 bench_pool_threads_2_distinct_kept (gsize n);
guint64 bench_pool_threads_1_churn    (gsize n);
guint64 bench_pool_threads_2_same_churn     (gsize n);
guint64 bench_pool_threads_2_distinct_churn (gsize n);
guint64 bench_pool_threads_1_weak_ref (gsize n);
guint64 bench_pool_threads_2_same_weak_ref     (gsize n);
guint64 bench_pool_threads_2_distinct_weak_ref (gsize n);
guint64 bench_pool_threads_1_ref      (gsize n);
guint64 bench_pool_threads_2_same_ref     (gsize n);
guint64 bench_pool_threads_2_distinct_ref (gsize n);

void    bench_pool_cleanup            (void);

G_END_DECLS
