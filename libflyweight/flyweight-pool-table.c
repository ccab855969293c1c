/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-pool-table-private.h"

#define MIN_SLOTS 8

void
flyweight_table_init (FlyweightTable *table)
{
  table->slots = NULL;
  table->mask = 0;
  table->n_items = 0;
}

void
flyweight_table_clear (FlyweightTable *table)
{
  g_clear_pointer (&table->slots, g_free);
  table->mask = 0;
  table->n_items = 0;
}

static void
place (guint32 *slots,
       guint    mask,
       guint32  id,
       guint    hash)
{
  guint i = hash & mask;

  while (slots[i] != 0)
    i = (i + 1) & mask;

  slots[i] = id + 1;
}

/* The items do not keep their hashes: each is asked for again. */
static void
resize (FlyweightTable          *table,
        guint                    n_slots,
        FlyweightTableHashFunc   hash_func,
        gconstpointer            user_data)
{
  guint32 *old = table->slots;
  guint old_size = old != NULL ? table->mask + 1 : 0;

  table->slots = g_new0 (guint32, n_slots);
  table->mask = n_slots - 1;

  for (guint i = 0; i < old_size; i++)
    if (old[i] != 0)
      place (table->slots, table->mask, old[i] - 1, hash_func (old[i] - 1, user_data));

  g_free (old);
}

void
flyweight_table_insert (FlyweightTable          *table,
                        guint32                  id,
                        guint                    hash,
                        FlyweightTableHashFunc   hash_func,
                        gconstpointer            user_data)
{
  guint size = table->slots != NULL ? table->mask + 1 : 0;

  g_assert (id != FLYWEIGHT_TABLE_NONE);

  /* At most three quarters full: probes stay short. */
  if ((table->n_items + 1) * 4 > size * 3)
    resize (table, size != 0 ? size * 2 : MIN_SLOTS, hash_func, user_data);

  place (table->slots, table->mask, id, hash);
  table->n_items++;
}

/* Where the item @id, whose hash is @hash, is in the table, or -1. */
static gint
find_item (const FlyweightTable *table,
           guint32               id,
           guint                 hash)
{
  if (table->slots == NULL)
    return -1;

  for (guint i = hash & table->mask; table->slots[i] != 0; i = (i + 1) & table->mask)
    if (table->slots[i] == id + 1)
      return (gint) i;

  return -1;
}

gboolean
flyweight_table_contains (const FlyweightTable *table,
                          guint32               id,
                          guint                 hash)
{
  return find_item (table, id, hash) >= 0;
}

/* Removes the item @id, whose hash is @hash, if it is in the table, and
 * shifts back the items after it that probed past its slot, so that no
 * probe stops too early and no tombstone is left behind. Returns whether
 * it was there. */
gboolean
flyweight_table_remove (FlyweightTable          *table,
                        guint32                  id,
                        guint                    hash,
                        FlyweightTableHashFunc   hash_func,
                        gconstpointer            user_data)
{
  gint found = find_item (table, id, hash);
  guint mask = table->mask;
  guint hole;
  guint size;

  if (found < 0)
    return FALSE;

  hole = (guint) found;

  for (guint next = (hole + 1) & mask; table->slots[next] != 0; next = (next + 1) & mask)
    {
      guint home = hash_func (table->slots[next] - 1, user_data) & mask;

      /* Move the item back unless its home lies cyclically in (hole, next]. */
      if (hole <= next ? (home <= hole || home > next) : (home <= hole && home > next))
        {
          table->slots[hole] = table->slots[next];
          hole = next;
        }
    }

  table->slots[hole] = 0;
  table->n_items--;

  /* Give memory back when the table is mostly empty, keeping a little. */
  size = mask + 1;
  if (size > MIN_SLOTS && table->n_items * 8 < size)
    resize (table, size / 2, hash_func, user_data);

  return TRUE;
}
