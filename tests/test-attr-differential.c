/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The attribute store against a model too plain to be wrong.
 *
 * Long random runs of operations over many objects at once, each object
 * checked against its model after every step. Shared shapes are what make
 * the store subtle, so the runs keep 64 objects alive together, replay a
 * common sequence of names on many of them, diverge some to their own
 * tables, and drop objects while others still use their shapes. One run
 * drives raw stores and also checks which shape each store uses; the other
 * drives PokiesDynamic machines through the public API.
 *
 * The seed is fixed and printed; FLYWEIGHT_TEST_SEED and
 * FLYWEIGHT_TEST_OPERATIONS override it and the length of the runs, and
 * FLYWEIGHT_TEST_QUICK, which the valgrind setup sets, shortens them. */

#include <string.h>

#include <flyweight.h>

#include "flyweight-attr-store-private.h"
#include "flyweight-shape-private.h"
#include "value-model.h"

#define N_INSTANCES        64
#define DEFAULT_SEED       20130405
#define N_OPERATIONS       200000
#define N_OPERATIONS_QUICK 10000
#define SWEEP_INTERVAL     4096
#define TEMPLATE_LENGTH    40
#define N_POOL_OBJECTS     4

/* Names every object draws from, so that objects meet on shared shapes. */
static const char * const name_pool[] = {
  "owner", "colour", "location", "serial", "jackpot", "credits",
  "x", "y", "_hidden", "a-b", "z9", "ñandú",
};

static const char * const string_pool[] = {
  "Aristocrat", "Konami", "", "ünïcödé",
  "a string far too long to sit inside any slot of the object itself",
};

/* Names the public API refuses, each with the reason. */
static const char * const invalid_names[] = {
  "", "__dict__", "1st", "has space", "\xff\xfe", "dot.ted", "__",
};

/* ---- values ---- */

typedef enum
{
  KIND_INT,
  KIND_UINT,
  KIND_INT64,
  KIND_DOUBLE,
  KIND_BOOLEAN,
  KIND_STRING,
  KIND_OBJECT,
  KIND_RANDOM,      /* an object type below GObject */
  KIND_STRV,
  KIND_VARIANT,
  KIND_ENUM,
  KIND_FLAGS,
  KIND_FLOAT,
  KIND_LONG,
  KIND_ULONG,
  KIND_UINT64,
  KIND_CHAR,
  KIND_UCHAR,
  KIND_GTYPE,
  KIND_BYTES,
  N_KINDS
} ValueKind;

static GType
kind_type (ValueKind kind)
{
  switch (kind)
    {
    case KIND_INT: return G_TYPE_INT;
    case KIND_UINT: return G_TYPE_UINT;
    case KIND_INT64: return G_TYPE_INT64;
    case KIND_DOUBLE: return G_TYPE_DOUBLE;
    case KIND_BOOLEAN: return G_TYPE_BOOLEAN;
    case KIND_STRING: return G_TYPE_STRING;
    case KIND_OBJECT: return G_TYPE_OBJECT;
    case KIND_RANDOM: return FLYWEIGHT_TYPE_RANDOM;
    case KIND_STRV: return G_TYPE_STRV;
    case KIND_VARIANT: return G_TYPE_VARIANT;
    case KIND_ENUM: return FLYWEIGHT_TYPE_ERROR;
    case KIND_FLAGS: return G_TYPE_BINDING_FLAGS;
    case KIND_FLOAT: return G_TYPE_FLOAT;
    case KIND_LONG: return G_TYPE_LONG;
    case KIND_ULONG: return G_TYPE_ULONG;
    case KIND_UINT64: return G_TYPE_UINT64;
    case KIND_CHAR: return G_TYPE_CHAR;
    case KIND_UCHAR: return G_TYPE_UCHAR;
    case KIND_GTYPE: return G_TYPE_GTYPE;
    case KIND_BYTES: return G_TYPE_BYTES;
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* ---- the model: a list of names and values, in insertion order ---- */

typedef struct
{
  char   *name;
  GValue  value;
} ModelEntry;

static ModelEntry *
model_entry_new (const char   *name,
                 const GValue *value)
{
  ModelEntry *entry = g_new0 (ModelEntry, 1);

  entry->name = g_strdup (name);
  g_value_init (&entry->value, G_VALUE_TYPE (value));
  g_value_copy (value, &entry->value);

  return entry;
}

static void
model_entry_free (gpointer data)
{
  ModelEntry *entry = data;

  g_free (entry->name);
  g_value_unset (&entry->value);
  g_free (entry);
}

/* One object under test and what it should hold. */
typedef struct
{
  GPtrArray          *model;      /* ModelEntry; for machines, reels and symbols first */
  gboolean            diverged;   /* the store should have a table of its own */
  FlyweightAttrStore  store;      /* store runs */
  FlyweightPokies    *machine;    /* machine runs */
  guint               n_changes;  /* attr-changed emissions */
  char               *changed;    /* the name of the last one */
} Instance;

static int
model_find (Instance   *inst,
            const char *name)
{
  for (guint i = 0; i < inst->model->len; i++)
    if (strcmp (((ModelEntry *) g_ptr_array_index (inst->model, i))->name, name) == 0)
      return (int) i;

  return -1;
}

static ModelEntry *
model_get (Instance *inst,
           guint     position)
{
  return g_ptr_array_index (inst->model, position);
}

/* ---- a run ---- */

typedef enum
{
  OP_SET_POOL,
  OP_SET_OTHER_TYPE,
  OP_SET_FRESH,
  OP_SET_DIMENSION,
  OP_SET_INVALID,
  OP_GET,
  OP_GET_CONVERTED,
  OP_CONTAINS,
  OP_DELETE_LAST,
  OP_DELETE_MIDDLE,
  OP_DELETE_MISSING,
  OP_DELETE_DIMENSION,
  OP_LIST,
  OP_FOREACH,
  OP_GROW,
  OP_REPLAY,
  OP_REPLAY_SHUFFLED,
  OP_DROP,
  N_OPS
} Op;

/* Divergence and dropping are rare enough that objects spend long
 * stretches on shared shapes, and often enough that every object meets
 * its table many times. */
static const struct
{
  const char *name;
  guint       weight;
  gboolean    machines_only;
} op_info[N_OPS] = {
  [OP_SET_POOL] = { "set", 260, FALSE },
  [OP_SET_OTHER_TYPE] = { "set-other-type", 8, FALSE },
  [OP_SET_FRESH] = { "set-fresh", 30, FALSE },
  [OP_SET_DIMENSION] = { "set-dimension", 8, TRUE },
  [OP_SET_INVALID] = { "set-invalid", 8, TRUE },
  [OP_GET] = { "get", 150, FALSE },
  [OP_GET_CONVERTED] = { "get-converted", 40, TRUE },
  [OP_CONTAINS] = { "contains", 80, FALSE },
  [OP_DELETE_LAST] = { "delete-last", 90, FALSE },
  [OP_DELETE_MIDDLE] = { "delete-middle", 8, FALSE },
  [OP_DELETE_MISSING] = { "delete-missing", 30, FALSE },
  [OP_DELETE_DIMENSION] = { "delete-dimension", 4, TRUE },
  [OP_LIST] = { "list", 40, FALSE },
  [OP_FOREACH] = { "foreach", 30, FALSE },
  [OP_GROW] = { "grow", 3, FALSE },
  [OP_REPLAY] = { "replay", 8, FALSE },
  [OP_REPLAY_SHUFFLED] = { "replay-shuffled", 8, FALSE },
  [OP_DROP] = { "drop", 5, FALSE },
};

typedef struct
{
  gboolean   machines;
  guint32    seed;
  GRand     *rand;
  Instance   instances[N_INSTANCES];
  GObject   *objects[N_POOL_OBJECTS];
  guint      fresh_names;
  guint      fresh_objects;
  guint      finalized_objects;

  /* Where we are, for failure reports. */
  guint      step;
  guint      current;
  Op         op;

  guint      op_counts[N_OPS];
  guint      checks_shared;
  guint      checks_table;
  guint      checks_deep_shape;
  guint      checks_ordered;
  guint      max_attributes;
} Run;

/* Machines answer for reels and symbols; raw stores hold only what is set. */
static guint
n_dims (Run *run)
{
  return run->machines ? 2 : 0;
}

static void fail (Run        *run,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

/* An assertion that says how to get back here. */
static void
fail (Run        *run,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  message = g_strdup_printf ("seed %u, step %u, %s %u, operation %s: %s",
                             run->seed, run->step,
                             run->machines ? "machine" : "store", run->current,
                             op_info[run->op].name, what);
  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
}

static void
fail_value (Run          *run,
            const char   *name,
            const GValue *expected,
            const GValue *got)
{
  g_autofree char *want = g_strdup_value_contents (expected);
  g_autofree char *have = g_strdup_value_contents (got);

  fail (run, "“%s”: expected %s %s, got %s %s", name,
        G_VALUE_TYPE_NAME (expected), want, G_VALUE_TYPE_NAME (got), have);
}

static void
fresh_object_finalized_cb (gpointer  user_data,
                           GObject  *where_the_object_was)
{
  Run *run = user_data;

  run->finalized_objects++;
}

static GObject *
new_fresh_object (Run *run)
{
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_weak_ref (object, fresh_object_finalized_cb, run);
  run->fresh_objects++;

  return object;
}

static guint
rand_below (Run   *run,
            guint  n)
{
  return (guint) g_rand_int_range (run->rand, 0, (gint32) n);
}

static gboolean
chance (Run   *run,
        guint  percent)
{
  return rand_below (run, 100) < percent;
}

static const char *
random_string (Run   *run,
               char **scratch)
{
  switch (rand_below (run, 8))
    {
    case 0:
      return NULL;
    case 1:
    case 2:
      /* Many distinct strings, each interned for a while. */
      *scratch = g_strdup_printf ("s%u", rand_below (run, 1000));
      return *scratch;
    default:
      return string_pool[rand_below (run, G_N_ELEMENTS (string_pool))];
    }
}

/* Initializes @value to @type with a random value of it. */
static void
random_value_of_type (Run    *run,
                      GType   type,
                      GValue *value)
{
  g_value_init (value, type);

  if (type == G_TYPE_STRV)
    {
      if (!chance (run, 10))
        {
          guint n = rand_below (run, 4);
          char **strv = g_new0 (char *, n + 1);

          for (guint i = 0; i < n; i++)
            {
              g_autofree char *scratch = NULL;
              const char *s = random_string (run, &scratch);

              strv[i] = g_strdup (s != NULL ? s : "x");
            }
          g_value_take_boxed (value, strv);
        }
      return;
    }

  if (type == G_TYPE_BYTES)
    {
      if (!chance (run, 10))
        {
          guint8 data[12];
          guint n = rand_below (run, sizeof data + 1);

          for (guint i = 0; i < n; i++)
            data[i] = (guint8) rand_below (run, 256);
          g_value_take_boxed (value, g_bytes_new (data, n));
        }
      return;
    }

  if (type == G_TYPE_GTYPE)
    {
      GType choices[] = { G_TYPE_INT, G_TYPE_OBJECT, FLYWEIGHT_TYPE_POKIES_DYNAMIC, G_TYPE_STRV };

      g_value_set_gtype (value, choices[rand_below (run, G_N_ELEMENTS (choices))]);
      return;
    }

  if (type == FLYWEIGHT_TYPE_RANDOM)
    {
      if (!chance (run, 20))
        g_value_take_object (value, flyweight_random_new (g_rand_int (run->rand)));
      return;
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_INT:
      g_value_set_int (value, (gint) g_rand_int (run->rand));
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, g_rand_int (run->rand));
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, (gint64) (((guint64) g_rand_int (run->rand) << 32) | g_rand_int (run->rand)));
      break;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, ((guint64) g_rand_int (run->rand) << 32) | g_rand_int (run->rand));
      break;
    case G_TYPE_LONG:
      g_value_set_long (value, (glong) (((guint64) g_rand_int (run->rand) << 32) | g_rand_int (run->rand)));
      break;
    case G_TYPE_ULONG:
      g_value_set_ulong (value, (gulong) (((guint64) g_rand_int (run->rand) << 32) | g_rand_int (run->rand)));
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (value, chance (run, 5) ? -0.0 : g_rand_double_range (run->rand, -1e6, 1e6));
      break;
    case G_TYPE_FLOAT:
      g_value_set_float (value, (gfloat) g_rand_double_range (run->rand, -1e3, 1e3));
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, g_rand_boolean (run->rand));
      break;
    case G_TYPE_CHAR:
      g_value_set_schar (value, (gint8) rand_below (run, 256));
      break;
    case G_TYPE_UCHAR:
      g_value_set_uchar (value, (guchar) rand_below (run, 256));
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value, (gint) rand_below (run, FLYWEIGHT_ERROR_INVALID_NAME + 1));
      break;
    case G_TYPE_FLAGS:
      g_value_set_flags (value, rand_below (run, 8));
      break;
    case G_TYPE_STRING:
      {
        g_autofree char *scratch = NULL;

        g_value_set_string (value, random_string (run, &scratch));
      }
      break;
    case G_TYPE_OBJECT:
      if (chance (run, 10))
        g_value_take_object (value, new_fresh_object (run));
      else if (!chance (run, 15))
        g_value_set_object (value, run->objects[rand_below (run, N_POOL_OBJECTS)]);
      break;
    case G_TYPE_VARIANT:
      switch (rand_below (run, 4))
        {
        case 0:
          break;
        case 1:
          g_value_set_variant (value, g_variant_new_int32 ((gint32) g_rand_int (run->rand)));
          break;
        case 2:
          g_value_set_variant (value, g_variant_new_string ("Aristocrat"));
          break;
        default:
          g_value_set_variant (value, g_variant_new ("(sub)", "reel", g_rand_int (run->rand), TRUE));
          break;
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

static GType
random_type (Run *run)
{
  return kind_type (rand_below (run, N_KINDS));
}

static GType
random_other_type (Run   *run,
                   GType  type)
{
  GType other;

  do
    other = random_type (run);
  while (other == type);

  return other;
}

static const char *
random_pool_name (Run *run)
{
  return name_pool[rand_below (run, G_N_ELEMENTS (name_pool))];
}

static char *
fresh_name (Run        *run,
            const char *prefix)
{
  return g_strdup_printf ("%s-%u", prefix, run->fresh_names++);
}

/* ---- operations on an instance, checked against its model ---- */

static void
attr_changed_cb (FlyweightPokies *machine,
                 const char      *name,
                 gpointer         user_data)
{
  Instance *inst = user_data;

  inst->n_changes++;
  g_free (inst->changed);
  inst->changed = g_strdup (name);
}

static void
check_changed (Run        *run,
               Instance   *inst,
               guint       before,
               const char *name)
{
  if (!run->machines)
    return;

  if (name == NULL && inst->n_changes != before)
    fail (run, "attr-changed emitted by a call that changed nothing");
  if (name != NULL && (inst->n_changes != before + 1 || g_strcmp0 (inst->changed, name) != 0))
    fail (run, "expected one attr-changed for “%s”, got %u, last “%s”",
          name, inst->n_changes - before, inst->changed);
}

static void
check_error (Run          *run,
             const GError *error,
             gint          code)
{
  if (!g_error_matches (error, FLYWEIGHT_ERROR, code))
    fail (run, "expected error code %d, got %s", code,
          error != NULL ? error->message : "no error");
}

/* A fresh object with random dimensions, and its model. */
static void
instance_new (Run      *run,
              Instance *inst)
{
  guint reels = 1 + rand_below (run, FLYWEIGHT_POKIES_MAX_REELS);
  guint symbols = 1 + rand_below (run, FLYWEIGHT_POKIES_MAX_SYMBOLS);
  GValue dimension = G_VALUE_INIT;

  inst->model = g_ptr_array_new_with_free_func (model_entry_free);
  inst->diverged = FALSE;

  if (run->machines)
    {
      g_autoptr(GError) error = NULL;

      g_value_init (&dimension, G_TYPE_UINT);
      g_value_set_uint (&dimension, reels);
      g_ptr_array_add (inst->model, model_entry_new ("reels", &dimension));
      g_value_set_uint (&dimension, symbols);
      g_ptr_array_add (inst->model, model_entry_new ("symbols", &dimension));
      g_value_unset (&dimension);

      inst->machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, &error));
      g_assert_no_error (error);
      g_signal_connect (inst->machine, "attr-changed", G_CALLBACK (attr_changed_cb), inst);
    }
  else
    {
      flyweight_attr_store_init (&inst->store);
    }
}

static void
instance_drop (Run      *run,
               Instance *inst)
{
  if (run->machines)
    {
      g_object_add_weak_pointer (G_OBJECT (inst->machine), (gpointer *) &inst->machine);
      g_object_unref (inst->machine);
      if (inst->machine != NULL)
        fail (run, "a dropped machine was not finalized");
      g_clear_pointer (&inst->changed, g_free);
      inst->n_changes = 0;
    }
  else
    {
      flyweight_attr_store_clear (&inst->store);
    }

  g_clear_pointer (&inst->model, g_ptr_array_unref);
}

static void
do_set (Run          *run,
        Instance     *inst,
        const char   *name,
        const GValue *value)
{
  guint before = inst->n_changes;
  int position = model_find (inst, name);

  if (run->machines)
    {
      g_autoptr(GError) error = NULL;

      if (!flyweight_pokies_set_attr (inst->machine, name, value, &error))
        fail (run, "setting “%s” failed: %s", name, error->message);
    }
  else
    {
      flyweight_attr_store_set (&inst->store, name, value);
    }

  if (position >= 0)
    {
      ModelEntry *entry = model_get (inst, position);

      if (G_VALUE_TYPE (&entry->value) != G_VALUE_TYPE (value))
        inst->diverged = TRUE;
      g_value_unset (&entry->value);
      g_value_init (&entry->value, G_VALUE_TYPE (value));
      g_value_copy (value, &entry->value);
    }
  else
    {
      g_ptr_array_add (inst->model, model_entry_new (name, value));
      if (inst->model->len > FLYWEIGHT_SHAPE_MAX_ENTRIES)
        inst->diverged = TRUE;
    }

  run->max_attributes = MAX (run->max_attributes, inst->model->len);
  check_changed (run, inst, before, name);
}

static void
do_set_random (Run        *run,
               Instance   *inst,
               const char *name,
               GType       type)
{
  g_auto(GValue) value = G_VALUE_INIT;

  random_value_of_type (run, type, &value);
  do_set (run, inst, name, &value);
}

/* Sets @name keeping its type if it has one. */
static void
do_set_keeping_type (Run        *run,
                     Instance   *inst,
                     const char *name)
{
  int position = model_find (inst, name);

  do_set_random (run, inst, name,
                 position >= 0 ? G_VALUE_TYPE (&model_get (inst, position)->value) : random_type (run));
}

/* @position: where the model has @name, or -1 */
static void
check_get (Run        *run,
           Instance   *inst,
           const char *name,
           int         position)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean found;

  if (run->machines)
    {
      g_autoptr(GError) error = NULL;
      found = flyweight_pokies_get_attr (inst->machine, name, &value, &error);
      if (found)
        {
          g_assert_no_error (error);
        }
      else
        {
          check_error (run, error, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
        }
    }
  else
    {
      found = flyweight_attr_store_get (&inst->store, name, &value);
    }

  if (found != (position >= 0))
    fail (run, "“%s” %s", name, found ? "found but not in the model" : "in the model but not found");
  if (found && !values_equal (&model_get (inst, position)->value, &value))
    fail_value (run, name, &model_get (inst, position)->value, &value);
}

static void
check_contains (Run        *run,
                Instance   *inst,
                const char *name,
                gboolean    expected)
{
  gboolean found;

  if (run->machines)
    found = flyweight_pokies_has_attr (inst->machine, name);
  else
    found = flyweight_attr_store_contains (&inst->store, name);

  if (found != expected)
    fail (run, "contains “%s”: expected %d, got %d", name, expected, found);
}

static void
do_delete (Run        *run,
           Instance   *inst,
           const char *name)
{
  guint before = inst->n_changes;
  int position = model_find (inst, name);
  gboolean removed;

  g_assert_true (position < 0 || (guint) position >= n_dims (run));

  if (run->machines)
    {
      g_autoptr(GError) error = NULL;

      removed = flyweight_pokies_del_attr (inst->machine, name, &error);
      if (!removed)
        check_error (run, error, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
    }
  else
    {
      removed = flyweight_attr_store_delete (&inst->store, name);
    }

  if (removed != (position >= 0))
    fail (run, "deleting “%s”: expected %d, got %d", name, position >= 0, removed);

  if (position >= 0)
    {
      /* Only undoing the last step keeps the object on shared shapes. */
      if ((guint) position != inst->model->len - 1)
        inst->diverged = TRUE;
      g_ptr_array_remove_index (inst->model, position);
    }

  check_changed (run, inst, before, removed ? name : NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
check_names (Run      *run,
             Instance *inst)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  for (guint i = 0; i < inst->model->len; i++)
    g_ptr_array_add (expected, model_get (inst, i)->name);

  if (run->machines)
    {
      /* The public list is sorted. */
      names = flyweight_pokies_list_attrs (inst->machine);
      g_ptr_array_sort (expected, compare_strings);
    }
  else
    {
      names = flyweight_attr_store_dup_names (&inst->store);
    }

  if (g_strv_length (names) != expected->len)
    fail (run, "expected %u names, got %u", expected->len, g_strv_length (names));
  for (guint i = 0; i < expected->len; i++)
    if (strcmp (names[i], g_ptr_array_index (expected, i)) != 0)
      fail (run, "name %u: expected “%s”, got “%s”", i,
            (const char *) g_ptr_array_index (expected, i), names[i]);
}

static void
collect_cb (const char   *name,
            const GValue *value,
            gpointer      user_data)
{
  g_ptr_array_add (user_data, model_entry_new (name, value));
}

static void
check_contents (Run      *run,
                Instance *inst)
{
  if (run->machines)
    {
      g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (inst->machine));

      if (g_variant_n_children (dict) != inst->model->len)
        fail (run, "get_dict: expected %u attributes, got %zu", inst->model->len, g_variant_n_children (dict));

      /* In insertion order, each in its documented form. */
      for (guint i = 0; i < inst->model->len; i++)
        {
          ModelEntry *want = model_get (inst, i);
          g_autoptr(GVariant) got = NULL;
          g_autofree char *why = NULL;
          const char *name;

          g_variant_get_child (dict, i, "{&sv}", &name, &got);
          if (strcmp (name, want->name) != 0)
            fail (run, "get_dict %u: expected “%s”, got “%s”", i, want->name, name);
          if (!dict_value_matches (got, &want->value, &why))
            {
              g_autofree char *printed = g_variant_print (got, TRUE);

              fail (run, "get_dict “%s”: %s (got %s)", name, why, printed);
            }
        }
    }
  else
    {
      g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (model_entry_free);

      flyweight_attr_store_foreach (&inst->store, collect_cb, seen);
      if (seen->len != inst->model->len)
        fail (run, "foreach: expected %u attributes, got %u", inst->model->len, seen->len);
      for (guint i = 0; i < seen->len; i++)
        {
          ModelEntry *want = model_get (inst, i), *have = g_ptr_array_index (seen, i);

          if (strcmp (want->name, have->name) != 0)
            fail (run, "foreach %u: expected “%s”, got “%s”", i, want->name, have->name);
          if (!values_equal (&want->value, &have->value))
            fail_value (run, want->name, &want->value, &have->value);
        }
    }
}

/* For stores: which shape is in use, and that it describes the model. */
static void
check_shape (Run      *run,
             Instance *inst)
{
  FlyweightShape *shape;
  gboolean ordered = FALSE;

  if (run->machines)
    return;

  /* Whether an object that could share shapes does depends on what other
   * objects did before it; one that diverged never does. */
  shape = flyweight_attr_store_peek_shape (&inst->store);
  if (shape == NULL)
    {
      run->checks_table++;
      return;
    }
  if (inst->diverged)
    fail (run, "expected a table of its own, found a shape of %u entries",
          flyweight_shape_get_n_entries (shape));

  /* The shape holds the model's names and types; the order is the
   * object's own, which names and foreach check. */
  if (flyweight_shape_get_n_entries (shape) != inst->model->len)
    fail (run, "shape has %u entries, model %u", flyweight_shape_get_n_entries (shape), inst->model->len);
  for (guint i = 0; i < inst->model->len; i++)
    {
      ModelEntry *want = model_get (inst, i);
      FlyweightNameKey key = FLYWEIGHT_NAME_KEY_INIT (want->name);
      guint position;
      const FlyweightShapeEntry *entry = flyweight_shape_lookup (shape, &key, &position);

      if (entry == NULL || entry->type != G_VALUE_TYPE (&want->value))
        fail (run, "shape lacks “%s” %s", want->name, G_VALUE_TYPE_NAME (&want->value));
      if (position != i)
        ordered = TRUE;
    }
  if (ordered)
    run->checks_ordered++;
  run->checks_shared++;
  if (inst->model->len > 16)
    run->checks_deep_shape++;
}

/* Everything the model says, after every operation. */
static void
check_instance (Run      *run,
                Instance *inst)
{
  check_names (run, inst);
  check_shape (run, inst);

  for (guint i = 0; i < inst->model->len; i++)
    {
      const char *name = model_get (inst, i)->name;

      check_contains (run, inst, name, TRUE);
      check_get (run, inst, name, (int) i);
    }

  if (run->machines &&
      (flyweight_pokies_get_reels (inst->machine) != g_value_get_uint (&model_get (inst, 0)->value) ||
       flyweight_pokies_get_symbols (inst->machine) != g_value_get_uint (&model_get (inst, 1)->value)))
    fail (run, "the dimensions changed");
}

/* The names and types an object holds, in no particular order. */
static char *
shape_signature (Instance *inst)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < inst->model->len; i++)
    g_ptr_array_add (entries, g_strdup_printf ("%s:%s;", model_get (inst, i)->name,
                                               G_VALUE_TYPE_NAME (&model_get (inst, i)->value)));
  g_ptr_array_sort (entries, compare_strings);
  for (guint i = 0; i < entries->len; i++)
    g_string_append (out, g_ptr_array_index (entries, i));

  return g_string_free (out, FALSE);
}

/* Every instance, plus what only holds across instances: objects on
 * shapes that hold the same names and types, in whatever order, share one
 * shape, and the live shapes are exactly the ones in use and their
 * ancestors. */
static void
sweep (Run   *run,
       guint  live_before)
{
  g_autoptr(GHashTable) by_signature = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_use = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < N_INSTANCES; i++)
    {
      Instance *inst = &run->instances[i];
      FlyweightShape *shape;
      char *signature;
      gpointer other;

      run->current = i;
      check_instance (run, inst);
      check_contents (run, inst);

      if (run->machines || flyweight_attr_store_peek_shape (&inst->store) == NULL)
        continue;

      shape = flyweight_attr_store_peek_shape (&inst->store);
      signature = shape_signature (inst);
      if (g_hash_table_lookup_extended (by_signature, signature, NULL, &other))
        {
          if (other != shape)
            fail (run, "two stores holding %s do not share a shape", signature);
          g_free (signature);
        }
      else
        {
          g_hash_table_insert (by_signature, signature, shape);
        }

      for (; shape != flyweight_shape_get_empty (); shape = flyweight_shape_get_parent (shape))
        g_hash_table_add (in_use, shape);
    }

  if (!run->machines &&
      flyweight_shape_count_live () != live_before + g_hash_table_size (in_use))
    fail (run, "%u shapes live, expected %u", flyweight_shape_count_live (),
          live_before + g_hash_table_size (in_use));
}

static Op
random_op (Run *run)
{
  static guint total;
  guint pick;

  if (total == 0)
    for (guint i = 0; i < N_OPS; i++)
      total += op_info[i].weight;

  pick = rand_below (run, total);
  for (guint i = 0; i < N_OPS; i++)
    {
      if (pick < op_info[i].weight)
        return i;
      pick -= op_info[i].weight;
    }

  g_assert_not_reached ();
}

/* A present name most of the time, else a pool name or one never used. */
static char *
random_lookup_name (Run      *run,
                    Instance *inst)
{
  if (inst->model->len > 0 && chance (run, 60))
    return g_strdup (model_get (inst, rand_below (run, inst->model->len))->name);
  if (chance (run, 70))
    return g_strdup (random_pool_name (run));

  return fresh_name (run, "missing");
}

static void
do_get_converted (Run      *run,
                  Instance *inst)
{
  static const ValueKind targets[] = {
    KIND_INT, KIND_UINT, KIND_INT64, KIND_DOUBLE, KIND_STRING, KIND_BOOLEAN,
    KIND_FLOAT, KIND_UCHAR, KIND_OBJECT, KIND_STRV, KIND_ENUM,
  };
  ModelEntry *entry = model_get (inst, rand_below (run, inst->model->len));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) sentinel = G_VALUE_INIT;
  g_auto(GValue) expected = G_VALUE_INIT;
  gboolean expect_ok;
  gboolean ok;

  if (chance (run, 10))
    {
      /* A zero-filled value receives the attribute as stored. */
      ok = flyweight_pokies_get_attr (inst->machine, entry->name, &value, &error);
      g_assert_no_error (error);
      if (!ok || !values_equal (&entry->value, &value))
        fail_value (run, entry->name, &entry->value, &value);
      return;
    }

  random_value_of_type (run, kind_type (targets[rand_below (run, G_N_ELEMENTS (targets))]), &sentinel);
  g_value_init (&value, G_VALUE_TYPE (&sentinel));
  g_value_copy (&sentinel, &value);

  /* What the documented rule gives, from a model of it. */
  g_value_init (&expected, G_VALUE_TYPE (&sentinel));
  switch (model_conversion (&entry->value, &expected))
    {
    case MODEL_REFUSED:
      expect_ok = FALSE;
      break;
    case MODEL_VALUE:
      expect_ok = TRUE;
      break;
    case MODEL_NUMBER_TEXT:
    default:
      ok = flyweight_pokies_get_attr (inst->machine, entry->name, &value, &error);
      g_assert_no_error (error);
      if (!ok || !model_number_text_matches (&entry->value, g_value_get_string (&value)))
        fail_value (run, entry->name, &entry->value, &value);
      return;
    }

  ok = flyweight_pokies_get_attr (inst->machine, entry->name, &value, &error);
  if (ok != expect_ok)
    fail (run, "reading “%s” (%s) as %s: expected %d, got %d", entry->name,
          G_VALUE_TYPE_NAME (&entry->value), G_VALUE_TYPE_NAME (&sentinel), expect_ok, ok);

  if (ok)
    {
      g_assert_no_error (error);
      if (!values_equal (&expected, &value))
        fail_value (run, entry->name, &expected, &value);
    }
  else
    {
      check_error (run, error, FLYWEIGHT_ERROR_INVALID_VALUE);
      if (!values_equal (&sentinel, &value))
        fail_value (run, "(left as it was)", &sentinel, &value);
    }
}

/* Calls the public API must refuse; nothing may change. */
static void
do_set_refused (Run      *run,
                Instance *inst,
                Op        op)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  guint before = inst->n_changes;
  const char *name;
  gint code;

  if (op == OP_SET_DIMENSION)
    {
      name = chance (run, 50) ? "reels" : "symbols";
      random_value_of_type (run, G_TYPE_UINT, &value);
      code = FLYWEIGHT_ERROR_READ_ONLY;
    }
  else if (chance (run, 70))
    {
      name = invalid_names[rand_below (run, G_N_ELEMENTS (invalid_names))];
      random_value_of_type (run, random_type (run), &value);
      code = FLYWEIGHT_ERROR_INVALID_NAME;
    }
  else
    {
      /* An unset value, or a raw pointer nobody can copy. */
      name = random_pool_name (run);
      if (chance (run, 50))
        {
          g_value_init (&value, G_TYPE_POINTER);
          g_value_set_pointer (&value, &value);
        }
      code = FLYWEIGHT_ERROR_INVALID_VALUE;
    }

  if (flyweight_pokies_set_attr (inst->machine, name, &value, &error))
    fail (run, "setting “%s” succeeded", name);
  check_error (run, error, code);
  check_changed (run, inst, before, NULL);

  if (code == FLYWEIGHT_ERROR_INVALID_NAME)
    {
      g_auto(GValue) read = G_VALUE_INIT;

      g_clear_error (&error);
      if (flyweight_pokies_has_attr (inst->machine, name))
        fail (run, "has_attr of an invalid name");
      g_assert_false (flyweight_pokies_get_attr (inst->machine, name, &read, &error));
      check_error (run, error, FLYWEIGHT_ERROR_INVALID_NAME);
    }
}

static void
do_delete_dimension (Run      *run,
                     Instance *inst)
{
  g_autoptr(GError) error = NULL;
  guint before = inst->n_changes;

  if (flyweight_pokies_del_attr (inst->machine, chance (run, 50) ? "reels" : "symbols", &error))
    fail (run, "deleting a dimension succeeded");
  check_error (run, error, FLYWEIGHT_ERROR_READ_ONLY);
  check_changed (run, inst, before, NULL);
}

/* Every name of the template has a type of its own, so objects replaying
 * it walk one branch of shapes together, past the depth where shapes
 * start hashing the names they look up. */
/* The first @length names of the template in an order of the object's
 * own: objects that do this share shapes by their set of names. */
static void
replay_template_shuffled (Run      *run,
                          Instance *inst,
                          guint     length)
{
  guint order[TEMPLATE_LENGTH];

  for (guint i = 0; i < length; i++)
    order[i] = i;
  for (guint i = length; i > 1; i--)
    {
      guint j = rand_below (run, i), kept = order[i - 1];

      order[i - 1] = order[j];
      order[j] = kept;
    }

  for (guint i = 0; i < length; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%02u", order[i]);

      do_set_random (run, inst, name, kind_type (order[i] % N_KINDS));
    }
}

static void
replay_template (Run      *run,
                 Instance *inst,
                 guint     length)
{
  for (guint i = 0; i < length; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%02u", i);

      do_set_random (run, inst, name, kind_type (i % N_KINDS));
    }
}

static void
run_step (Run *run)
{
  Instance *inst;
  Op op = random_op (run);
  guint n_user;

  run->current = rand_below (run, N_INSTANCES);
  inst = &run->instances[run->current];
  if (!run->machines && op_info[op].machines_only)
    op = OP_GET;
  run->op = op;
  run->op_counts[op]++;
  n_user = inst->model->len - n_dims (run);

  switch (op)
    {
    case OP_SET_POOL:
      do_set_keeping_type (run, inst, random_pool_name (run));
      break;

    case OP_SET_OTHER_TYPE:
      if (n_user == 0)
        {
          do_set_keeping_type (run, inst, random_pool_name (run));
        }
      else
        {
          ModelEntry *entry = model_get (inst, n_dims (run) + rand_below (run, n_user));
          g_autofree char *name = g_strdup (entry->name);

          do_set_random (run, inst, name, random_other_type (run, G_VALUE_TYPE (&entry->value)));
        }
      break;

    case OP_SET_FRESH:
      {
        g_autofree char *name = fresh_name (run, "fresh");

        do_set_random (run, inst, name, random_type (run));
      }
      break;

    case OP_SET_DIMENSION:
    case OP_SET_INVALID:
      do_set_refused (run, inst, op);
      break;

    case OP_GET:
      {
        g_autofree char *name = random_lookup_name (run, inst);

        check_get (run, inst, name, model_find (inst, name));
      }
      break;

    case OP_GET_CONVERTED:
      do_get_converted (run, inst);
      break;

    case OP_CONTAINS:
      {
        g_autofree char *name = random_lookup_name (run, inst);

        check_contains (run, inst, name, model_find (inst, name) >= 0);
      }
      break;

    case OP_DELETE_LAST:
    case OP_DELETE_MIDDLE:
      if (n_user == 0)
        {
          do_delete (run, inst, random_pool_name (run));
        }
      else
        {
          guint position = inst->model->len - 1;
          g_autofree char *name = NULL;

          if (op == OP_DELETE_MIDDLE && n_user > 1)
            position = n_dims (run) + rand_below (run, n_user - 1);
          name = g_strdup (model_get (inst, position)->name);
          do_delete (run, inst, name);
        }
      break;

    case OP_DELETE_MISSING:
      {
        g_autofree char *name = NULL;

        if (chance (run, 50))
          name = fresh_name (run, "missing");
        else
          name = g_strdup (random_pool_name (run));
        if (model_find (inst, name) < 0)
          do_delete (run, inst, name);
      }
      break;

    case OP_DELETE_DIMENSION:
      do_delete_dimension (run, inst);
      break;

    case OP_LIST:
      check_names (run, inst);
      break;

    case OP_FOREACH:
      check_contents (run, inst);
      break;

    case OP_GROW:
      {
        guint n = 1 + rand_below (run, 40);

        for (guint i = 0; i < n; i++)
          {
            if (chance (run, 50))
              {
                g_autofree char *name = fresh_name (run, "fresh");

                do_set_random (run, inst, name, random_type (run));
              }
            else
              {
                do_set_keeping_type (run, inst, random_pool_name (run));
              }
            check_instance (run, inst);
          }
      }
      break;

    case OP_REPLAY_SHUFFLED:
      instance_drop (run, inst);
      instance_new (run, inst);
      replay_template_shuffled (run, inst, rand_below (run, 8));
      break;

    case OP_REPLAY:
      instance_drop (run, inst);
      instance_new (run, inst);
      replay_template (run, inst, rand_below (run, TEMPLATE_LENGTH + 1));
      break;

    case OP_DROP:
      instance_drop (run, inst);
      instance_new (run, inst);
      break;

    case N_OPS:
    default:
      g_assert_not_reached ();
    }

  check_instance (run, inst);
}

static guint
n_operations (void)
{
  const char *env = g_getenv ("FLYWEIGHT_TEST_OPERATIONS");

  if (env != NULL)
    return (guint) g_ascii_strtoull (env, NULL, 10);

  /* Under valgrind a shorter run says enough. */
  if (g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL)
    return N_OPERATIONS_QUICK;

  return g_test_thorough () ? 10 * N_OPERATIONS : N_OPERATIONS;
}

static void
run_differential (gboolean machines)
{
  const char *seed_env = g_getenv ("FLYWEIGHT_TEST_SEED");
  guint n = n_operations ();
  guint live_before = flyweight_shape_count_live ();
  GString *summary = g_string_new (NULL);
  Run *run = g_new0 (Run, 1);

  run->machines = machines;
  run->seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : DEFAULT_SEED;
  run->rand = g_rand_new_with_seed (run->seed);
  g_test_message ("seed %u (FLYWEIGHT_TEST_SEED), %u operations (FLYWEIGHT_TEST_OPERATIONS)",
                  run->seed, n);

  /* A couple of them of a subclass, so that get_dict names the real class. */
  for (guint i = 0; i < N_POOL_OBJECTS; i++)
    run->objects[i] = i % 2 == 0 ? g_object_new (G_TYPE_OBJECT, NULL) : G_OBJECT (flyweight_random_new (i));

  for (guint i = 0; i < N_INSTANCES; i++)
    instance_new (run, &run->instances[i]);

  for (run->step = 0; run->step < n; run->step++)
    {
      run_step (run);
      if (run->step % SWEEP_INTERVAL == 0)
        sweep (run, live_before);
    }
  sweep (run, live_before);

  for (guint i = 0; i < N_OPS; i++)
    g_string_append_printf (summary, " %s=%u", op_info[i].name, run->op_counts[i]);
  g_test_message ("operations:%s", summary->str);
  g_test_message ("largest object: %u attributes", run->max_attributes);
  if (!machines)
    g_test_message ("stores checked on shared shapes: %u times (%u deeper than 16, %u in an "
                    "order of their own), on their own tables: %u times",
                    run->checks_shared, run->checks_deep_shape, run->checks_ordered, run->checks_table);
  g_string_free (summary, TRUE);

  /* Both halves of the store must have been exercised, each past the
   * size where it starts hashing names (eight), and long shared branches. */
  if (n >= N_OPERATIONS_QUICK)
    {
      g_assert_cmpuint (run->max_attributes, >, 16);
      if (!machines)
        {
          g_assert_cmpuint (run->checks_shared, >, n / 10);
          g_assert_cmpuint (run->checks_table, >, n / 10);
          g_assert_cmpuint (run->checks_deep_shape, >, 0);
          g_assert_cmpuint (run->checks_ordered, >, 0);
        }
    }

  for (guint i = 0; i < N_INSTANCES; i++)
    instance_drop (run, &run->instances[i]);

  /* Nothing kept: no shape, no object. */
  g_assert_cmpuint (flyweight_shape_count_live (), ==, live_before);
  g_assert_cmpuint (run->finalized_objects, ==, run->fresh_objects);
  for (guint i = 0; i < N_POOL_OBJECTS; i++)
    g_assert_finalize_object (run->objects[i]);

  g_rand_free (run->rand);
  g_free (run);
}

static void
test_differential_store (void)
{
  run_differential (FALSE);
}

static void
test_differential_machine (void)
{
  run_differential (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Made once and kept, so that counting live shapes counts ours. */
  flyweight_shape_get_empty ();
  g_type_class_unref (g_type_class_ref (FLYWEIGHT_TYPE_POKIES_DYNAMIC));

  g_test_add_func ("/attr-differential/store", test_differential_store);
  g_test_add_func ("/attr-differential/machine", test_differential_machine);

  return g_test_run ();
}
