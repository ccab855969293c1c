/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-pokies-dynamic.h"

G_BEGIN_DECLS

/* The public attribute calls try these first on a PokiesDynamic: a name
 * the machine holds is valid and no dimension, so they skip the checks
 * that only the other names need. Each returns FALSE, changing nothing,
 * when the full path must decide. */
gboolean flyweight_pokies_dynamic_read    (FlyweightPokiesDynamic *self,
                                           const char             *name,
                                           GValue                 *value);
gboolean flyweight_pokies_dynamic_replace (FlyweightPokiesDynamic *self,
                                           const char             *name,
                                           const GValue           *value);

G_END_DECLS
