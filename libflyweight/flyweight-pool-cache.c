/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-pool-cache-private.h"
#include "flyweight-tsan-private.h"

#define N_SLOTS (1u << FLYWEIGHT_POOL_CACHE_BITS)

/* Misses in a row that make a slot change its key. */
#define STREAK 3

void
flyweight_pool_cache_init (FlyweightPoolCache *cache,
                           gsize               key_size)
{
  g_assert (key_size % 8 == 0);

  cache->n_words = key_size / 8;
  cache->slot_size = sizeof (FlyweightPoolCacheSlot) + key_size;
  cache->slots = g_malloc0 (N_SLOTS * cache->slot_size);
  g_mutex_init (&cache->change_lock);

  for (guint i = 0; i < N_SLOTS; i++)
    {
      FlyweightPoolCacheSlot *slot = (gpointer) (cache->slots + i * cache->slot_size);

      g_weak_ref_init (&slot->weak, NULL);
    }
}

/* Once no lookup or offer can run any more. */
void
flyweight_pool_cache_clear (FlyweightPoolCache *cache)
{
  for (guint i = 0; i < N_SLOTS; i++)
    {
      FlyweightPoolCacheSlot *slot = (gpointer) (cache->slots + i * cache->slot_size);

      g_weak_ref_clear (&slot->weak);
    }

  g_clear_pointer (&cache->slots, g_free);
  g_mutex_clear (&cache->change_lock);
}

/* Tells the cache that a lookup of @key missed it and found @object, the
 * live object of @key, through @source, its entry's weak reference; the
 * caller holds a reference on @object and keeps @source alive. Call it
 * without any lock: it may take GLib's weak-reference lock.
 *
 * The slot's weak reference is set to @object, then @source is read
 * again, and the slot opens only if it still gives @object: had GLib
 * cleared the object's weak references before the slot's was added (the
 * object was disposed by g_object_run_dispose(), with a holder left), the
 * entry's would be empty now; after it, GLib cleared the slot's too. */
void
flyweight_pool_cache_offer (FlyweightPoolCache *cache,
                            const guint8       *key,
                            GObject            *object,
                            GWeakRef           *source)
{
  guint64 mix = flyweight_pool_cache_mix (cache, key);
  FlyweightPoolCacheSlot *slot = flyweight_pool_cache_slot (cache, mix);
  guint mark = (guint) (mix ^ (mix >> 32));
  GObject *again;
  guint streak;
  guint seq;

  /* Hints only: a lost update costs a miss or a change, nothing else. */
  if (__atomic_load_n (&slot->candidate, __ATOMIC_RELAXED) != mark)
    {
      __atomic_store_n (&slot->candidate, mark, __ATOMIC_RELAXED);
      __atomic_store_n (&slot->streak, 1, __ATOMIC_RELAXED);
      return;
    }
  streak = __atomic_load_n (&slot->streak, __ATOMIC_RELAXED) + 1;
  __atomic_store_n (&slot->streak, streak, __ATOMIC_RELAXED);
  if (streak < STREAK)
    return;

  if (!g_mutex_trylock (&cache->change_lock))
    return;
  flyweight_tsan_acquire (&cache->change_lock);

  __atomic_store_n (&slot->streak, 0, __ATOMIC_RELAXED);
  /* Odd already if the slot is closed. */
  seq = __atomic_load_n (&slot->seq, __ATOMIC_RELAXED) | 1;
  __atomic_store_n (&slot->seq, seq, __ATOMIC_RELAXED);
  /* The odd count comes before anything else that changes. */
  __atomic_thread_fence (__ATOMIC_RELEASE);

  for (gsize i = 0; i < cache->n_words; i++)
    {
      guint64 word;

      memcpy (&word, key + i * 8, sizeof word);
      __atomic_store_n (&slot->key[i], word, __ATOMIC_RELAXED);
    }

  g_weak_ref_set (&slot->weak, object);
  again = g_weak_ref_get (source);
  if (again != object)
    g_weak_ref_set (&slot->weak, NULL);

  __atomic_store_n (&slot->seq, seq + 1, __ATOMIC_RELEASE);

  flyweight_tsan_release (&cache->change_lock);
  g_mutex_unlock (&cache->change_lock);

  /* Never the last reference: the caller holds one. */
  g_clear_object (&again);
}

static gboolean
slot_holds (const FlyweightPoolCache     *cache,
            const FlyweightPoolCacheSlot *slot,
            const guint8                 *key)
{
  for (gsize i = 0; i < cache->n_words; i++)
    {
      guint64 word;

      memcpy (&word, key + i * 8, sizeof word);
      if (__atomic_load_n (&slot->key[i], __ATOMIC_RELAXED) != word)
        return FALSE;
    }

  return TRUE;
}

/* Restarts the streak of @key, and closes the slot of @key if it holds
 * @key, whose object is being finalized: its weak reference is empty, and lookups would only learn
 * that through GLib's weak-reference lock, which every thread's weak
 * references share before GLib 2.80. A closed slot is odd, as if it were
 * changing, and opens again with the next object offered for it. Only
 * tried: a slot that is changing is left alone. */
void
flyweight_pool_cache_forget (FlyweightPoolCache *cache,
                             const guint8       *key)
{
  guint64 mix = flyweight_pool_cache_mix (cache, key);
  FlyweightPoolCacheSlot *slot = flyweight_pool_cache_slot (cache, mix);
  guint seq = __atomic_load_n (&slot->seq, __ATOMIC_RELAXED);

  /* A key whose objects keep dying is not one to keep here. */
  if (__atomic_load_n (&slot->candidate, __ATOMIC_RELAXED) == (guint) (mix ^ (mix >> 32)))
    __atomic_store_n (&slot->streak, 0, __ATOMIC_RELAXED);

  if ((seq & 1) || !slot_holds (cache, slot, key))
    return;

  if (!g_mutex_trylock (&cache->change_lock))
    return;
  flyweight_tsan_acquire (&cache->change_lock);

  seq = __atomic_load_n (&slot->seq, __ATOMIC_RELAXED);
  if (!(seq & 1) && slot_holds (cache, slot, key))
    __atomic_store_n (&slot->seq, seq + 1, __ATOMIC_RELAXED);

  flyweight_tsan_release (&cache->change_lock);
  g_mutex_unlock (&cache->change_lock);
}
