/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Several threads using the library for the first time at once, in a
 * fresh process each time: class initialization, the empty shape, the
 * error quark, the message catalog and the first weak references race
 * with their first use. ThreadSanitizer runs this test. */

#include <flyweight.h>

#define N_THREADS 4

typedef enum
{
  FIRST_MACHINES,   /* every thread builds both kinds and uses them */
  FIRST_ERRORS,     /* every thread starts with a failing call */
  FIRST_MIXED,      /* each thread starts somewhere else */
  N_ORDERS
} Order;

/* Atomics rather than a GMutex: ThreadSanitizer sees these, and the
 * test must add no synchronization that would hide a race. */
typedef struct
{
  Order order;
  gint  index;
  gint  waiting;
} Start;

/* All threads leave at once, so that their first calls overlap. */
static void
start_together (Start *start)
{
  g_atomic_int_inc (&start->waiting);
  while (g_atomic_int_get (&start->waiting) < N_THREADS)
    g_thread_yield ();
}

static void
use_machines (guint index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokiesDynamic) dynamic = flyweight_pokies_dynamic_new (3, 10, &error);
  g_autoptr(FlyweightPokiesSlotted) slotted = flyweight_pokies_slotted_new (2, 6, &error);
  g_autoptr(FlyweightRandom) random = flyweight_random_new (index);
  g_autoptr(FlyweightWeakRef) ref = NULL;
  g_autoptr(GObject) target = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) read = G_VALUE_INIT;
  g_autofree guint *draw = NULL;
  guint n_values;

  g_assert_no_error (error);
  draw = flyweight_pokies_draw_with (FLYWEIGHT_POKIES (slotted), random, &n_values);
  g_assert_cmpuint (n_values, ==, 2);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, index % 2 ? "Aristocrat" : "Ainsworth");
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (dynamic), "owner", &value, &error));
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (dynamic), "caf\xc3\xa9", &value, &error));
  g_assert_true (flyweight_pokies_get_attr (FLYWEIGHT_POKIES (dynamic), "owner", &read, &error));
  g_assert_no_error (error);

  ref = flyweight_weak_ref_new (G_OBJECT (dynamic));
  target = flyweight_weak_ref_get (ref);
  g_assert_true (target == G_OBJECT (dynamic));
  flyweight_pokies_clear_attrs (FLYWEIGHT_POKIES (dynamic));
}

static void
use_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokiesSlotted) machine = flyweight_pokies_slotted_new (0, 10, &error);

  /* A constructor's error, a name's error and an attribute's error: the
   * quark and the catalog are made by whichever thread comes first. */
  g_assert_null (machine);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (flyweight_attr_name_validate ("x\xc2\xb2", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_clear_error (&error);
  machine = flyweight_pokies_slotted_new (3, 10, &error);
  g_assert_false (flyweight_pokies_del_attr (FLYWEIGHT_POKIES (machine), "owner", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
}

static gpointer
first_use_thread (gpointer data)
{
  Start *start = data;
  guint index = (guint) g_atomic_int_add (&start->index, 1);

  start_together (start);

  switch (start->order)
    {
    case FIRST_MACHINES:
      use_machines (index);
      use_errors ();
      break;
    case FIRST_ERRORS:
      use_errors ();
      use_machines (index);
      break;
    case FIRST_MIXED:
    case N_ORDERS:
    default:
      if (index % 2)
        use_errors ();
      use_machines (index);
      use_errors ();
      break;
    }

  return NULL;
}

static void
run_first_use (Order order)
{
  Start start = { order, 0, 0 };
  GThread *threads[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("first-use", first_use_thread, &start);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
}

/* Each order in a process of its own: nothing may have been used yet. */
static void
test_first_use (gconstpointer data)
{
  Order order = GPOINTER_TO_UINT (data);

  if (g_test_subprocess ())
    {
      run_first_use (order);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/first-use/machines", GUINT_TO_POINTER (FIRST_MACHINES), test_first_use);
  g_test_add_data_func ("/first-use/errors", GUINT_TO_POINTER (FIRST_ERRORS), test_first_use);
  g_test_add_data_func ("/first-use/mixed", GUINT_TO_POINTER (FIRST_MIXED), test_first_use);

  return g_test_run ();
}
