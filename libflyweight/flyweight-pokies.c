/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "flyweight-attr-name.h"
#include "flyweight-error.h"
#include "flyweight-i18n-private.h"
#include "flyweight-pokies-dynamic-private.h"
#include "flyweight-pokies-private.h"
#include "flyweight-pokies-store-private.h"
#include "flyweight-random-private.h"
#include "flyweight-value-convert-private.h"

/**
 * FlyweightPokies:
 *
 * The Aussie one-arm bandit: a machine of [property@Flyweight.Pokies:reels]
 * reels with [property@Flyweight.Pokies:symbols] symbols each, and
 * [method@Flyweight.Pokies.draw] to pull its arm.
 *
 * `FlyweightPokies` is abstract. It declares the machine and the attribute
 * protocol — the GObject analogue of Python's `setattr()`, `getattr()`,
 * `delattr()`, `hasattr()` and `dir()` — and leaves the storage to its
 * subclasses:
 *
 * - [class@Flyweight.PokiesDynamic] keeps every attribute in a per-instance
 *   table, like a Python object with a `__dict__`: any name can be added,
 *   replaced and deleted at run time.
 * - [class@Flyweight.PokiesSlotted] keeps `reels` and `symbols` in two fixed
 *   fields, like a Python class with `__slots__`: nothing else can be added,
 *   and an instance costs no more than the smallest GObject with two fields.
 *
 * The base class on its own is the notebook's `BrokenPokies` with
 * `__slots__ = ()`: it has no room for anything, so it cannot be instantiated.
 *
 * Unlike Python's `__slots__`, no choice has to be made about weak references:
 * every GObject supports `GWeakRef` (see [struct@Flyweight.WeakRef]), and it
 * costs nothing until the first weak reference is taken.
 *
 * ## Threads
 *
 * One instance may be used from several threads at once: the attribute calls,
 * [method@Flyweight.Pokies.draw] and [method@Flyweight.Pokies.draw_with] are
 * all safe, and each attribute call is atomic. A value read from one thread
 * is a copy: changing the attribute afterwards does not change it. What is not
 * atomic is a sequence of calls: "read, then write back" from two threads can
 * lose one of the writes, as it can in Python.
 *
 * Since: 1.0
 */

/* The dimensions live in the base class, so that every machine has them
 * whatever its subclass does, and a subclass has nothing to get wrong.
 * They are written during construction only, before the object is shared,
 * so they are read without locking. */
G_DEFINE_ABSTRACT_TYPE (FlyweightPokies, flyweight_pokies, G_TYPE_OBJECT)

static GParamSpec *properties[FLYWEIGHT_POKIES_N_PROPS];

static gboolean
flyweight_pokies_real_set_attr (FlyweightPokies  *self,
                                const char       *name,
                                const GValue     *value,
                                GError          **error)
{
  flyweight_pokies_set_no_attribute_error (self, name, error);
  return FALSE;
}

static gboolean
flyweight_pokies_real_lookup_attr (FlyweightPokies  *self,
                                const char       *name,
                                GValue           *value,
                                GError          **error)
{
  flyweight_pokies_set_no_attribute_error (self, name, error);
  return FALSE;
}

static gboolean
flyweight_pokies_real_del_attr (FlyweightPokies  *self,
                                const char       *name,
                                GError          **error)
{
  flyweight_pokies_set_no_attribute_error (self, name, error);
  return FALSE;
}

static gboolean
flyweight_pokies_real_has_attr (FlyweightPokies *self,
                                const char      *name)
{
  return FALSE;
}

static char **
flyweight_pokies_real_list_attrs (FlyweightPokies *self)
{
  return g_new0 (char *, 1);
}

/* One by one, through the public methods, which check each answer. */
static void
flyweight_pokies_real_clear_attrs (FlyweightPokies *self)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (self);

  for (guint i = 0; names[i] != NULL; i++)
    if (!flyweight_pokies_is_dimension (names[i]))
      flyweight_pokies_del_attr (self, names[i], NULL);
}

static void
flyweight_pokies_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  /* GObject calls these with its own checked object: no second check on
   * a path every construction takes. */
  FlyweightPokies *self = (FlyweightPokies *) object;

  switch (prop_id)
    {
    case FLYWEIGHT_POKIES_PROP_REELS:
      g_value_set_uint (value, self->reels);
      break;

    case FLYWEIGHT_POKIES_PROP_SYMBOLS:
      g_value_set_uint (value, self->symbols);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pokies_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FlyweightPokies *self = (FlyweightPokies *) object;

  switch (prop_id)
    {
    case FLYWEIGHT_POKIES_PROP_REELS:
      self->reels = g_value_get_uint (value);
      break;

    case FLYWEIGHT_POKIES_PROP_SYMBOLS:
      self->symbols = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pokies_class_init (FlyweightPokiesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  flyweight_i18n_init ();

  object_class->get_property = flyweight_pokies_get_property;
  object_class->set_property = flyweight_pokies_set_property;

  klass->set_attr = flyweight_pokies_real_set_attr;
  klass->lookup_attr = flyweight_pokies_real_lookup_attr;
  klass->del_attr = flyweight_pokies_real_del_attr;
  klass->has_attr = flyweight_pokies_real_has_attr;
  klass->list_attrs = flyweight_pokies_real_list_attrs;
  klass->clear_attrs = flyweight_pokies_real_clear_attrs;

  /**
   * FlyweightPokies:reels:
   *
   * The number of reels, from 1 to %FLYWEIGHT_POKIES_MAX_REELS; 3 unless
   * set at construction.
   *
   * A value out of range given to g_object_new() is refused with a warning
   * and the default is kept; [ctor@Flyweight.PokiesSlotted.new] and
   * [ctor@Flyweight.PokiesDynamic.new] report it as an error instead.
   *
   * Since: 1.0
   */
  properties[FLYWEIGHT_POKIES_PROP_REELS] =
    g_param_spec_uint ("reels", NULL, NULL,
                       1, FLYWEIGHT_POKIES_MAX_REELS,
                       FLYWEIGHT_POKIES_DEFAULT_REELS,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPokies:symbols:
   *
   * The number of symbols on each reel, from 1 to
   * %FLYWEIGHT_POKIES_MAX_SYMBOLS; 10 unless set at construction.
   *
   * Out-of-range values are handled as for [property@Flyweight.Pokies:reels].
   *
   * Since: 1.0
   */
  properties[FLYWEIGHT_POKIES_PROP_SYMBOLS] =
    g_param_spec_uint ("symbols", NULL, NULL,
                       1, FLYWEIGHT_POKIES_MAX_SYMBOLS,
                       FLYWEIGHT_POKIES_DEFAULT_SYMBOLS,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, FLYWEIGHT_POKIES_N_PROPS, properties);
}

/* GObject sets both construct-only dimensions of every new machine, but
 * refuses a value out of range and then keeps what is here. */
static void
flyweight_pokies_init (FlyweightPokies *self)
{
  self->reels = FLYWEIGHT_POKIES_DEFAULT_REELS;
  self->symbols = FLYWEIGHT_POKIES_DEFAULT_SYMBOLS;
}

/* For the constructors, which skip g_object_new()'s property machinery:
 * only before the new machine is shared, with checked dimensions. */
void
flyweight_pokies_set_dimensions (FlyweightPokies *self,
                                 guint            reels,
                                 guint            symbols)
{
  self->reels = reels;
  self->symbols = symbols;
}

gboolean
flyweight_pokies_check_dimensions (guint    reels,
                                   guint    symbols,
                                   GError **error)
{
  /* Constructors check before any class exists to bind the domain. */
  flyweight_i18n_init ();

  if (reels < 1 || reels > FLYWEIGHT_POKIES_MAX_REELS)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("A machine needs between 1 and %u reels, not %u"),
                   (guint) FLYWEIGHT_POKIES_MAX_REELS, reels);
      return FALSE;
    }

  if (symbols < 1 || symbols > FLYWEIGHT_POKIES_MAX_SYMBOLS)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("A reel needs between 1 and %u symbols, not %u"),
                   (guint) FLYWEIGHT_POKIES_MAX_SYMBOLS, symbols);
      return FALSE;
    }

  return TRUE;
}

gboolean
flyweight_pokies_is_dimension (const char *name)
{
  return strcmp (name, "reels") == 0 || strcmp (name, "symbols") == 0;
}

void
flyweight_pokies_set_no_attribute_error (FlyweightPokies  *self,
                                         const char       *name,
                                         GError          **error)
{
  g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE,
               _("“%s” object has no attribute “%s”"),
               G_OBJECT_TYPE_NAME (self), name);
}

/* Whether set_attr() or del_attr() may touch @name, on machines of type
 * @type: a valid name, and not one of the dimensions, which never
 * change. */
gboolean
flyweight_pokies_check_changeable (GType        type,
                                   const char  *name,
                                   GError     **error)
{
  if (!flyweight_attr_name_validate (name, error))
    return FALSE;

  if (flyweight_pokies_is_dimension (name))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY,
                   _("Attribute “%s” of “%s” object is read-only"),
                   name, g_type_name (type));
      return FALSE;
    }

  return TRUE;
}

gboolean
flyweight_pokies_check_value (const char    *name,
                              const GValue  *value,
                              GError       **error)
{
  GType fundamental;

  if (!G_IS_VALUE (value))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Cannot set attribute “%s” to an unset value"),
                   name);
      return FALSE;
    }

  fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value));

  /* A raw pointer has no owner and no way to be copied safely; a GType
   * is stored as a pointer type but is a plain number. */
  if (fundamental == G_TYPE_POINTER &&
      G_VALUE_TYPE (value) != G_TYPE_GTYPE)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Cannot set attribute “%s” to a value of type %s: it cannot be copied"),
                   name, G_VALUE_TYPE_NAME (value));
      return FALSE;
    }

  /* A binding's box for its own objects, which C cannot keep: gjs does
   * not root the JavaScript object of a JSObject box, so its garbage
   * collector frees it under our copy; PyGObject frees a PyObject box
   * with the interpreter's lock, which no longer exists once the
   * interpreter has finished, and Python's cycle collector cannot see
   * the reference. Matched by name: neither type is ours to link to. */
  if (fundamental == G_TYPE_BOXED)
    {
      const char *type_name = G_VALUE_TYPE_NAME (value);

      if (strcmp (type_name, "JSObject") == 0)
        {
          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                       _("Cannot set attribute “%s” to a JavaScript object: it belongs to the JavaScript engine, "
                         "which would free it while a copy is kept from C; store a GObject, a GLib.Variant "
                         "or plain values instead"),
                       name);
          return FALSE;
        }

      if (strcmp (type_name, "PyObject") == 0)
        {
          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                       _("Cannot set attribute “%s” to a Python object: it belongs to the Python interpreter, "
                         "which cannot see or outlive a copy kept from C; store a GObject, a GLib.Variant "
                         "or plain values instead"),
                       name);
          return FALSE;
        }
    }

  /* Strings are text everywhere else: in GVariant, Python and JavaScript. */
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL &&
      !g_utf8_validate (g_value_get_string (value), -1, NULL))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Cannot set attribute “%s” to a string that is not valid UTF-8"),
                   name);
      return FALSE;
    }

  if (G_VALUE_HOLDS (value, G_TYPE_STRV) && g_value_get_boxed (value) != NULL)
    {
      const char * const *strv = g_value_get_boxed (value);

      for (guint i = 0; strv[i] != NULL; i++)
        if (!g_utf8_validate (strv[i], -1, NULL))
          {
            g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                         _("Cannot set attribute “%s” to a string that is not valid UTF-8"),
                         name);
            return FALSE;
          }
    }

  return TRUE;
}

/**
 * flyweight_pokies_get_reels:
 * @self: a `FlyweightPokies`
 *
 * Gets the number of reels.
 *
 * Returns: the number of reels
 *
 * Since: 1.0
 */
guint
flyweight_pokies_get_reels (FlyweightPokies *self)
{
    g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), 0);

  return self->reels;
}

/**
 * flyweight_pokies_get_symbols:
 * @self: a `FlyweightPokies`
 *
 * Gets the number of symbols on each reel.
 *
 * Returns: the number of symbols
 *
 * Since: 1.0
 */
guint
flyweight_pokies_get_symbols (FlyweightPokies *self)
{
    g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), 0);

  return self->symbols;
}

/* A machine seen through a store's row keeps its last draw there. */
static void
remember_draw (FlyweightPokies *self,
               const guint     *values,
               guint            n_values)
{
  if (FLYWEIGHT_IS_POKIES_VIEW (self))
    {
      FlyweightPokiesView *view = FLYWEIGHT_POKIES_VIEW (self);
      FlyweightPokiesStore *store = flyweight_pokies_view_get_store (view);
      guint position;

      flyweight_pokies_store_view_take_draw (store, view, values, n_values, &position);
      flyweight_pokies_view_notify_draw (view);
      flyweight_pokies_store_row_changed (store, position);
    }
}

/**
 * flyweight_pokies_draw:
 * @self: a `FlyweightPokies`
 * @n_values: (out): return location for the number of values, which is
 *   the number of reels
 *
 * Pulls the arm: draws one symbol per reel, each uniformly distributed
 * over 1 to [property@Flyweight.Pokies:symbols].
 *
 * The numbers come from GLib's global random source (`g_random_int_range()`).
 * To make draws reproducible, use [method@Flyweight.Pokies.draw_with].
 *
 * Returns: (array length=n_values) (transfer full): the drawn symbols,
 *   free with g_free()
 *
 * Since: 1.0
 */
guint *
flyweight_pokies_draw (FlyweightPokies *self,
                       guint           *n_values)
{
  guint reels, symbols;
  guint *values;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), NULL);
  g_return_val_if_fail (n_values != NULL, NULL);

  reels = flyweight_pokies_get_reels (self);
  symbols = flyweight_pokies_get_symbols (self);
  values = g_new (guint, reels);

  for (guint i = 0; i < reels; i++)
    values[i] = (guint) g_random_int_range (1, (gint32) symbols + 1);

  *n_values = reels;
  remember_draw (self, values, reels);

  return values;
}

/**
 * flyweight_pokies_draw_with:
 * @self: a `FlyweightPokies`
 * @random: the source of the numbers
 * @n_values: (out): return location for the number of values, which is
 *   the number of reels
 *
 * Pulls the arm like [method@Flyweight.Pokies.draw], taking the numbers
 * from @random.
 *
 * A [class@Flyweight.Random] made from a given seed gives the same draws
 * in C, Python and JavaScript:
 *
 * ```python
 * rng = Flyweight.Random.new(42)
 * machine.draw_with(rng)   # the same list every time the script runs
 * ```
 *
 * Returns: (array length=n_values) (transfer full): the drawn symbols,
 *   free with g_free()
 *
 * Since: 1.0
 */
guint *
flyweight_pokies_draw_with (FlyweightPokies *self,
                            FlyweightRandom *random,
                            guint           *n_values)
{
  guint reels, symbols;
  guint *values;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), NULL);
  g_return_val_if_fail (FLYWEIGHT_IS_RANDOM (random), NULL);
  g_return_val_if_fail (n_values != NULL, NULL);

  reels = flyweight_pokies_get_reels (self);
  symbols = flyweight_pokies_get_symbols (self);
  values = g_new (guint, reels);

  flyweight_random_fill (random, values, reels, symbols);
  *n_values = reels;
  remember_draw (self, values, reels);

  return values;
}

/* Through g_logv() rather than the structured g_critical() the library
 * uses elsewhere: GLib before 2.76 matches g_test_expect_message() only
 * there, and these are the criticals a subclass's own tests expect. */
G_GNUC_PRINTF (1, 2)
static void
report_broken_subclass (const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_logv (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, format, args);
  va_end (args);
}

/* The virtual methods may come from a subclass, in C, Python or
 * JavaScript, that gets them wrong. The wrappers check every answer: a
 * broken one is reported as a critical that names the class and the
 * method (a programmer error in the subclass), and the caller gets a clean
 * result. PyGObject turns a `do_` method that raises anything but
 * GLib.Error into FALSE without an error, so this is not rare. */
static gboolean
finish_vfunc_call (FlyweightPokies  *self,
                   const char       *vfunc,
                   const char       *name,
                   gboolean          ok,
                   GError           *local_error,
                   GError          **error)
{
  if (G_LIKELY (ok ? local_error == NULL : local_error != NULL))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return ok;
    }

  if (ok)
    {
      report_broken_subclass ("%s() of “%s” returned TRUE but set an error (%s); the error is ignored",
                  vfunc, G_OBJECT_TYPE_NAME (self), local_error->message);
      g_error_free (local_error);
      return TRUE;
    }

  report_broken_subclass ("%s() of “%s” returned FALSE without setting an error",
              vfunc, G_OBJECT_TYPE_NAME (self));
  g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED,
               _("“%s” object failed in %s() on attribute “%s” without saying why"),
               G_OBJECT_TYPE_NAME (self), vfunc, name);
  return FALSE;
}

/* Every check, then the virtual method. Kept out of line, so that the
 * fast path of flyweight_pokies_set_attr() stays small. */
static G_NO_INLINE gboolean
set_attr_checked (FlyweightPokies  *self,
                  const char       *name,
                  const GValue     *value,
                  GError          **error)
{
  FlyweightPokiesClass *klass;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!flyweight_pokies_check_changeable (G_OBJECT_TYPE (self), name, error))
    return FALSE;

  if (!flyweight_pokies_check_value (name, value, error))
    return FALSE;

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);
  ok = (klass->set_attr != NULL ? klass->set_attr : flyweight_pokies_real_set_attr) (self, name, value, &local_error);

  /* After the call: @value may be the very value peeked last. */
  flyweight_pokies_forget_peeked ();

  return finish_vfunc_call (self, "set_attr", name, ok != FALSE, local_error, error);
}

/**
 * flyweight_pokies_set_attr:
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 * @value: the new value, which is copied
 * @error: return location for a #GError
 *
 * Adds the attribute @name, or replaces its value: `setattr (self, name, value)`.
 *
 * @name must follow the rule of flyweight_attr_name_validate().
 * `reels` and `symbols` can be read but never changed.
 *
 * A value that only a language binding can make sense of is refused: a
 * JavaScript object boxed by gjs (`JSObject`) belongs to the JavaScript
 * engine, whose garbage collector cannot see a copy kept from C and frees
 * the object under it; an arbitrary Python object boxed by PyGObject
 * (`PyObject`) could not be released once the interpreter has finished,
 * and a reference kept from C is invisible to Python's cycle collector.
 * Store a GObject, a `GVariant` or plain values instead.
 *
 * The call fails, changing nothing, with
 * - %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule;
 * - %FLYWEIGHT_ERROR_READ_ONLY for `reels` and `symbols`;
 * - %FLYWEIGHT_ERROR_INVALID_VALUE if @value is unset, holds a raw
 *   pointer (`G_TYPE_POINTER`), which cannot be copied, a string (or
 *   strings) that is not valid UTF-8, or a binding's own object as above;
 * - %FLYWEIGHT_ERROR_NO_ATTRIBUTE if the object has no room for @name, as
 *   [class@Flyweight.PokiesSlotted];
 * - %FLYWEIGHT_ERROR_FAILED if a subclass failed without saying why.
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_set_attr (FlyweightPokies  *self,
                           const char       *name,
                           const GValue     *value,
                           GError          **error)
{
  /* A new value for an attribute a PokiesDynamic holds: its name needs no
   * checking, and the value little. */
  if (G_LIKELY (flyweight_pokies_is_dynamic (self) && name != NULL && value != NULL &&
                (error == NULL || *error == NULL)))
    {
      FlyweightAttrStore *store = flyweight_pokies_dynamic_get_store ((FlyweightPokiesDynamic *) self);

      if (G_LIKELY (flyweight_attr_store_replace_fast (store, name, value)) ||
          flyweight_attr_store_replace (store, name, value))
        {
          flyweight_pokies_dynamic_changed ((FlyweightPokiesDynamic *) self, name);
          flyweight_pokies_forget_peeked ();
          return TRUE;
        }
    }

  return set_attr_checked (self, name, value, error);
}

/* The dimensions are attributes of every machine, answered here, so that
 * the virtual methods only ever see the other names. Fills the empty
 * @value, or leaves it empty and fails. */
static gboolean
lookup_attr (FlyweightPokies  *self,
             const char       *name,
             GValue           *value,
             GError          **error)
{
  FlyweightPokiesClass *klass;
  GError *local_error = NULL;
  gboolean ok, filled;

  if (flyweight_pokies_is_dimension (name))
    {
      g_value_init (value, G_TYPE_UINT);
      g_value_set_uint (value, name[0] == 'r' ? self->reels : self->symbols);
      return TRUE;
    }

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);
  ok = (klass->lookup_attr != NULL ? klass->lookup_attr : flyweight_pokies_real_lookup_attr) (self, name, value, &local_error);
  filled = G_VALUE_TYPE (value) != G_TYPE_INVALID;

  if (G_LIKELY (ok && filled && local_error == NULL))
    return TRUE;

  if (G_LIKELY (!ok && !filled && local_error != NULL))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* Broken answers from here on. */
  if (ok && !filled)
    {
      report_broken_subclass ("lookup_attr() of “%s” returned TRUE without filling the value",
                  G_OBJECT_TYPE_NAME (self));
      g_clear_error (&local_error);
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED,
                   _("“%s” object found attribute “%s” but gave no value for it"),
                   G_OBJECT_TYPE_NAME (self), name);
      return FALSE;
    }

  if (!ok && filled)
    {
      report_broken_subclass ("lookup_attr() of “%s” returned FALSE but filled the value; the value is freed",
                  G_OBJECT_TYPE_NAME (self));
      g_value_unset (value);
    }

  return finish_vfunc_call (self, "lookup_attr", name, ok != FALSE, local_error, error);
}

/* Every check, then the virtual method and a conversion. Kept out of
 * line, so that the fast path of flyweight_pokies_get_attr() stays small. */
static G_NO_INLINE gboolean
get_attr_checked (FlyweightPokies  *self,
                  const char       *name,
                  GValue           *value,
                  GError          **error)
{
  GValue stored = G_VALUE_INIT;
  GValue converted = G_VALUE_INIT;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (G_VALUE_TYPE (value) == G_TYPE_INVALID || G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!flyweight_attr_name_validate (name, error))
    return FALSE;

  /* Into a scratch value, so that @value is untouched on failure and a
   * virtual method that reads attributes itself cannot disturb it. */
  if (!lookup_attr (self, name, &stored, error))
    return FALSE;

  if (G_VALUE_TYPE (value) == G_TYPE_INVALID ||
      G_VALUE_TYPE (value) == G_VALUE_TYPE (&stored))
    {
      if (G_VALUE_TYPE (value) != G_TYPE_INVALID)
        g_value_unset (value);
      *value = stored;
      return TRUE;
    }

  g_value_init (&converted, G_VALUE_TYPE (value));
  if (!flyweight_value_convert (&stored, &converted))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Attribute “%s” holds a %s, which cannot be read as a %s without loss"),
                   name, G_VALUE_TYPE_NAME (&stored), G_VALUE_TYPE_NAME (value));
      g_value_unset (&converted);
      g_value_unset (&stored);
      return FALSE;
    }

  g_value_unset (&stored);
  g_value_unset (value);
  *value = converted;

  return TRUE;
}

/**
 * flyweight_pokies_get_attr:
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 * @value: (out caller-allocates): a `GValue`: empty (`G_VALUE_INIT`) to
 *   receive the attribute as it is stored, or initialized to the type wanted
 * @error: return location for a #GError
 *
 * Reads the attribute @name into a `GValue` the caller owns:
 * `getattr (self, name)`, shaped like g_object_get_property().
 *
 * An empty @value receives a copy of the attribute with its own type. An
 * initialized @value receives the attribute converted to its type, so C
 * code can read a number as it prefers:
 *
 * ```c
 * g_auto (GValue) reels = G_VALUE_INIT;
 *
 * g_value_init (&reels, G_TYPE_UINT64);
 * if (!flyweight_pokies_get_attr (machine, "reels", &reels, &error))
 *   return FALSE;
 * ```
 *
 * Numbers convert without loss or not at all. Into an integer type
 * (including `gboolean`, as 0 or 1, and `gchar`), only a value that the
 * type holds exactly converts: an integer out of range, a fraction such as
 * 2.5 (unlike Python's `int()`, which truncates), NaN or an infinity
 * fails. Into `gfloat` or `gdouble`, a number is rounded to the nearest
 * one the type has, and fails if it would overflow to infinity; NaN and the
 * infinities stay what they are. Into a string, a number is written in
 * full (`g_ascii_dtostr()` for floating point, whatever the locale).
 * Other conversions are those of g_value_transform(), except that an object
 * is never "converted" to a class it does not belong to.
 *
 * Either way @value owns what it holds: unset it with g_value_unset().
 *
 * Language bindings read attributes with [method@Flyweight.Pokies.peek_attr],
 * which they call `get_attr()` and which gives them the plain value.
 *
 * The call fails, leaving @value as it was, with
 * - %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule;
 * - %FLYWEIGHT_ERROR_NO_ATTRIBUTE if there is no such attribute;
 * - %FLYWEIGHT_ERROR_INVALID_VALUE if the attribute cannot be converted to
 *   the type of @value without loss;
 * - %FLYWEIGHT_ERROR_FAILED if a subclass failed without saying why.
 *
 * Returns: %TRUE if @value now holds the attribute
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_get_attr (FlyweightPokies  *self,
                           const char       *name,
                           GValue           *value,
                           GError          **error)
{
  /* An attribute a PokiesDynamic holds, read as it is stored: its name
   * needs no checking. */
  if (G_LIKELY (flyweight_pokies_is_dynamic (self) && name != NULL && value != NULL &&
                (error == NULL || *error == NULL)))
    {
      FlyweightAttrStore *store = flyweight_pokies_dynamic_get_store ((FlyweightPokiesDynamic *) self);

      if (G_LIKELY (flyweight_attr_store_read_fast (store, name, value)) ||
          flyweight_attr_store_read (store, name, value))
        return TRUE;
    }

  return get_attr_checked (self, name, value, error);
}

/* The value each thread last peeked. The binding that peeked has copied it
 * by the time the thread makes its next call here, which drops it, so an
 * object read this way lives no longer than it would have anyway. The
 * GPrivate frees it when the thread exits; the thread-local pointer is the
 * cheap test on the hot paths. */
static void
free_peeked_value (gpointer data)
{
  GValue *value = data;

  if (G_VALUE_TYPE (value) != G_TYPE_INVALID)
    g_value_unset (value);
  g_free (value);
}

static GPrivate peeked_value_owner = G_PRIVATE_INIT (free_peeked_value);
static _Thread_local GValue *peeked_value;

/* Whether any thread ever peeked: C programs never do, and then skip the
 * thread-local lookup, which costs a call in a shared library. */
gint flyweight_pokies_peeked_ever;

void
flyweight_pokies_forget_peeked_slow (void)
{
  GValue *value = peeked_value;

  /* Dropping the value may finalize an object whose finalizer peeks
   * again; empty the slot before anything can run. The value is either
   * empty or holds a value: its type says which, and G_IS_VALUE() would
   * take GType's lock, which every thread shares, to say it of an empty
   * one. */
  while (value != NULL && G_VALUE_TYPE (value) != G_TYPE_INVALID)
    {
      GValue previous = *value;

      *value = (GValue) G_VALUE_INIT;
      g_value_unset (&previous);
    }
}

/**
 * flyweight_pokies_peek_attr: (rename-to flyweight_pokies_get_attr)
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 * @error: return location for a #GError
 *
 * Reads the attribute @name for a language binding: Python and JavaScript
 * call this `get_attr()` and get the plain value,
 * `machine.get_attr('owner') == 'Aristocrat'`.
 *
 * The value returned belongs to the calling thread and stays valid until
 * the thread's next call of this function, or of any function that changes
 * an attribute. A binding copies it at once.
 * C code uses [method@Flyweight.Pokies.get_attr] instead, which fills a
 * `GValue` the caller owns.
 *
 * Why a borrowed value: it is the one shape that no binding leaks.
 * PyGObject 3.42 never frees a `GValue` returned with full transfer, and
 * gjs before 1.78 never unsets a caller-allocated one, so either of the
 * usual shapes would leak a copy of the value on every read in one of them.
 * An object returned this way stays referenced by the calling thread
 * until then, or until the thread takes a weak reference's target with
 * [method@Flyweight.WeakRef.get].
 *
 * The call fails, returning %NULL, with
 * - %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule;
 * - %FLYWEIGHT_ERROR_NO_ATTRIBUTE if there is no such attribute;
 * - %FLYWEIGHT_ERROR_FAILED if a subclass failed without saying why.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL on error
 *
 * Since: 1.0
 */
const GValue *
flyweight_pokies_peek_attr (FlyweightPokies  *self,
                            const char       *name,
                            GError          **error)
{
  GValue found = G_VALUE_INIT;
  GValue *value;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The same attribute peeked again, or one of the same type: read into
   * the value this thread peeked last, an equal string left as it is. */
  value = peeked_value;
  if (value != NULL && G_VALUE_TYPE (value) != G_TYPE_INVALID && FLYWEIGHT_IS_POKIES_DYNAMIC (self))
    {
      FlyweightAttrStore *store = flyweight_pokies_dynamic_get_store ((FlyweightPokiesDynamic *) self);

      if (flyweight_attr_store_read_fast (store, name, value) || flyweight_attr_store_read (store, name, value))
        return value;
    }

  flyweight_pokies_forget_peeked ();

  if (!flyweight_pokies_get_attr (self, name, &found, error))
    return NULL;

  /* A subclass's lookup_attr() may have peeked in between. */
  flyweight_pokies_forget_peeked ();

  if (peeked_value == NULL)
    {
      peeked_value = g_new0 (GValue, 1);
      g_private_set (&peeked_value_owner, peeked_value);
      g_atomic_int_set (&flyweight_pokies_peeked_ever, TRUE);
    }
  *peeked_value = found;

  return peeked_value;
}

/**
 * flyweight_pokies_del_attr:
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 * @error: return location for a #GError
 *
 * Removes the attribute @name: `delattr (self, name)`.
 *
 * The call fails, changing nothing, with
 * - %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule;
 * - %FLYWEIGHT_ERROR_READ_ONLY for `reels` and `symbols`;
 * - %FLYWEIGHT_ERROR_NO_ATTRIBUTE if there is no such attribute;
 * - %FLYWEIGHT_ERROR_FAILED if a subclass failed without saying why.
 *
 * Returns: %TRUE if the attribute was removed
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_del_attr (FlyweightPokies  *self,
                           const char       *name,
                           GError          **error)
{
  FlyweightPokiesClass *klass;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!flyweight_pokies_check_changeable (G_OBJECT_TYPE (self), name, error))
    return FALSE;

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);
  ok = (klass->del_attr != NULL ? klass->del_attr : flyweight_pokies_real_del_attr) (self, name, &local_error);
  flyweight_pokies_forget_peeked ();

  return finish_vfunc_call (self, "del_attr", name, ok != FALSE, local_error, error);
}

/**
 * flyweight_pokies_has_attr:
 * @self: a `FlyweightPokies`
 * @name: the attribute name
 *
 * Checks whether the attribute @name exists: `hasattr (self, name)`.
 *
 * A name that breaks the naming rule never exists.
 *
 * Returns: %TRUE if [method@Flyweight.Pokies.get_attr] would find @name
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_has_attr (FlyweightPokies *self,
                           const char      *name)
{
  FlyweightPokiesClass *klass;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!flyweight_attr_name_validate (name, NULL))
    return FALSE;

  if (flyweight_pokies_is_dimension (name))
    return TRUE;

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);

  return klass->has_attr != NULL && klass->has_attr (self, name) != FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names a subclass listed, without those it has no business listing,
 * each reported once as a programmer error. Takes @names. */
static char **
list_subclass_attrs (FlyweightPokies *self,
                     char           **names)
{
  guint n_kept = 0;

  if (names == NULL)
    {
      report_broken_subclass ("list_attrs() of “%s” returned NULL instead of an empty list",
                  G_OBJECT_TYPE_NAME (self));
      return g_new0 (char *, 1);
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!flyweight_attr_name_validate (names[i], NULL) ||
          flyweight_pokies_is_dimension (names[i]))
        {
          g_autofree char *quoted = g_strescape (names[i], NULL);

          report_broken_subclass ("list_attrs() of “%s” listed “%s”, which is not a name it can hold; it is left out",
                      G_OBJECT_TYPE_NAME (self), quoted);
          g_free (names[i]);
          continue;
        }

      names[n_kept++] = names[i];
    }
  names[n_kept] = NULL;

  return names;
}

/**
 * flyweight_pokies_list_attrs:
 * @self: a `FlyweightPokies`
 *
 * Lists the names of the attributes, sorted: Python's `dir()` restricted
 * to attributes.
 *
 * Returns: (array zero-terminated=1) (transfer full): the sorted names;
 *   free with g_strfreev()
 *
 * Since: 1.0
 */
char **
flyweight_pokies_list_attrs (FlyweightPokies *self)
{
  FlyweightPokiesClass *klass;
  g_auto(GStrv) others = NULL;
  guint n_others, n_names;
  char **names;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (self), NULL);

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);
  others = list_subclass_attrs (self, (klass->list_attrs != NULL ? klass->list_attrs : flyweight_pokies_real_list_attrs) (self));
  n_others = g_strv_length (others);
  names = g_new (char *, n_others + 3);
  names[0] = g_strdup ("reels");
  names[1] = g_strdup ("symbols");
  memcpy (names + 2, others, (n_others + 1) * sizeof (char *));
  g_clear_pointer (&others, g_free);   /* the strings moved to @names */

  g_qsort_with_data (names, n_others + 2, sizeof (char *), compare_names, NULL);

  /* Sorted, a name listed twice sits next to itself. */
  n_names = 1;
  for (guint i = 1; i < n_others + 2; i++)
    {
      if (strcmp (names[i], names[n_names - 1]) == 0)
        {
          report_broken_subclass ("list_attrs() of “%s” listed “%s” twice",
                      G_OBJECT_TYPE_NAME (self), names[i]);
          g_free (names[i]);
          continue;
        }
      names[n_names++] = names[i];
    }
  names[n_names] = NULL;

  return names;
}

/**
 * flyweight_pokies_clear_attrs:
 * @self: a `FlyweightPokies`
 *
 * Removes every attribute but `reels` and `symbols`: Python's
 * `obj.__dict__.clear()`.
 *
 * This is how to break a reference cycle made through attributes, such as
 * a machine that holds itself (`machine.set_attr('me', machine)`) or two
 * machines that hold each other: neither Python's cycle collector nor
 * JavaScript's garbage collector can see references kept from C, so such a
 * cycle is never freed until one of its machines drops its attributes —
 * with this call, or when it is disposed (`run_dispose()`).
 *
 * A [class@Flyweight.PokiesDynamic] empties its store at once, atomically,
 * and then emits [signal@Flyweight.PokiesDynamic::attr-changed] for each
 * attribute removed. A subclass that does not implement
 * `FlyweightPokiesClass.clear_attrs()` has its listed attributes deleted
 * one by one; those it refuses to delete stay.
 *
 * Since: 1.0
 */
void
flyweight_pokies_clear_attrs (FlyweightPokies *self)
{
  FlyweightPokiesClass *klass;

  g_return_if_fail (FLYWEIGHT_IS_POKIES (self));

  klass = FLYWEIGHT_POKIES_GET_CLASS (self);
  (klass->clear_attrs != NULL ? klass->clear_attrs : flyweight_pokies_real_clear_attrs) (self);
  flyweight_pokies_forget_peeked ();
}
