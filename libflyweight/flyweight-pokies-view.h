/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-pokies.h"
#include "flyweight-pokies-store.h"
#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/**
 * FLYWEIGHT_INVALID_POSITION:
 *
 * The position of a [class@Flyweight.PokiesView] whose row was removed
 * from its store; the same value as GTK's `GTK_INVALID_LIST_POSITION`.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_INVALID_POSITION ((guint) 0xffffffff)

#define FLYWEIGHT_TYPE_POKIES_VIEW (flyweight_pokies_view_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightPokiesView, flyweight_pokies_view, FLYWEIGHT, POKIES_VIEW, FlyweightPokies)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokiesStore *flyweight_pokies_view_get_store             (FlyweightPokiesView *self);
FLYWEIGHT_AVAILABLE_IN_1_0
guint                 flyweight_pokies_view_get_position          (FlyweightPokiesView *self);
FLYWEIGHT_AVAILABLE_IN_1_0
guint                *flyweight_pokies_view_get_last_draw         (FlyweightPokiesView *self,
                                                                   guint               *n_values);
FLYWEIGHT_AVAILABLE_IN_1_0
GVariant             *flyweight_pokies_view_dup_last_draw_variant (FlyweightPokiesView *self);
FLYWEIGHT_AVAILABLE_IN_1_0
char                 *flyweight_pokies_view_dup_last_draw_text    (FlyweightPokiesView *self);

G_END_DECLS
