/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-attr-table-private.h"
#include "flyweight-intern-private.h"

/* Entries sit in one array in insertion order, found by a linear scan:
 * objects usually carry a handful of attributes, where a scan beats
 * hashing. Names are interned, so objects with an "owner" attribute share
 * one copy of the name, freed with the last object that uses it. */

typedef struct
{
  const char *name;   /* interned */
  GValue      value;
} Entry;

struct _FlyweightAttrTable
{
  guint  size;
  guint  capacity;
  Entry *entries;
};

FlyweightAttrTable *
flyweight_attr_table_new (void)
{
  return g_new0 (FlyweightAttrTable, 1);
}

void
flyweight_attr_table_free (FlyweightAttrTable *table)
{
  if (table == NULL)
    return;

  for (guint i = 0; i < table->size; i++)
    {
      flyweight_intern_release (table->entries[i].name);
      g_value_unset (&table->entries[i].value);
    }

  g_free (table->entries);
  g_free (table);
}

guint
flyweight_attr_table_get_size (FlyweightAttrTable *table)
{
  return table->size;
}

const char *
flyweight_attr_table_get_name (FlyweightAttrTable *table,
                               guint               position)
{
  g_assert (position < table->size);

  return table->entries[position].name;
}

const GValue *
flyweight_attr_table_get_value (FlyweightAttrTable *table,
                                guint               position)
{
  g_assert (position < table->size);

  return &table->entries[position].value;
}

static Entry *
find_entry (FlyweightAttrTable *table,
            const char         *name)
{
  for (guint i = 0; i < table->size; i++)
    if (strcmp (table->entries[i].name, name) == 0)
      return &table->entries[i];

  return NULL;
}

const GValue *
flyweight_attr_table_lookup (FlyweightAttrTable *table,
                             const char         *name)
{
  Entry *entry = find_entry (table, name);

  return entry != NULL ? &entry->value : NULL;
}

/* Moves @value into the table under @name, leaving @value empty. If @name
 * was there, it keeps its position and its previous value is moved to
 * @old_value; otherwise @old_value is left empty. */
void
flyweight_attr_table_insert (FlyweightAttrTable *table,
                             const char         *name,
                             GValue             *value,
                             GValue             *old_value)
{
  Entry *entry = find_entry (table, name);

  if (entry == NULL)
    {
      if (table->size == table->capacity)
        {
          table->capacity = MAX (2, table->capacity * 2);
          table->entries = g_renew (Entry, table->entries, table->capacity);
        }

      entry = &table->entries[table->size++];
      entry->name = flyweight_intern_acquire (name);
    }
  else
    {
      *old_value = entry->value;
    }

  entry->value = *value;
  *value = (GValue) G_VALUE_INIT;
}

/* Removes @name, moving its value to @old_value. */
gboolean
flyweight_attr_table_steal (FlyweightAttrTable *table,
                            const char         *name,
                            GValue             *old_value)
{
  Entry *entry = find_entry (table, name);
  guint position;

  if (entry == NULL)
    return FALSE;

  position = entry - table->entries;
  flyweight_intern_release (entry->name);
  *old_value = entry->value;

  /* Keep insertion order: shift the later entries down. */
  memmove (entry, entry + 1, (table->size - position - 1) * sizeof (Entry));
  table->size--;

  return TRUE;
}
