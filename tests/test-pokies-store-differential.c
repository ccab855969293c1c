/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightPokiesStore against a GListStore of PokiesDynamic machines.
 *
 * Random runs of insertions, removals, splices, attribute writes (through
 * views and in bulk), draws and sorts are applied to both. After every
 * step:
 * - the store emitted exactly the items-changed the GListStore emitted;
 * - a listener that applied those items-changed to its own copy of the
 *   list (reading new items with get_item()) holds what the store holds;
 * - every row holds the reference machine's configuration, attributes
 *   and last draw;
 * - every held view reads its own machine: attached views sit at their
 *   machine's position, views of removed rows at FLYWEIGHT_INVALID_POSITION
 *   with what their machine had, and writes to them reach only them;
 * - count_attr() and filter_attr() agree with a scan of the reference.
 *
 * Each machine carries a unique "serial" so that rows can be told apart.
 * The seed is fixed and printed; FLYWEIGHT_TEST_SEED and
 * FLYWEIGHT_TEST_OPERATIONS override it and the length of the run, and
 * FLYWEIGHT_TEST_QUICK, which the valgrind setup sets, shortens it. */

#include <string.h>

#include <flyweight.h>

#include "value-model.h"

#define DEFAULT_SEED       20260413
#define N_OPERATIONS       6000
#define N_OPERATIONS_QUICK 600
#define MAX_ROWS           160
#define MAX_HELD           12

static const char * const names[] = { "owner", "level", "ratio", "lit", "tag", "misc" };

static const char * const owners[] = {
  "Aristocrat", "Konami", "IGT", "", "Ainsworth", "ünïcödé", "aristocrat",
};

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  guint32               seed;
  GRand                *rand;
  guint                 step;
  const char           *op;

  FlyweightPokiesStore *store;
  GListStore           *reference;   /* FlyweightPokiesDynamic */
  GObject              *shared_object;
  guint                 next_serial;

  /* Both draw from their own copy of one sequence. */
  FlyweightRandom      *store_random;
  FlyweightRandom      *reference_random;

  GArray               *store_changes;       /* Change */
  GArray               *reference_changes;   /* Change */
  GArray               *mirror;              /* serials, as a listener sees them */

  GPtrArray            *held_views;          /* FlyweightPokiesView */
  GPtrArray            *held_machines;       /* the matching reference machines */
} Run;

static void fail (Run        *run,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

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

  message = g_strdup_printf ("seed %u, step %u, operation %s: %s", run->seed, run->step, run->op, what);
  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
}

static guint
below (Run   *run,
       guint  n)
{
  return n == 0 ? 0 : (guint) g_rand_int_range (run->rand, 0, (gint32) n);
}

static gboolean
chance (Run   *run,
        guint  percent)
{
  return below (run, 100) < percent;
}

/* ---- the reference ---- */

static guint *
reference_draw (FlyweightPokies *machine)
{
  return g_object_get_data (G_OBJECT (machine), "last-draw");
}

static void
reference_set_draw (FlyweightPokies *machine,
                    const guint     *values)
{
  guint reels = flyweight_pokies_get_reels (machine);

  g_object_set_data_full (G_OBJECT (machine), "last-draw",
                          values != NULL ? g_memdup2 (values, reels * sizeof (guint)) : NULL,
                          g_free);
}

static FlyweightPokies *
reference_nth (Run   *run,
               guint  position)
{
  return g_list_model_get_item (G_LIST_MODEL (run->reference), position);
}

/* A copy of @machine, as the store makes one: dimensions, attributes, and
 * the last draw if it is a view (or a reference machine standing for one). */
static FlyweightPokies *
reference_copy (FlyweightPokies *machine,
                gboolean         with_draw)
{
  g_auto(GStrv) attrs = flyweight_pokies_list_attrs (machine);
  FlyweightPokies *copy;

  copy = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (flyweight_pokies_get_reels (machine),
                                                         flyweight_pokies_get_symbols (machine),
                                                         NULL));
  for (guint i = 0; attrs[i] != NULL; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if (strcmp (attrs[i], "reels") == 0 || strcmp (attrs[i], "symbols") == 0)
        continue;
      g_assert_true (flyweight_pokies_get_attr (machine, attrs[i], &value, NULL));
      g_assert_true (flyweight_pokies_set_attr (copy, attrs[i], &value, NULL));
    }

  if (with_draw)
    reference_set_draw (copy, reference_draw (machine));

  return copy;
}

/* ---- signals ---- */

static void
record_change (GArray *changes,
               guint   position,
               guint   removed,
               guint   added)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
reference_items_changed_cb (GListModel *model,
                            guint       position,
                            guint       removed,
                            guint       added,
                            Run        *run)
{
  /* GListStore reports an empty splice; the store reports nothing. */
  if (removed > 0 || added > 0)
    record_change (run->reference_changes, position, removed, added);
}

static gint
serial_of (FlyweightPokies *machine)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  if (!flyweight_pokies_get_attr (machine, "serial", &value, NULL))
    return -1;

  return g_value_get_int (&value);
}

/* The listener: applies each change to its own list, reading new items
 * from the store as a GTK list view would. */
static void
store_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        Run        *run)
{
  record_change (run->store_changes, position, removed, added);

  if (position > run->mirror->len || removed > run->mirror->len - position)
    fail (run, "items-changed (%u, %u, %u) on a list of %u", position, removed, added, run->mirror->len);

  g_array_remove_range (run->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(FlyweightPokies) item = g_list_model_get_item (model, position + i);
      gint serial;

      if (item == NULL)
        fail (run, "no item at %u during items-changed (%u, %u, %u)", position + i, position, removed, added);
      serial = serial_of (item);
      g_array_insert_val (run->mirror, position + i, serial);
    }
}

/* ---- values ---- */

static void
random_value (Run        *run,
              const char *name,
              GValue     *value)
{
  /* Each name mostly keeps one type, so most columns stay typed; now and
   * then another type turns one into a column of values. */
  guint kind = chance (run, 8) ? below (run, 8) : (guint) (name[0] + name[1]) % 5;

  switch (kind)
    {
    case 0:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, chance (run, 5) ? NULL : owners[below (run, G_N_ELEMENTS (owners))]);
      break;
    case 1:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (gint) below (run, 20) - 10);
      break;
    case 2:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, chance (run, 10) ? -0.0 : (gdouble) below (run, 50) / 4.0 - 3.0);
      break;
    case 3:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, chance (run, 50));
      break;
    case 4:
      g_value_init (value, G_TYPE_UINT64);
      g_value_set_uint64 (value, chance (run, 20) ? G_MAXUINT64 - below (run, 3) : below (run, 7));
      break;
    case 5:
      g_value_init (value, G_TYPE_OBJECT);
      g_value_set_object (value, chance (run, 30) ? NULL : run->shared_object);
      break;
    case 6:
      {
        const char *strv[] = { owners[below (run, 3)], "x", NULL };

        g_value_init (value, G_TYPE_STRV);
        g_value_set_boxed (value, strv);
      }
      break;
    default:
      g_value_init (value, FLYWEIGHT_TYPE_ERROR);
      g_value_set_enum (value, (gint) below (run, 5));
      break;
    }
}

static void
configuration (Run   *run,
               guint *reels,
               guint *symbols)
{
  switch (below (run, 6))
    {
    case 0:
      /* More outcomes than a 64-bit cell holds: kept aside. */
      *reels = 20;
      *symbols = 1000;
      break;
    case 1:
      *reels = 1;
      *symbols = 1;
      break;
    default:
      *reels = 3;
      *symbols = 8 + below (run, 4);
      break;
    }
}

/* ---- checks ---- */

static void
check_machine (Run             *run,
               const char      *what,
               FlyweightPokies *got,
               FlyweightPokies *expected,
               gboolean         check_draw)
{
  g_auto(GStrv) got_names = flyweight_pokies_list_attrs (got);
  g_auto(GStrv) expected_names = flyweight_pokies_list_attrs (expected);

  if (flyweight_pokies_get_reels (got) != flyweight_pokies_get_reels (expected) ||
      flyweight_pokies_get_symbols (got) != flyweight_pokies_get_symbols (expected))
    fail (run, "%s: %u×%u, expected %u×%u", what,
          flyweight_pokies_get_reels (got), flyweight_pokies_get_symbols (got),
          flyweight_pokies_get_reels (expected), flyweight_pokies_get_symbols (expected));

  if (!g_strv_equal ((const char * const *) got_names, (const char * const *) expected_names))
    {
      g_autofree char *a = g_strjoinv (",", got_names);
      g_autofree char *b = g_strjoinv (",", expected_names);

      fail (run, "%s: attributes %s, expected %s", what, a, b);
    }

  for (guint i = 0; expected_names[i] != NULL; i++)
    {
      g_auto (GValue) a = G_VALUE_INIT;
      g_auto (GValue) b = G_VALUE_INIT;

      g_assert_true (flyweight_pokies_get_attr (got, expected_names[i], &a, NULL));
      g_assert_true (flyweight_pokies_get_attr (expected, expected_names[i], &b, NULL));
      if (!values_equal (&a, &b))
        {
          g_autofree char *sa = g_strdup_value_contents (&a);
          g_autofree char *sb = g_strdup_value_contents (&b);

          fail (run, "%s: “%s” is %s %s, expected %s %s", what, expected_names[i],
                G_VALUE_TYPE_NAME (&a), sa, G_VALUE_TYPE_NAME (&b), sb);
        }
    }

  if (check_draw)
    {
      guint n_values;
      g_autofree guint *draw = flyweight_pokies_view_get_last_draw (FLYWEIGHT_POKIES_VIEW (got), &n_values);
      const guint *expected_draw = reference_draw (expected);

      if ((draw == NULL) != (expected_draw == NULL) ||
          (draw != NULL && memcmp (draw, expected_draw, n_values * sizeof (guint)) != 0))
        fail (run, "%s: the last draw differs", what);
    }
}

static void
check_changes (Run *run)
{
  GArray *a = run->store_changes;
  GArray *b = run->reference_changes;

  if (a->len != b->len)
    fail (run, "%u items-changed, expected %u", a->len, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      Change *x = &g_array_index (a, Change, i);
      Change *y = &g_array_index (b, Change, i);

      if (x->position != y->position || x->removed != y->removed || x->added != y->added)
        fail (run, "items-changed (%u, %u, %u), expected (%u, %u, %u)",
              x->position, x->removed, x->added, y->position, y->removed, y->added);
    }

  g_array_set_size (a, 0);
  g_array_set_size (b, 0);
}

static gboolean
count_equal (const GValue *a,
             const GValue *b)
{
  /* count_attr() compares numbers by value: -0.0 is 0.0. */
  if (G_VALUE_TYPE (a) == G_TYPE_DOUBLE && G_VALUE_TYPE (b) == G_TYPE_DOUBLE)
    return g_value_get_double (a) == g_value_get_double (b);

  return values_equal (a, b);
}

static void
check_count (Run *run)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  const char *name = names[below (run, G_N_ELEMENTS (names))];
  g_auto (GValue) wanted = G_VALUE_INIT;
  g_autofree guint *positions = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  guint count, n_positions;
  gboolean any = chance (run, 20);

  /* Look for a value some row holds, or for the attribute itself. */
  if (!any && n > 0)
    {
      g_autoptr(FlyweightPokies) machine = reference_nth (run, below (run, n));

      if (!flyweight_pokies_get_attr (machine, name, &wanted, NULL))
        random_value (run, name, &wanted);
    }
  else if (!any)
    random_value (run, name, &wanted);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlyweightPokies) machine = reference_nth (run, i);
      g_auto (GValue) value = G_VALUE_INIT;

      if (!flyweight_pokies_get_attr (machine, name, &value, NULL))
        continue;
      if (any || count_equal (&value, &wanted))
        g_array_append_val (expected, i);
    }

  count = flyweight_pokies_store_count_attr (run->store, name, any ? NULL : &wanted, &error);
  g_assert_no_error (error);
  positions = flyweight_pokies_store_filter_attr (run->store, name, any ? NULL : &wanted, &n_positions, &error);
  g_assert_no_error (error);

  /* A typed column finds values of another type that convert to its own;
   * the reference only knows exact matches, so compare only when every
   * row with the attribute holds the type looked for. */
  if (!any)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(FlyweightPokies) machine = reference_nth (run, i);
        g_auto (GValue) value = G_VALUE_INIT;

        if (flyweight_pokies_get_attr (machine, name, &value, NULL) &&
            G_VALUE_TYPE (&value) != G_VALUE_TYPE (&wanted))
          return;
      }

  if (count != expected->len || n_positions != expected->len)
    fail (run, "count_attr (%s): %u, filter_attr: %u, expected %u", name, count, n_positions, expected->len);
  if (expected->len > 0 && memcmp (positions, expected->data, expected->len * sizeof (guint)) != 0)
    fail (run, "filter_attr (%s) found other rows", name);
}

static void
check_all (Run *run)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (run->reference));

  check_changes (run);

  if (g_list_model_get_n_items (G_LIST_MODEL (run->store)) != n)
    fail (run, "%u machines, expected %u", g_list_model_get_n_items (G_LIST_MODEL (run->store)), n);
  if (run->mirror->len != n)
    fail (run, "the listener sees %u machines, expected %u", run->mirror->len, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlyweightPokies) expected = reference_nth (run, i);
      g_autoptr(FlyweightPokiesView) view = flyweight_pokies_store_get_view (run->store, i);
      g_autofree char *what = g_strdup_printf ("row %u", i);

      if (g_array_index (run->mirror, gint, i) != serial_of (expected))
        fail (run, "the listener sees serial %d at %u, expected %d",
              g_array_index (run->mirror, gint, i), i, serial_of (expected));
      if (flyweight_pokies_view_get_position (view) != i)
        fail (run, "the view of row %u says it is at %u", i, flyweight_pokies_view_get_position (view));
      check_machine (run, what, FLYWEIGHT_POKIES (view), expected, TRUE);
    }

  for (guint i = 0; i < run->held_views->len; i++)
    {
      FlyweightPokiesView *view = g_ptr_array_index (run->held_views, i);
      FlyweightPokies *machine = g_ptr_array_index (run->held_machines, i);
      guint expected_position;
      g_autofree char *what = g_strdup_printf ("held view %u", i);

      if (!g_list_store_find (run->reference, machine, &expected_position))
        expected_position = FLYWEIGHT_INVALID_POSITION;
      if (flyweight_pokies_view_get_position (view) != expected_position)
        fail (run, "held view %u is at %u, expected %u", i,
              flyweight_pokies_view_get_position (view), expected_position);
      check_machine (run, what, FLYWEIGHT_POKIES (view), machine, TRUE);
    }

  check_count (run);
}

/* ---- operations ---- */

static void
give_serials (Run   *run,
              guint  position,
              guint  n)
{
  g_autofree gint *serials = g_new (gint, MAX (n, 1));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlyweightPokies) machine = reference_nth (run, position + i);
      g_auto (GValue) value = G_VALUE_INIT;

      serials[i] = (gint) run->next_serial++;
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, serials[i]);
      g_assert_true (flyweight_pokies_set_attr (machine, "serial", &value, NULL));
    }

  g_assert_true (flyweight_pokies_store_set_attr_ints (run->store, "serial", position, serials, n, &error));
  g_assert_no_error (error);

  /* The listener read those rows before they had serials. */
  for (guint i = 0; i < n; i++)
    g_array_index (run->mirror, gint, position + i) = serials[i];
}

static void
op_insert_many (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  guint position = below (run, n_rows + 1);
  guint n = chance (run, 10) ? 0 : 1 + below (run, 12);
  guint reels, symbols;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  configuration (run, &reels, &symbols);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (added, flyweight_pokies_dynamic_new (reels, symbols, NULL));

  if (position == n_rows && chance (run, 50))
    g_assert_true (flyweight_pokies_store_append_many (run->store, n, reels, symbols, &error));
  else
    g_assert_true (flyweight_pokies_store_insert_many (run->store, position, n, reels, symbols, &error));
  g_assert_no_error (error);
  if (n > 0)
    g_list_store_splice (run->reference, position, 0, added->pdata, n);

  give_serials (run, position, n);
}

static void
op_splice (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  guint position = below (run, n_rows + 1);
  guint n_removals = below (run, MIN (n_rows - position, 8) + 1);
  guint n_additions = below (run, 5);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_additions; i++)
    {
      guint kind = below (run, 3);

      if (kind == 0 && n_rows > 0)
        {
          /* A view of this very store, maybe of a row being removed. */
          guint row = below (run, n_rows);
          g_autoptr(FlyweightPokies) original = reference_nth (run, row);

          g_ptr_array_add (sources, flyweight_pokies_store_get_view (run->store, row));
          g_ptr_array_add (copies, reference_copy (original, TRUE));
        }
      else if (kind == 1)
        {
          guint reels, symbols;
          FlyweightPokies *machine;

          configuration (run, &reels, &symbols);
          machine = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, NULL));
          for (guint k = below (run, 3); k > 0; k--)
            {
              const char *name = names[below (run, G_N_ELEMENTS (names))];
              g_auto (GValue) value = G_VALUE_INIT;

              random_value (run, name, &value);
              flyweight_pokies_set_attr (machine, name, &value, NULL);
            }
          g_ptr_array_add (sources, machine);
          g_ptr_array_add (copies, reference_copy (machine, FALSE));
        }
      else
        {
          g_ptr_array_add (sources, flyweight_pokies_slotted_new (2, 6, NULL));
          g_ptr_array_add (copies, flyweight_pokies_dynamic_new (2, 6, NULL));
        }
    }

  g_assert_true (flyweight_pokies_store_splice (run->store, position, n_removals,
                                                (FlyweightPokies * const *) sources->pdata,
                                                n_additions, &error));
  g_assert_no_error (error);
  g_list_store_splice (run->reference, position, n_removals, copies->pdata, n_additions);

  give_serials (run, position, n_additions);
}

static void
op_remove (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  guint position, n;

  if (n_rows == 0)
    return;

  if (chance (run, 3))
    {
      flyweight_pokies_store_remove_all (run->store);
      g_list_store_remove_all (run->reference);
      return;
    }

  position = below (run, n_rows);
  if (chance (run, 50))
    {
      flyweight_pokies_store_remove (run->store, position);
      g_list_store_remove (run->reference, position);
      return;
    }

  n = 1 + below (run, MIN (n_rows - position, 10));
  flyweight_pokies_store_remove_range (run->store, position, n);
  g_list_store_splice (run->reference, position, n, NULL, 0);
}

/* Picks a machine to change: a row, or a held view (maybe detached). */
static FlyweightPokies *
pick_target (Run              *run,
             FlyweightPokies **reference)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));

  if (run->held_views->len > 0 && chance (run, 30))
    {
      guint i = below (run, run->held_views->len);

      *reference = g_object_ref (g_ptr_array_index (run->held_machines, i));
      return g_object_ref (g_ptr_array_index (run->held_views, i));
    }

  if (n_rows == 0)
    return NULL;

  {
    guint row = below (run, n_rows);

    *reference = reference_nth (run, row);
    return FLYWEIGHT_POKIES (flyweight_pokies_store_get_view (run->store, row));
  }
}

static void
attr_changed_cb (FlyweightPokies *machine,
                 const char      *name,
                 guint           *count)
{
  (*count)++;
}

static void
op_set_attr (Run *run)
{
  g_autoptr(FlyweightPokies) reference = NULL;
  g_autoptr(FlyweightPokies) target = pick_target (run, &reference);
  const char *name = names[below (run, G_N_ELEMENTS (names))];
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  guint changes = 0;
  gulong handler;

  if (target == NULL)
    return;

  handler = g_signal_connect (target, "attr-changed", G_CALLBACK (attr_changed_cb), &changes);

  if (chance (run, 25))
    {
      gboolean had = flyweight_pokies_has_attr (reference, name);

      if (flyweight_pokies_del_attr (target, name, &error) != had)
        fail (run, "del_attr (%s) disagrees", name);
      if (!had)
        g_assert_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
      flyweight_pokies_del_attr (reference, name, NULL);
      if (changes != (had ? 1 : 0))
        fail (run, "%u attr-changed for del_attr", changes);
    }
  else
    {
      random_value (run, name, &value);
      g_assert_true (flyweight_pokies_set_attr (target, name, &value, &error));
      g_assert_no_error (error);
      g_assert_true (flyweight_pokies_set_attr (reference, name, &value, NULL));
      if (changes != 1)
        fail (run, "%u attr-changed for set_attr", changes);
    }

  g_signal_handler_disconnect (target, handler);
}

static void
op_bulk_attr (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  guint position = below (run, n_rows + 1);
  guint n = below (run, n_rows - position + 1);
  const char *name = names[below (run, G_N_ELEMENTS (names))];
  guint kind = below (run, 7);
  const char *dictionary[] = { "Aristocrat", NULL, "Konami", "" };
  g_autofree guint *indices = g_new (guint, MAX (n, 1));
  g_autofree gint *ints = g_new (gint, MAX (n, 1));
  g_autofree gdouble *doubles = g_new (gdouble, MAX (n, 1));
  g_autofree gboolean *booleans = g_new (gboolean, MAX (n, 1));
  g_autofree const char **strings = g_new (const char *, MAX (n, 1));
  g_auto (GValue) same = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (kind == 0)
    random_value (run, name, &same);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlyweightPokies) machine = reference_nth (run, position + i);
      g_auto (GValue) value = G_VALUE_INIT;

      switch (kind)
        {
        case 0:
          g_assert_true (flyweight_pokies_set_attr (machine, name, &same, NULL));
          break;
        case 1:
          flyweight_pokies_del_attr (machine, name, NULL);
          break;
        case 2:
          strings[i] = chance (run, 5) ? NULL : owners[below (run, G_N_ELEMENTS (owners))];
          g_value_init (&value, G_TYPE_STRING);
          g_value_set_string (&value, strings[i]);
          break;
        case 3:
          ints[i] = (gint) below (run, 7) - 3;
          g_value_init (&value, G_TYPE_INT);
          g_value_set_int (&value, ints[i]);
          break;
        case 4:
          doubles[i] = (gdouble) below (run, 9) / 2.0;
          g_value_init (&value, G_TYPE_DOUBLE);
          g_value_set_double (&value, doubles[i]);
          break;
        case 6:
          indices[i] = below (run, G_N_ELEMENTS (dictionary));
          g_value_init (&value, G_TYPE_STRING);
          g_value_set_string (&value, dictionary[indices[i]]);
          break;
        default:
          booleans[i] = chance (run, 50);
          g_value_init (&value, G_TYPE_BOOLEAN);
          g_value_set_boolean (&value, booleans[i]);
          break;
        }
      if (G_IS_VALUE (&value))
        g_assert_true (flyweight_pokies_set_attr (machine, name, &value, NULL));
    }

  switch (kind)
    {
    case 0:
      g_assert_true (flyweight_pokies_store_set_attr_range (run->store, name, position, n, &same, &error));
      break;
    case 1:
      g_assert_true (flyweight_pokies_store_del_attr_range (run->store, name, position, n, &error));
      break;
    case 2:
      g_assert_true (flyweight_pokies_store_set_attr_strings (run->store, name, position, strings, n, &error));
      break;
    case 3:
      g_assert_true (flyweight_pokies_store_set_attr_ints (run->store, name, position, ints, n, &error));
      break;
    case 4:
      g_assert_true (flyweight_pokies_store_set_attr_doubles (run->store, name, position, doubles, n, &error));
      break;
    case 6:
      g_assert_true (flyweight_pokies_store_set_attr_dictionary (run->store, name, position,
                                                                 dictionary, G_N_ELEMENTS (dictionary),
                                                                 indices, n, &error));
      break;
    default:
      g_assert_true (flyweight_pokies_store_set_attr_booleans (run->store, name, position, booleans, n, &error));
      break;
    }
  g_assert_no_error (error);
}

static void
op_draw (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));

  if (chance (run, 60))
    {
      g_autoptr(FlyweightPokies) reference = NULL;
      g_autoptr(FlyweightPokies) target = pick_target (run, &reference);
      g_autofree guint *drawn = NULL;
      g_autofree guint *expected = NULL;
      guint n_drawn, n_expected;

      if (target == NULL)
        return;
      drawn = flyweight_pokies_draw_with (target, run->store_random, &n_drawn);
      expected = flyweight_pokies_draw_with (reference, run->reference_random, &n_expected);
      g_assert_cmpmem (drawn, n_drawn * sizeof (guint), expected, n_expected * sizeof (guint));
      reference_set_draw (reference, expected);
    }
  else
    {
      guint position = below (run, n_rows + 1);
      guint n = below (run, n_rows - position + 1);

      if (chance (run, 20))
        {
          position = 0;
          n = n_rows;
          flyweight_pokies_store_draw_all (run->store, run->store_random);
        }
      else
        flyweight_pokies_store_draw_range (run->store, position, n, run->store_random);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FlyweightPokies) machine = reference_nth (run, position + i);
          guint n_values;
          g_autofree guint *values = flyweight_pokies_draw_with (machine, run->reference_random, &n_values);

          reference_set_draw (machine, values);
        }
    }
}

/* The reference order of two values of one attribute: by type name when
 * types differ, numbers by value, booleans FALSE first, strings by
 * g_utf8_collate() with NULL first. */
static int
reference_compare_values (const GValue *a,
                          const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    return strcmp (g_type_name (type), g_type_name (G_VALUE_TYPE (b)));

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return (!!g_value_get_boolean (a)) - (!!g_value_get_boolean (b));
    case G_TYPE_INT:
      return (g_value_get_int (a) > g_value_get_int (b)) - (g_value_get_int (a) < g_value_get_int (b));
    case G_TYPE_UINT:
      return (g_value_get_uint (a) > g_value_get_uint (b)) - (g_value_get_uint (a) < g_value_get_uint (b));
    case G_TYPE_ENUM:
      return (g_value_get_enum (a) > g_value_get_enum (b)) - (g_value_get_enum (a) < g_value_get_enum (b));
    case G_TYPE_UINT64:
      return (g_value_get_uint64 (a) > g_value_get_uint64 (b)) - (g_value_get_uint64 (a) < g_value_get_uint64 (b));
    case G_TYPE_DOUBLE:
      return (g_value_get_double (a) > g_value_get_double (b)) - (g_value_get_double (a) < g_value_get_double (b));
    case G_TYPE_STRING:
      if (g_value_get_string (a) == NULL || g_value_get_string (b) == NULL)
        return (g_value_get_string (a) != NULL) - (g_value_get_string (b) != NULL);
      return g_utf8_collate (g_value_get_string (a), g_value_get_string (b));
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  FlyweightPokies *machine;
  guint            row;
  GValue           value;     /* empty: no attribute */
  guint           *draw;
} SortItem;

static const char *sort_name;
static gboolean sort_descending;
static gboolean sort_by_draw;

static int
compare_sort_items (gconstpointer pa,
                    gconstpointer pb)
{
  const SortItem *a = pa;
  const SortItem *b = pb;
  int result = 0;

  if (sort_by_draw)
    {
      guint na = flyweight_pokies_get_reels (a->machine);
      guint nb = flyweight_pokies_get_reels (b->machine);

      if ((a->draw == NULL) != (b->draw == NULL))
        return a->draw == NULL ? 1 : -1;
      if (a->draw != NULL)
        {
          for (guint i = 0; i < MIN (na, nb) && result == 0; i++)
            result = (a->draw[i] > b->draw[i]) - (a->draw[i] < b->draw[i]);
          if (result == 0)
            result = (na > nb) - (na < nb);
        }
    }
  else
    {
      if (G_IS_VALUE (&a->value) != G_IS_VALUE (&b->value))
        return G_IS_VALUE (&a->value) ? -1 : 1;
      if (G_IS_VALUE (&a->value))
        result = reference_compare_values (&a->value, &b->value);
    }

  if (result != 0)
    return sort_descending ? -result : result;

  return (a->row > b->row) - (a->row < b->row);
}

static void
op_sort (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));
  g_autofree SortItem *items = g_new0 (SortItem, MAX (n_rows, 1));
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  gboolean changed = FALSE;
  g_autoptr(GError) error = NULL;

  sort_by_draw = chance (run, 25);
  sort_descending = chance (run, 50);
  sort_name = chance (run, 15) ? (chance (run, 50) ? "reels" : "symbols")
                               : names[below (run, G_N_ELEMENTS (names))];

  for (guint i = 0; i < n_rows; i++)
    {
      items[i].machine = reference_nth (run, i);
      items[i].row = i;
      items[i].draw = reference_draw (items[i].machine);
      if (!sort_by_draw && flyweight_pokies_get_attr (items[i].machine, sort_name, &items[i].value, NULL))
        {
          GType fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&items[i].value));

          /* Objects and arrays sort by address: no order to predict. */
          if (fundamental == G_TYPE_OBJECT || fundamental == G_TYPE_BOXED)
            {
              for (guint j = 0; j <= i; j++)
                {
                  if (G_IS_VALUE (&items[j].value))
                    g_value_unset (&items[j].value);
                  g_object_unref (items[j].machine);
                }
              return;
            }
        }
    }

  qsort (items, n_rows, sizeof (SortItem), compare_sort_items);

  for (guint i = 0; i < n_rows; i++)
    {
      changed |= items[i].row != i;
      g_ptr_array_add (sorted, items[i].machine);
    }

  if (sort_by_draw)
    flyweight_pokies_store_sort_by_last_draw (run->store, sort_descending);
  else
    g_assert_true (flyweight_pokies_store_sort_by_attr (run->store, sort_name, sort_descending, &error));
  g_assert_no_error (error);

  if (changed)
    g_list_store_splice (run->reference, 0, n_rows, sorted->pdata, n_rows);

  for (guint i = 0; i < n_rows; i++)
    {
      if (G_IS_VALUE (&items[i].value))
        g_value_unset (&items[i].value);
      g_object_unref (items[i].machine);
    }
}

static void
op_hold (Run *run)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (run->reference));

  if (run->held_views->len > 0 && (run->held_views->len >= MAX_HELD || chance (run, 40)))
    {
      guint i = below (run, run->held_views->len);

      g_ptr_array_remove_index_fast (run->held_views, i);
      g_ptr_array_remove_index_fast (run->held_machines, i);
      return;
    }

  if (n_rows > 0)
    {
      guint row = below (run, n_rows);

      g_ptr_array_add (run->held_views, flyweight_pokies_store_get_view (run->store, row));
      g_ptr_array_add (run->held_machines, reference_nth (run, row));
    }
}

static const struct
{
  const char *name;
  void      (*run) (Run *run);
  guint       weight;
} operations[] = {
  { "insert-many", op_insert_many, 12 },
  { "splice", op_splice, 10 },
  { "remove", op_remove, 12 },
  { "set-attr", op_set_attr, 25 },
  { "bulk-attr", op_bulk_attr, 10 },
  { "draw", op_draw, 10 },
  { "sort", op_sort, 5 },
  { "hold", op_hold, 10 },
};

static void
test_differential (void)
{
  Run run = { 0 };
  const char *seed_env = g_getenv ("FLYWEIGHT_TEST_SEED");
  const char *ops_env = g_getenv ("FLYWEIGHT_TEST_OPERATIONS");
  guint n_operations = g_getenv ("FLYWEIGHT_TEST_QUICK") != NULL ? N_OPERATIONS_QUICK : N_OPERATIONS;
  guint total_weight = 0;
  guint counts[G_N_ELEMENTS (operations)] = { 0 };
  GWeakRef store_ref;

  run.seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : DEFAULT_SEED;
  if (ops_env != NULL)
    n_operations = (guint) g_ascii_strtoull (ops_env, NULL, 10);
  g_test_message ("seed %u, %u operations (FLYWEIGHT_TEST_SEED, FLYWEIGHT_TEST_OPERATIONS)",
                  run.seed, n_operations);

  run.rand = g_rand_new_with_seed (run.seed);
  run.store = flyweight_pokies_store_new ();
  run.reference = g_list_store_new (FLYWEIGHT_TYPE_POKIES);
  run.shared_object = g_object_new (G_TYPE_OBJECT, NULL);
  run.store_random = flyweight_random_new (run.seed);
  run.reference_random = flyweight_random_new (run.seed);
  run.store_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  run.reference_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  run.mirror = g_array_new (FALSE, FALSE, sizeof (gint));
  run.held_views = g_ptr_array_new_with_free_func (g_object_unref);
  run.held_machines = g_ptr_array_new_with_free_func (g_object_unref);

  g_signal_connect (run.store, "items-changed", G_CALLBACK (store_items_changed_cb), &run);
  g_signal_connect (run.reference, "items-changed", G_CALLBACK (reference_items_changed_cb), &run);

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    total_weight += operations[i].weight;

  for (run.step = 0; run.step < n_operations; run.step++)
    {
      guint pick = below (&run, total_weight);
      guint i = 0;

      while (pick >= operations[i].weight)
        pick -= operations[i++].weight;

      /* Keep the store small enough to check whole after every step. */
      if (g_list_model_get_n_items (G_LIST_MODEL (run.reference)) > MAX_ROWS &&
          operations[i].run == op_insert_many)
        i = 2;

      run.op = operations[i].name;
      operations[i].run (&run);
      counts[i]++;
      check_all (&run);
    }

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    g_test_message ("%s: %u", operations[i].name, counts[i]);

  /* Every view, held or made for checking, is gone with its last
   * reference; the store goes with the last view. */
  g_ptr_array_set_size (run.held_views, 0);
  g_assert_cmpuint (flyweight_pokies_store_get_n_live_views (run.store), ==, 0);
  g_weak_ref_init (&store_ref, run.store);
  g_signal_handlers_disconnect_by_data (run.store, &run);
  g_object_unref (run.store);
  g_assert_null (g_weak_ref_get (&store_ref));
  g_weak_ref_clear (&store_ref);

  g_ptr_array_unref (run.held_views);
  g_ptr_array_unref (run.held_machines);
  g_array_unref (run.mirror);
  g_array_unref (run.store_changes);
  g_array_unref (run.reference_changes);
  g_object_unref (run.store_random);
  g_object_unref (run.reference_random);
  g_object_unref (run.reference);
  g_assert_finalize_object (run.shared_object);
  g_rand_free (run.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pokies-store/differential", test_differential);

  return g_test_run ();
}
