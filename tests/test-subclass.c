/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Subclassing FlyweightPokies from C: a correct subclass works without a
 * warning, and one that breaks the contract of its virtual methods gets
 * criticals that name it while its callers get clean answers. */

#include <string.h>

#include <flyweight.h>

/* ---- a correct subclass: attributes in a GHashTable ---- */

#define TEST_TYPE_TABLE_POKIES (test_table_pokies_get_type ())
G_DECLARE_FINAL_TYPE (TestTablePokies, test_table_pokies, TEST, TABLE_POKIES, FlyweightPokies)

struct _TestTablePokies
{
  FlyweightPokies parent_instance;

  GMutex      lock;
  GHashTable *attrs;   /* name → GValue */
};

G_DEFINE_FINAL_TYPE (TestTablePokies, test_table_pokies, FLYWEIGHT_TYPE_POKIES)

static void
free_value (gpointer data)
{
  g_value_unset (data);
  g_free (data);
}

static gboolean
table_set_attr (FlyweightPokies  *pokies,
                const char       *name,
                const GValue     *value,
                GError          **error)
{
  TestTablePokies *self = TEST_TABLE_POKIES (pokies);
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->attrs, g_strdup (name), copy);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static gboolean
table_lookup_attr (FlyweightPokies  *pokies,
                   const char       *name,
                   GValue           *value,
                   GError          **error)
{
  TestTablePokies *self = TEST_TABLE_POKIES (pokies);
  const GValue *stored;

  g_mutex_lock (&self->lock);
  stored = g_hash_table_lookup (self->attrs, name);
  if (stored != NULL)
    {
      g_value_init (value, G_VALUE_TYPE (stored));
      g_value_copy (stored, value);
    }
  g_mutex_unlock (&self->lock);

  if (stored == NULL)
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE, "no attribute %s", name);

  return stored != NULL;
}

static gboolean
table_del_attr (FlyweightPokies  *pokies,
                const char       *name,
                GError          **error)
{
  TestTablePokies *self = TEST_TABLE_POKIES (pokies);
  gboolean removed;

  g_mutex_lock (&self->lock);
  removed = g_hash_table_remove (self->attrs, name);
  g_mutex_unlock (&self->lock);

  if (!removed)
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE, "no attribute %s", name);

  return removed;
}

static gboolean
table_has_attr (FlyweightPokies *pokies,
                const char      *name)
{
  TestTablePokies *self = TEST_TABLE_POKIES (pokies);
  gboolean found;

  g_mutex_lock (&self->lock);
  found = g_hash_table_contains (self->attrs, name);
  g_mutex_unlock (&self->lock);

  return found;
}

static char **
table_list_attrs (FlyweightPokies *pokies)
{
  TestTablePokies *self = TEST_TABLE_POKIES (pokies);
  char **names;

  g_mutex_lock (&self->lock);
  names = (char **) g_hash_table_get_keys_as_array (self->attrs, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    names[i] = g_strdup (names[i]);
  g_mutex_unlock (&self->lock);

  return names;
}

static void
test_table_pokies_finalize (GObject *object)
{
  TestTablePokies *self = TEST_TABLE_POKIES (object);

  g_hash_table_unref (self->attrs);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (test_table_pokies_parent_class)->finalize (object);
}

/* clear_attrs is left to the base class: it deletes the listed names. */
static void
test_table_pokies_class_init (TestTablePokiesClass *klass)
{
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_table_pokies_finalize;
  pokies_class->set_attr = table_set_attr;
  pokies_class->lookup_attr = table_lookup_attr;
  pokies_class->del_attr = table_del_attr;
  pokies_class->has_attr = table_has_attr;
  pokies_class->list_attrs = table_list_attrs;
}

static void
test_table_pokies_init (TestTablePokies *self)
{
  g_mutex_init (&self->lock);
  self->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_value);
}

static void
set_string (FlyweightPokies *machine,
            const char      *name,
            const char      *text)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_assert_true (flyweight_pokies_set_attr (machine, name, &value, &error));
  g_assert_no_error (error);
}

/* The suite runs with G_DEBUG=fatal-warnings: any warning fails it. */
static void
test_correct_subclass (void)
{
  FlyweightPokies *machine = g_object_new (TEST_TYPE_TABLE_POKIES, "reels", 5, "symbols", 7, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GStrv) names = NULL;
  g_autofree guint *draw = NULL;
  const char * const expected[] = { "jackpot", "owner", "reels", "symbols", NULL };
  const char * const dimensions[] = { "reels", "symbols", NULL };
  guint n_values;

  g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, 5);
  g_assert_cmpuint (flyweight_pokies_get_symbols (machine), ==, 7);
  draw = flyweight_pokies_draw (machine, &n_values);
  g_assert_cmpuint (n_values, ==, 5);
  for (guint i = 0; i < n_values; i++)
    {
      g_assert_cmpuint (draw[i], >=, 1);
      g_assert_cmpuint (draw[i], <=, 7);
    }

  set_string (machine, "owner", "Aristocrat");
  set_string (machine, "jackpot", "1000");
  g_assert_true (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, "Aristocrat");
  g_assert_cmpstr (g_value_get_string (flyweight_pokies_peek_attr (machine, "jackpot", &error)), ==, "1000");
  g_assert_true (flyweight_pokies_has_attr (machine, "owner"));
  g_assert_true (flyweight_pokies_has_attr (machine, "reels"));
  names = flyweight_pokies_list_attrs (machine);
  g_assert_cmpstrv (names, expected);

  /* The base class answers for the dimensions: the subclass never sees them. */
  g_assert_false (flyweight_pokies_set_attr (machine, "reels", &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_true (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);

  /* The default clear_attrs() deletes what list_attrs() names. */
  flyweight_pokies_clear_attrs (machine);
  g_clear_pointer (&names, g_strfreev);
  names = flyweight_pokies_list_attrs (machine);
  g_assert_cmpstrv (names, dimensions);

  g_assert_finalize_object (machine);
}

/* A subclass that overrides nothing holds nothing, as PokiesSlotted. */
#define TEST_TYPE_BARE_POKIES (test_bare_pokies_get_type ())
G_DECLARE_FINAL_TYPE (TestBarePokies, test_bare_pokies, TEST, BARE_POKIES, FlyweightPokies)
struct _TestBarePokies { FlyweightPokies parent_instance; };
G_DEFINE_FINAL_TYPE (TestBarePokies, test_bare_pokies, FLYWEIGHT_TYPE_POKIES)
static void test_bare_pokies_class_init (TestBarePokiesClass *klass) { }
static void test_bare_pokies_init (TestBarePokies *self) { }

/* One whose class struct has no methods at all: NULL means "none". */
#define TEST_TYPE_NULL_POKIES (test_null_pokies_get_type ())
G_DECLARE_FINAL_TYPE (TestNullPokies, test_null_pokies, TEST, NULL_POKIES, FlyweightPokies)
struct _TestNullPokies { FlyweightPokies parent_instance; };
G_DEFINE_FINAL_TYPE (TestNullPokies, test_null_pokies, FLYWEIGHT_TYPE_POKIES)

static void
test_null_pokies_class_init (TestNullPokiesClass *klass)
{
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  pokies_class->set_attr = NULL;
  pokies_class->lookup_attr = NULL;
  pokies_class->del_attr = NULL;
  pokies_class->has_attr = NULL;
  pokies_class->list_attrs = NULL;
  pokies_class->clear_attrs = NULL;
}

static void test_null_pokies_init (TestNullPokies *self) { }

static void
test_holds_nothing (gconstpointer data)
{
  FlyweightPokies *machine = g_object_new (GPOINTER_TO_SIZE (data), NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GStrv) names = NULL;
  const char * const dimensions[] = { "reels", "symbols", NULL };

  g_value_init (&value, G_TYPE_INT);
  g_assert_false (flyweight_pokies_set_attr (machine, "owner", &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_nonnull (strstr (error->message, G_OBJECT_TYPE_NAME (machine)));
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_false (flyweight_pokies_has_attr (machine, "owner"));
  names = flyweight_pokies_list_attrs (machine);
  g_assert_cmpstrv (names, dimensions);
  flyweight_pokies_clear_attrs (machine);
  g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, 3);

  g_assert_finalize_object (machine);
}

/* ---- a subclass that gets its methods wrong, one way per test ---- */

typedef enum
{
  BROKEN_SET_FALSE_NO_ERROR,
  BROKEN_SET_TRUE_WITH_ERROR,
  BROKEN_DEL_FALSE_NO_ERROR,
  BROKEN_DEL_TRUE_WITH_ERROR,
  BROKEN_LOOKUP_TRUE_NO_VALUE,
  BROKEN_LOOKUP_FALSE_NO_ERROR,
  BROKEN_LOOKUP_FALSE_WITH_VALUE,
  BROKEN_LOOKUP_TRUE_WITH_ERROR,
  BROKEN_LIST_NULL,
  BROKEN_LIST_INVALID,
} Broken;

#define TEST_TYPE_BROKEN_POKIES (test_broken_pokies_get_type ())
G_DECLARE_FINAL_TYPE (TestBrokenPokies, test_broken_pokies, TEST, BROKEN_POKIES, FlyweightPokies)

struct _TestBrokenPokies
{
  FlyweightPokies parent_instance;

  Broken how;
};

G_DEFINE_FINAL_TYPE (TestBrokenPokies, test_broken_pokies, FLYWEIGHT_TYPE_POKIES)

static void
set_some_error (GError **error)
{
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "an error nobody should see");
}

static gboolean
broken_set_attr (FlyweightPokies  *pokies,
                 const char       *name,
                 const GValue     *value,
                 GError          **error)
{
  if (TEST_BROKEN_POKIES (pokies)->how == BROKEN_SET_TRUE_WITH_ERROR)
    {
      set_some_error (error);
      return TRUE;
    }

  return FALSE;
}

static gboolean
broken_del_attr (FlyweightPokies  *pokies,
                 const char       *name,
                 GError          **error)
{
  if (TEST_BROKEN_POKIES (pokies)->how == BROKEN_DEL_TRUE_WITH_ERROR)
    {
      set_some_error (error);
      return TRUE;
    }

  return FALSE;
}

static gboolean
broken_lookup_attr (FlyweightPokies  *pokies,
                    const char       *name,
                    GValue           *value,
                    GError          **error)
{
  switch (TEST_BROKEN_POKIES (pokies)->how)
    {
    case BROKEN_LOOKUP_TRUE_NO_VALUE:
      return TRUE;

    case BROKEN_LOOKUP_FALSE_WITH_VALUE:
      /* A heap string: leaking it would show under valgrind and ASan. */
      g_value_init (value, G_TYPE_STRING);
      g_value_take_string (value, g_strdup_printf ("value of %s", name));
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE, "no %s", name);
      return FALSE;

    case BROKEN_LOOKUP_TRUE_WITH_ERROR:
      g_value_init (value, G_TYPE_STRING);
      g_value_take_string (value, g_strdup_printf ("value of %s", name));
      set_some_error (error);
      return TRUE;

    case BROKEN_SET_FALSE_NO_ERROR:
    case BROKEN_SET_TRUE_WITH_ERROR:
    case BROKEN_DEL_FALSE_NO_ERROR:
    case BROKEN_DEL_TRUE_WITH_ERROR:
    case BROKEN_LOOKUP_FALSE_NO_ERROR:
    case BROKEN_LIST_NULL:
    case BROKEN_LIST_INVALID:
    default:
      return FALSE;
    }
}

static char **
broken_list_attrs (FlyweightPokies *pokies)
{
  const char * const invalid[] = {
    "", "1x", "reels", "ok", "a", "a", "__dict__", "\x1b[31mred", "caf\xc3", "symbols", NULL,
  };

  if (TEST_BROKEN_POKIES (pokies)->how == BROKEN_LIST_NULL)
    return NULL;

  return g_strdupv ((char **) invalid);
}

static void
test_broken_pokies_class_init (TestBrokenPokiesClass *klass)
{
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  pokies_class->set_attr = broken_set_attr;
  pokies_class->lookup_attr = broken_lookup_attr;
  pokies_class->del_attr = broken_del_attr;
  pokies_class->list_attrs = broken_list_attrs;
}

static void test_broken_pokies_init (TestBrokenPokies *self) { }

static FlyweightPokies *
new_broken (Broken how)
{
  TestBrokenPokies *machine = g_object_new (TEST_TYPE_BROKEN_POKIES, NULL);

  machine->how = how;

  return FLYWEIGHT_POKIES (machine);
}

static void
expect_critical (const char *pattern)
{
  g_test_expect_message ("Flyweight", G_LOG_LEVEL_CRITICAL, pattern);
}

static void
test_broken_set (void)
{
  FlyweightPokies *machine = new_broken (BROKEN_SET_FALSE_NO_ERROR);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);

  expect_critical ("set_attr() of “TestBrokenPokies” returned FALSE without setting an error");
  g_assert_false (flyweight_pokies_set_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "TestBrokenPokies"));
  g_assert_nonnull (strstr (error->message, "owner"));
  g_clear_error (&error);

  /* TRUE wins: the error is freed, never handed on. */
  TEST_BROKEN_POKIES (machine)->how = BROKEN_SET_TRUE_WITH_ERROR;
  expect_critical ("set_attr() of “TestBrokenPokies” returned TRUE but set an error*");
  g_assert_true (flyweight_pokies_set_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* A NULL error is no excuse: the wrapper still learns what happened. */
  TEST_BROKEN_POKIES (machine)->how = BROKEN_SET_FALSE_NO_ERROR;
  expect_critical ("set_attr() of “TestBrokenPokies” returned FALSE without setting an error");
  g_assert_false (flyweight_pokies_set_attr (machine, "owner", &value, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (machine);
}

static void
test_broken_del (void)
{
  FlyweightPokies *machine = new_broken (BROKEN_DEL_FALSE_NO_ERROR);
  g_autoptr(GError) error = NULL;

  expect_critical ("del_attr() of “TestBrokenPokies” returned FALSE without setting an error");
  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_clear_error (&error);

  TEST_BROKEN_POKIES (machine)->how = BROKEN_DEL_TRUE_WITH_ERROR;
  expect_critical ("del_attr() of “TestBrokenPokies” returned TRUE but set an error*");
  g_assert_true (flyweight_pokies_del_attr (machine, "owner", &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_assert_finalize_object (machine);
}

static void
test_broken_lookup (void)
{
  FlyweightPokies *machine = new_broken (BROKEN_LOOKUP_TRUE_NO_VALUE);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) typed = G_VALUE_INIT;

  /* Success without a value: an error, never an unset value read as one. */
  expect_critical ("lookup_attr() of “TestBrokenPokies” returned TRUE without filling the value");
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_assert_false (G_IS_VALUE (&value));
  g_clear_error (&error);

  expect_critical ("lookup_attr() of “TestBrokenPokies” returned TRUE without filling the value");
  g_assert_null (flyweight_pokies_peek_attr (machine, "owner", &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_clear_error (&error);

  /* An initialized value is left as it was. */
  g_value_init (&typed, G_TYPE_INT);
  g_value_set_int (&typed, 42);
  expect_critical ("lookup_attr() of “TestBrokenPokies” returned TRUE without filling the value");
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &typed, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpint (g_value_get_int (&typed), ==, 42);
  g_clear_error (&error);

  TEST_BROKEN_POKIES (machine)->how = BROKEN_LOOKUP_FALSE_NO_ERROR;
  expect_critical ("lookup_attr() of “TestBrokenPokies” returned FALSE without setting an error");
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_clear_error (&error);

  /* A value filled before failing is freed, and the error handed on. */
  TEST_BROKEN_POKIES (machine)->how = BROKEN_LOOKUP_FALSE_WITH_VALUE;
  expect_critical ("lookup_attr() of “TestBrokenPokies” returned FALSE but filled the value*");
  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_assert_false (G_IS_VALUE (&value));
  g_clear_error (&error);

  TEST_BROKEN_POKIES (machine)->how = BROKEN_LOOKUP_TRUE_WITH_ERROR;
  expect_critical ("lookup_attr() of “TestBrokenPokies” returned TRUE but set an error*");
  g_assert_true (flyweight_pokies_get_attr (machine, "owner", &value, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, "value of owner");

  g_assert_finalize_object (machine);
}

static void
test_broken_list (void)
{
  FlyweightPokies *machine = new_broken (BROKEN_LIST_NULL);
  g_auto(GStrv) names = NULL;
  const char * const dimensions[] = { "reels", "symbols", NULL };
  const char * const kept[] = { "a", "ok", "reels", "symbols", NULL };

  expect_critical ("list_attrs() of “TestBrokenPokies” returned NULL instead of an empty list");
  names = flyweight_pokies_list_attrs (machine);
  g_test_assert_expected_messages ();
  g_assert_cmpstrv (names, dimensions);
  g_clear_pointer (&names, g_strfreev);

  TEST_BROKEN_POKIES (machine)->how = BROKEN_LIST_INVALID;
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “”, which is not a name it can hold*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “1x”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “reels”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “__dict__”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “\\033[31mred”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “caf\\303”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “symbols”*");
  expect_critical ("list_attrs() of “TestBrokenPokies” listed “a” twice");
  names = flyweight_pokies_list_attrs (machine);
  g_test_assert_expected_messages ();
  g_assert_cmpstrv (names, kept);

  g_assert_finalize_object (machine);
}

/* ---- a lookup that reads attributes itself ---- */

#define TEST_TYPE_PROXY_POKIES (test_proxy_pokies_get_type ())
G_DECLARE_FINAL_TYPE (TestProxyPokies, test_proxy_pokies, TEST, PROXY_POKIES, FlyweightPokies)

struct _TestProxyPokies
{
  FlyweightPokies  parent_instance;

  FlyweightPokies *target;
};

G_DEFINE_FINAL_TYPE (TestProxyPokies, test_proxy_pokies, FLYWEIGHT_TYPE_POKIES)

/* Peeks, as a binding's subclass would through get_attr(). */
static gboolean
proxy_lookup_attr (FlyweightPokies  *pokies,
                   const char       *name,
                   GValue           *value,
                   GError          **error)
{
  const GValue *found = flyweight_pokies_peek_attr (TEST_PROXY_POKIES (pokies)->target, name, error);

  if (found == NULL)
    return FALSE;

  g_value_init (value, G_VALUE_TYPE (found));
  g_value_copy (found, value);

  return TRUE;
}

static void
test_proxy_pokies_dispose (GObject *object)
{
  g_clear_object (&TEST_PROXY_POKIES (object)->target);

  G_OBJECT_CLASS (test_proxy_pokies_parent_class)->dispose (object);
}

static void
test_proxy_pokies_class_init (TestProxyPokiesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = test_proxy_pokies_dispose;
  FLYWEIGHT_POKIES_CLASS (klass)->lookup_attr = proxy_lookup_attr;
}

static void test_proxy_pokies_init (TestProxyPokies *self) { }

static void
test_reentrant_peek (void)
{
  TestProxyPokies *proxy = g_object_new (TEST_TYPE_PROXY_POKIES, NULL);
  g_autoptr(GError) error = NULL;
  const GValue *found;
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);
  g_auto(GValue) value = G_VALUE_INIT;

  proxy->target = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, &error));
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, object);
  g_assert_true (flyweight_pokies_set_attr (proxy->target, "obj", &value, &error));
  g_value_unset (&value);

  /* The outer peek fills the thread's value after the inner one. */
  found = flyweight_pokies_peek_attr (FLYWEIGHT_POKIES (proxy), "obj", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (g_value_get_object (found) == object);

  flyweight_pokies_clear_attrs (proxy->target);
  g_assert_finalize_object (proxy);
  g_assert_finalize_object (object);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/subclass/correct", test_correct_subclass);
  g_test_add_data_func ("/subclass/overrides-nothing", GSIZE_TO_POINTER (TEST_TYPE_BARE_POKIES),
                        test_holds_nothing);
  g_test_add_data_func ("/subclass/null-methods", GSIZE_TO_POINTER (TEST_TYPE_NULL_POKIES),
                        test_holds_nothing);
  g_test_add_func ("/subclass/broken/set", test_broken_set);
  g_test_add_func ("/subclass/broken/del", test_broken_del);
  g_test_add_func ("/subclass/broken/lookup", test_broken_lookup);
  g_test_add_func ("/subclass/broken/list", test_broken_list);
  g_test_add_func ("/subclass/reentrant-peek", test_reentrant_peek);

  return g_test_run ();
}
