/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-intern-private.h"
#include "flyweight-tsan-private.h"

typedef struct
{
  gint    ref_count;
  guint32 hash;
  char    string[];
} Interned;

/* The table is split in shards, each with its own lock, so that threads
 * interning different strings rarely wait for each other. */
#define SHARD_BITS 6
#define N_SHARDS   (1 << SHARD_BITS)

typedef struct
{
  GMutex     lock;        /* guards the set, and every count that reaches or leaves zero */
  guint      mask;        /* capacity - 1, a power of two */
  guint      n_strings;
  Interned **slots;
} Shard;

/* One shard a cache line, so that two locks never share one. */
typedef union
{
  Shard  shard;
  guint8 padding[64];
} PaddedShard;

static PaddedShard shards[N_SHARDS];
static guint64 hash_key[2];

static Interned *
interned_of (const char *string)
{
  /* The string sits right after the header, inside a g_malloc() block. */
  return (Interned *) (gpointer) (string - G_STRUCT_OFFSET (Interned, string));
}

/* ---- SipHash-1-3 (Aumasson and Bernstein), keyed once per process ---- */

#define ROTATE(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIP_ROUND(v0, v1, v2, v3) \
  G_STMT_START {                  \
    v0 += v1; v1 = ROTATE (v1, 13); v1 ^= v0; v0 = ROTATE (v0, 32); \
    v2 += v3; v3 = ROTATE (v3, 16); v3 ^= v2;                         \
    v0 += v3; v3 = ROTATE (v3, 21); v3 ^= v0;                         \
    v2 += v1; v1 = ROTATE (v1, 17); v1 ^= v2; v2 = ROTATE (v2, 32);   \
  } G_STMT_END

static void
init_hash_key (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* GLib seeds its global generator from /dev/urandom. */
      for (guint i = 0; i < 2; i++)
        hash_key[i] = ((guint64) g_random_int () << 32) | g_random_int ();
      flyweight_tsan_release (&initialized);
      g_once_init_leave (&initialized, 1);
    }
  flyweight_tsan_acquire (&initialized);
}

static guint64
siphash13 (const guint8 *data,
           gsize         length)
{
  guint64 v0 = hash_key[0] ^ G_GUINT64_CONSTANT (0x736f6d6570736575);
  guint64 v1 = hash_key[1] ^ G_GUINT64_CONSTANT (0x646f72616e646f6d);
  guint64 v2 = hash_key[0] ^ G_GUINT64_CONSTANT (0x6c7967656e657261);
  guint64 v3 = hash_key[1] ^ G_GUINT64_CONSTANT (0x7465646279746573);
  guint64 last = (guint64) length << 56;
  gsize whole = length & ~(gsize) 7;
  guint64 word;

  for (gsize i = 0; i < whole; i += 8)
    {
      memcpy (&word, data + i, 8);
      word = GUINT64_FROM_LE (word);
      v3 ^= word;
      SIP_ROUND (v0, v1, v2, v3);
      v0 ^= word;
    }

  for (gsize i = whole; i < length; i++)
    last |= (guint64) data[i] << (8 * (i - whole));

  v3 ^= last;
  SIP_ROUND (v0, v1, v2, v3);
  v0 ^= last;

  v2 ^= 0xff;
  SIP_ROUND (v0, v1, v2, v3);
  SIP_ROUND (v0, v1, v2, v3);
  SIP_ROUND (v0, v1, v2, v3);

  return v0 ^ v1 ^ v2 ^ v3;
}

guint32
flyweight_intern_hash (const char *string)
{
  init_hash_key ();

  return (guint32) siphash13 ((const guint8 *) string, strlen (string));
}

/* ---- the table: one open-addressing set of strings per shard ---- */

static Shard *
lock_shard (guint32 hash)
{
  /* The top bits pick the shard, the low ones the slot in it. */
  Shard *shard = &shards[hash >> (32 - SHARD_BITS)].shard;

  g_mutex_lock (&shard->lock);
  flyweight_tsan_acquire (&shard->lock);

  return shard;
}

static void
unlock_shard (Shard *shard)
{
  flyweight_tsan_release (&shard->lock);
  g_mutex_unlock (&shard->lock);
}

static Interned *
shard_lookup (Shard      *shard,
              const char *string,
              guint32     hash)
{
  if (shard->slots == NULL)
    return NULL;

  for (guint i = hash & shard->mask; shard->slots[i] != NULL; i = (i + 1) & shard->mask)
    if (shard->slots[i]->hash == hash && strcmp (shard->slots[i]->string, string) == 0)
      return shard->slots[i];

  return NULL;
}

static void
shard_resize (Shard *shard,
              guint  capacity)
{
  Interned **old = shard->slots;
  guint old_capacity = old != NULL ? shard->mask + 1 : 0;

  shard->slots = g_new0 (Interned *, capacity);
  shard->mask = capacity - 1;

  for (guint i = 0; i < old_capacity; i++)
    if (old[i] != NULL)
      {
        guint j = old[i]->hash & shard->mask;

        while (shard->slots[j] != NULL)
          j = (j + 1) & shard->mask;
        shard->slots[j] = old[i];
      }

  g_free (old);
}

static void
shard_add (Shard    *shard,
           Interned *interned)
{
  guint i;

  /* At most three quarters full, so that probes stay short. */
  if (shard->slots == NULL)
    shard_resize (shard, 8);
  else if ((shard->n_strings + 1) * 4 > (shard->mask + 1) * 3)
    shard_resize (shard, (shard->mask + 1) * 2);

  for (i = interned->hash & shard->mask; shard->slots[i] != NULL; i = (i + 1) & shard->mask)
    ;
  shard->slots[i] = interned;
  shard->n_strings++;
}

static void
shard_remove (Shard    *shard,
              Interned *interned)
{
  guint hole = interned->hash & shard->mask;

  while (shard->slots[hole] != interned)
    hole = (hole + 1) & shard->mask;

  /* Backward-shift deletion: move up every later string of the run whose
   * home slot does not lie between the hole and itself, so that no probe
   * ever stops early. */
  for (guint i = (hole + 1) & shard->mask; shard->slots[i] != NULL; i = (i + 1) & shard->mask)
    {
      guint home = shard->slots[i]->hash & shard->mask;

      if (((i - home) & shard->mask) >= ((i - hole) & shard->mask))
        {
          shard->slots[hole] = shard->slots[i];
          hole = i;
        }
    }
  shard->slots[hole] = NULL;
  shard->n_strings--;

  /* An emptied shard keeps its smallest table: a string that comes and
   * goes, as a value set and replaced over and over, costs no table. */
  if (shard->mask + 1 > 8 && shard->n_strings * 8 < shard->mask + 1)
    {
      shard_resize (shard, (shard->mask + 1) / 2);
    }
}

/* Returns the interned copy of @string, whose hash is @hash, with a new
 * reference. */
const char *
flyweight_intern_acquire_hashed (const char *string,
                                 guint32     hash)
{
  Shard *shard = lock_shard (hash);
  Interned *interned = shard_lookup (shard, string, hash);

  if (interned != NULL)
    {
      /* Under the lock, so the count cannot be dropping to zero now. */
      g_atomic_int_inc (&interned->ref_count);
    }
  else
    {
      gsize length = strlen (string);

      interned = g_malloc (sizeof (Interned) + length + 1);
      interned->ref_count = 1;
      interned->hash = hash;
      memcpy (interned->string, string, length + 1);
      shard_add (shard, interned);
    }

  unlock_shard (shard);

  return interned->string;
}

/* Returns a new reference to the interned copy of @string, whose hash is
 * @hash, if there is one already: whether anybody else uses this string. */
const char *
flyweight_intern_lookup (const char *string,
                         guint32     hash)
{
  Shard *shard = lock_shard (hash);
  Interned *interned = shard_lookup (shard, string, hash);

  if (interned != NULL)
    g_atomic_int_inc (&interned->ref_count);

  unlock_shard (shard);

  return interned != NULL ? interned->string : NULL;
}

const char *
flyweight_intern_acquire (const char *string)
{
  return flyweight_intern_acquire_hashed (string, flyweight_intern_hash (string));
}

/* Another reference to a string the caller holds one on. */
const char *
flyweight_intern_ref (const char *interned)
{
  g_atomic_int_inc (&interned_of (interned)->ref_count);

  return interned;
}

void
flyweight_intern_release (const char *string)
{
  Interned *interned = interned_of (string);
  Shard *shard;
  gint count;

  /* Dropping a reference that is not the last needs no lock. */
  do
    {
      count = g_atomic_int_get (&interned->ref_count);
      if (count == 1)
        break;
    }
  while (!g_atomic_int_compare_and_exchange (&interned->ref_count, count, count - 1));

  if (count > 1)
    return;

  /* Possibly the last: decide under the lock, where nobody can take a new
   * reference behind our back. */
  shard = lock_shard (interned->hash);
  if (g_atomic_int_dec_and_test (&interned->ref_count))
    shard_remove (shard, interned);
  else
    interned = NULL;
  unlock_shard (shard);

  g_free (interned);
}

/* For the tests: how many distinct strings are interned now. */
guint
flyweight_intern_count_live (void)
{
  guint count = 0;

  for (guint i = 0; i < N_SHARDS; i++)
    {
      Shard *shard = &shards[i].shard;

      g_mutex_lock (&shard->lock);
      flyweight_tsan_acquire (&shard->lock);
      count += shard->n_strings;
      flyweight_tsan_release (&shard->lock);
      g_mutex_unlock (&shard->lock);
    }

  return count;
}
