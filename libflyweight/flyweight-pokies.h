/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-random.h"
#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/**
 * FLYWEIGHT_POKIES_MAX_REELS:
 *
 * The largest number of reels a machine may have; it bounds the cost of
 * one [method@Flyweight.Pokies.draw].
 *
 * Since: 1.0
 */
#define FLYWEIGHT_POKIES_MAX_REELS 1024

/**
 * FLYWEIGHT_POKIES_MAX_SYMBOLS:
 *
 * The largest number of symbols a reel may have.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_POKIES_MAX_SYMBOLS 1048576

#define FLYWEIGHT_TYPE_POKIES (flyweight_pokies_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (FlyweightPokies, flyweight_pokies, FLYWEIGHT, POKIES, GObject)

/**
 * FlyweightPokiesClass::lookup_attr:
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 * @value: (out caller-allocates): an empty `GValue` to initialize with a copy
 *   of the attribute
 * @error: return location for a #GError
 *
 * Finds an attribute; fails with %FLYWEIGHT_ERROR_NO_ATTRIBUTE, leaving
 * @value empty, if there is none.
 *
 * Returns: %TRUE if @value now holds the attribute
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass:
 * @parent_class: the parent class
 * @get_reels: returns the number of reels
 * @get_symbols: returns the number of symbols on each reel
 * @set_attr: adds or replaces an attribute; the name has been checked
 *   against the naming rule, and `reels`/`symbols` never reach it
 * @lookup_attr: initializes the caller's empty `GValue` with a copy of the
 *   attribute; the name has been checked
 * @del_attr: removes an attribute; the name has been checked, and
 *   `reels`/`symbols` never reach it
 * @has_attr: whether the attribute exists; the name has been checked
 * @list_attrs: returns every attribute name, in any order
 *
 * The virtual methods behind the attribute protocol. The public wrappers
 * check names and values first, so implementations only store and find.
 *
 * Since: 1.0
 */
struct _FlyweightPokiesClass
{
  GObjectClass parent_class;

  guint      (*get_reels)   (FlyweightPokies  *self);
  guint      (*get_symbols) (FlyweightPokies  *self);
  gboolean   (*set_attr)    (FlyweightPokies  *self,
                             const char       *name,
                             const GValue     *value,
                             GError          **error);
  gboolean   (*lookup_attr) (FlyweightPokies  *self,
                             const char       *name,
                             GValue           *value,
                             GError          **error);
  gboolean   (*del_attr)    (FlyweightPokies  *self,
                             const char       *name,
                             GError          **error);
  gboolean   (*has_attr)    (FlyweightPokies  *self,
                             const char       *name);
  char     **(*list_attrs)  (FlyweightPokies  *self);

  /*< private >*/
  gpointer _reserved[8];
};

FLYWEIGHT_AVAILABLE_IN_1_0
guint      flyweight_pokies_get_reels          (FlyweightPokies  *self);
FLYWEIGHT_AVAILABLE_IN_1_0
guint      flyweight_pokies_get_symbols        (FlyweightPokies  *self);
FLYWEIGHT_AVAILABLE_IN_1_0
guint     *flyweight_pokies_draw               (FlyweightPokies  *self,
                                                guint            *n_values);
FLYWEIGHT_AVAILABLE_IN_1_0
guint     *flyweight_pokies_draw_with          (FlyweightPokies  *self,
                                                FlyweightRandom  *random,
                                                guint            *n_values);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean   flyweight_pokies_set_attr           (FlyweightPokies  *self,
                                                const char       *name,
                                                const GValue     *value,
                                                GError          **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean      flyweight_pokies_get_attr        (FlyweightPokies  *self,
                                                const char       *name,
                                                GValue           *value,
                                                GError          **error);
FLYWEIGHT_AVAILABLE_IN_1_0
const GValue *flyweight_pokies_peek_attr       (FlyweightPokies  *self,
                                                const char       *name,
                                                GError          **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean   flyweight_pokies_del_attr           (FlyweightPokies  *self,
                                                const char       *name,
                                                GError          **error);
FLYWEIGHT_AVAILABLE_IN_1_0
gboolean   flyweight_pokies_has_attr           (FlyweightPokies  *self,
                                                const char       *name);
FLYWEIGHT_AVAILABLE_IN_1_0
char     **flyweight_pokies_list_attrs         (FlyweightPokies  *self);

G_END_DECLS
