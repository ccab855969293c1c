/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-pool-stats.h"

G_DEFINE_BOXED_TYPE (FlyweightPoolStats, flyweight_pool_stats,
                     flyweight_pool_stats_copy, flyweight_pool_stats_free)

/**
 * flyweight_pool_stats_copy:
 * @self: a `FlyweightPoolStats`
 *
 * Copies a snapshot of pool counters.
 *
 * Returns: (transfer full): a copy of @self, free with
 *   [method@Flyweight.PoolStats.free]
 *
 * Since: 1.0
 */
FlyweightPoolStats *
flyweight_pool_stats_copy (const FlyweightPoolStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

/**
 * flyweight_pool_stats_free:
 * @self: a `FlyweightPoolStats`
 *
 * Frees a snapshot of pool counters.
 *
 * Since: 1.0
 */
void
flyweight_pool_stats_free (FlyweightPoolStats *self)
{
  g_free (self);
}
