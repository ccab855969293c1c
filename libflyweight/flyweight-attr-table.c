/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-attr-table-private.h"

/* One block: this header, the entries, then the index. Removing an entry
 * leaves a hole in the array, which keeps the order, and a "removed" mark
 * in the index, which keeps probes going; both go when the table is
 * rebuilt, once the array is full. */
struct _FlyweightAttrTable
{
  guint32            n_entries;   /* appended, holes included */
  guint32            n_live;
  guint32            capacity;    /* room in the array */
  guint8             log2_slots;  /* index slots: 1 << log2_slots */
  guint8             width;       /* bytes an index slot; 0: no index */
  FlyweightAttrEntry entries[];
};

/* Index slots hold the entry's position + 2, or one of these. */
#define SLOT_EMPTY   0u
#define SLOT_REMOVED 1u

/* Without an index up to this many entries: a scan of eight names is
 * cheaper than hashing the one looked for. */
#define MAX_UNINDEXED 8

static gpointer
index_of (FlyweightAttrTable *table)
{
  return &table->entries[table->capacity];
}

static guint32
index_get (FlyweightAttrTable *table,
           guint               i)
{
  switch (table->width)
    {
    case 1: return ((guint8 *) index_of (table))[i];
    case 2: return ((guint16 *) index_of (table))[i];
    default: return ((guint32 *) index_of (table))[i];
    }
}

static void
index_set (FlyweightAttrTable *table,
           guint               i,
           guint32             value)
{
  switch (table->width)
    {
    case 1: ((guint8 *) index_of (table))[i] = (guint8) value; break;
    case 2: ((guint16 *) index_of (table))[i] = (guint16) value; break;
    default: ((guint32 *) index_of (table))[i] = value; break;
    }
}

/* The first free index slot for @hash, empty or marked removed. */
static guint
index_free_slot (FlyweightAttrTable *table,
                 guint32             hash)
{
  guint mask = (1u << table->log2_slots) - 1;
  guint i;

  for (i = hash & mask; index_get (table, i) > SLOT_REMOVED; i = (i + 1) & mask)
    ;

  return i;
}

/* A table for @n_entries entries, with room for half as many again (for
 * eight or fewer, up to the next power of two) and an index at most two
 * thirds full, as CPython keeps its dictionaries: growing by a constant
 * factor keeps adding O(1) on average. */
static FlyweightAttrTable *
table_new (guint n_entries)
{
  FlyweightAttrTable *table;
  guint capacity, log2_slots = 0, width = 0;

  if (n_entries <= MAX_UNINDEXED)
    {
      capacity = n_entries <= 1 ? 1 : 1u << g_bit_storage (n_entries - 1);
    }
  else
    {
      capacity = n_entries + n_entries / 2;
      log2_slots = g_bit_storage ((3 * capacity - 1) / 2);
      width = log2_slots <= 7 ? 1 : log2_slots <= 15 ? 2 : 4;
    }

  table = g_malloc0 (sizeof (FlyweightAttrTable) +
                     capacity * sizeof (FlyweightAttrEntry) +
                     (width > 0 ? (gsize) width << log2_slots : 0));
  table->capacity = capacity;
  table->log2_slots = log2_slots;
  table->width = width;

  return table;
}

/* Appends to a table known to have room. */
static void
append (FlyweightAttrTable *table,
        const char         *name,
        GType               type,
        FlyweightSlot       slot)
{
  guint position = table->n_entries++;

  table->entries[position] = (FlyweightAttrEntry) { name, type, slot };
  table->n_live++;

  if (table->width > 0)
    index_set (table, index_free_slot (table, flyweight_intern_get_hash (name)), position + 2);
}

/* The live entries of @table, in order, in a table sized for them. */
static FlyweightAttrTable *
rebuild (FlyweightAttrTable *table,
         guint               n_more)
{
  FlyweightAttrTable *rebuilt = table_new (table->n_live + n_more);

  for (guint i = 0; i < table->n_entries; i++)
    if (table->entries[i].name != NULL)
      append (rebuilt, table->entries[i].name, table->entries[i].type, table->entries[i].slot);

  g_free (table);

  return rebuilt;
}

FlyweightAttrTable *
flyweight_attr_table_new (guint n_entries)
{
  return table_new (n_entries);
}

/* Frees the table, not what its entries hold. */
void
flyweight_attr_table_free (FlyweightAttrTable *table)
{
  g_free (table);
}

guint
flyweight_attr_table_get_size (FlyweightAttrTable *table)
{
  return table->n_live;
}

/* The next live entry from *@position on, in insertion order, or NULL. */
FlyweightAttrEntry *
flyweight_attr_table_next (FlyweightAttrTable *table,
                           guint              *position)
{
  for (; *position < table->n_entries; (*position)++)
    if (table->entries[*position].name != NULL)
      return &table->entries[(*position)++];

  return NULL;
}

FlyweightAttrEntry *
flyweight_attr_table_lookup (FlyweightAttrTable *table,
                             FlyweightNameKey   *name)
{
  guint mask;
  guint32 hash;

  if (table->width == 0)
    {
      for (guint i = 0; i < table->n_entries; i++)
        {
          FlyweightAttrEntry *entry = &table->entries[i];

          if (entry->name != NULL && flyweight_name_equal (entry->name, name->string))
            return entry;
        }

      return NULL;
    }

  hash = flyweight_name_key_hash (name);
  mask = (1u << table->log2_slots) - 1;

  for (guint i = hash & mask; ; i = (i + 1) & mask)
    {
      guint32 slot = index_get (table, i);
      FlyweightAttrEntry *entry;

      if (slot == SLOT_EMPTY)
        return NULL;
      if (slot == SLOT_REMOVED)
        continue;

      entry = &table->entries[slot - 2];
      if (flyweight_intern_get_hash (entry->name) == hash && strcmp (entry->name, name->string) == 0)
        return entry;
    }
}

/* Appends @name, which the table must not hold, taking over the caller's
 * reference to the interned name and what @slot owns. Returns the table,
 * which may have moved. */
FlyweightAttrTable *
flyweight_attr_table_add (FlyweightAttrTable *table,
                          const char         *name,
                          GType               type,
                          FlyweightSlot       slot)
{
  if (table->n_entries == table->capacity)
    table = rebuild (table, 1);

  append (table, name, type, slot);

  return table;
}

/* Takes @entry out of @table, moving its name and slot to @removed for
 * the caller to release. Returns the table, which may have moved. */
FlyweightAttrTable *
flyweight_attr_table_remove (FlyweightAttrTable *table,
                             FlyweightAttrEntry *entry,
                             FlyweightAttrEntry *removed)
{
  guint position = entry - table->entries;

  *removed = *entry;

  if (table->width > 0)
    {
      guint mask = (1u << table->log2_slots) - 1;
      guint i;

      for (i = flyweight_intern_get_hash (entry->name) & mask;
           index_get (table, i) != position + 2;
           i = (i + 1) & mask)
        ;
      index_set (table, i, SLOT_REMOVED);
    }

  entry->name = NULL;
  table->n_live--;

  /* Removing the last one added, as the notebook does, leaves no hole.
   * With an index, the hole stays until the next rebuild: each one stands
   * for a slot marked removed, so holes and marks fill up together and the
   * index always keeps empty slots to end its probes. */
  if (table->width == 0 && position == table->n_entries - 1)
    table->n_entries--;

  /* Give memory back once three quarters of the room is unused. */
  if (table->width > 0 && table->n_live * 4 < table->capacity)
    table = rebuild (table, 0);

  return table;
}
