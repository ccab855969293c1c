/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "memit-json.h"
#include "memit-report.h"

/* The same statement in English for the JSON, whose text stays stable. */
#define UNIT_NOTE \
  "Each variant runs in a fresh process. bytes_per_instance = (RSS after - RSS before) / " \
  "instances, from the resident pages of /proc/self/statm; the pointer array is allocated " \
  "after the first reading and filled by the creation loop, so the 8-byte reference per " \
  "instance is included, as in the notebook's list (slotted-weakref: 16 bytes, its GWeakRef " \
  "array too). peak_mb = VmHWM of that whole process in MiB, what %memit prints as " \
  "'MB per loop'. ns_per_instance = one creation loop on the monotonic clock, first touch " \
  "of fresh memory included. ratio_to_dynamic = bytes_per_instance / PokiesDynamic's. " \
  "The kernel keeps the statm counters per CPU, so they can be off by a few dozen pages: " \
  "under 0.3 bytes per instance at 1e6 instances, but noticeable for small counts."

/* The comparisons worth a headline, subject first. */
static const struct {
  const char *subject;
  const char *reference;
} comparison_pairs[] = {
  { "slotted", "dynamic" },
  { "slotted-weakref", "dynamic" },
  { "python-slots", "python-dict" },
  { "python-weakslots", "python-dict" },
  { "dynamic", "python-dict" },
  { "dynamic-owner", "python-dict-owner" },
  { "slotted", "python-slots" },
  { "slotted-weakref", "python-weakslots" },
  { "slotted", "gobject-floor" },
  { "dynamic", "hashtable" },
};

static void
row_clear (gpointer data)
{
  MemitRow *row = data;

  memit_sample_clear (&row->sample);
}

MemitReport *
memit_report_new (gsize count)
{
  MemitReport *report = g_new0 (MemitReport, 1);

  report->count = count;
  report->rows = g_array_new (FALSE, TRUE, sizeof (MemitRow));
  g_array_set_clear_func (report->rows, row_clear);

  return report;
}

void
memit_report_free (MemitReport *report)
{
  if (report == NULL)
    return;

  g_array_unref (report->rows);
  g_free (report);
}

/**
 * memit_report_add:
 *
 * Returns: (transfer none): a new row whose sample the caller fills; valid
 *   until the next call
 */
MemitRow *
memit_report_add (MemitReport        *report,
                  const MemitVariant *variant)
{
  MemitRow row = { variant, { 0 } };

  g_array_append_val (report->rows, row);

  return &g_array_index (report->rows, MemitRow, report->rows->len - 1);
}

const MemitRow *
memit_report_find (const MemitReport *report,
                   const char        *id)
{
  for (guint i = 0; i < report->rows->len; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);

      if (g_str_equal (row->variant->id, id))
        return row;
    }

  return NULL;
}

static double
ratio (double value,
       double reference)
{
  return reference > 0 ? value / reference : NAN;
}

/**
 * memit_report_ratio_to_dynamic:
 *
 * Bytes per instance relative to PokiesDynamic's; NaN without that row.
 */
double
memit_report_ratio_to_dynamic (const MemitReport *report,
                               const MemitRow    *row)
{
  const MemitRow *dynamic = memit_report_find (report, "dynamic");

  if (dynamic == NULL)
    return NAN;

  return ratio (memit_sample_bytes_per_instance (&row->sample),
                memit_sample_bytes_per_instance (&dynamic->sample));
}

/**
 * memit_report_comparisons:
 *
 * Returns: (transfer full) (element-type MemitComparison): the headline
 *   comparisons whose two rows were both measured
 */
GArray *
memit_report_comparisons (const MemitReport *report)
{
  GArray *comparisons = g_array_new (FALSE, TRUE, sizeof (MemitComparison));

  for (gsize i = 0; i < G_N_ELEMENTS (comparison_pairs); i++)
    {
      MemitComparison comparison;

      comparison.subject = memit_report_find (report, comparison_pairs[i].subject);
      comparison.reference = memit_report_find (report, comparison_pairs[i].reference);
      if (comparison.subject == NULL || comparison.reference == NULL)
        continue;

      comparison.memory_ratio = ratio (memit_sample_bytes_per_instance (&comparison.subject->sample),
                                       memit_sample_bytes_per_instance (&comparison.reference->sample));
      comparison.time_ratio = ratio (memit_sample_ns_per_instance (&comparison.subject->sample),
                                     memit_sample_ns_per_instance (&comparison.reference->sample));
      g_array_append_val (comparisons, comparison);
    }

  return comparisons;
}

static char *
format_comparison (const MemitComparison *comparison)
{
  /* Translators: "PokiesSlotted: 31% of PokiesDynamic's memory, 0.52× its
   * creation time". The names are class names. */
  return g_strdup_printf (_("%s: %.0f%% of %s’s memory, %.2f× its creation time"),
                          comparison->subject->variant->label,
                          comparison->memory_ratio * 100.0,
                          comparison->reference->variant->label,
                          comparison->time_ratio);
}

/* Pads by characters, not bytes, so translated headers line up. */
static void
append_cell (GString    *out,
             const char *text,
             gsize       width,
             gboolean    right)
{
  glong length = g_utf8_strlen (text, -1);
  gsize padding = (gsize) length < width ? width - (gsize) length : 0;

  if (right)
    for (gsize i = 0; i < padding; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (gsize i = 0; i < padding; i++)
      g_string_append_c (out, ' ');
}

enum {
  COLUMN_ID,
  COLUMN_LABEL,
  COLUMN_INSTANCES,
  COLUMN_PEAK,
  COLUMN_BYTES,
  COLUMN_NS,
  COLUMN_RATIO,
  N_COLUMNS
};

char *
memit_report_format_table (const MemitReport *report)
{
  const char *headers[N_COLUMNS] = {
    _("variant"), _("class"), _("instances"), _("MB per loop"),
    _("bytes/inst"), _("ns/inst"), _("× dynamic"),
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) comparisons = NULL;
  g_autofree char *count = NULL;
  gsize widths[N_COLUMNS] = { 0 };
  GString *out = g_string_new (NULL);
  guint n_rows = report->rows->len;

  for (int c = 0; c < N_COLUMNS; c++)
    g_ptr_array_add (cells, g_strdup (headers[c]));

  for (guint i = 0; i < n_rows; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);
      double to_dynamic = memit_report_ratio_to_dynamic (report, row);

      g_ptr_array_add (cells, g_strdup (row->variant->id));
      g_ptr_array_add (cells, g_strdup (row->variant->label));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GUINT64_FORMAT, row->sample.instances));
      g_ptr_array_add (cells, g_strdup_printf ("%.1f", memit_sample_peak_mb (&row->sample)));
      g_ptr_array_add (cells, g_strdup_printf ("%.1f", memit_sample_bytes_per_instance (&row->sample)));
      g_ptr_array_add (cells, g_strdup_printf ("%.0f", memit_sample_ns_per_instance (&row->sample)));
      g_ptr_array_add (cells, isnan (to_dynamic) ? g_strdup ("—") : g_strdup_printf ("%.2f", to_dynamic));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLUMNS] = MAX (widths[i % N_COLUMNS],
                                 (gsize) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint r = 0; r <= n_rows; r++)
    {
      for (int c = 0; c < N_COLUMNS; c++)
        {
          if (c > 0)
            g_string_append (out, "  ");
          append_cell (out, g_ptr_array_index (cells, r * N_COLUMNS + c), widths[c],
                       c >= COLUMN_INSTANCES);
        }
      g_string_append_c (out, '\n');

      if (r == 0)
        {
          gsize total = 2 * (N_COLUMNS - 1);

          for (int c = 0; c < N_COLUMNS; c++)
            total += widths[c];
          for (gsize k = 0; k < total; k++)
            g_string_append (out, "─");
          g_string_append_c (out, '\n');
        }
    }

  g_string_append_c (out, '\n');
  count = g_strdup_printf ("%" G_GSIZE_FORMAT, report->count);
  g_string_append_printf (out, _("Each row ran in a fresh process with N = %s instances.\n"), count);
  g_string_append (out,
                   /* xgettext:no-c-format */
                   _("MB per loop: peak RSS (VmHWM) of that whole process in MiB, as %memit prints it\n"
                     "  (“maximum of 1: X MB per loop”); the program’s or interpreter’s own baseline is in it.\n"
                     "bytes/inst: (RSS after − RSS before) / N from the resident pages of /proc/self/statm.\n"
                     "  The pointer array is allocated after the first reading and filled by the loop, so\n"
                     "  every row includes its 8-byte reference, like the notebook’s list\n"
                     "  (slotted-weakref: 16 bytes, the GWeakRef array too).\n"
                     "ns/inst: one creation loop on the monotonic clock, first touch of fresh memory\n"
                     "  included; the bench target reports medians of repetitions.\n"
                     "× dynamic: bytes/inst relative to PokiesDynamic.\n"
                     "The kernel’s RSS counters can be off by a few dozen pages: under 0.3 bytes per\n"
                     "  instance at N = 1e6, noticeable for small N.\n"));

  comparisons = memit_report_comparisons (report);
  if (comparisons->len > 0)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < comparisons->len; i++)
    {
      g_autofree char *line = format_comparison (&g_array_index (comparisons, MemitComparison, i));

      g_string_append_printf (out, "%s\n", line);
    }

  return g_string_free (out, FALSE);
}

static void
append_key (GString    *out,
            const char *key)
{
  memit_json_append_string (out, key);
  g_string_append_c (out, ':');
}

static void
append_nullable_string (GString    *out,
                        const char *value)
{
  if (value != NULL)
    memit_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

static const char *
kind_to_string (MemitKind kind)
{
  switch (kind)
    {
    case MEMIT_KIND_FLYWEIGHT:
      return "flyweight";
    case MEMIT_KIND_REFERENCE:
      return "reference";
    case MEMIT_KIND_PYTHON:
      return "python";
    default:
      g_assert_not_reached ();
    }
}

char *
memit_report_format_json (const MemitReport *report)
{
  g_autoptr(GArray) comparisons = memit_report_comparisons (report);
  g_autofree char *glib_version = g_strdup_printf ("%u.%u.%u", glib_major_version,
                                                   glib_minor_version, glib_micro_version);
  const char *python_runtime = NULL;
  GString *out = g_string_new ("{");

  for (guint i = 0; i < report->rows->len; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);

      if (row->variant->kind == MEMIT_KIND_PYTHON && python_runtime == NULL)
        python_runtime = row->sample.runtime;
    }

  append_key (out, "count");
  memit_json_append_number (out, (double) report->count);
  g_string_append_c (out, ',');
  append_key (out, "unit_note");
  memit_json_append_string (out, UNIT_NOTE);
  g_string_append_c (out, ',');

  append_key (out, "environment");
  g_string_append_c (out, '{');
  append_key (out, "glib");
  memit_json_append_string (out, glib_version);
  g_string_append_c (out, ',');
  append_key (out, "python");
  append_nullable_string (out, python_runtime);
  g_string_append_c (out, ',');
  append_key (out, "G_SLICE");
  append_nullable_string (out, g_getenv ("G_SLICE"));
  g_string_append (out, "},");

  append_key (out, "variants");
  g_string_append_c (out, '[');
  for (guint i = 0; i < report->rows->len; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "\n  {");
      append_key (out, "id");
      memit_json_append_string (out, row->variant->id);
      g_string_append_c (out, ',');
      append_key (out, "label");
      memit_json_append_string (out, row->variant->label);
      g_string_append_c (out, ',');
      append_key (out, "kind");
      memit_json_append_string (out, kind_to_string (row->variant->kind));
      g_string_append_c (out, ',');
      append_key (out, "instances");
      memit_json_append_number (out, (double) row->sample.instances);
      g_string_append_c (out, ',');
      append_key (out, "peak_mb");
      memit_json_append_number (out, memit_sample_peak_mb (&row->sample));
      g_string_append_c (out, ',');
      append_key (out, "bytes_per_instance");
      memit_json_append_number (out, memit_sample_bytes_per_instance (&row->sample));
      g_string_append_c (out, ',');
      append_key (out, "ns_per_instance");
      memit_json_append_number (out, memit_sample_ns_per_instance (&row->sample));
      g_string_append_c (out, ',');
      append_key (out, "ratio_to_dynamic");
      memit_json_append_number (out, memit_report_ratio_to_dynamic (report, row));
      g_string_append_c (out, ',');
      append_key (out, "rss_before");
      memit_json_append_number (out, (double) row->sample.rss_before);
      g_string_append_c (out, ',');
      append_key (out, "rss_after");
      memit_json_append_number (out, (double) row->sample.rss_after);
      g_string_append_c (out, ',');
      append_key (out, "runtime");
      append_nullable_string (out, row->sample.runtime);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n],");

  append_key (out, "comparisons");
  g_string_append_c (out, '[');
  for (guint i = 0; i < comparisons->len; i++)
    {
      const MemitComparison *comparison = &g_array_index (comparisons, MemitComparison, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "\n  {");
      append_key (out, "subject");
      memit_json_append_string (out, comparison->subject->variant->id);
      g_string_append_c (out, ',');
      append_key (out, "reference");
      memit_json_append_string (out, comparison->reference->variant->id);
      g_string_append_c (out, ',');
      append_key (out, "memory_ratio");
      memit_json_append_number (out, comparison->memory_ratio);
      g_string_append_c (out, ',');
      append_key (out, "time_ratio");
      memit_json_append_number (out, comparison->time_ratio);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n]}\n");

  return g_string_free (out, FALSE);
}
