/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-attr-store-private.h"
#include "flyweight-attr-table-private.h"
#include "flyweight-intern-private.h"
#include "flyweight-value-codec-private.h"
#include "flyweight-word-lock-private.h"

#define TABLE_FLAG   FLYWEIGHT_ATTR_STORE_TABLE
#define ORDER_FLAG   FLYWEIGHT_ATTR_STORE_ORDERED
#define POINTER_MASK FLYWEIGHT_ATTR_STORE_POINTER_MASK
#define INLINE_SIZE  FLYWEIGHT_ATTR_STORE_INLINE_SIZE

/* In shape mode, the values sit at the offsets the shape gives them: in
 * the 8 inline bytes while they fit, else in a block. An object that
 * shares a shape with objects that added the same attributes in another
 * order keeps its own order after the values, one byte an attribute: the
 * shape's position of its first, second, ... attribute. Such a block is
 * used however small the values. */
#define MAX_ORDERED  255

/* What a call found: where the attribute lives, if it does. */
typedef struct
{
  guintptr                   word;
  FlyweightShape            *shape;     /* shape mode */
  const FlyweightShapeEntry *entry;     /* shape mode, when found */
  guint                      position;  /* of the entry, in the shape */
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

/* Room for @size bytes in a block: rounded up to 16 bytes, and past 256
 * to an eighth of the next power of two, so that adding attributes one at
 * a time reallocates a block every 12% of growth at most, and a block is
 * never more than 12% too large. */
static gsize
block_size (guint size)
{
  gsize step;

  if (size <= 256)
    return (size + 15) & ~(gsize) 15;

  step = (gsize) 1 << (g_bit_storage (size - 1) - 3);

  return (size + step - 1) & ~(step - 1);
}

static guint8 *
order_of (FlyweightAttrStore *store,
          FlyweightShape     *shape)
{
  return (guint8 *) store->data.block + shape->size;
}

/* The shape's position of the object's @i-th attribute. */
static guint
position_of (FlyweightAttrStore *store,
             FlyweightShape     *shape,
             guintptr            word,
             guint               i)
{
  return (word & ORDER_FLAG) ? order_of (store, shape)[i] : i;
}

static FlyweightSlot
slot_read (FlyweightAttrStore        *store,
           FlyweightShape            *shape,
           guintptr                   word,
           const FlyweightShapeEntry *entry)
{
  return flyweight_attr_store_slot_load (flyweight_attr_store_values_of (store, shape, word), entry);
}

/* Moves the values of an object in its own order from a layout of @from
 * bytes to one of @to, which share their common slots. */
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

/* Moves the object onto @next, a shape with one more entry than @shape,
 * the one at @added, whose layout may differ: every value moves to its
 * offset in @next, and the object keeps its order in a block if that is
 * not @next's own. Returns the new word. */
static guintptr
move_values (FlyweightAttrStore *store,
             FlyweightShape     *shape,
             guintptr            word,
             FlyweightShape     *next,
             guint               added,
             FlyweightSlot       slot)
{
  guint n = shape->n_entries;
  const guint8 *old_values = flyweight_attr_store_values_of (store, shape, word);
  g_autofree guint8 *order = g_new (guint8, n + 1);
  gboolean ordered = FALSE;
  guint8 values[INLINE_SIZE];
  gpointer old_block = flyweight_attr_store_block_bytes (shape, (word & ORDER_FLAG) != 0) > 0 ? store->data.block : NULL;
  guint8 *new_values;

  for (guint i = 0; i < n; i++)
    {
      const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, position_of (store, shape, word, i));
      FlyweightNameKey key = { entry->name, flyweight_intern_get_hash (entry->name), TRUE };
      guint position;

      flyweight_shape_lookup (next, &key, &position);
      order[i] = position;
      ordered |= position != i;
    }
  order[n] = added;
  ordered |= added != n;

  if (flyweight_attr_store_block_bytes (next, ordered) > 0)
    new_values = g_malloc0 (block_size (flyweight_attr_store_block_bytes (next, ordered)));
  else
    new_values = memset (values, 0, sizeof values);

  for (guint i = 0; i < n; i++)
    flyweight_attr_store_slot_store (new_values, flyweight_shape_get_entry (next, order[i]),
                flyweight_attr_store_slot_load (old_values, flyweight_shape_get_entry (shape, position_of (store, shape, word, i))));
  flyweight_attr_store_slot_store (new_values, flyweight_shape_get_entry (next, added), slot);

  if (ordered)
    memcpy (new_values + next->size, order, n + 1);

  g_free (old_block);
  if (new_values == values)
    memcpy (store->data.bytes, values, sizeof values);
  else
    store->data.block = new_values;

  return (guintptr) next | (ordered ? ORDER_FLAG : 0);
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
  return slot_read (store, place->shape, place->word, place->entry);
}

/* ---- leaving the shapes ---- */

/* Moves the attributes, in the object's order, into a table of its own;
 * the shape is left for the caller to drop once unlocked. Returns the new
 * word. */
static guintptr
switch_to_table (FlyweightAttrStore *store,
                 Place              *place,
                 Leftovers          *leftovers)
{
  FlyweightShape *shape = place->shape;
  guintptr word = place->word;
  guint n_entries = shape->n_entries;
  FlyweightAttrTable *table = flyweight_attr_table_new (n_entries + 1);

  for (guint i = 0; i < n_entries; i++)
    {
      const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, position_of (store, shape, word, i));

      /* The slot's ownership moves over as it is. */
      table = flyweight_attr_table_add (table, flyweight_intern_ref (entry->name),
                                        entry->type, slot_read (store, shape, word, entry));
    }

  if (flyweight_attr_store_block_bytes (shape, (word & ORDER_FLAG) != 0) > 0)
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

/* Moves every attribute into @taken, at once, leaving @store empty and
 * usable. @taken is private to the caller, who may read it, and frees it
 * with flyweight_attr_store_clear() while holding no lock: dropping the
 * values may run finalizers that use @store again. */
void
flyweight_attr_store_take_all (FlyweightAttrStore *store,
                               FlyweightAttrStore *taken)
{
  guintptr word = lock_store (store);

  taken->word = (gpointer) (word & ~FLYWEIGHT_WORD_LOCKED);
  taken->data = store->data;
  memset (&store->data, 0, sizeof store->data);
  unlock_store (store, (guintptr) flyweight_shape_get_empty ());
}

/* Empties the store, which stays usable. */
void
flyweight_attr_store_clear (FlyweightAttrStore *store)
{
  FlyweightAttrStore taken;
  guintptr word;

  flyweight_attr_store_take_all (store, &taken);
  word = (guintptr) taken.word;

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

      for (guint i = 0; i < shape->n_entries; i++)
        {
          const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);

          flyweight_slot_release (slot_read (&taken, shape, word, entry), entry->kind);
        }

      if (flyweight_attr_store_block_bytes (shape, (word & ORDER_FLAG) != 0) > 0)
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
  FlyweightSlotKind kind = FLYWEIGHT_SLOT_U32;
  FlyweightSlot slot = { 0 };
  GType type = G_TYPE_INVALID;

  if (found)
    {
      slot = place_slot (store, &place, &type, &kind);

      /* Copying a string or a number runs no code but ours, nor does
       * referencing an object the store holds a reference to: its count
       * is at least 2 then, past where toggle references notify. A value
       * kept whole is held, to be copied unlocked. */
      if (kind == FLYWEIGHT_SLOT_VALUE)
        flyweight_slot_hold (slot, kind);
      else
        flyweight_slot_decode (slot, kind, type, value);
    }

  unlock_store (store, word);

  if (found && kind == FLYWEIGHT_SLOT_VALUE)
    {
      flyweight_slot_decode (slot, kind, type, value);
      flyweight_slot_release (slot, kind);
    }

  return found;
}

/* Reads the attribute @name into @value, which is either empty or holds
 * the attribute's own type, as a caller that reads the same attribute
 * over and over keeps it: every case of flyweight_attr_store_read_fast(),
 * which callers try first, and the others. A string equal to the one @value holds is not
 * copied again. Returns FALSE, leaving @value alone, if there is no such
 * attribute or it has another type.
 *
 * Under the lock, copying runs no code that could use this store again:
 * a value kept whole, whose copy runs code of its type (a boxed copy
 * function), is copied unlocked, and what @value held before is dropped
 * unlocked, as dropping an object may finalize it. */
gboolean
flyweight_attr_store_read (FlyweightAttrStore *store,
                           const char         *name,
                           GValue             *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  GValue previous = G_VALUE_INIT;
  guintptr word = lock_store (store);
  gboolean found = FALSE;
  FlyweightSlot slot = { 0 };
  FlyweightSlotKind kind = FLYWEIGHT_SLOT_U32;
  GType type = G_TYPE_INVALID;

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
          slot = slot_read (store, shape, word, entry);
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

  if (found && G_VALUE_TYPE (value) != G_TYPE_INVALID)
    {
      if (G_VALUE_TYPE (value) != type)
        {
          found = FALSE;
        }
      else if (kind == FLYWEIGHT_SLOT_OBJECT || kind == FLYWEIGHT_SLOT_VALUE)
        {
          previous = *value;
          *value = (GValue) G_VALUE_INIT;
        }
    }

  if (found)
    {
      if (kind == FLYWEIGHT_SLOT_VALUE)
        flyweight_slot_hold (slot, kind);
      else if (G_VALUE_TYPE (value) == G_TYPE_INVALID)
        flyweight_slot_decode (slot, kind, type, value);
      /* A caller reading the same attribute over and over: the string it
       * holds already, or a number, without a call. */
      else if (kind == FLYWEIGHT_SLOT_STRING ? !flyweight_slot_holds (slot, kind, value)
                                             : !flyweight_slot_decode_number_into (slot, value))
        flyweight_slot_decode_into (slot, kind, value);
    }

  unlock_store (store, word);

  /* A value kept whole is copied, by its type's code, unlocked. */
  if (found && kind == FLYWEIGHT_SLOT_VALUE)
    {
      flyweight_slot_decode (slot, kind, type, value);
      flyweight_slot_release (slot, kind);
    }

  if (G_VALUE_TYPE (&previous) != G_TYPE_INVALID)
    g_value_unset (&previous);

  return found;
}

/* Under the lock, in shape mode: the step that adds @name, holding @slot
 * of a @type. Returns the new word, or 0 if the object must keep a table
 * of its own instead. */
static guintptr
add_in_shapes (FlyweightAttrStore *store,
               Place              *place,
               FlyweightNameKey   *name,
               GType               type,
               FlyweightSlot       slot,
               Leftovers          *leftovers)
{
  FlyweightShape *shape = place->shape;
  guintptr word = place->word;
  gboolean ordered = (word & ORDER_FLAG) != 0;
  gboolean appended;
  FlyweightShape *next = flyweight_shape_step (shape, name, type, &appended);
  guint added;

  if (next == NULL)
    return 0;

  /* An object in an order of its own keeps it in a byte a position. */
  if ((ordered || !appended) && next->n_entries > MAX_ORDERED)
    {
      flyweight_shape_unref (next);
      return 0;
    }

  if (appended && !ordered)
    {
      resize_values (store, shape->size, next->size);
      flyweight_attr_store_slot_store (flyweight_attr_store_values_of (store, next, 0), flyweight_shape_get_entry (next, shape->n_entries), slot);
      word = (guintptr) next;
    }
  else
    {
      if (appended)
        added = shape->n_entries;
      else
        flyweight_shape_lookup (next, name, &added);
      word = move_values (store, shape, word, next, added, slot);
    }

  flyweight_word_lock_update (&store->word, word);
  leftovers->shape = shape;

  return word;
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
      guint8 *values = flyweight_attr_store_values_of (store, place->shape, word);

      leftovers->slot = flyweight_attr_store_slot_load (values, place->entry);
      leftovers->kind = kind;
      leftovers->has_slot = TRUE;
      flyweight_attr_store_slot_store (values, place->entry, slot);
      return word;
    }

  if (place->shape != NULL && place->entry == NULL)
    {
      guintptr added = add_in_shapes (store, place, name, type, slot, leftovers);

      if (added != 0)
        return added;
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
  slot = flyweight_slot_encode (kind, value);

  word = lock_store (store);
  find (store, word, &key, &place);
  word = set_locked (store, &place, &key, type, kind, slot, &leftovers);
  unlock_store (store, word);

  leftovers_release (&leftovers);
}

/* The end of a replace that found @name holding a string or an object,
 * of @value's type, other than @value's: checks, interns or references
 * the new one unlocked, as in any set, then sets it. */
static gboolean
replace_changed (FlyweightAttrStore *store,
                 FlyweightNameKey   *key,
                 FlyweightSlotKind   kind,
                 const GValue       *value)
{
  Leftovers leftovers = { { 0 }, 0, FALSE, NULL, NULL };
  FlyweightSlot slot;
  guintptr word;
  Place place;

  if (kind == FLYWEIGHT_SLOT_STRING && g_value_get_string (value) != NULL &&
      !g_utf8_validate (g_value_get_string (value), -1, NULL))
    return FALSE;

  slot = flyweight_slot_encode (kind, value);

  word = lock_store (store);
  find (store, word, key, &place);
  word = set_locked (store, &place, key, G_VALUE_TYPE (value), kind, slot, &leftovers);
  unlock_store (store, word);

  leftovers_release (&leftovers);

  return TRUE;
}

gboolean
flyweight_attr_store_replace_changed (FlyweightAttrStore *store,
                                      const char         *name,
                                      FlyweightSlotKind   kind,
                                      const GValue       *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);

  return replace_changed (store, &key, kind, value);
}

/* Sets @name to a copy of @value if the store holds @name with a value of
 * the same type, and the new value needs no checking: a number, an
 * object, or a string equal to the one held or valid UTF-8. Returns FALSE,
 * changing nothing, otherwise. Every case of
 * flyweight_attr_store_replace_fast(), which callers try first, and the
 * others. */
gboolean
flyweight_attr_store_replace (FlyweightAttrStore *store,
                              const char         *name,
                              const GValue       *value)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);
  GType type = G_VALUE_TYPE (value);
  FlyweightSlotKind kind;
  FlyweightSlot slot, stored;
  GType stored_type;
  gboolean held;
  guintptr word;
  Place place;

  word = lock_store (store);
  if (!(word & TABLE_FLAG))
    {
      /* The shapes first, the common case, without going through a Place. */
      FlyweightShape *shape = (FlyweightShape *) (word & POINTER_MASK);
      const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, &key, NULL);
      guint8 *values;

      if (entry == NULL || entry->type != type || entry->kind == FLYWEIGHT_SLOT_VALUE)
        {
          unlock_store (store, word);
          return FALSE;
        }

      kind = entry->kind;
      values = flyweight_attr_store_values_of (store, shape, word);
      if (kind == FLYWEIGHT_SLOT_U32 || kind == FLYWEIGHT_SLOT_U64)
        {
          /* Numbers own nothing: in place, at once. */
          if (!flyweight_slot_encode_number (value, &slot))
            slot = flyweight_slot_encode (kind, value);
          flyweight_attr_store_slot_store (values, entry, slot);
          unlock_store (store, word);
          return TRUE;
        }
      stored = flyweight_attr_store_slot_load (values, entry);
    }
  else
    {
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
          place.row->slot = flyweight_slot_encode (kind, value);
          unlock_store (store, word);
          return TRUE;
        }
    }

  held = flyweight_slot_holds (stored, kind, value);
  unlock_store (store, word);

  if (held)
    return TRUE;

  return replace_changed (store, &key, kind, value);
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

      if (!(word & ORDER_FLAG) && place.position == shape->n_entries - 1)
        {
          /* Undoing the last step: back to the parent shape. */
          FlyweightShape *parent = flyweight_shape_ref (flyweight_shape_get_parent (shape));

          leftovers.slot = slot_read (store, shape, word, place.entry);
          leftovers.kind = place.entry->kind;
          leftovers.has_slot = TRUE;
          resize_values (store, shape->size, parent->size);
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

      names = g_ptr_array_sized_new (shape->n_entries + 1);
      for (guint i = 0; i < shape->n_entries; i++)
        g_ptr_array_add (names, g_strdup (flyweight_shape_get_entry (shape, position_of (store, shape, word, i))->name));
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

      for (guint i = 0; i < shape->n_entries; i++)
        {
          const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, position_of (store, shape, word, i));
          g_auto(GValue) scratch = G_VALUE_INIT;

          func (entry->name,
                flyweight_slot_peek (slot_read (store, shape, word, entry), entry->kind, entry->type, &scratch),
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
