/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-attr-store-private.h"
#include "flyweight-pokies-dynamic-private.h"
#include "flyweight-pokies-private.h"
#include "flyweight-value-codec-private.h"

/**
 * FlyweightPokiesDynamic:
 *
 * A machine that keeps every attribute in a per-instance store: the
 * GObject analogue of a Python object with a `__dict__`.
 *
 * `reels` and `symbols` are the first two attributes; any other attribute
 * can be added, replaced with a value of any type, and deleted at run time.
 * [method@Flyweight.PokiesDynamic.get_dict] returns them all in insertion
 * order, and [signal@Flyweight.PokiesDynamic::attr-changed] tells about
 * every change.
 *
 * The store costs less than a CPython object's `__dict__`, whatever the
 * mix of names: machines that hold the same names with values of the same
 * types share one description of their layout (a shape), and each keeps
 * only its values, in 8 bytes per attribute or less, inside the object
 * while they fit; a machine that added them in another order keeps its
 * order in one byte per attribute. String values are interned, so a
 * million machines owned by `"Aristocrat"` share one copy of it. A machine
 * with names of its own, or that deletes an attribute other than the last
 * one added, or gives an attribute a value of another type, keeps a hash
 * table of its own, with no visible difference. Every attribute call costs
 * the same however many attributes a machine holds.
 *
 * Every call is safe from several threads: the store is guarded by a lock
 * kept in one bit of a pointer, so the lock costs no memory, and threads
 * working on machines of their own do not wait for each other, but
 * briefly to add names or intern strings, which all machines share.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (FlyweightPokiesDynamic, flyweight_pokies_dynamic, FLYWEIGHT_TYPE_POKIES)

enum {
  ATTR_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType flyweight_pokies_dynamic_type;

/* Emits "attr-changed" for @name; flyweight_pokies_dynamic_changed()
 * calls it only when a handler may listen. */
void
flyweight_pokies_dynamic_emit_changed (FlyweightPokiesDynamic *self,
                                       const char             *name)
{
  /* A handler for "attr-changed::NAME" creates the quark for NAME; without
   * one there is nobody to match, and no quark is made for user names. */
  g_signal_emit (self, signals[ATTR_CHANGED], g_quark_try_string (name), name);
}

static gboolean
flyweight_pokies_dynamic_set_attr (FlyweightPokies  *pokies,
                                   const char       *name,
                                   const GValue     *value,
                                   GError          **error)
{
  FlyweightPokiesDynamic *self = FLYWEIGHT_POKIES_DYNAMIC (pokies);

  flyweight_attr_store_set (&self->store, name, value);
  flyweight_pokies_dynamic_changed (self, name);

  return TRUE;
}

static gboolean
flyweight_pokies_dynamic_lookup_attr (FlyweightPokies  *pokies,
                                      const char       *name,
                                      GValue           *value,
                                      GError          **error)
{
  FlyweightPokiesDynamic *self = FLYWEIGHT_POKIES_DYNAMIC (pokies);

  if (!flyweight_attr_store_get (&self->store, name, value))
    {
      flyweight_pokies_set_no_attribute_error (pokies, name, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
flyweight_pokies_dynamic_del_attr (FlyweightPokies  *pokies,
                                   const char       *name,
                                   GError          **error)
{
  FlyweightPokiesDynamic *self = FLYWEIGHT_POKIES_DYNAMIC (pokies);

  if (!flyweight_attr_store_delete (&self->store, name))
    {
      flyweight_pokies_set_no_attribute_error (pokies, name, error);
      return FALSE;
    }

  flyweight_pokies_dynamic_changed (self, name);

  return TRUE;
}

static gboolean
flyweight_pokies_dynamic_has_attr (FlyweightPokies *pokies,
                                   const char      *name)
{
  return flyweight_attr_store_contains (&FLYWEIGHT_POKIES_DYNAMIC (pokies)->store, name);
}

static char **
flyweight_pokies_dynamic_list_attrs (FlyweightPokies *pokies)
{
  return flyweight_attr_store_dup_names (&FLYWEIGHT_POKIES_DYNAMIC (pokies)->store);
}

/* Empties the store at once and drops the values outside its lock: an
 * object released here may be finalized and use this machine again.
 * Returns the names removed, in insertion order, if asked. */
static char **
take_attrs (FlyweightPokiesDynamic *self,
            gboolean                want_names)
{
  FlyweightAttrStore taken;
  char **names = NULL;

  flyweight_attr_store_take_all (&self->store, &taken);
  if (want_names)
    names = flyweight_attr_store_dup_names (&taken);
  flyweight_attr_store_clear (&taken);

  return names;
}

static void
flyweight_pokies_dynamic_clear_attrs (FlyweightPokies *pokies)
{
  FlyweightPokiesDynamic *self = FLYWEIGHT_POKIES_DYNAMIC (pokies);
  g_auto(GStrv) names = take_attrs (self, TRUE);

  for (guint i = 0; names[i] != NULL; i++)
    flyweight_pokies_dynamic_changed (self, names[i]);
}

/* GObject's way to break reference cycles: a machine that holds itself, or
 * a pair that hold each other, is freed once one of them is disposed. No
 * signal is emitted: disposal is not a change anyone asked for. */
static void
flyweight_pokies_dynamic_dispose (GObject *object)
{
  take_attrs (FLYWEIGHT_POKIES_DYNAMIC (object), FALSE);

  G_OBJECT_CLASS (flyweight_pokies_dynamic_parent_class)->dispose (object);
}

static void
flyweight_pokies_dynamic_finalize (GObject *object)
{
  FlyweightPokiesDynamic *self = FLYWEIGHT_POKIES_DYNAMIC (object);

  flyweight_attr_store_clear (&self->store);

  G_OBJECT_CLASS (flyweight_pokies_dynamic_parent_class)->finalize (object);
}

static void
flyweight_pokies_dynamic_class_init (FlyweightPokiesDynamicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  __atomic_store_n (&flyweight_pokies_dynamic_type, G_TYPE_FROM_CLASS (klass), __ATOMIC_RELAXED);

  object_class->dispose = flyweight_pokies_dynamic_dispose;
  object_class->finalize = flyweight_pokies_dynamic_finalize;

  pokies_class->set_attr = flyweight_pokies_dynamic_set_attr;
  pokies_class->lookup_attr = flyweight_pokies_dynamic_lookup_attr;
  pokies_class->del_attr = flyweight_pokies_dynamic_del_attr;
  pokies_class->has_attr = flyweight_pokies_dynamic_has_attr;
  pokies_class->list_attrs = flyweight_pokies_dynamic_list_attrs;
  pokies_class->clear_attrs = flyweight_pokies_dynamic_clear_attrs;

  /**
   * FlyweightPokiesDynamic::attr-changed:
   * @self: the machine
   * @name: the name of the attribute that was set or deleted
   *
   * Emitted after an attribute was set or deleted, in the thread that
   * changed it. Connect to `attr-changed::owner` to hear about `owner` only.
   *
   * A machine nobody ever connected a handler to skips the emission, so
   * the signal takes no emission hooks (%G_SIGNAL_NO_HOOKS).
   *
   * Since: 1.0
   */
  signals[ATTR_CHANGED] =
    g_signal_new ("attr-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED | G_SIGNAL_NO_HOOKS,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
flyweight_pokies_dynamic_init (FlyweightPokiesDynamic *self)
{
  flyweight_attr_store_init (&self->store);
}

/**
 * flyweight_pokies_dynamic_new:
 * @reels: the number of reels, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols per reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Creates a machine with a per-instance attribute table.
 *
 * Fails with %FLYWEIGHT_ERROR_INVALID_VALUE if @reels or @symbols is out
 * of range.
 *
 * Returns: (transfer full): a new machine
 *
 * Since: 1.0
 */
FlyweightPokiesDynamic *
flyweight_pokies_dynamic_new (guint    reels,
                              guint    symbols,
                              GError **error)
{
  FlyweightPokiesDynamic *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!flyweight_pokies_dimensions_in_range (reels, symbols) &&
      !flyweight_pokies_check_dimensions (reels, symbols, error))
    return NULL;

  /* Without properties, and without g_object_new()'s variable arguments:
   * the dimensions are set before anyone else can see the object. */
  self = (FlyweightPokiesDynamic *) g_object_new_with_properties (FLYWEIGHT_TYPE_POKIES_DYNAMIC, 0, NULL, NULL);
  flyweight_pokies_set_dimensions ((FlyweightPokies *) self, reels, symbols);

  return self;
}

static void
add_to_dict_cb (const char   *name,
                const GValue *value,
                gpointer      user_data)
{
  g_variant_builder_add (user_data, "{sv}", name, flyweight_value_to_variant (value));
}

/**
 * flyweight_pokies_dynamic_get_dict:
 * @self: a `FlyweightPokiesDynamic`
 *
 * Takes a snapshot of the attribute table, in insertion order: the
 * analogue of Python's `obj.__dict__`.
 *
 * The snapshot is a `GVariant` of type `a{sv}` that bindings unpack in one
 * call: `machine.get_dict().unpack()` in Python gives
 * `{'reels': 3, 'symbols': 10}` for a fresh 3×10 machine, and
 * `machine.get_dict().recursiveUnpack()` in gjs gives
 * `{reels: 3, symbols: 10}`.
 *
 * Numbers, booleans, strings, string arrays and variants map to their
 * `GVariant` counterparts (enums as `i`, flags as `u`, a `GType` as its
 * name, a `NULL` string array as an empty one, any other `NULL` string or
 * pointer as an empty maybe). Objects and boxed
 * values have no `GVariant` form and appear as a description such as
 * `<GtkButton at 0x...>`; read them with [method@Flyweight.Pokies.get_attr].
 *
 * Returns: (transfer full): the attributes, as `a{sv}`
 *
 * Since: 1.0
 */
GVariant *
flyweight_pokies_dynamic_get_dict (FlyweightPokiesDynamic *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_DYNAMIC (self), NULL);

  /* The dimensions come first, as the constructor set them. */
  g_variant_builder_add (&builder, "{sv}", "reels",
                         g_variant_new_uint32 (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (self))));
  g_variant_builder_add (&builder, "{sv}", "symbols",
                         g_variant_new_uint32 (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (self))));
  flyweight_attr_store_foreach (&self->store, add_to_dict_cb, &builder);

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
