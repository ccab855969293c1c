/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Building machines: constructors, properties, defaults, and ranges. */

#include <flyweight.h>

typedef FlyweightPokies *(*Constructor) (guint, guint, GError **);

static FlyweightPokies *
new_dynamic (guint reels, guint symbols, GError **error)
{
  return FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, error));
}

static FlyweightPokies *
new_slotted (guint reels, guint symbols, GError **error)
{
  return FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, error));
}

static const struct {
  const char *name;
  Constructor construct;
} constructors[] = {
  { "dynamic", new_dynamic },
  { "slotted", new_slotted },
};

static void
test_constructor_ranges (void)
{
  const guint bad[][2] = {
    { 0, 10 },
    { 3, 0 },
    { 0, 0 },
    { FLYWEIGHT_POKIES_MAX_REELS + 1, 10 },
    { 3, FLYWEIGHT_POKIES_MAX_SYMBOLS + 1 },
    { G_MAXUINT, 10 },
    { 3, G_MAXUINT },
  };
  const guint good[][2] = {
    { 1, 1 },
    { 3, 10 },
    { FLYWEIGHT_POKIES_MAX_REELS, FLYWEIGHT_POKIES_MAX_SYMBOLS },
  };

  for (guint c = 0; c < G_N_ELEMENTS (constructors); c++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
        {
          g_autoptr(GError) error = NULL;
          FlyweightPokies *machine = constructors[c].construct (bad[i][0], bad[i][1], &error);

          g_assert_null (machine);
          g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
          g_test_message ("%s (%u, %u): %s", constructors[c].name, bad[i][0], bad[i][1], error->message);
        }

      for (guint i = 0; i < G_N_ELEMENTS (good); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(FlyweightPokies) machine = constructors[c].construct (good[i][0], good[i][1], &error);

          g_assert_no_error (error);
          g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, good[i][0]);
          g_assert_cmpuint (flyweight_pokies_get_symbols (machine), ==, good[i][1]);
        }
    }
}

static void
test_properties (void)
{
  const GType types[] = { FLYWEIGHT_TYPE_POKIES_DYNAMIC, FLYWEIGHT_TYPE_POKIES_SLOTTED };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(FlyweightPokies) defaults = g_object_new (types[i], NULL);
      g_autoptr(FlyweightPokies) built = g_object_new (types[i], "symbols", 7, "reels", 5, NULL);
      g_autoptr(FlyweightPokies) only_symbols = g_object_new (types[i], "symbols", 4, NULL);
      guint reels = 0, symbols = 0;

      g_assert_cmpuint (flyweight_pokies_get_reels (defaults), ==, 3);
      g_assert_cmpuint (flyweight_pokies_get_symbols (defaults), ==, 10);

      g_object_get (built, "reels", &reels, "symbols", &symbols, NULL);
      g_assert_cmpuint (reels, ==, 5);
      g_assert_cmpuint (symbols, ==, 7);
      g_assert_cmpuint (flyweight_pokies_get_reels (built), ==, 5);

      g_assert_cmpuint (flyweight_pokies_get_reels (only_symbols), ==, 3);
      g_assert_cmpuint (flyweight_pokies_get_symbols (only_symbols), ==, 4);

      if (types[i] == FLYWEIGHT_TYPE_POKIES_DYNAMIC)
        {
          g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (only_symbols));
          g_autofree char *printed = g_variant_print (dict, FALSE);

          /* reels stays first even when only symbols was given. */
          g_assert_cmpstr (printed, ==, "{'reels': <uint32 3>, 'symbols': <uint32 4>}");
        }
    }
}

/* g_object_new() refuses an out-of-range property with a warning and keeps
 * the default, so no machine is ever out of range. */
static void
test_properties_out_of_range (gconstpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);

  if (g_test_subprocess ())
    {
      g_autoptr(FlyweightPokies) machine = NULL;

      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      machine = g_object_new (type, "reels", 0, "symbols", FLYWEIGHT_POKIES_MAX_SYMBOLS + 1, NULL);
      g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, 3);
      g_assert_cmpuint (flyweight_pokies_get_symbols (machine), ==, 10);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*out of range*reels*");
}

static void
test_read_only_after_construction (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));

      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_object_set (machine, "reels", 5, NULL);
      g_assert_cmpuint (flyweight_pokies_get_reels (machine), ==, 3);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*construct*reels*");
}

/* The smallest GObject with the same two fields: what PokiesSlotted
 * must not exceed. */
typedef struct
{
  GObject parent_instance;
  guint reels;
  guint symbols;
} FloorPokies;

typedef struct
{
  GObjectClass parent_class;
} FloorPokiesClass;

static GType floor_pokies_get_type (void);
G_DEFINE_TYPE (FloorPokies, floor_pokies, G_TYPE_OBJECT)

static void
floor_pokies_class_init (FloorPokiesClass *klass)
{
}

static void
floor_pokies_init (FloorPokies *self)
{
}

static void
test_slotted_at_gobject_floor (void)
{
  GTypeQuery slotted, floor;

  g_type_query (FLYWEIGHT_TYPE_POKIES_SLOTTED, &slotted);
  g_type_query (floor_pokies_get_type (), &floor);

  g_assert_cmpuint (slotted.instance_size, ==, floor.instance_size);
}

static void
test_type_hierarchy (void)
{
  g_autoptr(GEnumClass) error_class = g_type_class_ref (FLYWEIGHT_TYPE_ERROR);

  g_assert_true (G_TYPE_IS_ABSTRACT (FLYWEIGHT_TYPE_POKIES));
  g_assert_true (G_TYPE_IS_FINAL (FLYWEIGHT_TYPE_POKIES_DYNAMIC));
  g_assert_true (G_TYPE_IS_FINAL (FLYWEIGHT_TYPE_POKIES_SLOTTED));
  g_assert_true (g_type_is_a (FLYWEIGHT_TYPE_POKIES_DYNAMIC, FLYWEIGHT_TYPE_POKIES));
  g_assert_true (g_type_is_a (FLYWEIGHT_TYPE_POKIES_SLOTTED, FLYWEIGHT_TYPE_POKIES));
  g_assert_true (G_TYPE_IS_ENUM (FLYWEIGHT_TYPE_ERROR));
  g_assert_cmpstr (g_enum_get_value (error_class, FLYWEIGHT_ERROR_NO_ATTRIBUTE)->value_nick,
                   ==, "no-attribute");
  g_assert_cmpstr (g_quark_to_string (FLYWEIGHT_ERROR), ==, "flyweight-error-quark");
}

/* Checked by the preprocessor too, where availability macros use them. */
#if !FLYWEIGHT_CHECK_VERSION (1, 0, 0) || FLYWEIGHT_VERSION < FLYWEIGHT_VERSION_1_0
# error "the version is older than 1.0, or encoded differently from FLYWEIGHT_VERSION_1_0"
#endif
#if FLYWEIGHT_VERSION_MIN_REQUIRED > FLYWEIGHT_VERSION || FLYWEIGHT_VERSION_MAX_ALLOWED < FLYWEIGHT_VERSION_1_0
# error "the default availability range does not contain this version"
#endif

/* One encoding for every version macro: a comparison between any two of
 * them means what it says. */
static void
test_version (void)
{
  g_assert_cmpuint (FLYWEIGHT_VERSION_1_0, ==, FLYWEIGHT_ENCODE_VERSION (1, 0, 0));
  g_assert_cmpuint (FLYWEIGHT_VERSION_1_0, ==, G_ENCODE_VERSION (1, 0));
  g_assert_cmpuint (FLYWEIGHT_VERSION, >=, FLYWEIGHT_VERSION_1_0);
  g_assert_cmpuint (FLYWEIGHT_VERSION, <, FLYWEIGHT_ENCODE_VERSION (FLYWEIGHT_MAJOR_VERSION + 1, 0, 0));
  g_assert_cmpuint (FLYWEIGHT_VERSION, <, FLYWEIGHT_ENCODE_VERSION (FLYWEIGHT_MAJOR_VERSION,
                                                                   FLYWEIGHT_MINOR_VERSION + 1, 0));
  g_assert_cmpuint (FLYWEIGHT_ENCODE_VERSION (1, 0, 255), <, FLYWEIGHT_ENCODE_VERSION (1, 1, 0));
  g_assert_cmpuint (FLYWEIGHT_ENCODE_VERSION (1, 255, 0), <, FLYWEIGHT_ENCODE_VERSION (2, 0, 0));
  g_assert_cmpuint (FLYWEIGHT_VERSION_MIN_REQUIRED, <=, FLYWEIGHT_VERSION);
  g_assert_cmpuint (FLYWEIGHT_VERSION_MAX_ALLOWED, >=, FLYWEIGHT_VERSION_MIN_REQUIRED);
  g_assert_false (FLYWEIGHT_CHECK_VERSION (FLYWEIGHT_MAJOR_VERSION, FLYWEIGHT_MINOR_VERSION,
                                           FLYWEIGHT_MICRO_VERSION + 1));
  g_assert_false (FLYWEIGHT_CHECK_VERSION (FLYWEIGHT_MAJOR_VERSION, FLYWEIGHT_MINOR_VERSION + 1, 0));
  g_assert_true (FLYWEIGHT_CHECK_VERSION (0, 99, 99));
  {
    g_autofree char *parts = g_strdup_printf ("%d.%d.%d", FLYWEIGHT_MAJOR_VERSION,
                                              FLYWEIGHT_MINOR_VERSION, FLYWEIGHT_MICRO_VERSION);

    g_assert_cmpstr (FLYWEIGHT_VERSION_S, ==, parts);
  }

  g_assert_true (FLYWEIGHT_CHECK_VERSION (1, 0, 0));
  g_assert_true (FLYWEIGHT_CHECK_VERSION (FLYWEIGHT_MAJOR_VERSION, FLYWEIGHT_MINOR_VERSION, FLYWEIGHT_MICRO_VERSION));
  g_assert_false (FLYWEIGHT_CHECK_VERSION (FLYWEIGHT_MAJOR_VERSION + 1, 0, 0));
  g_assert_cmpuint (FLYWEIGHT_VERSION, ==, FLYWEIGHT_ENCODE_VERSION (FLYWEIGHT_MAJOR_VERSION,
                                                                    FLYWEIGHT_MINOR_VERSION,
                                                                    FLYWEIGHT_MICRO_VERSION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/construction/constructor-ranges", test_constructor_ranges);
  g_test_add_func ("/construction/properties", test_properties);
  g_test_add_data_func ("/construction/properties-out-of-range/dynamic",
                        GSIZE_TO_POINTER (FLYWEIGHT_TYPE_POKIES_DYNAMIC), test_properties_out_of_range);
  g_test_add_data_func ("/construction/properties-out-of-range/slotted",
                        GSIZE_TO_POINTER (FLYWEIGHT_TYPE_POKIES_SLOTTED), test_properties_out_of_range);
  g_test_add_func ("/construction/read-only-after-construction", test_read_only_after_construction);
  g_test_add_func ("/construction/slotted-at-gobject-floor", test_slotted_at_gobject_floor);
  g_test_add_func ("/construction/type-hierarchy", test_type_hierarchy);
  g_test_add_func ("/construction/version", test_version);

  return g_test_run ();
}
