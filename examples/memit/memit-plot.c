/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#ifdef MEMIT_HAVE_CAIRO
# include <cairo.h>
# include <cairo-svg.h>
#endif

#include "memit-plot.h"
#include "memit-run.h"

/* A horizontal bar chart of bytes per instance, one bar per row, coloured
 * by kind. The scale serves the bars that differ by a few bytes: a bar far
 * beyond the others (the naive hash table, ten times the rest) is cut at
 * the edge of the axis, marked as cut, and labelled with its value. */

/**
 * memit_plot_check_path:
 *
 * Checks, before anything is measured, that a chart can be drawn and that
 * @path names a PNG or SVG file.
 */
gboolean
memit_plot_check_path (const char  *path,
                       GError     **error)
{
#ifdef MEMIT_HAVE_CAIRO
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (!g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot tell the format of “%s”: the plot file must end in .png or .svg"),
                   path);
      return FALSE;
    }

  return TRUE;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This flyweight-memit was built without cairo; --plot is not available"));
  return FALSE;
#endif
}

#ifdef MEMIT_HAVE_CAIRO

static gboolean
is_svg (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".svg");
}

#define WIDTH       1000.0
#define ROW_HEIGHT  30.0
#define BAR_HEIGHT  20.0
#define TOP         100.0
#define BOTTOM      78.0
#define RIGHT       120.0
#define FONT_SIZE   13.0

/* Bars longer than this many times the median are cut. */
#define OUTLIER_FACTOR 3.0

typedef struct
{
  double r, g, b;
} Colour;

static const Colour kind_colours[] = {
  [MEMIT_KIND_FLYWEIGHT] = { 0.204, 0.396, 0.643 },  /* blue */
  [MEMIT_KIND_REFERENCE] = { 0.533, 0.541, 0.522 },  /* grey */
  [MEMIT_KIND_PYTHON]    = { 0.961, 0.475, 0.000 },  /* orange */
  [MEMIT_KIND_BINDING]   = { 0.447, 0.624, 0.812 },  /* light blue */
};

static const char *
kind_legend (MemitKind kind)
{
  switch (kind)
    {
    case MEMIT_KIND_FLYWEIGHT:
      return _("libflyweight");
    case MEMIT_KIND_REFERENCE:
      return _("reference floors");
    case MEMIT_KIND_PYTHON:
      return _("CPython (the notebook’s classes)");
    case MEMIT_KIND_BINDING:
      return _("libflyweight from Python or gjs");
    default:
      g_assert_not_reached ();
    }
}

/* A round step giving about eight ticks up to @max. */
static double
tick_step (double max)
{
  double raw = max / 8.0;
  double magnitude = pow (10.0, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1.0)
    return magnitude;
  if (fraction <= 2.0)
    return 2.0 * magnitude;
  if (fraction <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

/* The end of the axis: the longest bar that is not an outlier, with room. */
static double
axis_end (const MemitReport *report)
{
  gsize n_bars = report->results->len;
  g_autofree double *values = g_new (double, n_bars);
  double median, longest = 8.0;

  for (gsize i = 0; i < n_bars; i++)
    values[i] = MAX (0.0, g_array_index (report->results, MemitResult, i).bytes);

  median = memit_median (values, n_bars);
  for (gsize i = 0; i < n_bars; i++)
    if (values[i] <= OUTLIER_FACTOR * median)
      longest = MAX (longest, values[i]);

  return longest * 1.08;
}

static double
text_width (cairo_t    *cr,
            const char *text)
{
  cairo_text_extents_t extents;

  cairo_text_extents (cr, text, &extents);
  return extents.x_advance;
}

static void
show_text_at (cairo_t    *cr,
              const char *text,
              double      x,
              double      y,
              double      align)  /* 0 left, 0.5 centre, 1 right */
{
  cairo_move_to (cr, x - align * text_width (cr, text), y);
  cairo_show_text (cr, text);
}

#define RESULT(i) (&g_array_index (report->results, MemitResult, (i)))

static void
draw_chart (cairo_t           *cr,
            const MemitReport *report,
            double             height)
{
  gsize n_bars = report->results->len;
  double left = 0.0, legend_x, plot_width, scale, step, axis_max;
  double bottom = height - BOTTOM;
  g_autofree char *runtimes = memit_report_describe_runtimes (report);
  g_autofree char *title = g_strdup_printf (_("Memory per instance, %s instances of each"),
                                            report->count);
  g_autofree char *subtitle = g_strdup_printf (_("(RSS after − RSS before) / N in a fresh process "
                                                 "per row, 8-byte reference included; %s"), runtimes);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, FONT_SIZE);
  for (gsize i = 0; i < n_bars; i++)
    left = MAX (left, text_width (cr, RESULT (i)->row->label));
  left += 24.0;

  axis_max = axis_end (report);
  step = tick_step (axis_max);
  axis_max = ceil (axis_max / step) * step;
  plot_width = WIDTH - left - RIGHT;
  scale = plot_width / axis_max;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 18.0);
  show_text_at (cr, title, WIDTH / 2, 30.0, 0.5);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 12.0);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  show_text_at (cr, subtitle, WIDTH / 2, 50.0, 0.5);

  /* The legend names the kinds that have a bar. */
  legend_x = left;
  for (int kind = MEMIT_KIND_FLYWEIGHT; kind <= MEMIT_KIND_BINDING; kind++)
    {
      const Colour *colour = &kind_colours[kind];
      const char *text = kind_legend (kind);
      gboolean present = FALSE;

      for (gsize i = 0; i < n_bars; i++)
        present |= RESULT (i)->row->kind == (MemitKind) kind;
      if (!present)
        continue;

      cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
      cairo_rectangle (cr, legend_x, 68.0, 12.0, 12.0);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text_at (cr, text, legend_x + 18.0, 79.0, 0.0);
      legend_x += 18.0 + text_width (cr, text) + 28.0;
    }

  /* Grid and tick labels. */
  cairo_set_font_size (cr, 11.0);
  cairo_set_line_width (cr, 1.0);
  for (double tick = 0.0; tick <= axis_max + step / 2; tick += step)
    {
      double x = round (left + tick * scale) + 0.5;
      g_autofree char *label = g_strdup_printf ("%.0f", tick);

      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, x, TOP - 6.0);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
      show_text_at (cr, label, x, bottom + 16.0, 0.5);
    }

  /* Bars, labels and values; a cut bar ends in two white slashes. */
  cairo_set_font_size (cr, FONT_SIZE);
  for (gsize i = 0; i < n_bars; i++)
    {
      const Colour *colour = &kind_colours[RESULT (i)->row->kind];
      double value = MAX (0.0, RESULT (i)->bytes);
      gboolean cut = value > axis_max;
      double length = MIN (value, axis_max) * scale;
      double y = TOP + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
      g_autofree char *value_text = g_strdup_printf (_("%.1f B"), value);

      cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
      cairo_rectangle (cr, left, y, length, BAR_HEIGHT);
      cairo_fill (cr);

      if (cut)
        {
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 3.0);
          for (int k = 0; k < 2; k++)
            {
              double x = left + length - 26.0 + 8.0 * k;

              cairo_move_to (cr, x - 4.0, y + BAR_HEIGHT + 1.0);
              cairo_line_to (cr, x + 4.0, y - 1.0);
            }
          cairo_stroke (cr);
          cairo_set_line_width (cr, 1.0);
        }

      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text_at (cr, RESULT (i)->row->label, left - 8.0, y + BAR_HEIGHT / 2 + 4.5, 1.0);
      if (cut)
        cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      show_text_at (cr, value_text, left + length + 6.0, y + BAR_HEIGHT / 2 + 4.5, 0.0);
      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    }

  /* The 8-byte reference every row includes. */
  {
    double x = round (left + 8.0 * scale) + 0.5;
    const double dashes[] = { 4.0, 3.0 };

    cairo_set_source_rgb (cr, 0.64, 0.0, 0.0);
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
    cairo_move_to (cr, x, TOP - 6.0);
    cairo_line_to (cr, x, bottom);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0.0);
  }

  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_move_to (cr, left + 0.5, TOP - 6.0);
  cairo_line_to (cr, left + 0.5, bottom + 0.5);
  cairo_line_to (cr, left + plot_width, bottom + 0.5);
  cairo_stroke (cr);

  cairo_set_font_size (cr, 13.0);
  show_text_at (cr, _("bytes per instance (dashed: the 8-byte reference; slashed bars are cut, their value in bold)"),
                left + plot_width / 2, bottom + 44.0, 0.5);
}

gboolean
memit_plot_write (const MemitReport  *report,
                  const char         *path,
                  GError            **error)
{
  double height = TOP + report->results->len * ROW_HEIGHT + BOTTOM;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (is_svg (path))
    surface = cairo_svg_surface_create (path, WIDTH, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) WIDTH, (int) height);

  cr = cairo_create (surface);
  draw_chart (cr, report, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && !is_svg (path))
    status = cairo_surface_write_to_png (surface, path);

  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot write the plot to “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

#else /* !MEMIT_HAVE_CAIRO */

gboolean
memit_plot_write (const MemitReport  *report,
                  const char         *path,
                  GError            **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This flyweight-memit was built without cairo; --plot is not available"));
  return FALSE;
}

#endif
