/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkSorter  *casino_floor_sort_key_new          (const char    *key);
const char *casino_floor_sort_get_primary_key  (GtkColumnView *view,
                                                gboolean      *descending);

G_END_DECLS
