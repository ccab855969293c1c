/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "flyweight-attr-name.h"
#include "flyweight-column-private.h"
#include "flyweight-error.h"
#include "flyweight-pokies-private.h"
#include "flyweight-pokies-store-private.h"
#include "flyweight-random-private.h"
#include "flyweight-word-lock-private.h"

/**
 * FlyweightPokiesStore:
 *
 * A list model of machines that keeps only what differs between them.
 *
 * Each machine is a row: the index of its configuration — the pair
 * (`reels`, `symbols`), shared by every machine built the same way — its
 * last draw packed into one number, and a cell per attribute column. A
 * string attribute is an index into its column's dictionary of distinct
 * strings; a number or boolean is kept at its natural size, a boolean in
 * one bit; any other value as a `GValue`. Widths grow with what is stored:
 * up to 255 configurations or distinct strings take a byte a row. A million
 * machines of ten configurations, each with an `owner` from a hundred names
 * and a last draw, take about four bytes each.
 *
 * ## Items
 *
 * [method@Gio.ListModel.get_item] (typed: [method@Flyweight.PokiesStore.get_view])
 * returns a [class@Flyweight.PokiesView], a full [class@Flyweight.Pokies]
 * whose state lives in the row. It is made when asked and remembered
 * weakly: the same position gives the same object while anyone holds it,
 * and it is freed with its last reference, the row staying. A live view
 * follows its row when rows above it are inserted or removed. When its row
 * is removed, it takes a copy of the row and goes on as a machine of its
 * own, at %FLYWEIGHT_INVALID_POSITION.
 *
 * ```python
 * store = Flyweight.PokiesStore.new()
 * store.append_many(1_000_000, 3, 10)
 * store.set_attr_dictionary('owner', 0, owners, list(range(100)) * 10_000)
 * store.draw_all(Flyweight.Random.new(42))
 * len(store), store[7].get_attr('owner'), store[7].props.last_draw_text
 * ```
 *
 * ## Bulk operations
 *
 * Appending many machines, setting an attribute on many rows, drawing
 * every machine, counting, filtering and sorting by an attribute work on
 * the columns directly and make no item.
 *
 * Changes that keep the items — draws and attribute writes — do not emit
 * [signal@Gio.ListModel::items-changed]: every live view notifies its
 * changed properties or emits [signal@Flyweight.PokiesView::attr-changed],
 * and the store emits [signal@Flyweight.PokiesStore::rows-changed] once.
 * Changes that move items — insertions, removals and sorting — emit
 * `items-changed` once per call.
 *
 * ## Threads
 *
 * Every call on a store, or on one of its views, may come from any thread:
 * each takes the store's lock and is atomic. Signals are emitted in the
 * thread that made the change, after the lock is released. So a store
 * shown by GTK must be changed in GTK's thread only — rows, attributes and
 * draws alike, since views notify the widgets bound to them; and listeners
 * of `items-changed` see a consistent sequence only if one thread inserts,
 * removes and sorts.
 *
 * The items themselves belong to one thread, as with any list model GTK
 * shows: the thread that asked for the first of those alive. Only it may
 * ask for items, drop their last reference, or change rows while items are
 * alive; other threads may read. To share items between threads, make the
 * store with [property@Flyweight.PokiesStore:thread-safe-items] set, which
 * costs a `GWeakRef` per item.
 *
 * Since: 1.0
 */

typedef struct
{
  guint   reels;
  guint   symbols;
  guint64 n_outcomes;   /* symbols ^ reels; 0 if a cell cannot hold a draw */
  guint32 limit;        /* the largest raw number kept for one symbol */
  guint64 inverse;      /* G_MAXUINT64 / symbols + 1, for remainder_of() */
} Config;

/* Live views by position, in chunks of consecutive positions: a list
 * view asks for neighbouring rows, which then share a chunk and its cache
 * lines, where a hash table would scatter them. A chunk exists only while
 * it holds a view; the array of chunks spans the rows up to the last view. */
#define CHUNK_BITS 6
#define CHUNK_SIZE (1u << CHUNK_BITS)

typedef struct
{
  guint                n_views;
  FlyweightPokiesView *views[CHUNK_SIZE];
} ViewChunk;

typedef struct
{
  ViewChunk **chunks;
  guint       n_chunks;
  guint       n_views;
} ViewCache;

struct _FlyweightPokiesStore
{
  GObject         parent_instance;

  gpointer        lock;           /* a word lock: bit 0 only */
  guint           n_rows;
  guint           capacity;

  GArray         *configs;        /* Config */
  GHashTable     *config_index;   /* (reels << 32 | symbols) → index + 1 */
  FlyweightCells  config_cells;

  /* 0: never drawn. A draw of a configuration with n_outcomes > 0 is
   * 1 + its symbols read as digits in base symbols, the first reel most
   * significant, so that codes sort as draws do. Other draws are kept in
   * wide_draws, and the cell holds their index + 1. */
  FlyweightCells  draw_cells;
  GPtrArray      *wide_draws;     /* guint *, NULL where free */
  GArray         *wide_free;      /* guint indices into wide_draws */

  GPtrArray      *columns;        /* FlyweightColumn *, oldest first */
  GHashTable     *columns_by_name;

  ViewCache       cache;
  guint           n_views_alive;

  /* Without thread-safe-items, the thread the live views belong to:
   * that of the first view made since none was alive. */
  gboolean        thread_safe_items;
  gconstpointer   items_thread;
};

static void flyweight_pokies_store_list_model_init (GListModelInterface *iface);

/* Which thread is running: an address no other live thread shares. A
 * variable of the thread's own is read without a call, where
 * g_thread_self() looks up thread-specific data on every get_item(). */
#ifdef HAVE_TLS_INITIAL_EXEC
static __thread char thread_marker __attribute__ ((tls_model ("initial-exec")));

static inline gconstpointer
current_thread (void)
{
  return &thread_marker;
}
#else
static inline gconstpointer
current_thread (void)
{
  return g_thread_self ();
}
#endif

G_DEFINE_FINAL_TYPE_WITH_CODE (FlyweightPokiesStore, flyweight_pokies_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      flyweight_pokies_store_list_model_init))

enum {
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  PROP_THREAD_SAFE_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROWS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The largest number of rows: one less than FLYWEIGHT_INVALID_POSITION. */
#define MAX_ROWS (G_MAXUINT - 1)

/* A word lock rather than a GMutex: taking it is inline and releasing it a
 * plain store, which a view handed out again notices (get_item() is little
 * else). A thread that waits while a bulk call holds it sleeps. */
static void
lock_store (FlyweightPokiesStore *self)
{
  flyweight_word_lock (&self->lock);
}

static void
unlock_store (FlyweightPokiesStore *self)
{
  flyweight_word_unlock (&self->lock, 0);
}

/* ---------------------------------------------------------------------- */
/* What a locked change leaves to do once the lock is released             */

typedef struct
{
  GPtrArray *garbage;       /* GValue *: may finalize objects when unset */
  GPtrArray *views;         /* FlyweightPokiesView *, referenced: to notify */
  GSList    *orphans;       /* FlyweightViewOrphan * of finalized views */
  gboolean   views_elsewhere; /* live views not notified: another thread's */
} Aftermath;

static void
aftermath_init (Aftermath *after)
{
  after->garbage = g_ptr_array_new ();
  after->views = g_ptr_array_new ();
  after->orphans = NULL;
  after->views_elsewhere = FALSE;
}

static void
free_garbage_value (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

static void
orphan_free (FlyweightViewOrphan *orphan)
{
  flyweight_attr_store_clear (&orphan->attrs);
  g_free (orphan->last_draw);
  g_free (orphan);
}

/* Frees what was dropped; the views are still to be notified. */
static void
aftermath_drop_garbage (Aftermath *after)
{
  g_ptr_array_foreach (after->garbage, (GFunc) (void (*) (void)) free_garbage_value, NULL);
  g_ptr_array_set_size (after->garbage, 0);
  g_slist_free_full (g_steal_pointer (&after->orphans), (GDestroyNotify) orphan_free);
}

static void
aftermath_finish (Aftermath *after)
{
  if (after->views_elsewhere)
    g_critical ("A FlyweightPokiesStore was changed in a thread other than the one "
                "its live items belong to, which were not notified: set "
                "FlyweightPokiesStore:thread-safe-items to share items between threads");

  aftermath_drop_garbage (after);
  g_ptr_array_unref (after->garbage);
  g_ptr_array_foreach (after->views, (GFunc) (void (*) (void)) g_object_unref, NULL);
  g_ptr_array_unref (after->views);
}

/* ---------------------------------------------------------------------- */
/* The cache of live views                                                 */

/* A new reference on a view the store only points to, or NULL once its
 * last reference is going.
 *
 * Without thread-safe-items, views are made, handed out and released in
 * one thread, so a view not yet disposed cannot be losing its last
 * reference meanwhile, and a plain reference is safe. Another thread gets
 * none: it could take it while the view's thread drops the last one.
 *
 * With thread-safe-items, never g_object_ref() such a view: a count of 1
 * may be a holder letting go right now, and no lock of the store's makes
 * a reference taken then safe. If dispose() saw it, the reviving thread
 * may drop it again before g_object_unref() checks the count once more,
 * which then finalizes the view with a reference of the store's pending;
 * and GLib before 2.80 even touches the object after giving up the
 * reference dispose() saw taken. g_object_unref() clears weak references,
 * under GLib's own lock and after checking again that the count is 1,
 * before dispose() runs; g_weak_ref_get() takes its reference under that
 * lock. So this either gets the view before its death began, and cancels
 * it, or gets NULL and the view is left to die. */
static inline FlyweightPokiesView *
view_ref_checked (FlyweightPokiesStore *self,
                  FlyweightPokiesView  *view)
{
  if (view->dying)
    return NULL;

  if (G_LIKELY (!self->thread_safe_items))
    return g_object_ref (view);

  return g_weak_ref_get (&view->self_ref);
}

/* The same, from a thread that has not checked it may. */
static FlyweightPokiesView *
view_try_ref (FlyweightPokiesStore *self,
              FlyweightPokiesView  *view)
{
  if (!self->thread_safe_items && self->items_thread != current_thread ())
    return NULL;

  return view_ref_checked (self, view);
}

/* Adds a reference on @view to those @after notifies, if this thread may
 * take one. */
static void
aftermath_add_view (FlyweightPokiesStore *self,
                    Aftermath            *after,
                    FlyweightPokiesView  *view)
{
  FlyweightPokiesView *live = view_try_ref (self, view);

  if (live != NULL)
    g_ptr_array_add (after->views, live);
  else if (!self->thread_safe_items && !view->dying)
    after->views_elsewhere = TRUE;
}

static FlyweightPokiesView *
cache_lookup (const ViewCache *cache,
              guint            position)
{
  guint chunk = position >> CHUNK_BITS;

  if (chunk >= cache->n_chunks || cache->chunks[chunk] == NULL)
    return NULL;

  return cache->chunks[chunk]->views[position & (CHUNK_SIZE - 1)];
}

static void
cache_insert (ViewCache           *cache,
              FlyweightPokiesView *view)
{
  guint chunk = view->position >> CHUNK_BITS;
  ViewChunk *views;

  if (chunk >= cache->n_chunks)
    {
      guint n_chunks = MAX (chunk + 1, 2 * cache->n_chunks);

      cache->chunks = g_renew (ViewChunk *, cache->chunks, n_chunks);
      memset (cache->chunks + cache->n_chunks, 0, (n_chunks - cache->n_chunks) * sizeof (ViewChunk *));
      cache->n_chunks = n_chunks;
    }

  views = cache->chunks[chunk];
  if (views == NULL)
    views = cache->chunks[chunk] = g_new0 (ViewChunk, 1);

  g_assert (views->views[view->position & (CHUNK_SIZE - 1)] == NULL);
  views->views[view->position & (CHUNK_SIZE - 1)] = view;
  views->n_views++;
  cache->n_views++;
}

static void
cache_clear (ViewCache *cache)
{
  for (guint i = 0; i < cache->n_chunks; i++)
    g_free (cache->chunks[i]);
  g_clear_pointer (&cache->chunks, g_free);
  cache->n_chunks = 0;
  cache->n_views = 0;
}

static void
cache_remove (ViewCache           *cache,
              FlyweightPokiesView *view)
{
  ViewChunk *views = cache->chunks[view->position >> CHUNK_BITS];

  g_assert (views->views[view->position & (CHUNK_SIZE - 1)] == view);
  views->views[view->position & (CHUNK_SIZE - 1)] = NULL;
  cache->n_views--;

  if (--views->n_views == 0)
    {
      g_free (views);
      cache->chunks[view->position >> CHUNK_BITS] = NULL;
    }

  /* No views, no chunks: a store nobody looks at keeps nothing here. */
  if (cache->n_views == 0)
    cache_clear (cache);
}

/* Appends the views at positions from @first on, in order. */
static void
cache_collect (const ViewCache *cache,
               guint            first,
               GPtrArray       *views)
{
  for (guint c = first >> CHUNK_BITS; c < cache->n_chunks; c++)
    {
      ViewChunk *chunk = cache->chunks[c];

      if (chunk == NULL)
        continue;
      for (guint i = 0; i < CHUNK_SIZE; i++)
        if (chunk->views[i] != NULL && chunk->views[i]->position >= first)
          g_ptr_array_add (views, chunk->views[i]);
    }
}

/* After the positions of @moved (all of them in the cache, at their old
 * positions until now) changed: files them again. */
static void
cache_refile (ViewCache *cache,
              GPtrArray *moved,
              guint     *old_positions)
{
  for (guint i = 0; i < moved->len; i++)
    {
      FlyweightPokiesView *view = g_ptr_array_index (moved, i);
      guint position = view->position;

      view->position = old_positions[i];
      cache_remove (cache, view);
      view->position = position;
    }

  for (guint i = 0; i < moved->len; i++)
    cache_insert (cache, g_ptr_array_index (moved, i));
}

/* Keeps a reference on each view at a position in
 * [@position, @position + @n), for notifying once unlocked. */
static void
collect_views (FlyweightPokiesStore *self,
               guint                 position,
               guint                 n,
               Aftermath            *after)
{
  ViewCache *cache = &self->cache;

  for (guint c = position >> CHUNK_BITS; n > 0 && c < cache->n_chunks; c++)
    {
      ViewChunk *chunk = cache->chunks[c];

      if (chunk == NULL)
        continue;
      if (((guint64) c << CHUNK_BITS) >= (guint64) position + n)
        break;

      for (guint i = 0; i < CHUNK_SIZE; i++)
        {
          FlyweightPokiesView *view = chunk->views[i];

          if (view != NULL &&
              view->position >= position && view->position - position < n)
            aftermath_add_view (self, after, view);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Configurations and draws                                                */

static guint64
count_outcomes (guint reels,
                guint symbols)
{
  guint64 n = 1;

  /* Code 0 means "never drawn", so the largest code must stay below
   * G_MAXUINT64. */
  for (guint i = 0; i < reels; i++)
    {
      if (n > (G_MAXUINT64 - 1) / symbols)
        return 0;
      n *= symbols;
    }

  return n;
}

/* Draws take numbers from GRand the way g_rand_int_range() does since
 * GLib 2.22, so that a bulk draw gives what Pokies.draw_with() gives:
 * raw 32-bit numbers above the largest multiple of @symbols are skipped,
 * the rest taken modulo @symbols. Computing that bound once per
 * configuration rather than once per reel is what makes the bulk loop
 * cheaper than calling g_rand_int_range(). */
static guint32
symbol_limit (guint symbols)
{
  guint32 leftover = (0x80000000u % symbols) * 2;

  if (leftover >= symbols)
    leftover -= symbols;

  return 0xffffffffu - leftover;
}

/* raw % symbols without a division, which would cost more than drawing
 * the number: the fractional part of raw / symbols, kept in 64 bits,
 * times symbols (Lemire, Kaser and Kurz, "Faster remainder by direct
 * computation", 2019; exact for every 32-bit raw and divisor). */
static inline guint32
remainder_of (guint32       raw,
              const Config *config)
{
#ifdef __SIZEOF_INT128__
  guint64 fraction = config->inverse * raw;

  return (guint32) (((unsigned __int128) fraction * config->symbols) >> 64);
#else
  return raw % config->symbols;
#endif
}

static inline guint
draw_symbol (GRand        *rand,
             const Config *config)
{
  guint32 raw;

  do
    raw = g_rand_int (rand);
  while (raw > config->limit);

  return remainder_of (raw, config) + 1;
}

/* G_RANDOM_VERSION=2.0 asks GLib for its older algorithm: then only
 * g_rand_int_range() itself gives the same numbers. */
static gboolean
use_own_ranges (void)
{
  static gsize own = 0;

  if (g_once_init_enter (&own))
    {
      const char *version = g_getenv ("G_RANDOM_VERSION");

      g_once_init_leave (&own, version != NULL && g_str_equal (version, "2.0") ? 1 : 2);
    }

  return own == 2;
}

static guint
config_lookup_or_add (FlyweightPokiesStore *self,
                      guint                 reels,
                      guint                 symbols)
{
  guint64 key = ((guint64) reels << 32) | symbols;
  gpointer found = g_hash_table_lookup (self->config_index, &key);
  Config config;
  guint index;
  guint64 *stored_key;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  config.reels = reels;
  config.symbols = symbols;
  config.n_outcomes = count_outcomes (reels, symbols);
  config.limit = symbol_limit (symbols);
  config.inverse = G_MAXUINT64 / symbols + 1;
  g_array_append_val (self->configs, config);
  index = self->configs->len - 1;

  stored_key = g_new (guint64, 1);
  *stored_key = key;
  g_hash_table_insert (self->config_index, stored_key, GUINT_TO_POINTER (index + 1));

  /* Draw cells widen when a draw arrives: a store never drawn has none. */
  flyweight_cells_fit (&self->config_cells, index);

  return index;
}

static inline const Config *
row_config (FlyweightPokiesStore *self,
            guint                 row)
{
  return &g_array_index (self->configs, Config, flyweight_cells_get (&self->config_cells, row));
}

static guint64
encode_draw (const Config *config,
             const guint  *values)
{
  guint64 code = 0;

  for (guint i = 0; i < config->reels; i++)
    code = code * config->symbols + (values[i] - 1);

  return code + 1;
}

static void
decode_draw (const Config *config,
             guint64       code,
             guint        *values)
{
  code--;
  for (guint i = config->reels; i > 0; i--)
    {
      values[i - 1] = (guint) (code % config->symbols) + 1;
      code /= config->symbols;
    }
}

static void
release_draw (FlyweightPokiesStore *self,
              guint                 row)
{
  guint64 cell = flyweight_cells_get (&self->draw_cells, row);
  guint index;

  if (cell == 0 || row_config (self, row)->n_outcomes > 0)
    return;

  index = (guint) cell - 1;
  g_clear_pointer (&g_ptr_array_index (self->wide_draws, index), g_free);
  g_array_append_val (self->wide_free, index);
}

/* Stores a draw of the row's configuration. */
static void
store_draw (FlyweightPokiesStore *self,
            guint                 row,
            const guint          *values)
{
  const Config *config = row_config (self, row);
  guint64 cell = flyweight_cells_get (&self->draw_cells, row);
  guint index;

  if (config->n_outcomes > 0)
    {
      flyweight_cells_fit (&self->draw_cells, config->n_outcomes);
      flyweight_cells_set (&self->draw_cells, row, encode_draw (config, values));
      return;
    }

  if (cell != 0)
    index = (guint) cell - 1;
  else if (self->wide_free->len > 0)
    {
      index = g_array_index (self->wide_free, guint, self->wide_free->len - 1);
      g_array_set_size (self->wide_free, self->wide_free->len - 1);
    }
  else
    {
      g_ptr_array_add (self->wide_draws, NULL);
      index = self->wide_draws->len - 1;
      flyweight_cells_fit (&self->draw_cells, (guint64) index + 1);
    }

  g_free (g_ptr_array_index (self->wide_draws, index));
  g_ptr_array_index (self->wide_draws, index) = g_memdup2 (values, config->reels * sizeof (guint));
  flyweight_cells_set (&self->draw_cells, row, (guint64) index + 1);
}

/* Returns the row's last draw, or NULL if it was never drawn. */
static guint *
dup_draw (FlyweightPokiesStore *self,
          guint                 row)
{
  const Config *config = row_config (self, row);
  guint64 cell = flyweight_cells_get (&self->draw_cells, row);
  guint *values;

  if (cell == 0)
    return NULL;

  if (config->n_outcomes == 0)
    return g_memdup2 (g_ptr_array_index (self->wide_draws, cell - 1), config->reels * sizeof (guint));

  values = g_new (guint, config->reels);
  decode_draw (config, cell, values);

  return values;
}

/* ---------------------------------------------------------------------- */
/* Rows                                                                    */

static void
reserve_rows (FlyweightPokiesStore *self,
              guint                 n_rows)
{
  guint capacity;

  if (n_rows <= self->capacity)
    return;

  /* Grow by half, so that appending one at a time stays linear; the pages
   * not yet written are not resident. */
  capacity = MAX (n_rows, MIN ((guint64) MAX_ROWS, self->capacity + self->capacity / 2 + 16));

  flyweight_cells_reserve (&self->config_cells, capacity);
  flyweight_cells_reserve (&self->draw_cells, capacity);
  for (guint i = 0; i < self->columns->len; i++)
    flyweight_column_reserve (g_ptr_array_index (self->columns, i), capacity);

  self->capacity = capacity;
}

static FlyweightColumn *
find_column (FlyweightPokiesStore *self,
             const char           *name)
{
  return g_hash_table_lookup (self->columns_by_name, name);
}

static void
drop_column (FlyweightPokiesStore *self,
             FlyweightColumn      *column,
             GPtrArray            *garbage)
{
  g_hash_table_remove (self->columns_by_name, column->name);
  g_ptr_array_remove (self->columns, column);
  flyweight_column_free (column, self->n_rows, garbage);
}

/* A column that holds the type of @value, made or generalized if need be. */
static FlyweightColumn *
column_for (FlyweightPokiesStore *self,
            const char           *name,
            GType                 type)
{
  FlyweightColumn *column = find_column (self, name);

  if (column == NULL)
    {
      column = flyweight_column_new (name, type, self->n_rows, self->capacity);
      g_ptr_array_add (self->columns, column);
      g_hash_table_insert (self->columns_by_name, column->name, column);
    }
  else if (!flyweight_column_accepts (column, type))
    flyweight_column_generalize (column, self->n_rows);

  return column;
}

static void
row_set_attr (FlyweightPokiesStore *self,
              guint                 row,
              const char           *name,
              const GValue         *value,
              GPtrArray            *garbage)
{
  FlyweightColumn *column = column_for (self, name, G_VALUE_TYPE (value));

  flyweight_column_set (column, row, value, self->n_rows, garbage);
}

static gboolean
row_del_attr (FlyweightPokiesStore *self,
              guint                 row,
              const char           *name,
              GPtrArray            *garbage)
{
  FlyweightColumn *column = find_column (self, name);

  if (column == NULL || !flyweight_column_unset (column, row, self->n_rows, garbage))
    return FALSE;

  if (column->n_present == 0)
    drop_column (self, column, garbage);

  return TRUE;
}

static void
add_to_orphan_cb (const char   *name,
                  const GValue *value,
                  gpointer      user_data)
{
  flyweight_attr_store_set (user_data, name, value);
}

/* A copy of the row, for a view that outlives it. */
static FlyweightViewOrphan *
orphan_new (FlyweightPokiesStore *self,
            guint                 row)
{
  FlyweightViewOrphan *orphan = g_new0 (FlyweightViewOrphan, 1);

  flyweight_attr_store_init (&orphan->attrs);

  for (guint i = 0; i < self->columns->len; i++)
    {
      FlyweightColumn *column = g_ptr_array_index (self->columns, i);
      g_auto (GValue) value = G_VALUE_INIT;

      if (!flyweight_column_has (column, row))
        continue;
      flyweight_column_get (column, row, &value);
      add_to_orphan_cb (column->name, &value, &orphan->attrs);
    }

  orphan->last_draw = dup_draw (self, row);

  return orphan;
}

/* The view's row goes away: it keeps a copy and leaves the cache. */
static void
detach_view (FlyweightPokiesStore *self,
             FlyweightPokiesView  *view,
             Aftermath            *after)
{
  view->orphan = orphan_new (self, view->position);
  cache_remove (&self->cache, view);
  view->detached = TRUE;
  view->position = FLYWEIGHT_INVALID_POSITION;

  aftermath_add_view (self, after, view);
}

/* Removes @n_removals rows at @position and inserts @n_additions rows of
 * configuration @config there, never drawn and without attributes. Live
 * views of removed rows are detached, those below move; both are left in
 * @after to notify. */
static void
splice_rows (FlyweightPokiesStore *self,
             guint                 position,
             guint                 n_removals,
             guint                 n_additions,
             guint                 config,
             Aftermath            *after)
{
  guint n_rows = self->n_rows;
  guint end = position + n_removals;

  /* Views first, while their rows still hold what they copy: those of
   * removed rows leave the cache, those below move with their rows. */
  if (self->cache.n_views > 0)
    {
      g_autoptr(GPtrArray) views = g_ptr_array_new ();
      g_autofree guint *old_positions = NULL;
      guint n_moved = 0;

      cache_collect (&self->cache, position, views);
      for (guint i = 0; i < views->len; i++)
        {
          FlyweightPokiesView *view = g_ptr_array_index (views, i);

          if (view->position < end)
            detach_view (self, view, after);
          else
            views->pdata[n_moved++] = view;
        }
      g_ptr_array_set_size (views, n_moved);

      if (n_additions != n_removals && n_moved > 0)
        {
          old_positions = g_new (guint, n_moved);
          for (guint i = 0; i < n_moved; i++)
            {
              FlyweightPokiesView *view = g_ptr_array_index (views, i);

              old_positions[i] = view->position;
              view->position = view->position - n_removals + n_additions;
              aftermath_add_view (self, after, view);
            }
          cache_refile (&self->cache, views, old_positions);
        }
    }

  for (guint row = position; row < end; row++)
    release_draw (self, row);

  reserve_rows (self, n_rows - n_removals + n_additions);

  flyweight_cells_splice (&self->config_cells, position, n_removals, n_additions, n_rows);
  if (config != 0)
    flyweight_cells_fill (&self->config_cells, position, n_additions, config);
  flyweight_cells_splice (&self->draw_cells, position, n_removals, n_additions, n_rows);

  self->n_rows = n_rows - n_removals + n_additions;

  for (guint i = self->columns->len; i > 0; i--)
    {
      FlyweightColumn *column = g_ptr_array_index (self->columns, i - 1);

      flyweight_column_splice (column, position, n_removals, n_additions, n_rows, after->garbage);
      if (column->n_present == 0)
        drop_column (self, column, after->garbage);
    }
}

static void
notify_views (GPtrArray *views)
{
  for (guint i = 0; i < views->len; i++)
    flyweight_pokies_view_notify_position (g_ptr_array_index (views, i));
}

/* Signals a splice once the lock is released. */
static void
finish_splice (FlyweightPokiesStore *self,
               guint                 position,
               guint                 n_removals,
               guint                 n_additions,
               Aftermath            *after)
{
  aftermath_drop_garbage (after);

  if (n_removals > 0 || n_additions > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n_removals, n_additions);
  if (n_removals != n_additions)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  notify_views (after->views);
  aftermath_finish (after);
}

/* ---------------------------------------------------------------------- */
/* GObject and GListModel                                                  */

static GType
flyweight_pokies_store_get_item_type (GListModel *model)
{
  return FLYWEIGHT_TYPE_POKIES_VIEW;
}

static guint
flyweight_pokies_store_get_n_items (GListModel *model)
{
  FlyweightPokiesStore *self = (FlyweightPokiesStore *) model;
  guint n_rows;

  lock_store (self);
  n_rows = self->n_rows;
  unlock_store (self);

  return n_rows;
}

/* The store starts pointing to @view, made in this thread. Views need
 * their store: it holds itself while any is alive, which spares each
 * view a reference of its own. */
static void
view_track (FlyweightPokiesStore *self,
            FlyweightPokiesView  *view)
{
  if (self->thread_safe_items)
    g_weak_ref_init (&view->self_ref, view);
  if (self->n_views_alive++ == 0)
    {
      g_object_ref (self);
      if (!self->thread_safe_items)
        self->items_thread = current_thread ();
    }
  cache_insert (&self->cache, view);
}

/* Whether this thread may hand out the store's views. Lock held. */
static inline gboolean
may_hand_out_views (FlyweightPokiesStore *self)
{
  return self->thread_safe_items ||
         self->items_thread == NULL ||
         self->items_thread == current_thread ();
}

static FlyweightPokiesView *
view_new (FlyweightPokiesStore *self,
          guint                 position)
{
  const Config *config = row_config (self, position);
  FlyweightPokiesView *view;

  /* Only the view's own init runs: no code that could call back here. */
  view = (FlyweightPokiesView *) g_object_new_with_properties (FLYWEIGHT_TYPE_POKIES_VIEW, 0, NULL, NULL);
  flyweight_pokies_set_dimensions ((FlyweightPokies *) view, config->reels, config->symbols);
  view->store = self;
  view->position = position;
  view_track (self, view);

  return view;
}

static FlyweightPokiesView *
store_get_view (FlyweightPokiesStore *self,
                guint                 position)
{
  FlyweightPokiesView *view;
  Aftermath after;
  gboolean replaced = FALSE;

  lock_store (self);

  if (position >= self->n_rows)
    {
      unlock_store (self);
      return NULL;
    }
  if (G_UNLIKELY (!may_hand_out_views (self)))
    {
      unlock_store (self);
      g_critical ("%s: the items of a FlyweightPokiesStore are alive in another thread: "
                  "set FlyweightPokiesStore:thread-safe-items to share them between threads",
                  G_STRFUNC);
      return NULL;
    }

  view = cache_lookup (&self->cache, position);
  if (G_LIKELY (view != NULL))
    {
      FlyweightPokiesView *live = view_ref_checked (self, view);

      if (G_LIKELY (live != NULL))
        {
          unlock_store (self);
          return live;
        }
    }

  /* A view whose last reference is going is not handed out again: a new
   * one takes its place, and the old one keeps a copy in case its
   * dispose() revives it. */
  if (view != NULL)
    {
      aftermath_init (&after);
      detach_view (self, view, &after);
      replaced = TRUE;
    }

  view = view_new (self, position);

  unlock_store (self);
  if (replaced)
    aftermath_finish (&after);

  return view;
}

static gpointer
flyweight_pokies_store_get_item (GListModel *model,
                                 guint       position)
{
  return store_get_view ((FlyweightPokiesStore *) model, position);
}

static void
flyweight_pokies_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = flyweight_pokies_store_get_item_type;
  iface->get_n_items = flyweight_pokies_store_get_n_items;
  iface->get_item = flyweight_pokies_store_get_item;
}

/* GObject's way to break reference cycles: a row that holds one of the
 * store's own views (which holds the store) keeps both alive until the
 * store is disposed. Then the columns of values that may hold objects go;
 * the rows stay, without them. No signal: nobody asked for the change. */
static void
flyweight_pokies_store_dispose (GObject *object)
{
  FlyweightPokiesStore *self = FLYWEIGHT_POKIES_STORE (object);
  g_autoptr(GPtrArray) garbage = g_ptr_array_new_with_free_func (free_garbage_value);

  lock_store (self);
  for (guint i = self->columns->len; i > 0; i--)
    {
      FlyweightColumn *column = g_ptr_array_index (self->columns, i - 1);

      if (column->kind == FLYWEIGHT_COLUMN_VALUE)
        drop_column (self, column, garbage);
    }
  unlock_store (self);

  /* Unset with the lock released: an object dropped here may finalize
   * a view, which locks the store. */
  g_clear_pointer (&garbage, g_ptr_array_unref);

  G_OBJECT_CLASS (flyweight_pokies_store_parent_class)->dispose (object);
}

static void
flyweight_pokies_store_finalize (GObject *object)
{
  FlyweightPokiesStore *self = FLYWEIGHT_POKIES_STORE (object);
  g_autoptr(GPtrArray) garbage = g_ptr_array_new_with_free_func (free_garbage_value);

  /* Views hold the store, so none is left. */
  g_assert (self->cache.n_views == 0);

  for (guint i = 0; i < self->columns->len; i++)
    flyweight_column_free (g_ptr_array_index (self->columns, i), self->n_rows, garbage);
  g_ptr_array_set_size (self->columns, 0);
  g_ptr_array_unref (self->columns);
  g_hash_table_unref (self->columns_by_name);

  g_ptr_array_unref (self->wide_draws);
  g_array_unref (self->wide_free);
  flyweight_cells_clear (&self->draw_cells);
  flyweight_cells_clear (&self->config_cells);
  g_hash_table_unref (self->config_index);
  g_array_unref (self->configs);
  cache_clear (&self->cache);

  G_OBJECT_CLASS (flyweight_pokies_store_parent_class)->finalize (object);
}

static void
flyweight_pokies_store_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FlyweightPokiesStore *self = FLYWEIGHT_POKIES_STORE (object);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, FLYWEIGHT_TYPE_POKIES_VIEW);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self)));
      break;

    case PROP_THREAD_SAFE_ITEMS:
      g_value_set_boolean (value, self->thread_safe_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pokies_store_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FlyweightPokiesStore *self = FLYWEIGHT_POKIES_STORE (object);

  switch (prop_id)
    {
    case PROP_THREAD_SAFE_ITEMS:
      self->thread_safe_items = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pokies_store_class_init (FlyweightPokiesStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = flyweight_pokies_store_dispose;
  object_class->finalize = flyweight_pokies_store_finalize;
  object_class->get_property = flyweight_pokies_store_get_property;
  object_class->set_property = flyweight_pokies_store_set_property;

  /**
   * FlyweightPokiesStore:item-type:
   *
   * The type of the items: [class@Flyweight.PokiesView].
   *
   * Since: 1.0
   */
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        FLYWEIGHT_TYPE_POKIES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FlyweightPokiesStore:n-items:
   *
   * The number of machines in the store.
   *
   * Since: 1.0
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FlyweightPokiesStore:thread-safe-items:
   *
   * Whether the store's items may live in several threads at once.
   *
   * By default, as with any `GListModel` GTK shows, the items belong to
   * one thread: the one that asked for the first of those alive. Only it
   * may ask for items and drop their last reference, or change rows while
   * items are alive, since changes notify them. Another thread gets a
   * critical warning and no item, and its changes are made but notify no
   * item. Once no item is alive, the next thread to ask takes them over.
   *
   * With this set, every thread may do all of that at any time. Each item
   * then holds a `GWeakRef` to itself, through which the store takes its
   * references: GLib clears it under its own lock before an item dies, so
   * a thread asking for an item never gets one that another thread is
   * freeing. That costs a few small allocations per item, and GLib's lock
   * on every [method@Gio.ListModel.get_item].
   *
   * Either way, the store's other calls may come from any thread.
   *
   * Since: 1.0
   */
  properties[PROP_THREAD_SAFE_ITEMS] =
    g_param_spec_boolean ("thread-safe-items", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlyweightPokiesStore::rows-changed:
   * @self: the store
   * @position: the first row that changed
   * @n_rows: the number of rows from @position that may have changed
   *
   * Emitted when rows changed in place — new draws, attributes set or
   * deleted — with the same items at the same positions, so
   * [signal@Gio.ListModel::items-changed] is not emitted. Live views of
   * those rows have notified their own changes already.
   *
   * Since: 1.0
   */
  signals[ROWS_CHANGED] =
    g_signal_new ("rows-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_UINT);
}

static void
flyweight_pokies_store_init (FlyweightPokiesStore *self)
{
  self->configs = g_array_new (FALSE, FALSE, sizeof (Config));
  self->config_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  flyweight_cells_init (&self->config_cells, 0, 0);
  flyweight_cells_init (&self->draw_cells, 0, 0);
  self->wide_draws = g_ptr_array_new_with_free_func (g_free);
  self->wide_free = g_array_new (FALSE, FALSE, sizeof (guint));
  self->columns = g_ptr_array_new ();
  self->columns_by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * flyweight_pokies_store_new:
 *
 * Creates an empty store.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 1.0
 */
FlyweightPokiesStore *
flyweight_pokies_store_new (void)
{
  return g_object_new (FLYWEIGHT_TYPE_POKIES_STORE, NULL);
}

/**
 * flyweight_pokies_store_get_thread_safe_items:
 * @self: a `FlyweightPokiesStore`
 *
 * Gets whether the store's items may live in several threads at once:
 * see [property@Flyweight.PokiesStore:thread-safe-items].
 *
 * Returns: %TRUE if they may
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_get_thread_safe_items (FlyweightPokiesStore *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);

  return self->thread_safe_items;
}

static gboolean
check_room (guint    n_rows,
            guint    n_removals,
            guint    n_additions,
            GError **error)
{
  if (n_additions > n_removals && n_additions - n_removals > MAX_ROWS - n_rows)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("A store holds at most %u machines"), (guint) MAX_ROWS);
      return FALSE;
    }

  return TRUE;
}

/* Inserts at @position, or at the end if @at_end: the end as it is once
 * the lock is held. */
static gboolean
insert_rows (FlyweightPokiesStore  *self,
             guint                  position,
             gboolean               at_end,
             guint                  n_machines,
             guint                  reels,
             guint                  symbols,
             GError               **error)
{
  Aftermath after;
  guint n_rows, config;

  if (!flyweight_pokies_check_dimensions (reels, symbols, error))
    return FALSE;

  lock_store (self);
  n_rows = self->n_rows;
  if (at_end)
    position = n_rows;
  if (position > n_rows)
    {
      unlock_store (self);
      g_return_val_if_fail (position <= n_rows, FALSE);
    }
  if (!check_room (n_rows, 0, n_machines, error))
    {
      unlock_store (self);
      return FALSE;
    }
  if (n_machines == 0)
    {
      unlock_store (self);
      return TRUE;
    }

  aftermath_init (&after);
  config = config_lookup_or_add (self, reels, symbols);
  splice_rows (self, position, 0, n_machines, config, &after);
  unlock_store (self);

  finish_splice (self, position, 0, n_machines, &after);

  return TRUE;
}

/**
 * flyweight_pokies_store_insert_many:
 * @self: a `FlyweightPokiesStore`
 * @position: where to insert, at most the number of machines
 * @n_machines: how many machines to insert
 * @reels: the number of reels of each, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols on each reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Inserts @n_machines machines of one configuration at @position, never
 * drawn and without attributes, and emits
 * [signal@Gio.ListModel::items-changed] once.
 *
 * Fails, changing nothing, with %FLYWEIGHT_ERROR_INVALID_VALUE if @reels
 * or @symbols is out of range or the store would hold more than
 * `G_MAXUINT - 1` machines.
 *
 * Returns: %TRUE if the machines were inserted
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_insert_many (FlyweightPokiesStore  *self,
                                    guint                  position,
                                    guint                  n_machines,
                                    guint                  reels,
                                    guint                  symbols,
                                    GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_rows (self, position, FALSE, n_machines, reels, symbols, error);
}

/**
 * flyweight_pokies_store_append_many:
 * @self: a `FlyweightPokiesStore`
 * @n_machines: how many machines to append
 * @reels: the number of reels of each, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols on each reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Appends @n_machines machines of one configuration in one call, as
 * [method@Flyweight.PokiesStore.insert_many] does at the end.
 *
 * Returns: %TRUE if the machines were appended
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_append_many (FlyweightPokiesStore  *self,
                                    guint                  n_machines,
                                    guint                  reels,
                                    guint                  symbols,
                                    GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_rows (self, 0, TRUE, n_machines, reels, symbols, error);
}

/**
 * flyweight_pokies_store_insert:
 * @self: a `FlyweightPokiesStore`
 * @position: where to insert, at most the number of machines
 * @reels: the number of reels, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols on each reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Inserts one machine at @position, never drawn and without attributes.
 *
 * Fails as [method@Flyweight.PokiesStore.insert_many] does.
 *
 * Returns: %TRUE if the machine was inserted
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_insert (FlyweightPokiesStore  *self,
                               guint                  position,
                               guint                  reels,
                               guint                  symbols,
                               GError               **error)
{
  return flyweight_pokies_store_insert_many (self, position, 1, reels, symbols, error);
}

/**
 * flyweight_pokies_store_append:
 * @self: a `FlyweightPokiesStore`
 * @reels: the number of reels, from 1 to %FLYWEIGHT_POKIES_MAX_REELS
 * @symbols: the number of symbols on each reel, from 1 to
 *   %FLYWEIGHT_POKIES_MAX_SYMBOLS
 * @error: return location for a #GError
 *
 * Appends one machine, never drawn and without attributes.
 *
 * Fails as [method@Flyweight.PokiesStore.insert_many] does.
 *
 * Returns: %TRUE if the machine was appended
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_append (FlyweightPokiesStore  *self,
                               guint                  reels,
                               guint                  symbols,
                               GError               **error)
{
  return flyweight_pokies_store_append_many (self, 1, reels, symbols, error);
}

/* What a machine to add holds, read before the store is locked: the
 * machine may be a view of this very store. */
typedef struct
{
  guint   reels;
  guint   symbols;
  char  **names;
  GValue *values;
  guint   n_values;
  guint  *last_draw;
} Addition;

static void
addition_clear (Addition *addition)
{
  for (guint i = 0; i < addition->n_values; i++)
    g_value_unset (&addition->values[i]);
  g_free (addition->values);
  g_strfreev (addition->names);
  g_free (addition->last_draw);
}

static gboolean
addition_read (Addition         *addition,
               FlyweightPokies  *machine,
               GError          **error)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (machine);
  guint n_names = names != NULL ? g_strv_length (names) : 0;

  memset (addition, 0, sizeof *addition);
  addition->reels = flyweight_pokies_get_reels (machine);
  addition->symbols = flyweight_pokies_get_symbols (machine);
  if (!flyweight_pokies_check_dimensions (addition->reels, addition->symbols, error))
    return FALSE;

  addition->names = g_new0 (char *, n_names + 1);
  addition->values = g_new0 (GValue, n_names);

  for (guint i = 0; i < n_names; i++)
    {
      GValue *value = &addition->values[addition->n_values];

      if (flyweight_pokies_is_dimension (names[i]))
        continue;

      /* A machine from a binding may list what it cannot give. */
      if (!flyweight_attr_name_validate (names[i], error) ||
          !flyweight_pokies_get_attr (machine, names[i], value, error) ||
          !flyweight_pokies_check_value (names[i], value, error))
        {
          if (G_IS_VALUE (value))
            g_value_unset (value);
          addition_clear (addition);
          return FALSE;
        }

      addition->names[addition->n_values++] = g_strdup (names[i]);
    }

  if (FLYWEIGHT_IS_POKIES_VIEW (machine))
    {
      guint n_values = 0;

      addition->last_draw = flyweight_pokies_view_get_last_draw (FLYWEIGHT_POKIES_VIEW (machine), &n_values);
      if (n_values != addition->reels)
        g_clear_pointer (&addition->last_draw, g_free);
    }

  return TRUE;
}

/**
 * flyweight_pokies_store_splice:
 * @self: a `FlyweightPokiesStore`
 * @position: the first machine to remove, at most the number of machines
 * @n_removals: how many machines to remove
 * @additions: (array length=n_additions) (nullable): the machines to insert
 *   in their place
 * @n_additions: the length of @additions
 * @error: return location for a #GError
 *
 * Removes @n_removals machines at @position and inserts copies of
 * @additions there, emitting [signal@Gio.ListModel::items-changed] once,
 * as [method@Gio.ListStore.splice] does.
 *
 * Each machine inserted takes the configuration and the attributes of its
 * addition (and its last draw, for a [class@Flyweight.PokiesView]); the
 * addition itself is not kept, and stays as it was. Live views of removed
 * machines keep working on a copy of their row, at
 * %FLYWEIGHT_INVALID_POSITION.
 *
 * Fails, changing nothing, if the store would hold more than
 * `G_MAXUINT - 1` machines (%FLYWEIGHT_ERROR_INVALID_VALUE), or if an
 * addition does not give one of the attributes it lists.
 *
 * Returns: %TRUE if the machines were replaced
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_splice (FlyweightPokiesStore     *self,
                               guint                     position,
                               guint                     n_removals,
                               FlyweightPokies * const  *additions,
                               guint                     n_additions,
                               GError                  **error)
{
  g_autofree Addition *read = NULL;
  Aftermath after;
  guint n_rows;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (additions != NULL || n_additions == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_additions; i++)
    g_return_val_if_fail (FLYWEIGHT_IS_POKIES (additions[i]), FALSE);

  read = g_new0 (Addition, MAX (n_additions, 1));
  for (guint i = 0; i < n_additions; i++)
    if (!addition_read (&read[i], additions[i], error))
      {
        for (guint j = 0; j < i; j++)
          addition_clear (&read[j]);
        return FALSE;
      }

  lock_store (self);
  n_rows = self->n_rows;

  if (position > n_rows || n_removals > n_rows - position ||
      !check_room (n_rows, n_removals, n_additions, error))
    {
      unlock_store (self);
      for (guint i = 0; i < n_additions; i++)
        addition_clear (&read[i]);
      g_return_val_if_fail (position <= n_rows, FALSE);
      g_return_val_if_fail (n_removals <= n_rows - position, FALSE);
      return FALSE;
    }

  aftermath_init (&after);
  splice_rows (self, position, n_removals, n_additions, 0, &after);

  for (guint i = 0; i < n_additions; i++)
    {
      guint row = position + i;
      guint config = config_lookup_or_add (self, read[i].reels, read[i].symbols);

      flyweight_cells_set (&self->config_cells, row, config);
      for (guint j = 0; j < read[i].n_values; j++)
        row_set_attr (self, row, read[i].names[j], &read[i].values[j], after.garbage);
      if (read[i].last_draw != NULL)
        store_draw (self, row, read[i].last_draw);
    }

  unlock_store (self);

  for (guint i = 0; i < n_additions; i++)
    addition_clear (&read[i]);

  finish_splice (self, position, n_removals, n_additions, &after);

  return TRUE;
}

/**
 * flyweight_pokies_store_append_machine:
 * @self: a `FlyweightPokiesStore`
 * @machine: the machine to copy
 * @error: return location for a #GError
 *
 * Appends a copy of @machine: its configuration, its attributes, and its
 * last draw if it is a [class@Flyweight.PokiesView].
 *
 * Fails as [method@Flyweight.PokiesStore.splice] does.
 *
 * Returns: %TRUE if the machine was appended
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_append_machine (FlyweightPokiesStore  *self,
                                       FlyweightPokies       *machine,
                                       GError               **error)
{
  Addition addition;
  Aftermath after;
  guint row, config;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (machine), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!addition_read (&addition, machine, error))
    return FALSE;

  lock_store (self);
  if (!check_room (self->n_rows, 0, 1, error))
    {
      unlock_store (self);
      addition_clear (&addition);
      return FALSE;
    }

  aftermath_init (&after);
  row = self->n_rows;
  config = config_lookup_or_add (self, addition.reels, addition.symbols);
  splice_rows (self, row, 0, 1, config, &after);
  for (guint j = 0; j < addition.n_values; j++)
    row_set_attr (self, row, addition.names[j], &addition.values[j], after.garbage);
  if (addition.last_draw != NULL)
    store_draw (self, row, addition.last_draw);
  unlock_store (self);

  addition_clear (&addition);
  finish_splice (self, row, 0, 1, &after);

  return TRUE;
}

/**
 * flyweight_pokies_store_remove_range:
 * @self: a `FlyweightPokiesStore`
 * @position: the first machine to remove
 * @n_machines: how many machines to remove
 *
 * Removes @n_machines machines from @position on, emitting
 * [signal@Gio.ListModel::items-changed] once. Live views of removed
 * machines keep working on a copy of their row, at
 * %FLYWEIGHT_INVALID_POSITION.
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_remove_range (FlyweightPokiesStore *self,
                                     guint                 position,
                                     guint                 n_machines)
{
  Aftermath after;
  guint n_rows;

  g_return_if_fail (FLYWEIGHT_IS_POKIES_STORE (self));

  lock_store (self);
  n_rows = self->n_rows;
  if (position > n_rows || n_machines > n_rows - position)
    {
      unlock_store (self);
      g_return_if_fail (position <= n_rows);
      g_return_if_fail (n_machines <= n_rows - position);
      return;
    }
  if (n_machines == 0)
    {
      unlock_store (self);
      return;
    }

  aftermath_init (&after);
  splice_rows (self, position, n_machines, 0, 0, &after);
  unlock_store (self);

  finish_splice (self, position, n_machines, 0, &after);
}

/**
 * flyweight_pokies_store_remove:
 * @self: a `FlyweightPokiesStore`
 * @position: the machine to remove
 *
 * Removes the machine at @position; see
 * [method@Flyweight.PokiesStore.remove_range].
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_remove (FlyweightPokiesStore *self,
                               guint                 position)
{
  flyweight_pokies_store_remove_range (self, position, 1);
}

/**
 * flyweight_pokies_store_remove_all:
 * @self: a `FlyweightPokiesStore`
 *
 * Removes every machine; see [method@Flyweight.PokiesStore.remove_range].
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_remove_all (FlyweightPokiesStore *self)
{
  Aftermath after;
  guint n_rows;

  g_return_if_fail (FLYWEIGHT_IS_POKIES_STORE (self));

  lock_store (self);
  n_rows = self->n_rows;
  if (n_rows == 0)
    {
      unlock_store (self);
      return;
    }

  aftermath_init (&after);
  splice_rows (self, 0, n_rows, 0, 0, &after);
  unlock_store (self);

  finish_splice (self, 0, n_rows, 0, &after);
}

/**
 * flyweight_pokies_store_get_view:
 * @self: a `FlyweightPokiesStore`
 * @position: the machine's position
 *
 * Gets the machine at @position, as [method@Gio.ListModel.get_item] does,
 * with its own type.
 *
 * The view is made when asked and remembered weakly: while anyone holds
 * it, the same position gives the same view. Ask from the thread the
 * store's items belong to, unless the store has
 * [property@Flyweight.PokiesStore:thread-safe-items] set.
 *
 * Returns: (transfer full) (nullable): the machine, or %NULL if @position
 *   is past the end, or, with a critical warning, if the store's live
 *   items belong to another thread
 *
 * Since: 1.0
 */
FlyweightPokiesView *
flyweight_pokies_store_get_view (FlyweightPokiesStore *self,
                                 guint                 position)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), NULL);

  return store_get_view (self, position);
}

/**
 * flyweight_pokies_store_get_n_live_views:
 * @self: a `FlyweightPokiesStore`
 *
 * Counts the views of this store that are alive now, whether their row is
 * still in the store or not: how many item objects exist.
 *
 * Returns: the number of live views
 *
 * Since: 1.0
 */
guint
flyweight_pokies_store_get_n_live_views (FlyweightPokiesStore *self)
{
  guint n_views;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), 0);

  lock_store (self);
  n_views = self->n_views_alive;
  unlock_store (self);

  return n_views;
}

/**
 * flyweight_pokies_store_get_n_configurations:
 * @self: a `FlyweightPokiesStore`
 *
 * Counts the distinct configurations — pairs of `reels` and `symbols` —
 * the store has held. Machines of the same configuration share it.
 *
 * Returns: the number of configurations
 *
 * Since: 1.0
 */
guint
flyweight_pokies_store_get_n_configurations (FlyweightPokiesStore *self)
{
  guint n_configs;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), 0);

  lock_store (self);
  n_configs = self->configs->len;
  unlock_store (self);

  return n_configs;
}

/* ---------------------------------------------------------------------- */
/* Draws                                                                   */

static void
draw_rows (FlyweightPokiesStore *self,
           GRand                *rand,
           guint                 position,
           guint                 n)
{
  gboolean own_ranges = use_own_ranges ();
  guint *values = NULL;
  guint n_values = 0;

  /* Wide enough for every draw to come, before the loop. */
  for (guint i = 0; i < self->configs->len; i++)
    flyweight_cells_fit (&self->draw_cells, g_array_index (self->configs, Config, i).n_outcomes);

  for (guint row = position; row < position + n; row++)
    {
      const Config *config = row_config (self, row);

      if (G_LIKELY (config->n_outcomes > 0 && own_ranges))
        {
          guint64 code = 0;

          /* The numbers flyweight_pokies_draw_with() would take, in the
           * same order, folded into the code as they come. */
          for (guint i = 0; i < config->reels; i++)
            code = code * config->symbols + (draw_symbol (rand, config) - 1);
          flyweight_cells_set (&self->draw_cells, row, code + 1);
          continue;
        }

      if (n_values < config->reels)
        {
          n_values = config->reels;
          values = g_renew (guint, values, n_values);
        }
      for (guint i = 0; i < config->reels; i++)
        values[i] = own_ranges ? draw_symbol (rand, config)
                               : (guint) g_rand_int_range (rand, 1, (gint32) config->symbols + 1);
      store_draw (self, row, values);
    }

  g_free (values);
}

/* Tells live views and listeners that rows changed in place. */
static void
finish_rows_changed (FlyweightPokiesStore *self,
                     guint                 position,
                     guint                 n,
                     const char           *attr_name,
                     Aftermath            *after)
{
  aftermath_drop_garbage (after);

  for (guint i = 0; i < after->views->len; i++)
    {
      FlyweightPokiesView *view = g_ptr_array_index (after->views, i);

      if (attr_name != NULL)
        flyweight_pokies_view_emit_attr_changed (view, attr_name);
      else
        flyweight_pokies_view_notify_draw (view);
    }

  if (n > 0)
    g_signal_emit (self, signals[ROWS_CHANGED], 0, position, n);

  aftermath_finish (after);
}

/**
 * flyweight_pokies_store_draw_range:
 * @self: a `FlyweightPokiesStore`
 * @position: the first machine to draw
 * @n_machines: how many machines to draw
 * @random: (nullable): the source of the numbers, or %NULL for a fresh
 *   source seeded from GLib's global one
 *
 * Pulls the arm of @n_machines machines from @position on, in order, and
 * keeps each draw as the machine's last draw. No item is made.
 *
 * With @random, the draws are those that calling
 * [method@Flyweight.Pokies.draw_with] on each machine in turn would give,
 * and @random is locked for the whole call, so they come from one
 * consecutive run of its sequence.
 *
 * Live views of the machines notify [property@Flyweight.PokiesView:last-draw]
 * and [property@Flyweight.PokiesView:last-draw-text]; then the store emits
 * [signal@Flyweight.PokiesStore::rows-changed] once.
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_draw_range (FlyweightPokiesStore *self,
                                   guint                 position,
                                   guint                 n_machines,
                                   FlyweightRandom      *random)
{
  GRand *rand;
  Aftermath after;
  guint n_rows;

  g_return_if_fail (FLYWEIGHT_IS_POKIES_STORE (self));
  g_return_if_fail (random == NULL || FLYWEIGHT_IS_RANDOM (random));

  rand = random != NULL ? NULL : g_rand_new_with_seed (g_random_int ());

  lock_store (self);
  n_rows = self->n_rows;
  if (position > n_rows || n_machines > n_rows - position)
    {
      unlock_store (self);
      g_clear_pointer (&rand, g_rand_free);
      g_return_if_fail (position <= n_rows);
      g_return_if_fail (n_machines <= n_rows - position);
      return;
    }

  if (random != NULL)
    {
      draw_rows (self, flyweight_random_lock_rand (random), position, n_machines);
      flyweight_random_unlock_rand (random);
    }
  else
    draw_rows (self, rand, position, n_machines);

  aftermath_init (&after);
  collect_views (self, position, n_machines, &after);
  unlock_store (self);

  g_clear_pointer (&rand, g_rand_free);
  finish_rows_changed (self, position, n_machines, NULL, &after);
}

/**
 * flyweight_pokies_store_draw_all:
 * @self: a `FlyweightPokiesStore`
 * @random: (nullable): the source of the numbers, or %NULL for a fresh
 *   source seeded from GLib's global one
 *
 * Pulls the arm of every machine; see
 * [method@Flyweight.PokiesStore.draw_range].
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_draw_all (FlyweightPokiesStore *self,
                                 FlyweightRandom      *random)
{
  GRand *rand;
  Aftermath after;
  guint n_rows;

  g_return_if_fail (FLYWEIGHT_IS_POKIES_STORE (self));
  g_return_if_fail (random == NULL || FLYWEIGHT_IS_RANDOM (random));

  rand = random != NULL ? NULL : g_rand_new_with_seed (g_random_int ());

  lock_store (self);
  n_rows = self->n_rows;
  if (random != NULL)
    {
      draw_rows (self, flyweight_random_lock_rand (random), 0, n_rows);
      flyweight_random_unlock_rand (random);
    }
  else
    draw_rows (self, rand, 0, n_rows);

  aftermath_init (&after);
  collect_views (self, 0, n_rows, &after);
  unlock_store (self);

  g_clear_pointer (&rand, g_rand_free);
  finish_rows_changed (self, 0, n_rows, NULL, &after);
}

/* ---------------------------------------------------------------------- */
/* Attributes in bulk                                                      */

static gboolean
check_writable_name (const char  *name,
                     GError     **error)
{
  return flyweight_pokies_check_changeable (FLYWEIGHT_TYPE_POKIES_VIEW, name, error);
}

/* Locks the store if [@position, @position + @n) is a range of rows;
 * otherwise complains and leaves it unlocked. */
static gboolean
lock_range (FlyweightPokiesStore *self,
            guint                 position,
            guint                 n)
{
  guint n_rows;

  lock_store (self);
  n_rows = self->n_rows;
  if (position <= n_rows && n <= n_rows - position)
    return TRUE;

  unlock_store (self);
  g_return_val_if_fail (position <= n_rows, FALSE);
  g_return_val_if_fail (n <= n_rows - position, FALSE);
  return FALSE;
}

/**
 * flyweight_pokies_store_set_attr_range:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the first machine
 * @n_machines: how many machines
 * @value: the value, which is copied
 * @error: return location for a #GError
 *
 * Sets the attribute @name to @value on @n_machines machines from
 * @position on, making no item.
 *
 * Live views of the machines emit [signal@Flyweight.PokiesView::attr-changed];
 * then the store emits [signal@Flyweight.PokiesStore::rows-changed] once.
 *
 * Fails, changing nothing, as [method@Flyweight.Pokies.set_attr] does:
 * %FLYWEIGHT_ERROR_INVALID_NAME, %FLYWEIGHT_ERROR_READ_ONLY for `reels`
 * and `symbols`, %FLYWEIGHT_ERROR_INVALID_VALUE for a value that cannot be
 * stored.
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_range (FlyweightPokiesStore  *self,
                                       const char            *name,
                                       guint                  position,
                                       guint                  n_machines,
                                       const GValue          *value,
                                       GError               **error)
{
  FlyweightColumn *column;
  Aftermath after;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable_name (name, error) ||
      !flyweight_pokies_check_value (name, value, error))
    return FALSE;

  if (!lock_range (self, position, n_machines))
    return FALSE;

  aftermath_init (&after);
  if (n_machines > 0)
    {
      column = column_for (self, name, G_VALUE_TYPE (value));
      if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN || column->kind == FLYWEIGHT_COLUMN_NUMBER)
        {
          guint64 raw = flyweight_column_raw_of (column, value);

          for (guint row = position; row < position + n_machines; row++)
            flyweight_column_set_raw (column, row, raw, self->n_rows);
        }
      else
        for (guint row = position; row < position + n_machines; row++)
          flyweight_column_set (column, row, value, self->n_rows, after.garbage);
    }
  collect_views (self, position, n_machines, &after);
  unlock_store (self);

  finish_rows_changed (self, position, n_machines, name, &after);
  flyweight_pokies_forget_peeked ();

  return TRUE;
}

/**
 * flyweight_pokies_store_del_attr_range:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the first machine
 * @n_machines: how many machines
 * @error: return location for a #GError
 *
 * Removes the attribute @name from @n_machines machines from @position on;
 * machines without it are left as they are.
 *
 * Signals as [method@Flyweight.PokiesStore.set_attr_range] does, and fails
 * with %FLYWEIGHT_ERROR_INVALID_NAME or %FLYWEIGHT_ERROR_READ_ONLY.
 *
 * Returns: %TRUE unless @name cannot be deleted
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_del_attr_range (FlyweightPokiesStore  *self,
                                       const char            *name,
                                       guint                  position,
                                       guint                  n_machines,
                                       GError               **error)
{
  Aftermath after;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable_name (name, error))
    return FALSE;

  if (!lock_range (self, position, n_machines))
    return FALSE;

  aftermath_init (&after);
  for (guint row = position; row < position + n_machines; row++)
    if (!row_del_attr (self, row, name, after.garbage) && find_column (self, name) == NULL)
      break;
  collect_views (self, position, n_machines, &after);
  unlock_store (self);

  finish_rows_changed (self, position, n_machines, name, &after);
  flyweight_pokies_forget_peeked ();

  return TRUE;
}

typedef enum
{
  ARRAY_STRINGS,
  ARRAY_INTS,
  ARRAY_DOUBLES,
  ARRAY_BOOLEANS,
} ArrayKind;

static gboolean
set_attr_array (FlyweightPokiesStore  *self,
                const char            *name,
                guint                  position,
                ArrayKind              kind,
                gconstpointer          values,
                guint                  n_values,
                GError               **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_INT, G_TYPE_DOUBLE, G_TYPE_BOOLEAN };
  FlyweightColumn *column;
  Aftermath after;

  if (!check_writable_name (name, error))
    return FALSE;

  if (kind == ARRAY_STRINGS)
    for (guint i = 0; i < n_values; i++)
      {
        const char *string = ((const char * const *) values)[i];

        if (string != NULL && !g_utf8_validate (string, -1, NULL))
          {
            g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                         _("Cannot set attribute “%s” to a string that is not valid UTF-8"),
                         name);
            return FALSE;
          }
      }

  if (!lock_range (self, position, n_values))
    return FALSE;

  aftermath_init (&after);
  if (n_values > 0)
    column = column_for (self, name, types[kind]);
  else
    column = NULL;

  for (guint i = 0; i < n_values; i++)
    {
      guint row = position + i;
      g_auto (GValue) value = G_VALUE_INIT;

      if (column->kind != FLYWEIGHT_COLUMN_VALUE)
        {
          switch (kind)
            {
            case ARRAY_STRINGS:
              flyweight_column_set_string (column, row, ((const char * const *) values)[i], self->n_rows);
              break;
            case ARRAY_INTS:
              flyweight_column_set_raw (column, row, (guint32) ((const gint *) values)[i], self->n_rows);
              break;
            case ARRAY_DOUBLES:
              {
                guint64 raw;

                memcpy (&raw, &((const gdouble *) values)[i], sizeof raw);
                flyweight_column_set_raw (column, row, raw, self->n_rows);
              }
              break;
            case ARRAY_BOOLEANS:
            default:
              flyweight_column_set_raw (column, row, ((const gboolean *) values)[i] ? 1 : 0, self->n_rows);
              break;
            }
          continue;
        }

      /* A column of mixed types takes a GValue per row. */
      g_value_init (&value, types[kind]);
      switch (kind)
        {
        case ARRAY_STRINGS:
          g_value_set_string (&value, ((const char * const *) values)[i]);
          break;
        case ARRAY_INTS:
          g_value_set_int (&value, ((const gint *) values)[i]);
          break;
        case ARRAY_DOUBLES:
          g_value_set_double (&value, ((const gdouble *) values)[i]);
          break;
        case ARRAY_BOOLEANS:
        default:
          g_value_set_boolean (&value, ((const gboolean *) values)[i]);
          break;
        }
      flyweight_column_set (column, row, &value, self->n_rows, after.garbage);
    }

  collect_views (self, position, n_values, &after);
  unlock_store (self);

  finish_rows_changed (self, position, n_values, name, &after);
  flyweight_pokies_forget_peeked ();

  return TRUE;
}

/**
 * flyweight_pokies_store_set_attr_strings:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the machine that takes the first value
 * @values: (array length=n_values) (element-type utf8) (nullable): one
 *   string per machine, %NULL allowed
 * @n_values: the number of values
 * @error: return location for a #GError
 *
 * Sets the string attribute @name of @n_values machines from @position
 * on, one value each, in one call: from Python,
 * `store.set_attr_strings('owner', 0, owners * 10_000)` gives a million
 * machines a hundred owners without a loop. Language bindings copy every
 * string of the array for the call, which costs the process memory its
 * allocator keeps afterwards; [method@Flyweight.PokiesStore.set_attr_dictionary]
 * passes the same owners as a hundred strings and a million numbers.
 *
 * Signals as [method@Flyweight.PokiesStore.set_attr_range] does. Fails,
 * changing nothing, with %FLYWEIGHT_ERROR_INVALID_NAME,
 * %FLYWEIGHT_ERROR_READ_ONLY, or %FLYWEIGHT_ERROR_INVALID_VALUE if a string
 * is not valid UTF-8.
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_strings (FlyweightPokiesStore  *self,
                                         const char            *name,
                                         guint                  position,
                                         const char * const    *values,
                                         guint                  n_values,
                                         GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_attr_array (self, name, position, ARRAY_STRINGS, values, n_values, error);
}

/**
 * flyweight_pokies_store_set_attr_dictionary:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the machine that takes the first value
 * @dictionary: (array length=n_dictionary) (element-type utf8): the
 *   distinct strings, %NULL allowed
 * @n_dictionary: the number of strings in @dictionary
 * @indices: (array length=n_indices): for each machine, the index of its
 *   string in @dictionary
 * @n_indices: the number of machines
 * @error: return location for a #GError
 *
 * Sets the string attribute @name of @n_indices machines from @position
 * on: machine `position + i` gets `dictionary[indices[i]]`. This is how
 * the store keeps strings, and the cheapest way to hand it many: from
 * Python, `store.set_attr_dictionary('owner', 0, owners, indices)` passes
 * a million machines' owners as a million small numbers rather than a
 * million strings, which the binding would copy one by one.
 *
 * Signals as [method@Flyweight.PokiesStore.set_attr_range] does. Fails,
 * changing nothing, with %FLYWEIGHT_ERROR_INVALID_NAME,
 * %FLYWEIGHT_ERROR_READ_ONLY, or %FLYWEIGHT_ERROR_INVALID_VALUE if a string
 * is not valid UTF-8 or an index is not one of @dictionary.
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_dictionary (FlyweightPokiesStore  *self,
                                            const char            *name,
                                            guint                  position,
                                            const char * const    *dictionary,
                                            guint                  n_dictionary,
                                            const guint           *indices,
                                            guint                  n_indices,
                                            GError               **error)
{
  g_autofree guint *codes = NULL;
  FlyweightColumn *column = NULL;
  Aftermath after;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (dictionary != NULL || n_dictionary == 0, FALSE);
  g_return_val_if_fail (indices != NULL || n_indices == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable_name (name, error))
    return FALSE;

  for (guint i = 0; i < n_dictionary; i++)
    if (dictionary[i] != NULL && !g_utf8_validate (dictionary[i], -1, NULL))
      {
        g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                     _("Cannot set attribute “%s” to a string that is not valid UTF-8"),
                     name);
        return FALSE;
      }

  for (guint i = 0; i < n_indices; i++)
    if (indices[i] >= n_dictionary)
      {
        g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                     _("Index %u is not one of the %u strings given"),
                     indices[i], n_dictionary);
        return FALSE;
      }

  if (!lock_range (self, position, n_indices))
    return FALSE;

  aftermath_init (&after);
  if (n_indices > 0)
    column = column_for (self, name, G_TYPE_STRING);

  if (column != NULL && column->kind == FLYWEIGHT_COLUMN_STRING)
    {
      /* Each distinct string is looked up once, whatever the rows. */
      codes = g_new (guint, MAX (n_dictionary, 1));
      for (guint k = 0; k < n_dictionary; k++)
        codes[k] = flyweight_column_intern_string (column, dictionary[k]);
      for (guint i = 0; i < n_indices; i++)
        flyweight_column_set_string_index (column, position + i, codes[indices[i]], self->n_rows);
      for (guint k = 0; k < n_dictionary; k++)
        flyweight_column_release_string (column, codes[k]);
    }
  else
    for (guint i = 0; i < n_indices; i++)
      {
        g_auto (GValue) value = G_VALUE_INIT;

        g_value_init (&value, G_TYPE_STRING);
        g_value_set_string (&value, dictionary[indices[i]]);
        flyweight_column_set (column, position + i, &value, self->n_rows, after.garbage);
      }

  collect_views (self, position, n_indices, &after);
  unlock_store (self);

  finish_rows_changed (self, position, n_indices, name, &after);
  flyweight_pokies_forget_peeked ();

  return TRUE;
}

/**
 * flyweight_pokies_store_set_attr_ints:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the machine that takes the first value
 * @values: (array length=n_values) (nullable): one `int` per machine
 * @n_values: the number of values
 * @error: return location for a #GError
 *
 * Sets the `int` attribute @name of @n_values machines from @position on,
 * one value each; see [method@Flyweight.PokiesStore.set_attr_strings].
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_ints (FlyweightPokiesStore  *self,
                                      const char            *name,
                                      guint                  position,
                                      const gint            *values,
                                      guint                  n_values,
                                      GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_attr_array (self, name, position, ARRAY_INTS, values, n_values, error);
}

/**
 * flyweight_pokies_store_set_attr_doubles:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the machine that takes the first value
 * @values: (array length=n_values) (nullable): one `double` per machine
 * @n_values: the number of values
 * @error: return location for a #GError
 *
 * Sets the `double` attribute @name of @n_values machines from @position
 * on, one value each; see [method@Flyweight.PokiesStore.set_attr_strings].
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_doubles (FlyweightPokiesStore  *self,
                                         const char            *name,
                                         guint                  position,
                                         const gdouble         *values,
                                         guint                  n_values,
                                         GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_attr_array (self, name, position, ARRAY_DOUBLES, values, n_values, error);
}

/**
 * flyweight_pokies_store_set_attr_booleans:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name
 * @position: the machine that takes the first value
 * @values: (array length=n_values) (nullable): one boolean per machine
 * @n_values: the number of values
 * @error: return location for a #GError
 *
 * Sets the boolean attribute @name of @n_values machines from @position
 * on, one value each, kept in one bit a machine; see
 * [method@Flyweight.PokiesStore.set_attr_strings].
 *
 * Returns: %TRUE if the attribute was set
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_set_attr_booleans (FlyweightPokiesStore  *self,
                                          const char            *name,
                                          guint                  position,
                                          const gboolean        *values,
                                          guint                  n_values,
                                          GError               **error)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_attr_array (self, name, position, ARRAY_BOOLEANS, values, n_values, error);
}

/* ---------------------------------------------------------------------- */
/* Counting, filtering and sorting                                         */

/* A test of rows against @value for the attribute @name, the dimensions
 * included. */
typedef struct
{
  FlyweightColumn      *column;      /* NULL: a dimension, or no column */
  FlyweightColumnMatch  match;
  gboolean              dimension;
  guint8               *config_matches;   /* per configuration, for a dimension */
} RowTest;

static void
row_test_init (FlyweightPokiesStore *self,
               RowTest              *test,
               const char           *name,
               const GValue         *value)
{
  memset (test, 0, sizeof *test);

  if (flyweight_pokies_is_dimension (name))
    {
      g_auto (GValue) wanted = G_VALUE_INIT;
      gboolean possible = TRUE;

      test->dimension = TRUE;
      test->config_matches = g_new0 (guint8, self->configs->len + 1);

      if (value != NULL)
        {
          g_value_init (&wanted, G_TYPE_UINT);
          possible = g_value_type_transformable (G_VALUE_TYPE (value), G_TYPE_UINT) &&
                     g_value_transform (value, &wanted);
        }

      for (guint i = 0; possible && i < self->configs->len; i++)
        {
          const Config *config = &g_array_index (self->configs, Config, i);
          guint dimension = name[0] == 'r' ? config->reels : config->symbols;

          test->config_matches[i] = value == NULL || dimension == g_value_get_uint (&wanted);
        }
      return;
    }

  test->column = find_column (self, name);
  if (test->column != NULL)
    flyweight_column_match_init (test->column, value, &test->match);
}

static gboolean
row_test_matches (FlyweightPokiesStore *self,
                  const RowTest        *test,
                  guint                 row)
{
  if (test->dimension)
    return test->config_matches[flyweight_cells_get (&self->config_cells, row)];

  return test->column != NULL && flyweight_column_matches (test->column, &test->match, row);
}

static void
row_test_clear (RowTest *test)
{
  if (test->column != NULL)
    flyweight_column_match_clear (&test->match);
  g_free (test->config_matches);
}

/**
 * flyweight_pokies_store_count_attr:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name; `reels` and `symbols` included
 * @value: (nullable): the value to count, or %NULL to count the machines
 *   that have the attribute at all
 * @error: return location for a #GError
 *
 * Counts the machines whose attribute @name equals @value, scanning the
 * column without making any item.
 *
 * Values are equal if they have the same type and content (strings by
 * content, objects and boxed values by identity); a value of another type
 * is converted to the attribute's type first where GObject can, so that
 * `count_attr('reels', 3)` works from any language.
 *
 * Fails with %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule.
 *
 * Returns: the number of machines, 0 on error
 *
 * Since: 1.0
 */
guint
flyweight_pokies_store_count_attr (FlyweightPokiesStore  *self,
                                   const char            *name,
                                   const GValue          *value,
                                   GError               **error)
{
  RowTest test;
  guint count = 0;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!flyweight_attr_name_validate (name, error))
    return 0;

  lock_store (self);
  row_test_init (self, &test, name, value);
  if (test.dimension || (test.column != NULL && test.match.possible))
    for (guint row = 0; row < self->n_rows; row++)
      count += row_test_matches (self, &test, row);
  row_test_clear (&test);
  unlock_store (self);

  return count;
}

/**
 * flyweight_pokies_store_filter_attr:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute name; `reels` and `symbols` included
 * @value: (nullable): the value to find, or %NULL to find the machines
 *   that have the attribute at all
 * @n_positions: (out): return location for the number of positions
 * @error: return location for a #GError
 *
 * Finds the machines whose attribute @name equals @value, as
 * [method@Flyweight.PokiesStore.count_attr] counts them, without making
 * any item.
 *
 * Returns: (array length=n_positions) (transfer full) (nullable): their
 *   positions in increasing order, free with g_free(); %NULL on error or
 *   when there are none
 *
 * Since: 1.0
 */
guint *
flyweight_pokies_store_filter_attr (FlyweightPokiesStore  *self,
                                    const char            *name,
                                    const GValue          *value,
                                    guint                 *n_positions,
                                    GError               **error)
{
  RowTest test;
  GArray *positions;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), NULL);
  g_return_val_if_fail (n_positions != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *n_positions = 0;

  if (!flyweight_attr_name_validate (name, error))
    return NULL;

  positions = g_array_new (FALSE, FALSE, sizeof (guint));

  lock_store (self);
  row_test_init (self, &test, name, value);
  if (test.dimension || (test.column != NULL && test.match.possible))
    for (guint row = 0; row < self->n_rows; row++)
      if (row_test_matches (self, &test, row))
        g_array_append_val (positions, row);
  row_test_clear (&test);
  unlock_store (self);

  *n_positions = positions->len;
  if (positions->len == 0)
    {
      g_array_unref (positions);
      return NULL;
    }

  return (guint *) (gpointer) g_array_free (positions, FALSE);
}

typedef struct
{
  guint64 key;
  guint   row;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *ea = a;
  const SortEntry *eb = b;

  if (ea->key != eb->key)
    return ea->key < eb->key ? -1 : 1;

  return ea->row < eb->row ? -1 : ea->row > eb->row;
}

typedef struct
{
  const FlyweightColumn *column;
  gboolean               descending;
} RowOrder;

static int
compare_value_rows (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const RowOrder *order = user_data;
  guint ra = *(const guint *) a;
  guint rb = *(const guint *) b;
  int result = flyweight_column_compare_rows (order->column, ra, rb);

  if (result != 0)
    return order->descending ? -result : result;

  return ra < rb ? -1 : ra > rb;
}

/* Reorders the rows: row i becomes row order[i]. Live views follow their
 * rows. Returns FALSE, changing nothing, if @order keeps every row. */
static gboolean
permute_rows (FlyweightPokiesStore *self,
              const guint          *order,
              Aftermath            *after)
{
  g_autofree guint *new_position = NULL;
  guint n_rows = self->n_rows;
  gboolean identity = TRUE;

  for (guint i = 0; i < n_rows && identity; i++)
    identity = order[i] == i;
  if (identity)
    return FALSE;

  flyweight_cells_permute (&self->config_cells, order, n_rows);
  flyweight_cells_permute (&self->draw_cells, order, n_rows);
  for (guint i = 0; i < self->columns->len; i++)
    flyweight_column_permute (g_ptr_array_index (self->columns, i), order, n_rows);

  if (self->cache.n_views > 0)
    {
      g_autoptr(GPtrArray) views = g_ptr_array_new ();
      g_autofree guint *old_positions = NULL;
      guint n_moved = 0;

      new_position = g_new (guint, n_rows);
      for (guint i = 0; i < n_rows; i++)
        new_position[order[i]] = i;

      cache_collect (&self->cache, 0, views);
      old_positions = g_new (guint, MAX (views->len, 1));
      for (guint i = 0; i < views->len; i++)
        {
          FlyweightPokiesView *view = g_ptr_array_index (views, i);

          if (new_position[view->position] == view->position)
            continue;
          old_positions[n_moved] = view->position;
          view->position = new_position[view->position];
          views->pdata[n_moved++] = view;
          aftermath_add_view (self, after, view);
        }
      g_ptr_array_set_size (views, n_moved);
      cache_refile (&self->cache, views, old_positions);
    }

  return TRUE;
}

/* Sorts the rows that @keys (one per row, or NULL for a column of values)
 * rank; rows where @has is FALSE go last, in their order. */
static void
sort_rows (FlyweightPokiesStore  *self,
           const FlyweightColumn *column,
           const guint64         *keys,
           const guint8          *has,
           gboolean               descending,
           guint                 *order)
{
  guint n_rows = self->n_rows;
  guint n_sorted = 0, n_rest = 0;
  g_autofree guint *rest = g_new (guint, MAX (n_rows, 1));

  if (keys != NULL)
    {
      g_autofree SortEntry *entries = g_new (SortEntry, MAX (n_rows, 1));

      for (guint row = 0; row < n_rows; row++)
        {
          if (!has[row])
            {
              rest[n_rest++] = row;
              continue;
            }
          entries[n_sorted].key = descending ? ~keys[row] : keys[row];
          entries[n_sorted].row = row;
          n_sorted++;
        }
      qsort (entries, n_sorted, sizeof (SortEntry), compare_entries);
      for (guint i = 0; i < n_sorted; i++)
        order[i] = entries[i].row;
    }
  else
    {
      RowOrder row_order = { column, descending };

      for (guint row = 0; row < n_rows; row++)
        if (has[row])
          order[n_sorted++] = row;
        else
          rest[n_rest++] = row;
      g_qsort_with_data (order, n_sorted, sizeof (guint), compare_value_rows, &row_order);
    }

  memcpy (order + n_sorted, rest, n_rest * sizeof (guint));
}

static void
finish_sort (FlyweightPokiesStore *self,
             gboolean              changed,
             guint                 n_rows,
             Aftermath            *after)
{
  aftermath_drop_garbage (after);
  if (changed)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_rows, n_rows);
  notify_views (after->views);
  aftermath_finish (after);
}

/**
 * flyweight_pokies_store_sort_by_attr:
 * @self: a `FlyweightPokiesStore`
 * @name: the attribute to sort by; `reels` and `symbols` included
 * @descending: %TRUE for the largest value first
 * @error: return location for a #GError
 *
 * Sorts the machines by their attribute @name, in place and without
 * making any item: a `GtkSortListModel` over a million machines would
 * make a million.
 *
 * The sort is stable. Numbers sort by value, booleans %FALSE first,
 * strings by g_utf8_collate() with %NULL first; values of mixed types
 * sort by type name first. Machines without the attribute come last, in
 * their order. Live views follow their machines and notify
 * [property@Flyweight.PokiesView:position]; if anything moved,
 * [signal@Gio.ListModel::items-changed] is emitted once for the whole
 * store.
 *
 * Fails with %FLYWEIGHT_ERROR_INVALID_NAME if @name breaks the naming rule.
 *
 * Returns: %TRUE unless @name is invalid
 *
 * Since: 1.0
 */
gboolean
flyweight_pokies_store_sort_by_attr (FlyweightPokiesStore  *self,
                                     const char            *name,
                                     gboolean               descending,
                                     GError               **error)
{
  g_autofree guint *order = NULL;
  g_autofree guint64 *keys = NULL;
  g_autofree guint8 *has = NULL;
  FlyweightColumn *column;
  Aftermath after;
  gboolean changed;
  guint n_rows;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!flyweight_attr_name_validate (name, error))
    return FALSE;

  lock_store (self);
  n_rows = self->n_rows;
  column = find_column (self, name);
  if (n_rows == 0 || (column == NULL && !flyweight_pokies_is_dimension (name)))
    {
      unlock_store (self);
      return TRUE;
    }

  order = g_new (guint, n_rows);
  has = g_new (guint8, n_rows);
  keys = g_new (guint64, n_rows);

  if (column == NULL)
    {
      for (guint row = 0; row < n_rows; row++)
        {
          const Config *config = row_config (self, row);

          has[row] = TRUE;
          keys[row] = name[0] == 'r' ? config->reels : config->symbols;
        }
    }
  else
    {
      g_autofree guint *rows = g_new (guint, n_rows);
      g_autofree guint64 *row_keys = g_new (guint64, n_rows);
      guint n_present = 0;

      for (guint row = 0; row < n_rows; row++)
        if ((has[row] = flyweight_column_has (column, row)))
          rows[n_present++] = row;

      if (flyweight_column_sort_keys (column, rows, n_present, row_keys))
        for (guint i = 0; i < n_present; i++)
          keys[rows[i]] = row_keys[i];
      else
        g_clear_pointer (&keys, g_free);
    }

  sort_rows (self, column, keys, has, descending, order);

  aftermath_init (&after);
  changed = permute_rows (self, order, &after);
  unlock_store (self);

  finish_sort (self, changed, n_rows, &after);

  return TRUE;
}

static int
compare_draws (const guint *a,
               guint        n_a,
               const guint *b,
               guint        n_b)
{
  for (guint i = 0; i < MIN (n_a, n_b); i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;

  return n_a < n_b ? -1 : n_a > n_b;
}

typedef struct
{
  FlyweightPokiesStore *store;
  gboolean              descending;
} DrawOrder;

static int
compare_draw_rows (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const DrawOrder *order = user_data;
  guint ra = *(const guint *) a;
  guint rb = *(const guint *) b;
  g_autofree guint *da = dup_draw (order->store, ra);
  g_autofree guint *db = dup_draw (order->store, rb);
  int result = compare_draws (da, row_config (order->store, ra)->reels,
                              db, row_config (order->store, rb)->reels);

  if (result != 0)
    return order->descending ? -result : result;

  return ra < rb ? -1 : ra > rb;
}

/**
 * flyweight_pokies_store_sort_by_last_draw:
 * @self: a `FlyweightPokiesStore`
 * @descending: %TRUE for the largest draw first
 *
 * Sorts the machines by their last draw, compared symbol by symbol from
 * the first reel (a draw that is the start of another comes first), in
 * place and without making any item. Machines never drawn come last.
 * Otherwise as [method@Flyweight.PokiesStore.sort_by_attr].
 *
 * Since: 1.0
 */
void
flyweight_pokies_store_sort_by_last_draw (FlyweightPokiesStore *self,
                                          gboolean              descending)
{
  g_autofree guint *order = NULL;
  g_autofree guint64 *keys = NULL;
  g_autofree guint8 *has = NULL;
  guint max_reels = 0, max_symbols = 0, bits = 0;
  Aftermath after;
  gboolean changed;
  guint n_rows;

  g_return_if_fail (FLYWEIGHT_IS_POKIES_STORE (self));

  lock_store (self);
  n_rows = self->n_rows;
  if (n_rows == 0)
    {
      unlock_store (self);
      return;
    }

  order = g_new (guint, n_rows);
  has = g_new (guint8, n_rows);
  for (guint row = 0; row < n_rows; row++)
    has[row] = flyweight_cells_get (&self->draw_cells, row) != 0;

  for (guint i = 0; i < self->configs->len; i++)
    {
      const Config *config = &g_array_index (self->configs, Config, i);

      max_reels = MAX (max_reels, config->reels);
      max_symbols = MAX (max_symbols, config->symbols);
    }
  while (bits < 32 && (1u << bits) <= max_symbols)
    bits++;

  /* When every draw fits, a key of fixed-width digits sorts as the draws
   * do: a shorter draw is padded with 0, below every symbol. */
  if ((guint64) bits * max_reels <= 64)
    {
      guint *values = g_new (guint, max_reels);

      keys = g_new0 (guint64, n_rows);
      for (guint row = 0; row < n_rows; row++)
        {
          const Config *config = row_config (self, row);
          guint64 cell = flyweight_cells_get (&self->draw_cells, row);
          guint64 key = 0;

          if (cell == 0)
            continue;
          decode_draw (config, cell, values);
          for (guint i = 0; i < max_reels; i++)
            key = (key << bits) | (i < config->reels ? values[i] : 0);
          keys[row] = key;
        }
      g_free (values);
      sort_rows (self, NULL, keys, has, descending, order);
    }
  else
    {
      DrawOrder draw_order = { self, descending };
      g_autofree guint *rest = g_new (guint, n_rows);
      guint n_sorted = 0, n_rest = 0;

      for (guint row = 0; row < n_rows; row++)
        if (has[row])
          order[n_sorted++] = row;
        else
          rest[n_rest++] = row;
      g_qsort_with_data (order, n_sorted, sizeof (guint), compare_draw_rows, &draw_order);
      memcpy (order + n_sorted, rest, n_rest * sizeof (guint));
    }

  aftermath_init (&after);
  changed = permute_rows (self, order, &after);
  unlock_store (self);

  finish_sort (self, changed, n_rows, &after);
}

/* ---------------------------------------------------------------------- */
/* For views                                                               */

gboolean
flyweight_pokies_store_view_set_attr (FlyweightPokiesStore *self,
                                      FlyweightPokiesView  *view,
                                      const char           *name,
                                      const GValue         *value,
                                      guint                *position)
{
  Aftermath after;

  aftermath_init (&after);
  lock_store (self);
  if (view->detached)
    flyweight_attr_store_set (&view->orphan->attrs, name, value);
  else
    row_set_attr (self, view->position, name, value, after.garbage);
  *position = view->position;
  unlock_store (self);
  aftermath_finish (&after);

  return TRUE;
}

gboolean
flyweight_pokies_store_view_lookup_attr (FlyweightPokiesStore *self,
                                         FlyweightPokiesView  *view,
                                         const char           *name,
                                         GValue               *value)
{
  gboolean found = FALSE;

  lock_store (self);
  if (view->detached)
    found = flyweight_attr_store_get (&view->orphan->attrs, name, value);
  else
    {
      FlyweightColumn *column = find_column (self, name);

      if (column != NULL && flyweight_column_has (column, view->position))
        {
          flyweight_column_get (column, view->position, value);
          found = TRUE;
        }
    }
  unlock_store (self);

  return found;
}

gboolean
flyweight_pokies_store_view_del_attr (FlyweightPokiesStore *self,
                                      FlyweightPokiesView  *view,
                                      const char           *name,
                                      guint                *position)
{
  Aftermath after;
  gboolean found;

  aftermath_init (&after);
  lock_store (self);
  if (view->detached)
    found = flyweight_attr_store_delete (&view->orphan->attrs, name);
  else
    found = row_del_attr (self, view->position, name, after.garbage);
  *position = view->position;
  unlock_store (self);
  aftermath_finish (&after);

  return found;
}

/* Removes every attribute of the view's row (or copy) at once; returns
 * the names removed, for the view to signal. */
char **
flyweight_pokies_store_view_clear_attrs (FlyweightPokiesStore *self,
                                         FlyweightPokiesView  *view,
                                         guint                *position)
{
  GPtrArray *names = g_ptr_array_new ();
  FlyweightAttrStore taken;
  gboolean took = FALSE;
  Aftermath after;

  aftermath_init (&after);
  lock_store (self);
  if (view->detached)
    {
      char **orphan_names = flyweight_attr_store_dup_names (&view->orphan->attrs);

      for (guint i = 0; orphan_names[i] != NULL; i++)
        g_ptr_array_add (names, orphan_names[i]);
      g_free (orphan_names);
      flyweight_attr_store_take_all (&view->orphan->attrs, &taken);
      took = TRUE;
    }
  else
    for (guint i = self->columns->len; i > 0; i--)
      {
        FlyweightColumn *column = g_ptr_array_index (self->columns, i - 1);

        if (!flyweight_column_has (column, view->position))
          continue;
        g_ptr_array_add (names, g_strdup (column->name));
        row_del_attr (self, view->position, column->name, after.garbage);
      }
  *position = view->position;
  unlock_store (self);

  /* Values may hold objects whose finalizers call back here. */
  if (took)
    flyweight_attr_store_clear (&taken);
  aftermath_finish (&after);

  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

gboolean
flyweight_pokies_store_view_has_attr (FlyweightPokiesStore *self,
                                      FlyweightPokiesView  *view,
                                      const char           *name)
{
  gboolean found;

  lock_store (self);
  if (view->detached)
    found = flyweight_attr_store_contains (&view->orphan->attrs, name);
  else
    {
      FlyweightColumn *column = find_column (self, name);

      found = column != NULL && flyweight_column_has (column, view->position);
    }
  unlock_store (self);

  return found;
}

char **
flyweight_pokies_store_view_list_attrs (FlyweightPokiesStore *self,
                                        FlyweightPokiesView  *view)
{
  GPtrArray *names;

  lock_store (self);
  if (view->detached)
    {
      char **orphan_names = flyweight_attr_store_dup_names (&view->orphan->attrs);

      unlock_store (self);
      return orphan_names;
    }

  names = g_ptr_array_new ();
  for (guint i = 0; i < self->columns->len; i++)
    {
      FlyweightColumn *column = g_ptr_array_index (self->columns, i);

      if (flyweight_column_has (column, view->position))
        g_ptr_array_add (names, g_strdup (column->name));
    }
  unlock_store (self);

  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

void
flyweight_pokies_store_view_take_draw (FlyweightPokiesStore *self,
                                       FlyweightPokiesView  *view,
                                       const guint          *values,
                                       guint                 n_values,
                                       guint                *position)
{
  lock_store (self);
  if (view->detached)
    {
      g_free (view->orphan->last_draw);
      view->orphan->last_draw = g_memdup2 (values, n_values * sizeof (guint));
    }
  else
    store_draw (self, view->position, values);
  *position = view->position;
  unlock_store (self);
}

guint *
flyweight_pokies_store_view_get_draw (FlyweightPokiesStore *self,
                                      FlyweightPokiesView  *view)
{
  guint *values;

  lock_store (self);
  if (view->detached)
    values = view->orphan->last_draw != NULL
               ? g_memdup2 (view->orphan->last_draw,
                            flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)) * sizeof (guint))
               : NULL;
  else
    values = dup_draw (self, view->position);
  unlock_store (self);

  return values;
}

guint
flyweight_pokies_store_view_get_position (FlyweightPokiesStore *self,
                                          FlyweightPokiesView  *view)
{
  guint position;

  lock_store (self);
  position = view->position;
  unlock_store (self);

  return position;
}

/* The view's last reference is going, so the store takes no reference
 * on it any more (see view_try_ref()); with thread-safe-items GObject has
 * already cleared its weak references, and marking it spares the
 * weak-reference lock. A view that its own dispose() handlers revive
 * stays a working machine; the next get_item() of its row makes a new
 * view and leaves it a copy. A view that outlived its row lets go of the
 * copy's values, which might hold the view itself. */
void
flyweight_pokies_store_view_dispose (FlyweightPokiesStore *self,
                                     FlyweightPokiesView  *view)
{
  FlyweightAttrStore taken;
  gboolean took = FALSE;
  gboolean elsewhere;

  lock_store (self);
  view->dying = TRUE;
  elsewhere = !may_hand_out_views (self);
  if (view->detached)
    {
      flyweight_attr_store_take_all (&view->orphan->attrs, &taken);
      took = TRUE;
    }
  unlock_store (self);

  if (took)
    flyweight_attr_store_clear (&taken);

  if (elsewhere)
    g_critical ("An item of a FlyweightPokiesStore was released in a thread other than "
                "the one its items belong to: set FlyweightPokiesStore:thread-safe-items "
                "to share items between threads");
}

void
flyweight_pokies_store_view_finalize (FlyweightPokiesStore *self,
                                      FlyweightPokiesView  *view)
{
  FlyweightViewOrphan *orphan;
  gboolean last;

  lock_store (self);
  if (!view->detached)
    cache_remove (&self->cache, view);
  orphan = g_steal_pointer (&view->orphan);
  last = --self->n_views_alive == 0;
  if (last)
    self->items_thread = NULL;
  unlock_store (self);

  if (self->thread_safe_items)
    g_weak_ref_clear (&view->self_ref);

  /* Its values may hold objects whose finalizers call back here. */
  if (orphan != NULL)
    orphan_free (orphan);

  if (last)
    g_object_unref (self);
}

void
flyweight_pokies_store_adopt_view (FlyweightPokiesStore *self,
                                   FlyweightPokiesView  *view)
{
  Aftermath after;
  guint config;

  aftermath_init (&after);
  lock_store (self);
  config = config_lookup_or_add (self,
                                 flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)),
                                 flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (view)));
  splice_rows (self, 0, 0, 1, config, &after);
  view->position = 0;
  view_track (self, view);
  unlock_store (self);
  aftermath_finish (&after);
}

void
flyweight_pokies_store_row_changed (FlyweightPokiesStore *self,
                                    guint                 position)
{
  if (position != FLYWEIGHT_INVALID_POSITION)
    g_signal_emit (self, signals[ROWS_CHANGED], 0, position, 1);
}

gsize
flyweight_pokies_store_count_bytes (FlyweightPokiesStore *self)
{
  gsize size;

  lock_store (self);
  size = sizeof (FlyweightPokiesStore) +
         flyweight_cells_get_size (&self->config_cells) +
         flyweight_cells_get_size (&self->draw_cells) +
         self->configs->len * (sizeof (Config) + sizeof (guint64) + 2 * sizeof (gpointer)) +
         self->cache.n_chunks * sizeof (gpointer);
  for (guint i = 0; i < self->cache.n_chunks; i++)
    if (self->cache.chunks[i] != NULL)
      size += sizeof (ViewChunk);
  for (guint i = 0; i < self->wide_draws->len; i++)
    if (g_ptr_array_index (self->wide_draws, i) != NULL)
      size += sizeof (gpointer) + 4 * sizeof (guint);
  for (guint i = 0; i < self->columns->len; i++)
    size += flyweight_column_get_size (g_ptr_array_index (self->columns, i));
  unlock_store (self);

  return size;
}
