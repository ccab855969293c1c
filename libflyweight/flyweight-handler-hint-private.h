/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* GObject's marks, in the word after the reference count (gobject.c). */
#define FLYWEIGHT_HAS_SIGNAL_HANDLER (1u << 1)
#define FLYWEIGHT_HAS_NOTIFY_HANDLER (1u << 2)

/* Whether GObject's word of marks behaves as expected: 1 or 0, atomic,
 * -1 until checked. */
G_GNUC_INTERNAL extern gint flyweight_handler_hint_usable;

G_GNUC_INTERNAL gboolean flyweight_object_may_have_handlers_slow (GObject *object);

static inline const guint *
flyweight_object_flags_of (GObject *object)
{
  return (const guint *) (gconstpointer) ((const guint8 *) object + G_STRUCT_OFFSET (GObject, ref_count) + sizeof (guint));
}

/* FALSE if no handler was ever connected to any signal of @object, of a
 * class with an "attr-changed" signal: emitting one would do nothing.
 * Inline, as every change of an attribute asks. */
static inline gboolean
flyweight_object_may_have_handlers (GObject *object)
{
  gint usable = __atomic_load_n (&flyweight_handler_hint_usable, __ATOMIC_RELAXED);

  if (G_UNLIKELY (usable < 0))
    return flyweight_object_may_have_handlers_slow (object);

  return !usable ||
         (__atomic_load_n (flyweight_object_flags_of (object), __ATOMIC_RELAXED) & FLYWEIGHT_HAS_SIGNAL_HANDLER) != 0;
}

G_END_DECLS
