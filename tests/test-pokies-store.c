/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightPokiesStore and FlyweightPokiesView through the public API:
 * rows and their signals, views made on demand and let go, attributes
 * through views and in bulk, draws, counting, filtering, sorting, and the
 * errors and criticals of bad calls. */

#include <math.h>
#include <string.h>

#include <flyweight.h>

/* ---- helpers ---- */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_array_set_size (changes, 0);
}

static void
count_cb (gpointer  instance,
          gpointer  arg,
          guint    *count)
{
  (*count)++;
}

static void
rows_changed_cb (FlyweightPokiesStore *store,
                 guint                 position,
                 guint                 n_rows,
                 guint                *count)
{
  (*count)++;
}

static void
set_string (FlyweightPokies *machine,
            const char      *name,
            const char      *string)
{
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);
  g_assert_true (flyweight_pokies_set_attr (machine, name, &value, &error));
  g_assert_no_error (error);
}

static char *
dup_string (FlyweightPokies *machine,
            const char      *name)
{
  g_auto (GValue) value = G_VALUE_INIT;

  if (!flyweight_pokies_get_attr (machine, name, &value, NULL))
    return NULL;
  g_assert_true (G_VALUE_HOLDS_STRING (&value));

  return g_value_dup_string (&value);
}

static void
assert_attr_string (FlyweightPokies *machine,
                    const char      *name,
                    const char      *expected)
{
  g_autofree char *string = dup_string (machine, name);

  g_assert_cmpstr (string, ==, expected);
}

static FlyweightPokiesStore *
new_store (guint n)
{
  FlyweightPokiesStore *store = flyweight_pokies_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (flyweight_pokies_store_append_many (store, n, 3, 10, &error));
  g_assert_no_error (error);

  return store;
}

/* ---- rows ---- */

static void
test_rows (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  guint n_notifies = 0;
  GType item_type;

  g_assert_true (G_IS_LIST_MODEL (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == FLYWEIGHT_TYPE_POKIES_VIEW);
  g_object_get (store, "item-type", &item_type, NULL);
  g_assert_true (item_type == FLYWEIGHT_TYPE_POKIES_VIEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 0));

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (store, "notify::n-items", G_CALLBACK (count_cb), &n_notifies);

  g_assert_true (flyweight_pokies_store_append (store, 3, 10, &error));
  assert_change (changes, 0, 0, 1);
  g_assert_true (flyweight_pokies_store_append_many (store, 4, 5, 20, &error));
  assert_change (changes, 1, 0, 4);
  g_assert_true (flyweight_pokies_store_insert (store, 2, 1, 1, &error));
  assert_change (changes, 2, 0, 1);
  g_assert_true (flyweight_pokies_store_insert_many (store, 0, 2, 3, 10, &error));
  assert_change (changes, 0, 0, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (n_notifies, ==, 4);

  /* 3×10 3×10 3×10 5×20 1×1 5×20 5×20 5×20 */
  {
    const guint expected[][2] = { {3, 10}, {3, 10}, {3, 10}, {5, 20}, {1, 1}, {5, 20}, {5, 20}, {5, 20} };
    guint n_items;

    g_object_get (store, "n-items", &n_items, NULL);
    g_assert_cmpuint (n_items, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, i);

        g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)), ==, expected[i][0]);
        g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (view)), ==, expected[i][1]);
        g_assert_cmpuint (flyweight_pokies_view_get_position (view), ==, i);
        g_assert_true (flyweight_pokies_view_get_store (view) == store);
      }
  }
  g_assert_cmpuint (flyweight_pokies_store_get_n_configurations (store), ==, 3);

  /* Nothing to do, nothing to say. */
  g_assert_true (flyweight_pokies_store_append_many (store, 0, 3, 10, &error));
  flyweight_pokies_store_remove_range (store, 3, 0);
  g_assert_true (flyweight_pokies_store_splice (store, 5, 0, NULL, 0, &error));
  g_assert_cmpuint (changes->len, ==, 0);

  flyweight_pokies_store_remove (store, 4);
  assert_change (changes, 4, 1, 0);
  flyweight_pokies_store_remove_range (store, 1, 3);
  assert_change (changes, 1, 3, 0);
  flyweight_pokies_store_remove_all (store);
  assert_change (changes, 0, 4, 0);
  flyweight_pokies_store_remove_all (store);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_notifies, ==, 7);
}

static void
test_bad_dimensions (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (2);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  g_assert_false (flyweight_pokies_store_append (store, 0, 10, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_store_insert_many (store, 1, 5, 3, FLYWEIGHT_POKIES_MAX_SYMBOLS + 1, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpuint (flyweight_pokies_store_get_n_configurations (store), ==, 1);
}

/* ---- views ---- */

static void
test_identity_and_release (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (100);
  FlyweightPokiesView *first, *again, *other;
  GObject *item;

  first = flyweight_pokies_store_get_view (store, 7);
  item = g_list_model_get_item (G_LIST_MODEL (store), 7);
  g_assert_true (item == (GObject *) first);
  g_object_unref (item);
  again = flyweight_pokies_store_get_view (store, 7);
  g_assert_true (again == first);
  other = flyweight_pokies_store_get_view (store, 8);
  g_assert_true (other != first);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 2);

  g_object_unref (again);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 2);
  g_assert_finalize_object (first);
  g_assert_finalize_object (other);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 0);

  /* A new view once the old one is gone; the row kept its state. */
  first = flyweight_pokies_store_get_view (store, 7);
  set_string (FLYWEIGHT_POKIES (first), "owner", "Aristocrat");
  g_assert_finalize_object (first);
  first = flyweight_pokies_store_get_view (store, 7);
  assert_attr_string (FLYWEIGHT_POKIES (first), "owner", "Aristocrat");
  g_assert_finalize_object (first);

  /* Many views at once, then none. */
  {
    GPtrArray *views = g_ptr_array_new ();

    for (guint i = 0; i < 100; i++)
      g_ptr_array_add (views, g_list_model_get_item (G_LIST_MODEL (store), i));
    g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 100);
    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(GObject) same = g_list_model_get_item (G_LIST_MODEL (store), i);

        g_assert_true (same == g_ptr_array_index (views, i));
      }
    for (guint i = 0; i < 100; i++)
      g_assert_finalize_object (g_ptr_array_index (views, i));
    g_ptr_array_unref (views);
  }
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 0);
}

static void
test_view_follows_row (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (10);
  g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, 5);
  g_autoptr(FlyweightPokiesView) above = flyweight_pokies_store_get_view (store, 2);
  g_autoptr(GError) error = NULL;
  guint n_position_notifies = 0, n_above_notifies = 0;

  set_string (FLYWEIGHT_POKIES (view), "owner", "Konami");
  g_signal_connect (view, "notify::position", G_CALLBACK (count_cb), &n_position_notifies);
  g_signal_connect (above, "notify::position", G_CALLBACK (count_cb), &n_above_notifies);

  g_assert_true (flyweight_pokies_store_insert_many (store, 3, 4, 3, 10, &error));
  g_assert_cmpuint (flyweight_pokies_view_get_position (view), ==, 9);
  g_assert_cmpuint (flyweight_pokies_view_get_position (above), ==, 2);
  g_assert_cmpuint (n_position_notifies, ==, 1);
  g_assert_cmpuint (n_above_notifies, ==, 0);

  flyweight_pokies_store_remove_range (store, 0, 2);
  g_assert_cmpuint (flyweight_pokies_view_get_position (view), ==, 7);
  g_assert_cmpuint (flyweight_pokies_view_get_position (above), ==, 0);
  g_assert_cmpuint (n_position_notifies, ==, 2);

  /* The same object for the row at its new place. */
  {
    g_autoptr(FlyweightPokiesView) same = flyweight_pokies_store_get_view (store, 7);

    g_assert_true (same == view);
  }
  assert_attr_string (FLYWEIGHT_POKIES (view), "owner", "Konami");

  /* Appending below moves nothing. */
  g_assert_true (flyweight_pokies_store_append (store, 3, 10, &error));
  g_assert_cmpuint (n_position_notifies, ==, 2);
  g_assert_no_error (error);
}

static void
test_view_of_removed_row (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (5);
  FlyweightPokiesView *view = flyweight_pokies_store_get_view (store, 3);
  g_autoptr(FlyweightRandom) random = flyweight_random_new (7);
  g_autofree guint *drawn = NULL;
  g_autofree guint *last = NULL;
  guint n_drawn, n_last, n_notifies = 0;

  set_string (FLYWEIGHT_POKIES (view), "owner", "IGT");
  drawn = flyweight_pokies_draw_with (FLYWEIGHT_POKIES (view), random, &n_drawn);
  g_signal_connect (view, "notify::position", G_CALLBACK (count_cb), &n_notifies);

  flyweight_pokies_store_remove (store, 3);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpuint (flyweight_pokies_view_get_position (view), ==, FLYWEIGHT_INVALID_POSITION);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 1);

  /* It keeps what its row held... */
  assert_attr_string (FLYWEIGHT_POKIES (view), "owner", "IGT");
  last = flyweight_pokies_view_get_last_draw (view, &n_last);
  g_assert_cmpmem (last, n_last * sizeof (guint), drawn, n_drawn * sizeof (guint));
  g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)), ==, 3);

  /* ...and goes on as a machine of its own. */
  set_string (FLYWEIGHT_POKIES (view), "owner", "Ainsworth");
  set_string (FLYWEIGHT_POKIES (view), "colour", "red");
  assert_attr_string (FLYWEIGHT_POKIES (view), "owner", "Ainsworth");
  g_clear_pointer (&drawn, g_free);
  drawn = flyweight_pokies_draw (FLYWEIGHT_POKIES (view), &n_drawn);
  g_clear_pointer (&last, g_free);
  last = flyweight_pokies_view_get_last_draw (view, &n_last);
  g_assert_cmpmem (last, n_last * sizeof (guint), drawn, n_drawn * sizeof (guint));
  g_assert_true (flyweight_pokies_del_attr (FLYWEIGHT_POKIES (view), "colour", NULL));

  /* Nothing reached the store, and no row shows it. */
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(FlyweightPokiesView) row = flyweight_pokies_store_get_view (store, i);

      g_assert_true (row != view);
    }

  g_assert_finalize_object (view);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (store), ==, 0);
}

static void
test_views_keep_store (void)
{
  FlyweightPokiesStore *store = new_store (3);
  FlyweightPokiesView *view = flyweight_pokies_store_get_view (store, 1);
  GWeakRef weak;

  g_weak_ref_init (&weak, store);
  g_object_unref (store);

  /* The view holds its store. */
  set_string (FLYWEIGHT_POKIES (view), "owner", "Konami");
  assert_attr_string (FLYWEIGHT_POKIES (view), "owner", "Konami");
  {
    g_autoptr(FlyweightPokiesStore) held = g_weak_ref_get (&weak);

    g_assert_nonnull (held);
    g_assert_cmpuint (flyweight_pokies_store_count_attr (held, "owner", NULL, NULL), ==, 1);
  }

  g_assert_finalize_object (view);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

static void
test_standalone_view (void)
{
  FlyweightPokiesView *view = g_object_new (FLYWEIGHT_TYPE_POKIES_VIEW, "reels", 5, "symbols", 7, NULL);
  FlyweightPokiesStore *store;
  g_autofree guint *drawn = NULL;
  g_autofree char *text = NULL;
  guint n_drawn;

  g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)), ==, 5);
  set_string (FLYWEIGHT_POKIES (view), "owner", "Aristocrat");
  drawn = flyweight_pokies_draw (FLYWEIGHT_POKIES (view), &n_drawn);
  g_assert_cmpuint (n_drawn, ==, 5);
  text = flyweight_pokies_view_dup_last_draw_text (view);
  g_assert_nonnull (text);

  store = flyweight_pokies_view_get_store (view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (flyweight_pokies_view_get_position (view), ==, 0);
  {
    g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), 0);

    g_assert_true (item == (GObject *) view);
  }

  g_assert_finalize_object (view);

  /* Never used: never needs a store. */
  g_assert_finalize_object (g_object_new (FLYWEIGHT_TYPE_POKIES_VIEW, NULL));
}

/* ---- attributes ---- */

static void
assert_round_trip (FlyweightPokies *machine,
                   const GValue    *value)
{
  g_auto (GValue) back = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (flyweight_pokies_set_attr (machine, "thing", value, &error));
  g_assert_no_error (error);
  g_assert_true (flyweight_pokies_get_attr (machine, "thing", &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (G_VALUE_TYPE_NAME (&back), ==, G_VALUE_TYPE_NAME (value));
  {
    g_autofree char *a = g_strdup_value_contents (value);
    g_autofree char *b = g_strdup_value_contents (&back);

    g_assert_cmpstr (a, ==, b);
  }
}

static void
test_attributes (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (4);
  g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, 1);
  FlyweightPokies *machine = FLYWEIGHT_POKIES (view);
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  guint n_owner_changes = 0, n_changes = 0, n_rows_changed = 0;
  g_auto (GValue) value = G_VALUE_INIT;

  g_signal_connect (view, "attr-changed::owner", G_CALLBACK (count_cb), &n_owner_changes);
  g_signal_connect (view, "attr-changed", G_CALLBACK (count_cb), &n_changes);
  g_signal_connect (store, "rows-changed", G_CALLBACK (rows_changed_cb), &n_rows_changed);

  g_assert_false (flyweight_pokies_has_attr (machine, "owner"));
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);

  set_string (machine, "owner", "Aristocrat");
  set_string (machine, "colour", "gold");
  g_assert_cmpuint (n_owner_changes, ==, 1);
  g_assert_cmpuint (n_changes, ==, 2);
  g_assert_cmpuint (n_rows_changed, ==, 2);
  g_assert_true (flyweight_pokies_has_attr (machine, "owner"));
  names = flyweight_pokies_list_attrs (machine);
  {
    const char *expected[] = { "colour", "owner", "reels", "symbols", NULL };

    g_assert_true (g_strv_equal ((const char * const *) names, expected));
  }

  /* Other rows do not have it. */
  {
    g_autoptr(FlyweightPokiesView) neighbour = flyweight_pokies_store_get_view (store, 2);

    g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (neighbour), "owner"));
  }

  /* The dimensions stay read-only. */
  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, 4);
  g_assert_false (flyweight_pokies_set_attr (machine, "reels", &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_value_unset (&value);

  g_assert_true (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_owner_changes, ==, 2);
  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);
  g_assert_cmpuint (n_owner_changes, ==, 2);

  /* Every kind of value comes back as it went in, whatever the column
   * held before. */
  {
    g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
    const char *strv[] = { "a", "b", NULL };
    GValue values[16] = { G_VALUE_INIT };
    guint n = 0;

    g_value_set_int (g_value_init (&values[n++], G_TYPE_INT), -5);
    g_value_set_uint (g_value_init (&values[n++], G_TYPE_UINT), G_MAXUINT);
    g_value_set_int64 (g_value_init (&values[n++], G_TYPE_INT64), G_MININT64);
    g_value_set_uint64 (g_value_init (&values[n++], G_TYPE_UINT64), G_MAXUINT64);
    g_value_set_long (g_value_init (&values[n++], G_TYPE_LONG), -7);
    g_value_set_schar (g_value_init (&values[n++], G_TYPE_CHAR), -3);
    g_value_set_uchar (g_value_init (&values[n++], G_TYPE_UCHAR), 250);
    g_value_set_float (g_value_init (&values[n++], G_TYPE_FLOAT), -1.5f);
    g_value_set_double (g_value_init (&values[n++], G_TYPE_DOUBLE), -0.0);
    g_value_set_boolean (g_value_init (&values[n++], G_TYPE_BOOLEAN), TRUE);
    g_value_set_enum (g_value_init (&values[n++], FLYWEIGHT_TYPE_ERROR), FLYWEIGHT_ERROR_READ_ONLY);
    g_value_set_flags (g_value_init (&values[n++], G_TYPE_BINDING_FLAGS), G_BINDING_BIDIRECTIONAL);
    g_value_set_gtype (g_value_init (&values[n++], G_TYPE_GTYPE), FLYWEIGHT_TYPE_POKIES_VIEW);
    g_value_set_string (g_value_init (&values[n++], G_TYPE_STRING), NULL);
    g_value_set_boxed (g_value_init (&values[n++], G_TYPE_STRV), strv);
    g_value_set_object (g_value_init (&values[n++], G_TYPE_OBJECT), object);
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (values));

    for (guint i = 0; i < n; i++)
      assert_round_trip (machine, &values[i]);
    for (guint i = n; i > 0; i--)
      assert_round_trip (machine, &values[i - 1]);

    /* -0.0 stays -0.0. */
    {
      g_auto (GValue) back = G_VALUE_INIT;

      g_assert_true (flyweight_pokies_set_attr (machine, "d", &values[8], NULL));
      g_assert_true (flyweight_pokies_get_attr (machine, "d", &back, NULL));
      g_assert_true (signbit (g_value_get_double (&back)));
    }

    for (guint i = 0; i < n; i++)
      g_value_unset (&values[i]);
  }
}

static void
weak_notify_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static void
test_attribute_values_released (void)
{
  FlyweightPokiesStore *store = new_store (4);
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);
  g_auto (GValue) value = G_VALUE_INIT;
  gboolean finalized = FALSE;
  g_autoptr(GError) error = NULL;

  g_object_weak_ref (object, weak_notify_cb, &finalized);
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_take_object (&value, object);
  g_assert_true (flyweight_pokies_store_set_attr_range (store, "thing", 0, 4, &value, &error));
  g_assert_no_error (error);
  g_value_unset (&value);

  flyweight_pokies_store_remove_range (store, 0, 2);
  g_assert_false (finalized);
  g_assert_true (flyweight_pokies_store_del_attr_range (store, "thing", 0, 1, &error));
  g_assert_false (finalized);

  /* The last row that held it goes with the store. */
  g_object_unref (store);
  g_assert_true (finalized);
}

static void
test_clear_attrs (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (3);
  g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, 1);
  g_autoptr(FlyweightPokiesView) other = flyweight_pokies_store_get_view (store, 2);
  g_auto(GStrv) names = NULL;
  guint n_changes = 0, n_rows_changed = 0;

  set_string (FLYWEIGHT_POKIES (view), "owner", "Konami");
  set_string (FLYWEIGHT_POKIES (view), "colour", "red");
  set_string (FLYWEIGHT_POKIES (other), "owner", "IGT");
  g_signal_connect (view, "attr-changed", G_CALLBACK (count_cb), &n_changes);
  g_signal_connect (store, "rows-changed", G_CALLBACK (rows_changed_cb), &n_rows_changed);

  flyweight_pokies_clear_attrs (FLYWEIGHT_POKIES (view));
  names = flyweight_pokies_list_attrs (FLYWEIGHT_POKIES (view));
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpuint (n_changes, ==, 2);
  g_assert_cmpuint (n_rows_changed, ==, 1);
  assert_attr_string (FLYWEIGHT_POKIES (other), "owner", "IGT");

  /* A view that outlived its row clears its copy. */
  set_string (FLYWEIGHT_POKIES (other), "colour", "blue");
  flyweight_pokies_store_remove (store, 2);
  flyweight_pokies_clear_attrs (FLYWEIGHT_POKIES (other));
  g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (other), "owner"));
  g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (other), "colour"));
  g_assert_cmpuint (n_rows_changed, ==, 2);   /* "colour" on row 2; nothing since */
}

static void
test_cycles_break_on_dispose (void)
{
  FlyweightPokiesStore *store = new_store (3);
  FlyweightPokiesView *view = flyweight_pokies_store_get_view (store, 0);
  g_auto (GValue) value = G_VALUE_INIT;
  GWeakRef weak;

  /* A row that holds its own view: store → column → view → store. */
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, view);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (view), "me", &value, NULL));
  g_value_unset (&value);
  g_weak_ref_init (&weak, view);
  g_object_unref (view);
  g_object_unref (store);
  view = g_weak_ref_get (&weak);
  g_assert_nonnull (view);

  /* Disposing the store drops the values that may hold objects. */
  store = flyweight_pokies_view_get_store (view);
  g_object_run_dispose (G_OBJECT (store));
  g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (view), "me"));
  g_object_unref (view);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  /* A view that outlived its row and holds itself is freed as well. */
  store = new_store (1);
  view = flyweight_pokies_store_get_view (store, 0);
  flyweight_pokies_store_remove (store, 0);
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, view);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (view), "me", &value, NULL));
  g_value_unset (&value);
  g_weak_ref_init (&weak, view);
  g_object_run_dispose (G_OBJECT (view));
  g_object_unref (view);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  g_object_unref (store);
}

/* ---- bulk ---- */

static void
test_bulk_attributes (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (10);
  g_autoptr(FlyweightPokiesView) inside = flyweight_pokies_store_get_view (store, 3);
  g_autoptr(FlyweightPokiesView) outside = flyweight_pokies_store_get_view (store, 8);
  const char *owners[] = { "a", "b", "c", NULL, "e" };
  const gint levels[] = { 1, 2, 3 };
  const gdouble ratios[] = { 0.5, -0.25 };
  const gboolean lit[] = { TRUE, FALSE, TRUE, TRUE };
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  guint n_inside = 0, n_outside = 0, n_rows_changed = 0;

  g_signal_connect (inside, "attr-changed::owner", G_CALLBACK (count_cb), &n_inside);
  g_signal_connect (outside, "attr-changed::owner", G_CALLBACK (count_cb), &n_outside);
  g_signal_connect (store, "rows-changed", G_CALLBACK (rows_changed_cb), &n_rows_changed);

  g_assert_true (flyweight_pokies_store_set_attr_strings (store, "owner", 1, owners, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_inside, ==, 1);
  g_assert_cmpuint (n_outside, ==, 0);
  g_assert_cmpuint (n_rows_changed, ==, 1);
  assert_attr_string (FLYWEIGHT_POKIES (inside), "owner", "c");
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 5);

  g_assert_true (flyweight_pokies_store_set_attr_ints (store, "level", 0, levels, 3, &error));
  g_assert_true (flyweight_pokies_store_set_attr_doubles (store, "ratio", 8, ratios, 2, &error));
  g_assert_true (flyweight_pokies_store_set_attr_booleans (store, "lit", 2, lit, 4, &error));
  g_assert_no_error (error);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 3);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "level", &value, NULL), ==, 1);
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, -0.25);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "ratio", &value, NULL), ==, 1);
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, TRUE);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "lit", &value, NULL), ==, 3);
  g_value_unset (&value);

  /* One value over a range. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "house");
  g_assert_true (flyweight_pokies_store_set_attr_range (store, "owner", 0, 10, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, NULL), ==, 10);
  g_assert_cmpuint (n_inside, ==, 2);
  g_assert_cmpuint (n_outside, ==, 1);

  g_assert_true (flyweight_pokies_store_del_attr_range (store, "owner", 2, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 5);
  g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (inside), "owner"));
  g_assert_cmpuint (n_inside, ==, 3);

  /* Strings by index into a dictionary, the NULL string included. */
  {
    const char *dictionary[] = { "x", NULL, "y" };
    const guint indices[] = { 2, 0, 0, 1, 2 };
    const guint bad[] = { 0, 3 };

    g_assert_true (flyweight_pokies_store_set_attr_dictionary (store, "owner", 4, dictionary, 3,
                                                               indices, 5, &error));
    g_assert_no_error (error);
    g_value_set_static_string (&value, "x");
    g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, NULL), ==, 2);
    g_value_set_string (&value, NULL);
    g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, NULL), ==, 1);
    assert_attr_string (FLYWEIGHT_POKIES (outside), "owner", "y");

    g_assert_false (flyweight_pokies_store_set_attr_dictionary (store, "owner", 0, dictionary, 3,
                                                                bad, 2, &error));
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
    g_clear_error (&error);
    g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, NULL), ==, 1);
    g_assert_true (flyweight_pokies_store_del_attr_range (store, "owner", 4, 5, &error));
  }

  /* Deleting what nobody has is no error in bulk. */
  g_assert_true (flyweight_pokies_store_del_attr_range (store, "nothing", 0, 10, &error));
  g_assert_no_error (error);
}

static void
test_bulk_errors_change_nothing (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (6);
  const char *bad[] = { "fine", "also fine", "\xff\xfe", "fine" };
  const char *good[] = { "x", "y" };
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  guint n_rows_changed = 0;

  g_signal_connect (store, "rows-changed", G_CALLBACK (rows_changed_cb), &n_rows_changed);

  g_assert_false (flyweight_pokies_store_set_attr_strings (store, "owner", 0, bad, 4, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 0);

  g_assert_false (flyweight_pokies_store_set_attr_strings (store, "reels", 0, good, 2, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_store_set_attr_strings (store, "__dict__", 0, good, 2, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_store_del_attr_range (store, "symbols", 0, 2, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_false (flyweight_pokies_store_set_attr_range (store, "owner", 0, 2, &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_value_init (&value, G_TYPE_POINTER);
  g_assert_false (flyweight_pokies_store_set_attr_range (store, "owner", 0, 2, &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "1st", NULL, &error), ==, 0);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_store_sort_by_attr (store, "", FALSE, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_clear_error (&error);

  g_assert_cmpuint (n_rows_changed, ==, 0);
}

/* ---- draws ---- */

static void
test_draws (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightRandom) bulk_random = flyweight_random_new (42);
  g_autoptr(FlyweightRandom) one_by_one = flyweight_random_new (42);
  g_autoptr(FlyweightPokiesView) live = NULL;
  g_autoptr(GError) error = NULL;
  guint n_notifies = 0, n_text_notifies = 0, n_rows_changed = 0;
  guint n;

  g_assert_true (flyweight_pokies_store_append_many (store, 50, 3, 10, &error));
  g_assert_true (flyweight_pokies_store_append_many (store, 5, 1, 1, &error));
  /* 1000^20 outcomes: more than a cell holds. */
  g_assert_true (flyweight_pokies_store_append_many (store, 5, 20, 1000, &error));
  g_assert_true (flyweight_pokies_store_append_many (store, 40, 7, 1048576, &error));
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));

  live = flyweight_pokies_store_get_view (store, 3);
  g_assert_null (flyweight_pokies_view_dup_last_draw_text (live));
  {
    g_autoptr(GVariant) empty = flyweight_pokies_view_dup_last_draw_variant (live);
    guint n_values;

    g_assert_cmpuint (g_variant_n_children (empty), ==, 0);
    g_assert_null (flyweight_pokies_view_get_last_draw (live, &n_values));
    g_assert_cmpuint (n_values, ==, 0);
  }
  g_signal_connect (live, "notify::last-draw", G_CALLBACK (count_cb), &n_notifies);
  g_signal_connect (live, "notify::last-draw-text", G_CALLBACK (count_cb), &n_text_notifies);
  g_signal_connect (store, "rows-changed", G_CALLBACK (rows_changed_cb), &n_rows_changed);

  flyweight_pokies_store_draw_all (store, bulk_random);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpuint (n_text_notifies, ==, 1);
  g_assert_cmpuint (n_rows_changed, ==, 1);

  /* The same numbers as drawing each machine in turn. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, i);
      g_autoptr(FlyweightPokies) twin = NULL;
      g_autofree guint *expected = NULL;
      g_autofree guint *kept = NULL;
      guint n_expected, n_kept;

      twin = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (view)),
                                                             flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (view)),
                                                             NULL));
      expected = flyweight_pokies_draw_with (twin, one_by_one, &n_expected);
      kept = flyweight_pokies_view_get_last_draw (view, &n_kept);
      g_assert_cmpmem (kept, n_kept * sizeof (guint), expected, n_expected * sizeof (guint));
      for (guint r = 0; r < n_kept; r++)
        {
          g_assert_cmpuint (kept[r], >=, 1);
          g_assert_cmpuint (kept[r], <=, flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (view)));
        }
    }

  /* A draw through a view is kept in the row. */
  {
    g_autofree guint *drawn = NULL;
    g_autofree char *text = NULL;
    g_autofree char *expected_text = NULL;
    g_autoptr(GVariant) variant = NULL;
    gsize n_children;
    const guint32 *children;
    guint n_drawn;

    drawn = flyweight_pokies_draw (FLYWEIGHT_POKIES (live), &n_drawn);
    g_assert_cmpuint (n_notifies, ==, 2);
    g_assert_cmpuint (n_rows_changed, ==, 2);
    text = flyweight_pokies_view_dup_last_draw_text (live);
    expected_text = g_strdup_printf ("%u %u %u", drawn[0], drawn[1], drawn[2]);
    g_assert_cmpstr (text, ==, expected_text);
    g_object_get (live, "last-draw", &variant, NULL);
    g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE ("au")));
    children = g_variant_get_fixed_array (variant, &n_children, sizeof (guint32));
    g_assert_cmpmem (children, n_children * sizeof (guint32), drawn, n_drawn * sizeof (guint));
  }

  /* A range draws that range only. */
  {
    g_autoptr(FlyweightPokiesView) before = flyweight_pokies_store_get_view (store, 9);
    g_autoptr(FlyweightPokiesView) after = flyweight_pokies_store_get_view (store, 20);
    g_autofree char *before_text = flyweight_pokies_view_dup_last_draw_text (before);
    g_autofree char *after_text = NULL;
    g_autofree char *again = NULL;

    for (guint k = 0; k < 5; k++)
      flyweight_pokies_store_draw_range (store, 10, 10, NULL);
    again = flyweight_pokies_view_dup_last_draw_text (before);
    g_assert_cmpstr (before_text, ==, again);
    after_text = flyweight_pokies_view_dup_last_draw_text (after);
    g_assert_nonnull (after_text);
  }
}

/* ---- count, filter, sort ---- */

static void
test_count_filter_sort (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  const char *owners[] = { "b", "a", NULL, "c", "a", "b" };
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(FlyweightPokiesView) first = NULL;
  g_autoptr(FlyweightPokiesView) sixth = NULL;
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree guint *positions = NULL;
  g_autoptr(GError) error = NULL;
  guint n_positions;

  /* Rows 0-5 have owners, 6-7 have none; 0-3 are 3×10, 4-7 are 5×10. */
  g_assert_true (flyweight_pokies_store_append_many (store, 4, 3, 10, &error));
  g_assert_true (flyweight_pokies_store_append_many (store, 4, 5, 10, &error));
  g_assert_true (flyweight_pokies_store_set_attr_strings (store, "owner", 0, owners, 6, &error));
  g_assert_no_error (error);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "a");
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, &error), ==, 2);
  positions = flyweight_pokies_store_filter_attr (store, "owner", &value, &n_positions, &error);
  g_assert_cmpuint (n_positions, ==, 2);
  g_assert_cmpuint (positions[0], ==, 1);
  g_assert_cmpuint (positions[1], ==, 4);
  g_clear_pointer (&positions, g_free);
  g_value_set_static_string (&value, "nobody");
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, &error), ==, 0);
  g_assert_null (flyweight_pokies_store_filter_attr (store, "owner", &value, &n_positions, &error));
  g_assert_cmpuint (n_positions, ==, 0);
  g_value_set_string (&value, NULL);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, &error), ==, 1);
  g_value_unset (&value);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, &error), ==, 6);

  /* The dimensions, from any number type. */
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 5);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "reels", &value, &error), ==, 4);
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 10);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "symbols", &value, &error), ==, 8);
  g_value_unset (&value);
  g_assert_no_error (error);

  first = flyweight_pokies_store_get_view (store, 0);
  sixth = flyweight_pokies_store_get_view (store, 5);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  /* Stable, NULL first, rows without the attribute last. */
  g_assert_true (flyweight_pokies_store_sort_by_attr (store, "owner", FALSE, &error));
  assert_change (changes, 0, 8, 8);
  {
    const char *expected[] = { NULL, "a", "a", "b", "b", "c" };

    for (guint i = 0; i < 8; i++)
      {
        g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, i);

        if (i < 6)
          assert_attr_string (FLYWEIGHT_POKIES (view), "owner", expected[i]);
        else
          g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (view), "owner"));
      }
  }
  /* Views follow their machines: "b" of row 0 is now the first "b". */
  g_assert_cmpuint (flyweight_pokies_view_get_position (first), ==, 3);
  g_assert_cmpuint (flyweight_pokies_view_get_position (sixth), ==, 4);

  /* Already sorted: nothing moves, nothing is said. */
  g_assert_true (flyweight_pokies_store_sort_by_attr (store, "owner", FALSE, &error));
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_true (flyweight_pokies_store_sort_by_attr (store, "nothing", FALSE, &error));
  g_assert_cmpuint (changes->len, ==, 0);

  g_assert_true (flyweight_pokies_store_sort_by_attr (store, "owner", TRUE, &error));
  assert_change (changes, 0, 8, 8);
  assert_attr_string (FLYWEIGHT_POKIES (first), "owner", "b");
  {
    g_autoptr(FlyweightPokiesView) top = flyweight_pokies_store_get_view (store, 0);

    assert_attr_string (FLYWEIGHT_POKIES (top), "owner", "c");
  }

  g_assert_true (flyweight_pokies_store_sort_by_attr (store, "reels", TRUE, &error));
  {
    g_autoptr(FlyweightPokiesView) top = flyweight_pokies_store_get_view (store, 0);
    g_autoptr(FlyweightPokiesView) bottom = flyweight_pokies_store_get_view (store, 7);

    g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (top)), ==, 5);
    g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (bottom)), ==, 3);
  }
  g_array_set_size (changes, 0);

  /* By last draw: never drawn last, then symbol by symbol. */
  {
    g_autoptr(FlyweightRandom) random = flyweight_random_new (3);
    guint previous[5] = { 0 };
    guint n_previous = 0;

    flyweight_pokies_store_draw_range (store, 0, 6, random);
    flyweight_pokies_store_sort_by_last_draw (store, FALSE);
    for (guint i = 0; i < 8; i++)
      {
        g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (store, i);
        guint n_values;
        g_autofree guint *draw = flyweight_pokies_view_get_last_draw (view, &n_values);

        if (i >= 6)
          {
            g_assert_null (draw);
            continue;
          }
        g_assert_nonnull (draw);
        if (n_previous > 0)
          {
            int order = 0;

            for (guint r = 0; r < MIN (n_values, n_previous) && order == 0; r++)
              order = (draw[r] > previous[r]) - (draw[r] < previous[r]);
            if (order == 0)
              order = (n_values > n_previous) - (n_values < n_previous);
            g_assert_cmpint (order, >=, 0);
          }
        memcpy (previous, draw, n_values * sizeof (guint));
        n_previous = n_values;
      }
  }
  g_assert_no_error (error);
}

/* ---- splicing machines in ---- */

/* A machine from a careless binding: it lists an attribute it cannot give. */
typedef struct
{
  FlyweightPokies parent_instance;
} LyingPokies;

typedef struct
{
  FlyweightPokiesClass parent_class;
} LyingPokiesClass;

static GType lying_pokies_get_type (void);
G_DEFINE_TYPE (LyingPokies, lying_pokies, FLYWEIGHT_TYPE_POKIES)

static char **
lying_list_attrs (FlyweightPokies *self)
{
  return g_strsplit ("ghost", ",", -1);
}

static void
lying_pokies_class_init (LyingPokiesClass *klass)
{
  FLYWEIGHT_POKIES_CLASS (klass)->list_attrs = lying_list_attrs;
}

static void
lying_pokies_init (LyingPokies *self)
{
}

static void
test_splice_machines (void)
{
  g_autoptr(FlyweightPokiesStore) store = new_store (3);
  g_autoptr(FlyweightPokiesStore) other = new_store (2);
  g_autoptr(FlyweightPokiesDynamic) dynamic = flyweight_pokies_dynamic_new (4, 6, NULL);
  g_autoptr(FlyweightPokiesSlotted) slotted = flyweight_pokies_slotted_new (2, 2, NULL);
  g_autoptr(FlyweightPokiesView) donor = flyweight_pokies_store_get_view (other, 1);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autofree guint *donor_draw = NULL;
  guint n_donor_draw;

  set_string (FLYWEIGHT_POKIES (dynamic), "owner", "Aristocrat");
  set_string (FLYWEIGHT_POKIES (donor), "owner", "Konami");
  donor_draw = flyweight_pokies_draw (FLYWEIGHT_POKIES (donor), &n_donor_draw);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  {
    FlyweightPokies *additions[] = {
      FLYWEIGHT_POKIES (dynamic), FLYWEIGHT_POKIES (slotted), FLYWEIGHT_POKIES (donor),
    };

    g_assert_true (flyweight_pokies_store_splice (store, 1, 1, additions, 3, &error));
    g_assert_no_error (error);
    assert_change (changes, 1, 1, 3);
  }

  {
    g_autoptr(FlyweightPokiesView) a = flyweight_pokies_store_get_view (store, 1);
    g_autoptr(FlyweightPokiesView) b = flyweight_pokies_store_get_view (store, 2);
    g_autoptr(FlyweightPokiesView) c = flyweight_pokies_store_get_view (store, 3);
    g_autofree guint *c_draw = NULL;
    guint n_c_draw;

    g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (a)), ==, 4);
    assert_attr_string (FLYWEIGHT_POKIES (a), "owner", "Aristocrat");
    g_assert_null (flyweight_pokies_view_dup_last_draw_text (a));
    g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (b)), ==, 2);
    g_assert_false (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (b), "owner"));
    assert_attr_string (FLYWEIGHT_POKIES (c), "owner", "Konami");
    c_draw = flyweight_pokies_view_get_last_draw (c, &n_c_draw);
    g_assert_cmpmem (c_draw, n_c_draw * sizeof (guint), donor_draw, n_donor_draw * sizeof (guint));

    /* Copies: changing one changes neither the other nor the original. */
    set_string (FLYWEIGHT_POKIES (c), "owner", "IGT");
    assert_attr_string (FLYWEIGHT_POKIES (donor), "owner", "Konami");
  }

  g_assert_true (flyweight_pokies_store_append_machine (store, FLYWEIGHT_POKIES (dynamic), &error));
  assert_change (changes, 5, 0, 1);

  /* A machine that cannot give what it lists changes nothing. */
  {
    g_autoptr(FlyweightPokies) liar = g_object_new (lying_pokies_get_type (), NULL);
    FlyweightPokies *additions[] = { FLYWEIGHT_POKIES (dynamic), liar };

    g_assert_false (flyweight_pokies_store_splice (store, 0, 2, additions, 2, &error));
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
    g_clear_error (&error);
    g_assert_false (flyweight_pokies_store_append_machine (store, liar, &error));
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
    g_clear_error (&error);
    g_assert_cmpuint (changes->len, ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 6);
  }
}

/* ---- bad calls ---- */

typedef struct
{
  const char *name;
  const char *message;
} CriticalCase;

static const CriticalCase critical_cases[] = {
  { "remove", "*n_machines <= n_rows - position*" },
  { "remove-range", "*n_machines <= n_rows - position*" },
  { "insert", "*position <= n_rows*" },
  { "splice", "*n_removals <= n_rows - position*" },
  { "set-attr-strings", "*n <= n_rows - position*" },
  { "draw-range", "*n_machines <= n_rows - position*" },
};

/* Each bad call in a process of its own: criticals are fatal in tests. */
static void
critical_subprocess (gconstpointer data)
{
  const CriticalCase *bad = data;
  g_autoptr(FlyweightPokiesStore) store = new_store (3);
  const char *one[] = { "x" };

  if (strcmp (bad->name, "remove") == 0)
    flyweight_pokies_store_remove (store, 3);
  else if (strcmp (bad->name, "remove-range") == 0)
    flyweight_pokies_store_remove_range (store, 2, 2);
  else if (strcmp (bad->name, "insert") == 0)
    flyweight_pokies_store_insert (store, 4, 3, 10, NULL);
  else if (strcmp (bad->name, "splice") == 0)
    flyweight_pokies_store_splice (store, 1, 3, NULL, 0, NULL);
  else if (strcmp (bad->name, "set-attr-strings") == 0)
    flyweight_pokies_store_set_attr_strings (store, "owner", 3, one, 1, NULL);
  else
    flyweight_pokies_store_draw_range (store, 1, 5, NULL);
}

static void
test_criticals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (critical_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pokies-store/criticals/subprocess/%s", critical_cases[i].name);

      g_test_trap_subprocess (path, 0, 0);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr (critical_cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pokies-store/rows", test_rows);
  g_test_add_func ("/pokies-store/bad-dimensions", test_bad_dimensions);
  g_test_add_func ("/pokies-store/identity-and-release", test_identity_and_release);
  g_test_add_func ("/pokies-store/view-follows-row", test_view_follows_row);
  g_test_add_func ("/pokies-store/view-of-removed-row", test_view_of_removed_row);
  g_test_add_func ("/pokies-store/views-keep-store", test_views_keep_store);
  g_test_add_func ("/pokies-store/standalone-view", test_standalone_view);
  g_test_add_func ("/pokies-store/attributes", test_attributes);
  g_test_add_func ("/pokies-store/attribute-values-released", test_attribute_values_released);
  g_test_add_func ("/pokies-store/clear-attrs", test_clear_attrs);
  g_test_add_func ("/pokies-store/cycles-break-on-dispose", test_cycles_break_on_dispose);
  g_test_add_func ("/pokies-store/bulk-attributes", test_bulk_attributes);
  g_test_add_func ("/pokies-store/bulk-errors-change-nothing", test_bulk_errors_change_nothing);
  g_test_add_func ("/pokies-store/draws", test_draws);
  g_test_add_func ("/pokies-store/count-filter-sort", test_count_filter_sort);
  g_test_add_func ("/pokies-store/splice-machines", test_splice_machines);
  g_test_add_func ("/pokies-store/criticals", test_criticals);
  for (guint i = 0; i < G_N_ELEMENTS (critical_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pokies-store/criticals/subprocess/%s", critical_cases[i].name);

      g_test_add_data_func (path, &critical_cases[i], critical_subprocess);
    }

  return g_test_run ();
}
