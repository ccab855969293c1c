/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Where a pool of plain keys (numbers only, whole words) finds its hot
 * objects without its shard lock: a few slots, chosen by the key, each
 * with a key and its own GWeakRef on that key's object.
 *
 * A hit of the pool is then what a GWeakRef costs and no more: no lock,
 * no reference on an entry. What keeps it exact is that a slot's weak
 * reference is a weak reference to the same object as its entry's, and
 * GLib clears every weak reference of an object at once, before its
 * dispose(): a slot never hands out an object that its entry would not.
 *
 * A slot changes under a sequence count, odd while it changes, and while
 * it is closed because its object is being finalized: a lookup
 * reads the count, compares the key, takes its reference with
 * g_weak_ref_get(), then reads the count again, and gives the reference
 * back if the slot changed meanwhile. Keys are read and written with
 * atomic word accesses, so a lookup that races with a change reads
 * stale words, never torn ones it would trust.
 *
 * A slot only takes a key that its lookups missed three times in a row,
 * so that keys that share a slot do not keep replacing each other (each
 * change costs a g_weak_ref_set()). */

#define FLYWEIGHT_POOL_CACHE_BITS 6

typedef struct
{
  guint    seq;          /* atomic: odd while the slot changes or is closed */
  guint    candidate;    /* atomic hint: the key that missed here last */
  guint    streak;       /* atomic hint: how many times in a row */
  GWeakRef weak;
  guint64  key[];        /* atomic words */
} FlyweightPoolCacheSlot;

typedef struct
{
  gsize   n_words;       /* of a key */
  gsize   slot_size;
  guint8 *slots;
  GMutex  change_lock;   /* one change at a time; only ever tried */
} FlyweightPoolCache;

G_GNUC_INTERNAL void flyweight_pool_cache_init   (FlyweightPoolCache *cache,
                                                  gsize               key_size);
G_GNUC_INTERNAL void flyweight_pool_cache_clear  (FlyweightPoolCache *cache);
G_GNUC_INTERNAL void flyweight_pool_cache_offer  (FlyweightPoolCache *cache,
                                                  const guint8       *key,
                                                  GObject            *object,
                                                  GWeakRef           *source);
G_GNUC_INTERNAL void flyweight_pool_cache_forget (FlyweightPoolCache *cache,
                                                  const guint8       *key);

/* One multiplication a word: the slot is the top bits, the candidate
 * mark all of them. Not the pool's hash, which a hit then never needs. */
static inline guint64
flyweight_pool_cache_mix (const FlyweightPoolCache *cache,
                          const guint8             *key)
{
  guint64 h = 0;

  for (gsize i = 0; i < cache->n_words; i++)
    {
      guint64 word;

      memcpy (&word, key + i * 8, sizeof word);
      h = (h ^ word) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
    }

  return h;
}

static inline FlyweightPoolCacheSlot *
flyweight_pool_cache_slot (const FlyweightPoolCache *cache,
                           guint64                   mix)
{
  gsize index = (gsize) (mix >> (64 - FLYWEIGHT_POOL_CACHE_BITS));

  return (FlyweightPoolCacheSlot *) (gpointer) (cache->slots + index * cache->slot_size);
}

/* The live object of @key with a new reference, if its slot has it. */
static inline GObject *
flyweight_pool_cache_lookup (const FlyweightPoolCache *cache,
                             const guint8             *key)
{
  FlyweightPoolCacheSlot *slot = flyweight_pool_cache_slot (cache, flyweight_pool_cache_mix (cache, key));
  guint seq = __atomic_load_n (&slot->seq, __ATOMIC_ACQUIRE);
  GObject *object;

  if (seq & 1)
    return NULL;

  for (gsize i = 0; i < cache->n_words; i++)
    {
      guint64 word;

      memcpy (&word, key + i * 8, sizeof word);
      if (__atomic_load_n (&slot->key[i], __ATOMIC_RELAXED) != word)
        return NULL;
    }

  object = g_weak_ref_get (&slot->weak);
  if (object == NULL)
    return NULL;

  /* Whatever the lookup read comes before the second reading. */
  __atomic_thread_fence (__ATOMIC_ACQUIRE);
  if (G_LIKELY (__atomic_load_n (&slot->seq, __ATOMIC_RELAXED) == seq))
    return object;

  /* The slot changed meanwhile: the object may be another key's. */
  g_object_unref (object);

  return NULL;
}

G_END_DECLS
