/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <flyweight.h>

G_BEGIN_DECLS

typedef enum
{
  CASINO_FLOOR_COLUMN_NUMBER,
  CASINO_FLOOR_COLUMN_REELS,
  CASINO_FLOOR_COLUMN_SYMBOLS,
  CASINO_FLOOR_COLUMN_OWNER,
  CASINO_FLOOR_COLUMN_LAST_DRAW,
} CasinoFloorColumn;

/* What casino_floor_cells_collect_draws() finds on screen: the position of
 * a row, the text of its last-draw cell, and what the store holds. */
typedef struct
{
  guint  position;
  guint  number;
  char  *owner;
  char  *shown_draw;
  char  *stored_draw;
} CasinoFloorVisibleRow;

GtkListItemFactory *casino_floor_cells_new_factory   (CasinoFloorColumn  column,
                                                      GHashTable        *bound_rows);
GHashTable         *casino_floor_cells_new_registry  (void);
GArray             *casino_floor_cells_collect_rows  (GHashTable        *bound_rows);
gboolean            casino_floor_cells_edit_owner    (GHashTable        *bound_rows,
                                                      guint              position,
                                                      const char        *owner);

G_END_DECLS
