/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* flyweight-bench: the timing side of the measurements, run with
 * `meson compile -C BUILD bench`. Every figure is the median of several
 * repetitions of a loop timed as a whole on the monotonic clock, and every
 * section carries its reference rows from the same run (the GObject and
 * malloc floors, a naive GHashTable, the notebook's CPython classes), so
 * that the ratios mean something on a noisy machine. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <flyweight.h>

#include "bench-bindings.h"
#include "memit-child.h"
#include "memit-json.h"
#include "memit-measure.h"
#include "memit-python.h"
#include "memit-variant.h"

#define EXIT_USAGE 2

static int opt_count = 200000;
static int opt_memory_count = 1000000;
static int opt_operations = 1000000;
static int opt_repetitions = 5;
static gboolean opt_json = FALSE;
static char *opt_output = NULL;
static gboolean opt_no_python = FALSE;
static gboolean opt_no_bindings = FALSE;
static char *opt_child = NULL;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
    "Instances per creation loop (default 200000)", "N" },
  { "memory-count", 0, 0, G_OPTION_ARG_INT, &opt_memory_count,
    "Instances for the fresh-process bytes of the C and CPython rows (default 1000000)", "N" },
  { "operations", 'm', 0, G_OPTION_ARG_INT, &opt_operations,
    "Operations per attribute loop; draw() loops do a fifth (default 1000000)", "M" },
  { "repetitions", 'r', 0, G_OPTION_ARG_INT, &opt_repetitions,
    "Loops per figure, of which the median is reported (default 5)", "R" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print JSON instead of the tables", NULL },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    "Also write the JSON to FILE", "FILE" },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &opt_no_python,
    "Leave out the CPython, PyGObject and gjs rows", NULL },
  { "no-bindings", 0, 0, G_OPTION_ARG_NONE, &opt_no_bindings,
    "Leave out the PyGObject and gjs rows", NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child,
    "Measure one C variant in this process and print one JSON line", "ID" },
  { NULL }
};

typedef struct
{
  char   *id;
  char   *label;
  double  bytes;      /* NAN when the section does not measure memory */
  double  ns;         /* NAN when the row failed */
  char   *reference;  /* the CPython row this one is compared with, or NULL */
} BenchRow;

typedef struct
{
  const char *id;
  const char *title;
  const char *floor;  /* a row of the same section every row is compared with */
  gboolean    show_bytes;
  GPtrArray  *rows;
} BenchSection;

static void
bench_row_free (gpointer data)
{
  BenchRow *row = data;

  g_free (row->id);
  g_free (row->label);
  g_free (row->reference);
  g_free (row);
}

static BenchRow *
add_row (BenchSection *section,
         const char   *id,
         const char   *label,
         double        bytes,
         double        ns,
         const char   *reference)
{
  BenchRow *row = g_new0 (BenchRow, 1);

  row->id = g_strdup (id);
  row->label = g_strdup (label);
  row->bytes = bytes;
  row->ns = ns;
  row->reference = g_strdup (reference);
  g_ptr_array_add (section->rows, row);

  return row;
}

static const BenchRow *
find_row (const BenchSection *section,
          const char         *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < section->rows->len; i++)
    {
      const BenchRow *row = g_ptr_array_index (section->rows, i);

      if (g_str_equal (row->id, id))
        return row;
    }

  return NULL;
}

static double
ratio (double value,
       double reference)
{
  return isfinite (value) && isfinite (reference) && reference > 0 ? value / reference : NAN;
}

static void
progress (const char *what)
{
  if (!opt_json)
    g_printerr ("… %s\n", what);
}

/* Creation: each C variant in this process, repetitions interleaved
 * across the variants so that a slow spell of the machine hits them all. */
static void
bench_creation (BenchSection *section,
                GHashTable   *python)
{
  /* The CPython class each C row is compared with. */
  static const struct {
    const char *id;
    const char *reference;
  } c_rows[] = {
    { "dynamic", "python-dict" },
    { "dynamic-props", "python-dict" },
    { "dynamic-owner", NULL },
    { "slotted", "python-slots" },
    { "slotted-props", "python-slots" },
    { "slotted-weakref", "python-weakslots" },
    { "gobject-floor", "python-slots" },
    { "gobject-floor-props", "python-slots" },
    { "gobject-floor-defaults", "python-slots" },
    { "malloc-struct", "python-slots" },
    { "hashtable", "python-dict" },
  };
  static const struct {
    const char *id;
    const char *label;
  } python_rows[] = {
    { "python-dict", "CPython Pokies" },
    { "python-slots", "CPython FlyweightPokies" },
    { "python-weakslots", "CPython WeakPokies" },
  };
  double samples[G_N_ELEMENTS (c_rows)][64];
  guint repetitions = (guint) opt_repetitions;

  progress ("creation");

  for (guint r = 0; r < repetitions; r++)
    for (gsize i = 0; i < G_N_ELEMENTS (c_rows); i++)
      {
        const MemitVariant *variant = memit_variant_lookup (c_rows[i].id, TRUE);
        g_autoptr(GError) error = NULL;

        if (!memit_variant_time (variant, (gsize) opt_count, &samples[i][r], &error))
          {
            g_printerr ("flyweight-bench: %s\n", error->message);
            exit (EXIT_FAILURE);
          }
      }

  for (gsize i = 0; i < G_N_ELEMENTS (c_rows); i++)
    {
      const MemitVariant *variant = memit_variant_lookup (c_rows[i].id, TRUE);

      add_row (section, variant->id, variant->label, NAN,
               memit_measure_median (samples[i], repetitions), c_rows[i].reference);
    }

  if (python != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (python_rows); i++)
      {
        g_autofree char *key = g_strconcat ("create_", python_rows[i].id, NULL);
        double ns = NAN;

        memit_json_lookup_number (python, key, &ns);
        add_row (section, python_rows[i].id, python_rows[i].label, NAN, ns, NULL);
      }
}

static GValue *
new_string_value (const char *text)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_STRING);
  g_value_set_static_string (value, text);

  return value;
}

static void
free_value (gpointer data)
{
  g_value_unset (data);
  g_free (data);
}

typedef enum {
  OP_GET_ATTR,
  OP_PEEK_ATTR,
  OP_SET_ATTR,
  OP_HASH_GET,
  OP_HASH_SET,
  OP_DRAW_SLOTTED,
  OP_DRAW_DYNAMIC,
} Operation;

/* One timed loop of @operations calls; returns ns per call. */
static double
time_operation (Operation        op,
                FlyweightPokies *dynamic,
                FlyweightPokies *slotted,
                GHashTable      *table,
                const GValue    *owner,
                gsize            operations)
{
  guint64 start = memit_measure_now_ns ();

  switch (op)
    {
    case OP_GET_ATTR:
      for (gsize i = 0; i < operations; i++)
        {
          GValue value = G_VALUE_INIT;

          flyweight_pokies_get_attr (dynamic, "owner", &value, NULL);
          g_value_unset (&value);
        }
      break;

    case OP_PEEK_ATTR:
      for (gsize i = 0; i < operations; i++)
        flyweight_pokies_peek_attr (dynamic, "owner", NULL);
      break;

    case OP_SET_ATTR:
      for (gsize i = 0; i < operations; i++)
        flyweight_pokies_set_attr (dynamic, "owner", owner, NULL);
      break;

    case OP_HASH_GET:
      for (gsize i = 0; i < operations; i++)
        {
          const GValue *stored = g_hash_table_lookup (table, "owner");
          GValue value = G_VALUE_INIT;

          g_value_init (&value, G_VALUE_TYPE (stored));
          g_value_copy (stored, &value);
          g_value_unset (&value);
        }
      break;

    case OP_HASH_SET:
      for (gsize i = 0; i < operations; i++)
        g_hash_table_replace (table, g_strdup ("owner"), new_string_value ("Aristocrat"));
      break;

    case OP_DRAW_SLOTTED:
    case OP_DRAW_DYNAMIC:
      for (gsize i = 0; i < operations; i++)
        {
          guint n_values;

          g_free (flyweight_pokies_draw (op == OP_DRAW_SLOTTED ? slotted : dynamic, &n_values));
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return (double) (memit_measure_now_ns () - start) / (double) operations;
}

static double
median_of_operation (Operation        op,
                     FlyweightPokies *dynamic,
                     FlyweightPokies *slotted,
                     GHashTable      *table,
                     const GValue    *owner,
                     gsize            operations)
{
  double samples[64];

  for (int r = 0; r < opt_repetitions; r++)
    samples[r] = time_operation (op, dynamic, slotted, table, owner, operations);

  return memit_measure_median (samples, (gsize) opt_repetitions);
}

/* The operations timed in C, each against the CPython row it compares to. */
static const struct {
  const char *id;
  const char *label;
  Operation   op;
  gboolean    draw;
  const char *reference;
} c_operations[] = {
  { "get_attr", "PokiesDynamic get_attr (\"owner\")", OP_GET_ATTR, FALSE, "python-get" },
  { "peek_attr", "PokiesDynamic peek_attr (\"owner\")", OP_PEEK_ATTR, FALSE, "python-get" },
  { "hashtable-get", "GHashTable lookup + GValue copy", OP_HASH_GET, FALSE, "python-get" },
  { "set_attr", "PokiesDynamic set_attr (\"owner\")", OP_SET_ATTR, FALSE, "python-set" },
  { "hashtable-set", "GHashTable replace (new key + GValue)", OP_HASH_SET, FALSE, "python-set" },
  { "draw-slotted", "PokiesSlotted 3x10 draw ()", OP_DRAW_SLOTTED, TRUE, "python-draw-slots" },
  { "draw-dynamic", "PokiesDynamic 3x10 draw ()", OP_DRAW_DYNAMIC, TRUE, "python-draw-dict" },
};

/* The same operations in CPython, by their keys in the child's JSON. */
static const struct {
  const char *id;
  const char *label;
  const char *key;
  gboolean    draw;
} python_operations[] = {
  { "python-get", "CPython Pokies: o.owner", "attr_get", FALSE },
  { "python-set", "CPython Pokies: o.owner = 'Aristocrat'", "attr_set", FALSE },
  { "python-empty-loop", "CPython empty loop (included above)", "empty_loop", FALSE },
  { "python-draw-slots", "CPython FlyweightPokies(3, 10).draw()", "draw_slots", TRUE },
  { "python-draw-dict", "CPython Pokies(3, 10).draw()", "draw_dict", TRUE },
};

static void
bench_operations (BenchSection *attributes,
                  BenchSection *draws,
                  GHashTable   *python)
{
  g_autoptr(FlyweightPokies) dynamic = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
  g_autoptr(FlyweightPokies) slotted = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
  g_autoptr(GHashTable) table = NULL;
  g_autofree GValue *owner = new_string_value ("Aristocrat");
  gsize operations = (gsize) opt_operations;
  gsize draws_n = MAX (1, operations / 5);

  progress ("attributes and draw()");

  flyweight_pokies_set_attr (dynamic, "owner", owner, NULL);

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_value);
  g_hash_table_insert (table, g_strdup ("owner"), new_string_value ("Aristocrat"));

  for (guint i = 0; i < G_N_ELEMENTS (c_operations); i++)
    add_row (c_operations[i].draw ? draws : attributes,
             c_operations[i].id, c_operations[i].label, NAN,
             median_of_operation (c_operations[i].op, dynamic, slotted, table, owner,
                                  c_operations[i].draw ? draws_n : operations),
             c_operations[i].reference);

  if (python == NULL)
    return;

  /* The CPython rows, timed in /usr/bin/python3 by the same method. */
  for (guint i = 0; i < G_N_ELEMENTS (python_operations); i++)
    {
      double ns = NAN;

      memit_json_lookup_number (python, python_operations[i].key, &ns);
      add_row (python_operations[i].draw ? draws : attributes,
               python_operations[i].id, python_operations[i].label, NAN, ns, NULL);
    }
}

/* One object, each row in a fresh process: the C rows in a copy of this
 * program, CPython in /usr/bin/python3, and the bindings. */
static void
bench_objects (BenchSection       *objects,
               const BenchSection *creation,
               GHashTable         *python,
               gboolean            with_python,
               gboolean            with_bindings)
{
  static const struct {
    const char *id;
  } c_rows[] = { { "slotted" }, { "gobject-floor" } };
  static const struct {
    BenchBinding binding;
    const char  *what;
    const char  *id;
    const char  *label;
    const char  *reference;
  } binding_rows[] = {
    { BENCH_BINDING_PYGOBJECT, "slotted", "pygobject-slotted",
      "PyGObject Flyweight.PokiesSlotted.new(3, 10)", "python-slots" },
    { BENCH_BINDING_PYGOBJECT, "object", "pygobject-object",
      "PyGObject GObject.Object()", "python-slots" },
    { BENCH_BINDING_GJS, "slotted", "gjs-slotted",
      "gjs Flyweight.PokiesSlotted.new(3, 10)", "python-slots" },
    { BENCH_BINDING_GJS, "object", "gjs-object",
      "gjs new GObject.Object()", "python-slots" },
  };
  gsize n = (gsize) opt_count;
  /* The kernel's RSS counters are off by a few dozen pages: the C and
   * CPython rows, cheap to make, use a count where that is negligible. */
  gsize memory_n = (gsize) opt_memory_count;

  progress ("one object, fresh process each");

  for (gsize i = 0; i < G_N_ELEMENTS (c_rows); i++)
    {
      const MemitVariant *variant = memit_variant_lookup (c_rows[i].id, FALSE);
      const BenchRow *timed = find_row (creation, variant->id);
      g_auto(MemitSample) sample = { 0 };
      g_autoptr(GError) error = NULL;

      if (!memit_child_measure (variant, memory_n, &sample, &error))
        {
          g_printerr ("flyweight-bench: measuring %s failed: %s\n", variant->id, error->message);
          exit (EXIT_FAILURE);
        }

      add_row (objects, variant->id, variant->label, memit_sample_bytes_per_instance (&sample),
               timed != NULL ? timed->ns : NAN, "python-slots");
    }

  if (with_python)
    {
      const MemitVariant *variant = memit_variant_lookup ("python-slots", FALSE);
      g_auto(MemitSample) sample = { 0 };
      g_autoptr(GError) error = NULL;
      double ns = NAN;

      if (!memit_python_measure (variant, memory_n, &sample, &error))
        {
          g_printerr ("flyweight-bench: measuring %s failed: %s\n", variant->id, error->message);
          exit (EXIT_FAILURE);
        }

      if (python != NULL)
        memit_json_lookup_number (python, "create_python-slots", &ns);
      add_row (objects, variant->id, variant->label, memit_sample_bytes_per_instance (&sample),
               ns, NULL);
    }

  if (!with_bindings)
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (binding_rows); i++)
    {
      g_auto(MemitSample) sample = { 0 };
      g_autoptr(GError) error = NULL;
      /* gjs makes objects about twenty times slower than C: fewer of them. */
      gsize rows_n = binding_rows[i].binding == BENCH_BINDING_GJS ? MIN (n, 20000) : n;
      double ns = NAN;

      if (!bench_bindings_measure (binding_rows[i].binding, binding_rows[i].what, rows_n,
                                   (guint) opt_repetitions, &sample, &ns, &error))
        {
          /* A missing gjs or typelib costs the row, not the run. */
          g_printerr ("flyweight-bench: %s skipped: %s\n", binding_rows[i].id, error->message);
          continue;
        }

      add_row (objects, binding_rows[i].id, binding_rows[i].label,
               memit_sample_bytes_per_instance (&sample), ns, binding_rows[i].reference);
    }
}

static char *
format_number (double value,
               int    digits)
{
  return isfinite (value) ? g_strdup_printf ("%.*f", digits, value) : g_strdup ("—");
}

static void
print_section (GString            *out,
               const BenchSection *section)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const BenchRow *floor = find_row (section, section->floor);
  g_autofree char *floor_header = g_strdup_printf ("× %s", section->floor != NULL ? section->floor : "");
  gboolean has_floor = section->floor != NULL;
  guint n_columns;
  gsize widths[8] = { 0 };

  g_string_append_printf (out, "\n%s\n", section->title);

  g_ptr_array_add (cells, g_strdup ("row"));
  g_ptr_array_add (cells, g_strdup ("what"));
  if (section->show_bytes)
    g_ptr_array_add (cells, g_strdup ("bytes/inst"));
  g_ptr_array_add (cells, g_strdup ("ns"));
  if (has_floor && section->show_bytes)
    g_ptr_array_add (cells, g_strdup_printf ("bytes %s", floor_header));
  if (has_floor)
    g_ptr_array_add (cells, g_strdup_printf ("ns %s", floor_header));
  if (section->show_bytes)
    g_ptr_array_add (cells, g_strdup ("bytes × CPython"));
  g_ptr_array_add (cells, g_strdup ("ns × CPython"));
  n_columns = cells->len;

  for (guint i = 0; i < section->rows->len; i++)
    {
      const BenchRow *row = g_ptr_array_index (section->rows, i);
      const BenchRow *reference = find_row (section, row->reference);

      g_ptr_array_add (cells, g_strdup (row->id));
      g_ptr_array_add (cells, g_strdup (row->label));
      if (section->show_bytes)
        g_ptr_array_add (cells, format_number (row->bytes, 1));
      g_ptr_array_add (cells, format_number (row->ns, row->ns < 10 ? 1 : 0));
      if (has_floor && section->show_bytes)
        g_ptr_array_add (cells, format_number (ratio (row->bytes, floor ? floor->bytes : NAN), 2));
      if (has_floor)
        g_ptr_array_add (cells, format_number (ratio (row->ns, floor ? floor->ns : NAN), 2));
      if (section->show_bytes)
        g_ptr_array_add (cells, format_number (ratio (row->bytes, reference ? reference->bytes : NAN), 2));
      g_ptr_array_add (cells, format_number (ratio (row->ns, reference ? reference->ns : NAN), 2));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % n_columns] = MAX (widths[i % n_columns],
                                 (gsize) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);
      guint column = i % n_columns;
      gsize pad = widths[column] - (gsize) g_utf8_strlen (cell, -1);

      if (column > 0)
        g_string_append (out, "  ");
      if (column >= 2)
        g_string_append_printf (out, "%*s%s", (int) pad, "", cell);
      else
        g_string_append_printf (out, "%s%*s", cell, column + 1 < n_columns ? (int) pad : 0, "");
      if (column + 1 == n_columns)
        g_string_append_c (out, '\n');
    }
}

static void
append_section_json (GString            *out,
                     const BenchSection *section)
{
  memit_json_append_string (out, section->id);
  g_string_append (out, ":[");
  for (guint i = 0; i < section->rows->len; i++)
    {
      const BenchRow *row = g_ptr_array_index (section->rows, i);
      const BenchRow *reference = find_row (section, row->reference);
      const BenchRow *floor = find_row (section, section->floor);

      g_string_append (out, i > 0 ? ",\n  {\"id\":" : "\n  {\"id\":");
      memit_json_append_string (out, row->id);
      g_string_append (out, ",\"label\":");
      memit_json_append_string (out, row->label);
      if (section->show_bytes)
        {
          g_string_append (out, ",\"bytes_per_instance\":");
          memit_json_append_number (out, row->bytes);
        }
      g_string_append (out, ",\"ns\":");
      memit_json_append_number (out, row->ns);
      g_string_append (out, ",\"reference\":");
      if (reference != NULL)
        memit_json_append_string (out, reference->id);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"ns_ratio_to_reference\":");
      memit_json_append_number (out, ratio (row->ns, reference ? reference->ns : NAN));
      g_string_append (out, ",\"ns_ratio_to_floor\":");
      memit_json_append_number (out, ratio (row->ns, floor ? floor->ns : NAN));
      if (section->show_bytes)
        {
          g_string_append (out, ",\"bytes_ratio_to_reference\":");
          memit_json_append_number (out, ratio (row->bytes, reference ? reference->bytes : NAN));
          g_string_append (out, ",\"bytes_ratio_to_floor\":");
          memit_json_append_number (out, ratio (row->bytes, floor ? floor->bytes : NAN));
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n]");
}

typedef struct
{
  const char *id;
  const char *text;
  double      value;
  double      limit;
} BenchTarget;

static void
collect_targets (GArray             *targets,
                 const BenchSection *creation,
                 const BenchSection *objects)
{
  const BenchRow *slotted_bytes = find_row (objects, "slotted");
  const BenchRow *floor_bytes = find_row (objects, "gobject-floor");
  const BenchRow *python_bytes = find_row (objects, "python-slots");
  const BenchRow *slotted_ns = find_row (creation, "slotted");
  const BenchRow *python_ns = find_row (creation, "python-slots");
  BenchTarget target;

  if (slotted_bytes != NULL && floor_bytes != NULL)
    {
      target = (BenchTarget) { "slotted-bytes-vs-floor",
                               "PokiesSlotted bytes/instance ≤ 1.02 × GObject floor",
                               ratio (slotted_bytes->bytes, floor_bytes->bytes), 1.02 };
      g_array_append_val (targets, target);
    }
  if (slotted_bytes != NULL && python_bytes != NULL)
    {
      target = (BenchTarget) { "slotted-bytes-vs-python-slots",
                               "PokiesSlotted bytes/instance ≤ 0.80 × CPython __slots__",
                               ratio (slotted_bytes->bytes, python_bytes->bytes), 0.80 };
      g_array_append_val (targets, target);
    }
  if (slotted_ns != NULL && python_ns != NULL)
    {
      target = (BenchTarget) { "slotted-creation-vs-python-slots",
                               "PokiesSlotted C constructor ≤ 0.40 × CPython __slots__ creation time",
                               ratio (slotted_ns->ns, python_ns->ns), 0.40 };
      g_array_append_val (targets, target);
    }
}

static gboolean
target_met (const BenchTarget *target)
{
  return isfinite (target->value) && target->value <= target->limit;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GHashTable) python = NULL;
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (BenchTarget));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GString) table = NULL;
  gboolean with_python, with_bindings;
  BenchSection creation = { "creation", NULL, "gobject-floor", FALSE, NULL };
  BenchSection attributes = { "attributes", NULL, "hashtable-get", FALSE, NULL };
  BenchSection draws = { "draw", NULL, NULL, FALSE, NULL };
  BenchSection objects = { "objects", NULL, "slotted", TRUE, NULL };
  BenchSection *sections[] = { &creation, &attributes, &draws, &objects };

  setlocale (LC_ALL, "");
  g_set_prgname ("flyweight-bench");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Times creation, attribute access, draw() and one object through the bindings,\n"
    "with the GObject/malloc/GHashTable floors and the notebook's CPython classes as\n"
    "reference rows in the same run. Figures are medians of R repetitions of a loop\n"
    "timed as a whole on the monotonic clock; compare the ratios, not the absolute times.");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("flyweight-bench: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (opt_count < 1 || opt_memory_count < 1 || opt_operations < 1 ||
      opt_repetitions < 1 || opt_repetitions > 63)
    {
      g_printerr ("flyweight-bench: -n, --memory-count and -m must be at least 1, "
                  "-r between 1 and 63\n");
      return EXIT_USAGE;
    }

  if (opt_child != NULL)
    return memit_child_main (opt_child, (gsize) opt_count);

  with_python = !opt_no_python && memit_python_is_available ();
  with_bindings = with_python && !opt_no_bindings;

  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    sections[i]->rows = g_ptr_array_new_with_free_func (bench_row_free);

  creation.title = g_strdup_printf ("Creation, ns per instance (median of %d × %d; "
                                    "ratios to the GObject floor and to the CPython class)",
                                    opt_repetitions, opt_count);
  attributes.title = g_strdup_printf ("Attributes, ns per operation on an existing \"owner\" "
                                      "(median of %d × %d)", opt_repetitions, opt_operations);
  draws.title = g_strdup_printf ("draw(), ns per call (median of %d × %d)",
                                 opt_repetitions, MAX (1, opt_operations / 5));
  objects.title = g_strdup_printf ("One object, each row in a fresh process: bytes = RSS delta / N "
                                   "incl. the 8-byte reference (C and CPython: N = %d;\n"
                                   "PyGObject: N = %d; gjs: N = %d); ns = creation medians "
                                   "(C and CPython from the creation table)",
                                   opt_memory_count, opt_count, MIN (opt_count, 20000));

  if (with_python)
    {
      progress ("CPython timings");
      python = memit_python_bench ((gsize) opt_count, (gsize) opt_operations,
                                   (guint) opt_repetitions, &error);
      if (python == NULL)
        {
          g_printerr ("flyweight-bench: the CPython rows failed: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  bench_creation (&creation, python);
  bench_operations (&attributes, &draws, python);
  bench_objects (&objects, &creation, python, with_python, with_bindings);
  collect_targets (targets, &creation, &objects);

  table = g_string_new (NULL);
  g_string_append_printf (table, "flyweight-bench: GLib %u.%u.%u%s%s\n",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          python ? ", " : "",
                          python ? memit_json_lookup_string (python, "runtime") : "");
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    print_section (table, sections[i]);

  if (targets->len > 0)
    g_string_append (table, "\nTargets\n");
  for (guint i = 0; i < targets->len; i++)
    {
      const BenchTarget *target = &g_array_index (targets, BenchTarget, i);

      g_string_append_printf (table, "  %-4s %s: %.2f\n", target_met (target) ? "met" : "MISS",
                              target->text, target->value);
    }

  json = g_string_new ("{\"count\":");
  memit_json_append_number (json, opt_count);
  g_string_append (json, ",\"operations\":");
  memit_json_append_number (json, opt_operations);
  g_string_append (json, ",\"repetitions\":");
  memit_json_append_number (json, opt_repetitions);
  g_string_append (json, ",\"unit_note\":");
  memit_json_append_string (json,
    "ns = median over repetitions of one loop timed on the monotonic clock, per instance "
    "or per operation; CPython loops include the interpreter's loop overhead (see "
    "python-empty-loop). bytes_per_instance = (RSS after - RSS before) / N in a fresh "
    "process, the 8-byte reference included.");
  g_string_append (json, ",\"environment\":{\"glib\":");
  {
    g_autofree char *glib_version = g_strdup_printf ("%u.%u.%u", glib_major_version,
                                                     glib_minor_version, glib_micro_version);
    memit_json_append_string (json, glib_version);
  }
  g_string_append (json, ",\"python\":");
  if (python != NULL)
    memit_json_append_string (json, memit_json_lookup_string (python, "runtime"));
  else
    g_string_append (json, "null");
  g_string_append (json, "},\n");
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      append_section_json (json, sections[i]);
      g_string_append (json, ",\n");
    }
  g_string_append (json, "\"targets\":[");
  for (guint i = 0; i < targets->len; i++)
    {
      const BenchTarget *target = &g_array_index (targets, BenchTarget, i);

      g_string_append (json, i > 0 ? ",\n  {\"id\":" : "\n  {\"id\":");
      memit_json_append_string (json, target->id);
      g_string_append (json, ",\"text\":");
      memit_json_append_string (json, target->text);
      g_string_append (json, ",\"value\":");
      memit_json_append_number (json, target->value);
      g_string_append (json, ",\"limit\":");
      memit_json_append_number (json, target->limit);
      g_string_append_printf (json, ",\"met\":%s}", target_met (target) ? "true" : "false");
    }
  g_string_append (json, "\n]}\n");

  fputs (opt_json ? json->str : table->str, stdout);

  if (opt_output != NULL)
    {
      if (!g_file_set_contents (opt_output, json->str, json->len, &error))
        {
          g_printerr ("flyweight-bench: %s\n", error->message);
          return EXIT_FAILURE;
        }
      if (!opt_json)
        g_print ("\nJSON written to %s\n", opt_output);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_free ((char *) sections[i]->title);
      g_ptr_array_unref (sections[i]->rows);
    }

  return EXIT_SUCCESS;
}
