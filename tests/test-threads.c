/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* One machine, several threads: no lost update, no torn read, draws that
 * stay whole runs of the shared sequence, weak refs racing finalization. */

#include <string.h>

#include <flyweight.h>

#define N_THREADS 8
#define N_ROUNDS  30000

typedef struct
{
  FlyweightPokies *machine;
  FlyweightRandom *random;
  guint            index;
  guint            changes;
  GPtrArray       *draws;
} Worker;

static gint signal_count;

static void
count_cb (FlyweightPokiesDynamic *machine,
          const char             *name,
          gpointer                user_data)
{
  g_atomic_int_inc (&signal_count);
}

static gpointer
attribute_worker (gpointer data)
{
  Worker *worker = data;
  g_autofree char *own = g_strdup_printf ("worker%u", worker->index);
  g_autofree char *scratch = g_strdup_printf ("scratch%u", worker->index);

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) read = G_VALUE_INIT;

      /* Our own counter: read it back, bump it, store it. Only this thread
       * writes it, so every update must survive. */
      g_assert_true (flyweight_pokies_get_attr (worker->machine, own, &read, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_value_get_uint (&read), ==, i);
      g_value_unset (&read);

      g_value_init (&value, G_TYPE_UINT);
      g_value_set_uint (&value, i + 1);
      g_assert_true (flyweight_pokies_set_attr (worker->machine, own, &value, &error));
      g_assert_no_error (error);
      worker->changes++;

      /* Churn: add and remove a name, grow and shrink the table. */
      if (i % 3 == 0)
        {
          g_assert_true (flyweight_pokies_set_attr (worker->machine, scratch, &value, &error));
          g_assert_true (flyweight_pokies_del_attr (worker->machine, scratch, &error));
          g_assert_no_error (error);
          worker->changes += 2;
        }

      /* A name everybody writes: any writer may win, but it is always a
       * whole value. */
      g_assert_true (flyweight_pokies_set_attr (worker->machine, "shared", &value, &error));
      worker->changes++;
      g_assert_true (flyweight_pokies_get_attr (worker->machine, "shared", &read, &error));
      g_assert_no_error (error);
      g_assert_true (G_VALUE_HOLDS_UINT (&read));
      g_assert_cmpuint (g_value_get_uint (&read), >=, 1);
      g_value_unset (&read);

      g_assert_cmpuint (flyweight_pokies_get_reels (worker->machine), ==, 3);
      if (i % 97 == 0)
        {
          g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (worker->machine));
          g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
          GVariantIter iter;
          const char *key;

          /* A snapshot is consistent: dimensions first, no name twice. */
          g_variant_iter_init (&iter, dict);
          while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
            g_assert_true (g_hash_table_add (keys, (gpointer) key));
          g_assert_cmpuint (g_hash_table_size (keys), >=, 2 + N_THREADS);
          g_variant_get_child (dict, 0, "{&sv}", &key, NULL);
          g_assert_cmpstr (key, ==, "reels");
          g_variant_get_child (dict, 1, "{&sv}", &key, NULL);
          g_assert_cmpstr (key, ==, "symbols");
        }
    }

  return NULL;
}

static void
test_threads_attributes (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  guint total_changes = 0;
  g_auto(GStrv) names = NULL;

  g_signal_connect (machine, "attr-changed", G_CALLBACK (count_cb), NULL);

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *own = g_strdup_printf ("worker%u", t);
      g_auto(GValue) zero = G_VALUE_INIT;

      g_value_init (&zero, G_TYPE_UINT);
      g_assert_true (flyweight_pokies_set_attr (machine, own, &zero, NULL));
      total_changes++;
    }

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { machine, NULL, t, 0, NULL };
      threads[t] = g_thread_new ("attributes", attribute_worker, &workers[t]);
    }

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      total_changes += workers[t].changes;
    }

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *own = g_strdup_printf ("worker%u", t);
      g_autofree char *scratch = g_strdup_printf ("scratch%u", t);
      g_auto(GValue) read = G_VALUE_INIT;

      g_assert_true (flyweight_pokies_get_attr (machine, own, &read, NULL));
      g_assert_cmpuint (g_value_get_uint (&read), ==, N_ROUNDS);
      g_assert_false (flyweight_pokies_has_attr (machine, scratch));
    }

  names = flyweight_pokies_list_attrs (machine);
  g_assert_cmpuint (g_strv_length (names), ==, 2 + N_THREADS + 1);
  g_assert_cmpuint (g_atomic_int_get (&signal_count), ==, total_changes);
}

static gpointer
draw_worker (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < N_ROUNDS / 10; i++)
    {
      guint n_values;
      guint *values = flyweight_pokies_draw_with (worker->machine, worker->random, &n_values);

      g_assert_cmpuint (n_values, ==, flyweight_pokies_get_reels (worker->machine));
      g_ptr_array_add (worker->draws, g_strdup_printf ("%u %u %u %u %u",
                                                       values[0], values[1], values[2],
                                                       values[3], values[4]));
      g_free (values);
    }

  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_threads_shared_random (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (5, 1000, NULL));
  g_autoptr(FlyweightRandom) shared = flyweight_random_new (99);
  g_autoptr(FlyweightRandom) replay = flyweight_random_new (99);
  g_autoptr(GPtrArray) threaded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) serial = g_ptr_array_new_with_free_func (g_free);
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  Worker alone = { machine, replay, 0, 0, serial };

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { machine, shared, t, 0, g_ptr_array_new_with_free_func (g_free) };
      threads[t] = g_thread_new ("draws", draw_worker, &workers[t]);
    }

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      for (guint i = 0; i < workers[t].draws->len; i++)
        g_ptr_array_add (threaded, g_strdup (g_ptr_array_index (workers[t].draws, i)));
      g_ptr_array_unref (workers[t].draws);
      draw_worker (&alone);
    }

  /* Each draw takes a whole run of the sequence: the threads together drew
   * exactly the draws one thread makes from the same seed. */
  g_assert_cmpuint (threaded->len, ==, serial->len);
  g_ptr_array_sort (threaded, compare_strings);
  g_ptr_array_sort (serial, compare_strings);
  for (guint i = 0; i < serial->len; i++)
    g_assert_cmpstr (g_ptr_array_index (threaded, i), ==, g_ptr_array_index (serial, i));
}

typedef struct
{
  GWeakRef        *ref;
  FlyweightWeakRef *boxed;
  gint            *stop;
  guint            hits;
} Reader;

static gpointer
weak_reader (gpointer data)
{
  Reader *reader = data;

  while (!g_atomic_int_get (reader->stop))
    {
      GObject *object = g_weak_ref_get (reader->ref);
      GObject *boxed = flyweight_weak_ref_get (reader->boxed);

      /* A reference handed out is a live object: using it must be safe. */
      if (object != NULL)
        {
          g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (object)), ==, 3);
          reader->hits++;
          g_object_unref (object);
        }
      if (boxed != NULL)
        {
          g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (boxed)), ==, 10);
          g_object_unref (boxed);
        }

      /* Leave room for the thread that drops the last reference: with two
       * cores, spinning readers could starve it of the weak-ref lock. */
      g_thread_yield ();
    }

  return NULL;
}

static void
test_threads_weak_refs (void)
{
  guint hits = 0;

  for (guint round = 0; round < 100; round++)
    {
      FlyweightPokies *machine = round % 2 ? FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL))
                                           : FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
      GWeakRef ref;
      g_autoptr(FlyweightWeakRef) boxed = flyweight_weak_ref_new (G_OBJECT (machine));
      gint stop = 0;
      Reader readers[3];
      GThread *threads[3];

      g_weak_ref_init (&ref, machine);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          readers[t] = (Reader) { &ref, boxed, &stop, 0 };
          threads[t] = g_thread_new ("weak-reader", weak_reader, &readers[t]);
        }

      /* Drop the last strong reference while the readers race for it. */
      g_usleep (100);
      g_object_unref (machine);

      /* A reader may still hold the last reference for a moment; once
       * finalized, the machine stays gone. */
      for (GObject *alive = g_weak_ref_get (&ref); alive != NULL; alive = g_weak_ref_get (&ref))
        {
          g_object_unref (alive);
          g_thread_yield ();
        }
      g_assert_null (flyweight_weak_ref_get (boxed));

      g_atomic_int_set (&stop, 1);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          g_thread_join (threads[t]);
          hits += readers[t].hits;
        }

      g_weak_ref_clear (&ref);
    }

  /* The readers did race with the finalization, not just watch it. */
  g_assert_cmpuint (hits, >, 0);
}

/* Many machines of a thread's own, the way threads that each process
 * their own objects use them: names shared between threads, in orders of
 * each machine's own, strings interned by all, machines dropped. Shapes,
 * the tables of names and strings are shared; each machine must hold
 * exactly what its thread gave it. */
#define N_OWN_THREADS  4
#define N_OWN_MACHINES 2000

static const char * const shared_names[] = { "owner", "colour", "serial", "x", "y", "jackpot" };

static gpointer
own_machines_worker (gpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) rand = g_rand_new_with_seed (index);
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint m = 0; m < N_OWN_MACHINES; m++)
    {
      FlyweightPokies *machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
      guint order[G_N_ELEMENTS (shared_names)];
      guint n = 1 + g_rand_int_range (rand, 0, G_N_ELEMENTS (shared_names));
      g_auto(GStrv) names = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        order[i] = i;
      for (guint i = G_N_ELEMENTS (order); i > 1; i--)
        {
          guint j = g_rand_int_range (rand, 0, i), kept = order[i - 1];

          order[i - 1] = order[j];
          order[j] = kept;
        }

      for (guint i = 0; i < n; i++)
        {
          g_auto(GValue) value = G_VALUE_INIT;

          if (order[i] == 0)
            {
              g_value_init (&value, G_TYPE_STRING);
              g_value_take_string (&value, g_strdup_printf ("owner %u", m % 7));
            }
          else
            {
              g_value_init (&value, G_TYPE_UINT);
              g_value_set_uint (&value, index * 1000000 + m * 10 + order[i]);
            }
          g_assert_true (flyweight_pokies_set_attr (machine, shared_names[order[i]], &value, NULL));
        }

      /* Read everything back, in the order it was given. */
      names = flyweight_pokies_list_attrs (machine);
      g_assert_cmpuint (g_strv_length (names), ==, n + 2);
      for (guint i = 0; i < n; i++)
        {
          g_auto(GValue) read = G_VALUE_INIT;

          g_assert_true (flyweight_pokies_get_attr (machine, shared_names[order[i]], &read, NULL));
          if (order[i] == 0)
            {
              g_autofree char *expected = g_strdup_printf ("owner %u", m % 7);

              g_assert_cmpstr (g_value_get_string (&read), ==, expected);
            }
          else
            {
              g_assert_cmpuint (g_value_get_uint (&read), ==, index * 1000000 + m * 10 + order[i]);
            }
        }

      /* Undo the last step, keep the machine or drop it. */
      g_assert_true (flyweight_pokies_del_attr (machine, shared_names[order[n - 1]], NULL));
      g_assert_false (flyweight_pokies_has_attr (machine, shared_names[order[n - 1]]));
      if (m % 3 == 0)
        g_object_unref (machine);
      else
        g_ptr_array_add (machines, machine);
    }

  return NULL;
}

static void
test_threads_own_machines (void)
{
  GThread *threads[N_OWN_THREADS];

  for (guint t = 0; t < N_OWN_THREADS; t++)
    threads[t] = g_thread_new ("own-machines", own_machines_worker, GUINT_TO_POINTER (t));
  for (guint t = 0; t < N_OWN_THREADS; t++)
    g_thread_join (threads[t]);
}

typedef struct
{
  FlyweightPokies *machine;
  gint             stop;
  gint             sets;
} Setter;

static gpointer
setter_worker (gpointer data)
{
  Setter *setter = data;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  while (!g_atomic_int_get (&setter->stop))
    {
      g_value_set_int (&value, g_atomic_int_add (&setter->sets, 1));
      g_assert_true (flyweight_pokies_set_attr (setter->machine, "count", &value, NULL));
    }

  return NULL;
}

/* A handler connected from one thread while another sets attributes in a
 * loop hears the sets that follow: a machine that had no handler skips
 * the emission without asking GSignal, and must notice the new one. */
static void
test_threads_late_listener (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  Setter setter = { machine, 0, 0 };
  GThread *thread;
  gint before;

  signal_count = 0;
  thread = g_thread_new ("setter", setter_worker, &setter);
  while (g_atomic_int_get (&setter.sets) < 1000)
    g_thread_yield ();

  g_signal_connect (machine, "attr-changed::count", G_CALLBACK (count_cb), NULL);
  before = g_atomic_int_get (&setter.sets);
  while (g_atomic_int_get (&setter.sets) < before + 1000)
    g_thread_yield ();

  g_atomic_int_set (&setter.stop, 1);
  g_thread_join (thread);

  /* Every set after the connection was heard, and only those. */
  g_assert_cmpint (g_atomic_int_get (&signal_count), >=, 1000 - 1);
  g_assert_cmpint (g_atomic_int_get (&signal_count), <=, g_atomic_int_get (&setter.sets) - 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/attributes", test_threads_attributes);
  g_test_add_func ("/threads/shared-random", test_threads_shared_random);
  g_test_add_func ("/threads/weak-refs", test_threads_weak_refs);
  g_test_add_func ("/threads/own-machines", test_threads_own_machines);
  g_test_add_func ("/threads/late-listener", test_threads_late_listener);

  return g_test_run ();
}
