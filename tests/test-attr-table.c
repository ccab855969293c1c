/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The table behind PokiesDynamic, on its own. */

#include "flyweight-attr-table-private.h"

static void
insert_int (FlyweightAttrTable *table,
            const char         *name,
            int                 number)
{
  GValue value = G_VALUE_INIT;
  g_auto(GValue) old_value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  flyweight_attr_table_insert (table, name, &value, &old_value);

  /* The value moved into the table. */
  g_assert_false (G_IS_VALUE (&value));
}

static char *
describe (FlyweightAttrTable *table)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < flyweight_attr_table_get_size (table); i++)
    g_string_append_printf (out, "%s%s=%d", i > 0 ? "," : "",
                            flyweight_attr_table_get_name (table, i),
                            g_value_get_int (flyweight_attr_table_get_value (table, i)));

  return g_string_free (out, FALSE);
}

static void
test_attr_table_order (void)
{
  FlyweightAttrTable *table = flyweight_attr_table_new ();
  g_autofree char *first = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *readded = NULL;
  g_auto(GValue) old_value = G_VALUE_INIT;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      insert_int (table, name, i);
    }
  first = describe (table);
  g_assert_cmpstr (first, ==, "n0=0,n1=1,n2=2,n3=3,n4=4");

  insert_int (table, "n1", 10);
  replaced = describe (table);
  g_assert_cmpstr (replaced, ==, "n0=0,n1=10,n2=2,n3=3,n4=4");

  g_assert_true (flyweight_attr_table_steal (table, "n2", &old_value));
  g_assert_cmpint (g_value_get_int (&old_value), ==, 2);
  g_assert_false (flyweight_attr_table_steal (table, "n2", &old_value));
  removed = describe (table);
  g_assert_cmpstr (removed, ==, "n0=0,n1=10,n3=3,n4=4");

  insert_int (table, "n2", 20);
  readded = describe (table);
  g_assert_cmpstr (readded, ==, "n0=0,n1=10,n3=3,n4=4,n2=20");

  g_assert_null (flyweight_attr_table_lookup (table, "missing"));
  g_assert_cmpint (g_value_get_int (flyweight_attr_table_lookup (table, "n4")), ==, 4);

  flyweight_attr_table_free (table);
}

static void
test_attr_table_replace_returns_old (void)
{
  FlyweightAttrTable *table = flyweight_attr_table_new ();
  GValue value = G_VALUE_INIT;
  g_auto(GValue) old_value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "first");
  flyweight_attr_table_insert (table, "owner", &value, &old_value);
  g_assert_false (G_IS_VALUE (&old_value));

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "second");
  flyweight_attr_table_insert (table, "owner", &value, &old_value);
  g_assert_cmpstr (g_value_get_string (&old_value), ==, "first");
  g_assert_cmpstr (g_value_get_string (flyweight_attr_table_lookup (table, "owner")), ==, "second");
  g_assert_cmpuint (flyweight_attr_table_get_size (table), ==, 1);

  flyweight_attr_table_free (table);
}

/* Names are shared between tables and freed with the last table using them. */
static void
test_attr_table_names_shared (void)
{
  FlyweightAttrTable *a = flyweight_attr_table_new ();
  FlyweightAttrTable *b = flyweight_attr_table_new ();

  insert_int (a, "owner", 1);
  insert_int (b, "owner", 2);
  g_assert_true (flyweight_attr_table_get_name (a, 0) == flyweight_attr_table_get_name (b, 0));

  flyweight_attr_table_free (a);
  g_assert_cmpstr (flyweight_attr_table_get_name (b, 0), ==, "owner");
  flyweight_attr_table_free (b);
}

static void
test_attr_table_many (void)
{
  FlyweightAttrTable *table = flyweight_attr_table_new ();

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      insert_int (table, name, i);
    }

  for (guint i = 0; i < 1000; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);
      g_auto(GValue) old_value = G_VALUE_INIT;

      g_assert_true (flyweight_attr_table_steal (table, name, &old_value));
      g_assert_cmpint (g_value_get_int (&old_value), ==, i);
    }

  g_assert_cmpuint (flyweight_attr_table_get_size (table), ==, 500);
  for (guint i = 0; i < 500; i++)
    g_assert_cmpint (g_value_get_int (flyweight_attr_table_get_value (table, i)), ==, 2 * i + 1);

  flyweight_attr_table_free (table);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attr-table/order", test_attr_table_order);
  g_test_add_func ("/attr-table/replace-returns-old", test_attr_table_replace_returns_old);
  g_test_add_func ("/attr-table/names-shared", test_attr_table_names_shared);
  g_test_add_func ("/attr-table/many", test_attr_table_many);

  return g_test_run ();
}
