/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <flyweight.h>

G_BEGIN_DECLS

#define CASINO_FLOOR_TYPE_WINDOW (casino_floor_window_get_type ())

G_DECLARE_FINAL_TYPE (CasinoFloorWindow, casino_floor_window, CASINO_FLOOR, WINDOW, GtkApplicationWindow)

/* How many machines "Add" puts on the floor. */
#define CASINO_FLOOR_ADD_COUNT 100000

CasinoFloorWindow    *casino_floor_window_new               (GtkApplication       *application,
                                                             FlyweightPokiesStore *store,
                                                             guint                 next_number,
                                                             guint32               seed);
FlyweightPokiesStore *casino_floor_window_get_store         (CasinoFloorWindow    *self);
GtkAdjustment        *casino_floor_window_get_vadjustment   (CasinoFloorWindow    *self);
GArray               *casino_floor_window_collect_rows      (CasinoFloorWindow    *self);
gboolean              casino_floor_window_edit_owner        (CasinoFloorWindow    *self,
                                                             guint                 position,
                                                             const char           *owner);
gint64                casino_floor_window_pull_every_arm    (CasinoFloorWindow    *self);
gboolean              casino_floor_window_add_machines      (CasinoFloorWindow    *self,
                                                             guint                 n_machines,
                                                             GError              **error);
gboolean              casino_floor_window_sort_by_column    (CasinoFloorWindow    *self,
                                                             const char           *key,
                                                             gboolean              descending);
gint64                casino_floor_window_get_sort_time     (CasinoFloorWindow    *self);
const char           *casino_floor_window_get_sort_error    (CasinoFloorWindow    *self);

G_END_DECLS
