/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#ifdef MEMIT_HAVE_CAIRO
# include <cairo.h>
# include <cairo-svg.h>
#endif

#include "memit-plot.h"

/* A horizontal bar chart of bytes per instance, one bar per variant,
 * coloured by kind: the library, the reference floors, CPython. */

typedef enum {
  FORMAT_UNKNOWN,
  FORMAT_PNG,
  FORMAT_SVG,
} PlotFormat;

static PlotFormat
format_for_path (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    return FORMAT_PNG;
  if (g_str_has_suffix (lower, ".svg"))
    return FORMAT_SVG;

  return FORMAT_UNKNOWN;
}

gboolean
memit_plot_is_supported (void)
{
#ifdef MEMIT_HAVE_CAIRO
  return TRUE;
#else
  return FALSE;
#endif
}

/**
 * memit_plot_check_path:
 *
 * Checks, before anything is measured, that @path names a PNG or SVG file
 * that can be written. The file is created to be sure, and removed again
 * if it did not exist.
 */
gboolean
memit_plot_check_path (const char  *path,
                       GError     **error)
{
  gboolean existed;
  int fd;

  if (!memit_plot_is_supported ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This flyweight-memit was built without cairo; --plot is not available"));
      return FALSE;
    }

  if (format_for_path (path) == FORMAT_UNKNOWN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot tell the format of “%s”: the plot file must end in .png or .svg"),
                   path);
      return FALSE;
    }

  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  if (existed && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("Cannot write the plot to “%s”: it is a folder"), path);
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write the plot to “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (!existed)
    g_unlink (path);

  return TRUE;
}

#ifdef MEMIT_HAVE_CAIRO

#define WIDTH         1000.0
#define ROW_HEIGHT    30.0
#define BAR_HEIGHT    20.0
#define TOP           96.0
#define BOTTOM        78.0
#define RIGHT         110.0
#define FONT_SIZE     13.0

typedef struct
{
  double r, g, b;
} Colour;

static const Colour kind_colours[] = {
  [MEMIT_KIND_FLYWEIGHT] = { 0.204, 0.396, 0.643 },  /* blue */
  [MEMIT_KIND_REFERENCE] = { 0.533, 0.541, 0.522 },  /* grey */
  [MEMIT_KIND_PYTHON]    = { 0.961, 0.475, 0.000 },  /* orange */
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

static void
draw_chart (cairo_t           *cr,
            const MemitReport *report,
            double             height)
{
  guint n_rows = report->rows->len;
  double max_value = 8.0;
  double left = 0.0;
  double plot_width, scale, step;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  double legend_x;

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, FONT_SIZE);

  for (guint i = 0; i < n_rows; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);

      max_value = MAX (max_value, memit_sample_bytes_per_instance (&row->sample));
      left = MAX (left, text_width (cr, row->variant->label));
    }
  left += 56.0;  /* room for the rotated axis title */

  step = tick_step (max_value * 1.05);
  max_value = ceil (max_value * 1.05 / step) * step;
  plot_width = WIDTH - left - RIGHT;
  scale = plot_width / max_value;

  /* Background. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* Title and subtitle. */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 18.0);
  count = g_strdup_printf ("%" G_GSIZE_FORMAT, report->count);
  title = g_strdup_printf (_("Memory per instance, %s instances of each"), count);
  show_text_at (cr, title, WIDTH / 2, 30.0, 0.5);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 12.0);
  subtitle = g_strdup (_("(RSS after − RSS before) / N in a fresh process per row, 8-byte reference included"));
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  show_text_at (cr, subtitle, WIDTH / 2, 50.0, 0.5);

  /* Legend. */
  legend_x = left;
  for (int kind = MEMIT_KIND_FLYWEIGHT; kind <= MEMIT_KIND_PYTHON; kind++)
    {
      const Colour *colour = &kind_colours[kind];
      const char *text = kind_legend (kind);

      cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
      cairo_rectangle (cr, legend_x, 66.0, 12.0, 12.0);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text_at (cr, text, legend_x + 18.0, 77.0, 0.0);
      legend_x += 18.0 + text_width (cr, text) + 28.0;
    }

  /* Grid and x tick labels. */
  cairo_set_font_size (cr, 11.0);
  cairo_set_line_width (cr, 1.0);
  for (double tick = 0.0; tick <= max_value + step / 2; tick += step)
    {
      double x = round (left + tick * scale) + 0.5;
      g_autofree char *label = g_strdup_printf ("%.0f", tick);

      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, x, TOP - 6.0);
      cairo_line_to (cr, x, height - BOTTOM);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
      show_text_at (cr, label, x, height - BOTTOM + 16.0, 0.5);
    }

  /* Bars, class names and values. */
  cairo_set_font_size (cr, FONT_SIZE);
  for (guint i = 0; i < n_rows; i++)
    {
      const MemitRow *row = &g_array_index (report->rows, MemitRow, i);
      const Colour *colour = &kind_colours[row->variant->kind];
      double value = MAX (0.0, memit_sample_bytes_per_instance (&row->sample));
      double y = TOP + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
      g_autofree char *value_text = g_strdup_printf (_("%.1f B"), value);

      cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
      cairo_rectangle (cr, left, y, value * scale, BAR_HEIGHT);
      cairo_fill (cr);

      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text_at (cr, row->variant->label, left - 8.0, y + BAR_HEIGHT / 2 + 4.5, 1.0);
      show_text_at (cr, value_text, left + value * scale + 6.0, y + BAR_HEIGHT / 2 + 4.5, 0.0);
    }

  /* The 8-byte reference every row includes. */
  {
    double x = round (left + 8.0 * scale) + 0.5;
    const double dashes[] = { 4.0, 3.0 };

    cairo_set_source_rgb (cr, 0.64, 0.0, 0.0);
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
    cairo_move_to (cr, x, TOP - 6.0);
    cairo_line_to (cr, x, height - BOTTOM);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0.0);
  }

  /* Axes. */
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_move_to (cr, left + 0.5, TOP - 6.0);
  cairo_line_to (cr, left + 0.5, height - BOTTOM + 0.5);
  cairo_line_to (cr, left + plot_width, height - BOTTOM + 0.5);
  cairo_stroke (cr);

  cairo_set_font_size (cr, 13.0);
  show_text_at (cr, _("bytes per instance (dashed: the 8-byte reference)"),
                left + plot_width / 2, height - BOTTOM + 44.0, 0.5);

  cairo_save (cr);
  cairo_translate (cr, 20.0, TOP + n_rows * ROW_HEIGHT / 2);
  cairo_rotate (cr, -G_PI / 2);
  show_text_at (cr, _("variant"), 0.0, 0.0, 0.5);
  cairo_restore (cr);
}

gboolean
memit_plot_write (const MemitReport  *report,
                  const char         *path,
                  GError            **error)
{
  double height = TOP + report->rows->len * ROW_HEIGHT + BOTTOM;
  PlotFormat format = format_for_path (path);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (format == FORMAT_SVG)
    surface = cairo_svg_surface_create (path, WIDTH, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) WIDTH, (int) height);

  cr = cairo_create (surface);
  draw_chart (cr, report, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
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
