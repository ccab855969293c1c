/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-intern-private.h"
#include "flyweight-tsan-private.h"

typedef struct
{
  gint ref_count;
  char string[];
} Interned;

/* Guards the table, and every count that reaches or leaves zero there. */
static GMutex intern_lock;
static GHashTable *interned_strings;   /* a set of Interned.string */

static Interned *
interned_of (const char *string)
{
  /* The string sits right after the count, inside a g_malloc() block. */
  return (Interned *) (gpointer) (string - G_STRUCT_OFFSET (Interned, string));
}

static void
lock_table (void)
{
  g_mutex_lock (&intern_lock);
  flyweight_tsan_acquire (&intern_lock);
}

static void
unlock_table (void)
{
  flyweight_tsan_release (&intern_lock);
  g_mutex_unlock (&intern_lock);
}

/* Returns the interned copy of @string, with a new reference. */
const char *
flyweight_intern_acquire (const char *string)
{
  Interned *interned = NULL;
  const char *found;

  lock_table ();

  if (interned_strings == NULL)
    interned_strings = g_hash_table_new (g_str_hash, g_str_equal);

  found = g_hash_table_lookup (interned_strings, string);
  if (found != NULL)
    {
      interned = interned_of (found);
      /* Under the lock, so the count cannot be dropping to zero now. */
      g_atomic_int_inc (&interned->ref_count);
    }
  else
    {
      gsize length = strlen (string);

      interned = g_malloc (sizeof (Interned) + length + 1);
      interned->ref_count = 1;
      memcpy (interned->string, string, length + 1);
      g_hash_table_add (interned_strings, interned->string);
    }

  unlock_table ();

  return interned->string;
}

/* Another reference to a string the caller holds one on. */
const char *
flyweight_intern_ref (const char *interned)
{
  g_atomic_int_inc (&interned_of (interned)->ref_count);

  return interned;
}

void
flyweight_intern_release (const char *string)
{
  Interned *interned = interned_of (string);
  gint count;

  /* Dropping a reference that is not the last needs no lock. */
  do
    {
      count = g_atomic_int_get (&interned->ref_count);
      if (count == 1)
        break;
    }
  while (!g_atomic_int_compare_and_exchange (&interned->ref_count, count, count - 1));

  if (count > 1)
    return;

  /* Possibly the last: decide under the lock, where nobody can take a new
   * reference behind our back. */
  lock_table ();
  if (g_atomic_int_dec_and_test (&interned->ref_count))
    g_hash_table_remove (interned_strings, interned->string);
  else
    interned = NULL;
  unlock_table ();

  g_free (interned);
}

/* For the tests: how many distinct strings are interned now. */
guint
flyweight_intern_count_live (void)
{
  guint count;

  lock_table ();
  count = interned_strings != NULL ? g_hash_table_size (interned_strings) : 0;
  unlock_table ();

  return count;
}
