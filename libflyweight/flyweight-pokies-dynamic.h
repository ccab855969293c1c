/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include "flyweight-pokies.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_POKIES_DYNAMIC (flyweight_pokies_dynamic_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightPokiesDynamic, flyweight_pokies_dynamic, FLYWEIGHT, POKIES_DYNAMIC, FlyweightPokies)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokiesDynamic *flyweight_pokies_dynamic_new      (guint                    reels,
                                                           guint                    symbols,
                                                           GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
GVariant               *flyweight_pokies_dynamic_get_dict (FlyweightPokiesDynamic  *self);

G_END_DECLS
