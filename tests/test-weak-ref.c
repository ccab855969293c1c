/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightWeakRef, the boxed weak reference the bindings use, and plain
 * GWeakRef on every kind of machine. */

#include <flyweight.h>

static void
test_weak_ref_clears_on_finalize (void)
{
  FlyweightPokies *machines[] = {
    FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL)),
    FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL)),
  };

  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    {
      g_autoptr(FlyweightWeakRef) ref = flyweight_weak_ref_new (G_OBJECT (machines[i]));
      GWeakRef plain;
      GObject *strong;

      g_weak_ref_init (&plain, machines[i]);

      strong = flyweight_weak_ref_get (ref);
      g_assert_true (strong == G_OBJECT (machines[i]));
      g_object_unref (strong);

      /* The weak reference does not keep the object alive. */
      g_assert_finalize_object (machines[i]);
      g_assert_null (flyweight_weak_ref_get (ref));
      g_assert_null (g_weak_ref_get (&plain));
      g_weak_ref_clear (&plain);
    }
}

static void
test_weak_ref_set (void)
{
  FlyweightPokies *first = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  FlyweightPokies *second = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (4, 6, NULL));
  g_autoptr(FlyweightWeakRef) ref = flyweight_weak_ref_new (NULL);
  g_autoptr(FlyweightWeakRef) copy = NULL;
  g_autoptr(GObject) strong = NULL;

  g_assert_null (flyweight_weak_ref_get (ref));

  flyweight_weak_ref_set (ref, G_OBJECT (first));
  strong = flyweight_weak_ref_get (ref);
  g_assert_true (strong == G_OBJECT (first));
  g_clear_object (&strong);

  flyweight_weak_ref_set (ref, G_OBJECT (second));
  copy = flyweight_weak_ref_copy (ref);

  /* Moving off an object forgets it: its finalization is no business of ours. */
  g_assert_finalize_object (first);
  strong = flyweight_weak_ref_get (ref);
  g_assert_true (strong == G_OBJECT (second));
  g_clear_object (&strong);

  flyweight_weak_ref_set (ref, NULL);
  g_assert_null (flyweight_weak_ref_get (ref));

  /* The copy is a reference of its own. */
  strong = flyweight_weak_ref_get (copy);
  g_assert_true (strong == G_OBJECT (second));
  g_clear_object (&strong);
  g_assert_finalize_object (second);
  g_assert_null (flyweight_weak_ref_get (copy));
}

static void
test_weak_ref_boxed (void)
{
  FlyweightPokies *machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(FlyweightWeakRef) ref = flyweight_weak_ref_new (G_OBJECT (machine));
  FlyweightWeakRef *boxed_copy;
  GObject *strong;

  g_assert_true (G_TYPE_IS_BOXED (FLYWEIGHT_TYPE_WEAK_REF));

  g_value_init (&value, FLYWEIGHT_TYPE_WEAK_REF);
  g_value_set_boxed (&value, ref);
  boxed_copy = g_value_get_boxed (&value);
  g_assert_true (boxed_copy != ref);

  strong = flyweight_weak_ref_get (boxed_copy);
  g_assert_true (strong == G_OBJECT (machine));
  g_object_unref (strong);

  g_assert_finalize_object (machine);
  g_assert_null (flyweight_weak_ref_get (boxed_copy));

  /* Copying a cleared reference gives a cleared reference. */
  {
    g_autoptr(FlyweightWeakRef) cleared = flyweight_weak_ref_copy (boxed_copy);

    g_assert_null (flyweight_weak_ref_get (cleared));
  }
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
test_weak_ref_many (void)
{
  const guint n = 1000;
  /* Dropped machines leave NULL behind, so free with a NULL-safe function. */
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func ((GDestroyNotify) unref_if_set);
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func ((GDestroyNotify) flyweight_weak_ref_free);

  for (guint i = 0; i < n; i++)
    {
      FlyweightPokies *machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));

      g_ptr_array_add (machines, machine);
      g_ptr_array_add (refs, flyweight_weak_ref_new (G_OBJECT (machine)));
    }

  /* Drop every other machine; exactly those references clear. */
  for (guint i = 0; i < n; i += 2)
    g_clear_object (&g_ptr_array_index (machines, i));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) strong = flyweight_weak_ref_get (g_ptr_array_index (refs, i));

      if (i % 2 == 0)
        g_assert_null (strong);
      else
        g_assert_true (strong == g_ptr_array_index (machines, i));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/weak-ref/clears-on-finalize", test_weak_ref_clears_on_finalize);
  g_test_add_func ("/weak-ref/set", test_weak_ref_set);
  g_test_add_func ("/weak-ref/boxed", test_weak_ref_boxed);
  g_test_add_func ("/weak-ref/many", test_weak_ref_many);

  return g_test_run ();
}
