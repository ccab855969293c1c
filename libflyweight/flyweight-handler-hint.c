/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-handler-hint-private.h"

/* Whether anybody could be listening to an object's signals, without
 * taking GSignal's process-wide lock.
 *
 * Emitting a signal, or asking g_signal_has_handler_pending(), takes a
 * lock every thread shares, even when nobody listens: two threads that
 * change attributes of two different machines would wait for each other
 * on every call. GObject itself avoids the work by marking every object
 * that ever had a handler connected, in a word of flags kept in the
 * padding after the reference count on 64-bit systems (gobject.c,
 * "optional_flags"); g_signal_emit() checks that mark before it looks for
 * handlers. GLib has no accessor for the mark, so this reads the word,
 * but only once it has seen that the word behaves as described: a fresh
 * object has the mark clear, connecting a handler of any signal sets it,
 * and it stays set. Where it does not (32-bit systems, another GLib), the
 * answer is always "maybe", and callers ask GSignal as usual. */


gint flyweight_handler_hint_usable = -1;

static guint
read_flags (GObject *object)
{
  return __atomic_load_n (flyweight_object_flags_of (object), __ATOMIC_RELAXED) &
         (FLYWEIGHT_HAS_SIGNAL_HANDLER | FLYWEIGHT_HAS_NOTIFY_HANDLER);
}

static void
nothing_cb (void)
{
}

/* Connects to @signal on a fresh @type and watches the word. */
static gboolean
word_behaves (GType        type,
              const char  *signal,
              guint        expected)
{
  GObject *probe = g_object_new (type, NULL);
  guint before, during, after;
  gulong id;

  before = read_flags (probe);
  id = g_signal_connect (probe, signal, G_CALLBACK (nothing_cb), NULL);
  during = read_flags (probe);
  g_signal_handler_disconnect (probe, id);
  after = read_flags (probe);
  g_object_unref (probe);

  return before == 0 && during == expected && after == expected;
}

static gboolean
check_usable (GObject *object)
{
  /* The word exists only where the flags fit between the two fields. */
  if (G_STRUCT_OFFSET (GObject, qdata) < G_STRUCT_OFFSET (GObject, ref_count) + 2 * sizeof (guint))
    return FALSE;

  /* "notify" sets both marks; a signal of the object's own class, one. */
  return word_behaves (G_TYPE_OBJECT, "notify", FLYWEIGHT_HAS_SIGNAL_HANDLER | FLYWEIGHT_HAS_NOTIFY_HANDLER) &&
         word_behaves (G_OBJECT_TYPE (object), "attr-changed", FLYWEIGHT_HAS_SIGNAL_HANDLER);
}

/* The first call: checks the word, once for the process. */
gboolean
flyweight_object_may_have_handlers_slow (GObject *object)
{
  gint usable = check_usable (object);

  g_atomic_int_set (&flyweight_handler_hint_usable, usable);

  return flyweight_object_may_have_handlers (object);
}
