/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include "flyweight-pokies.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_POKIES_SLOTTED (flyweight_pokies_slotted_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightPokiesSlotted, flyweight_pokies_slotted, FLYWEIGHT, POKIES_SLOTTED, FlyweightPokies)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokiesSlotted *flyweight_pokies_slotted_new (guint    reels,
                                                      guint    symbols,
                                                      GError **error);

G_END_DECLS
