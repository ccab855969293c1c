/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The shared-key store behind PokiesDynamic, on its own: transitions,
 * sharing and when the tree grows, the move to a table of its own,
 * layouts, and freeing. */

#include <flyweight.h>

#include "flyweight-attr-store-private.h"
#include "flyweight-handler-hint-private.h"
#include "flyweight-intern-private.h"

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

static int
get_int (FlyweightAttrStore *store,
         const char         *name)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (flyweight_attr_store_get (store, name, &value));
  g_assert_true (G_VALUE_HOLDS_INT (&value));

  return g_value_get_int (&value);
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

typedef struct
{
  const char *name;
  const char *stored;
} Peek;

static void
peek_cb (const char   *name,
         const GValue *value,
         gpointer      user_data)
{
  Peek *peek = user_data;

  if (g_str_equal (name, peek->name))
    peek->stored = g_value_get_string (value);
}

/* The very string the store keeps for @name, whatever its mode. */
static const char *
stored_string (FlyweightAttrStore *store,
               const char         *name)
{
  Peek peek = { name, NULL };

  flyweight_attr_store_foreach (store, peek_cb, &peek);

  return peek.stored;
}

/* Sets n0 .. n(count-1) to their numbers. */
static void
set_sequence (FlyweightAttrStore *store,
              const char         *prefix,
              guint               count)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%u", prefix, i);

      set_int (store, name, i);
    }
}

static void
test_store_sharing (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore first, a, b, c;
  FlyweightShape *shape;

  flyweight_attr_store_init (&first);
  flyweight_attr_store_init (&a);
  flyweight_attr_store_init (&b);
  flyweight_attr_store_init (&c);
  g_assert_true (flyweight_attr_store_peek_shape (&a) == flyweight_shape_get_empty ());

  set_string (&first, "owner", "Bally");
  set_string (&a, "owner", "Aristocrat");
  set_string (&b, "owner", "Konami");

  /* Same names, same types, same order: one shape for both. */
  shape = flyweight_attr_store_peek_shape (&a);
  g_assert_nonnull (shape);
  g_assert_true (shape == flyweight_attr_store_peek_shape (&b));
  g_assert_true (flyweight_shape_get_parent (shape) == flyweight_shape_get_empty ());
  g_assert_cmpuint (flyweight_shape_get_n_entries (shape), ==, 1);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 1);

  /* Another type for the same name is another branch. */
  set_int (&c, "owner", 7);
  g_assert_nonnull (flyweight_attr_store_peek_shape (&c));
  g_assert_true (flyweight_attr_store_peek_shape (&c) != shape);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 2);

  flyweight_attr_store_clear (&first);
  flyweight_attr_store_clear (&a);
  flyweight_attr_store_clear (&b);
  flyweight_attr_store_clear (&c);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* The tree grows only with names other objects use: the first object to
 * take a path keeps a table of its own, the ones after it share shapes. */
static void
test_store_grows_where_shared (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore stores[5];

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      flyweight_attr_store_init (&stores[i]);
      set_sequence (&stores[i], "x", 3);
    }

  g_assert_null (flyweight_attr_store_peek_shape (&stores[0]));
  for (guint i = 1; i < G_N_ELEMENTS (stores); i++)
    {
      g_assert_nonnull (flyweight_attr_store_peek_shape (&stores[i]));
      g_assert_true (flyweight_attr_store_peek_shape (&stores[i]) == flyweight_attr_store_peek_shape (&stores[1]));
    }
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 3);

  /* Both kinds of store read the same. */
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autofree char *described = describe (&stores[i]);

      g_assert_cmpstr (described, ==, "x0=gint:0;x1=gint:1;x2=gint:2;");
      flyweight_attr_store_clear (&stores[i]);
    }
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* Names of one object's own cost no shape: it keeps a table. */
static void
test_store_own_names (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore shared[2], store;
  g_autofree char *described = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      flyweight_attr_store_init (&shared[i]);
      set_int (&shared[i], "common", 0);
    }

  flyweight_attr_store_init (&store);
  set_int (&store, "mine", 1);
  g_assert_null (flyweight_attr_store_peek_shape (&store));
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 1);

  /* Even after a shared step. */
  flyweight_attr_store_clear (&store);
  set_int (&store, "common", 1);
  g_assert_nonnull (flyweight_attr_store_peek_shape (&store));
  set_int (&store, "also-mine", 2);
  g_assert_null (flyweight_attr_store_peek_shape (&store));
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live + 1);

  described = describe (&store);
  g_assert_cmpstr (described, ==, "common=gint:1;also-mine=gint:2;");
  flyweight_attr_store_clear (&store);
  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    flyweight_attr_store_clear (&shared[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

static void
test_store_delete_last_goes_back (void)
{
  FlyweightAttrStore leader, store;
  FlyweightShape *before;
  g_autofree char *described = NULL;

  flyweight_attr_store_init (&leader);
  flyweight_attr_store_init (&store);
  set_int (&leader, "a", 1);
  set_string (&leader, "owner", "Bally");
  set_int (&store, "a", 1);
  before = flyweight_attr_store_peek_shape (&store);
  set_string (&store, "owner", "Aristocrat");
  g_assert_nonnull (flyweight_attr_store_peek_shape (&store));

  /* The notebook's set-then-delete of owner stays in the shared tree. */
  g_assert_true (flyweight_attr_store_delete (&store, "owner"));
  g_assert_true (flyweight_attr_store_peek_shape (&store) == before);
  g_assert_false (flyweight_attr_store_delete (&store, "owner"));
  g_assert_false (flyweight_attr_store_contains (&store, "owner"));

  described = describe (&store);
  g_assert_cmpstr (described, ==, "a=gint:1;");

  flyweight_attr_store_clear (&store);
  flyweight_attr_store_clear (&leader);
}

static void
test_store_diverging (void)
{
  FlyweightAttrStore leader, store;
  g_autofree char *after_delete = NULL;
  g_autofree char *after_retype = NULL;
  g_autofree char *after_more = NULL;
  g_auto(GStrv) names = NULL;

  flyweight_attr_store_init (&leader);
  flyweight_attr_store_init (&store);
  for (guint i = 0; i < 2; i++)
    {
      FlyweightAttrStore *s = i == 0 ? &leader : &store;

      set_int (s, "a", 1);
      set_int (s, "b", 2);
      set_string (s, "c", "three");
    }

  /* Deleting from the middle leaves the shared shapes. */
  g_assert_true (flyweight_attr_store_delete (&store, "a"));
  g_assert_null (flyweight_attr_store_peek_shape (&store));
  after_delete = describe (&store);
  g_assert_cmpstr (after_delete, ==, "b=gint:2;c=gchararray:\"three\";");

  /* Behaviour in table mode is the same. */
  set_string (&store, "b", "two");
  set_int (&store, "d", 4);
  g_assert_true (flyweight_attr_store_delete (&store, "c"));
  after_retype = describe (&store);
  g_assert_cmpstr (after_retype, ==, "b=gchararray:\"two\";d=gint:4;");

  names = flyweight_attr_store_dup_names (&store);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "b");
  g_assert_cmpstr (names[1], ==, "d");

  set_int (&store, "e", 5);
  after_more = describe (&store);
  g_assert_cmpstr (after_more, ==, "b=gchararray:\"two\";d=gint:4;e=gint:5;");

  flyweight_attr_store_clear (&store);
  flyweight_attr_store_clear (&leader);
}

static void
test_store_retype_diverges (void)
{
  FlyweightAttrStore store;
  g_autofree char *described = NULL;

  flyweight_attr_store_init (&store);
  set_int (&store, "a", 1);
  set_string (&store, "a", "one");

  g_assert_null (flyweight_attr_store_peek_shape (&store));
  described = describe (&store);
  g_assert_cmpstr (described, ==, "a=gchararray:\"one\";");

  flyweight_attr_store_clear (&store);
}

/* Many objects with the same long layout share one branch; its entries
 * are found at every depth, and objects that leave it part-way get a
 * branch of their own that knows the names before the fork. */
static void
test_store_long_branch (void)
{
  const guint depth = 200;
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore stores[4], fork, other;
  FlyweightShape *shape;

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      flyweight_attr_store_init (&stores[i]);
      set_sequence (&stores[i], "n", depth);
    }

  shape = flyweight_attr_store_peek_shape (&stores[3]);
  g_assert_nonnull (shape);
  g_assert_cmpuint (flyweight_shape_get_n_entries (shape), ==, depth);
  for (guint i = 0; i < depth; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      g_assert_cmpint (get_int (&stores[3], name), ==, i);
      g_assert_cmpstr (flyweight_shape_get_entry (shape, i)->name, ==, name);
    }
  g_assert_false (flyweight_attr_store_contains (&stores[3], "missing"));

  /* A fork part-way, with a name another object uses: the tree grows
   * there, and the shared branch is intact. */
  flyweight_attr_store_init (&other);
  set_string (&other, "elsewhere", "known");
  flyweight_attr_store_init (&fork);
  set_sequence (&fork, "n", depth / 2);
  set_string (&fork, "elsewhere", "fork");
  g_assert_nonnull (flyweight_attr_store_peek_shape (&fork));
  for (guint i = 0; i < depth / 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      g_assert_cmpint (get_int (&fork, name), ==, i);
    }
  g_assert_true (flyweight_attr_store_contains (&fork, "elsewhere"));
  g_assert_false (flyweight_attr_store_contains (&fork, "n150"));
  g_assert_true (flyweight_attr_store_contains (&stores[3], "n150"));
  g_assert_false (flyweight_attr_store_contains (&stores[3], "elsewhere"));

  flyweight_attr_store_clear (&fork);
  flyweight_attr_store_clear (&other);
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    flyweight_attr_store_clear (&stores[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* Objects that add the same attributes in other orders share the shape
 * of the first; each keeps its own order, for names and foreach. */
static void
test_store_orders (void)
{
  guint live = flyweight_shape_count_live ();
  static const char * const orders[][5] = {
    { "a", "b", "c", "d", NULL },
    { "a", "b", "c", "d", NULL },
    { "d", "c", "b", "a", NULL },
    { "b", "d", "a", "c", NULL },
    { "c", "a", "d", "b", NULL },
  };
  FlyweightAttrStore stores[G_N_ELEMENTS (orders)];
  FlyweightShape *shape;

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      flyweight_attr_store_init (&stores[i]);
      for (guint j = 0; j < 4; j++)
        set_int (&stores[i], orders[i][j], orders[i][j][0]);
    }

  /* The first keeps a table, the others share one shape. */
  g_assert_null (flyweight_attr_store_peek_shape (&stores[0]));
  shape = flyweight_attr_store_peek_shape (&stores[1]);
  g_assert_nonnull (shape);
  for (guint i = 2; i < G_N_ELEMENTS (orders); i++)
    g_assert_true (flyweight_attr_store_peek_shape (&stores[i]) == shape);

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_auto(GStrv) names = flyweight_attr_store_dup_names (&stores[i]);
      g_autofree char *joined = g_strjoinv (",", names);
      g_autofree char *expected = g_strjoinv (",", (char **) orders[i]);
      g_autofree char *described = describe (&stores[i]);
      g_autofree char *expected_description = g_strdup_printf ("%s=gint:%d;%s=gint:%d;%s=gint:%d;%s=gint:%d;",
                                                               orders[i][0], orders[i][0][0],
                                                               orders[i][1], orders[i][1][0],
                                                               orders[i][2], orders[i][2][0],
                                                               orders[i][3], orders[i][3][0]);

      g_assert_cmpstr (joined, ==, expected);
      g_assert_cmpstr (described, ==, expected_description);
      for (guint j = 0; j < 4; j++)
        g_assert_cmpint (get_int (&stores[i], orders[i][j]), ==, orders[i][j][0]);
    }

  /* One more attribute keeps each order (the first object to use a new
   * name keeps a table); deleting keeps the others. */
  set_int (&stores[1], "e", 'e');
  set_int (&stores[2], "e", 'e');
  set_int (&stores[3], "e", 'e');
  g_assert_true (flyweight_attr_store_peek_shape (&stores[2]) == flyweight_attr_store_peek_shape (&stores[3]));
  {
    g_autofree char *described = describe (&stores[3]);

    g_assert_cmpstr (described, ==, "b=gint:98;d=gint:100;a=gint:97;c=gint:99;e=gint:101;");
  }
  g_assert_true (flyweight_attr_store_delete (&stores[3], "e"));
  g_assert_true (flyweight_attr_store_delete (&stores[4], "a"));
  {
    g_autofree char *three = describe (&stores[3]);
    g_autofree char *four = describe (&stores[4]);

    g_assert_cmpstr (three, ==, "b=gint:98;d=gint:100;a=gint:97;c=gint:99;");
    g_assert_cmpstr (four, ==, "c=gint:99;d=gint:100;b=gint:98;");
  }

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    flyweight_attr_store_clear (&stores[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* An order of one's own is kept in a byte a position: past 255 names, an
 * object in its own order keeps a table instead, in that same order. */
static void
test_store_long_order (void)
{
  const guint n = 300;
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore stores[3];
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < 2; i++)
    {
      flyweight_attr_store_init (&stores[i]);
      set_sequence (&stores[i], "n", n);
    }
  g_assert_nonnull (flyweight_attr_store_peek_shape (&stores[1]));

  /* The first two swapped: the shape of {n0, n1}, in an order of its own. */
  flyweight_attr_store_init (&stores[2]);
  set_int (&stores[2], "n1", 1);
  set_int (&stores[2], "n0", 0);
  for (guint i = 2; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      set_int (&stores[2], name, i);
      if (i < 255)
        g_assert_nonnull (flyweight_attr_store_peek_shape (&stores[2]));
    }
  g_assert_null (flyweight_attr_store_peek_shape (&stores[2]));

  names = flyweight_attr_store_dup_names (&stores[2]);
  g_assert_cmpuint (g_strv_length (names), ==, n);
  g_assert_cmpstr (names[0], ==, "n1");
  g_assert_cmpstr (names[1], ==, "n0");
  for (guint i = 2; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      g_assert_cmpstr (names[i], ==, name);
      g_assert_cmpint (get_int (&stores[2], name), ==, i);
    }

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    flyweight_attr_store_clear (&stores[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
}

/* One object, as many names as a hostile input can bring: every call
 * stays cheap (timed by tests/performance, checked for results here). */
static void
test_store_many_names (void)
{
  const guint n = g_test_thorough () ? 1000000 : 100000;
  guint strings = flyweight_intern_count_live ();
  FlyweightAttrStore store;
  g_auto(GStrv) names = NULL;

  flyweight_attr_store_init (&store);
  set_sequence (&store, "name", n);

  names = flyweight_attr_store_dup_names (&store);
  g_assert_cmpuint (g_strv_length (names), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("name%u", i);

      g_assert_cmpstr (names[i], ==, name);
      g_assert_cmpint (get_int (&store, name), ==, i);
    }

  for (guint i = 0; i < n; i += 3)
    {
      g_autofree char *name = g_strdup_printf ("name%u", i);

      g_assert_true (flyweight_attr_store_delete (&store, name));
    }
  g_assert_false (flyweight_attr_store_contains (&store, "name0"));
  g_assert_cmpint (get_int (&store, "name1"), ==, 1);

  flyweight_attr_store_clear (&store);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings);
}

/* Values past the inline 8 bytes move to a block and back. */
static void
test_store_layout (void)
{
  FlyweightAttrStore leader, store;
  g_autofree char *grown = NULL;
  g_autofree char *shrunk = NULL;
  g_auto(GValue) big = G_VALUE_INIT;

  g_value_init (&big, G_TYPE_INT64);
  g_value_set_int64 (&big, G_MAXINT64);

  flyweight_attr_store_init (&leader);
  flyweight_attr_store_init (&store);
  for (guint i = 0; i < 2; i++)
    {
      FlyweightAttrStore *s = i == 0 ? &leader : &store;

      set_string (s, "owner", "Aristocrat");          /* fits inline */
      flyweight_attr_store_set (s, "jackpot", &big);  /* spills */
      set_int (s, "small", -1);
    }
  g_assert_nonnull (flyweight_attr_store_peek_shape (&store));
  g_assert_cmpuint (flyweight_shape_get_size (flyweight_attr_store_peek_shape (&store)), >, 8);

  grown = describe (&store);
  g_assert_cmpstr (grown, ==,
                   "owner=gchararray:\"Aristocrat\";"
                   "jackpot=gint64:9223372036854775807;small=gint:-1;");

  g_assert_true (flyweight_attr_store_delete (&store, "small"));
  g_assert_true (flyweight_attr_store_delete (&store, "jackpot"));
  g_assert_cmpuint (flyweight_shape_get_size (flyweight_attr_store_peek_shape (&store)), <=, 8);
  shrunk = describe (&store);
  g_assert_cmpstr (shrunk, ==, "owner=gchararray:\"Aristocrat\";");

  flyweight_attr_store_clear (&store);
  flyweight_attr_store_clear (&leader);
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

  flyweight_attr_store_init (&store);
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

/* Setting what an attribute already holds keeps it as it is. */
static void
test_store_same_value (void)
{
  FlyweightAttrStore store;
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *described = NULL;
  const char *kept;

  flyweight_attr_store_init (&store);
  set_string (&store, "owner", "Aristocrat");
  kept = stored_string (&store, "owner");
  set_string (&store, "owner", "Aristocrat");
  g_assert_true (stored_string (&store, "owner") == kept);
  set_string (&store, "owner", NULL);
  set_string (&store, "owner", NULL);
  set_string (&store, "owner", "Konami");
  described = describe (&store);
  g_assert_cmpstr (described, ==, "owner=gchararray:\"Konami\";");

  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, object);
  flyweight_attr_store_set (&store, "o", &value);
  flyweight_attr_store_set (&store, "o", &value);
  g_assert_cmpuint (object->ref_count, ==, 3);

  flyweight_attr_store_clear (&store);
  g_assert_cmpuint (object->ref_count, ==, 2);
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

      flyweight_attr_store_init (&stores[i]);
      set_int (&stores[i], name, i);
      set_int (&stores[i], "also", i);
    }
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);

  /* Half deleted by hand, half dropped with their object. */
  for (guint i = 0; i < n; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("user_name_%u", i);

      g_assert_true (flyweight_attr_store_delete (&stores[i], name));
    }

  for (guint i = 0; i < n; i++)
    flyweight_attr_store_clear (&stores[i]);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings);

  g_free (stores);
}

/* Attributes that come and go on shared shapes, the notebook's set and
 * delete of owner in a loop: the shapes do not pile up. */
static void
test_store_passing_names (void)
{
  guint live = flyweight_shape_count_live ();
  FlyweightAttrStore a, b;

  flyweight_attr_store_init (&a);
  flyweight_attr_store_init (&b);
  set_sequence (&a, "kept", 3);
  set_sequence (&b, "kept", 3);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("passing%u", i);

      set_int (&a, name, i);
      set_int (&b, name, i);
      g_assert_cmpint (get_int (&b, name), ==, i);
      g_assert_true (flyweight_attr_store_delete (&a, name));
      g_assert_true (flyweight_attr_store_delete (&b, name));
      g_assert_cmpint (get_int (&b, "kept2"), ==, 2);
    }
  g_assert_cmpuint (flyweight_shape_count_live (), <=, live + 3);

  flyweight_attr_store_clear (&a);
  flyweight_attr_store_clear (&b);
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live);
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

  flyweight_attr_store_init (&a);
  flyweight_attr_store_init (&b);
  set_string (&a, "owner", owner);
  set_string (&b, "owner", "Aristocrat");
  g_assert_true (stored_string (&a, "owner") == stored_string (&b, "owner"));
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings + 2);  /* "owner", "Aristocrat" */

  kept = flyweight_intern_acquire ("Aristocrat");
  flyweight_attr_store_clear (&a);
  flyweight_attr_store_clear (&b);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings + 1);
  g_assert_cmpstr (kept, ==, "Aristocrat");
  flyweight_intern_release (kept);
  g_assert_cmpuint (flyweight_intern_count_live (), ==, strings);
}

/* A cleared store is empty and usable again. */
static void
test_store_clear_reuse (void)
{
  FlyweightAttrStore store;
  g_autofree char *described = NULL;

  flyweight_attr_store_init (&store);
  set_sequence (&store, "n", 20);
  flyweight_attr_store_clear (&store);
  g_assert_false (flyweight_attr_store_contains (&store, "n0"));
  g_assert_true (flyweight_attr_store_peek_shape (&store) == flyweight_shape_get_empty ());

  set_int (&store, "again", 1);
  described = describe (&store);
  g_assert_cmpstr (described, ==, "again=gint:1;");
  flyweight_attr_store_clear (&store);
}

static void
count_cb (FlyweightPokiesDynamic *machine,
          const char             *name,
          gpointer                user_data)
{
  (*(guint *) user_data)++;
}

/* Machines nobody listens to skip the signal without asking GSignal; one
 * that ever had a handler, of any signal, asks. On 64-bit systems GObject
 * keeps the mark this relies on, and the fast path must be in use there. */
static void
test_store_handler_hint (void)
{
  g_autoptr(FlyweightPokiesDynamic) machine = flyweight_pokies_dynamic_new (3, 10, NULL);
  g_autoptr(FlyweightPokiesDynamic) other = flyweight_pokies_dynamic_new (3, 10, NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  guint count = 0;
  gulong id;

  g_value_init (&value, G_TYPE_INT);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machine), "n", &value, NULL));

  if (GLIB_SIZEOF_VOID_P == 8)
    g_assert_false (flyweight_object_may_have_handlers (G_OBJECT (machine)));

  /* A listener that arrives late hears the next change. */
  id = g_signal_connect (machine, "attr-changed::n", G_CALLBACK (count_cb), &count);
  g_assert_true (flyweight_object_may_have_handlers (G_OBJECT (machine)));
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machine), "n", &value, NULL));
  g_assert_cmpuint (count, ==, 1);
  g_signal_handler_disconnect (machine, id);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (machine), "n", &value, NULL));
  g_assert_cmpuint (count, ==, 1);

  /* Any handler makes the machine ask. */
  if (GLIB_SIZEOF_VOID_P == 8)
    g_assert_false (flyweight_object_may_have_handlers (G_OBJECT (other)));
  g_signal_connect (other, "notify", G_CALLBACK (count_cb), &count);
  g_assert_true (flyweight_object_may_have_handlers (G_OBJECT (other)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Made once and kept: the shape every store starts from. */
  flyweight_shape_get_empty ();

  g_test_add_func ("/attr-store/sharing", test_store_sharing);
  g_test_add_func ("/attr-store/grows-where-shared", test_store_grows_where_shared);
  g_test_add_func ("/attr-store/own-names", test_store_own_names);
  g_test_add_func ("/attr-store/delete-last-goes-back", test_store_delete_last_goes_back);
  g_test_add_func ("/attr-store/diverging", test_store_diverging);
  g_test_add_func ("/attr-store/retype-diverges", test_store_retype_diverges);
  g_test_add_func ("/attr-store/long-branch", test_store_long_branch);
  g_test_add_func ("/attr-store/orders", test_store_orders);
  g_test_add_func ("/attr-store/long-order", test_store_long_order);
  g_test_add_func ("/attr-store/many-names", test_store_many_names);
  g_test_add_func ("/attr-store/layout", test_store_layout);
  g_test_add_func ("/attr-store/value-kinds", test_store_value_kinds);
  g_test_add_func ("/attr-store/same-value", test_store_same_value);
  g_test_add_func ("/attr-store/unique-names-freed", test_store_unique_names_freed);
  g_test_add_func ("/attr-store/passing-names", test_store_passing_names);
  g_test_add_func ("/attr-store/strings-shared", test_store_strings_shared);
  g_test_add_func ("/attr-store/clear-reuse", test_store_clear_reuse);
  g_test_add_func ("/attr-store/handler-hint", test_store_handler_hint);

  return g_test_run ();
}
