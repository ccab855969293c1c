/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "flyweight-counter-private.h"
#include "flyweight-error.h"
#include "flyweight-i18n-private.h"
#include "flyweight-pokies-dynamic.h"
#include "flyweight-pool.h"
#include "flyweight-pool-cache-private.h"
#include "flyweight-pool-key-private.h"
#include "flyweight-pool-table-private.h"
#include "flyweight-tsan-private.h"
#include "flyweight-word-lock-private.h"

/**
 * FlyweightPool:
 *
 * A factory that hands out one shared object per identity: the flyweight
 * pattern proper.
 *
 * A pool makes objects of one type, its [property@Flyweight.Pool:item-type].
 * The identity of an object is the set of values of every construct-only
 * property of that type. Ask for an object with those values and the pool
 * returns the one it already has, or constructs it:
 *
 * ```c
 * g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
 * g_autoptr(GError) error = NULL;
 * g_autoptr(FlyweightPokies) a = flyweight_pool_get (pool, &error, "reels", 3, "symbols", 10, NULL);
 * g_autoptr(FlyweightPokies) b = flyweight_pool_get (pool, &error, "symbols", 10, "reels", 3, NULL);
 *
 * g_assert_true (a == b);   // one machine, two holders
 * ```
 *
 * A property that is not given takes its default, and the default is part
 * of the identity: `reels = 3` alone asks for the 3 × 10 machine.
 *
 * From Python, `pool.get(reels=3, symbols=10)`; from JavaScript,
 * `pool.get_with_properties(['reels', 'symbols'], [3, 10])`.
 *
 * ## Weak, and exact
 *
 * The pool does not keep what it hands out. When the last holder drops an
 * object, the object is finalized as usual and its entry leaves the pool
 * at once: memory comes back. At no time are there two live objects with
 * the same identity, and the pool never hands out an object that another
 * thread is disposing of or finalizing, whatever the threads do.
 *
 * To spare the construction of objects that are dropped and asked for again
 * soon after, a pool can hold on to the last few objects it handed out:
 * see [property@Flyweight.Pool:keep-alive].
 *
 * ## Which types can be pooled
 *
 * Sharing is only safe for objects that cannot change: a change made by one
 * holder would show up in the objects of every other holder. A pool refuses,
 * with %FLYWEIGHT_ERROR_NOT_POOLABLE on every request:
 *
 * - abstract types;
 * - types with a property that can be set after construction;
 * - [class@Flyweight.PokiesDynamic]: its attributes can be set at any time,
 *   so one holder's `owner` would become every holder's `owner`, and would
 *   vanish with the last holder. Keep such per-machine state beside the
 *   shared machine (the pattern's *extrinsic* state), or pool
 *   [class@Flyweight.PokiesSlotted] machines, which never change;
 * - types with a construct-only property whose values a pool cannot
 *   compare: numbers, booleans, enumerations, flags, strings, `GType`s and
 *   objects (compared by identity) are fine; boxed types and pointers are
 *   not.
 *
 * A request that names a property that is not construct-only, or no
 * property at all, fails with %FLYWEIGHT_ERROR_INVALID_KEY; a value of the
 * wrong type or out of range fails with %FLYWEIGHT_ERROR_INVALID_VALUE.
 * (GObject itself would only warn about a value out of range, and
 * construct the object with the default instead.)
 *
 * ## Counters
 *
 * [method@Flyweight.Pool.get_stats] takes a snapshot of the number of live
 * objects, its peak, the hits and misses and the keep-alive; the same
 * counters are readable as properties. They are not notified.
 *
 * ## Threads
 *
 * Every function may be called from any thread. Objects are looked up in
 * one of 64 shards, chosen by their identity, each with its own lock, so
 * that threads asking for different objects seldom wait for each other.
 * In a pool whose identities are all numbers, the objects asked for most
 * are found without any lock: a request for one of them costs little more
 * than g_weak_ref_get().
 *
 * An object whose class resurrects it in `dispose()` leaves the pool, as it
 * leaves every `GWeakRef`: the pool constructs a new one for the next
 * request. So does an object after g_object_run_dispose() on GLib 2.74.
 *
 * Before GLib 2.80, g_weak_ref_get() calls toggle notifications while it
 * holds GLib's global weak-reference lock. PyGObject's notification takes
 * the Python GIL, and a Python thread that drops a wrapper holding a toggle
 * reference (one that carries Python attributes, or of a class defined in
 * Python) waits for that lock with the GIL held: with several Python
 * threads, any `GWeakRef` can deadlock, the pool's lookups included. The
 * machines the keep-alive holds are handed out without their weak
 * reference, so a keep-alive as large as the set of hot machines avoids
 * it; so does GLib 2.80.
 *
 * Since: 1.0
 */

/* How the pool never resurrects a dying object.
 *
 * GObject gives no way to watch a reference count, and g_object_unref()
 * does not take any lock of ours: when it drops the last reference, the
 * object starts dying (dispose, then finalize) while another thread may be
 * looking it up. A lookup that did g_object_ref() on the object it found
 * could revive it in the middle of dispose(), or worse after its count
 * reached zero. A count of 1 means "one holder, alive and well" as much as
 * "the last holder, letting go right now", so no atomic trick on the count
 * alone is safe: "increment unless zero", enough for a plain reference
 * count, still revives an object whose last unref is running dispose().
 * (GLib's interned strings had the plain form of this race until 2.84: a
 * release dropped the count to zero outside the table's lock.)
 *
 * GWeakRef is the one GLib mechanism that is synchronized with the dying
 * path: g_object_unref(), about to drop the last reference of an object
 * that has weak locations, takes GLib's weak-location lock, checks again
 * that the count is 1, and clears every GWeakRef before dispose() runs;
 * g_weak_ref_get() takes its reference under the same lock (2.74: one
 * global GRWLock; 2.84: a lock per object). So g_weak_ref_get() either
 * returns the object before its death began, and the reference it takes
 * cancels the death, or returns NULL. Every entry therefore holds a
 * GWeakRef, and a lookup takes its reference through it. NULL means
 * "dying": the lookup constructs a new object and replaces the entry.
 *
 * The entry itself is freed when the object is finalized, from the qdata
 * destroy notification that g_object_finalize() runs (the count is zero
 * by then, and nobody can reach the object through the weak reference).
 * Until then the entry stays in its shard's table, where a lookup sees its
 * cleared weak reference and treats it as gone.
 *
 * No code of anybody else runs while a shard lock is held. (GObject calls
 * a toggle notification when a count of 1 that is a toggle reference goes
 * to 2; a reference taken under the lock is taken while the count includes
 * a plain one, ours or the keep-alive's, so it never does.) That matters:
 * g_weak_ref_get() may call a toggle notification (PyGObject's takes the
 * Python GIL), and the thread holding the GIL may be finalizing another
 * pooled object, whose destroy notification waits for the shard lock. So a
 * lookup pins the entry under the lock (an atomic reference on the entry,
 * beside the one its object holds until its finalization), calls
 * g_weak_ref_get() outside it, and unpins without the lock when it got the
 * object (the object's reference on the entry stays, so that is never the
 * last), or under the lock when it did not. The finalization unlinks the
 * entry and drops the object's reference under the lock, so an entry that
 * a lookup finds in the table is never freed under it; whoever drops the
 * last reference, always under the lock and after the finalization, gives
 * the entry's slot back to its page (a key that holds strings or objects is
 * released first, without the lock). Constructors, finalizers and
 * unreferences all run outside every pool lock.
 *
 * The keep-alive makes hits cheaper: while the keep-alive holds a reference
 * on an object, nothing can start its death, so a plain g_object_ref()
 * under the shard lock is safe (and cannot call a toggle notification: a
 * toggle reference would make the count at least 2). An entry is marked
 * kept (its page holds the object, in the entry's slot of its kept array)
 * under the shard lock after the keep-alive took its reference, and
 * unmarked before it drops it.
 *
 * A pool of plain keys (numbers only) hands most hits out without any lock
 * of its own, from its cache (flyweight-pool-cache-private.h): a few slots,
 * each a key and one more GWeakRef on that key's object. GLib clears all
 * the weak references of an object at once, before dispose(), so a slot's
 * gives an object exactly when its entry's would. A slot takes an object
 * only from a lookup that holds a reference on it and still pins its
 * entry, and it reads the entry's weak reference again once the slot's is
 * set: an object whose weak references were cleared in between (by
 * g_object_run_dispose(), with a holder left) never enters. That lookup
 * holds no lock of the pool, so the GIL argument above is unchanged; and
 * while a keep-alive is set the cache is left alone, since kept objects
 * are promised to be handed out without g_weak_ref_get().
 */

#define N_SHARDS   64
#define SHARD_BITS 6

/* Entries live in pages of at most PAGE_SLOTS, so that an entry's id in
 * its shard's table is 4 bytes: its page's number, then its slot. */
#define PAGE_BITS      7
#define PAGE_SLOTS     (1u << PAGE_BITS)
#define PAGE_MIN_SLOTS 4

typedef struct _Core  Core;
typedef struct _Shard Shard;
typedef struct _Page  Page;

/* 16 bytes and the packed key, nothing else: no hash (asked of the key
 * when the table moves an entry), no shard (its page knows it), no kept
 * object (its page holds it). */
typedef struct
{
  gint     refs;        /* atomic: the object's, until it is finalized,
                         * and one per lookup in flight; in a free slot,
                         * the next free slot */
  guint32  offset;      /* from its page's first entry, in bytes */
  GWeakRef weak;        /* the object, for a lookup */
  guint64  key[];       /* the packed key, which the entry owns */
} Entry;

/* A block of entries of one shard, all of its shard's size. The page goes
 * back to malloc when its last entry goes. Under the shard lock, except
 * @shard, which never changes. */
struct _Page
{
  Shard    *shard;
  GObject **kept;       /* per slot, the object the keep-alive holds, or
                         * NULL; NULL itself while no entry here is kept */
  Page     *prev;       /* in the shard's list of pages with a free slot */
  Page     *next;
  guint32   number;     /* in the shard's directory */
  guint16   n_slots;
  guint16   n_used;
  guint16   n_kept;
  guint16   free_slot;  /* the first free slot, or n_slots */
  guint64   entries[];
};

struct _Shard
{
  gpointer        lock;         /* a word lock, nothing else in the word */
  Core           *core;
  FlyweightTable  table;        /* ids of linked entries */
  Page          **pages;        /* by number; NULL where none */
  guint           n_numbers;    /* numbers in use, the last one's page live */
  guint           dir_size;     /* room in pages[] */
  Page           *partial;      /* pages with a free slot */
  guint           n_entries;    /* slots in use */
  guint           n_kept;       /* entries the keep-alive holds */
  gboolean        plain;        /* the core's, here for lookups */
  gsize           key_size;
  gsize           entry_size;
  guint64         hits;
  guint64         misses;
};

/* A shard per cache line pair, so that two threads working in different
 * shards do not share a line (nor its prefetched neighbour). */
typedef union
{
  Shard  shard;
  guint8 padding[128];
} PaddedShard;

G_STATIC_ASSERT (sizeof (Shard) <= 128);

typedef struct
{
  GObject *object;
  Entry   *entry;
} KeptSlot;

/* What the pool object and its live entries share: the entries outlive
 * the pool object if their objects do, and free the core with the last. */
struct _Core
{
  gatomicrefcount     ref_count;
  FlyweightKeySchema *schema;
  gsize               key_size;
  gboolean            plain;         /* numbers only: see flyweight_key_hash_words() */
  gint                size;          /* atomic: linked entries */
  gint                peak;          /* atomic */

  /* Plain keys only: hits without the shard lock, counted apart. */
  FlyweightPoolCache  cache;
  FlyweightCounter    cache_hits;

  GMutex              keep_lock;
  KeptSlot           *kept;          /* a ring, oldest at kept_head */
  guint               keep_alive;    /* the ring's capacity; atomic reads */
  guint               kept_head;
  guint               n_kept;

  PaddedShard        *shards;
};

struct _FlyweightPool
{
  GObject  parent_instance;

  GType    item_type;
  Core    *core;      /* NULL when the type cannot be pooled */
  GError  *refusal;   /* why not */
};

G_DEFINE_FINAL_TYPE (FlyweightPool, flyweight_pool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_KEEP_ALIVE,
  PROP_SIZE,
  PROP_PEAK,
  PROP_HITS,
  PROP_MISSES,
  PROP_KEPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GQuark entry_quark;

/* ------------------------------------------------------------- locking */

/* A word lock rather than a GMutex: its release is a plain store where
 * g_mutex_unlock() is a second atomic read-modify-write, and every kept
 * hit, slow hit and miss takes a shard lock. */
static inline void
shard_lock (Shard *shard)
{
  flyweight_word_lock (&shard->lock);
}

static inline void
shard_unlock (Shard *shard)
{
  flyweight_word_unlock (&shard->lock, 0);
}

static void
keep_lock (Core *core)
{
  g_mutex_lock (&core->keep_lock);
  flyweight_tsan_acquire (&core->keep_lock);
}

static void
keep_unlock (Core *core)
{
  flyweight_tsan_release (&core->keep_lock);
  g_mutex_unlock (&core->keep_lock);
}

/* ---------------------------------------------------------------- core */

static Core *
core_new (FlyweightKeySchema *schema)
{
  Core *core = g_new0 (Core, 1);
  gsize key_size = flyweight_key_schema_get_key_size (schema);

  g_atomic_ref_count_init (&core->ref_count);
  core->schema = schema;
  core->key_size = key_size;
  core->plain = flyweight_key_schema_is_plain (schema);
  if (core->plain)
    flyweight_pool_cache_init (&core->cache, key_size);
  g_mutex_init (&core->keep_lock);
  core->shards = g_aligned_alloc0 (N_SHARDS, sizeof (PaddedShard), 64);

  for (guint i = 0; i < N_SHARDS; i++)
    {
      Shard *shard = &core->shards[i].shard;

      shard->lock = NULL;
      shard->core = core;
      flyweight_table_init (&shard->table);
      shard->plain = core->plain;
      shard->key_size = key_size;
      shard->entry_size = sizeof (Entry) + (key_size + 7) / 8 * 8;
    }

  return core;
}

static Core *
core_ref (Core *core)
{
  g_atomic_ref_count_inc (&core->ref_count);
  return core;
}

static void
core_unref (Core *core)
{
  if (!g_atomic_ref_count_dec (&core->ref_count))
    return;

  for (guint i = 0; i < N_SHARDS; i++)
    {
      Shard *shard = &core->shards[i].shard;

      g_assert (shard->table.n_items == 0);
      g_assert (shard->n_entries == 0 && shard->n_numbers == 0);
      flyweight_table_clear (&shard->table);
      g_free (shard->pages);
    }

  g_assert (core->n_kept == 0);
  if (core->plain)
    flyweight_pool_cache_clear (&core->cache);
  flyweight_counter_clear (&core->cache_hits);
  g_free (core->kept);
  g_mutex_clear (&core->keep_lock);
  g_aligned_free (core->shards);
  flyweight_key_schema_free (core->schema);
  g_free (core);
}

static Shard *
shard_for (Core  *core,
           guint  hash)
{
  /* The top bits: the table inside the shard uses the bottom ones. */
  return &core->shards[hash >> (32 - SHARD_BITS)].shard;
}

/* --------------------------------------------------------------- pages */

/* Under AddressSanitizer, a free slot is poisoned past its link to the
 * next free slot, so that an entry read after it was given back is
 * reported, as a block of its own would be. */
#if defined(__SANITIZE_ADDRESS__)
# define FLYWEIGHT_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define FLYWEIGHT_ASAN 1
# endif
#endif

#ifdef FLYWEIGHT_ASAN
void __asan_poison_memory_region (void const volatile *addr, size_t size);
void __asan_unpoison_memory_region (void const volatile *addr, size_t size);
# define poison_slot(entry, size) \
  __asan_poison_memory_region (&(entry)->weak, (size) - G_STRUCT_OFFSET (Entry, weak))
# define unpoison_slot(entry, size) \
  __asan_unpoison_memory_region (&(entry)->weak, (size) - G_STRUCT_OFFSET (Entry, weak))
#else
# define poison_slot(entry, size) ((void) 0)
# define unpoison_slot(entry, size) ((void) 0)
#endif

static inline Entry *
page_entry (const Page *page,
            guint       slot,
            gsize       entry_size)
{
  return (Entry *) (gpointer) ((guint8 *) page->entries + slot * entry_size);
}

/* The page an entry lives in: no lock needed, a page stays while it holds
 * the entry. */
static inline Page *
page_of (const Entry *entry)
{
  return (Page *) (gpointer) ((guint8 *) entry - entry->offset - G_STRUCT_OFFSET (Page, entries));
}

static inline guint
slot_of (const Shard *shard,
         const Entry *entry)
{
  return entry->offset / shard->entry_size;
}

static inline guint32
page_id (const Page *page,
         guint       slot)
{
  return page->number << PAGE_BITS | slot;
}

/* The entry with that id in the table; under the shard lock. */
static inline Entry *
shard_entry (const Shard *shard,
             guint32      id)
{
  return page_entry (shard->pages[id >> PAGE_BITS], id & (PAGE_SLOTS - 1), shard->entry_size);
}

static void
partial_push (Shard *shard,
              Page  *page)
{
  page->prev = NULL;
  page->next = shard->partial;
  if (page->next != NULL)
    page->next->prev = page;
  shard->partial = page;
}

static void
partial_remove (Shard *shard,
                Page  *page)
{
  if (page->prev != NULL)
    page->prev->next = page->next;
  else
    shard->partial = page->next;
  if (page->next != NULL)
    page->next->prev = page->prev;
  page->prev = page->next = NULL;
}

/* A page as large as the shard's entries so far, between PAGE_MIN_SLOTS
 * and PAGE_SLOTS: a pool of a few objects takes a few hundred bytes, a
 * large one pages of a few kilobytes. */
static Page *
page_new (Shard *shard)
{
  guint n_slots = PAGE_MIN_SLOTS;
  guint number;
  Page *page;

  while (n_slots < PAGE_SLOTS && n_slots < shard->n_entries)
    n_slots *= 2;

  for (number = 0; number < shard->n_numbers; number++)
    if (shard->pages[number] == NULL)
      break;

  if (number == shard->n_numbers)
    {
      g_assert (number < (G_MAXUINT32 >> PAGE_BITS));

      if (number == shard->dir_size)
        {
          shard->dir_size = MAX (shard->dir_size * 2, 4);
          shard->pages = g_renew (Page *, shard->pages, shard->dir_size);
        }
      shard->n_numbers++;
    }

  page = g_malloc (G_STRUCT_OFFSET (Page, entries) + n_slots * shard->entry_size);
  page->shard = shard;
  page->kept = NULL;
  page->number = number;
  page->n_slots = n_slots;
  page->n_used = 0;
  page->n_kept = 0;
  page->free_slot = 0;

  for (guint slot = 0; slot < n_slots; slot++)
    {
      Entry *entry = page_entry (page, slot, shard->entry_size);

      entry->refs = slot + 1;
      entry->offset = slot * shard->entry_size;
      poison_slot (entry, shard->entry_size);
    }

  shard->pages[number] = page;
  partial_push (shard, page);

  return page;
}

static void
page_free (Shard *shard,
           Page  *page)
{
  g_assert (page->n_used == 0 && page->kept == NULL);

  partial_remove (shard, page);
  shard->pages[page->number] = NULL;
  while (shard->n_numbers > 0 && shard->pages[shard->n_numbers - 1] == NULL)
    shard->n_numbers--;

  /* The directory stays, for the next page: 8 bytes a page number. */
  g_free (page);
}

/* Takes a free slot for a new entry; under the shard lock. The shard
 * keeps the core alive while it has entries. */
static Entry *
slot_take (Shard   *shard,
           guint32 *id_out)
{
  Page *page = shard->partial != NULL ? shard->partial : page_new (shard);
  guint slot = page->free_slot;
  Entry *entry = page_entry (page, slot, shard->entry_size);

  page->free_slot = (guint16) entry->refs;
  page->n_used++;
  unpoison_slot (entry, shard->entry_size);
  if (page->free_slot == page->n_slots)
    partial_remove (shard, page);

  if (shard->n_entries++ == 0)
    core_ref (shard->core);

  *id_out = page_id (page, slot);

  return entry;
}

/* Gives back the slot of an entry nobody can reach; under the shard lock.
 * Returns whether it was the shard's last entry: the caller then drops
 * the shard's reference on the core, without the lock. */
static gboolean
slot_give_back (Shard *shard,
                Entry *entry)
{
  Page *page = page_of (entry);
  guint slot = slot_of (shard, entry);

  if (page->free_slot == page->n_slots)
    partial_push (shard, page);

  entry->refs = page->free_slot;
  page->free_slot = slot;
  poison_slot (entry, shard->entry_size);
  if (--page->n_used == 0)
    page_free (shard, page);

  return --shard->n_entries == 0;
}

/* -------------------------------------------------------------- entries */

static guint8 *
entry_key (const Entry *entry)
{
  return (guint8 *) entry->key;
}

static inline guint
key_hash (const Core   *core,
          const guint8 *key)
{
  if (core->plain)
    return flyweight_key_hash_words (key, core->key_size);

  return flyweight_key_hash (core->schema, key);
}

/* What a lookup compares the table's candidates with; @entry receives
 * the one that matches, so that it is located once. */
typedef struct
{
  const Shard *shard;
  Page        *page;
  Entry       *entry;
} Probe;

static inline gboolean
entry_matches (guint32       id,
               gconstpointer key,
               gconstpointer data)
{
  Probe *probe = (Probe *) data;
  const Shard *shard = probe->shard;
  Page *page = shard->pages[id >> PAGE_BITS];
  Entry *entry = page_entry (page, id & (PAGE_SLOTS - 1), shard->entry_size);

  probe->page = page;
  probe->entry = entry;
  if (shard->plain)
    return flyweight_key_equal_words (entry_key (entry), key, shard->key_size);

  return flyweight_key_equal (shard->core->schema, entry_key (entry), key);
}

/* The table asks again for the hash of an entry it moves. */
static guint
entry_hash_cb (guint32       id,
               gconstpointer data)
{
  const Shard *shard = data;

  return key_hash (shard->core, entry_key (shard_entry (shard, id)));
}

/* A new entry for @object, not in the table yet; without any lock. */
static Entry *
entry_new (Shard        *shard,
           GObject      *object,
           const guint8 *key,
           guint32      *id_out)
{
  Entry *entry;

  shard_lock (shard);
  entry = slot_take (shard, id_out);
  shard_unlock (shard);

  entry->refs = 1;
  g_weak_ref_init (&entry->weak, object);
  flyweight_key_copy (shard->core->schema, key, entry_key (entry));

  return entry;
}

/* Frees an entry nobody can reach any more. Its weak reference is cleared
 * unless the object is @finalized: GLib cleared it then, before dispose(),
 * and it holds nothing. May unreference the objects of its key, so never
 * under a lock. */
static void
entry_free (Entry    *entry,
            gboolean  finalized)
{
  Shard *shard = page_of (entry)->shard;
  Core *core = shard->core;
  gboolean last;

  if (!finalized)
    g_weak_ref_clear (&entry->weak);
  flyweight_key_clear (core->schema, entry_key (entry));

  shard_lock (shard);
  last = slot_give_back (shard, entry);
  shard_unlock (shard);

  /* Nothing of the shard may be touched after its last entry goes. */
  if (last)
    core_unref (core);
}

/* What is left to do once the shard lock is let go. */
typedef enum
{
  LEFT_NOTHING,
  LEFT_ENTRY,   /* entry_free (entry, TRUE) */
  LEFT_CORE,    /* the shard's last entry went: core_unref () */
} Left;

/* Drops a reference on an entry that is out of the table; under the shard
 * lock. The last one is dropped after the object's finalization (the
 * object holds one until then), so the weak reference holds nothing; a
 * plain key holds numbers only, and such an entry's slot is given back at
 * once. Any other key may hold strings and objects: LEFT_ENTRY. */
static Left
entry_unref_locked (Shard *shard,
                    Entry *entry)
{
  if (!g_atomic_int_dec_and_test (&entry->refs))
    return LEFT_NOTHING;

  if (!shard->plain)
    return LEFT_ENTRY;

  return slot_give_back (shard, entry) ? LEFT_CORE : LEFT_NOTHING;
}

static void
finish (Core  *core,
        Entry *entry,
        Left   left)
{
  if (left == LEFT_ENTRY)
    entry_free (entry, TRUE);
  else if (left == LEFT_CORE)
    core_unref (core);
}

/* Takes the entry @id, whose key hashes to @hash, out of the table, if it
 * is there: from now on no lookup finds it. Under the shard lock. */
static void
entry_unlink (Shard   *shard,
              guint32  id,
              guint    hash)
{
  if (flyweight_table_remove (&shard->table, id, hash, entry_hash_cb, shard))
    g_atomic_int_add (&shard->core->size, -1);
}

/* The object's qdata destroy notification, from g_object_finalize(): its
 * reference count is zero, its weak references are cleared. */
static void
entry_object_finalized_cb (gpointer data)
{
  Entry *entry = data;
  Page *page;
  Shard *shard;
  Core *core;
  guint slot;
  Left left;

  /* Pairs with the release before g_object_replace_qdata(). */
  flyweight_tsan_acquire (entry);
  page = page_of (entry);
  shard = page->shard;
  core = shard->core;
  slot = slot_of (shard, entry);

  /* While the object's reference on the entry keeps its key. */
  if (core->plain)
    flyweight_pool_cache_forget (&core->cache, entry_key (entry));

  shard_lock (shard);
  g_assert (page->kept == NULL || page->kept[slot] == NULL);
  entry_unlink (shard, page_id (page, slot), key_hash (core, entry_key (entry)));
  /* A lookup still in flight frees it when it is done. */
  left = entry_unref_locked (shard, entry);
  shard_unlock (shard);

  finish (core, entry, left);
}

static void
count_publication (Core *core)
{
  gint size = g_atomic_int_add (&core->size, 1) + 1;
  gint peak = g_atomic_int_get (&core->peak);

  while (size > peak &&
         !g_atomic_int_compare_and_exchange_full (&core->peak, peak, size, &peak))
    ;
}

/* ----------------------------------------------------------- keep-alive */

static void
release_kept (KeptSlot *kept)
{
  Page *page = page_of (kept->entry);
  Shard *shard = page->shard;

  /* Unmarked before the reference goes, so that no lookup relies on a
   * reference that is no longer there. */
  shard_lock (shard);
  page->kept[slot_of (shard, kept->entry)] = NULL;
  shard->n_kept--;
  if (--page->n_kept == 0)
    g_clear_pointer (&page->kept, g_free);
  shard_unlock (shard);

  g_object_unref (kept->object);
}

/* Marks the entry in @slot of @page kept and takes the keep-alive's
 * reference on @object, its object, if the pool has a keep-alive and the
 * entry is not kept yet; call under the shard lock, holding a reference
 * on @object, then keep_alive_push() unlocked. */
static gboolean
keep_alive_claim (Core    *core,
                  Page    *page,
                  guint    slot,
                  GObject *object)
{
  if (g_atomic_int_get (&core->keep_alive) == 0)
    return FALSE;

  if (page->kept == NULL)
    page->kept = g_new0 (GObject *, page->n_slots);
  else if (page->kept[slot] != NULL)
    return FALSE;

  page->kept[slot] = g_object_ref (object);
  page->n_kept++;
  page->shard->n_kept++;

  return TRUE;
}

static void
keep_alive_push (Core    *core,
                 Entry   *entry,
                 GObject *object)
{
  KeptSlot evicted = { object, entry };
  gboolean has_evicted = TRUE;

  keep_lock (core);
  if (core->keep_alive > 0)
    {
      KeptSlot slot = evicted;

      if (core->n_kept == core->keep_alive)
        {
          evicted = core->kept[core->kept_head];
          core->kept[core->kept_head] = slot;
          core->kept_head = (core->kept_head + 1) % core->keep_alive;
        }
      else
        {
          core->kept[(core->kept_head + core->n_kept) % core->keep_alive] = slot;
          core->n_kept++;
          has_evicted = FALSE;
        }
    }
  keep_unlock (core);

  /* With no room at all, the new object goes straight back. */
  if (has_evicted)
    release_kept (&evicted);
}

/* Resizes the ring, keeping the most recent objects; returns the others. */
static GArray *
keep_alive_resize (Core  *core,
                   guint  keep_alive)
{
  GArray *evicted = g_array_new (FALSE, FALSE, sizeof (KeptSlot));
  KeptSlot *ring = keep_alive > 0 ? g_new0 (KeptSlot, keep_alive) : NULL;
  guint n_kept;

  keep_lock (core);

  n_kept = MIN (core->n_kept, keep_alive);
  for (guint i = 0; i < core->n_kept; i++)
    {
      KeptSlot *slot = &core->kept[(core->kept_head + i) % core->keep_alive];

      if (i < core->n_kept - n_kept)
        g_array_append_vals (evicted, slot, 1);
      else
        ring[i - (core->n_kept - n_kept)] = *slot;
    }

  g_free (core->kept);
  core->kept = ring;
  core->kept_head = 0;
  core->n_kept = n_kept;
  g_atomic_int_set (&core->keep_alive, keep_alive);

  keep_unlock (core);

  return evicted;
}

static void
release_evicted (GArray *evicted)
{
  for (guint i = 0; i < evicted->len; i++)
    release_kept (&g_array_index (evicted, KeptSlot, i));

  g_array_unref (evicted);
}

/* -------------------------------------------------------------- lookups */

typedef enum
{
  FOUND_NOTHING,
  FOUND_OBJECT,
  FOUND_DYING,
} Found;

/* Looks the key up and, if its object is alive, takes a reference on it.
 * Returns with the shard unlocked, except on FOUND_NOTHING and FOUND_DYING
 * when @stay_locked: the caller then publishes under the same lock, and
 * on FOUND_DYING unlinks @id_out, the dying entry that is in the way.
 *
 * A hit takes the shard lock once: the entry is pinned (a reference on
 * the entry, not on its object) under the lock, g_weak_ref_get() runs
 * outside it, and a live object keeps its entry from being freed, so the
 * pin can go without the lock. */
G_ALWAYS_INLINE static inline Found
lookup (Core          *core,
        Shard         *shard,
        guint          hash,
        const guint8  *key,
        gboolean       stay_locked,
        GObject      **object_out,
        guint32       *id_out)
{
  Found found;

  shard_lock (shard);

  for (;;)
    {
      Probe probe = { shard, NULL, NULL };
      guint32 id = flyweight_table_lookup (&shard->table, hash, entry_matches, key, &probe);
      Entry *entry = probe.entry;
      GObject *object;
      Page *page;
      guint slot;
      Left left;

      if (id == FLYWEIGHT_TABLE_NONE)
        {
          found = FOUND_NOTHING;
          break;
        }

      page = probe.page;
      slot = id & (PAGE_SLOTS - 1);

      if (shard->n_kept != 0 && page->kept != NULL && page->kept[slot] != NULL)
        {
          /* The keep-alive's reference holds the object's death off. */
          object = g_object_ref (page->kept[slot]);
          shard->hits++;
          shard_unlock (shard);

          *object_out = object;
          return FOUND_OBJECT;
        }

      /* Counted now, while the lock is held; taken back if it is dying. */
      g_atomic_int_inc (&entry->refs);
      shard->hits++;
      shard_unlock (shard);

      object = g_weak_ref_get (&entry->weak);

      if (object != NULL)
        {
          /* Before the pin goes: the cache reads the weak reference again. */
          if (core->plain && g_atomic_int_get (&core->keep_alive) == 0)
            flyweight_pool_cache_offer (&core->cache, key, object, &entry->weak);

          /* Not the last reference: the object's stays until it is
           * finalized, and we hold the object. So does the entry's page. */
          g_atomic_int_add (&entry->refs, -1);

          if (g_atomic_int_get (&core->keep_alive) != 0)
            {
              gboolean keep;

              shard_lock (shard);
              keep = keep_alive_claim (core, page, slot, object);
              shard_unlock (shard);

              if (keep)
                keep_alive_push (core, entry, object);
            }

          *object_out = object;
          return FOUND_OBJECT;
        }

      shard_lock (shard);
      shard->hits--;

      /* Dying. While the lock was let go, another thread may have replaced
       * the entry, or the finalizer unlinked it. Asked while the pin still
       * holds the entry: a linked entry is not finalized yet, and its
       * object's reference on it stays until the finalizer has unlinked it,
       * under this lock, so dropping the pin then cannot free it. Its slot,
       * hence its id, stays its own until it is freed. */
      if (flyweight_table_contains (&shard->table, id, hash))
        {
          g_atomic_int_add (&entry->refs, -1);
          *id_out = id;
          found = FOUND_DYING;
          break;
        }

      /* Finalized meanwhile, and maybe left to us to free. */
      left = entry_unref_locked (shard, entry);
      if (left != LEFT_NOTHING)
        {
          shard_unlock (shard);
          finish (core, entry, left);
          shard_lock (shard);
        }

      /* Replaced or unlinked: look again. */
    }

  if (!stay_locked)
    shard_unlock (shard);

  return found;
}

/* Constructs the object for @key, which lookup() did not find alive, and
 * publishes it, unless another thread published one first. */
static G_NO_INLINE GObject *
pool_get_miss (FlyweightPool  *self,
               Shard          *shard,
               guint           hash,
               const guint8   *key,
               GError        **error)
{
  Core *core = self->core;
  const FlyweightKeySchema *schema = core->schema;
  GObject *object = NULL;
  GObject *fresh;
  Entry *fresh_entry;
  guint32 fresh_id;
  guint32 dying_id;
  gboolean keep;

  /* A miss. The constructor is the type's own code: it runs without any
   * lock, and may even use the pool. */
  fresh = flyweight_key_construct (schema, key);
  if (fresh == NULL)
    {
      /* A broken constructor; GObject has said so already. */
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED,
                   _("Constructing a “%s” failed"), g_type_name (self->item_type));
      return NULL;
    }
  fresh_entry = entry_new (shard, fresh, key, &fresh_id);

  /* A constructor may return an object it already made, which another
   * request may have pooled: an object belongs to one entry at most. */
  flyweight_tsan_release (fresh_entry);
  if (!g_object_replace_qdata (fresh, entry_quark, NULL, fresh_entry,
                               entry_object_finalized_cb, NULL))
    {
      entry_free (fresh_entry, FALSE);
      return fresh;
    }

  switch (lookup (core, shard, hash, key, TRUE, &object, &dying_id))
    {
    case FOUND_OBJECT:
      /* Another thread published one first; ours was never seen. */
      g_object_steal_qdata (fresh, entry_quark);
      entry_free (fresh_entry, FALSE);
      g_object_unref (fresh);
      return object;

    case FOUND_DYING:
      entry_unlink (shard, dying_id, hash);
      break;

    case FOUND_NOTHING:
    default:
      break;
    }

  flyweight_table_insert (&shard->table, fresh_id, hash, entry_hash_cb, shard);
  count_publication (core);
  shard->misses++;
  keep = keep_alive_claim (core, page_of (fresh_entry), fresh_id & (PAGE_SLOTS - 1), fresh);
  shard_unlock (shard);

  if (keep)
    keep_alive_push (core, fresh_entry, fresh);

  return fresh;
}

/* Returns the live object with @key, or constructs it. Inline: a hit is
 * the hash, the lookup, and nothing else. */
G_ALWAYS_INLINE static inline GObject *
pool_get (FlyweightPool  *self,
          const guint8   *key,
          GError        **error)
{
  Core *core = self->core;
  GObject *object = NULL;
  Shard *shard;
  guint hash;
  guint32 id;

  /* Not while a keep-alive is set: its objects are handed out without
   * their weak references (see the Python threads in the class docs). */
  if (core->plain && g_atomic_int_get (&core->keep_alive) == 0)
    {
      object = flyweight_pool_cache_lookup (&core->cache, key);
      if (object != NULL)
        {
          flyweight_counter_add_one (&core->cache_hits);
          return object;
        }
    }

  hash = key_hash (core, key);
  shard = shard_for (core, hash);

  if (lookup (core, shard, hash, key, FALSE, &object, &id) == FOUND_OBJECT)
    return object;

  return pool_get_miss (self, shard, hash, key, error);
}

static gboolean
check_usable (FlyweightPool  *self,
              GError        **error)
{
  if (self->core != NULL)
    return TRUE;

  g_propagate_error (error, g_error_copy (self->refusal));
  return FALSE;
}

/* ---------------------------------------------------------- the GObject */

/* A pooled object is shared by every holder: it must not be able to
 * change after construction. */
static gboolean
check_poolable (GType    type,
                GError **error)
{
  g_autoptr(GTypeClass) klass = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  if (G_TYPE_IS_ABSTRACT (type))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE,
                   _("“%s” is abstract: it has no instances to share"),
                   g_type_name (type));
      return FALSE;
    }

  if (g_type_is_a (type, FLYWEIGHT_TYPE_POKIES_DYNAMIC))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE,
                   _("“%s” cannot be pooled: its attributes can change at any time, so every holder of a shared machine would see the others’ attributes"),
                   g_type_name (type));
      return FALSE;
    }

  klass = g_type_class_ref (type);
  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      if ((pspecs[i]->flags & G_PARAM_WRITABLE) &&
          !(pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY))
        {
          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE,
                       _("“%s” cannot be pooled: its property “%s” can change after construction, so one holder’s change would show up in every other holder’s object"),
                       g_type_name (type), pspecs[i]->name);
          return FALSE;
        }
    }

  return TRUE;
}

static void
flyweight_pool_constructed (GObject *object)
{
  FlyweightPool *self = FLYWEIGHT_POOL (object);
  FlyweightKeySchema *schema;

  G_OBJECT_CLASS (flyweight_pool_parent_class)->constructed (object);

  if (!check_poolable (self->item_type, &self->refusal))
    return;

  schema = flyweight_key_schema_new (self->item_type, &self->refusal);
  if (schema == NULL)
    return;

  self->core = core_new (schema);
}

static void
flyweight_pool_dispose (GObject *object)
{
  FlyweightPool *self = FLYWEIGHT_POOL (object);

  if (self->core != NULL)
    release_evicted (keep_alive_resize (self->core, 0));

  G_OBJECT_CLASS (flyweight_pool_parent_class)->dispose (object);
}

static void
flyweight_pool_finalize (GObject *object)
{
  FlyweightPool *self = FLYWEIGHT_POOL (object);

  /* Objects still alive keep the core until they are finalized. */
  g_clear_pointer (&self->core, core_unref);
  g_clear_error (&self->refusal);

  G_OBJECT_CLASS (flyweight_pool_parent_class)->finalize (object);
}

static void
flyweight_pool_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FlyweightPool *self = FLYWEIGHT_POOL (object);
  g_autoptr(FlyweightPoolStats) stats = NULL;

  if (prop_id != PROP_ITEM_TYPE)
    stats = flyweight_pool_get_stats (self);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, self->item_type);
      break;

    case PROP_KEEP_ALIVE:
      g_value_set_uint (value, stats->keep_alive);
      break;

    case PROP_SIZE:
      g_value_set_uint (value, stats->size);
      break;

    case PROP_PEAK:
      g_value_set_uint (value, stats->peak);
      break;

    case PROP_HITS:
      g_value_set_uint64 (value, stats->hits);
      break;

    case PROP_MISSES:
      g_value_set_uint64 (value, stats->misses);
      break;

    case PROP_KEPT:
      g_value_set_uint (value, stats->kept);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pool_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FlyweightPool *self = FLYWEIGHT_POOL (object);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      self->item_type = g_value_get_gtype (value);
      break;

    case PROP_KEEP_ALIVE:
      flyweight_pool_set_keep_alive (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pool_class_init (FlyweightPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  flyweight_i18n_init ();
  entry_quark = g_quark_from_static_string ("flyweight-pool-entry");

  object_class->constructed = flyweight_pool_constructed;
  object_class->dispose = flyweight_pool_dispose;
  object_class->finalize = flyweight_pool_finalize;
  object_class->get_property = flyweight_pool_get_property;
  object_class->set_property = flyweight_pool_set_property;

  /**
   * FlyweightPool:item-type:
   *
   * The type of the objects the pool hands out. Its construct-only
   * properties are the identity of an object.
   *
   * Since: 1.0
   */
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        G_TYPE_OBJECT,
                        (G_PARAM_READWRITE |
                         G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:keep-alive:
   *
   * How many of the objects it handed out last the pool keeps alive after
   * their holders drop them, so that asking for them again soon does not
   * construct them again; 0, the default, keeps none.
   *
   * A kept object is still shared: it is the one live object for its key,
   * and counts in [property@Flyweight.Pool:size]. An object the pool keeps
   * is also a little faster to hand out. At most
   * %FLYWEIGHT_POOL_MAX_KEEP_ALIVE.
   *
   * Since: 1.0
   */
  properties[PROP_KEEP_ALIVE] =
    g_param_spec_uint ("keep-alive", NULL, NULL,
                       0, FLYWEIGHT_POOL_MAX_KEEP_ALIVE, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:size:
   *
   * The number of live objects in the pool. Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint ("size", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:peak:
   *
   * The largest [property@Flyweight.Pool:size] the pool has had. Not
   * notified.
   *
   * Since: 1.0
   */
  properties[PROP_PEAK] =
    g_param_spec_uint ("peak", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:hits:
   *
   * How many requests the pool answered with an object it already had.
   * Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_HITS] =
    g_param_spec_uint64 ("hits", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE |
                          G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:misses:
   *
   * How many requests made the pool construct an object. Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_MISSES] =
    g_param_spec_uint64 ("misses", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE |
                          G_PARAM_STATIC_STRINGS));

  /**
   * FlyweightPool:kept:
   *
   * How many objects the keep-alive holds now. Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_KEPT] =
    g_param_spec_uint ("kept", NULL, NULL,
                       0, FLYWEIGHT_POOL_MAX_KEEP_ALIVE, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
flyweight_pool_init (FlyweightPool *self)
{
  self->item_type = G_TYPE_OBJECT;
}

/* ----------------------------------------------------------------- API */

/**
 * flyweight_pool_new:
 * @item_type: the type of the objects to share, a `GObject` type
 *
 * Creates a pool of objects of @item_type.
 *
 * If @item_type cannot be pooled (see [class@Flyweight.Pool]), the pool is
 * still created, and every request fails with
 * %FLYWEIGHT_ERROR_NOT_POOLABLE, saying why.
 *
 * Returns: (transfer full): a new pool
 *
 * Since: 1.0
 */
FlyweightPool *
flyweight_pool_new (GType item_type)
{
  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);

  return g_object_new (FLYWEIGHT_TYPE_POOL, "item-type", item_type, NULL);
}

/**
 * flyweight_pool_get_item_type:
 * @self: a `FlyweightPool`
 *
 * Gets the type of the objects the pool hands out.
 *
 * Returns: the item type
 *
 * Since: 1.0
 */
GType
flyweight_pool_get_item_type (FlyweightPool *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), G_TYPE_INVALID);

  return self->item_type;
}

/* The common request: numbers of the properties' own types, spelt as the
 * class spells them, collected straight into the key. Returns FALSE,
 * having read an unknown part of @args, for any other request: the caller
 * starts again with get_built(), from the first name. */
G_ALWAYS_INLINE static inline gboolean
get_collected (FlyweightPool  *self,
               const char     *first_property_name,
               va_list        *args,
               GObject       **object_out,
               GError        **error)
{
  guint64 plain_key[FLYWEIGHT_KEY_BUILDER_INLINE_BYTES / 8];

  if (self->core->key_size > sizeof plain_key ||
      !flyweight_key_collect_plain (self->core->schema, (guint8 *) plain_key,
                                    first_property_name, args))
    return FALSE;

  *object_out = pool_get (self, (const guint8 *) plain_key, error);
  return TRUE;
}

/* Any request, read by a builder, which says what is wrong with a bad one. */
static G_NO_INLINE GObject *
get_built (FlyweightPool  *self,
           GError        **error,
           const char     *first_property_name,
           va_list        *args)
{
  FlyweightKeyBuilder builder;
  GObject *object = NULL;

  flyweight_key_builder_init (&builder, self->core->schema);

  for (const char *name = first_property_name; name != NULL; name = va_arg (*args, const char *))
    if (!flyweight_key_builder_collect (&builder, name, args, error))
      goto out;

  object = pool_get (self, builder.key, error);

out:
  flyweight_key_builder_clear (&builder);

  return object;
}

/**
 * flyweight_pool_get: (skip)
 * @self: a `FlyweightPool`
 * @error: return location for a #GError
 * @first_property_name: (nullable): the name of the first key property, or
 *   %NULL for an object with every property at its default
 * @...: the value of the first property, then more names and values,
 *   ending with %NULL
 *
 * Returns the live object whose construct-only properties have the given
 * values, constructing it if there is none.
 *
 * Names and values are given as to g_object_new(), and properties that are
 * not given take their default values:
 *
 * ```c
 * FlyweightPokies *machine = flyweight_pool_get (pool, &error,
 *                                                "reels", 3,
 *                                                "symbols", 10,
 *                                                NULL);
 * ```
 *
 * Fails with %FLYWEIGHT_ERROR_INVALID_KEY for a property that is unknown,
 * not construct-only, or given twice; with %FLYWEIGHT_ERROR_INVALID_VALUE
 * for a value out of the property's range; with
 * %FLYWEIGHT_ERROR_NOT_POOLABLE if the pool's type cannot be pooled. A
 * property name that fails ends the list: what follows it is not read.
 *
 * Returns: (transfer full) (type GObject.Object) (nullable): the object, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
gpointer
flyweight_pool_get (FlyweightPool  *self,
                    GError        **error,
                    const char     *first_property_name,
                    ...)
{
  GObject *object = NULL;
  gboolean collected;
  va_list args;

  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (self, error))
    return NULL;

  /* The list is started twice rather than copied: a va_copy() reads back
   * as one wide load what va_start() has just stored in narrow ones, and
   * waits for the stores. */
  va_start (args, first_property_name);
  collected = get_collected (self, first_property_name, &args, &object, error);
  va_end (args);

  if (collected)
    return object;

  va_start (args, first_property_name);
  object = get_built (self, error, first_property_name, &args);
  va_end (args);

  return object;
}

/**
 * flyweight_pool_get_valist: (skip)
 * @self: a `FlyweightPool`
 * @error: return location for a #GError
 * @first_property_name: (nullable): the name of the first key property
 * @args: the value of the first property, then more names and values,
 *   ending with %NULL
 *
 * Does what flyweight_pool_get() does, with a `va_list`.
 *
 * Returns: (transfer full) (type GObject.Object) (nullable): the object, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
gpointer
flyweight_pool_get_valist (FlyweightPool  *self,
                           GError        **error,
                           const char     *first_property_name,
                           va_list         args)
{
  GObject *object = NULL;
  gboolean collected;
  va_list copy;

  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (self, error))
    return NULL;

  va_copy (copy, args);
  collected = get_collected (self, first_property_name, &copy, &object, error);
  va_end (copy);

  if (collected)
    return object;

  va_copy (copy, args);
  object = get_built (self, error, first_property_name, &copy);
  va_end (copy);

  return object;
}

/**
 * flyweight_pool_get_with_properties:
 * @self: a `FlyweightPool`
 * @n_properties: the number of properties given
 * @names: (array length=n_properties): the names of the key properties
 * @values: (array length=n_properties): their values
 * @error: return location for a #GError
 *
 * Returns the live object whose construct-only properties have the given
 * values, constructing it if there is none: flyweight_pool_get() for
 * bindings, with names and values in two arrays, as for
 * g_object_new_with_properties().
 *
 * A value may be of another numeric type than its property if it converts
 * exactly: 3 given as a `gint64` or as the double 3.0 is fine for a `guint`
 * property, -1 or 3.5 is not.
 *
 * ```js
 * const machine = pool.get_with_properties(['reels', 'symbols'], [3, 10]);
 * ```
 *
 * Fails as flyweight_pool_get() does; a value of a type that does
 * not convert fails with %FLYWEIGHT_ERROR_INVALID_VALUE.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 *
 * Since: 1.0
 */
GObject *
flyweight_pool_get_with_properties (FlyweightPool  *self,
                                    guint           n_properties,
                                    const char     *names[],
                                    const GValue    values[],
                                    GError        **error)
{
  FlyweightKeyBuilder builder;
  GObject *object = NULL;

  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), NULL);
  g_return_val_if_fail (n_properties == 0 || names != NULL, NULL);
  g_return_val_if_fail (n_properties == 0 || values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (self, error))
    return NULL;

  flyweight_key_builder_init (&builder, self->core->schema);

  for (guint i = 0; i < n_properties; i++)
    if (!flyweight_key_builder_set (&builder, names[i], &values[i], error))
      goto out;

  object = pool_get (self, builder.key, error);

out:
  flyweight_key_builder_clear (&builder);

  return object;
}

/**
 * flyweight_pool_get_keep_alive:
 * @self: a `FlyweightPool`
 *
 * Gets how many released objects the pool may keep alive.
 *
 * Returns: the [property@Flyweight.Pool:keep-alive]
 *
 * Since: 1.0
 */
guint
flyweight_pool_get_keep_alive (FlyweightPool *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), 0);

  return self->core != NULL ? (guint) g_atomic_int_get (&self->core->keep_alive) : 0;
}

/**
 * flyweight_pool_set_keep_alive:
 * @self: a `FlyweightPool`
 * @keep_alive: how many objects to keep, at most
 *   %FLYWEIGHT_POOL_MAX_KEEP_ALIVE
 *
 * Sets how many of the objects it handed out last the pool keeps alive;
 * see [property@Flyweight.Pool:keep-alive]. Lowering it lets the oldest go
 * at once.
 *
 * Since: 1.0
 */
void
flyweight_pool_set_keep_alive (FlyweightPool *self,
                               guint          keep_alive)
{
  g_return_if_fail (FLYWEIGHT_IS_POOL (self));
  g_return_if_fail (keep_alive <= FLYWEIGHT_POOL_MAX_KEEP_ALIVE);

  if (self->core == NULL || keep_alive == flyweight_pool_get_keep_alive (self))
    return;

  release_evicted (keep_alive_resize (self->core, keep_alive));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_ALIVE]);
}

/**
 * flyweight_pool_get_size:
 * @self: a `FlyweightPool`
 *
 * Gets the number of live objects in the pool.
 *
 * Returns: the [property@Flyweight.Pool:size]
 *
 * Since: 1.0
 */
guint
flyweight_pool_get_size (FlyweightPool *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), 0);

  return self->core != NULL ? (guint) g_atomic_int_get (&self->core->size) : 0;
}

/**
 * flyweight_pool_get_stats:
 * @self: a `FlyweightPool`
 *
 * Takes a snapshot of the pool's counters.
 *
 * Hits and misses are added up shard by shard: under concurrent requests,
 * the snapshot may count some requests that end after it started.
 *
 * Returns: (transfer full): the counters, free with
 *   [method@Flyweight.PoolStats.free]
 *
 * Since: 1.0
 */
FlyweightPoolStats *
flyweight_pool_get_stats (FlyweightPool *self)
{
  FlyweightPoolStats *stats;
  Core *core;

  g_return_val_if_fail (FLYWEIGHT_IS_POOL (self), NULL);

  stats = g_new0 (FlyweightPoolStats, 1);
  core = self->core;
  if (core == NULL)
    return stats;

  for (guint i = 0; i < N_SHARDS; i++)
    {
      Shard *shard = &core->shards[i].shard;

      shard_lock (shard);
      stats->hits += shard->hits;
      stats->misses += shard->misses;
      shard_unlock (shard);
    }

  stats->hits += flyweight_counter_read (&core->cache_hits);

  keep_lock (core);
  stats->kept = core->n_kept;
  stats->keep_alive = core->keep_alive;
  keep_unlock (core);

  stats->size = (guint) g_atomic_int_get (&core->size);
  stats->peak = (guint) g_atomic_int_get (&core->peak);

  return stats;
}
