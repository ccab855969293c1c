/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The attribute protocol on both machines: values of every kind, the
 * naming rule, every error, and that a failed call changes nothing. */

#include <string.h>

#include <flyweight.h>

static char *
snapshot (FlyweightPokies *machine)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (machine);
  GString *out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *contents = NULL;

      g_assert_true (flyweight_pokies_get_attr (machine, names[i], &value, &error));
      g_assert_no_error (error);
      contents = g_strdup_value_contents (&value);
      g_string_append_printf (out, "%s=%s:%s;", names[i], G_VALUE_TYPE_NAME (&value), contents);
    }

  if (FLYWEIGHT_IS_POKIES_DYNAMIC (machine))
    {
      g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
      g_autofree char *printed = g_variant_print (dict, TRUE);

      g_string_append (out, printed);
    }

  return g_string_free (out, FALSE);
}

static void
set_string (FlyweightPokies *machine,
            const char      *name,
            const char      *string)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);
  g_assert_true (flyweight_pokies_set_attr (machine, name, &value, &error));
  g_assert_no_error (error);
}

static void
test_dynamic_value_types (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(FlyweightRandom) object = flyweight_random_new (1);
  const char * const strv[] = { "cherry", "bell", NULL };
  struct {
    const char *name;
    GType type;
  } cases[] = {
    { "flag", G_TYPE_BOOLEAN },
    { "small", G_TYPE_CHAR },
    { "byte", G_TYPE_UCHAR },
    { "count", G_TYPE_INT },
    { "ucount", G_TYPE_UINT },
    { "long_count", G_TYPE_LONG },
    { "big", G_TYPE_INT64 },
    { "ubig", G_TYPE_UINT64 },
    { "ratio", G_TYPE_FLOAT },
    { "odds", G_TYPE_DOUBLE },
    { "owner", G_TYPE_STRING },
    { "nothing", G_TYPE_STRING },
    { "reel_names", G_TYPE_STRV },
    { "payload", G_TYPE_VARIANT },
    { "kind", G_TYPE_GTYPE },
    { "last_error", FLYWEIGHT_TYPE_ERROR },
    { "random", G_TYPE_OBJECT },
    { "no_object", G_TYPE_OBJECT },
  };
  g_autoptr(GVariant) dict = NULL;
  g_autofree char *printed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GValue) value = G_VALUE_INIT;
      GValue read = G_VALUE_INIT;

      g_value_init (&value, cases[i].type);
      switch (G_TYPE_FUNDAMENTAL (cases[i].type))
        {
        case G_TYPE_BOOLEAN: g_value_set_boolean (&value, TRUE); break;
        case G_TYPE_CHAR: g_value_set_schar (&value, -5); break;
        case G_TYPE_UCHAR: g_value_set_uchar (&value, 250); break;
        case G_TYPE_INT: g_value_set_int (&value, -42); break;
        case G_TYPE_UINT: g_value_set_uint (&value, 42); break;
        case G_TYPE_LONG: g_value_set_long (&value, -7); break;
        case G_TYPE_INT64: g_value_set_int64 (&value, G_MININT64); break;
        case G_TYPE_UINT64: g_value_set_uint64 (&value, G_MAXUINT64); break;
        case G_TYPE_FLOAT: g_value_set_float (&value, 0.5f); break;
        case G_TYPE_DOUBLE: g_value_set_double (&value, 0.125); break;
        case G_TYPE_ENUM: g_value_set_enum (&value, FLYWEIGHT_ERROR_READ_ONLY); break;
        case G_TYPE_STRING:
          g_value_set_string (&value, strcmp (cases[i].name, "owner") == 0 ? "Aristocrat" : NULL);
          break;
        case G_TYPE_VARIANT: g_value_set_variant (&value, g_variant_new_int32 (7)); break;
        case G_TYPE_OBJECT:
          g_value_set_object (&value, strcmp (cases[i].name, "random") == 0 ? object : NULL);
          break;
        default:
          if (cases[i].type == G_TYPE_STRV)
            g_value_set_boxed (&value, strv);
          else if (cases[i].type == G_TYPE_GTYPE)
            g_value_set_gtype (&value, FLYWEIGHT_TYPE_POKIES_SLOTTED);
          else
            g_assert_not_reached ();
        }

      g_assert_true (flyweight_pokies_set_attr (machine, cases[i].name, &value, &error));
      g_assert_no_error (error);

      g_assert_true (flyweight_pokies_get_attr (machine, cases[i].name, &read, &error));
      g_assert_no_error (error);
      g_assert_cmpint (G_VALUE_TYPE (&read), ==, cases[i].type);
      {
        g_autofree char *expected = g_strdup_value_contents (&value);
        g_autofree char *actual = g_strdup_value_contents (&read);

        g_assert_cmpstr (actual, ==, expected);
      }
      g_value_unset (&read);
    }

  dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  g_assert_true (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (dict), ==, 2 + G_N_ELEMENTS (cases));
  printed = g_variant_print (dict, FALSE);
  g_assert_nonnull (strstr (printed, "'owner': <'Aristocrat'>"));
  g_assert_nonnull (strstr (printed, "'nothing': <@ms nothing>"));
  g_assert_nonnull (strstr (printed, "'reel_names': <['cherry', 'bell']>"));
  g_assert_nonnull (strstr (printed, "'payload': <<7>>"));
  g_assert_nonnull (strstr (printed, "'kind': <'FlyweightPokiesSlotted'>"));
  g_assert_nonnull (strstr (printed, "'big': <int64 -9223372036854775808>"));
  g_assert_nonnull (strstr (printed, "'random': <'<FlyweightRandom at 0x"));
  g_assert_nonnull (strstr (printed, "'no_object': <@ms nothing>"));
}

static void
test_dynamic_replace_keeps_order (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (5, 20, NULL));
  g_autoptr(GVariant) dict = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) number = G_VALUE_INIT;
  g_auto(GStrv) names = NULL;
  const char * const sorted[] = { "Zone", "alpha", "owner", "reels", "symbols", "zeta", NULL };

  set_string (machine, "owner", "Aristocrat");
  set_string (machine, "zeta", "z");
  set_string (machine, "alpha", "a");
  set_string (machine, "Zone", "Z");

  /* Replacing with another type keeps the place in insertion order. */
  g_value_init (&number, G_TYPE_INT);
  g_value_set_int (&number, 7);
  g_assert_true (flyweight_pokies_set_attr (machine, "owner", &number, &error));
  g_assert_no_error (error);

  dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  printed = g_variant_print (dict, FALSE);
  g_assert_cmpstr (printed, ==,
                   "{'reels': <uint32 5>, 'symbols': <uint32 20>, 'owner': <7>, "
                   "'zeta': <'z'>, 'alpha': <'a'>, 'Zone': <'Z'>}");

  names = flyweight_pokies_list_attrs (machine);
  g_assert_cmpstrv (names, sorted);

  g_assert_true (flyweight_pokies_has_attr (machine, "alpha"));
  g_assert_true (flyweight_pokies_has_attr (machine, "reels"));
  g_assert_false (flyweight_pokies_has_attr (machine, "beta"));
  g_assert_false (flyweight_pokies_has_attr (machine, ""));
  g_assert_false (flyweight_pokies_has_attr (machine, "__dict__"));

  g_assert_true (flyweight_pokies_del_attr (machine, "zeta", &error));
  g_assert_no_error (error);
  g_assert_false (flyweight_pokies_has_attr (machine, "zeta"));
  set_string (machine, "zeta", "again");
  g_clear_pointer (&dict, g_variant_unref);
  g_clear_pointer (&printed, g_free);
  dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  printed = g_variant_print (dict, FALSE);
  g_assert_cmpstr (printed, ==,
                   "{'reels': <uint32 5>, 'symbols': <uint32 20>, 'owner': <7>, "
                   "'alpha': <'a'>, 'Zone': <'Z'>, 'zeta': <'again'>}");
}

static void
test_dynamic_object_lifetime (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  FlyweightRandom *first = flyweight_random_new (1);
  FlyweightRandom *second = flyweight_random_new (2);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, FLYWEIGHT_TYPE_RANDOM);
  g_value_set_object (&value, first);
  g_assert_true (flyweight_pokies_set_attr (machine, "random", &value, &error));
  g_value_set_object (&value, second);
  g_assert_true (flyweight_pokies_set_attr (machine, "other", &value, &error));
  g_value_reset (&value);
  g_assert_no_error (error);

  /* Replacing drops the table's reference to the old value. */
  set_string (machine, "random", "gone");
  g_assert_finalize_object (first);

  /* So does deleting. */
  g_assert_true (flyweight_pokies_del_attr (machine, "other", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (second);
}

static void
test_dynamic_finalize_releases_values (void)
{
  FlyweightPokies *machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  FlyweightRandom *value_object = flyweight_random_new (1);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, value_object);
  g_assert_true (flyweight_pokies_set_attr (machine, "random", &value, NULL));
  g_value_unset (&value);

  g_assert_finalize_object (machine);
  g_assert_finalize_object (value_object);
}

static void
test_get_attr_value_converts (void)
{
  g_autoptr(FlyweightPokies) slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (4, 12, NULL));
  g_autoptr(FlyweightPokies) dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (4, 12, NULL));
  g_autoptr(FlyweightRandom) object = flyweight_random_new (1);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) as_uint64 = G_VALUE_INIT;
  g_auto(GValue) as_string = G_VALUE_INIT;
  g_auto(GValue) as_int = G_VALUE_INIT;
  g_auto(GValue) object_value = G_VALUE_INIT;
  g_auto(GValue) as_stored = G_VALUE_INIT;

  /* A zero-filled value takes the attribute's own type. */
  g_assert_true (flyweight_pokies_get_attr (dynamic, "reels", &as_stored, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_HOLDS_UINT (&as_stored));
  g_assert_cmpuint (g_value_get_uint (&as_stored), ==, 4);

  g_value_init (&as_uint64, G_TYPE_UINT64);
  g_assert_true (flyweight_pokies_get_attr (slotted, "reels", &as_uint64, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_value_get_uint64 (&as_uint64), ==, 4);

  g_value_init (&as_string, G_TYPE_STRING);
  g_assert_true (flyweight_pokies_get_attr (dynamic, "symbols", &as_string, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&as_string), ==, "12");

  g_value_init (&object_value, G_TYPE_OBJECT);
  g_value_set_object (&object_value, object);
  g_assert_true (flyweight_pokies_set_attr (dynamic, "random", &object_value, &error));
  g_assert_no_error (error);

  /* An object cannot be read as a number, and the target is left alone. */
  g_value_init (&as_int, G_TYPE_INT);
  g_value_set_int (&as_int, 99);
  g_assert_false (flyweight_pokies_get_attr (dynamic, "random", &as_int, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_assert_cmpint (g_value_get_int (&as_int), ==, 99);
  g_clear_error (&error);

  g_assert_false (flyweight_pokies_get_attr (slotted, "owner", &as_int, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);

  g_assert_false (flyweight_pokies_get_attr (slotted, "", &as_int, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
  g_assert_cmpint (g_value_get_int (&as_int), ==, 99);
}

static void
test_slotted_fixed_fields (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (7, 9, NULL));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) reels = G_VALUE_INIT;
  g_auto(GValue) owner = G_VALUE_INIT;
  const char * const names[] = { "reels", "symbols", NULL };
  g_auto(GStrv) listed = flyweight_pokies_list_attrs (machine);

  g_assert_cmpstrv (listed, names);
  g_assert_true (flyweight_pokies_has_attr (machine, "reels"));
  g_assert_true (flyweight_pokies_has_attr (machine, "symbols"));
  g_assert_false (flyweight_pokies_has_attr (machine, "owner"));

  g_assert_true (flyweight_pokies_get_attr (machine, "reels", &reels, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_HOLDS_UINT (&reels));
  g_assert_cmpuint (g_value_get_uint (&reels), ==, 7);

  g_assert_false (flyweight_pokies_get_attr (machine, "owner", &owner, &error));
  g_assert_false (G_IS_VALUE (&owner));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);

  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
}

typedef enum {
  OP_SET,
  OP_GET,
  OP_DEL,
} Op;

typedef struct
{
  const char *label;
  Op op;
  const char *name;
  int value_kind;   /* 0: a string, 1: unset, 2: raw pointer */
  int code;
  gboolean slotted_only;
} BadCall;

static void
run_bad_call (FlyweightPokies *machine,
              const BadCall   *call)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *before = snapshot (machine);
  g_autofree char *after = NULL;
  gboolean ok = FALSE;

  if (call->value_kind == 0)
    {
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_static_string (&value, "Aristocrat");
    }
  else if (call->value_kind == 2)
    {
      g_value_init (&value, G_TYPE_POINTER);
      g_value_set_pointer (&value, machine);
    }

  switch (call->op)
    {
    case OP_SET:
      ok = flyweight_pokies_set_attr (machine, call->name, &value, &error);
      break;
    case OP_GET:
      {
        g_auto(GValue) read = G_VALUE_INIT;

        ok = flyweight_pokies_get_attr (machine, call->name, &read, &error);
      }
      break;
    case OP_DEL:
      ok = flyweight_pokies_del_attr (machine, call->name, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  g_test_message ("%s on %s: %s", call->label, G_OBJECT_TYPE_NAME (machine),
                  error != NULL ? error->message : "(no error)");
  g_assert_false (ok);
  g_assert_error (error, FLYWEIGHT_ERROR, call->code);
  g_assert_cmpstr (error->message, !=, "");

  after = snapshot (machine);
  g_assert_cmpstr (after, ==, before);
}

static void
test_bad_calls_change_nothing (void)
{
  g_autofree char *long_name = g_strnfill (FLYWEIGHT_ATTR_NAME_MAX_LENGTH + 1, 'a');
  g_autofree char *huge_name = g_strnfill (1024 * 1024, 'b');
  const BadCall calls[] = {
    { "set empty name", OP_SET, "", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "get empty name", OP_GET, "", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "del empty name", OP_DEL, "", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set invalid UTF-8", OP_SET, "own\xff", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "get invalid UTF-8", OP_GET, "\xc3", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set 256-byte name", OP_SET, long_name, 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set 1 MB name", OP_SET, huge_name, 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set control character", OP_SET, "own\ner", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set leading digit", OP_SET, "1owner", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set space", OP_SET, "the owner", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set leading dash", OP_SET, "-owner", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set reserved __dict__", OP_SET, "__dict__", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "get reserved __weakref__", OP_GET, "__weakref__", 0, FLYWEIGHT_ERROR_INVALID_NAME, FALSE },
    { "set reels", OP_SET, "reels", 0, FLYWEIGHT_ERROR_READ_ONLY, FALSE },
    { "set symbols", OP_SET, "symbols", 0, FLYWEIGHT_ERROR_READ_ONLY, FALSE },
    { "del reels", OP_DEL, "reels", 0, FLYWEIGHT_ERROR_READ_ONLY, FALSE },
    { "del symbols", OP_DEL, "symbols", 0, FLYWEIGHT_ERROR_READ_ONLY, FALSE },
    { "set reels to unset", OP_SET, "reels", 1, FLYWEIGHT_ERROR_READ_ONLY, FALSE },
    { "set unset value", OP_SET, "owner", 1, FLYWEIGHT_ERROR_INVALID_VALUE, FALSE },
    { "set raw pointer", OP_SET, "owner", 2, FLYWEIGHT_ERROR_INVALID_VALUE, FALSE },
    { "get missing", OP_GET, "missing", 0, FLYWEIGHT_ERROR_NO_ATTRIBUTE, FALSE },
    { "del missing", OP_DEL, "missing", 0, FLYWEIGHT_ERROR_NO_ATTRIBUTE, FALSE },
    { "set owner on slots", OP_SET, "owner", 0, FLYWEIGHT_ERROR_NO_ATTRIBUTE, TRUE },
  };
  FlyweightPokies *machines[] = {
    FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL)),
    FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL)),
  };

  set_string (machines[0], "owner", "Aristocrat");

  for (guint m = 0; m < G_N_ELEMENTS (machines); m++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
        if (!calls[i].slotted_only || FLYWEIGHT_IS_POKIES_SLOTTED (machines[m]))
          run_bad_call (machines[m], &calls[i]);

      /* Still works afterwards. */
      g_assert_cmpuint (flyweight_pokies_get_reels (machines[m]), ==, 3);
      g_assert_true (flyweight_pokies_has_attr (machines[m], "symbols"));
      g_assert_finalize_object (machines[m]);
    }
}

static void
test_name_rule (void)
{
  g_autofree char *longest = g_strnfill (FLYWEIGHT_ATTR_NAME_MAX_LENGTH, 'x');
  const char *valid[] = { "owner", "_private", "a", "A1", "reel-3", "größe", "名前", "x_y_z", longest };
  const char *invalid[] = { "", "1a", "-a", "a b", "a.b", "a\tb", "\x01", "__", "__init__", "a\xff", "é\xcc" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (flyweight_attr_name_validate (valid[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (flyweight_attr_name_validate (invalid[i], &error));
      g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

typedef struct
{
  guint all;
  guint owner_only;
  char *last_name;
} SignalCount;

static void
attr_changed_cb (FlyweightPokiesDynamic *machine,
                 const char             *name,
                 gpointer                user_data)
{
  SignalCount *count = user_data;

  count->all++;
  g_free (count->last_name);
  count->last_name = g_strdup (name);
}

static void
owner_changed_cb (FlyweightPokiesDynamic *machine,
                  const char             *name,
                  gpointer                user_data)
{
  SignalCount *count = user_data;

  g_assert_cmpstr (name, ==, "owner");
  count->owner_only++;
}

static void
test_attr_changed_signal (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  SignalCount count = { 0, 0, NULL };
  g_autoptr(GError) error = NULL;

  g_signal_connect (machine, "attr-changed", G_CALLBACK (attr_changed_cb), &count);
  g_signal_connect (machine, "attr-changed::owner", G_CALLBACK (owner_changed_cb), &count);

  set_string (machine, "owner", "Aristocrat");
  g_assert_cmpuint (count.all, ==, 1);
  g_assert_cmpuint (count.owner_only, ==, 1);
  g_assert_cmpstr (count.last_name, ==, "owner");

  set_string (machine, "colour", "red");
  g_assert_cmpuint (count.all, ==, 2);
  g_assert_cmpuint (count.owner_only, ==, 1);
  g_assert_cmpstr (count.last_name, ==, "colour");

  g_assert_true (flyweight_pokies_del_attr (machine, "owner", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count.all, ==, 3);
  g_assert_cmpuint (count.owner_only, ==, 2);

  /* Failed calls change nothing and say nothing. */
  g_assert_false (flyweight_pokies_del_attr (machine, "owner", &error));
  g_clear_error (&error);
  g_assert_false (flyweight_pokies_del_attr (machine, "reels", &error));
  g_clear_error (&error);
  g_assert_cmpuint (count.all, ==, 3);
  g_assert_cmpuint (count.owner_only, ==, 2);

  g_free (count.last_name);
}

/* A handler may use the machine it is told about. */
static void
reentrant_cb (FlyweightPokiesDynamic *machine,
              const char             *name,
              gpointer                user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  if (flyweight_pokies_has_attr (FLYWEIGHT_POKIES (machine), name))
    {
      g_assert_true (flyweight_pokies_get_attr (FLYWEIGHT_POKIES (machine), name, &value, &error));
      g_assert_no_error (error);
    }
  (*(guint *) user_data)++;
}

static void
test_attr_changed_reentrant (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  guint calls = 0;

  g_signal_connect (machine, "attr-changed", G_CALLBACK (reentrant_cb), &calls);
  set_string (machine, "owner", "Aristocrat");
  g_assert_true (flyweight_pokies_del_attr (machine, "owner", NULL));
  g_assert_cmpuint (calls, ==, 2);
}

/* Strings are text: get_dict() and the bindings could not show others. */
static void
test_values_must_be_text (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  const char * const bad_strv[] = { "cherry", "b\xc3", NULL };
  g_autofree char *before = snapshot (machine);
  g_autofree char *after = NULL;
  g_auto(GValue) string = G_VALUE_INIT;
  g_auto(GValue) strv = G_VALUE_INIT;
  g_auto(GValue) no_type = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autofree char *printed = NULL;

  g_value_init (&string, G_TYPE_STRING);
  g_value_set_static_string (&string, "Aristo\xff" "crat");
  g_assert_false (flyweight_pokies_set_attr (machine, "owner", &string, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_value_init (&strv, G_TYPE_STRV);
  g_value_set_boxed (&strv, bad_strv);
  g_assert_false (flyweight_pokies_set_attr (machine, "symbols_names", &strv, &error));
  g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  after = snapshot (machine);
  g_assert_cmpstr (after, ==, before);

  /* A GType value may be G_TYPE_INVALID; the dict shows it as nothing. */
  g_value_init (&no_type, G_TYPE_GTYPE);
  g_assert_true (flyweight_pokies_set_attr (machine, "kind", &no_type, &error));
  g_assert_no_error (error);
  dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  printed = g_variant_print (dict, FALSE);
  g_assert_nonnull (strstr (printed, "'kind': <@ms nothing>"));
}

/* A boxed type whose copy and free functions use the machine that holds
 * it, as a binding's boxed type may: the store must run them unlocked. */
typedef struct
{
  guint serial;
} Ticket;

static FlyweightPokies *ticket_machine;

static void
ticket_use_machine (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) count = G_VALUE_INIT;

  if (ticket_machine == NULL)
    return;

  /* Any call will do: each takes the store's lock. */
  (void) flyweight_pokies_has_attr (ticket_machine, "ticket");
  g_value_init (&count, G_TYPE_UINT);
  /* The first copy finds no count yet. */
  if (!flyweight_pokies_get_attr (ticket_machine, "copies", &count, &error))
    g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  g_clear_error (&error);
  g_value_set_uint (&count, g_value_get_uint (&count) + 1);
  g_assert_true (flyweight_pokies_set_attr (ticket_machine, "copies", &count, &error));
  g_assert_no_error (error);
}

static Ticket *
ticket_copy (const Ticket *ticket)
{
  ticket_use_machine ();
  return g_memdup2 (ticket, sizeof *ticket);
}

static void
ticket_free (Ticket *ticket)
{
  ticket_use_machine ();
  g_free (ticket);
}

GType ticket_get_type (void);
G_DEFINE_BOXED_TYPE (Ticket, ticket, ticket_copy, ticket_free)

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
  guint    serial;
} TicketRead;

static gpointer
ticket_read_thread (gpointer data)
{
  TicketRead *read = data;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) again = G_VALUE_INIT;

  /* Both read paths: into an empty value, and into one of the type. */
  g_assert_true (flyweight_pokies_get_attr (ticket_machine, "ticket", &value, &error));
  g_assert_no_error (error);
  g_value_init (&again, ticket_get_type ());
  g_assert_true (flyweight_pokies_get_attr (ticket_machine, "ticket", &again, &error));
  g_assert_no_error (error);

  g_mutex_lock (&read->mutex);
  read->serial = ((Ticket *) g_value_get_boxed (&value))->serial;
  read->done = TRUE;
  g_cond_signal (&read->cond);
  g_mutex_unlock (&read->mutex);

  return NULL;
}

static void
test_boxed_code_runs_unlocked (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) ticket = G_VALUE_INIT;
  g_auto(GValue) copies = G_VALUE_INIT;
  Ticket original = { 42 };
  TicketRead read = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  GThread *thread;

  g_value_init (&ticket, ticket_get_type ());
  g_value_set_boxed (&ticket, &original);
  g_assert_true (flyweight_pokies_set_attr (machine, "ticket", &ticket, &error));
  g_assert_no_error (error);
  ticket_machine = machine;

  /* A copy function run under the store's lock would wait for it
   * forever: read in a thread, and fail rather than hang. */
  g_mutex_init (&read.mutex);
  g_cond_init (&read.cond);
  thread = g_thread_new ("ticket-read", ticket_read_thread, &read);
  g_mutex_lock (&read.mutex);
  while (!read.done)
    if (!g_cond_wait_until (&read.cond, &read.mutex, deadline))
      g_error ("reading a boxed value deadlocked: its copy function ran under the store's lock");
  g_mutex_unlock (&read.mutex);
  g_thread_join (thread);
  g_mutex_clear (&read.mutex);
  g_cond_clear (&read.cond);

  g_assert_cmpuint (read.serial, ==, 42);
  g_assert_true (flyweight_pokies_get_attr (machine, "copies", &copies, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_value_get_uint (&copies), >=, 2);

  /* Replacing and deleting free the old copy unlocked too. */
  g_assert_true (flyweight_pokies_set_attr (machine, "ticket", &ticket, &error));
  g_assert_no_error (error);
  g_assert_true (flyweight_pokies_del_attr (machine, "ticket", &error));
  g_assert_no_error (error);
  ticket_machine = NULL;
}

/* A boxed value shows as itself, not as a passing copy. */
static void
test_dict_boxed_stable (void)
{
  g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(GError) stored = g_error_new_literal (FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_FAILED, "x");
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;

  g_value_init (&value, G_TYPE_ERROR);
  g_value_set_boxed (&value, stored);
  g_assert_true (flyweight_pokies_set_attr (machine, "last_error", &value, NULL));

  first = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  second = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (machine));
  g_assert_true (g_variant_equal (first, second));
}

typedef struct
{
  const char *path;
  void      (*call) (FlyweightPokies *machine);
  const char *expected_stderr;
} ProgrammerError;

static void
call_has_attr_null (FlyweightPokies *machine)
{
  flyweight_pokies_has_attr (machine, NULL);
}

static void
call_set_attr_null_value (FlyweightPokies *machine)
{
  flyweight_pokies_set_attr (machine, "owner", NULL, NULL);
}

static void
call_get_reels_null (FlyweightPokies *machine)
{
  flyweight_pokies_get_reels (NULL);
}

static void
call_list_attrs_wrong_type (FlyweightPokies *machine)
{
  g_autoptr(FlyweightRandom) not_a_machine = flyweight_random_new (1);

  flyweight_pokies_list_attrs ((FlyweightPokies *) not_a_machine);
}

static void
call_get_attr_value_null (FlyweightPokies *machine)
{
  flyweight_pokies_get_attr (machine, "reels", NULL, NULL);
}

static const ProgrammerError programmer_errors[] = {
  { "/attributes/programmer-error/has-attr-null-name", call_has_attr_null, "*name != NULL*" },
  { "/attributes/programmer-error/set-attr-null-value", call_set_attr_null_value, "*value != NULL*" },
  { "/attributes/programmer-error/get-reels-null", call_get_reels_null, "*FLYWEIGHT_IS_POKIES*" },
  { "/attributes/programmer-error/list-attrs-wrong-type", call_list_attrs_wrong_type, "*FLYWEIGHT_IS_POKIES*" },
  { "/attributes/programmer-error/get-attr-value-null", call_get_attr_value_null, "*value != NULL*" },
};

/* Misuse is a critical, which the test setup makes fatal. */
static void
test_programmer_error (gconstpointer data)
{
  const ProgrammerError *error_case = data;

  if (g_test_subprocess ())
    {
      g_autoptr(FlyweightPokies) machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));

      error_case->call (machine);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr (error_case->expected_stderr);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attributes/dynamic/value-types", test_dynamic_value_types);
  g_test_add_func ("/attributes/dynamic/replace-keeps-order", test_dynamic_replace_keeps_order);
  g_test_add_func ("/attributes/dynamic/object-lifetime", test_dynamic_object_lifetime);
  g_test_add_func ("/attributes/dynamic/finalize-releases-values", test_dynamic_finalize_releases_values);
  g_test_add_func ("/attributes/get-attr-value", test_get_attr_value_converts);
  g_test_add_func ("/attributes/slotted/fixed-fields", test_slotted_fixed_fields);
  g_test_add_func ("/attributes/bad-calls-change-nothing", test_bad_calls_change_nothing);
  g_test_add_func ("/attributes/name-rule", test_name_rule);
  g_test_add_func ("/attributes/values-must-be-text", test_values_must_be_text);
  g_test_add_func ("/attributes/dict-boxed-stable", test_dict_boxed_stable);
  g_test_add_func ("/attributes/boxed-code-runs-unlocked", test_boxed_code_runs_unlocked);
  g_test_add_func ("/attributes/signal/attr-changed", test_attr_changed_signal);
  g_test_add_func ("/attributes/signal/reentrant", test_attr_changed_reentrant);

  for (guint i = 0; i < G_N_ELEMENTS (programmer_errors); i++)
    g_test_add_data_func (programmer_errors[i].path, &programmer_errors[i], test_programmer_error);

  return g_test_run ();
}
