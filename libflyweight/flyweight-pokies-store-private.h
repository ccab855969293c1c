/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-attr-store-private.h"
#include "flyweight-pokies-store.h"
#include "flyweight-pokies-view.h"

G_BEGIN_DECLS

/* What a view keeps once its row is gone: a copy of the row. */
typedef struct
{
  FlyweightAttrStore  attrs;
  guint              *last_draw;   /* NULL: never drawn */
} FlyweightViewOrphan;

/* Every field but the base class's is guarded by the store's lock. */
struct _FlyweightPokiesView
{
  FlyweightPokies       parent_instance;

  FlyweightPokiesStore *store;       /* set once: by the store, or on first use; the
                                      * store holds itself while it has views */
  guint                 position;    /* the row, while attached */
  guint                 dying : 1;   /* disposed: get_item() makes a new one */
  guint                 detached : 1;
  FlyweightViewOrphan  *orphan;      /* detached only */
  GWeakRef              self_ref;    /* thread-safe-items only: how the store refs it */
};

/* Called by FlyweightPokiesView, which does the checking and the
 * signalling; these lock, read or write the row (or the orphan), unlock. */
gboolean  flyweight_pokies_store_view_set_attr    (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   const char            *name,
                                                   const GValue          *value,
                                                   guint                 *position);
gboolean  flyweight_pokies_store_view_lookup_attr (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   const char            *name,
                                                   GValue                *value);
gboolean  flyweight_pokies_store_view_del_attr    (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   const char            *name,
                                                   guint                 *position);
char    **flyweight_pokies_store_view_clear_attrs (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   guint                 *position);
gboolean  flyweight_pokies_store_view_has_attr    (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   const char            *name);
char    **flyweight_pokies_store_view_list_attrs  (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view);
void      flyweight_pokies_store_view_take_draw   (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view,
                                                   const guint           *values,
                                                   guint                  n_values,
                                                   guint                 *position);
guint    *flyweight_pokies_store_view_get_draw    (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view);
guint     flyweight_pokies_store_view_get_position (FlyweightPokiesStore *self,
                                                   FlyweightPokiesView   *view);
void      flyweight_pokies_store_view_dispose     (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view);
void      flyweight_pokies_store_view_finalize    (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view);

/* A view made on its own becomes the one row of @self, a new store. */
void      flyweight_pokies_store_adopt_view       (FlyweightPokiesStore  *self,
                                                   FlyweightPokiesView   *view);

/* Emits ::rows-changed for one row, if @position is one. */
void      flyweight_pokies_store_row_changed      (FlyweightPokiesStore  *self,
                                                   guint                  position);

/* For the view, when its row changes under it. */
void      flyweight_pokies_view_notify_draw       (FlyweightPokiesView   *self);
void      flyweight_pokies_view_notify_position   (FlyweightPokiesView   *self);
void      flyweight_pokies_view_emit_attr_changed (FlyweightPokiesView   *self,
                                                   const char            *name);

/* For the tests: the bytes the store's rows take, by what holds them. */
gsize     flyweight_pokies_store_count_bytes      (FlyweightPokiesStore  *self);

G_END_DECLS
