/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-attr-store-private.h"
#include "flyweight-handler-hint-private.h"
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

/* Here rather than in the .c file, so that the public attribute calls
 * reach the store inline (see flyweight_attr_store_read_fast()). */
struct _FlyweightPokiesDynamic
{
  FlyweightPokies parent_instance;

  FlyweightAttrStore store;
};

static inline FlyweightAttrStore *
flyweight_pokies_dynamic_get_store (FlyweightPokiesDynamic *self)
{
  return &self->store;
}

void flyweight_pokies_dynamic_emit_changed (FlyweightPokiesDynamic *self,
                                            const char             *name);

/* Tells about a change of @name, after it. A machine nobody ever
 * connected a handler to skips GSignal, whose lock every thread shares. */
static inline void
flyweight_pokies_dynamic_changed (FlyweightPokiesDynamic *self,
                                  const char             *name)
{
  if (flyweight_object_may_have_handlers ((GObject *) self))
    flyweight_pokies_dynamic_emit_changed (self, name);
}

G_END_DECLS
