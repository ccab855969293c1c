/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-pokies-dynamic.h"

G_BEGIN_DECLS

/* The type, once its class is initialized: 0 before. Written once. */
G_GNUC_INTERNAL extern GType flyweight_pokies_dynamic_type;

/* Whether @self is a PokiesDynamic, without calling get_type(): the type
 * is final, so its instances' class is exactly its own. Anything else,
 * NULL included, answers FALSE and takes the checked path. */
static inline gboolean
flyweight_pokies_is_dynamic (gpointer self)
{
  GType type = __atomic_load_n (&flyweight_pokies_dynamic_type, __ATOMIC_RELAXED);

  return self != NULL && type != 0 && ((GTypeInstance *) self)->g_class != NULL &&
         G_TYPE_FROM_INSTANCE (self) == type;
}

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
