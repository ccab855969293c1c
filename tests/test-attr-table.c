/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The table behind PokiesDynamic's objects that left the shared shapes,
 * on its own: order, lookups at every size of index, holes, shrinking. */

#include "flyweight-attr-table-private.h"
#include "flyweight-intern-private.h"

typedef struct
{
  FlyweightAttrTable *table;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->table = flyweight_attr_table_new (0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  FlyweightAttrEntry *entry;
  guint position = 0;

  while ((entry = flyweight_attr_table_next (fixture->table, &position)) != NULL)
    flyweight_intern_release (entry->name);
  flyweight_attr_table_free (fixture->table);
}

static FlyweightAttrEntry *
lookup (Fixture    *fixture,
        const char *name)
{
  FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (name);

  return flyweight_attr_table_lookup (fixture->table, &key);
}

static void
add (Fixture    *fixture,
     const char *name,
     guint       number)
{
  FlyweightSlot slot = { .u64 = number };

  g_assert_null (lookup (fixture, name));
  fixture->table = flyweight_attr_table_add (fixture->table, flyweight_intern_acquire (name),
                                             G_TYPE_UINT, slot);
}

static gboolean
remove_name (Fixture    *fixture,
             const char *name)
{
  FlyweightAttrEntry *entry = lookup (fixture, name);
  FlyweightAttrEntry removed;

  if (entry == NULL)
    return FALSE;

  fixture->table = flyweight_attr_table_remove (fixture->table, entry, &removed);
  g_assert_cmpstr (removed.name, ==, name);
  flyweight_intern_release (removed.name);

  return TRUE;
}

static char *
describe (Fixture *fixture)
{
  GString *out = g_string_new (NULL);
  FlyweightAttrEntry *entry;
  guint position = 0;

  while ((entry = flyweight_attr_table_next (fixture->table, &position)) != NULL)
    g_string_append_printf (out, "%s%s=%" G_GUINT64_FORMAT, out->len > 0 ? "," : "",
                            entry->name, entry->slot.u64);

  return g_string_free (out, FALSE);
}

static void
test_attr_table_order (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *readded = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      add (fixture, name, i);
    }
  first = describe (fixture);
  g_assert_cmpstr (first, ==, "n0=0,n1=1,n2=2,n3=3,n4=4");

  lookup (fixture, "n1")->slot.u64 = 10;
  replaced = describe (fixture);
  g_assert_cmpstr (replaced, ==, "n0=0,n1=10,n2=2,n3=3,n4=4");

  g_assert_true (remove_name (fixture, "n2"));
  g_assert_false (remove_name (fixture, "n2"));
  removed = describe (fixture);
  g_assert_cmpstr (removed, ==, "n0=0,n1=10,n3=3,n4=4");

  add (fixture, "n2", 20);
  readded = describe (fixture);
  g_assert_cmpstr (readded, ==, "n0=0,n1=10,n3=3,n4=4,n2=20");

  g_assert_null (lookup (fixture, "missing"));
  g_assert_cmpuint (lookup (fixture, "n4")->slot.u64, ==, 4);
  g_assert_cmpuint (flyweight_attr_table_get_size (fixture->table), ==, 5);
}

/* Past the small sizes the index grows from 1 to 2 to 4 bytes a slot;
 * every name stays findable and in order through each rebuild. */
static void
test_attr_table_many (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint n = 70000;
  FlyweightAttrEntry *entry;
  guint position = 0, expected = 1;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      add (fixture, name, i);
    }

  for (guint i = 0; i < n; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      g_assert_true (remove_name (fixture, name));
    }

  g_assert_cmpuint (flyweight_attr_table_get_size (fixture->table), ==, n / 2);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      entry = lookup (fixture, name);
      if (i % 2 == 0)
        g_assert_null (entry);
      else
        g_assert_cmpuint (entry->slot.u64, ==, i);
    }

  while ((entry = flyweight_attr_table_next (fixture->table, &position)) != NULL)
    {
      g_assert_cmpuint (entry->slot.u64, ==, expected);
      expected += 2;
    }
  g_assert_cmpuint (expected, ==, n + 1);
}

/* Names that come and go, as attributes set and deleted in a loop: the
 * marks they leave in the index never fill it, and the table does not
 * grow beyond what it holds. */
static void
test_attr_table_churn (Fixture       *fixture,
                       gconstpointer  data)
{
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("kept%u", i);

      add (fixture, name, i);
    }

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *name = g_strdup_printf ("passing%u", i);

      add (fixture, name, i);
      g_assert_nonnull (lookup (fixture, name));
      g_assert_true (remove_name (fixture, name));
      g_assert_null (lookup (fixture, "never-there"));
    }

  g_assert_cmpuint (flyweight_attr_table_get_size (fixture->table), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("kept%u", i);

      g_assert_cmpuint (lookup (fixture, name)->slot.u64, ==, i);
    }
}

/* Emptied, a large table gives its memory back and keeps working. */
static void
test_attr_table_shrinks (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *left = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      add (fixture, name, i);
    }

  for (guint i = 0; i < 4998; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);

      g_assert_true (remove_name (fixture, name));
    }

  left = describe (fixture);
  g_assert_cmpstr (left, ==, "n4998=4998,n4999=4999");
  g_assert_true (remove_name (fixture, "n4999"));
  add (fixture, "again", 1);
  g_assert_cmpuint (lookup (fixture, "again")->slot.u64, ==, 1);
}

/* Removing the last one added, as the notebook does with owner, leaves
 * the table as it was. */
static void
test_attr_table_remove_last (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *after = NULL;

  add (fixture, "reels", 3);
  add (fixture, "symbols", 10);
  for (guint i = 0; i < 1000; i++)
    {
      add (fixture, "owner", i);
      g_assert_true (remove_name (fixture, "owner"));
    }

  after = describe (fixture);
  g_assert_cmpstr (after, ==, "reels=3,symbols=10");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/attr-table/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("order", test_attr_table_order);
  ADD ("many", test_attr_table_many);
  ADD ("churn", test_attr_table_churn);
  ADD ("shrinks", test_attr_table_shrinks);
  ADD ("remove-last", test_attr_table_remove_last);

#undef ADD

  return g_test_run ();
}
