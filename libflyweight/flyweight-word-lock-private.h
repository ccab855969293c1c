/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A lock kept in bit 0 of a pointer-sized word, the rest of which stays
 * the owner's: the attribute store locks its first word this way, so that
 * a lock costs no memory.
 *
 * Taking it is one compare-and-swap, and releasing it one store: cheaper
 * than g_pointer_bit_lock(), whose release is a second atomic operation.
 * Only the holder writes the word; a thread that cannot take the lock
 * spins a little, yields, then sleeps on a condition shared by the words
 * of one bucket until a release wakes it. Built from C11-style atomics in
 * our own code, the lock is visible to ThreadSanitizer as it is.
 *
 * A release checks for sleepers with a plain load, which can miss one
 * that was just falling asleep; sleepers therefore wake by themselves
 * after a millisecond and look again. That costs a sleeper at most a
 * millisecond in a rare race, and spares every release a full barrier. */

#define FLYWEIGHT_WORD_LOCKED ((guintptr) 1)

G_GNUC_INTERNAL extern gint flyweight_word_lock_sleepers;

G_GNUC_INTERNAL guintptr flyweight_word_lock_slow (gpointer *word);
G_GNUC_INTERNAL void     flyweight_word_lock_wake (gpointer *word);

/* Takes the lock; returns the word as it is now, lock bit included. */
static inline guintptr
flyweight_word_lock (gpointer *word)
{
  guintptr current = __atomic_load_n ((guintptr *) word, __ATOMIC_RELAXED);

  if (G_LIKELY (!(current & FLYWEIGHT_WORD_LOCKED)) &&
      __atomic_compare_exchange_n ((guintptr *) word, &current, current | FLYWEIGHT_WORD_LOCKED,
                                   TRUE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    return current | FLYWEIGHT_WORD_LOCKED;

  return flyweight_word_lock_slow (word);
}

/* While holding the lock: changes the rest of the word. */
static inline void
flyweight_word_lock_update (gpointer *word,
                            guintptr  value)
{
  __atomic_store_n ((guintptr *) word, value | FLYWEIGHT_WORD_LOCKED, __ATOMIC_RELAXED);
}

/* Releases the lock, leaving @value (without the lock bit) in the word. */
static inline void
flyweight_word_unlock (gpointer *word,
                       guintptr  value)
{
  __atomic_store_n ((guintptr *) word, value & ~FLYWEIGHT_WORD_LOCKED, __ATOMIC_RELEASE);

  if (G_UNLIKELY (__atomic_load_n (&flyweight_word_lock_sleepers, __ATOMIC_RELAXED) != 0))
    flyweight_word_lock_wake (word);
}

G_END_DECLS
