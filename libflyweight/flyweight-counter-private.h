/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A count that threads add to without an atomic read-modify-write, which
 * costs a hit more than its hash: each thread adds to a cell of its own,
 * with a plain load and store, and a reading sums the cells.
 *
 * A thread takes a number at its first addition to any counter and gives
 * it back when it exits; a later thread takes the same cell over, with
 * the count in it, so a cell never has two writers. The cells of a counter
 * are made as threads first use it, one cache line each. Past
 * FLYWEIGHT_COUNTER_CELLS threads at once, the others add atomically to
 * one shared cell. A reading is exact once the threads that added have
 * been joined, or have told the reader so in any other way. */

#define FLYWEIGHT_COUNTER_CELLS 64

typedef struct
{
  guint64 *cells[FLYWEIGHT_COUNTER_CELLS];  /* atomic pointers */
  guint64  shared;                          /* atomic */
} FlyweightCounter;

G_GNUC_INTERNAL guint    flyweight_counter_thread_number_slow (void);
G_GNUC_INTERNAL void     flyweight_counter_add_slow           (FlyweightCounter *counter,
                                                               guint             number);
G_GNUC_INTERNAL guint64  flyweight_counter_read               (FlyweightCounter *counter);
G_GNUC_INTERNAL void     flyweight_counter_clear              (FlyweightCounter *counter);

G_GNUC_INTERNAL extern GPrivate flyweight_counter_thread_number;

/* The calling thread's cell number, FLYWEIGHT_COUNTER_CELLS if it has none. */
static inline guint
flyweight_counter_thread_number_get (void)
{
  gpointer number = g_private_get (&flyweight_counter_thread_number);

  if (G_LIKELY (number != NULL))
    return GPOINTER_TO_UINT (number) - 1;

  return flyweight_counter_thread_number_slow ();
}

static inline void
flyweight_counter_add_one (FlyweightCounter *counter)
{
  guint number = flyweight_counter_thread_number_get ();
  guint64 *cell;

  if (G_LIKELY (number < FLYWEIGHT_COUNTER_CELLS) &&
      G_LIKELY ((cell = __atomic_load_n (&counter->cells[number], __ATOMIC_ACQUIRE)) != NULL))
    {
      /* This thread is the cell's only writer. */
      __atomic_store_n (cell, __atomic_load_n (cell, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
      return;
    }

  flyweight_counter_add_slow (counter, number);
}

G_END_DECLS
