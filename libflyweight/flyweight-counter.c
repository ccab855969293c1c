/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-counter-private.h"
#include "flyweight-tsan-private.h"

/* A cell is a cache line of its own: two threads counting the same
 * thing do not share one. */
#define CELL_BYTES 64

static void thread_number_release (gpointer data);

/* The number + 1 of each thread that has one, or
 * FLYWEIGHT_COUNTER_CELLS + 1 for a thread that found none free. */
GPrivate flyweight_counter_thread_number = G_PRIVATE_INIT (thread_number_release);

static GMutex numbers_lock;
static guint64 numbers_taken;   /* a bit per number */

G_STATIC_ASSERT (FLYWEIGHT_COUNTER_CELLS <= 64);

static void
thread_number_release (gpointer data)
{
  guint number = GPOINTER_TO_UINT (data) - 1;

  if (number >= FLYWEIGHT_COUNTER_CELLS)
    return;

  /* The next owner of the number sees every count this thread made. */
  g_mutex_lock (&numbers_lock);
  flyweight_tsan_acquire (&numbers_lock);
  numbers_taken &= ~(G_GUINT64_CONSTANT (1) << number);
  flyweight_tsan_release (&numbers_lock);
  g_mutex_unlock (&numbers_lock);
}

guint
flyweight_counter_thread_number_slow (void)
{
  guint number = FLYWEIGHT_COUNTER_CELLS;

  g_mutex_lock (&numbers_lock);
  flyweight_tsan_acquire (&numbers_lock);
  for (guint i = 0; i < FLYWEIGHT_COUNTER_CELLS; i++)
    if (!(numbers_taken & (G_GUINT64_CONSTANT (1) << i)))
      {
        numbers_taken |= G_GUINT64_CONSTANT (1) << i;
        number = i;
        break;
      }
  flyweight_tsan_release (&numbers_lock);
  g_mutex_unlock (&numbers_lock);

  g_private_set (&flyweight_counter_thread_number, GUINT_TO_POINTER (number + 1));

  return number;
}

void
flyweight_counter_add_slow (FlyweightCounter *counter,
                            guint             number)
{
  guint64 *cell;

  if (number >= FLYWEIGHT_COUNTER_CELLS)
    {
      __atomic_fetch_add (&counter->shared, 1, __ATOMIC_RELAXED);
      return;
    }

  /* The thread's first count here: only it makes its cell. */
  cell = g_aligned_alloc0 (1, CELL_BYTES, CELL_BYTES);
  *cell = 1;
  __atomic_store_n (&counter->cells[number], cell, __ATOMIC_RELEASE);
}

guint64
flyweight_counter_read (FlyweightCounter *counter)
{
  guint64 sum = __atomic_load_n (&counter->shared, __ATOMIC_RELAXED);

  for (guint i = 0; i < FLYWEIGHT_COUNTER_CELLS; i++)
    {
      guint64 *cell = __atomic_load_n (&counter->cells[i], __ATOMIC_ACQUIRE);

      if (cell != NULL)
        sum += __atomic_load_n (cell, __ATOMIC_RELAXED);
    }

  return sum;
}

/* Once no thread counts any more. */
void
flyweight_counter_clear (FlyweightCounter *counter)
{
  for (guint i = 0; i < FLYWEIGHT_COUNTER_CELLS; i++)
    g_clear_pointer (&counter->cells[i], g_aligned_free);
  counter->shared = 0;
}
