/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "flyweight-shape-private.h"
#include "flyweight-value-codec-private.h"
#include "flyweight-word-lock-private.h"

G_BEGIN_DECLS

/* The attribute storage embedded in every FlyweightPokiesDynamic: 16 bytes
 * that hold a shared shape and the object's own values.
 *
 * The first word points to the shape; the other 8 bytes hold the values
 * themselves while they fit (one string, object or 64-bit number, or two
 * 32-bit ones), and otherwise point to a block with them.
 *
 * An object that leaves the shared shapes — a deleted attribute that was
 * not the last one added, a value replaced by one of another type, a step
 * no other object took — keeps its attributes in a FlyweightAttrTable of
 * its own instead, which the first word then points to. Nothing observable
 * changes: same names, same values, same insertion order.
 *
 * Every call takes the store's lock, a bit of the first word, so thread
 * safety costs no memory. */
typedef struct
{
  /*< private >*/
  gpointer word;   /* FlyweightShape * or FlyweightAttrTable *, and the flags */
  union {
    guint8   bytes[8];
    gpointer block;
  } data;
} FlyweightAttrStore;

typedef void (*FlyweightAttrStoreFunc) (const char   *name,
                                        const GValue *value,
                                        gpointer      user_data);

void            flyweight_attr_store_init       (FlyweightAttrStore     *store);
void            flyweight_attr_store_clear      (FlyweightAttrStore     *store);
void            flyweight_attr_store_take_all   (FlyweightAttrStore     *store,
                                                 FlyweightAttrStore     *taken);
gboolean        flyweight_attr_store_get        (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 GValue                 *value);
gboolean        flyweight_attr_store_read       (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 GValue                 *value);
gboolean        flyweight_attr_store_replace    (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 const GValue           *value);
void            flyweight_attr_store_set        (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 const GValue           *value);
gboolean        flyweight_attr_store_delete     (FlyweightAttrStore     *store,
                                                 const char             *name);
gboolean        flyweight_attr_store_contains   (FlyweightAttrStore     *store,
                                                 const char             *name);
char          **flyweight_attr_store_dup_names  (FlyweightAttrStore     *store);
void            flyweight_attr_store_foreach    (FlyweightAttrStore     *store,
                                                 FlyweightAttrStoreFunc  func,
                                                 gpointer                user_data);
FlyweightShape *flyweight_attr_store_peek_shape (FlyweightAttrStore     *store);

/* The end of flyweight_attr_store_replace_fast() when @name holds a string
 * or an object of @value's type other than @value's: sets it as a replace
 * would, or returns FALSE, changing nothing, if @value needs checking. */
gboolean        flyweight_attr_store_replace_changed (FlyweightAttrStore *store,
                                                      const char         *name,
                                                      FlyweightSlotKind   kind,
                                                      const GValue       *value);

/* The first word: a pointer, with the lock in bit 0, in bit 1 whether it
 * points to a table of the object's own rather than a shape, and in bit 2
 * whether the object added its attributes in an order of its own. Shapes
 * and tables come from g_malloc(), aligned to at least 8 bytes. */
#define FLYWEIGHT_ATTR_STORE_TABLE        ((guintptr) 2)
#define FLYWEIGHT_ATTR_STORE_ORDERED      ((guintptr) 4)
#define FLYWEIGHT_ATTR_STORE_POINTER_MASK (~(guintptr) 7)

#define FLYWEIGHT_ATTR_STORE_INLINE_SIZE  8

/* What an object on @shape keeps in its block, or 0 if its values are
 * inline: its values, and its order after them if it has one of its own. */
static inline guint
flyweight_attr_store_block_bytes (FlyweightShape *shape,
                                  gboolean        ordered)
{
  if (ordered)
    return shape->size + shape->n_entries;

  return shape->size > FLYWEIGHT_ATTR_STORE_INLINE_SIZE ? shape->size : 0;
}

/* Where the values of an object on @shape sit, in shape mode. */
static inline guint8 *
flyweight_attr_store_values_of (FlyweightAttrStore *store,
                                FlyweightShape     *shape,
                                guintptr            word)
{
  gboolean ordered = (word & FLYWEIGHT_ATTR_STORE_ORDERED) != 0;

  return flyweight_attr_store_block_bytes (shape, ordered) > 0 ? store->data.block : store->data.bytes;
}

/* Slots are read and written whole, as 32 or 64-bit numbers: a slot
 * copied byte by byte through memory would be read back wider than it was
 * written, which processors make slow. */
static inline FlyweightSlot
flyweight_attr_store_slot_load (const guint8              *values,
                                const FlyweightShapeEntry *entry)
{
  FlyweightSlot slot;

  if (entry->kind == FLYWEIGHT_SLOT_U32)
    {
      guint32 bits;

      memcpy (&bits, values + entry->offset, sizeof bits);
      slot.u64 = 0;
      slot.u32 = bits;
    }
  else
    {
      memcpy (&slot.u64, values + entry->offset, sizeof slot.u64);
    }

  return slot;
}

static inline void
flyweight_attr_store_slot_store (guint8                    *values,
                                 const FlyweightShapeEntry *entry,
                                 FlyweightSlot              slot)
{
  if (entry->kind == FLYWEIGHT_SLOT_U32)
    memcpy (values + entry->offset, &slot.u32, sizeof slot.u32);
  else
    memcpy (values + entry->offset, &slot.u64, sizeof slot.u64);
}

/* The fast paths of the public attribute calls, inline in them, so that
 * the commonest call on a machine that shares its shape costs no call of
 * its own: reading an attribute into an empty value or into the value it
 * was read into before, and setting a number or the string or object the
 * attribute holds already. Each takes the lock once and returns FALSE,
 * having changed nothing, for anything else: the caller then goes on to
 * flyweight_attr_store_read() or flyweight_attr_store_replace(), which
 * decide every case. */

/* Whether the store is in table mode, from a glance at its word, unlocked:
 * only to choose a path, so that a machine with a table of its own goes
 * to the full one at once, without taking the lock twice. */
static inline gboolean
flyweight_attr_store_has_table (FlyweightAttrStore *store)
{
  return (__atomic_load_n ((guintptr *) &store->word, __ATOMIC_RELAXED) & FLYWEIGHT_ATTR_STORE_TABLE) != 0;
}

/* The entry of @name in the shape the locked @word points to, if the
 * store is in shape mode. */
static inline const FlyweightShapeEntry *
flyweight_attr_store_find_in_shape (guintptr    word,
                                    const char *name)
{
  if (word & FLYWEIGHT_ATTR_STORE_TABLE)
    return NULL;

  return flyweight_shape_find ((FlyweightShape *) (word & FLYWEIGHT_ATTR_STORE_POINTER_MASK), name);
}

/* The start of both fast paths: FALSE at once for a store with a table of
 * its own, which the full paths serve; else the store locked, its word in
 * @word and the entry of @name, if its shape has one, in @entry. */
static inline gboolean
flyweight_attr_store_lock_in_shape (FlyweightAttrStore         *store,
                                    const char                 *name,
                                    guintptr                   *word,
                                    const FlyweightShapeEntry **entry)
{
  if (flyweight_attr_store_has_table (store))
    return FALSE;

  *word = flyweight_word_lock (&store->word);
  *entry = flyweight_attr_store_find_in_shape (*word, name);

  return TRUE;
}

static inline gboolean
flyweight_attr_store_read_fast (FlyweightAttrStore *store,
                                const char         *name,
                                GValue             *value)
{
  GType held_type = G_VALUE_TYPE (value);
  const FlyweightShapeEntry *entry;
  gboolean done = FALSE;
  guintptr word;

  if (!flyweight_attr_store_lock_in_shape (store, name, &word, &entry))
    return FALSE;

  /* A string or a number: what copying runs is our code only. */
  if (entry != NULL && (held_type == G_TYPE_INVALID || held_type == entry->type) &&
      entry->kind <= FLYWEIGHT_SLOT_STRING)
    {
      FlyweightShape *shape = (FlyweightShape *) (word & FLYWEIGHT_ATTR_STORE_POINTER_MASK);
      FlyweightSlot slot = flyweight_attr_store_slot_load (flyweight_attr_store_values_of (store, shape, word), entry);

      /* A number of the commonest types, without a call; read again, the
       * string @value holds already. */
      if (entry->plain)
        {
          if (held_type == G_TYPE_INVALID)
            {
              /* As g_value_init() sets it up. */
              memset (value->data, 0, sizeof value->data);
              value->g_type = entry->type;
            }
          flyweight_slot_to_plain_number (slot, entry->kind, value);
        }
      else if (held_type == G_TYPE_INVALID)
        {
          flyweight_slot_decode (slot, entry->kind, entry->type, value);
        }
      else if (entry->kind != FLYWEIGHT_SLOT_STRING || !flyweight_slot_holds (slot, entry->kind, value))
        {
          flyweight_slot_decode_into (slot, entry->kind, value);
        }
      done = TRUE;
    }

  flyweight_word_unlock (&store->word, word);

  return done;
}

static inline gboolean
flyweight_attr_store_replace_fast (FlyweightAttrStore *store,
                                   const char         *name,
                                   const GValue       *value)
{
  FlyweightSlotKind changed_kind = FLYWEIGHT_SLOT_VALUE;
  const FlyweightShapeEntry *entry;
  gboolean done = FALSE;
  guintptr word;

  if (!flyweight_attr_store_lock_in_shape (store, name, &word, &entry))
    return FALSE;

  if (entry != NULL && entry->type == G_VALUE_TYPE (value))
    {
      FlyweightShape *shape = (FlyweightShape *) (word & FLYWEIGHT_ATTR_STORE_POINTER_MASK);
      guint8 *values = flyweight_attr_store_values_of (store, shape, word);

      /* Setting the string or object it holds changes nothing, and
       * another one is interned or referenced unlocked; a number owns
       * nothing, and is written in place. */
      if (entry->kind == FLYWEIGHT_SLOT_STRING || entry->kind == FLYWEIGHT_SLOT_OBJECT)
        {
          done = flyweight_slot_holds (flyweight_attr_store_slot_load (values, entry), entry->kind, value);
          if (!done)
            changed_kind = entry->kind;
        }
      else if (entry->plain)
        {
          flyweight_attr_store_slot_store (values, entry, flyweight_slot_from_plain_number (value, entry->kind));
          done = TRUE;
        }
    }

  flyweight_word_unlock (&store->word, word);

  if (changed_kind != FLYWEIGHT_SLOT_VALUE)
    return flyweight_attr_store_replace_changed (store, name, changed_kind, value);

  return done;
}

G_END_DECLS
