/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightPokiesStore from several threads at once: views made, used and
 * released on overlapping rows, attributes written through views and in
 * bulk, draws, counts and sorts, while one thread inserts and removes
 * rows. Nothing may crash, leak or race (the TSan build runs this), every
 * view must read a row of its own configuration, and at the end no view
 * is left and every count adds up. FLYWEIGHT_TEST_QUICK shortens it.
 *
 * That takes FlyweightPokiesStore:thread-safe-items; without it, the
 * items belong to one thread, and the last tests check what another
 * thread may and may not do. */

#include <flyweight.h>

static FlyweightPokiesStore *
thread_safe_store_new (void)
{
  return g_object_new (FLYWEIGHT_TYPE_POKIES_STORE, "thread-safe-items", TRUE, NULL);
}

#define N_WORKERS    4
#define N_ROWS       256
#define N_ITERATIONS 20000
#define N_QUICK      2000

typedef struct
{
  FlyweightPokiesStore *store;
  guint                 n_iterations;
  gint                  stop_mutator;
  gint                  errors;
} Shared;

static gpointer
worker (gpointer data)
{
  Shared *shared = data;
  GRand *rand = g_rand_new_with_seed (g_random_int ());
  FlyweightRandom *random = flyweight_random_new (g_rand_int (rand));
  GPtrArray *held = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < shared->n_iterations; i++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (shared->store));
      guint row = n > 0 ? (guint) g_rand_int_range (rand, 0, (gint32) n) : 0;
      FlyweightPokiesView *view = flyweight_pokies_store_get_view (shared->store, row);
      g_auto (GValue) value = G_VALUE_INIT;

      /* Rows may have gone since get_n_items(). */
      if (view == NULL)
        continue;

      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0:
          g_value_init (&value, G_TYPE_STRING);
          g_value_set_static_string (&value, g_rand_boolean (rand) ? "Aristocrat" : "Konami");
          if (!flyweight_pokies_set_attr (FLYWEIGHT_POKIES (view), "owner", &value, NULL))
            g_atomic_int_inc (&shared->errors);
          break;
        case 1:
          if (flyweight_pokies_get_attr (FLYWEIGHT_POKIES (view), "owner", &value, NULL) &&
              !G_VALUE_HOLDS_STRING (&value))
            g_atomic_int_inc (&shared->errors);
          break;
        case 2:
          {
            guint n_drawn, n_kept;
            g_autofree guint *drawn = flyweight_pokies_draw_with (FLYWEIGHT_POKIES (view), random, &n_drawn);
            g_autofree guint *kept = flyweight_pokies_view_get_last_draw (view, &n_kept);

            /* Another thread may draw it meanwhile, but never to another size. */
            if (kept == NULL || n_kept != n_drawn || drawn[0] < 1 ||
                n_kept != flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)))
              g_atomic_int_inc (&shared->errors);
          }
          break;
        case 3:
          g_ptr_array_add (held, g_object_ref (view));
          if (held->len > 16)
            g_ptr_array_remove_index_fast (held, (guint) g_rand_int_range (rand, 0, (gint32) held->len));
          break;
        case 4:
          g_value_init (&value, G_TYPE_INT);
          g_value_set_int (&value, (gint) i);
          flyweight_pokies_store_set_attr_range (shared->store, "level", 0,
                                                 MIN (4, g_list_model_get_n_items (G_LIST_MODEL (shared->store))),
                                                 &value, NULL);
          break;
        case 5:
          flyweight_pokies_store_count_attr (shared->store, "owner", NULL, NULL);
          g_free (flyweight_pokies_view_dup_last_draw_text (view));
          break;
        case 6:
          if (g_rand_int_range (rand, 0, 50) == 0)
            flyweight_pokies_store_sort_by_attr (shared->store, "owner", g_rand_boolean (rand), NULL);
          else
            g_strfreev (flyweight_pokies_list_attrs (FLYWEIGHT_POKIES (view)));
          break;
        default:
          if (g_rand_int_range (rand, 0, 20) == 0)
            flyweight_pokies_store_draw_all (shared->store, random);
          else
            flyweight_pokies_del_attr (FLYWEIGHT_POKIES (view), "owner", NULL);
          break;
        }

      /* Whatever happened around it, a view reads a row of its own size. */
      {
        guint n_values;
        g_autofree guint *kept = flyweight_pokies_view_get_last_draw (view, &n_values);

        if (kept != NULL && n_values != flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)))
          g_atomic_int_inc (&shared->errors);
      }

      g_object_unref (view);
    }

  g_ptr_array_unref (held);
  g_object_unref (random);
  g_rand_free (rand);

  return NULL;
}

/* Inserts and removes rows of another configuration while the workers run. */
static gpointer
mutator (gpointer data)
{
  Shared *shared = data;
  GRand *rand = g_rand_new_with_seed (g_random_int ());

  while (!g_atomic_int_get (&shared->stop_mutator))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (shared->store));

      if (n < N_ROWS / 2 || g_rand_boolean (rand))
        flyweight_pokies_store_append_many (shared->store, (guint) g_rand_int_range (rand, 1, 8), 5, 20, NULL);
      else
        {
          guint position = (guint) g_rand_int_range (rand, 0, (gint32) n / 2);

          flyweight_pokies_store_remove_range (shared->store, position, 1);
        }
      g_thread_yield ();
    }

  g_rand_free (rand);

  return NULL;
}

static void
test_threads (void)
{
  Shared shared = { 0 };
  GThread *workers[N_WORKERS];
  GThread *mutating;
  GWeakRef weak;

  /* Classes are made once, in one thread: GLib publishes them with
   * atomics inside libgobject, which ThreadSanitizer cannot see. */
  g_type_ensure (FLYWEIGHT_TYPE_RANDOM);
  g_type_ensure (FLYWEIGHT_TYPE_POKIES_VIEW);
  g_object_unref (flyweight_random_new (0));

  shared.store = thread_safe_store_new ();
  shared.n_iterations = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL ? N_QUICK : N_ITERATIONS;
  g_assert_true (flyweight_pokies_store_append_many (shared.store, N_ROWS, 3, 10, NULL));

  mutating = g_thread_new ("mutator", mutator, &shared);
  for (guint i = 0; i < N_WORKERS; i++)
    workers[i] = g_thread_new ("worker", worker, &shared);
  for (guint i = 0; i < N_WORKERS; i++)
    g_thread_join (workers[i]);
  g_atomic_int_set (&shared.stop_mutator, 1);
  g_thread_join (mutating);

  g_assert_cmpint (shared.errors, ==, 0);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (shared.store), ==, 0);

  /* The rows are still rows: each holds its own configuration. */
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (shared.store));
    g_auto (GValue) three = G_VALUE_INIT;
    g_auto (GValue) five = G_VALUE_INIT;

    g_value_init (&three, G_TYPE_UINT);
    g_value_set_uint (&three, 3);
    g_value_init (&five, G_TYPE_UINT);
    g_value_set_uint (&five, 5);
    g_assert_cmpuint (flyweight_pokies_store_count_attr (shared.store, "reels", &three, NULL) +
                      flyweight_pokies_store_count_attr (shared.store, "reels", &five, NULL), ==, n);
  }

  g_weak_ref_init (&weak, shared.store);
  g_object_unref (shared.store);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

/* Few rows, many threads: a view's last unref on one thread meets
 * get_item() and the store's own notifications on others all the time.
 * The store must never revive a view whose last unref has begun (GLib
 * before 2.80 touches the object after giving that reference up). */
#define N_HOT_ROWS       2
#define N_HOT_ITERATIONS 100000
#define N_HOT_QUICK      20000

typedef struct
{
  FlyweightPokiesStore *store;
  guint                 n_iterations;
  gint                  stop;
  gint                  errors;
} Hot;

static gpointer
hot_worker (gpointer data)
{
  Hot *hot = data;

  for (guint i = 0; i < hot->n_iterations; i++)
    {
      FlyweightPokiesView *view = flyweight_pokies_store_get_view (hot->store, i % N_HOT_ROWS);

      if (view == NULL || flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)) != 3)
        g_atomic_int_inc (&hot->errors);
      g_clear_object (&view);
    }

  return NULL;
}

/* Takes the store's own references on the hot rows' views. */
static gpointer
hot_drawer (gpointer data)
{
  Hot *hot = data;
  FlyweightRandom *random = flyweight_random_new (7);

  while (!g_atomic_int_get (&hot->stop))
    {
      flyweight_pokies_store_draw_all (hot->store, random);
      flyweight_pokies_store_sort_by_last_draw (hot->store, FALSE);
    }
  g_object_unref (random);

  return NULL;
}

/* Runs @work in N_WORKERS threads on a store of N_HOT_ROWS rows, and
 * @side, if given, in one more thread until they are done; then checks
 * that no worker saw an error and that no view outlived the last holder. */
static void
run_hot (GThreadFunc work,
         GThreadFunc side)
{
  Hot hot = { 0 };
  GThread *workers[N_WORKERS];
  GThread *side_thread = NULL;

  g_type_ensure (FLYWEIGHT_TYPE_RANDOM);
  g_type_ensure (FLYWEIGHT_TYPE_POKIES_VIEW);
  g_object_unref (flyweight_random_new (0));

  hot.store = thread_safe_store_new ();
  hot.n_iterations = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL ? N_HOT_QUICK : N_HOT_ITERATIONS;
  g_assert_true (flyweight_pokies_store_append_many (hot.store, N_HOT_ROWS, 3, 10, NULL));

  if (side != NULL)
    side_thread = g_thread_new ("side", side, &hot);
  for (guint i = 0; i < N_WORKERS; i++)
    workers[i] = g_thread_new ("worker", work, &hot);
  for (guint i = 0; i < N_WORKERS; i++)
    g_thread_join (workers[i]);
  g_atomic_int_set (&hot.stop, 1);
  if (side_thread != NULL)
    g_thread_join (side_thread);

  g_assert_cmpint (hot.errors, ==, 0);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (hot.store), ==, 0);
  g_object_unref (hot.store);
}

static void
test_last_unref (void)
{
  run_hot (hot_worker, hot_drawer);
}

/* No row moves here, so a view someone holds is its row's view: asking
 * for the row again gives it back, even while other threads drop their
 * last reference to it and it is being revived. */
static gpointer
identity_worker (gpointer data)
{
  Hot *hot = data;

  for (guint i = 0; i < hot->n_iterations; i++)
    {
      guint row = i % N_HOT_ROWS;
      FlyweightPokiesView *held = flyweight_pokies_store_get_view (hot->store, row);
      FlyweightPokiesView *again = flyweight_pokies_store_get_view (hot->store, row);

      if (held == NULL || again != held)
        g_atomic_int_inc (&hot->errors);
      g_clear_object (&again);
      g_clear_object (&held);
    }

  return NULL;
}

static void
test_identity (void)
{
  run_hot (identity_worker, NULL);
}

/* ---------------------------------------------------------------------- */
/* Items that belong to one thread                                         */

typedef gpointer (*StoreTask) (FlyweightPokiesStore *store);

typedef struct
{
  FlyweightPokiesStore *store;
  StoreTask             task;
} Errand;

static gpointer
run_errand (gpointer data)
{
  Errand *errand = data;

  return errand->task (errand->store);
}

/* Runs @task on @store in a thread of its own, and returns what it did. */
static gpointer
in_other_thread (FlyweightPokiesStore *store,
                 StoreTask             task)
{
  Errand errand = { store, task };

  return g_thread_join (g_thread_new ("other", run_errand, &errand));
}

static gpointer
get_first (FlyweightPokiesStore *store)
{
  return g_list_model_get_item (G_LIST_MODEL (store), 0);
}

/* Whether this thread got the first item; it drops it here. */
static gpointer
borrow_first (FlyweightPokiesStore *store)
{
  GObject *item = g_list_model_get_item (G_LIST_MODEL (store), 0);

  if (item == NULL)
    return NULL;
  g_assert_finalize_object (item);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
draw_everything (FlyweightPokiesStore *store)
{
  g_autoptr(FlyweightRandom) random = flyweight_random_new (7);

  flyweight_pokies_store_draw_all (store, random);
  return NULL;
}

static gpointer
release (FlyweightPokiesStore *store)
{
  g_object_unref (g_object_get_data (G_OBJECT (store), "view"));
  return NULL;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n_notified)
{
  (*n_notified)++;
}

/* The checks that warn run in a subprocess, where warnings are not fatal;
 * the parent looks for them in its output. */
static void
one_thread_refuses (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightPokiesView) view = NULL;
  g_autofree guint *draw = NULL;
  guint n_values = 0;
  guint n_notified = 0;

  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_assert_false (flyweight_pokies_store_get_thread_safe_items (store));
  g_assert_true (flyweight_pokies_store_append_many (store, 2, 3, 10, NULL));

  /* No item alive: any thread may ask, and the items are its own until
   * the last goes. */
  g_assert_nonnull (in_other_thread (store, borrow_first));

  view = flyweight_pokies_store_get_view (store, 0);
  g_signal_connect (view, "notify::last-draw", G_CALLBACK (count_notify), &n_notified);

  g_assert_null (in_other_thread (store, borrow_first));

  /* A change is made, but notifies no item of this thread. */
  g_assert_null (in_other_thread (store, draw_everything));
  g_assert_cmpuint (n_notified, ==, 0);
  draw = flyweight_pokies_view_get_last_draw (view, &n_values);
  g_assert_cmpuint (n_values, ==, 3);
  g_assert_nonnull (draw);

  /* In its own thread, a change notifies it. */
  draw_everything (store);
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 1);

  /* Its thread holds it; another may have it once it is gone. */
  g_clear_object (&view);
  g_assert_nonnull (in_other_thread (store, borrow_first));
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 0);
}

static void
test_one_thread_refuses (void)
{
  if (g_test_subprocess ())
    {
      one_thread_refuses ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*get_view: the items of a FlyweightPokiesStore are alive in another thread*"
                             "changed in a thread other than*");
}

static void
test_one_thread_release_elsewhere (void)
{
  g_autoptr(FlyweightPokiesStore) store = NULL;
  FlyweightPokiesView *view;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*released in a thread other than*");
      return;
    }

  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  store = flyweight_pokies_store_new ();
  g_assert_true (flyweight_pokies_store_append_many (store, 1, 3, 10, NULL));
  view = flyweight_pokies_store_get_view (store, 0);
  g_object_set_data (G_OBJECT (store), "view", view);

  /* Dropped in another thread: it goes, with a warning. */
  in_other_thread (store, release);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 0);
}

/* What the thread-safe store gives that the default one refuses. */
static void
test_thread_safe_shares (void)
{
  g_autoptr(FlyweightPokiesStore) store = thread_safe_store_new ();
  g_autoptr(FlyweightPokiesView) view = NULL;
  FlyweightPokiesView *elsewhere;
  guint n_notified = 0;

  g_assert_true (flyweight_pokies_store_get_thread_safe_items (store));
  g_assert_true (flyweight_pokies_store_append_many (store, 1, 3, 10, NULL));
  view = flyweight_pokies_store_get_view (store, 0);
  g_signal_connect (view, "notify::last-draw", G_CALLBACK (count_notify), &n_notified);

  elsewhere = in_other_thread (store, get_first);
  g_assert_true (elsewhere == view);
  g_object_unref (elsewhere);

  in_other_thread (store, draw_everything);
  g_assert_cmpuint (n_notified, ==, 1);

  g_object_set_data (G_OBJECT (store), "view", g_object_ref (view));
  in_other_thread (store, release);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pokies-store/threads", test_threads);
  g_test_add_func ("/pokies-store/threads/last-unref", test_last_unref);
  g_test_add_func ("/pokies-store/threads/identity", test_identity);
  g_test_add_func ("/pokies-store/threads/one-thread/refuses", test_one_thread_refuses);
  g_test_add_func ("/pokies-store/threads/one-thread/release-elsewhere", test_one_thread_release_elsewhere);
  g_test_add_func ("/pokies-store/threads/thread-safe/shares", test_thread_safe_shares);

  return g_test_run ();
}
