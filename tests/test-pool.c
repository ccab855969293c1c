/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightPool from C: one object per identity, gone with its last
 * holder; counters; keys and values refused; types refused; the
 * keep-alive; and types that do unusual things at construction. */

#include <string.h>

#include <flyweight.h>

/* ------------------------------------------------------------ test types */

/* A type with a key of every kind the pool compares, and one property
 * that is only readable. */
#define TEST_TYPE_KEYED (test_keyed_get_type ())
G_DECLARE_FINAL_TYPE (TestKeyed, test_keyed, TEST, KEYED, GObject)

struct _TestKeyed
{
  GObject  parent_instance;
  char    *name;
  int      size;
  double   ratio;
  gboolean flag;
  int      mode;
  gint64   big;
  gint8    initial;
  GObject *owner;
  float    scale;
  GType    kind;
  guint    flags;
};

G_DEFINE_FINAL_TYPE (TestKeyed, test_keyed, G_TYPE_OBJECT)

enum {
  KEYED_PROP_0,
  KEYED_PROP_NAME,
  KEYED_PROP_SIZE,
  KEYED_PROP_RATIO,
  KEYED_PROP_FLAG,
  KEYED_PROP_MODE,
  KEYED_PROP_BIG,
  KEYED_PROP_INITIAL,
  KEYED_PROP_OWNER,
  KEYED_PROP_SCALE,
  KEYED_PROP_KIND,
  KEYED_PROP_FLAGS,
  KEYED_PROP_LABEL,
  KEYED_N_PROPS
};

static void
test_keyed_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TestKeyed *self = TEST_KEYED (object);

  switch (prop_id)
    {
    case KEYED_PROP_NAME:    self->name = g_value_dup_string (value); break;
    case KEYED_PROP_SIZE:    self->size = g_value_get_int (value); break;
    case KEYED_PROP_RATIO:   self->ratio = g_value_get_double (value); break;
    case KEYED_PROP_FLAG:    self->flag = g_value_get_boolean (value); break;
    case KEYED_PROP_MODE:    self->mode = g_value_get_enum (value); break;
    case KEYED_PROP_BIG:     self->big = g_value_get_int64 (value); break;
    case KEYED_PROP_INITIAL: self->initial = g_value_get_schar (value); break;
    case KEYED_PROP_OWNER:   self->owner = g_value_dup_object (value); break;
    case KEYED_PROP_SCALE:   self->scale = g_value_get_float (value); break;
    case KEYED_PROP_KIND:    self->kind = g_value_get_gtype (value); break;
    case KEYED_PROP_FLAGS:   self->flags = g_value_get_flags (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_keyed_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TestKeyed *self = TEST_KEYED (object);

  switch (prop_id)
    {
    case KEYED_PROP_NAME:  g_value_set_string (value, self->name); break;
    case KEYED_PROP_LABEL: g_value_take_string (value, g_strdup_printf ("%s/%d", self->name, self->size)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_keyed_finalize (GObject *object)
{
  TestKeyed *self = TEST_KEYED (object);

  g_free (self->name);
  g_clear_object (&self->owner);

  G_OBJECT_CLASS (test_keyed_parent_class)->finalize (object);
}

static void
test_keyed_class_init (TestKeyedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamSpec *props[KEYED_N_PROPS] = { NULL, };

  object_class->set_property = test_keyed_set_property;
  object_class->get_property = test_keyed_get_property;
  object_class->finalize = test_keyed_finalize;

  props[KEYED_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "anon", flags);
  props[KEYED_PROP_SIZE] = g_param_spec_int ("size", NULL, NULL, -10, 10, 0, flags);
  props[KEYED_PROP_RATIO] = g_param_spec_double ("ratio", NULL, NULL, 0.0, 1.0, 0.5, flags);
  props[KEYED_PROP_FLAG] = g_param_spec_boolean ("flag", NULL, NULL, FALSE, flags);
  props[KEYED_PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, FLYWEIGHT_TYPE_ERROR,
                                              FLYWEIGHT_ERROR_FAILED, flags);
  props[KEYED_PROP_BIG] = g_param_spec_int64 ("big", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  props[KEYED_PROP_INITIAL] = g_param_spec_char ("initial", NULL, NULL, 'a', 'z', 'a', flags);
  props[KEYED_PROP_OWNER] = g_param_spec_object ("owner", NULL, NULL, G_TYPE_OBJECT, flags);
  props[KEYED_PROP_SCALE] = g_param_spec_float ("scale", NULL, NULL, -1.0f, 1.0f, 0.0f, flags);
  props[KEYED_PROP_KIND] = g_param_spec_gtype ("kind", NULL, NULL, G_TYPE_NONE, flags);
  props[KEYED_PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL, G_TYPE_BINDING_FLAGS, 0, flags);
  props[KEYED_PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, KEYED_N_PROPS, props);
}

static void
test_keyed_init (TestKeyed *self)
{
}

/* Mutable through a property: refused. */
#define TEST_TYPE_MUTABLE (test_mutable_get_type ())
G_DECLARE_FINAL_TYPE (TestMutable, test_mutable, TEST, MUTABLE, GObject)
struct _TestMutable { GObject parent_instance; int colour; };
G_DEFINE_FINAL_TYPE (TestMutable, test_mutable, G_TYPE_OBJECT)

static void
test_mutable_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TEST_MUTABLE (object)->colour = g_value_get_int (value);
}

static void
test_mutable_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_value_set_int (value, TEST_MUTABLE (object)->colour);
}

static void
test_mutable_class_init (TestMutableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_mutable_set_property;
  object_class->get_property = test_mutable_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("colour", NULL, NULL, 0, 10, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));
}

static void test_mutable_init (TestMutable *self) { }

/* A construct-only property of a boxed type: a pool cannot compare it. */
#define TEST_TYPE_BOXED_KEY (test_boxed_key_get_type ())
G_DECLARE_FINAL_TYPE (TestBoxedKey, test_boxed_key, TEST, BOXED_KEY, GObject)
struct _TestBoxedKey { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (TestBoxedKey, test_boxed_key, G_TYPE_OBJECT)

static void
test_boxed_key_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
}

static void
test_boxed_key_class_init (TestBoxedKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_boxed_key_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_boxed_key_init (TestBoxedKey *self) { }

/* Born floating: the pool must not hand out a floating reference. */
#define TEST_TYPE_FLOATING (test_floating_get_type ())
G_DECLARE_FINAL_TYPE (TestFloating, test_floating, TEST, FLOATING, GInitiallyUnowned)
struct _TestFloating { GInitiallyUnowned parent_instance; };
G_DEFINE_FINAL_TYPE (TestFloating, test_floating, G_TYPE_INITIALLY_UNOWNED)
static void test_floating_class_init (TestFloatingClass *klass) { }
static void test_floating_init (TestFloating *self) { }

/* A constructor that always returns the same instance. */
#define TEST_TYPE_SINGLETON (test_singleton_get_type ())
G_DECLARE_FINAL_TYPE (TestSingleton, test_singleton, TEST, SINGLETON, GObject)
struct _TestSingleton { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (TestSingleton, test_singleton, G_TYPE_OBJECT)

static GObject *the_singleton;

static GObject *
test_singleton_constructor (GType                  type,
                            guint                  n_construct_properties,
                            GObjectConstructParam *construct_properties)
{
  if (the_singleton != NULL)
    return g_object_ref (the_singleton);

  the_singleton = G_OBJECT_CLASS (test_singleton_parent_class)->constructor (type, n_construct_properties,
                                                                             construct_properties);
  g_object_add_weak_pointer (the_singleton, (gpointer *) &the_singleton);

  return the_singleton;
}

static void
test_singleton_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
}

static void
test_singleton_class_init (TestSingletonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructor = test_singleton_constructor;
  object_class->set_property = test_singleton_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("shade", NULL, NULL, 0, 10, 0,
                      G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_singleton_init (TestSingleton *self) { }

/* A constructor that gives nothing back. */
#define TEST_TYPE_BROKEN (test_broken_get_type ())
G_DECLARE_FINAL_TYPE (TestBroken, test_broken, TEST, BROKEN, GObject)
struct _TestBroken { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (TestBroken, test_broken, G_TYPE_OBJECT)

static GObject *
test_broken_constructor (GType                  type,
                         guint                  n_construct_properties,
                         GObjectConstructParam *construct_properties)
{
  return NULL;
}

static void
test_broken_class_init (TestBrokenClass *klass)
{
  G_OBJECT_CLASS (klass)->constructor = test_broken_constructor;
}

static void test_broken_init (TestBroken *self) { }

/* A constructor that asks the pool for another object: no lock of the
 * pool may be held while it runs. */
#define TEST_TYPE_NESTED (test_nested_get_type ())
G_DECLARE_FINAL_TYPE (TestNested, test_nested, TEST, NESTED, GObject)
struct _TestNested { GObject parent_instance; int depth; GObject *inner; };
G_DEFINE_FINAL_TYPE (TestNested, test_nested, G_TYPE_OBJECT)

static FlyweightPool *nested_pool;

static void
test_nested_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TEST_NESTED (object)->depth = g_value_get_int (value);
}

static void
test_nested_constructed (GObject *object)
{
  TestNested *self = TEST_NESTED (object);

  G_OBJECT_CLASS (test_nested_parent_class)->constructed (object);

  if (self->depth > 0)
    self->inner = flyweight_pool_get (nested_pool, NULL, "depth", self->depth - 1, NULL);
}

static void
test_nested_finalize (GObject *object)
{
  g_clear_object (&TEST_NESTED (object)->inner);

  G_OBJECT_CLASS (test_nested_parent_class)->finalize (object);
}

static void
test_nested_class_init (TestNestedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_nested_set_property;
  object_class->constructed = test_nested_constructed;
  object_class->finalize = test_nested_finalize;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("depth", NULL, NULL, 0, 10, 0,
                      G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_nested_init (TestNested *self) { }

/* A dispose() that asks the pool for its own key: the object is dying,
 * its weak references are cleared, and its entry is still in the pool.
 * With @resurrect, dispose() also keeps a reference on the dying object. */
#define TEST_TYPE_DYING (test_dying_get_type ())
G_DECLARE_FINAL_TYPE (TestDying, test_dying, TEST, DYING, GObject)
struct _TestDying { GObject parent_instance; int id; };
G_DEFINE_FINAL_TYPE (TestDying, test_dying, G_TYPE_OBJECT)

static FlyweightPool *dying_pool;
static GObject *asked_while_dying;
static GObject *resurrected;
static gboolean resurrect;
static gboolean asked;

static void
test_dying_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TEST_DYING (object)->id = g_value_get_int (value);
}

static void
test_dying_dispose (GObject *object)
{
  if (!asked)
    {
      asked = TRUE;
      asked_while_dying = flyweight_pool_get (dying_pool, NULL, "id", TEST_DYING (object)->id, NULL);
      if (resurrect)
        resurrected = g_object_ref (object);
    }

  G_OBJECT_CLASS (test_dying_parent_class)->dispose (object);
}

static void
test_dying_class_init (TestDyingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_dying_set_property;
  object_class->dispose = test_dying_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("id", NULL, NULL, 0, 10, 0,
                      G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_dying_init (TestDying *self) { }

/* ---------------------------------------------------------------- helpers */

static FlyweightPokies *
get_machine (FlyweightPool *pool,
             guint          reels,
             guint          symbols)
{
  g_autoptr(GError) error = NULL;
  FlyweightPokies *machine = flyweight_pool_get (pool, &error,
                                                 "reels", reels,
                                                 "symbols", symbols,
                                                 NULL);

  g_assert_no_error (error);
  g_assert_true (FLYWEIGHT_IS_POKIES_SLOTTED (machine));
  g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, reels);
  g_assert_cmpuint (flyweight_pokies_get_symbols (machine), ==, symbols);

  return machine;
}

static void
assert_stats (FlyweightPool *pool,
              guint          size,
              guint          peak,
              guint64        hits,
              guint64        misses)
{
  g_autoptr(FlyweightPoolStats) stats = flyweight_pool_get_stats (pool);
  guint prop_size, prop_peak;
  guint64 prop_hits, prop_misses;

  g_assert_cmpuint (stats->size, ==, size);
  g_assert_cmpuint (stats->peak, ==, peak);
  g_assert_cmpuint (stats->hits, ==, hits);
  g_assert_cmpuint (stats->misses, ==, misses);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, size);

  g_object_get (pool, "size", &prop_size, "peak", &prop_peak,
                "hits", &prop_hits, "misses", &prop_misses, NULL);
  g_assert_cmpuint (prop_size, ==, size);
  g_assert_cmpuint (prop_peak, ==, peak);
  g_assert_cmpuint (prop_hits, ==, hits);
  g_assert_cmpuint (prop_misses, ==, misses);
}

/* ------------------------------------------------------------------ tests */

static void
test_pool_identity (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokies) a = get_machine (pool, 3, 10);
  g_autoptr(FlyweightPokies) b = get_machine (pool, 3, 10);
  g_autoptr(FlyweightPokies) c = get_machine (pool, 5, 10);
  g_autoptr(FlyweightPokies) d = get_machine (pool, 10, 5);
  g_autoptr(FlyweightPokies) swapped = NULL;
  g_autoptr(FlyweightPokies) defaults = NULL;
  g_autoptr(FlyweightPokies) reels_only = NULL;

  g_assert_true (a == b);
  g_assert_true (a != c);
  g_assert_true (c != d);
  g_assert_true (flyweight_pool_get_item_type (pool) == FLYWEIGHT_TYPE_POKIES_SLOTTED);

  /* Order does not matter; a property not given takes its default, and
   * the default is part of the key. */
  swapped = flyweight_pool_get (pool, &error, "symbols", 10, "reels", 3, NULL);
  g_assert_no_error (error);
  g_assert_true (swapped == a);
  defaults = flyweight_pool_get (pool, &error, NULL);
  g_assert_no_error (error);
  g_assert_true (defaults == a);
  reels_only = flyweight_pool_get (pool, &error, "reels", 3, NULL);
  g_assert_no_error (error);
  g_assert_true (reels_only == a);

  assert_stats (pool, 3, 3, 4, 3);
}

static void
test_pool_with_properties (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(FlyweightPokies) expected = get_machine (pool, 7, 70);
  const char *names[] = { "reels", "symbols" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };
  struct {
    GType    type;
    double   reels;
  } conversions[] = {
    { G_TYPE_UINT, 7 },
    { G_TYPE_INT, 7 },
    { G_TYPE_INT64, 7 },
    { G_TYPE_UINT64, 7 },
    { G_TYPE_LONG, 7 },
    { G_TYPE_ULONG, 7 },
    { G_TYPE_UCHAR, 7 },
    { G_TYPE_CHAR, 7 },
    { G_TYPE_DOUBLE, 7.0 },
    { G_TYPE_FLOAT, 7.0 },
  };

  g_value_init (&values[1], G_TYPE_UINT);
  g_value_set_uint (&values[1], 70);

  /* Any number that converts exactly names the same machine. */
  for (guint i = 0; i < G_N_ELEMENTS (conversions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) machine = NULL;
      g_auto(GValue) number = G_VALUE_INIT;

      g_value_init (&values[0], G_TYPE_DOUBLE);
      g_value_set_double (&values[0], conversions[i].reels);
      g_value_init (&number, conversions[i].type);
      g_assert_true (g_value_transform (&values[0], &number));
      g_value_unset (&values[0]);
      g_value_init (&values[0], conversions[i].type);
      g_value_copy (&number, &values[0]);

      machine = flyweight_pool_get_with_properties (pool, 2, names, values, &error);
      g_assert_no_error (error);
      g_assert_true (machine == (GObject *) expected);
      g_value_unset (&values[0]);
    }

  g_value_unset (&values[1]);
  assert_stats (pool, 1, 1, G_N_ELEMENTS (conversions), 1);
}

static void
test_pool_release (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  FlyweightPokies *a = get_machine (pool, 3, 10);
  FlyweightPokies *b = get_machine (pool, 3, 10);
  FlyweightPokies *c = get_machine (pool, 4, 10);
  GWeakRef watch;

  g_weak_ref_init (&watch, a);
  assert_stats (pool, 2, 2, 1, 2);

  g_object_unref (b);
  g_assert_true (g_weak_ref_get (&watch) == (gpointer) a);
  g_object_unref (a);
  assert_stats (pool, 2, 2, 1, 2);

  /* The last holder lets go: the machine is finalized at once, and its
   * entry leaves the pool with it. */
  g_assert_finalize_object (a);
  g_assert_null (g_weak_ref_get (&watch));
  assert_stats (pool, 1, 2, 1, 2);
  g_weak_ref_clear (&watch);

  g_assert_finalize_object (c);
  assert_stats (pool, 0, 2, 1, 2);

  /* Asked for again, it is built again. */
  a = get_machine (pool, 3, 10);
  assert_stats (pool, 1, 2, 1, 3);
  g_assert_finalize_object (a);
  assert_stats (pool, 0, 2, 1, 3);
}

/* Machines asked for again and again are found without the shard lock:
 * whichever way the pool finds one, it hands out what it would anyway,
 * the same machine while it lives, and a new one once the old one died
 * or lost its weak references, and it counts every hit. */
static void
test_pool_hot (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  FlyweightPokies *held = get_machine (pool, 3, 10);
  FlyweightPokies *other = get_machine (pool, 4, 10);
  FlyweightPokies *again;
  GObject *alive;
  GWeakRef watch;

  for (guint i = 0; i < 20; i++)
    {
      again = get_machine (pool, 3, 10);
      g_assert_true (again == held);
      g_object_unref (again);
      again = get_machine (pool, 4, 10);
      g_assert_true (again == other);
      g_object_unref (again);
    }
  assert_stats (pool, 2, 2, 40, 2);

  /* g_object_run_dispose() clears the weak references of an object on
   * some GLib versions: the pool then builds a new one, as it does for an
   * object that dies, and otherwise keeps handing out the old one. */
  g_weak_ref_init (&watch, held);
  g_object_run_dispose (G_OBJECT (held));
  alive = g_weak_ref_get (&watch);
  again = get_machine (pool, 3, 10);
  if (alive == NULL)
    {
      g_assert_true (again != held);
      assert_stats (pool, 2, 2, 40, 3);
      g_object_unref (again);
    }
  else
    {
      g_assert_true (again == held);
      assert_stats (pool, 2, 2, 41, 2);
      g_object_unref (again);
      g_object_unref (alive);
    }
  g_weak_ref_clear (&watch);

  /* The last holder lets go: the next request builds it again, and the
   * new one is found as the old one was. */
  g_weak_ref_init (&watch, held);
  g_assert_finalize_object (held);
  held = get_machine (pool, 3, 10);
  g_assert_null (g_weak_ref_get (&watch));
  g_weak_ref_clear (&watch);
  for (guint i = 0; i < 20; i++)
    {
      again = get_machine (pool, 3, 10);
      g_assert_true (again == held);
      g_object_unref (again);
    }

  g_assert_finalize_object (held);
  g_assert_finalize_object (other);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 0);
}

static void
test_pool_outlived (void)
{
  FlyweightPool *pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  FlyweightPokies *a = get_machine (pool, 3, 10);
  FlyweightPokies *b = get_machine (pool, 4, 10);

  /* The machines outlive the pool; nothing dangles when they go. */
  g_assert_finalize_object (pool);
  g_assert_cmpuint (flyweight_pokies_get_reels (a), ==, 3);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

static void
test_pool_unknown_property (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  const char *names[] = { "reels", "color\x1b[31m" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };

  object = flyweight_pool_get (pool, &error, "reel", 3, NULL);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==, "“FlyweightPokiesSlotted” has no property “reel”");
  g_clear_error (&error);

  /* A hostile name is quoted, not printed raw. */
  g_value_init (&values[0], G_TYPE_UINT);
  g_value_set_uint (&values[0], 3);
  g_value_init (&values[1], G_TYPE_UINT);
  object = flyweight_pool_get_with_properties (pool, 2, names, values, &error);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_null (strchr (error->message, '\x1b'));
  g_clear_error (&error);

  names[1] = NULL;
  object = flyweight_pool_get_with_properties (pool, 2, names, values, &error);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_clear_error (&error);

  names[1] = "reels";
  object = flyweight_pool_get_with_properties (pool, 2, names, values, &error);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==, "Property “reels” of “FlyweightPokiesSlotted” is given twice");
  g_clear_error (&error);

  g_value_unset (&values[0]);
  g_value_unset (&values[1]);
  assert_stats (pool, 0, 0, 0, 0);
}

/* The variable argument form takes names by pointer, and remembers the
 * pointers it saw: a buffer that is reused for another name, a name that
 * only starts like a property's, or one spelt with “_”, still means what
 * its text says. */
static void
test_pool_varargs_names (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) four = NULL;
  g_autoptr(GObject) twelve = NULL;
  GObject *object;
  char name[16];

  g_strlcpy (name, "reels", sizeof name);
  four = flyweight_pool_get (pool, &error, name, 4, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (four)), ==, 4);
  g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (four)), ==, 10);

  /* The same pointer, another name. */
  g_strlcpy (name, "symbols", sizeof name);
  twelve = flyweight_pool_get (pool, &error, name, 12, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (flyweight_pokies_get_reels (FLYWEIGHT_POKIES (twelve)), ==, 3);
  g_assert_cmpuint (flyweight_pokies_get_symbols (FLYWEIGHT_POKIES (twelve)), ==, 12);

  /* Longer, shorter: no property. */
  g_strlcpy (name, "symbolsx", sizeof name);
  object = flyweight_pool_get (pool, &error, name, 12, NULL);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==, "“FlyweightPokiesSlotted” has no property “symbolsx”");
  g_clear_error (&error);

  g_strlcpy (name, "symbol", sizeof name);
  object = flyweight_pool_get (pool, &error, name, 12, NULL);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_clear_error (&error);

  /* Twice, in either spelling. */
  object = flyweight_pool_get (pool, &error, "reels", 4, "reels", 4, NULL);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==, "Property “reels” of “FlyweightPokiesSlotted” is given twice");
  g_clear_error (&error);

  /* A value out of range, after a good one. */
  object = flyweight_pool_get (pool, &error, "symbols", 12, "reels", 0, NULL);
  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* Hits, again through the same buffer. */
  g_strlcpy (name, "reels", sizeof name);
  object = flyweight_pool_get (pool, &error, "symbols", 10, name, 4, NULL);
  g_assert_no_error (error);
  g_assert_true (object == four);
  g_object_unref (object);

  assert_stats (pool, 2, 2, 1, 2);
}

static void
test_pool_not_construct_only (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (TEST_TYPE_KEYED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = flyweight_pool_get (pool, &error, "label", "x", NULL);

  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==,
                   "Property “label” of “TestKeyed” is not construct-only, so it cannot identify a pooled object");
  assert_stats (pool, 0, 0, 0, 0);
}

static void
test_pool_invalid_values (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  const char *name = "reels";
  struct {
    GType       type;
    gint64      integer;
    double      real;
    const char *string;
    const char *message;
  } cases[] = {
    { G_TYPE_UINT, 0, 0, NULL,
      "Value 0 is out of range for property “reels” of “FlyweightPokiesSlotted”, which takes 1 – 1024" },
    { G_TYPE_UINT, 1025, 0, NULL,
      "Value 1025 is out of range for property “reels” of “FlyweightPokiesSlotted”, which takes 1 – 1024" },
    { G_TYPE_INT, -1, 0, NULL,
      "Value -1 is out of range for property “reels” of “FlyweightPokiesSlotted”, which takes 1 – 1024" },
    { G_TYPE_INT64, G_GINT64_CONSTANT (4294967299), 0, NULL,
      "Value 4294967299 is out of range for property “reels” of “FlyweightPokiesSlotted”, which takes 1 – 1024" },
    { G_TYPE_DOUBLE, 0, 3.5, NULL,
      "Value 3.500000 is not a whole number, and property “reels” of “FlyweightPokiesSlotted” takes a guint" },
    { G_TYPE_STRING, 0, 0, "3",
      "Property “reels” of “FlyweightPokiesSlotted” takes a guint, not a gchararray" },
    { G_TYPE_BOOLEAN, 1, 0, NULL,
      "Property “reels” of “FlyweightPokiesSlotted” takes a guint, not a gboolean" },
    { G_TYPE_POINTER, 0, 0, NULL,
      "Property “reels” of “FlyweightPokiesSlotted” takes a guint, not an empty value" },
    { G_TYPE_INVALID, 0, 0, NULL,
      "Property “reels” of “FlyweightPokiesSlotted” is given no value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) object = NULL;
      GValue value = G_VALUE_INIT;

      if (cases[i].type != G_TYPE_INVALID)
        {
          GValue number = G_VALUE_INIT;

          g_value_init (&value, cases[i].type);
          if (cases[i].type == G_TYPE_STRING)
            g_value_set_static_string (&value, cases[i].string);
          else if (cases[i].type == G_TYPE_DOUBLE)
            g_value_set_double (&value, cases[i].real);
          else if (cases[i].type == G_TYPE_BOOLEAN)
            g_value_set_boolean (&value, TRUE);
          else if (cases[i].type != G_TYPE_POINTER)
            {
              g_value_init (&number, G_TYPE_INT64);
              g_value_set_int64 (&number, cases[i].integer);
              g_value_transform (&number, &value);
              g_value_unset (&number);
            }
        }

      g_test_message ("case %u: %s", i, cases[i].message);
      object = flyweight_pool_get_with_properties (pool, 1, &name, &value, &error);
      g_assert_null (object);
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);

      if (G_IS_VALUE (&value))
        g_value_unset (&value);
    }

  /* The C form refuses out-of-range values too, where g_object_new()
   * would warn and build a 3 × 10 machine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GObject) object = flyweight_pool_get (pool, &error, "symbols", 0, NULL);

    g_assert_null (object);
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  }

  /* Nothing was constructed for any of them. */
  assert_stats (pool, 0, 0, 0, 0);
}

static void
test_pool_not_poolable (void)
{
  struct {
    GType       type;
    const char *message;
  } cases[] = {
    { FLYWEIGHT_TYPE_POKIES_DYNAMIC,
      "“FlyweightPokiesDynamic” cannot be pooled: its attributes can change at any time, "
      "so every holder of a shared machine would see the others’ attributes" },
    { FLYWEIGHT_TYPE_POKIES,
      "“FlyweightPokies” is abstract: it has no instances to share" },
    { TEST_TYPE_MUTABLE,
      "“TestMutable” cannot be pooled: its property “colour” can change after construction, "
      "so one holder’s change would show up in every other holder’s object" },
    { TEST_TYPE_BOXED_KEY,
      "Property “names” of “TestBoxedKey” holds a GStrv, which a pool cannot compare" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FlyweightPool) pool = flyweight_pool_new (cases[i].type);
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) object = flyweight_pool_get (pool, &error, NULL);
      g_autoptr(FlyweightPoolStats) stats = NULL;

      g_assert_null (object);
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);

      object = flyweight_pool_get_with_properties (pool, 0, NULL, NULL, &error);
      g_assert_null (object);
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE);

      stats = flyweight_pool_get_stats (pool);
      g_assert_cmpuint (stats->size, ==, 0);
      flyweight_pool_set_keep_alive (pool, 4);
      g_assert_cmpuint (flyweight_pool_get_keep_alive (pool), ==, 0);
    }
}

static void
test_pool_not_an_object_type (void)
{
  if (g_test_subprocess ())
    {
      g_assert_null (flyweight_pool_new (G_TYPE_STRV));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*g_type_is_a (item_type, G_TYPE_OBJECT)*");
}

static void
test_pool_every_kind (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (TEST_TYPE_KEYED);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) other_owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_autofree char *name = g_strdup ("machine");
  g_autoptr(TestKeyed) a = NULL;
  g_autoptr(TestKeyed) b = NULL;
  g_autoptr(TestKeyed) c = NULL;
  g_autoptr(TestKeyed) d = NULL;
  g_autoptr(TestKeyed) e = NULL;
  g_autoptr(TestKeyed) plain = NULL;
  g_autoptr(TestKeyed) nameless = NULL;
  g_autoptr(TestKeyed) empty_name = NULL;

  a = flyweight_pool_get (pool, &error,
                          "name", "machine", "size", -3, "ratio", 0.25, "flag", TRUE,
                          "mode", FLYWEIGHT_ERROR_READ_ONLY, "big", G_GINT64_CONSTANT (1) << 40,
                          "initial", 'q', "owner", owner, "scale", 0.5f,
                          "kind", G_TYPE_STRING, "flags", G_BINDING_SYNC_CREATE,
                          NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "machine");
  g_assert_cmpint (a->size, ==, -3);
  g_assert_cmpfloat (a->ratio, ==, 0.25);
  g_assert_true (a->flag);
  g_assert_cmpint (a->mode, ==, FLYWEIGHT_ERROR_READ_ONLY);
  g_assert_cmpint (a->big, ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_cmpint (a->initial, ==, 'q');
  g_assert_true (a->owner == owner);
  g_assert_cmpfloat (a->scale, ==, 0.5f);
  g_assert_true (a->kind == G_TYPE_STRING);
  g_assert_cmpuint (a->flags, ==, G_BINDING_SYNC_CREATE);

  /* An equal string in another buffer, in another order. */
  b = flyweight_pool_get (pool, &error,
                          "flags", G_BINDING_SYNC_CREATE, "kind", G_TYPE_STRING, "scale", 0.5f,
                          "owner", owner, "initial", 'q', "big", G_GINT64_CONSTANT (1) << 40,
                          "mode", FLYWEIGHT_ERROR_READ_ONLY, "flag", TRUE, "ratio", 0.25,
                          "size", -3, "name", name,
                          NULL);
  g_assert_no_error (error);
  g_assert_true (a == b);

  /* Objects are compared by identity. */
  c = flyweight_pool_get (pool, &error,
                          "flags", G_BINDING_SYNC_CREATE, "kind", G_TYPE_STRING, "scale", 0.5f,
                          "owner", other_owner, "initial", 'q', "big", G_GINT64_CONSTANT (1) << 40,
                          "mode", FLYWEIGHT_ERROR_READ_ONLY, "flag", TRUE, "ratio", 0.25,
                          "size", -3, "name", name,
                          NULL);
  g_assert_no_error (error);
  g_assert_true (a != c);

  /* Every property is part of the key. */
  d = flyweight_pool_get (pool, &error, "name", "machine", NULL);
  g_assert_no_error (error);
  g_assert_true (d != a);
  e = flyweight_pool_get (pool, &error, "name", "machine", "flag", FALSE, NULL);
  g_assert_no_error (error);
  g_assert_true (d == e);

  /* Defaults: "anon"; NULL and "" are keys of their own. */
  plain = flyweight_pool_get (pool, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (plain->name, ==, "anon");
  nameless = flyweight_pool_get (pool, &error, "name", NULL, NULL);
  g_assert_no_error (error);
  g_assert_null (nameless->name);
  empty_name = flyweight_pool_get (pool, &error, "name", "", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (empty_name->name, ==, "");
  g_assert_true (plain != nameless && nameless != empty_name && plain != empty_name);

  /* A value of an enumeration outside the enumeration is refused. */
  {
    g_autoptr(GObject) object = flyweight_pool_get (pool, &error, "mode", 99, NULL);

    g_assert_null (object);
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }

  assert_stats (pool, 6, 6, 2, 6);

  /* The pool's key holds its own reference on the owner, and gives it
   * back with the entry. */
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);
  g_assert_finalize_object (g_steal_pointer (&owner));
}

static void
test_pool_keep_alive (void)
{
  g_autoptr(FlyweightPool) pool = g_object_new (FLYWEIGHT_TYPE_POOL,
                                                "item-type", FLYWEIGHT_TYPE_POKIES_SLOTTED,
                                                "keep-alive", 2,
                                                NULL);
  g_autoptr(FlyweightPoolStats) stats = NULL;
  FlyweightPokies *a = get_machine (pool, 1, 10);
  FlyweightPokies *again;
  GWeakRef watch;
  guint kept;

  g_assert_cmpuint (flyweight_pool_get_keep_alive (pool), ==, 2);
  g_weak_ref_init (&watch, a);

  /* Released, but kept: asking again is a hit, with the same machine. */
  g_object_unref (a);
  again = get_machine (pool, 1, 10);
  g_assert_true (again == a);
  g_object_unref (again);
  assert_stats (pool, 1, 1, 1, 1);
  g_object_get (pool, "kept", &kept, NULL);
  g_assert_cmpuint (kept, ==, 1);

  /* Two newer machines push it out, and it goes. */
  g_object_unref (get_machine (pool, 2, 10));
  g_object_unref (get_machine (pool, 3, 10));
  g_assert_null (g_weak_ref_get (&watch));
  g_weak_ref_clear (&watch);
  stats = flyweight_pool_get_stats (pool);
  g_assert_cmpuint (stats->size, ==, 2);
  g_assert_cmpuint (stats->kept, ==, 2);
  g_assert_cmpuint (stats->keep_alive, ==, 2);

  /* Shrinking lets the oldest go at once; zero lets everything go. */
  flyweight_pool_set_keep_alive (pool, 1);
  assert_stats (pool, 1, 3, 1, 3);
  g_object_set (pool, "keep-alive", 0, NULL);
  assert_stats (pool, 0, 3, 1, 3);
  g_clear_pointer (&stats, flyweight_pool_stats_free);
  stats = flyweight_pool_get_stats (pool);
  g_assert_cmpuint (stats->kept, ==, 0);
  g_assert_cmpuint (stats->keep_alive, ==, 0);

  /* A machine somebody holds stays when the keep-alive lets go. */
  flyweight_pool_set_keep_alive (pool, 1);
  a = get_machine (pool, 1, 10);
  flyweight_pool_set_keep_alive (pool, 0);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 1);
  g_assert_finalize_object (a);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 0);

  /* Disposing the pool lets its kept machines go. */
  flyweight_pool_set_keep_alive (pool, 4);
  a = get_machine (pool, 1, 10);
  g_weak_ref_init (&watch, a);
  g_object_unref (a);
  g_assert_nonnull (a = g_weak_ref_get (&watch));
  g_object_unref (a);
  g_clear_object (&pool);
  g_assert_null (g_weak_ref_get (&watch));
  g_weak_ref_clear (&watch);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_pool_keep_alive_notify (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  guint notified = 0;

  g_signal_connect (pool, "notify::keep-alive", G_CALLBACK (count_notify_cb), &notified);

  flyweight_pool_set_keep_alive (pool, 8);
  g_assert_cmpuint (notified, ==, 1);
  flyweight_pool_set_keep_alive (pool, 8);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (pool, "keep-alive", 0, NULL);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_pool_stats_boxed (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (FLYWEIGHT_TYPE_POKIES_SLOTTED);
  g_autoptr(FlyweightPokies) a = get_machine (pool, 3, 10);
  g_autoptr(FlyweightPoolStats) stats = flyweight_pool_get_stats (pool);
  g_autoptr(FlyweightPoolStats) copy = flyweight_pool_stats_copy (stats);
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (FLYWEIGHT_IS_POKIES (a));
  g_assert_true (copy != stats);
  g_assert_cmpmem (copy, sizeof *copy, stats, sizeof *stats);
  g_assert_cmpuint (copy->misses, ==, 1);

  g_value_init (&value, FLYWEIGHT_TYPE_POOL_STATS);
  g_value_set_boxed (&value, stats);
  g_assert_cmpuint (((FlyweightPoolStats *) g_value_get_boxed (&value))->size, ==, 1);
}

static void
test_pool_plain_object (void)
{
  /* A type with no construct-only property has one identity: a pool of
   * it hands out a single shared instance. */
  g_autoptr(FlyweightPool) pool = g_object_new (FLYWEIGHT_TYPE_POOL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) a = flyweight_pool_get (pool, &error, NULL);
  g_autoptr(GObject) b = flyweight_pool_get_with_properties (pool, 0, NULL, NULL, &error);
  GType item_type;

  g_assert_no_error (error);
  g_object_get (pool, "item-type", &item_type, NULL);
  g_assert_true (item_type == G_TYPE_OBJECT);
  g_assert_true (G_OBJECT_TYPE (a) == G_TYPE_OBJECT);
  g_assert_true (a == b);
}

static void
test_pool_floating (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (TEST_TYPE_FLOATING);
  GObject *a = flyweight_pool_get (pool, NULL, NULL);
  GObject *b = flyweight_pool_get (pool, NULL, NULL);

  g_assert_true (a == b);
  g_assert_false (g_object_is_floating (a));
  g_object_unref (b);
  g_assert_finalize_object (a);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 0);
}

static void
test_pool_singleton_constructor (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (TEST_TYPE_SINGLETON);
  GObject *a = flyweight_pool_get (pool, NULL, "shade", 1, NULL);
  GObject *b = flyweight_pool_get (pool, NULL, "shade", 2, NULL);
  GObject *c = flyweight_pool_get (pool, NULL, "shade", 1, NULL);

  /* The constructor's one instance is pooled once, under the first key. */
  g_assert_true (a == the_singleton);
  g_assert_true (b == a && c == a);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 1);
  g_object_unref (c);
  g_object_unref (b);
  g_assert_finalize_object (a);
  g_assert_null (the_singleton);
  g_assert_cmpuint (flyweight_pool_get_size (pool), ==, 0);
}

static void
test_pool_nested_construction (void)
{
  g_autoptr(GError) error = NULL;
  TestNested *top;
  TestNested *middle;

  nested_pool = flyweight_pool_new (TEST_TYPE_NESTED);
  top = flyweight_pool_get (nested_pool, &error, "depth", 3, NULL);
  g_assert_no_error (error);
  middle = flyweight_pool_get (nested_pool, &error, "depth", 2, NULL);
  g_assert_no_error (error);
  g_assert_true ((GObject *) middle == top->inner);
  g_assert_cmpuint (flyweight_pool_get_size (nested_pool), ==, 4);

  g_object_unref (middle);
  g_assert_finalize_object (top);
  g_assert_cmpuint (flyweight_pool_get_size (nested_pool), ==, 0);
  g_clear_object (&nested_pool);
}

/* A request for the key of an object that is being disposed gets a new
 * object, never the dying one; the dying one's entry, replaced, leaves
 * when it is finalized, and the new one's stays. */
static void
test_pool_dying (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GObject *first;
  GObject *again;

  resurrect = GPOINTER_TO_INT (data);
  asked = FALSE;
  dying_pool = flyweight_pool_new (TEST_TYPE_DYING);
  first = flyweight_pool_get (dying_pool, &error, "id", 4, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  if (resurrect)
    g_object_unref (first);
  else
    g_assert_finalize_object (first);

  g_assert_nonnull (asked_while_dying);
  g_assert_true (asked_while_dying != first);
  g_assert_true (resurrected == (resurrect ? first : NULL));
  g_assert_cmpuint (flyweight_pool_get_size (dying_pool), ==, 1);

  /* The pool hands out the new object, not the one dispose() revived. */
  again = flyweight_pool_get (dying_pool, &error, "id", 4, NULL);
  g_assert_no_error (error);
  g_assert_true (again == asked_while_dying);
  g_object_unref (again);
  assert_stats (dying_pool, 1, 1, 1, 2);

  if (resurrect)
    {
      /* Disposed once: finalized at the next release, without asking. */
      g_assert_finalize_object (g_steal_pointer (&resurrected));
      g_assert_cmpuint (flyweight_pool_get_size (dying_pool), ==, 1);
    }

  g_assert_finalize_object (g_steal_pointer (&asked_while_dying));
  g_assert_cmpuint (flyweight_pool_get_size (dying_pool), ==, 0);
  g_clear_object (&dying_pool);
}

static void
test_pool_broken_constructor (void)
{
  g_autoptr(FlyweightPool) pool = flyweight_pool_new (TEST_TYPE_BROKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_CRITICAL, "*returned NULL*");
  object = flyweight_pool_get (pool, &error, NULL);
  g_test_assert_expected_messages ();

  g_assert_null (object);
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Constructing a “TestBroken” failed");
  assert_stats (pool, 0, 0, 0, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/identity", test_pool_identity);
  g_test_add_func ("/pool/with-properties", test_pool_with_properties);
  g_test_add_func ("/pool/release", test_pool_release);
  g_test_add_func ("/pool/hot", test_pool_hot);
  g_test_add_func ("/pool/outlived", test_pool_outlived);
  g_test_add_func ("/pool/unknown-property", test_pool_unknown_property);
  g_test_add_func ("/pool/varargs-names", test_pool_varargs_names);
  g_test_add_func ("/pool/not-construct-only", test_pool_not_construct_only);
  g_test_add_func ("/pool/invalid-values", test_pool_invalid_values);
  g_test_add_func ("/pool/not-poolable", test_pool_not_poolable);
  g_test_add_func ("/pool/not-an-object-type", test_pool_not_an_object_type);
  g_test_add_func ("/pool/every-kind", test_pool_every_kind);
  g_test_add_func ("/pool/keep-alive", test_pool_keep_alive);
  g_test_add_func ("/pool/keep-alive-notify", test_pool_keep_alive_notify);
  g_test_add_func ("/pool/stats-boxed", test_pool_stats_boxed);
  g_test_add_func ("/pool/plain-object", test_pool_plain_object);
  g_test_add_func ("/pool/floating", test_pool_floating);
  g_test_add_func ("/pool/singleton-constructor", test_pool_singleton_constructor);
  g_test_add_func ("/pool/nested-construction", test_pool_nested_construction);
  g_test_add_func ("/pool/broken-constructor", test_pool_broken_constructor);
  g_test_add_data_func ("/pool/dying", GINT_TO_POINTER (FALSE), test_pool_dying);
  g_test_add_data_func ("/pool/dying-resurrected", GINT_TO_POINTER (TRUE), test_pool_dying);

  return g_test_run ();
}
