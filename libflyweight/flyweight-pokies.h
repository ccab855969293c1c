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

#define FLYWEIGHT_TYPE_POKIES            (flyweight_pokies_get_type ())
#define FLYWEIGHT_POKIES(obj)            (G_TYPE_CHECK_INSTANCE_CAST ((obj), FLYWEIGHT_TYPE_POKIES, FlyweightPokies))
#define FLYWEIGHT_POKIES_CLASS(klass)    (G_TYPE_CHECK_CLASS_CAST ((klass), FLYWEIGHT_TYPE_POKIES, FlyweightPokiesClass))
#define FLYWEIGHT_IS_POKIES(obj)         (G_TYPE_CHECK_INSTANCE_TYPE ((obj), FLYWEIGHT_TYPE_POKIES))
#define FLYWEIGHT_IS_POKIES_CLASS(klass) (G_TYPE_CHECK_CLASS_TYPE ((klass), FLYWEIGHT_TYPE_POKIES))
#define FLYWEIGHT_POKIES_GET_CLASS(obj)  (G_TYPE_INSTANCE_GET_CLASS ((obj), FLYWEIGHT_TYPE_POKIES, FlyweightPokiesClass))

typedef struct _FlyweightPokies      FlyweightPokies;
typedef struct _FlyweightPokiesClass FlyweightPokiesClass;

/* Declared by hand rather than with G_DECLARE_DERIVABLE_TYPE: the
 * dimensions sit in the instance itself, where GObject's private data
 * would be padded to 16 bytes and cost every machine 8 more. */
struct _FlyweightPokies
{
  GObject parent_instance;

  /*< private >*/
  guint reels;
  guint symbols;
};

FLYWEIGHT_AVAILABLE_IN_1_0
GType flyweight_pokies_get_type (void) G_GNUC_CONST;

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
 * @set_attr: adds or replaces an attribute
 * @lookup_attr: initializes the caller's empty `GValue` with a copy of the
 *   attribute
 * @del_attr: removes an attribute
 * @has_attr: whether the attribute exists
 * @list_attrs: returns every attribute name, in any order
 *
 * The virtual methods behind the attribute protocol. The public wrappers
 * check names and values first and answer for `reels` and `symbols`
 * themselves, so implementations only store and find the other attributes,
 * with names that follow the naming rule. The default implementations
 * hold no attribute, as [class@Flyweight.PokiesSlotted] does.
 *
 * Since: 1.0
 */
struct _FlyweightPokiesClass
{
  GObjectClass parent_class;

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlyweightPokies, g_object_unref)

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
