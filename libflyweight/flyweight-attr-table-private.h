/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "flyweight-shape-private.h"
#include "flyweight-value-codec-private.h"

G_BEGIN_DECLS

/* An insertion-ordered hash table of attributes: the store of an object
 * that left the shared shapes. Every operation is O(1) on average; like
 * CPython's dictionaries it keeps the entries in one array in insertion
 * order, and a small index of positions (1, 2 or 4 bytes a slot, as the
 * table grows) finds them by the hash of their name. Up to eight entries
 * it has no index: comparing names one by one is cheaper.
 *
 * It does no locking, no name checking and no copying or freeing of
 * values: its owner does all three, and frees values outside its lock. */
typedef struct _FlyweightAttrTable FlyweightAttrTable;

typedef struct
{
  const char    *name;   /* interned; NULL once removed */
  GType          type;
  FlyweightSlot  slot;
} FlyweightAttrEntry;

FlyweightAttrTable *flyweight_attr_table_new       (guint                n_entries);
void                flyweight_attr_table_free      (FlyweightAttrTable  *table);
guint               flyweight_attr_table_get_size  (FlyweightAttrTable  *table);
FlyweightAttrEntry *flyweight_attr_table_next      (FlyweightAttrTable  *table,
                                                    guint               *position);
FlyweightAttrEntry *flyweight_attr_table_lookup    (FlyweightAttrTable  *table,
                                                    FlyweightNameKey    *name);
FlyweightAttrTable *flyweight_attr_table_add       (FlyweightAttrTable  *table,
                                                    const char          *name,
                                                    GType                type,
                                                    FlyweightSlot        slot);
FlyweightAttrTable *flyweight_attr_table_remove    (FlyweightAttrTable  *table,
                                                    FlyweightAttrEntry  *entry,
                                                    FlyweightAttrEntry  *removed);

G_END_DECLS
