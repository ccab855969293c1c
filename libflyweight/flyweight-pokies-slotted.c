/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

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
};

G_DEFINE_FINAL_TYPE (FlyweightPokiesSlotted, flyweight_pokies_slotted, FLYWEIGHT_TYPE_POKIES)

/* Nothing to add: the base class keeps the two dimensions, and its
 * attribute protocol, holding nothing else, answers "no such attribute". */
static void
flyweight_pokies_slotted_class_init (FlyweightPokiesSlottedClass *klass)
{
}

static void
flyweight_pokies_slotted_init (FlyweightPokiesSlotted *self)
{
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

  if (!flyweight_pokies_dimensions_in_range (reels, symbols) &&
      !flyweight_pokies_check_dimensions (reels, symbols, error))
    return NULL;

  /* Without properties, and without g_object_new()'s variable arguments:
   * the fields are set before anyone else can see the object. */
  self = (FlyweightPokiesSlotted *) g_object_new_with_properties (FLYWEIGHT_TYPE_POKIES_SLOTTED, 0, NULL, NULL);
  flyweight_pokies_set_dimensions ((FlyweightPokies *) self, reels, symbols);

  return self;
}
