/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A picture of what a user sees: the window rendered by its own renderer
 * into a texture, saved as PNG. No screen grab, so it works the same on
 * any display server, Xvfb included. */

#include <errno.h>

#include "casino-floor-screenshot.h"

/* How many distinct colours the picture has: a blank or failed rendering
 * has one or two, a window with text has hundreds. */
static guint
count_colors (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint32 *pixels = g_malloc_n ((gsize) height, stride);
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, (guchar *) pixels, stride);
  for (gsize i = 0; i < (gsize) width * (gsize) height; i++)
    g_hash_table_add (colors, GUINT_TO_POINTER (pixels[i]));

  return g_hash_table_size (colors);
}

/**
 * casino_floor_screenshot_save:
 * @widget: a realized widget, usually a window
 * @path: where to write the PNG
 * @n_colors: (out) (optional): how many distinct colours the picture has
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the PNG was written
 */
gboolean
casino_floor_screenshot_save (GtkWidget   *widget,
                              const char  *path,
                              guint       *n_colors,
                              GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  native = gtk_widget_get_native (widget);
  renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   "Cannot take a screenshot of a window that is not shown");
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The window drew nothing to take a screenshot of");
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot write the screenshot to “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (n_colors != NULL)
    *n_colors = count_colors (texture);

  return TRUE;
}
