/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A set of items that carry their own hash, as one array of pointers
 * (8 bytes a slot, at most three quarters full), probed linearly. A
 * FlyweightPool keeps one per shard, under the shard's lock; the table
 * itself does no locking and never calls back into its owner except to
 * compare a candidate whose hash matches. */

typedef struct
{
  guint hash;
} FlyweightTableItem;

typedef struct
{
  FlyweightTableItem **slots;
  guint                mask;
  guint                n_items;
} FlyweightTable;

typedef gboolean (*FlyweightTableMatchFunc) (const FlyweightTableItem *item,
                                             gconstpointer             key,
                                             gconstpointer             user_data);

void                flyweight_table_init     (FlyweightTable           *table);
void                flyweight_table_clear    (FlyweightTable           *table);
void                flyweight_table_insert   (FlyweightTable           *table,
                                              FlyweightTableItem       *item);
gboolean            flyweight_table_contains (const FlyweightTable     *table,
                                              const FlyweightTableItem *item);
gboolean            flyweight_table_remove   (FlyweightTable           *table,
                                              FlyweightTableItem       *item);

/* The item with @hash that @match accepts, or NULL. Inline, so that a
 * caller's @match is inlined with it. */
static inline FlyweightTableItem *
flyweight_table_lookup (const FlyweightTable    *table,
                        guint                    hash,
                        FlyweightTableMatchFunc  match,
                        gconstpointer            key,
                        gconstpointer            user_data)
{
  if (table->slots == NULL)
    return NULL;

  for (guint i = hash & table->mask; table->slots[i] != NULL; i = (i + 1) & table->mask)
    {
      FlyweightTableItem *item = table->slots[i];

      if (item->hash == hash && match (item, key, user_data))
        return item;
    }

  return NULL;
}

G_END_DECLS
