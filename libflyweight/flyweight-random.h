/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-version-macros.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_RANDOM (flyweight_random_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightRandom, flyweight_random, FLYWEIGHT, RANDOM, GObject)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightRandom *flyweight_random_new       (guint32          seed);
FLYWEIGHT_AVAILABLE_IN_1_0
guint32          flyweight_random_get_seed  (FlyweightRandom *self);
FLYWEIGHT_AVAILABLE_IN_1_0
void             flyweight_random_set_seed  (FlyweightRandom *self,
                                             guint32          seed);
FLYWEIGHT_AVAILABLE_IN_1_0
guint32          flyweight_random_int_range (FlyweightRandom *self,
                                             guint32          begin,
                                             guint32          end);

G_END_DECLS
