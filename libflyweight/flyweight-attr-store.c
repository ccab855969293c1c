/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-attr-store-private.h"
#include "flyweight-attr-table-private.h"
#include "flyweight-intern-private.h"
#include "flyweight-tsan-private.h"

#define LOCK_BIT     0
#define TABLE_FLAG   ((guintptr) 2)
#define POINTER_MASK (~(guintptr) 3)

#define HEAD_SIZE   8
#define INLINE_SIZE 16

/* One value in the form a slot holds it, with what it owns. */
typedef struct
{
  GType             type;
  FlyweightSlotKind kind;
  union {
    guint32  u32;
    guint64  u64;
    gpointer pointer;
  } bits;
} Slot;

static inline guintptr
read_word (FlyweightAttrStore *store)
{
  return (guintptr) g_atomic_pointer_get (&store->shape);
}

static inline FlyweightShape *
word_shape (guintptr word)
{
  return (FlyweightShape *) (word & POINTER_MASK);
}

static guintptr
lock_store (FlyweightAttrStore *store)
{
  g_pointer_bit_lock (&store->shape, LOCK_BIT);
  flyweight_tsan_acquire (store);

  return read_word (store);
}

static void
unlock_store (FlyweightAttrStore *store)
{
  flyweight_tsan_release (store);
  g_pointer_bit_unlock (&store->shape, LOCK_BIT);
}

/* Only while locked: keeps the lock bit set. */
static void
set_word (FlyweightAttrStore *store,
          FlyweightShape     *shape,
          guintptr            flags)
{
  g_atomic_pointer_set (&store->shape, (gpointer) ((guintptr) shape | flags | 1));
}

static FlyweightShape *
prefix_of (FlyweightShape *shape)
{
  while (!flyweight_shape_is_immortal (shape))
    shape = flyweight_shape_get_parent (shape);

  return shape;
}

static FlyweightAttrTable *
table_of (FlyweightAttrStore *store)
{
  return store->data.split.tail;
}

static guint8 *
slot_address (FlyweightAttrStore *store,
              guint               shape_size,
              guint               offset)
{
  if (offset < HEAD_SIZE || shape_size <= INLINE_SIZE)
    return &store->data.bytes[offset];

  return (guint8 *) store->data.split.tail + (offset - HEAD_SIZE);
}

static void
slot_encode (Slot         *slot,
             const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  slot->type = type;
  slot->kind = flyweight_slot_kind_for_type (type);
  slot->bits.u64 = 0;

  switch (slot->kind)
    {
    case FLYWEIGHT_SLOT_U32:
      switch (G_TYPE_FUNDAMENTAL (type))
        {
        case G_TYPE_BOOLEAN: slot->bits.u32 = g_value_get_boolean (value); break;
        case G_TYPE_CHAR: slot->bits.u32 = (guint32) (gint32) g_value_get_schar (value); break;
        case G_TYPE_UCHAR: slot->bits.u32 = g_value_get_uchar (value); break;
        case G_TYPE_INT: slot->bits.u32 = (guint32) g_value_get_int (value); break;
        case G_TYPE_UINT: slot->bits.u32 = g_value_get_uint (value); break;
        case G_TYPE_ENUM: slot->bits.u32 = (guint32) g_value_get_enum (value); break;
        case G_TYPE_FLAGS: slot->bits.u32 = g_value_get_flags (value); break;
        case G_TYPE_FLOAT:
          {
            gfloat f = g_value_get_float (value);

            memcpy (&slot->bits.u32, &f, sizeof f);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case FLYWEIGHT_SLOT_U64:
      switch (G_TYPE_FUNDAMENTAL (type))
        {
        case G_TYPE_LONG: slot->bits.u64 = (guint64) (gint64) g_value_get_long (value); break;
        case G_TYPE_ULONG: slot->bits.u64 = g_value_get_ulong (value); break;
        case G_TYPE_INT64: slot->bits.u64 = (guint64) g_value_get_int64 (value); break;
        case G_TYPE_UINT64: slot->bits.u64 = g_value_get_uint64 (value); break;
        case G_TYPE_DOUBLE:
          {
            gdouble d = g_value_get_double (value);

            memcpy (&slot->bits.u64, &d, sizeof d);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case FLYWEIGHT_SLOT_STRING:
      /* Interned: a million machines owned by "Aristocrat" share one copy. */
      if (g_value_get_string (value) != NULL)
        slot->bits.pointer = (gpointer) flyweight_intern_acquire (g_value_get_string (value));
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      slot->bits.pointer = g_value_dup_object (value);
      break;

    case FLYWEIGHT_SLOT_VALUE:
      {
        GValue *copy = g_new0 (GValue, 1);

        g_value_init (copy, type);
        g_value_copy (value, copy);
        slot->bits.pointer = copy;
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Fills the empty @value from @slot. With @borrow, strings are not copied:
 * the value is only valid while the slot is. */
static void
slot_decode (const Slot *slot,
             GValue     *value,
             gboolean    borrow)
{
  g_value_init (value, slot->type);

  switch (slot->kind)
    {
    case FLYWEIGHT_SLOT_U32:
      switch (G_TYPE_FUNDAMENTAL (slot->type))
        {
        case G_TYPE_BOOLEAN: g_value_set_boolean (value, slot->bits.u32 != 0); break;
        case G_TYPE_CHAR: g_value_set_schar (value, (gint8) (gint32) slot->bits.u32); break;
        case G_TYPE_UCHAR: g_value_set_uchar (value, (guchar) slot->bits.u32); break;
        case G_TYPE_INT: g_value_set_int (value, (gint32) slot->bits.u32); break;
        case G_TYPE_UINT: g_value_set_uint (value, slot->bits.u32); break;
        case G_TYPE_ENUM: g_value_set_enum (value, (gint32) slot->bits.u32); break;
        case G_TYPE_FLAGS: g_value_set_flags (value, slot->bits.u32); break;
        case G_TYPE_FLOAT:
          {
            gfloat f;

            memcpy (&f, &slot->bits.u32, sizeof f);
            g_value_set_float (value, f);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case FLYWEIGHT_SLOT_U64:
      switch (G_TYPE_FUNDAMENTAL (slot->type))
        {
        case G_TYPE_LONG: g_value_set_long (value, (glong) (gint64) slot->bits.u64); break;
        case G_TYPE_ULONG: g_value_set_ulong (value, (gulong) slot->bits.u64); break;
        case G_TYPE_INT64: g_value_set_int64 (value, (gint64) slot->bits.u64); break;
        case G_TYPE_UINT64: g_value_set_uint64 (value, slot->bits.u64); break;
        case G_TYPE_DOUBLE:
          {
            gdouble d;

            memcpy (&d, &slot->bits.u64, sizeof d);
            g_value_set_double (value, d);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case FLYWEIGHT_SLOT_STRING:
      if (borrow)
        g_value_set_static_string (value, slot->bits.pointer);
      else
        g_value_set_string (value, slot->bits.pointer);
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      g_value_set_object (value, slot->bits.pointer);
      break;

    case FLYWEIGHT_SLOT_VALUE:
      g_value_copy (slot->bits.pointer, value);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Frees what the slot owns. Never called with the lock held: dropping an
 * object reference may run its finalizer, which may use this store. */
static void
slot_release (Slot *slot)
{
  switch (slot->kind)
    {
    case FLYWEIGHT_SLOT_STRING:
      g_clear_pointer ((const char **) &slot->bits.pointer, flyweight_intern_release);
      break;

    case FLYWEIGHT_SLOT_OBJECT:
      g_clear_object ((GObject **) &slot->bits.pointer);
      break;

    case FLYWEIGHT_SLOT_VALUE:
      if (slot->bits.pointer != NULL)
        {
          g_value_unset (slot->bits.pointer);
          g_clear_pointer (&slot->bits.pointer, g_free);
        }
      break;

    case FLYWEIGHT_SLOT_U32:
    case FLYWEIGHT_SLOT_U64:
    default:
      break;
    }
}

static void
slot_read (FlyweightAttrStore        *store,
           FlyweightShape            *shape,
           const FlyweightShapeEntry *entry,
           Slot                      *slot)
{
  const guint8 *address = slot_address (store, flyweight_shape_get_size (shape), entry->offset);

  slot->type = entry->type;
  slot->kind = entry->kind;
  slot->bits.u64 = 0;
  memcpy (&slot->bits, address, entry->kind == FLYWEIGHT_SLOT_U32 ? 4 : 8);
}

static void
slot_write (FlyweightAttrStore        *store,
            FlyweightShape            *shape,
            const FlyweightShapeEntry *entry,
            const Slot                *slot)
{
  guint8 *address = slot_address (store, flyweight_shape_get_size (shape), entry->offset);

  memcpy (address, &slot->bits, entry->kind == FLYWEIGHT_SLOT_U32 ? 4 : 8);
}

/* Moves the values from the layout of @from to that of @to, which differ
 * only in their size: the common slots keep their offsets. */
static void
resize_data (FlyweightAttrStore *store,
             guint               from,
             guint               to)
{
  if (from <= INLINE_SIZE && to <= INLINE_SIZE)
    return;

  if (from <= INLINE_SIZE)
    {
      guint8 *block = g_malloc0 (to - HEAD_SIZE);

      if (from > HEAD_SIZE)
        memcpy (block, &store->data.bytes[HEAD_SIZE], from - HEAD_SIZE);
      store->data.split.tail = block;
    }
  else if (to <= INLINE_SIZE)
    {
      guint8 *block = store->data.split.tail;

      store->data.split.tail = NULL;
      if (to > HEAD_SIZE)
        memcpy (&store->data.bytes[HEAD_SIZE], block, to - HEAD_SIZE);
      g_free (block);
    }
  else
    {
      store->data.split.tail = g_realloc (store->data.split.tail, to - HEAD_SIZE);
    }
}

/* Leaves the shapes for a table of our own; returns the shape the store
 * held, for the caller to drop once unlocked. */
static FlyweightShape *
switch_to_table (FlyweightAttrStore *store,
                 FlyweightShape     *shape)
{
  FlyweightShape *prefix = prefix_of (shape);
  FlyweightAttrTable *table = flyweight_attr_table_new ();
  guint n_entries = flyweight_shape_get_n_entries (shape);
  guint size = flyweight_shape_get_size (shape);

  for (guint i = flyweight_shape_get_n_fixed (shape); i < n_entries; i++)
    {
      const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);
      GValue value = G_VALUE_INIT;
      GValue previous = G_VALUE_INIT;
      Slot slot;

      /* Hand the slot's ownership over to the table's value. */
      slot_read (store, shape, entry, &slot);
      switch (slot.kind)
        {
        case FLYWEIGHT_SLOT_STRING:
          slot_decode (&slot, &value, FALSE);
          slot_release (&slot);
          break;
        case FLYWEIGHT_SLOT_OBJECT:
          g_value_init (&value, slot.type);
          g_value_take_object (&value, slot.bits.pointer);
          break;
        case FLYWEIGHT_SLOT_VALUE:
          value = *(GValue *) slot.bits.pointer;
          g_free (slot.bits.pointer);
          break;
        case FLYWEIGHT_SLOT_U32:
        case FLYWEIGHT_SLOT_U64:
        default:
          slot_decode (&slot, &value, FALSE);
          break;
        }

      flyweight_attr_table_insert (table, entry->name, &value, &previous);
    }

  if (size > INLINE_SIZE)
    g_free (store->data.split.tail);
  memset (&store->data.bytes[HEAD_SIZE], 0, INLINE_SIZE - HEAD_SIZE);
  store->data.split.tail = table;
  set_word (store, prefix, TABLE_FLAG);

  return shape;
}

void
flyweight_attr_store_init (FlyweightAttrStore *store,
                           FlyweightShape     *prefix)
{
  g_assert (flyweight_shape_is_immortal (prefix));
  g_assert (flyweight_shape_get_size (prefix) <= HEAD_SIZE);

  memset (store, 0, sizeof *store);
  store->shape = prefix;
}

void
flyweight_attr_store_clear (FlyweightAttrStore *store)
{
  guintptr word = read_word (store);
  FlyweightShape *shape = word_shape (word);

  if (word & TABLE_FLAG)
    {
      flyweight_attr_table_free (table_of (store));
    }
  else
    {
      for (guint i = flyweight_shape_get_n_fixed (shape); i < flyweight_shape_get_n_entries (shape); i++)
        {
          Slot slot;

          slot_read (store, shape, flyweight_shape_get_entry (shape, i), &slot);
          slot_release (&slot);
        }

      if (flyweight_shape_get_size (shape) > INLINE_SIZE)
        g_free (store->data.split.tail);
      flyweight_shape_unref (shape);
    }

  memset (store, 0, sizeof *store);
}

/* Moves every attribute past the fixed prefix into @taken, atomically,
 * leaving @store with the prefix alone. @taken is private to the caller,
 * who reads it and then frees it with flyweight_attr_store_clear() once
 * no lock is held: dropping the values may run finalizers that use
 * @store again. */
void
flyweight_attr_store_take_all (FlyweightAttrStore *store,
                               FlyweightAttrStore *taken)
{
  guintptr word = lock_store (store);
  FlyweightShape *prefix = prefix_of (word_shape (word));

  *taken = *store;
  taken->shape = (gpointer) (word & ~(guintptr) 1);

  /* The prefix's values stay, in the head they always occupy. */
  memset (&store->data, 0, sizeof store->data);
  memcpy (store->data.bytes, taken->data.bytes, flyweight_shape_get_size (prefix));
  set_word (store, prefix, 0);

  unlock_store (store);
}

/* The fixed prefix is written during construction only, so reading it
 * needs no lock. The caller names the prefix (an immortal shape) rather
 * than reading the store's current shape, which another thread may be
 * replacing and dropping. */
guint
flyweight_attr_store_get_fixed_uint (FlyweightAttrStore *store,
                                     FlyweightShape     *prefix,
                                     guint               position)
{
  const FlyweightShapeEntry *entry = flyweight_shape_get_entry (prefix, position);
  guint32 value;

  memcpy (&value, &store->data.bytes[entry->offset], sizeof value);

  return value;
}

/* During construction only, before the object is shared. */
void
flyweight_attr_store_set_fixed_uint (FlyweightAttrStore *store,
                                     FlyweightShape     *prefix,
                                     guint               position,
                                     guint               value)
{
  const FlyweightShapeEntry *entry = flyweight_shape_get_entry (prefix, position);
  guint32 bits = value;

  g_assert (position < flyweight_shape_get_n_fixed (prefix));
  g_assert (entry->kind == FLYWEIGHT_SLOT_U32);
  memcpy (&store->data.bytes[entry->offset], &bits, sizeof bits);
}

gboolean
flyweight_attr_store_get (FlyweightAttrStore *store,
                          const char         *name,
                          GValue             *value)
{
  guintptr word = lock_store (store);
  FlyweightShape *shape = word_shape (word);
  const FlyweightShapeEntry *entry;
  gboolean found = FALSE;

  if (word & TABLE_FLAG)
    {
      const GValue *stored;

      if ((entry = flyweight_shape_lookup (shape, name, NULL)) != NULL)
        {
          Slot slot;

          slot_read (store, shape, entry, &slot);
          slot_decode (&slot, value, FALSE);
          found = TRUE;
        }
      else if ((stored = flyweight_attr_table_lookup (table_of (store), name)) != NULL)
        {
          g_value_init (value, G_VALUE_TYPE (stored));
          g_value_copy (stored, value);
          found = TRUE;
        }
    }
  else if ((entry = flyweight_shape_lookup (shape, name, NULL)) != NULL)
    {
      Slot slot;

      slot_read (store, shape, entry, &slot);
      slot_decode (&slot, value, FALSE);
      found = TRUE;
    }

  unlock_store (store);

  return found;
}

void
flyweight_attr_store_set (FlyweightAttrStore *store,
                          const char         *name,
                          const GValue       *value)
{
  FlyweightShape *dropped_shape = NULL;
  GValue table_value = G_VALUE_INIT;
  GValue previous_value = G_VALUE_INIT;
  Slot slot, previous = { 0, };
  gboolean slot_used = FALSE;
  guintptr word;
  FlyweightShape *shape;

  /* Copy and intern before locking: it may take other locks, and it is
   * the slow part. */
  slot_encode (&slot, value);

  word = lock_store (store);
  shape = word_shape (word);

  if (!(word & TABLE_FLAG))
    {
      guint position;
      const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, name, &position);

      g_assert (entry == NULL || position >= flyweight_shape_get_n_fixed (shape));

      if (entry != NULL && entry->type == slot.type)
        {
          slot_read (store, shape, entry, &previous);
          slot_write (store, shape, entry, &slot);
          slot_used = TRUE;
        }
      else if (entry == NULL)
        {
          FlyweightShape *child = flyweight_shape_add (shape, name, slot.type);

          if (child != NULL)
            {
              guint last = flyweight_shape_get_n_entries (child) - 1;

              resize_data (store, flyweight_shape_get_size (shape), flyweight_shape_get_size (child));
              slot_write (store, child, flyweight_shape_get_entry (child, last), &slot);
              set_word (store, child, 0);
              dropped_shape = shape;
              slot_used = TRUE;
            }
        }

      /* A new type for a name, or too many names: this object diverges. */
      if (!slot_used)
        {
          dropped_shape = switch_to_table (store, shape);
          word = read_word (store);
        }
    }

  if (!slot_used)
    {
      slot_decode (&slot, &table_value, FALSE);
      flyweight_attr_table_insert (table_of (store), name, &table_value, &previous_value);
    }

  unlock_store (store);

  if (!slot_used)
    slot_release (&slot);
  slot_release (&previous);
  if (G_IS_VALUE (&previous_value))
    g_value_unset (&previous_value);
  if (dropped_shape != NULL)
    flyweight_shape_unref (dropped_shape);
}

gboolean
flyweight_attr_store_delete (FlyweightAttrStore *store,
                             const char         *name)
{
  FlyweightShape *dropped_shape = NULL;
  GValue previous_value = G_VALUE_INIT;
  Slot previous = { 0, };
  gboolean removed = FALSE;
  guintptr word = lock_store (store);
  FlyweightShape *shape = word_shape (word);

  if (!(word & TABLE_FLAG))
    {
      guint position;
      const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, name, &position);

      if (entry != NULL)
        {
          g_assert (position >= flyweight_shape_get_n_fixed (shape));

          if (position == flyweight_shape_get_n_entries (shape) - 1)
            {
              /* Undoing the last step: back to the parent shape. */
              FlyweightShape *parent = flyweight_shape_ref (flyweight_shape_get_parent (shape));

              slot_read (store, shape, entry, &previous);
              resize_data (store, flyweight_shape_get_size (shape), flyweight_shape_get_size (parent));
              set_word (store, parent, 0);
              dropped_shape = shape;
              removed = TRUE;
            }
          else
            {
              dropped_shape = switch_to_table (store, shape);
              word = read_word (store);
            }
        }
    }

  if (!removed && (word & TABLE_FLAG))
    removed = flyweight_attr_table_steal (table_of (store), name, &previous_value);

  unlock_store (store);

  slot_release (&previous);
  if (G_IS_VALUE (&previous_value))
    g_value_unset (&previous_value);
  if (dropped_shape != NULL)
    flyweight_shape_unref (dropped_shape);

  return removed;
}

gboolean
flyweight_attr_store_contains (FlyweightAttrStore *store,
                               const char         *name)
{
  guintptr word = lock_store (store);
  FlyweightShape *shape = word_shape (word);
  gboolean found = flyweight_shape_lookup (shape, name, NULL) != NULL;

  if (!found && (word & TABLE_FLAG))
    found = flyweight_attr_table_lookup (table_of (store), name) != NULL;

  unlock_store (store);

  return found;
}

char **
flyweight_attr_store_dup_names (FlyweightAttrStore *store)
{
  guintptr word = lock_store (store);
  FlyweightShape *shape = word_shape (word);
  guint n_shape = flyweight_shape_get_n_entries (shape);
  guint n_table = (word & TABLE_FLAG) ? flyweight_attr_table_get_size (table_of (store)) : 0;
  char **names = g_new (char *, n_shape + n_table + 1);

  for (guint i = 0; i < n_shape; i++)
    names[i] = g_strdup (flyweight_shape_get_entry (shape, i)->name);
  for (guint i = 0; i < n_table; i++)
    names[n_shape + i] = g_strdup (flyweight_attr_table_get_name (table_of (store), i));
  names[n_shape + n_table] = NULL;

  unlock_store (store);

  return names;
}

/* Calls @func on every attribute in insertion order, with the lock held:
 * @func must not call back into the store. */
void
flyweight_attr_store_foreach (FlyweightAttrStore     *store,
                              FlyweightAttrStoreFunc  func,
                              gpointer                user_data)
{
  guintptr word = lock_store (store);
  FlyweightShape *shape = word_shape (word);

  for (guint i = 0; i < flyweight_shape_get_n_entries (shape); i++)
    {
      const FlyweightShapeEntry *entry = flyweight_shape_get_entry (shape, i);
      g_auto(GValue) value = G_VALUE_INIT;
      Slot slot;

      slot_read (store, shape, entry, &slot);

      /* A stored GValue is shown as it is, as the table shows its own. */
      if (slot.kind == FLYWEIGHT_SLOT_VALUE)
        {
          func (entry->name, slot.bits.pointer, user_data);
          continue;
        }

      slot_decode (&slot, &value, TRUE);
      func (entry->name, &value, user_data);
    }

  if (word & TABLE_FLAG)
    {
      FlyweightAttrTable *table = table_of (store);

      for (guint i = 0; i < flyweight_attr_table_get_size (table); i++)
        func (flyweight_attr_table_get_name (table, i),
              flyweight_attr_table_get_value (table, i),
              user_data);
    }

  unlock_store (store);
}

/* For the tests: the shape in use, or NULL once the store has its own table. */
FlyweightShape *
flyweight_attr_store_peek_shape (FlyweightAttrStore *store)
{
  guintptr word = read_word (store);

  return (word & TABLE_FLAG) ? NULL : word_shape (word);
}
