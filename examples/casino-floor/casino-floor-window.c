/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The casino floor: a column view over a store of machines, two buttons
 * that work on every machine at once, sorting done by the store, and a
 * status line that says what the floor costs. */

#include <string.h>

#include "casino-floor-cells.h"
#include "casino-floor-fill.h"
#include "casino-floor-memory.h"
#include "casino-floor-sort.h"
#include "casino-floor-window.h"

struct _CasinoFloorWindow
{
  GtkApplicationWindow  parent_instance;

  FlyweightPokiesStore *store;
  GtkNoSelection       *selection;
  FlyweightRandom      *random;
  GHashTable           *bound_rows;
  guint                 next_number;

  GtkColumnView        *column_view;
  GtkScrolledWindow    *scroller;
  GtkLabel             *status;
  guint                 status_timeout;
  char                 *last_action;
  gint64                sort_time;
  char                 *sort_error;
};

G_DEFINE_FINAL_TYPE (CasinoFloorWindow, casino_floor_window, GTK_TYPE_APPLICATION_WINDOW)

static const char style[] =
  ".draw { font-family: monospace; }\n"
  ".jackpot { font-weight: bold; color: @success_color; }\n"
  ".status { padding: 6px 12px; }\n";

static char *
format_count (guint count)
{
  g_autofree char *digits = g_strdup_printf ("%u", count);
  GString *out = g_string_new (NULL);
  gsize length = strlen (digits);

  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

static void
update_status (CasinoFloorWindow *self)
{
  g_autofree char *machines = format_count (g_list_model_get_n_items (G_LIST_MODEL (self->store)));
  g_autofree char *live = format_count (flyweight_pokies_store_get_n_live_views (self->store));
  g_autofree char *rss = casino_floor_memory_format (casino_floor_memory_get_rss ());
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s machines  ·  %s machine objects alive  ·  RSS %s%s%s",
                          machines, live, rss,
                          self->last_action != NULL ? "  ·  " : "",
                          self->last_action != NULL ? self->last_action : "");
  gtk_label_set_text (self->status, text);
}

static gboolean
update_status_cb (gpointer user_data)
{
  update_status (CASINO_FLOOR_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_last_action (CasinoFloorWindow *self,
                 char              *text)
{
  g_free (self->last_action);
  self->last_action = text;
  update_status (self);
}

static void
sort_store (CasinoFloorWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *n_rows = NULL;
  gboolean descending;
  const char *key = casino_floor_sort_get_primary_key (self->column_view, &descending);
  gint64 start;

  g_clear_pointer (&self->sort_error, g_free);
  if (key == NULL)
    return;

  /* A sort changes every row in one items-changed. A list view that sees
   * a row it tracks (the one it scrolls by, the focused one) among the
   * rows changed looks for that row's item among all the new rows, item by
   * item: a million machine objects made and dropped. Taken off the list
   * while the store sorts, the list only sees the rows go and come back,
   * sorted, and shows the top of them. */
  start = g_get_monotonic_time ();
  gtk_no_selection_set_model (self->selection, NULL);
  if (g_str_equal (key, "last-draw"))
    flyweight_pokies_store_sort_by_last_draw (self->store, descending);
  else if (!flyweight_pokies_store_sort_by_attr (self->store, key, descending, &error))
    self->sort_error = g_strdup (error->message);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->store));
  self->sort_time = g_get_monotonic_time () - start;

  if (self->sort_error != NULL)
    {
      set_last_action (self, g_strdup_printf ("cannot sort: %s", self->sort_error));
      return;
    }

  n_rows = format_count (g_list_model_get_n_items (G_LIST_MODEL (self->store)));
  set_last_action (self, g_strdup_printf ("sorted %s machines by %s in %.0f ms",
                                          n_rows, key, self->sort_time / 1000.0));
}

static void
sorter_changed_cb (GtkSorter         *sorter,
                   GtkSorterChange    change,
                   CasinoFloorWindow *self)
{
  sort_store (self);
}

/**
 * casino_floor_window_pull_every_arm:
 * @self: the floor
 *
 * Draws every machine in one call to the store. No machine object is made:
 * the store writes the draws into its column, and the machines on screen,
 * the only ones alive, tell their cells.
 *
 * Returns: how long the store took, in microseconds
 */
gint64
casino_floor_window_pull_every_arm (CasinoFloorWindow *self)
{
  g_autofree char *n_rows = NULL;
  gboolean descending;
  const char *key;
  gint64 start;
  gint64 elapsed;

  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), 0);

  start = g_get_monotonic_time ();
  flyweight_pokies_store_draw_all (self->store, self->random);
  elapsed = g_get_monotonic_time () - start;

  n_rows = format_count (g_list_model_get_n_items (G_LIST_MODEL (self->store)));
  set_last_action (self, g_strdup_printf ("pulled %s arms in %.0f ms", n_rows, elapsed / 1000.0));

  /* A floor sorted by last draw stays sorted. */
  key = casino_floor_sort_get_primary_key (self->column_view, &descending);
  if (key != NULL && g_str_equal (key, "last-draw"))
    sort_store (self);

  return elapsed;
}

gboolean
casino_floor_window_add_machines (CasinoFloorWindow  *self,
                                  guint               n_machines,
                                  GError            **error)
{
  g_autofree char *added = NULL;
  gint64 start;
  gboolean ok;

  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_machines > (guint) G_MAXINT - self->next_number)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   "The floor is full: no room for %u more machines", n_machines);
      return FALSE;
    }

  start = g_get_monotonic_time ();
  ok = casino_floor_fill (self->store, self->next_number, n_machines, error);
  /* Whatever went in is numbered: the next machine takes the next free number. */
  self->next_number += n_machines;
  if (!ok)
    return FALSE;

  added = format_count (n_machines);
  set_last_action (self, g_strdup_printf ("added %s machines in %.0f ms", added,
                                          (g_get_monotonic_time () - start) / 1000.0));

  /* New machines go at the end; a sorted floor puts them in their place. */
  sort_store (self);

  return TRUE;
}

static void
pull_clicked_cb (GtkButton         *button,
                 CasinoFloorWindow *self)
{
  casino_floor_window_pull_every_arm (self);
}

static void
add_clicked_cb (GtkButton         *button,
                CasinoFloorWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!casino_floor_window_add_machines (self, CASINO_FLOOR_ADD_COUNT, &error))
    set_last_action (self, g_strdup_printf ("cannot add machines: %s", error->message));
}

static void
add_column (CasinoFloorWindow *self,
            const char        *title,
            CasinoFloorColumn  column,
            const char        *sort_key,
            gboolean           expand)
{
  g_autoptr(GtkListItemFactory) factory = casino_floor_cells_new_factory (column, self->bound_rows);
  g_autoptr(GtkColumnViewColumn) view_column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  g_autoptr(GtkSorter) sorter = casino_floor_sort_key_new (sort_key);

  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
}

static GtkColumnViewColumn *
find_column (CasinoFloorWindow *self,
             const char        *key)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n_columns = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n_columns; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (sorter != NULL &&
          g_strcmp0 (g_object_get_data (G_OBJECT (sorter), "casino-floor-sort-key"), key) == 0)
        return column;
    }

  return NULL;
}

/**
 * casino_floor_window_sort_by_column:
 * @self: the floor
 * @key: a column's sort key
 * @descending: the order
 *
 * Sorts as a click on the column's header does: through the column view,
 * which then asks the store to sort.
 *
 * Returns: %FALSE if no column sorts by @key, or the store could not sort
 */
gboolean
casino_floor_window_sort_by_column (CasinoFloorWindow *self,
                                    const char        *key,
                                    gboolean           descending)
{
  GtkColumnViewColumn *column;

  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), FALSE);

  column = find_column (self, key);
  if (column == NULL)
    return FALSE;

  /* Cleared first: GTK 4.8 would leave the arrow on the last column
   * clicked. With no sort column, the store is left as it is. */
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (self->column_view, column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);

  return self->sort_error == NULL;
}

gint64
casino_floor_window_get_sort_time (CasinoFloorWindow *self)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), 0);

  return self->sort_time;
}

const char *
casino_floor_window_get_sort_error (CasinoFloorWindow *self)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), NULL);

  return self->sort_error;
}

FlyweightPokiesStore *
casino_floor_window_get_store (CasinoFloorWindow *self)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), NULL);

  return self->store;
}

GtkAdjustment *
casino_floor_window_get_vadjustment (CasinoFloorWindow *self)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

/**
 * casino_floor_window_collect_rows:
 * @self: the floor
 *
 * Returns: (transfer full) (element-type CasinoFloorVisibleRow): the rows
 *   on screen, by position
 */
GArray *
casino_floor_window_collect_rows (CasinoFloorWindow *self)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), NULL);

  return casino_floor_cells_collect_rows (self->bound_rows);
}

/**
 * casino_floor_window_edit_owner:
 * @self: the floor
 * @position: a row on screen
 * @owner: the new owner
 *
 * Edits the owner of a row on screen through its cell, as a user does.
 *
 * Returns: %FALSE if the row is not on screen
 */
gboolean
casino_floor_window_edit_owner (CasinoFloorWindow *self,
                                guint              position,
                                const char        *owner)
{
  g_return_val_if_fail (CASINO_FLOOR_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);

  return casino_floor_cells_edit_owner (self->bound_rows, position, owner);
}

static void
build_ui (CasinoFloorWindow *self)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *pull = gtk_button_new_with_mnemonic ("_Pull every arm");
  GtkWidget *add = gtk_button_new_with_mnemonic ("_Add 100,000");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (css, style);
#else
  gtk_css_provider_load_from_data (css, style, -1);
#endif
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_window_set_title (GTK_WINDOW (self), "Casino floor");
  gtk_window_set_default_size (GTK_WINDOW (self), 860, 620);

  gtk_widget_add_css_class (pull, "suggested-action");
  g_signal_connect (pull, "clicked", G_CALLBACK (pull_clicked_cb), self);
  g_signal_connect (add, "clicked", G_CALLBACK (add_clicked_cb), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), pull);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), add);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  /* No GtkSingleSelection: when the rows around its selected item
   * change, as a sort changes them all, it looks for that item among the
   * new rows one by one, making a machine object for each. */
  self->selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->store)));
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_row_separators (self->column_view, TRUE);
  gtk_column_view_set_show_column_separators (self->column_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");

  add_column (self, "No.", CASINO_FLOOR_COLUMN_NUMBER, "number", FALSE);
  add_column (self, "Reels", CASINO_FLOOR_COLUMN_REELS, "reels", FALSE);
  add_column (self, "Symbols", CASINO_FLOOR_COLUMN_SYMBOLS, "symbols", FALSE);
  add_column (self, "Owner", CASINO_FLOOR_COLUMN_OWNER, "owner", TRUE);
  add_column (self, "Last draw", CASINO_FLOOR_COLUMN_LAST_DRAW, "last-draw", FALSE);

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (sorter_changed_cb), self);

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->column_view));
  gtk_widget_set_vexpand (GTK_WIDGET (self->scroller), TRUE);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0.0);
  gtk_label_set_ellipsize (self->status, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "status");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->scroller));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));
  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_focus (GTK_WINDOW (self), pull);

  update_status (self);
  self->status_timeout = g_timeout_add (500, update_status_cb, self);
}

static void
casino_floor_window_dispose (GObject *object)
{
  CasinoFloorWindow *self = CASINO_FLOOR_WINDOW (object);

  g_clear_handle_id (&self->status_timeout, g_source_remove);
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  self->column_view = NULL;

  G_OBJECT_CLASS (casino_floor_window_parent_class)->dispose (object);
}

static void
casino_floor_window_finalize (GObject *object)
{
  CasinoFloorWindow *self = CASINO_FLOOR_WINDOW (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_object (&self->random);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->last_action, g_free);
  g_clear_pointer (&self->sort_error, g_free);

  G_OBJECT_CLASS (casino_floor_window_parent_class)->finalize (object);
}

static void
casino_floor_window_class_init (CasinoFloorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = casino_floor_window_dispose;
  object_class->finalize = casino_floor_window_finalize;
}

static void
casino_floor_window_init (CasinoFloorWindow *self)
{
  self->bound_rows = casino_floor_cells_new_registry ();
}

/**
 * casino_floor_window_new:
 * @application: the application
 * @store: the floor's machines
 * @next_number: the number the next machine added will take
 * @seed: the seed of the draws
 *
 * Returns: (transfer none): a new window, owned by GTK's window list
 */
CasinoFloorWindow *
casino_floor_window_new (GtkApplication       *application,
                         FlyweightPokiesStore *store,
                         guint                 next_number,
                         guint32               seed)
{
  CasinoFloorWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_STORE (store), NULL);

  self = g_object_new (CASINO_FLOOR_TYPE_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);
  self->random = flyweight_random_new (seed);
  self->next_number = next_number;
  build_ui (self);

  return self;
}
