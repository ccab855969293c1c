/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-pokies-private.h"
#include "flyweight-pokies-slotted.h"

/**
 * FlyweightPokiesSlotted:
 *
 * A machine whose `reels` and `symbols` live in two fixed fields: the
 * GObject analogue of a Python class with `__slots__ = ['reels', 'symbols']`.
 *
 * There is no per-instance table, so nothing else can be stored: setting or
 * reading any other attribute fails with %FLYWEIGHT_ERROR_NO_ATTRIBUTE, as
 * Python raises `AttributeError`. In exchange an instance is as small as a
 * GObject can be — the 24-byte object header and the two fields.
 *
 * The fields never change after construction, so an instance is safe to use
 * from any number of threads without locking.
 *
 * Since: 1.0
 */
struct _FlyweightPokiesSlotted
{
  FlyweightPokies parent_instance;

  guint reels;
  guint symbols;
};

G_DEFINE_FINAL_TYPE (FlyweightPokiesSlotted, flyweight_pokies_slotted, FLYWEIGHT_TYPE_POKIES)

static guint
flyweight_pokies_slotted_get_reels (FlyweightPokies *pokies)
{
  return FLYWEIGHT_POKIES_SLOTTED (pokies)->reels;
}

static guint
flyweight_pokies_slotted_get_symbols (FlyweightPokies *pokies)
{
  return FLYWEIGHT_POKIES_SLOTTED (pokies)->symbols;
}

static gboolean
flyweight_pokies_slotted_has_attr (FlyweightPokies *pokies,
                                   const char      *name)
{
  return flyweight_pokies_is_dimension (name);
}

static gboolean
flyweight_pokies_slotted_lookup_attr (FlyweightPokies  *pokies,
                                   const char       *name,
                                   GValue           *value,
                                   GError          **error)
{
  FlyweightPokiesSlotted *self = FLYWEIGHT_POKIES_SLOTTED (pokies);

  if (strcmp (name, "reels") == 0)
    {
      g_value_init (value, G_TYPE_UINT);
      g_value_set_uint (value, self->reels);
      return TRUE;
    }

  if (strcmp (name, "symbols") == 0)
    {
      g_value_init (value, G_TYPE_UINT);
      g_value_set_uint (value, self->symbols);
      return TRUE;
    }

  flyweight_pokies_set_no_attribute_error (pokies, name, error);
  return FALSE;
}

static char **
flyweight_pokies_slotted_list_attrs (FlyweightPokies *pokies)
{
  const char * const names[] = { "reels", "symbols", NULL };

  return g_strdupv ((char **) names);
}

static void
flyweight_pokies_slotted_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  FlyweightPokiesSlotted *self = FLYWEIGHT_POKIES_SLOTTED (object);

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
flyweight_pokies_slotted_class_init (FlyweightPokiesSlottedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  object_class->set_property = flyweight_pokies_slotted_set_property;
  flyweight_pokies_class_override_properties (object_class);

  /* set_attr and del_attr keep the base class's answer: no such attribute. */
  pokies_class->get_reels = flyweight_pokies_slotted_get_reels;
  pokies_class->get_symbols = flyweight_pokies_slotted_get_symbols;
  pokies_class->lookup_attr = flyweight_pokies_slotted_lookup_attr;
  pokies_class->has_attr = flyweight_pokies_slotted_has_attr;
  pokies_class->list_attrs = flyweight_pokies_slotted_list_attrs;
}

static void
flyweight_pokies_slotted_init (FlyweightPokiesSlotted *self)
{
  self->reels = FLYWEIGHT_POKIES_DEFAULT_REELS;
  self->symbols = FLYWEIGHT_POKIES_DEFAULT_SYMBOLS;
}

/**
 * flyweight_pokies_slotted_new:
 * @reels: the number of reels, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols per reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Creates a fixed-field machine.
 *
 * Fails with %FLYWEIGHT_ERROR_INVALID_VALUE if @reels or @symbols is out
 * of range.
 *
 * Returns: (transfer full): a new machine
 *
 * Since: 1.0
 */
FlyweightPokiesSlotted *
flyweight_pokies_slotted_new (guint    reels,
                              guint    symbols,
                              GError **error)
{
  FlyweightPokiesSlotted *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!flyweight_pokies_check_dimensions (reels, symbols, error))
    return NULL;

  /* Without properties g_object_new() takes its fast path; the fields are
   * set before anyone else can see the object. */
  self = g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, NULL);
  self->reels = reels;
  self->symbols = symbols;

  return self;
}
