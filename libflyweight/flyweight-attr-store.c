/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-attr-store-private.h"
#include "flyweight-attr-table-private.h"
#include "flyweight-intern-private.h"
#include "flyweight-value-codec-private.h"
#include "flyweight-word-lock-private.h"

/* The first word: a pointer, with the lock in bit 0 and in bit 1 whether
 * it points to a table of our own rather than a shape. */
#define TABLE_FLAG   ((guintptr) 2)
#define POINTER_MASK (~(guintptr) 3)

#define INLINE_SIZE  8

/* What a call found: where the attribute lives, if it does. */
typedef struct
{
  guintptr                   word;
  FlyweightShape            *shape;     /* shape mode */
  const FlyweightShapeEntry *entry;     /* shape mode, when found */
  guint                      position;
  FlyweightAttrTable        *table;     /* table mode */
  FlyweightAttrEntry        *row;       /* table mode, when found */
} Place;

/* What a call leaves to free once the lock is released: freeing runs
 * code (an object's finalizer, a boxed type's free function) that may
 * come back to this very store. */
typedef struct
{
  FlyweightSlot      slot;
  FlyweightSlotKind  kind;
  gboolean           has_slot;
  const char        *name;
  FlyweightShape    *shape;
} Leftovers;

static void
leftovers_release (Leftovers *leftovers)
{
  if (leftovers->has_slot)
    flyweight_slot_release (leftovers->slot, leftovers->kind);
  if (leftovers->name != NULL)
    flyweight_intern_release (leftovers->name);
  if (leftovers->shape != NULL)
    flyweight_shape_unref (leftovers->shape);
}

static guintptr
lock_store (FlyweightAttrStore *store)
{
  return flyweight_word_lock (&store->word);
}

static void
unlock_store (FlyweightAttrStore *store,
              guintptr            word)
{
  flyweight_word_unlock (&store->word, word);
}

/* ---- values in shape mode ---- */

/* Room for @size bytes of values in a block: rounded up, so that adding
 * attributes one at a time reallocates O(log n) times. */
static gsize
block_size (guint size)
{
  if (size <= 64)
    return (size + 15) & ~(gsize) 15;

  return (gsize) 1 << g_bit_storage (size - 1);
}

static guint8 *
values_of (FlyweightAttrStore *store,
           FlyweightShape     *shape)
{
  return flyweight_shape_get_size (shape) <= INLINE_SIZE ? store->data.bytes : store->data.block;
}

/* Slots are read and written whole, as 32 or 64-bit numbers: a slot
 * copied byte by byte through memory would be read back wider than it was
 * written, which processors make slow. */
static FlyweightSlot
slot_read (FlyweightAttrStore        *store,
           FlyweightShape            *shape,
           const FlyweightShapeEntry *entry)
{
  const guint8 *address = values_of (store, shape) + entry->offset;
  FlyweightSlot slot;

  if (entry->kind == FLYWEIGHT_SLOT_U32)
    {
      guint32 bits;

      memcpy (&bits, address, sizeof bits);
      slot.u64 = 0;
      slot.u32 = bits;
    }
  else
    {
      memcpy (&slot.u64, address, sizeof slot.u64);
    }

  return slot;
}

static void
slot_write (FlyweightAttrStore        *store,
            FlyweightShape            *shape,
            const FlyweightShapeEntry *entry,
            FlyweightSlot              slot)
{
  guint8 *address = values_of (store, shape) + entry->offset;

  if (entry->kind == FLYWEIGHT_SLOT_U32)
    memcpy (address, &slot.u32, sizeof slot.u32);
  else
    memcpy (address, &slot.u64, sizeof slot.u64);
}

/* Moves the values from a layout of @from bytes to one of @to, which
 * share their common slots. */
static void
resize_values (FlyweightAttrStore *store,
               guint               from,
               guint               to)
{
  if (from <= INLINE_SIZE && to <= INLINE_SIZE)
    return;

  if (from <= INLINE_SIZE)
    {
      guint8 *block = g_malloc0 (block_size (to));

      memcpy (block, store->data.bytes, from);
      store->data.block = block;
    }
  else if (to <= INLINE_SIZE)
    {
      guint8 *block = store->data.block;

      memcpy (store->data.bytes, block, INLINE_SIZE);
      g_free (block);
    }
  else if (block_size (from) != block_size (to))
    {
      store->data.block = g_realloc (store->data.block, block_size (to));
      if (to > from)
        memset ((guint8 *) store->data.block + from, 0, block_size (to) - from);
    }
}

/* ---- finding a name ---- */

static gboolean
find (FlyweightAttrStore *store,
      guintptr            word,
      FlyweightNameKey   *name,
      Place              *place)
{
  place->word = word;

  if (word & TABLE_FLAG)
    {
      place->shape = NULL;
      place->entry = NULL;
      place->table = (FlyweightAttrTable *) (word & POINTER_MASK);
      place->row = flyweight_attr_table_lookup (place->table, name);
      return place->row != NULL;
    }

  place->table = NULL;
  place->row = NULL;
  place->shape = (FlyweightShape *) (word & POINTER_MASK);
  place->entry = flyweight_shape_lookup (place->shape, name, &place->position);
  return place->entry != NULL;
}

static FlyweightSlot
place_slot (FlyweightAttrStore *store,
            const Place        *place,
            GType              *type,
            FlyweightSlotKind  *kind)
{
  if (place->row != NULL)
    {
      *type = place->row->type;
      *kind = flyweight_slot_kind_for_type (place->row->type);
      return place->row->slot;
    }

  *type = place->entry->type;
  *kind = place->entry->kind;
  return slot_read (store, place->shape, place->entry);
}

/* ---- leaving the shapes ---- */

/* Moves the attributes into a table of our own; the shape is left for the
 * caller to drop once unlocked. Returns the new word. */
static guintptr
switch_to_table (FlyweightAttrStore *store,
                 Place              *place,
                 Leftovers          *leftovers)
{
  FlyweightShape *shape = place->shape;
  guint n_entries = flyweight_shape_get_n_entries (shape);
  FlyweightAttrTable *table = flyweight_attr_table_new (n_entries + 1);
  guintptr word;

  for (guint i = 0; i < n_entries; i++)
    {
      const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);

      /* The slot's ownership moves over as it is. */
      table = flyweight_attr_table_add (table, flyweight_intern_ref (entry->name),
                                        entry->type, slot_read (store, shape, entry));
    }

  if (flyweight_shape_get_size (shape) > INLINE_SIZE)
    g_free (store->data.block);
  memset (&store->data, 0, sizeof store->data);

  word = (guintptr) table | TABLE_FLAG;
  flyweight_word_lock_update (&store->word, word);
  leftovers->shape = shape;

  place->word = word;
  place->shape = NULL;
  place->entry = NULL;
  place->table = table;
  place->row = NULL;

  return word;
}

/* ---- the store ---- */

void
flyweight_attr_store_init (FlyweightAttrStore *store)
{
  memset (store, 0, sizeof *store);
  store->word = flyweight_shape_get_empty ();
}

/* Empties the store, which stays usable. */
void
flyweight_attr_store_clear (FlyweightAttrStore *store)
{
  guintptr word = lock_store (store);
  FlyweightAttrStore taken = { (gpointer) (word & ~FLYWEIGHT_WORD_LOCKED), { { 0 } } };

  taken.data = store->data;
  memset (&store->data, 0, sizeof store->data);
  unlock_store (store, (guintptr) flyweight_shape_get_empty ());

  /* What we took is ours alone now. */
  if (word & TABLE_FLAG)
    {
      FlyweightAttrTable *table = (FlyweightAttrTable *) (word & POINTER_MASK);
      FlyweightAttrEntry *row;
      guint position = 0;

      while ((row = flyweight_attr_table_next (table, &position)) != NULL)
        {
          flyweight_slot_release (row->slot, flyweight_slot_kind_for_type (row->type));
          flyweight_intern_release (row->name);
        }
      flyweight_attr_table_free (table);
    }
  else
    {
      FlyweightShape *shape = (FlyweightShape *) (word & POINTER_MASK);

      for (guint i = 0; i < flyweight_shape_get_n_entries (shape); i++)
        {
          const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);

          flyweight_slot_release (slot_read (&taken, shape, entry), entry->kind);
        }

      if (flyweight_shape_get_size (shape) > INLINE_SIZE)
        g_free (taken.data.block);
      flyweight_shape_unref (shape);
    }
}

/* Fills the empty @value with a copy of the attribute @name. */
gboolean
flyweight_attr_store_get (FlyweightAttrStore *store,
                          const char         *name,
                          GValue             *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  guintptr word = lock_store (store);
  Place place;
  gboolean found = find (store, word, &key, &place);

  if (found)
    {
      GType type;
      FlyweightSlotKind kind;
      FlyweightSlot slot = place_slot (store, &place, &type, &kind);

      /* Copying a string or taking a reference runs no code of ours. */
      flyweight_slot_decode (slot, kind, type, value);
    }

  unlock_store (store, word);

  return found;
}

/* Reads the attribute @name into @value, which is either empty or holds
 * the attribute's own type, as a caller that reads the same attribute
 * over and over keeps it. A string equal to the one @value holds is not
 * copied again. Returns FALSE, leaving @value alone, if there is no such
 * attribute or it has another type. */
gboolean
flyweight_attr_store_read (FlyweightAttrStore *store,
                           const char         *name,
                           GValue             *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  guintptr word = lock_store (store);
  gboolean found = FALSE;
  FlyweightSlot slot;
  FlyweightSlotKind kind;
  GType type;

  /* The shapes first, the common case, without going through a Place. */
  if (!(word & TABLE_FLAG))
    {
      FlyweightShape *shape = (FlyweightShape *) (word & POINTER_MASK);
      const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, &key, NULL);

      if (entry != NULL)
        {
          found = TRUE;
          type = entry->type;
          kind = entry->kind;
          slot = slot_read (store, shape, entry);
        }
    }
  else
    {
      FlyweightAttrEntry *row = flyweight_attr_table_lookup ((FlyweightAttrTable *) (word & POINTER_MASK), &key);

      if (row != NULL)
        {
          found = TRUE;
          type = row->type;
          kind = flyweight_slot_kind_for_type (type);
          slot = row->slot;
        }
    }

  if (found)
    {
      if (G_VALUE_TYPE (value) == G_TYPE_INVALID)
        flyweight_slot_decode (slot, kind, type, value);
      else if (G_VALUE_TYPE (value) == type)
        flyweight_slot_decode_into (slot, kind, value);
      else
        found = FALSE;
    }

  unlock_store (store, word);

  return found;
}

/* Under the lock: stores @slot, which holds a @type, as @name. */
static guintptr
set_locked (FlyweightAttrStore *store,
            Place              *place,
            FlyweightNameKey   *name,
            GType               type,
            FlyweightSlotKind   kind,
            FlyweightSlot       slot,
            Leftovers          *leftovers)
{
  guintptr word = place->word;

  if (place->entry != NULL && place->entry->type == type)
    {
      /* The common case: a new value of the same type, in place. */
      leftovers->slot = slot_read (store, place->shape, place->entry);
      leftovers->kind = kind;
      leftovers->has_slot = TRUE;
      slot_write (store, place->shape, place->entry, slot);
      return word;
    }

  if (place->shape != NULL && place->entry == NULL)
    {
      FlyweightShape *child = flyweight_shape_add (place->shape, name, type);

      if (child != NULL)
        {
          guint last = flyweight_shape_get_n_entries (child) - 1;

          resize_values (store, flyweight_shape_get_size (place->shape), flyweight_shape_get_size (child));
          slot_write (store, child, flyweight_shape_get_entry (child, last), slot);
          word = (guintptr) child;
          flyweight_word_lock_update (&store->word, word);
          leftovers->shape = place->shape;
          return word;
        }
    }

  /* Another type for a name, or a step no other object took: this object
   * keeps a table of its own from now on. */
  if (place->shape != NULL)
    {
      word = switch_to_table (store, place, leftovers);
      place->row = flyweight_attr_table_lookup (place->table, name);
    }

  if (place->row != NULL)
    {
      leftovers->slot = place->row->slot;
      leftovers->kind = flyweight_slot_kind_for_type (place->row->type);
      leftovers->has_slot = TRUE;
      place->row->type = type;
      place->row->slot = slot;
    }
  else
    {
      const char *interned = flyweight_intern_acquire_hashed (name->string, flyweight_name_key_hash (name));
      FlyweightAttrTable *table = flyweight_attr_table_add (place->table, interned, type, slot);

      if (table != place->table)
        {
          word = (guintptr) table | TABLE_FLAG;
          flyweight_word_lock_update (&store->word, word);
        }
    }

  return word;
}

/* Sets @name to a copy of @value. */
void
flyweight_attr_store_set (FlyweightAttrStore *store,
                          const char         *name,
                          const GValue       *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  GType type = G_VALUE_TYPE (value);
  FlyweightSlotKind kind = flyweight_slot_kind_for_type (type);
  Leftovers leftovers = { { 0 }, 0, FALSE, NULL, NULL };
  FlyweightSlot slot;
  guintptr word;
  Place place;

  /* Setting a string or an object the attribute already holds changes
   * nothing: no copy to make, nothing to intern. */
  if (kind == FLYWEIGHT_SLOT_STRING || kind == FLYWEIGHT_SLOT_OBJECT)
    {
      gboolean unchanged = FALSE;

      word = lock_store (store);
      if (find (store, word, &key, &place))
        {
          GType stored_type;
          FlyweightSlotKind stored_kind;
          FlyweightSlot stored = place_slot (store, &place, &stored_type, &stored_kind);

          unchanged = stored_type == type && flyweight_slot_holds (stored, kind, value);
        }
      unlock_store (store, word);

      if (unchanged)
        return;
    }

  /* Copy and intern before locking: a boxed copy runs code of its type,
   * and interning is the slow part. */
  flyweight_slot_encode (&slot, kind, value);

  word = lock_store (store);
  find (store, word, &key, &place);
  word = set_locked (store, &place, &key, type, kind, slot, &leftovers);
  unlock_store (store, word);

  leftovers_release (&leftovers);
}

/* Sets @name to a copy of @value if the store holds @name with a value of
 * the same type, and the new value needs no checking: a number, an
 * object, or a string equal to the one held or valid UTF-8. Returns FALSE,
 * changing nothing, otherwise. */
gboolean
flyweight_attr_store_replace (FlyweightAttrStore *store,
                              const char         *name,
                              const GValue       *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  GType type = G_VALUE_TYPE (value);
  Leftovers leftovers = { { 0 }, 0, FALSE, NULL, NULL };
  FlyweightSlotKind kind;
  FlyweightSlot slot, stored;
  GType stored_type;
  gboolean held;
  guintptr word;
  Place place;

  word = lock_store (store);
  if (!find (store, word, &key, &place))
    {
      unlock_store (store, word);
      return FALSE;
    }

  stored = place_slot (store, &place, &stored_type, &kind);
  if (stored_type != type || kind == FLYWEIGHT_SLOT_VALUE)
    {
      unlock_store (store, word);
      return FALSE;
    }

  if (kind == FLYWEIGHT_SLOT_U32 || kind == FLYWEIGHT_SLOT_U64)
    {
      /* Numbers own nothing: in place, at once. */
      flyweight_slot_encode (&slot, kind, value);
      if (place.entry != NULL)
        slot_write (store, place.shape, place.entry, slot);
      else
        place.row->slot = slot;
      unlock_store (store, word);
      return TRUE;
    }

  held = flyweight_slot_holds (stored, kind, value);
  unlock_store (store, word);

  if (held)
    return TRUE;

  if (kind == FLYWEIGHT_SLOT_STRING && g_value_get_string (value) != NULL &&
      !g_utf8_validate (g_value_get_string (value), -1, NULL))
    return FALSE;

  /* Interning or referencing happens unlocked, as in any set. */
  flyweight_slot_encode (&slot, kind, value);

  word = lock_store (store);
  find (store, word, &key, &place);
  word = set_locked (store, &place, &key, type, kind, slot, &leftovers);
  unlock_store (store, word);

  leftovers_release (&leftovers);

  return TRUE;
}

gboolean
flyweight_attr_store_delete (FlyweightAttrStore *store,
                             const char         *name)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  Leftovers leftovers = { { 0 }, 0, FALSE, NULL, NULL };
  guintptr word = lock_store (store);
  Place place;
  gboolean found = find (store, word, &key, &place);

  if (found && place.shape != NULL)
    {
      FlyweightShape *shape = place.shape;

      if (place.position == flyweight_shape_get_n_entries (shape) - 1)
        {
          /* Undoing the last step: back to the parent shape. */
          FlyweightShape *parent = flyweight_shape_ref (flyweight_shape_get_parent (shape));

          leftovers.slot = slot_read (store, shape, place.entry);
          leftovers.kind = place.entry->kind;
          leftovers.has_slot = TRUE;
          resize_values (store, flyweight_shape_get_size (shape), flyweight_shape_get_size (parent));
          word = (guintptr) parent;
          flyweight_word_lock_update (&store->word, word);
          leftovers.shape = shape;
        }
      else
        {
          word = switch_to_table (store, &place, &leftovers);
          place.row = flyweight_attr_table_lookup (place.table, &key);
        }
    }

  if (found && place.row != NULL)
    {
      FlyweightAttrEntry removed;
      FlyweightAttrTable *table = flyweight_attr_table_remove (place.table, place.row, &removed);

      leftovers.slot = removed.slot;
      leftovers.kind = flyweight_slot_kind_for_type (removed.type);
      leftovers.has_slot = TRUE;
      leftovers.name = removed.name;

      if (table != place.table)
        {
          word = (guintptr) table | TABLE_FLAG;
          flyweight_word_lock_update (&store->word, word);
        }
    }

  unlock_store (store, word);

  leftovers_release (&leftovers);

  return found;
}

gboolean
flyweight_attr_store_contains (FlyweightAttrStore *store,
                               const char         *name)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  guintptr word = lock_store (store);
  Place place;
  gboolean found = find (store, word, &key, &place);

  unlock_store (store, word);

  return found;
}

/* The names in insertion order, NULL-terminated. */
char **
flyweight_attr_store_dup_names (FlyweightAttrStore *store)
{
  guintptr word = lock_store (store);
  GPtrArray *names;

  if (word & TABLE_FLAG)
    {
      FlyweightAttrTable *table = (FlyweightAttrTable *) (word & POINTER_MASK);
      FlyweightAttrEntry *row;
      guint position = 0;

      names = g_ptr_array_sized_new (flyweight_attr_table_get_size (table) + 1);
      while ((row = flyweight_attr_table_next (table, &position)) != NULL)
        g_ptr_array_add (names, g_strdup (row->name));
    }
  else
    {
      FlyweightShape *shape = (FlyweightShape *) (word & POINTER_MASK);
      guint n_entries = flyweight_shape_get_n_entries (shape);

      names = g_ptr_array_sized_new (n_entries + 1);
      for (guint i = 0; i < n_entries; i++)
        g_ptr_array_add (names, g_strdup (flyweight_shape_get_entry (shape, i)->name));
    }

  unlock_store (store, word);

  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

/* Calls @func on every attribute in insertion order, with the lock held:
 * @func must not call back into the store. */
void
flyweight_attr_store_foreach (FlyweightAttrStore     *store,
                              FlyweightAttrStoreFunc  func,
                              gpointer                user_data)
{
  guintptr word = lock_store (store);

  if (word & TABLE_FLAG)
    {
      FlyweightAttrTable *table = (FlyweightAttrTable *) (word & POINTER_MASK);
      FlyweightAttrEntry *row;
      guint position = 0;

      while ((row = flyweight_attr_table_next (table, &position)) != NULL)
        {
          g_auto(GValue) scratch = G_VALUE_INIT;

          func (row->name,
                flyweight_slot_peek (row->slot, flyweight_slot_kind_for_type (row->type), row->type, &scratch),
                user_data);
        }
    }
  else
    {
      FlyweightShape *shape = (FlyweightShape *) (word & POINTER_MASK);

      for (guint i = 0; i < flyweight_shape_get_n_entries (shape); i++)
        {
          const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);
          g_auto(GValue) scratch = G_VALUE_INIT;

          func (entry->name,
                flyweight_slot_peek (slot_read (store, shape, entry), entry->kind, entry->type, &scratch),
                user_data);
        }
    }

  unlock_store (store, word);
}

/* For the tests: the shape in use, or NULL once the store has its own table. */
FlyweightShape *
flyweight_attr_store_peek_shape (FlyweightAttrStore *store)
{
  guintptr word = (guintptr) g_atomic_pointer_get (&store->word);

  return (word & TABLE_FLAG) ? NULL : (FlyweightShape *) (word & POINTER_MASK);
}
