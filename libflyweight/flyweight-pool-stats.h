/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-version-macros.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_POOL_STATS (flyweight_pool_stats_get_type ())

typedef struct _FlyweightPoolStats FlyweightPoolStats;

/**
 * FlyweightPoolStats:
 * @size: the number of live objects in the pool: objects somebody holds,
 *   or that the keep-alive holds
 * @peak: the largest @size the pool has had
 * @hits: how many requests were answered with an object the pool already had
 * @misses: how many requests constructed a new object
 * @kept: how many released objects the keep-alive holds now
 * @keep_alive: how many released objects the keep-alive may hold
 *   (see [property@Flyweight.Pool:keep-alive])
 *
 * A snapshot of the counters of a [class@Flyweight.Pool], taken at once by
 * [method@Flyweight.Pool.get_stats].
 *
 * Since: 1.0
 */
struct _FlyweightPoolStats
{
  guint   size;
  guint   peak;
  guint64 hits;
  guint64 misses;
  guint   kept;
  guint   keep_alive;
};

FLYWEIGHT_AVAILABLE_IN_1_0
GType               flyweight_pool_stats_get_type (void) G_GNUC_CONST;
FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPoolStats *flyweight_pool_stats_copy     (const FlyweightPoolStats *self);
FLYWEIGHT_AVAILABLE_IN_1_0
void                flyweight_pool_stats_free     (FlyweightPoolStats       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlyweightPoolStats, flyweight_pool_stats_free)

G_END_DECLS
