/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <stdarg.h>
#include <glib-object.h>

#include "flyweight-pool-stats.h"
#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/**
 * FLYWEIGHT_POOL_MAX_KEEP_ALIVE:
 *
 * The largest [property@Flyweight.Pool:keep-alive] a pool accepts.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_POOL_MAX_KEEP_ALIVE 65536

#define FLYWEIGHT_TYPE_POOL (flyweight_pool_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightPool, flyweight_pool, FLYWEIGHT, POOL, GObject)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPool      *flyweight_pool_new                 (GType           item_type);
FLYWEIGHT_AVAILABLE_IN_1_0
GType               flyweight_pool_get_item_type       (FlyweightPool  *self);
FLYWEIGHT_AVAILABLE_IN_1_0
gpointer            flyweight_pool_get                 (FlyweightPool  *self,
                                                        GError        **error,
                                                        const char     *first_property_name,
                                                        ...);
FLYWEIGHT_AVAILABLE_IN_1_0
gpointer            flyweight_pool_get_valist          (FlyweightPool  *self,
                                                        GError        **error,
                                                        const char     *first_property_name,
                                                        va_list         args);
FLYWEIGHT_AVAILABLE_IN_1_0
GObject            *flyweight_pool_get_with_properties (FlyweightPool  *self,
                                                        guint           n_properties,
                                                        const char     *names[],
                                                        const GValue    values[],
                                                        GError        **error);
FLYWEIGHT_AVAILABLE_IN_1_0
guint               flyweight_pool_get_keep_alive      (FlyweightPool  *self);
FLYWEIGHT_AVAILABLE_IN_1_0
void                flyweight_pool_set_keep_alive      (FlyweightPool  *self,
                                                        guint           keep_alive);
FLYWEIGHT_AVAILABLE_IN_1_0
guint               flyweight_pool_get_size            (FlyweightPool  *self);
FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPoolStats *flyweight_pool_get_stats           (FlyweightPool  *self);

G_END_DECLS
