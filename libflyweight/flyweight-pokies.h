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
 * FlyweightPokiesClass::set_attr:
 * @self: a `FlyweightPokies`
 * @name: a valid attribute name, never `reels` or `symbols`
 * @value: a set value that may be stored: not a raw pointer, not a
 *   binding's private box, its strings valid UTF-8
 * @error: return location for a #GError
 *
 * Adds the attribute @name or replaces its value, keeping a copy of @value.
 *
 * Returns %TRUE, or %FALSE and sets @error (typically
 * %FLYWEIGHT_ERROR_NO_ATTRIBUTE if the machine has no room for @name).
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass::lookup_attr:
 * @self: a `FlyweightPokies`
 * @name: a valid attribute name, never `reels` or `symbols`
 * @value: (out caller-allocates): an empty `GValue` to initialize with a
 *   copy of the attribute
 * @error: return location for a #GError
 *
 * Finds an attribute: initializes @value with a copy of it and returns
 * %TRUE, or leaves @value empty, sets @error (%FLYWEIGHT_ERROR_NO_ATTRIBUTE
 * if there is none) and returns %FALSE.
 *
 * Returns: %TRUE if @value now holds the attribute
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass::del_attr:
 * @self: a `FlyweightPokies`
 * @name: a valid attribute name, never `reels` or `symbols`
 * @error: return location for a #GError
 *
 * Removes the attribute @name. Returns %TRUE, or %FALSE and sets @error
 * (%FLYWEIGHT_ERROR_NO_ATTRIBUTE if there is none).
 *
 * Returns: %TRUE if the attribute was removed
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass::has_attr:
 * @self: a `FlyweightPokies`
 * @name: a valid attribute name, never `reels` or `symbols`
 *
 * Tells whether the attribute @name exists.
 *
 * Returns: %TRUE if lookup_attr() would find @name
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass::list_attrs:
 * @self: a `FlyweightPokies`
 *
 * Lists the attributes the subclass holds, in any order, without `reels`
 * and `symbols`; an empty array if there are none, never %NULL.
 *
 * Returns: (array zero-terminated=1) (transfer full): the names
 *
 * Since: 1.0
 */

/**
 * FlyweightPokiesClass::clear_attrs:
 * @self: a `FlyweightPokies`
 *
 * Removes every attribute the subclass holds. The default implementation
 * removes, one by one with del_attr(), each name list_attrs() gives.
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
 * @clear_attrs: removes every attribute
 *
 * The virtual methods behind the attribute protocol: what a subclass, in
 * C, Python or JavaScript, implements to give its machines attributes.
 *
 * Subclassing `FlyweightPokies` means choosing where attributes live. The
 * base class keeps `reels` and `symbols` for every machine and answers for
 * them itself, and the public methods check names and values before any
 * virtual method runs; so an implementation only stores and finds the
 * other attributes, with names that follow the naming rule and values that
 * may be stored. A subclass that overrides nothing is a valid machine that
 * holds no other attribute, as [class@Flyweight.PokiesSlotted] does; a
 * subclass that overrides some methods should override all six
 * consistently.
 *
 * The base class itself cannot be instantiated: it is the notebook's
 * `BrokenPokies`, and `g_object_new()`, Python and gjs refuse it at once.
 * [class@Flyweight.PokiesDynamic] and [class@Flyweight.PokiesSlotted] are
 * final.
 *
 * An implementation that breaks the contract of a method is a programmer
 * error in the subclass: the public method emits a critical warning that
 * names the class and the method, and its caller gets a clean answer, never
 * a crash or a leak:
 *
 * - set_attr(), del_attr() or lookup_attr() returning %FALSE without an
 *   error (as a Python `do_` method that raises an exception other than
 *   `GLib.Error` does) fail with %FLYWEIGHT_ERROR_FAILED;
 * - returning %TRUE with an error set succeeds, and the error is freed;
 * - lookup_attr() returning %TRUE without filling the value fails with
 *   %FLYWEIGHT_ERROR_FAILED, and a value filled before returning %FALSE
 *   is freed;
 * - list_attrs() returning %NULL counts as no attributes, and names it
 *   lists that are invalid, duplicated, `reels` or `symbols` are left out.
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
  void       (*clear_attrs) (FlyweightPokies  *self);

  /*< private >*/
  gpointer _reserved[7];
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
FLYWEIGHT_AVAILABLE_IN_1_0
void       flyweight_pokies_clear_attrs        (FlyweightPokies  *self);

G_END_DECLS
