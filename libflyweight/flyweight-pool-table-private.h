/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A set of items named by 32-bit ids, as one array of 4-byte slots (at
 * most three quarters full), probed linearly. The table stores ids only:
 * it asks its owner for an item's hash when it moves items, and to
 * compare a candidate during a lookup. A FlyweightPool keeps one per
 * shard, under the shard's lock; the table itself does no locking. */

#define FLYWEIGHT_TABLE_NONE G_MAXUINT32

typedef struct
{
  guint32 *slots;     /* id + 1, or 0 for an empty slot */
  guint    mask;
  guint    n_items;
} FlyweightTable;

typedef guint    (*FlyweightTableHashFunc)  (guint32       id,
                                             gconstpointer user_data);
typedef gboolean (*FlyweightTableMatchFunc) (guint32       id,
                                             gconstpointer key,
                                             gconstpointer user_data);

void                flyweight_table_init     (FlyweightTable         *table);
void                flyweight_table_clear    (FlyweightTable         *table);
void                flyweight_table_insert   (FlyweightTable         *table,
                                              guint32                 id,
                                              guint                   hash,
                                              FlyweightTableHashFunc  hash_func,
                                              gconstpointer           user_data);
gboolean            flyweight_table_contains (const FlyweightTable   *table,
                                              guint32                 id,
                                              guint                   hash);
gboolean            flyweight_table_remove   (FlyweightTable         *table,
                                              guint32                 id,
                                              guint                   hash,
                                              FlyweightTableHashFunc  hash_func,
                                              gconstpointer           user_data);

/* The id of the item with @hash that @match accepts, or
 * FLYWEIGHT_TABLE_NONE. Inline, so that a caller's @match is inlined
 * with it. */
static inline guint32
flyweight_table_lookup (const FlyweightTable    *table,
                        guint                    hash,
                        FlyweightTableMatchFunc  match,
                        gconstpointer            key,
                        gconstpointer            user_data)
{
  if (table->slots == NULL)
    return FLYWEIGHT_TABLE_NONE;

  for (guint i = hash & table->mask; table->slots[i] != 0; i = (i + 1) & table->mask)
    {
      guint32 id = table->slots[i] - 1;

      if (match (id, key, user_data))
        return id;
    }

  return FLYWEIGHT_TABLE_NONE;
}

G_END_DECLS
