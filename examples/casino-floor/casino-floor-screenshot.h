/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean casino_floor_screenshot_save (GtkWidget   *widget,
                                       const char  *path,
                                       guint       *n_colors,
                                       GError     **error);

G_END_DECLS
