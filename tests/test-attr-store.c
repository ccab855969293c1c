/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The shared-key store behind PokiesDynamic, on its own: transitions,
 * sharing, the move to a table of its own, layouts, and freeing. */

#include "flyweight-attr-store-private.h"
#include "flyweight-intern-private.h"

static FlyweightShape *
machine_prefix (void)
{
  static FlyweightShape *prefix;

  if (prefix == NULL)
    {
      FlyweightShape *reels = flyweight_shape_add (flyweight_shape_get_empty (), "t-reels", G_TYPE_UINT);

      prefix = flyweight_shape_add (reels, "t-symbols", G_TYPE_UINT);
      flyweight_shape_make_immortal (prefix);
      flyweight_shape_unref (reels);
    }

  return prefix;
}

static void
new_store (FlyweightAttrStore *store)
{
  flyweight_attr_store_init (store, machine_prefix ());
  flyweight_attr_store_set_fixed_uint (store, machine_prefix (), 0, 3);
  flyweight_attr_store_set_fixed_uint (store, machine_prefix (), 1, 10);
}

static void
set_int (FlyweightAttrStore *store,
         const char         *name,
         int                 number)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  flyweight_attr_store_set (store, name, &value);
}

static void
set_string (FlyweightAttrStore *store,
            const char         *name,
            const char         *string)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);
  flyweight_attr_store_set (store, name, &value);
}

static void
append_cb (const char   *name,
           const GValue *value,
           gpointer      user_data)
{
  g_autofree char *contents = g_strdup_value_contents (value);

  g_string_append_printf (user_data, "%s=%s:%s;", name, G_VALUE_TYPE_NAME (value), contents);
}

static char *
describe (FlyweightAttrStore *store)
{
  GString *out = g_string_new (NULL);

  flyweight_attr_store_foreach (store, append_cb, out);

  return g_string_free (out, FALSE);
}

static void
test_store_sharing (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore a, b;
  FlyweightShape *shape;

  new_store (&a);
  new_store (&b);
  g_assert_true (flyweight_attr_store_peek_shape (&a) == machine_prefix ());

  set_string (&a, "owner", "Aristocrat");
  set_string (&b, "owner", "Konami");

  /* Same names, same types, same order: one shape for both. */
  shape = flyweight_attr_store_peek_shape (&a);
  g_assert_true (shape == flyweight_attr_store_peek_shape (&b));
  g_assert_true (flyweight_shape_get_parent (shape) == machine_prefix ());
  g_assert_cmpuint (flyweight_shape_get_n_entries (shape), ==, 3);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 1);

  /* Another type for the same name is another branch. */
  flyweight_attr_store_clear (&b);
  new_store (&b);
  set_int (&b, "owner", 7);
  g_assert_true (flyweight_attr_store_peek_shape (&b) != shape);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 2);

  flyweight_attr_store_clear (&a);
  flyweight_attr_store_clear (&b);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

static void
test_store_delete_last_goes_back (void)
{
  FlyweightAttrStore store;
  FlyweightShape *before;
  g_autofree char *described = NULL;

  new_store (&store);
  set_int (&store, "a", 1);
  before = flyweight_attr_store_peek_shape (&store);
  set_string (&store, "owner", "Aristocrat");

  /* The notebook's set-then-delete of owner stays in the shared tree. */
  g_assert_true (flyweight_attr_store_delete (&store, "owner"));
  g_assert_true (flyweight_attr_store_peek_shape (&store) == before);
  g_assert_false (flyweight_attr_store_delete (&store, "owner"));
  g_assert_false (flyweight_attr_store_contains (&store, "owner"));

  described = describe (&store);
  g_assert_cmpstr (described, ==, "t-reels=guint:3;t-symbols=guint:10;a=gint:1;");

  flyweight_attr_store_clear (&store);
}

static void
test_store_diverging (void)
{
  const char *expected_after_delete = "t-reels=guint:3;t-symbols=guint:10;b=gint:2;c=gchararray:\"three\";";
  FlyweightAttrStore store;
  g_autofree char *after_delete = NULL;
  g_autofree char *after_retype = NULL;
  g_autofree char *after_more = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GValue) read = G_VALUE_INIT;

  new_store (&store);
  set_int (&store, "a", 1);
  set_int (&store, "b", 2);
  set_string (&store, "c", "three");

  /* Deleting from the middle leaves the shared shapes. */
  g_assert_true (flyweight_attr_store_delete (&store, "a"));
  g_assert_null (flyweight_attr_store_peek_shape (&store));
  after_delete = describe (&store);
  g_assert_cmpstr (after_delete, ==, expected_after_delete);

  /* Behaviour in table mode is the same. */
  set_string (&store, "b", "two");
  set_int (&store, "d", 4);
  g_assert_true (flyweight_attr_store_delete (&store, "c"));
  after_retype = describe (&store);
  g_assert_cmpstr (after_retype, ==, "t-reels=guint:3;t-symbols=guint:10;b=gchararray:\"two\";d=gint:4;");

  g_assert_true (flyweight_attr_store_contains (&store, "t-reels"));
  g_assert_true (flyweight_attr_store_get (&store, "t-symbols", &read));
  g_assert_cmpuint (g_value_get_uint (&read), ==, 10);
  g_assert_cmpuint (flyweight_attr_store_get_fixed_uint (&store, machine_prefix (), 0), ==, 3);

  names = flyweight_attr_store_dup_names (&store);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
  g_assert_cmpstr (names[0], ==, "t-reels");
  g_assert_cmpstr (names[3], ==, "d");

  set_int (&store, "e", 5);
  after_more = describe (&store);
  g_assert_cmpstr (after_more, ==, "t-reels=guint:3;t-symbols=guint:10;b=gchararray:\"two\";d=gint:4;e=gint:5;");

  flyweight_attr_store_clear (&store);
}

static void
test_store_retype_diverges (void)
{
  FlyweightAttrStore store;
  g_autofree char *described = NULL;

  new_store (&store);
  set_int (&store, "a", 1);
  set_int (&store, "b", 2);
  set_string (&store, "a", "one");

  g_assert_null (flyweight_attr_store_peek_shape (&store));
  described = describe (&store);
  g_assert_cmpstr (described, ==, "t-reels=guint:3;t-symbols=guint:10;a=gchararray:\"one\";b=gint:2;");

  flyweight_attr_store_clear (&store);
}

static void
test_store_many_names (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore store;
  g_auto(GStrv) names = NULL;

  new_store (&store);
  for (guint i = 0; i < FLYWEIGHT_SHAPE_MAX_ENTRIES + 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%02u", i);

      set_int (&store, name, i);
      if (i < FLYWEIGHT_SHAPE_MAX_ENTRIES - 2)
        g_assert_nonnull (flyweight_attr_store_peek_shape (&store));
    }

  /* Too deep for a shape: the object has its own table now. */
  g_assert_null (flyweight_attr_store_peek_shape (&store));
  names = flyweight_attr_store_dup_names (&store);
  g_assert_cmpuint (g_strv_length (names), ==, FLYWEIGHT_SHAPE_MAX_ENTRIES + 12);
  for (guint i = 0; i < FLYWEIGHT_SHAPE_MAX_ENTRIES + 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%02u", i);
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_cmpstr (names[i + 2], ==, name);
      g_assert_true (flyweight_attr_store_get (&store, name, &value));
      g_assert_cmpint (g_value_get_int (&value), ==, i);
    }

  flyweight_attr_store_clear (&store);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* Values past the inline 16 bytes move to a block and back. */
static void
test_store_layout (void)
{
  FlyweightAttrStore store;
  g_autofree char *grown = NULL;
  g_autofree char *shrunk = NULL;
  g_auto(GValue) big = G_VALUE_INIT;

  new_store (&store);
  set_string (&store, "owner", "Aristocrat");          /* fits inline */
  g_value_init (&big, G_TYPE_INT64);
  g_value_set_int64 (&big, G_MAXINT64);
  flyweight_attr_store_set (&store, "jackpot", &big);  /* spills */
  set_int (&store, "small", -1);
  g_assert_cmpuint (flyweight_shape_get_size (flyweight_attr_store_peek_shape (&store)), >, 16);

  grown = describe (&store);
  g_assert_cmpstr (grown, ==,
                   "t-reels=guint:3;t-symbols=guint:10;owner=gchararray:\"Aristocrat\";"
                   "jackpot=gint64:9223372036854775807;small=gint:-1;");

  g_assert_true (flyweight_attr_store_delete (&store, "small"));
  g_assert_true (flyweight_attr_store_delete (&store, "jackpot"));
  g_assert_cmpuint (flyweight_shape_get_size (flyweight_attr_store_peek_shape (&store)), <=, 16);
  shrunk = describe (&store);
  g_assert_cmpstr (shrunk, ==, "t-reels=guint:3;t-symbols=guint:10;owner=gchararray:\"Aristocrat\";");

  flyweight_attr_store_clear (&store);
}

static void
test_store_value_kinds (void)
{
  FlyweightAttrStore store;
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  const char * const strv[] = { "a", "b", NULL };
  GValue values[13] = { G_VALUE_INIT, };
  const char *names[G_N_ELEMENTS (values)] = {
    "b", "c", "uc", "f", "l", "ul", "d", "s", "null_s", "o", "strv", "v", "empty",
  };

  g_value_set_boolean (g_value_init (&values[0], G_TYPE_BOOLEAN), TRUE);
  g_value_set_schar (g_value_init (&values[1], G_TYPE_CHAR), -100);
  g_value_set_uchar (g_value_init (&values[2], G_TYPE_UCHAR), 200);
  g_value_set_float (g_value_init (&values[3], G_TYPE_FLOAT), -1.5f);
  g_value_set_long (g_value_init (&values[4], G_TYPE_LONG), G_MINLONG);
  g_value_set_ulong (g_value_init (&values[5], G_TYPE_ULONG), G_MAXULONG);
  g_value_set_double (g_value_init (&values[6], G_TYPE_DOUBLE), 1e300);
  g_value_set_string (g_value_init (&values[7], G_TYPE_STRING), "Aristocrat");
  g_value_init (&values[8], G_TYPE_STRING);
  g_value_set_object (g_value_init (&values[9], G_TYPE_OBJECT), object);
  g_value_set_boxed (g_value_init (&values[10], G_TYPE_STRV), strv);
  g_value_set_variant (g_value_init (&values[11], G_TYPE_VARIANT), g_variant_new_int32 (3));
  g_value_set_static_string (g_value_init (&values[12], G_TYPE_STRING), "");

  new_store (&store);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    flyweight_attr_store_set (&store, names[i], &values[i]);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_auto(GValue) read = G_VALUE_INIT;
      g_autofree char *expected = g_strdup_value_contents (&values[i]);
      g_autofree char *actual = NULL;

      g_assert_true (flyweight_attr_store_get (&store, names[i], &read));
      g_assert_cmpint (G_VALUE_TYPE (&read), ==, G_VALUE_TYPE (&values[i]));
      actual = g_strdup_value_contents (&read);
      g_assert_cmpstr (actual, ==, expected);
      g_value_unset (&values[i]);
    }

  /* The store holds its own reference to the object, and drops it. */
  g_assert_cmpuint (object->ref_count, ==, 2);
  flyweight_attr_store_clear (&store);
  g_assert_cmpuint (object->ref_count, ==, 1);
}

/* Names from users must not pile up: shapes for names nobody holds any
 * more are freed. */
static void
test_store_unique_names_freed (void)
{
  const guint n = 20000;
  guint live = flyweight_shape_count_live ();
  guint strings = flyweight_intern_count_live ();
  FlyweightAttrStore *stores = g_new (FlyweightAttrStore, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("user_name_%u", i);

      new_store (&stores[i]);
      set_int (&stores[i], name, i);
    }
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + n);

  /* Half deleted by hand, half dropped with their object. */
  for (guint i = 0; i < n; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("user_name_%u", i);

      g_assert_true (flyweight_attr_store_delete (&stores[i], name));
    }
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + n / 2);

  for (guint i = 0; i < n; i++)
    flyweight_attr_store_clear (&stores[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings);

  g_free (stores);
}

/* Equal strings share one copy, however they arrive, and leave with
 * their last holder. */
static void
test_store_strings_shared (void)
{
  guint strings = flyweight_intern_count_live ();
  FlyweightAttrStore a, b;
  g_autofree char *owner = g_strdup ("Aristocrat");
  const char *kept;

  new_store (&a);
  new_store (&b);
  set_string (&a, "owner", owner);
  set_string (&b, "owner", "Aristocrat");
  g_assert_true (*(const char **) &a.data.bytes[8] == *(const char **) &b.data.bytes[8]);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings + 2);  /* "owner", "Aristocrat" */

  kept = flyweight_intern_acquire ("Aristocrat");
  flyweight_attr_store_clear (&a);
  flyweight_attr_store_clear (&b);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings + 1);
  g_assert_cmpstr (kept, ==, "Aristocrat");
  flyweight_intern_release (kept);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Made once and kept: the shapes every test starts from. */
  machine_prefix ();

  g_test_add_func ("/attr-store/sharing", test_store_sharing);
  g_test_add_func ("/attr-store/delete-last-goes-back", test_store_delete_last_goes_back);
  g_test_add_func ("/attr-store/diverging", test_store_diverging);
  g_test_add_func ("/attr-store/retype-diverges", test_store_retype_diverges);
  g_test_add_func ("/attr-store/many-names", test_store_many_names);
  g_test_add_func ("/attr-store/layout", test_store_layout);
  g_test_add_func ("/attr-store/value-kinds", test_store_value_kinds);
  g_test_add_func ("/attr-store/unique-names-freed", test_store_unique_names_freed);
  g_test_add_func ("/attr-store/strings-shared", test_store_strings_shared);

  return g_test_run ();
}
