/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The notebook "__slots__: the flyweight pattern made easy", cell by cell. */

#include <string.h>

#include <flyweight.h>

static void
assert_draw_in_range (FlyweightPokies *machine)
{
  guint n_values = 0;
  g_autofree guint *values = flyweight_pokies_draw (machine, &n_values);

  g_assert_cmpuint (n_values, ==, flyweight_pokies_get_reels (machine));
  for (guint i = 0; i < n_values; i++)
    {
      g_assert_cmpuint (values[i], >=, 1);
      g_assert_cmpuint (values[i], <=, flyweight_pokies_get_symbols (machine));
    }
}

/* pokies = Pokies(3, 10); pokies.draw() */
static void
test_notebook_pokies_draw (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, &error);
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (machine);

  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_get_reels (pokies), ==, 3);
  g_assert_cmpuint (flyweight_pokies_get_symbols (pokies), ==, 10);
  assert_draw_in_range (pokies);
}

/* dir(pokies) */
static void
test_notebook_dir (void)
{
  g_autoptr(FlyweightPokies) pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_auto(GStrv) names = flyweight_pokies_list_attrs (pokies);
  const char * const expected[] = { "reels", "symbols", NULL };

  g_assert_cmpstrv (names, expected);
}

static char *
dict_to_string (FlyweightPokies *pokies)
{
  g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (pokies));

  return g_variant_print (dict, FALSE);
}

/* pokies.__dict__; pokies.owner = 'Aristocrat'; del pokies.owner */
static void
test_notebook_dict (void)
{
  g_autoptr(FlyweightPokies) pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) owner = G_VALUE_INIT;
  g_autofree char *fresh = NULL;
  g_autofree char *with_owner = NULL;
  g_autofree char *after_del = NULL;

  fresh = dict_to_string (pokies);
  g_assert_cmpstr (fresh, ==, "{'reels': <uint32 3>, 'symbols': <uint32 10>}");

  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");
  g_assert_true (flyweight_pokies_set_attr (pokies, "owner", &owner, &error));
  g_assert_no_error (error);

  with_owner = dict_to_string (pokies);
  g_assert_cmpstr (with_owner, ==,
                   "{'reels': <uint32 3>, 'symbols': <uint32 10>, 'owner': <'Aristocrat'>}");

  g_assert_true (flyweight_pokies_del_attr (pokies, "owner", &error));
  g_assert_no_error (error);

  after_del = dict_to_string (pokies);
  g_assert_cmpstr (after_del, ==, fresh);
}

/* ref = weakref.ref(pokies); ref().draw(); pokies.__weakref__ */
static void
test_notebook_weakref (void)
{
  FlyweightPokies *pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(FlyweightWeakRef) ref = flyweight_weak_ref_new (G_OBJECT (pokies));
  g_autoptr(FlyweightWeakRef) same = flyweight_weak_ref_copy (ref);
  GObject *target = flyweight_weak_ref_get (ref);
  GObject *again = flyweight_weak_ref_get (same);

  g_assert_true (target == G_OBJECT (pokies));
  g_assert_true (again == target);
  assert_draw_in_range (FLYWEIGHT_POKIES (target));
  g_object_unref (again);
  g_object_unref (target);

  g_assert_finalize_object (pokies);
  g_assert_null (flyweight_weak_ref_get (ref));
  g_assert_null (flyweight_weak_ref_get (same));
}

/* flyweight = FlyweightPokies(3, 10); flyweight.draw() */
static void
test_notebook_flyweight_draw (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) flyweight = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, &error));

  g_assert_no_error (error);
  g_assert_true (FLYWEIGHT_IS_POKIES_SLOTTED (flyweight));
  assert_draw_in_range (flyweight);
}

/* set(dir(pokies)) - set(dir(flyweight)): what the slotted machine lacks
 * is the table (and its signal); the attributes themselves are the same. */
static void
test_notebook_difference (void)
{
  g_autoptr(FlyweightPokies) pokies = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(FlyweightPokies) flyweight = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_auto(GStrv) dynamic_names = flyweight_pokies_list_attrs (pokies);
  g_auto(GStrv) slotted_names = flyweight_pokies_list_attrs (flyweight);

  g_assert_cmpstrv (dynamic_names, slotted_names);
  g_assert_cmpuint (g_signal_lookup ("attr-changed", FLYWEIGHT_TYPE_POKIES_DYNAMIC), !=, 0);
  g_assert_cmpuint (g_signal_lookup ("attr-changed", FLYWEIGHT_TYPE_POKIES_SLOTTED), ==, 0);
}

/* flyweight.owner = 'Aristocrat' -> AttributeError */
static void
test_notebook_flyweight_no_owner (void)
{
  g_autoptr(FlyweightPokies) flyweight = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) owner = G_VALUE_INIT;
  g_auto(GStrv) names = NULL;
  const char * const dimensions[] = { "reels", "symbols", NULL };

  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");

  g_assert_false (flyweight_pokies_set_attr (flyweight, "owner", &owner, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_nonnull (strstr (error->message, "FlyweightPokiesSlotted"));
  g_assert_nonnull (strstr (error->message, "has no attribute"));
  g_assert_nonnull (strstr (error->message, "owner"));

  names = flyweight_pokies_list_attrs (flyweight);
  g_assert_cmpstrv (names, dimensions);
}

/* weakref.ref(flyweight) fails in CPython; every GObject can be weakly
 * referenced, and the reference costs nothing until it is taken. */
static void
test_notebook_flyweight_weakref (void)
{
  FlyweightPokies *flyweight = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  GWeakRef ref;
  GObject *target;

  g_weak_ref_init (&ref, flyweight);
  target = g_weak_ref_get (&ref);
  g_assert_true (target == G_OBJECT (flyweight));
  g_object_unref (target);

  g_assert_finalize_object (flyweight);
  g_assert_null (g_weak_ref_get (&ref));
  g_weak_ref_clear (&ref);
}

/* weak = WeakPokies(3, 10); weakref.ref(weak) */
static void
test_notebook_weak_pokies (void)
{
  FlyweightPokies *weak = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_autoptr(FlyweightWeakRef) ref = flyweight_weak_ref_new (G_OBJECT (weak));
  g_autoptr(GObject) target = flyweight_weak_ref_get (ref);

  assert_draw_in_range (FLYWEIGHT_POKIES (target));
  g_clear_object (&target);
  g_assert_finalize_object (weak);
  g_assert_null (flyweight_weak_ref_get (ref));
}

/* [Pokies(3, 10) for _ in range(N)] for each class: a smaller version of
 * the %memit cells; the figures themselves come from flyweight-memit.
 * Every machine is its own object of the right class, with the notebook's
 * dimensions, draws, attributes and dict, and every one is freed with
 * the list. */
static void
count_finalized_cb (gpointer  data,
                    GObject  *where_the_object_was)
{
  (*(guint *) data)++;
}

static void
test_notebook_many (void)
{
  const guint n = 10000;
  const char * const dimensions[] = { "reels", "symbols", NULL };
  g_autoptr(GPtrArray) dynamic = g_ptr_array_new_full (n, g_object_unref);
  g_autoptr(GPtrArray) slotted = g_ptr_array_new_full (n, g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GVariant) fresh_dict = NULL;
  guint finalized = 0;

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (dynamic, flyweight_pokies_dynamic_new (3, 10, NULL));
      g_ptr_array_add (slotted, flyweight_pokies_slotted_new (3, 10, NULL));
    }

  fresh_dict = g_variant_ref_sink (g_variant_new_parsed ("{'reels': <uint32 3>, 'symbols': <uint32 10>}"));
  for (guint i = 0; i < n; i++)
    {
      FlyweightPokies *machines[] = { g_ptr_array_index (dynamic, i), g_ptr_array_index (slotted, i) };
      g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (g_ptr_array_index (dynamic, i));

      g_assert_true (FLYWEIGHT_IS_POKIES_DYNAMIC (machines[0]));
      g_assert_true (FLYWEIGHT_IS_POKIES_SLOTTED (machines[1]));
      g_assert_true (g_variant_equal (dict, fresh_dict));

      for (guint k = 0; k < G_N_ELEMENTS (machines); k++)
        {
          g_auto(GStrv) names = flyweight_pokies_list_attrs (machines[k]);

          g_assert_true (g_hash_table_add (seen, machines[k]));
          g_assert_cmpuint (flyweight_pokies_get_reels (machines[k]), ==, 3);
          g_assert_cmpuint (flyweight_pokies_get_symbols (machines[k]), ==, 10);
          g_assert_cmpstrv (names, dimensions);
          assert_draw_in_range (machines[k]);
          g_object_weak_ref (G_OBJECT (machines[k]), count_finalized_cb, &finalized);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2 * n);

  g_clear_pointer (&dynamic, g_ptr_array_unref);
  g_clear_pointer (&slotted, g_ptr_array_unref);
  g_assert_cmpuint (finalized, ==, 2 * n);
}

/* class BrokenPokies: __slots__ = () fails on instantiation: the base
 * class has no storage at all, and GObject refuses to make one. The
 * refusal is g_error(), which aborts, so the child reaching its end
 * would be the failure. (A subclass that does it right works: see
 * tests/test-subclass.c.) */
static void
test_notebook_broken (void)
{
  if (g_test_subprocess ())
    {
      g_object_new (FLYWEIGHT_TYPE_POKIES, "reels", 3, "symbols", 10, NULL);
      return;
    }

  g_assert_true (G_TYPE_IS_ABSTRACT (FLYWEIGHT_TYPE_POKIES));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*cannot create instance of abstract*FlyweightPokies*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notebook/pokies-draw", test_notebook_pokies_draw);
  g_test_add_func ("/notebook/dir", test_notebook_dir);
  g_test_add_func ("/notebook/dict", test_notebook_dict);
  g_test_add_func ("/notebook/weakref", test_notebook_weakref);
  g_test_add_func ("/notebook/flyweight-draw", test_notebook_flyweight_draw);
  g_test_add_func ("/notebook/difference", test_notebook_difference);
  g_test_add_func ("/notebook/flyweight-no-owner", test_notebook_flyweight_no_owner);
  g_test_add_func ("/notebook/flyweight-weakref", test_notebook_flyweight_weakref);
  g_test_add_func ("/notebook/weak-pokies", test_notebook_weak_pokies);
  g_test_add_func ("/notebook/many", test_notebook_many);
  g_test_add_func ("/notebook/broken", test_notebook_broken);

  return g_test_run ();
}
