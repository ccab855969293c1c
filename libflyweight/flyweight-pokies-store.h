/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <gio/gio.h>

#include "flyweight-pokies.h"
#include "flyweight-random.h"
#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/* Design: a store keeps its machines as rows of packed columns, not as
 * objects. A row holds the index of a shared configuration (reels and
 * symbols), its last draw as one packed number, and one cell per attribute
 * column (strings as indices into the column's dictionary, numbers and
 * booleans at their natural size, anything else as a GValue). Widths grow
 * with what is stored: ten configurations and a hundred owners cost a byte
 * each. get_item() makes a FlyweightPokiesView of a row on demand; the
 * store remembers live views weakly, moves them with their rows, and lets
 * them go when their last reference does. Bulk calls work on the columns
 * and never make a view. */

#define FLYWEIGHT_TYPE_POKIES_STORE (flyweight_pokies_store_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightPokiesStore, flyweight_pokies_store, FLYWEIGHT, POKIES_STORE, GObject)

/* Declared here as well as in flyweight-pokies-view.h, which includes
 * this header, so that each header can name the other's type. */
typedef struct _FlyweightPokiesView FlyweightPokiesView;

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokiesStore *flyweight_pokies_store_new                 (void);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_get_thread_safe_items (FlyweightPokiesStore *self);

FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_append              (FlyweightPokiesStore    *self,
                                                                  guint                    reels,
                                                                  guint                    symbols,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_insert              (FlyweightPokiesStore    *self,
                                                                  guint                    position,
                                                                  guint                    reels,
                                                                  guint                    symbols,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_append_many         (FlyweightPokiesStore    *self,
                                                                  guint                    n_machines,
                                                                  guint                    reels,
                                                                  guint                    symbols,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_insert_many         (FlyweightPokiesStore    *self,
                                                                  guint                    position,
                                                                  guint                    n_machines,
                                                                  guint                    reels,
                                                                  guint                    symbols,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_append_machine      (FlyweightPokiesStore    *self,
                                                                  FlyweightPokies         *machine,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_splice              (FlyweightPokiesStore    *self,
                                                                  guint                    position,
                                                                  guint                    n_removals,
                                                                  FlyweightPokies * const *additions,
                                                                  guint                    n_additions,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_remove              (FlyweightPokiesStore    *self,
                                                                  guint                    position);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_remove_range        (FlyweightPokiesStore    *self,
                                                                  guint                    position,
                                                                  guint                    n_machines);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_remove_all          (FlyweightPokiesStore    *self);

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokiesView  *flyweight_pokies_store_get_view            (FlyweightPokiesStore    *self,
                                                                  guint                    position);
FLYWEIGHT_AVAILABLE_IN_1_0
guint                 flyweight_pokies_store_get_n_live_views    (FlyweightPokiesStore    *self);
FLYWEIGHT_AVAILABLE_IN_1_0
guint                 flyweight_pokies_store_get_n_configurations (FlyweightPokiesStore   *self);

FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_draw_all            (FlyweightPokiesStore    *self,
                                                                  FlyweightRandom         *random);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_draw_range          (FlyweightPokiesStore    *self,
                                                                  guint                    position,
                                                                  guint                    n_machines,
                                                                  FlyweightRandom         *random);

FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_range      (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  guint                    n_machines,
                                                                  const GValue            *value,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_del_attr_range      (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  guint                    n_machines,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_strings    (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  const char * const      *values,
                                                                  guint                    n_values,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_dictionary (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  const char * const      *dictionary,
                                                                  guint                    n_dictionary,
                                                                  const guint             *indices,
                                                                  guint                    n_indices,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_ints       (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  const gint              *values,
                                                                  guint                    n_values,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_doubles    (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  const gdouble           *values,
                                                                  guint                    n_values,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_set_attr_booleans   (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  guint                    position,
                                                                  const gboolean          *values,
                                                                  guint                    n_values,
                                                                  GError                 **error);

FLYWEIGHT_AVAILABLE_IN_1_0
guint                 flyweight_pokies_store_count_attr          (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  const GValue            *value,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
guint                *flyweight_pokies_store_filter_attr         (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  const GValue            *value,
                                                                  guint                   *n_positions,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean              flyweight_pokies_store_sort_by_attr        (FlyweightPokiesStore    *self,
                                                                  const char              *name,
                                                                  gboolean                 descending,
                                                                  GError                 **error);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_pokies_store_sort_by_last_draw   (FlyweightPokiesStore    *self,
                                                                  gboolean                 descending);

G_END_DECLS
