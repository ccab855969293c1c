/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "memit-output.h"
#include "memit-report.h"

/* What flyweight-memit found: the medians of each row, printed as the
 * notebook's table with the comparisons worth a line, or as JSON. */

/* The comparisons worth a line, subject first. */
static const struct {
  const char *subject;
  const char *reference;
} comparisons[] = {
  { "slotted", "dynamic" },
  { "python-slots", "python-dict" },
  { "dynamic", "python-dict" },
  { "dynamic-owner", "python-dict-owner" },
  { "slotted", "python-slots" },
  { "slotted", "gobject-floor" },
  { "dynamic", "hashtable" },
  /* Like with like: a live GWeakRef against a live weakref.ref. */
  { "slotted-weakref", "python-weakref" },
  { "pygobject-slotted", "python-slots" },
  { "gjs-slotted", "python-slots" },
  /* A million machines from a binding: a wrapper each, or one store. */
  { "pygobject-dynamic-owner", "python-dict-owner" },
  { "pygobject-store", "python-slots" },
  { "gjs-dynamic-owner", "python-dict-owner" },
  { "gjs-store", "python-slots" },
};

static void
result_clear (gpointer data)
{
  MemitResult *result = data;

  g_array_unref (result->samples);
}

MemitReport *
memit_report_new (GPtrArray *rows,
                  guint64    count,
                  guint      rounds)
{
  MemitReport *report = g_new0 (MemitReport, 1);

  report->count = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  report->rounds = rounds;
  report->glib = memit_describe_glib ();
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->results = g_array_new (FALSE, TRUE, sizeof (MemitResult));
  g_array_set_clear_func (report->results, result_clear);

  for (guint i = 0; i < rows->len; i++)
    {
      MemitResult result = { g_ptr_array_index (rows, i), g_array_new (FALSE, TRUE, sizeof (MemitSample)) };

      g_array_set_clear_func (result.samples, (GDestroyNotify) memit_sample_clear);
      g_array_append_val (report->results, result);
    }

  return report;
}

void
memit_report_free (MemitReport *report)
{
  g_array_unref (report->results);
  g_ptr_array_unref (report->notes);
  g_free (report->glib);
  g_free (report->count);
  g_free (report);
}

static const MemitResult *
find (const MemitReport *report,
      const char        *id)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const MemitResult *result = &g_array_index (report->results, MemitResult, i);

      if (g_str_equal (result->row->id, id))
        return result;
    }

  return NULL;
}

/**
 * memit_report_add_sample:
 * @sample: (transfer full): one round of @row
 */
void
memit_report_add_sample (MemitReport    *report,
                         const MemitRow *row,
                         MemitSample    *sample)
{
  MemitResult *result = (MemitResult *) find (report, row->id);

  g_array_append_vals (result->samples, sample, 1);
  memset (sample, 0, sizeof *sample);
}

/* Takes the median of every column over the rounds. */
void
memit_report_summarize (MemitReport *report)
{
  for (guint r = 0; r < report->results->len; r++)
    {
      MemitResult *result = &g_array_index (report->results, MemitResult, r);
      guint n = result->samples->len;
      g_autofree double *bytes = g_new (double, n);
      g_autofree double *ns = g_new (double, n);
      g_autofree double *peak = g_new (double, n);

      for (guint i = 0; i < n; i++)
        {
          const MemitSample *sample = &g_array_index (result->samples, MemitSample, i);

          bytes[i] = memit_sample_bytes_per_instance (sample);
          ns[i] = memit_sample_ns_per_instance (sample);
          /* MiB, as memory_profiler divides by 2**20 and calls it MB. */
          peak[i] = (double) sample->peak_rss / (1024.0 * 1024.0);
        }

      result->bytes = memit_median (bytes, n);
      result->ns = memit_median (ns, n);
      result->peak_mb = memit_median (peak, n);

      for (guint i = 0; i < n; i++)
        {
          const MemitSample *sample = &g_array_index (result->samples, MemitSample, i);

          if (result->typical == NULL ||
              fabs (memit_sample_bytes_per_instance (sample) - result->bytes) <
              fabs (memit_sample_bytes_per_instance (result->typical) - result->bytes))
            result->typical = sample;
        }
    }
}

/* The runtime that made a kind of row, as its children reported it. */
static const char *
runtime_of (const MemitReport *report,
            MemitRunner        runner)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const MemitResult *result = &g_array_index (report->results, MemitResult, i);

      if (result->row->runner == runner && result->typical != NULL)
        return result->typical->runtime;
    }

  return NULL;
}

/* "GLib 2.74.6 (GSlice), CPython 3.11.2, …": what made the rows. */
char *
memit_report_describe_runtimes (const MemitReport *report)
{
  const char *runtimes[] = {
    report->glib,
    runtime_of (report, MEMIT_RUNNER_PYTHON),
    runtime_of (report, MEMIT_RUNNER_PYGOBJECT),
    runtime_of (report, MEMIT_RUNNER_GJS),
  };

  return memit_join_runtimes (runtimes, G_N_ELEMENTS (runtimes));
}

static double
ratio (double value,
       double reference)
{
  return isfinite (value) && isfinite (reference) && value > 0 && reference > 0
    ? value / reference : NAN;
}

static double
ratio_of (const MemitReport *report,
          const char        *subject,
          const char        *reference,
          gboolean           time)
{
  const MemitResult *a = find (report, subject);
  const MemitResult *b = find (report, reference);

  if (a == NULL || b == NULL)
    return NAN;

  return time ? ratio (a->ns, b->ns) : ratio (a->bytes, b->bytes);
}

static char *
format_number (double value,
               int    digits)
{
  return isfinite (value) ? g_strdup_printf ("%.*f", digits, value) : g_strdup ("—");
}

/* What a live weak reference costs each side, and what CPython reserves
 * for one before any is taken. */
static void
append_weak_reference_lines (GString           *out,
                             const MemitReport *report)
{
  const MemitResult *slotted = find (report, "slotted");
  const MemitResult *slotted_ref = find (report, "slotted-weakref");
  const MemitResult *slots = find (report, "python-slots");
  const MemitResult *weakslots = find (report, "python-weakslots");
  const MemitResult *weakref = find (report, "python-weakref");

  if (slotted != NULL && slotted_ref != NULL && weakslots != NULL && weakref != NULL)
    g_string_append_printf (out, _("A live weak reference, its 8-byte slot included: %+.1f B on a "
                                   "PokiesSlotted (GWeakRef), %+.1f B on a WeakPokies (weakref.ref).\n"),
                            slotted_ref->bytes - slotted->bytes, weakref->bytes - weakslots->bytes);

  if (slots != NULL && weakslots != NULL)
    g_string_append_printf (out, _("Reserved for weak references before any is taken: %+.1f B per "
                                   "WeakPokies (__weakref__); nothing per GObject.\n"),
                            weakslots->bytes - slots->bytes);
}

char *
memit_report_format_table (const MemitReport *report)
{
  const char *headers[] = {
    _("variant"), _("class"), _("instances"), _("MB per loop"),
    _("bytes/inst"), _("ns/inst"), _("× dynamic"),
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *runtimes = memit_report_describe_runtimes (report);
  GString *out = g_string_new (NULL);

  for (gsize c = 0; c < G_N_ELEMENTS (headers); c++)
    g_ptr_array_add (cells, g_strdup (headers[c]));

  for (guint i = 0; i < report->results->len; i++)
    {
      const MemitResult *result = &g_array_index (report->results, MemitResult, i);

      g_ptr_array_add (cells, g_strdup (result->row->id));
      g_ptr_array_add (cells, g_strdup (result->row->label));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GUINT64_FORMAT, result->typical->instances));
      g_ptr_array_add (cells, format_number (result->peak_mb, 1));
      g_ptr_array_add (cells, format_number (result->bytes, 1));
      g_ptr_array_add (cells, format_number (result->ns, 0));
      g_ptr_array_add (cells, format_number (ratio_of (report, result->row->id, "dynamic", FALSE), 2));
    }

  g_string_append_printf (out, "flyweight-memit %s: %s\n\n", PACKAGE_VERSION, runtimes);
  memit_append_columns (out, cells, "llrrrrr");

  g_string_append_c (out, '\n');
  if (report->rounds == 1)
    g_string_append_printf (out, _("Each row ran in a fresh process with N = %s instances.\n"),
                            report->count);
  else
    g_string_append_printf (out, _("Each row ran in %u fresh processes with N = %s instances; "
                                   "each figure is the median.\n"),
                            report->rounds, report->count);
  g_string_append (out,
                   /* xgettext:no-c-format */
                   _("MB per loop: peak RSS of that whole process in MiB, as %memit prints it.\n"
                     "bytes/inst: (RSS after − RSS before) / N, counted exactly, 8-byte reference included.\n"
                     "ns/inst: one creation loop; the bench (meson compile -C BUILD bench) gives medians.\n"
                     "flyweight-memit --help says more of each column.\n"));
  for (guint i = 0; i < report->notes->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (report->notes, i));

  g_string_append_c (out, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (comparisons); i++)
    {
      double memory = ratio_of (report, comparisons[i].subject, comparisons[i].reference, FALSE);

      if (!isfinite (memory))
        continue;
      /* Translators: "PokiesSlotted: 69% of PokiesDynamic's memory, 0.74×
       * its creation time". The names are class names. */
      g_string_append_printf (out, _("%s: %.0f%% of %s’s memory, %.2f× its creation time\n"),
                              find (report, comparisons[i].subject)->row->label, memory * 100.0,
                              find (report, comparisons[i].reference)->row->label,
                              ratio_of (report, comparisons[i].subject, comparisons[i].reference, TRUE));
    }
  append_weak_reference_lines (out, report);

  return g_string_free (out, FALSE);
}

static const char *
kind_to_string (MemitKind kind)
{
  static const char * const names[] = { "flyweight", "reference", "python", "binding" };

  return names[kind];
}

char *
memit_report_format_json (const MemitReport *report)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *environment = json_object_new ();
  JsonArray *notes = json_array_new ();
  JsonArray *variants = json_array_new ();
  JsonArray *compared = json_array_new ();

  json_object_set_string_member (root, "program", "flyweight-memit " PACKAGE_VERSION);
  json_object_set_int_member (root, "count", g_ascii_strtoll (report->count, NULL, 10));
  json_object_set_int_member (root, "rounds", report->rounds);
  json_object_set_string_member (root, "unit_note",
    "Each row runs in a fresh process. bytes_per_instance = (RSS after - RSS before) / "
    "instances, the RSS counted exactly from /proc/self/smaps_rollup; the array of references "
    "is allocated after the first reading and filled by the creation loop, so the 8-byte "
    "reference per instance is included, as in the notebook's list (16 bytes for a row that "
    "also holds a weak reference). peak_mb = VmHWM of that whole process in MiB, what %memit "
    "prints as 'MB per loop'. ns_per_instance = one creation loop on the monotonic clock, first "
    "touch of fresh memory included. ratio_to_dynamic = bytes_per_instance / PokiesDynamic's. "
    "With rounds > 1, each figure is the median of the rounds.");

  json_object_set_string_member (environment, "glib", report->glib);
  json_object_set_string_member (environment, "allocator",
                                 strstr (report->glib, "(GSlice)") != NULL ? "GSlice" : "malloc");
  memit_json_set_string (environment, "G_SLICE", g_getenv ("G_SLICE"));
  memit_json_set_string (environment, "python", runtime_of (report, MEMIT_RUNNER_PYTHON));
  memit_json_set_string (environment, "pygobject", runtime_of (report, MEMIT_RUNNER_PYGOBJECT));
  memit_json_set_string (environment, "gjs", runtime_of (report, MEMIT_RUNNER_GJS));
  json_object_set_object_member (root, "environment", environment);

  for (guint i = 0; i < report->notes->len; i++)
    json_array_add_string_element (notes, g_ptr_array_index (report->notes, i));
  json_object_set_array_member (root, "notes", notes);

  for (guint i = 0; i < report->results->len; i++)
    {
      const MemitResult *result = &g_array_index (report->results, MemitResult, i);
      JsonObject *variant = json_object_new ();

      json_object_set_string_member (variant, "id", result->row->id);
      json_object_set_string_member (variant, "label", result->row->label);
      json_object_set_string_member (variant, "kind", kind_to_string (result->row->kind));
      json_object_set_int_member (variant, "instances", (gint64) result->typical->instances);
      memit_json_set_number (variant, "peak_mb", result->peak_mb);
      memit_json_set_number (variant, "bytes_per_instance", result->bytes);
      memit_json_set_number (variant, "ns_per_instance", result->ns);
      memit_json_set_number (variant, "ratio_to_dynamic",
                             ratio_of (report, result->row->id, "dynamic", FALSE));
      json_object_set_int_member (variant, "rss_before", (gint64) result->typical->rss_before);
      json_object_set_int_member (variant, "rss_after", (gint64) result->typical->rss_after);
      memit_json_set_string (variant, "runtime", result->typical->runtime);
      json_array_add_object_element (variants, variant);
    }
  json_object_set_array_member (root, "variants", variants);

  for (gsize i = 0; i < G_N_ELEMENTS (comparisons); i++)
    {
      JsonObject *comparison;

      if (find (report, comparisons[i].subject) == NULL || find (report, comparisons[i].reference) == NULL)
        continue;
      comparison = json_object_new ();
      json_object_set_string_member (comparison, "subject", comparisons[i].subject);
      json_object_set_string_member (comparison, "reference", comparisons[i].reference);
      memit_json_set_number (comparison, "memory_ratio",
                             ratio_of (report, comparisons[i].subject, comparisons[i].reference, FALSE));
      memit_json_set_number (comparison, "time_ratio",
                             ratio_of (report, comparisons[i].subject, comparisons[i].reference, TRUE));
      json_array_add_object_element (compared, comparison);
    }
  json_object_set_array_member (root, "comparisons", compared);

  return memit_json_to_data (root);
}
