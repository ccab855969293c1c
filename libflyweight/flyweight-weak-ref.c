/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-pokies-private.h"
#include "flyweight-weak-ref.h"

/**
 * FlyweightWeakRef:
 *
 * A weak reference to a GObject, usable from Python and JavaScript: the
 * analogue of Python's `weakref.ref(obj)`.
 *
 * It wraps a `GWeakRef` in a boxed type so that bindings can hold one.
 * The reference does not keep its object alive; [method@Flyweight.WeakRef.get]
 * returns a new strong reference while the object lives, and `NULL` (`None`,
 * `null`) from the moment it is finalized.
 *
 * ```python
 * machine = Flyweight.PokiesSlotted.new(3, 10)
 * ref = Flyweight.WeakRef.new(machine)
 * ref.get().draw()
 * del machine
 * assert ref.get() is None
 * ```
 *
 * In C, a `GWeakRef` does the same without the box. Like `GWeakRef`, a
 * `FlyweightWeakRef` may be used from several threads at once.
 *
 * Since: 1.0
 */
struct _FlyweightWeakRef
{
  GWeakRef ref;
};

G_DEFINE_BOXED_TYPE (FlyweightWeakRef, flyweight_weak_ref,
                     flyweight_weak_ref_copy, flyweight_weak_ref_free)

/**
 * flyweight_weak_ref_new:
 * @object: (type GObject) (nullable): the object to refer to
 *
 * Creates a weak reference to @object.
 *
 * Returns: (transfer full): a new weak reference
 *
 * Since: 1.0
 */
FlyweightWeakRef *
flyweight_weak_ref_new (GObject *object)
{
  FlyweightWeakRef *self;

  g_return_val_if_fail (object == NULL || G_IS_OBJECT (object), NULL);

  self = g_new0 (FlyweightWeakRef, 1);
  g_weak_ref_init (&self->ref, object);

  return self;
}

/**
 * flyweight_weak_ref_copy:
 * @self: a `FlyweightWeakRef`
 *
 * Creates another weak reference to the same object.
 *
 * Returns: (transfer full): a new weak reference
 *
 * Since: 1.0
 */
FlyweightWeakRef *
flyweight_weak_ref_copy (FlyweightWeakRef *self)
{
  g_autoptr(GObject) object = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  object = g_weak_ref_get (&self->ref);

  return flyweight_weak_ref_new (object);
}

/**
 * flyweight_weak_ref_free:
 * @self: a `FlyweightWeakRef`
 *
 * Frees the weak reference; the object is not affected.
 *
 * Since: 1.0
 */
void
flyweight_weak_ref_free (FlyweightWeakRef *self)
{
  g_return_if_fail (self != NULL);

  g_weak_ref_clear (&self->ref);
  g_free (self);
}

/**
 * flyweight_weak_ref_get:
 * @self: a `FlyweightWeakRef`
 *
 * Gets the object, if it is still alive: calling a Python weak reference.
 *
 * Returns: (transfer full) (nullable) (type GObject): a new strong reference
 *   to the object, or %NULL once it has been finalized
 *
 * Since: 1.0
 */
GObject *
flyweight_weak_ref_get (FlyweightWeakRef *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* A binding that asks whether an object is gone has long copied the
   * value it peeked last; don't let the peek keep the object alive. */
  flyweight_pokies_forget_peeked ();

  return g_weak_ref_get (&self->ref);
}

/**
 * flyweight_weak_ref_set:
 * @self: a `FlyweightWeakRef`
 * @object: (type GObject) (nullable): the object to refer to from now on
 *
 * Points the weak reference at @object, or at nothing.
 *
 * Since: 1.0
 */
void
flyweight_weak_ref_set (FlyweightWeakRef *self,
                        GObject          *object)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (object == NULL || G_IS_OBJECT (object));

  g_weak_ref_set (&self->ref, object);
}
