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
place (FlyweightTableItem **slots,
       guint                mask,
       FlyweightTableItem  *item)
{
  guint i = item->hash & mask;

  while (slots[i] != NULL)
    i = (i + 1) & mask;

  slots[i] = item;
}

static void
resize (FlyweightTable *table,
        guint           n_slots)
{
  FlyweightTableItem **old = table->slots;
  guint old_size = old != NULL ? table->mask + 1 : 0;

  table->slots = g_new0 (FlyweightTableItem *, n_slots);
  table->mask = n_slots - 1;

  for (guint i = 0; i < old_size; i++)
    if (old[i] != NULL)
      place (table->slots, table->mask, old[i]);

  g_free (old);
}

void
flyweight_table_insert (FlyweightTable     *table,
                        FlyweightTableItem *item)
{
  guint size = table->slots != NULL ? table->mask + 1 : 0;

  /* At most three quarters full: probes stay short. */
  if ((table->n_items + 1) * 4 > size * 3)
    resize (table, size != 0 ? size * 2 : MIN_SLOTS);

  place (table->slots, table->mask, item);
  table->n_items++;
}

/* Where @item is in the table, or -1. */
static gint
find_item (const FlyweightTable     *table,
           const FlyweightTableItem *item)
{
  if (table->slots == NULL)
    return -1;

  for (guint i = item->hash & table->mask; table->slots[i] != NULL; i = (i + 1) & table->mask)
    if (table->slots[i] == item)
      return (gint) i;

  return -1;
}

gboolean
flyweight_table_contains (const FlyweightTable     *table,
                          const FlyweightTableItem *item)
{
  return find_item (table, item) >= 0;
}

/* Removes @item if it is in the table, and shifts back the items after
 * it that probed past its slot, so that no probe stops too early and no
 * tombstone is left behind. Returns whether it was there. */
gboolean
flyweight_table_remove (FlyweightTable     *table,
                        FlyweightTableItem *item)
{
  gint found = find_item (table, item);
  guint mask = table->mask;
  guint hole;
  guint size;

  if (found < 0)
    return FALSE;

  hole = (guint) found;

  for (guint next = (hole + 1) & mask; table->slots[next] != NULL; next = (next + 1) & mask)
    {
      guint home = table->slots[next]->hash & mask;

      /* Move the item back unless its home lies cyclically in (hole, next]. */
      if (hole <= next ? (home <= hole || home > next) : (home <= hole && home > next))
        {
          table->slots[hole] = table->slots[next];
          hole = next;
        }
    }

  table->slots[hole] = NULL;
  table->n_items--;

  /* Give memory back when the table is mostly empty, keeping a little. */
  size = mask + 1;
  if (size > MIN_SLOTS && table->n_items * 8 < size)
    resize (table, size / 2);

  return TRUE;
}
