/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-word-lock-private.h"

/* Threads waiting for a lock sleep on one of these, chosen by the address
 * of the word, so that any number of words need no memory of their own. */
#define N_BUCKETS    64
#define SPINS        64
#define YIELDS       16
#define NAP_USEC     1000

typedef struct
{
  GMutex mutex;
  GCond  cond;
  gint   n_sleeping;   /* atomic: a release only signals when someone sleeps */
} Bucket;

typedef union
{
  Bucket bucket;
  guint8 padding[64];
} PaddedBucket;

static PaddedBucket buckets[N_BUCKETS];

/* How many threads sleep on any bucket: what a release checks. */
gint flyweight_word_lock_sleepers;

static Bucket *
bucket_for (gpointer *word)
{
  guint64 address = (guintptr) word;

  return &buckets[(address * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> (64 - 6)].bucket;
}

static inline void
relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#elif defined(__aarch64__)
  __asm__ __volatile__ ("yield");
#endif
}

/* Sleeps until the word may have changed from @seen, or for a nap. */
static void
sleep_on (gpointer *word,
          guintptr  seen)
{
  Bucket *bucket = bucket_for (word);

  g_mutex_lock (&bucket->mutex);
  __atomic_fetch_add (&flyweight_word_lock_sleepers, 1, __ATOMIC_SEQ_CST);
  __atomic_fetch_add (&bucket->n_sleeping, 1, __ATOMIC_SEQ_CST);

  /* A release after this check takes the mutex to signal, which it can
   * only do once we wait, so the signal is not lost... unless the release
   * read no sleeper before we counted ourselves: hence the nap. */
  if (__atomic_load_n ((guintptr *) word, __ATOMIC_SEQ_CST) == seen)
    g_cond_wait_until (&bucket->cond, &bucket->mutex, g_get_monotonic_time () + NAP_USEC);

  __atomic_fetch_sub (&bucket->n_sleeping, 1, __ATOMIC_RELAXED);
  __atomic_fetch_sub (&flyweight_word_lock_sleepers, 1, __ATOMIC_RELAXED);
  g_mutex_unlock (&bucket->mutex);
}

guintptr
flyweight_word_lock_slow (gpointer *word)
{
  for (guint attempt = 0; ; attempt++)
    {
      guintptr current = __atomic_load_n ((guintptr *) word, __ATOMIC_RELAXED);

      if (!(current & FLYWEIGHT_WORD_LOCKED))
        {
          if (__atomic_compare_exchange_n ((guintptr *) word, &current, current | FLYWEIGHT_WORD_LOCKED,
                                           FALSE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return current | FLYWEIGHT_WORD_LOCKED;
          continue;
        }

      /* The holder is most likely running and about to release. */
      if (attempt < SPINS)
        relax ();
      else if (attempt < SPINS + YIELDS)
        g_thread_yield ();
      else
        sleep_on (word, current);
    }
}

void
flyweight_word_lock_wake (gpointer *word)
{
  Bucket *bucket = bucket_for (word);

  if (__atomic_load_n (&bucket->n_sleeping, __ATOMIC_RELAXED) == 0)
    return;

  g_mutex_lock (&bucket->mutex);
  g_cond_broadcast (&bucket->cond);
  g_mutex_unlock (&bucket->mutex);
}
