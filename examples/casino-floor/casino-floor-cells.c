/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The cells of the floor. A cell is set up once and then recycled: bound
 * to the machine of one row, unbound, bound to another. Binding makes
 * property bindings from the machine (a FlyweightPokiesView, which the
 * list item holds while the row is on screen) to the cell's widget, and
 * unbinding drops them, so that a machine scrolled away is released and
 * the store forgets it. Handlers that do not depend on the machine are
 * connected to the widget once, at setup. */

#include "casino-floor-cells.h"

#define CELL_KEY "casino-floor-cell"

typedef struct
{
  CasinoFloorColumn     column;
  GHashTable           *bound_rows;   /* last-draw and owner cells only */
  GtkListItem          *list_item;    /* owns the cell */
  GtkWidget            *widget;       /* owned by the list item */
  FlyweightPokies      *machine;      /* while bound; the list item holds it */
  GBinding             *binding;
  FlyweightAttrBinding *attr_binding;
} Cell;

/* A machine never drawn has an empty last draw. */
static gboolean
draw_to_label_cb (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_static_string (to, text != NULL && *text != '\0' ? text : "–");
  return TRUE;
}

/* Every reel on the same symbol: the row lights up. */
static void
draw_text_changed_cb (GtkInscription *inscription,
                      GParamSpec     *pspec,
                      gpointer        user_data)
{
  const char *text = gtk_inscription_get_text (inscription);
  g_auto(GStrv) symbols = g_strsplit (text != NULL ? text : "", " ", -1);
  gboolean jackpot = symbols[0] != NULL && symbols[1] != NULL;

  for (guint i = 1; jackpot && symbols[i] != NULL; i++)
    jackpot = g_str_equal (symbols[i], symbols[0]);

  if (jackpot)
    gtk_widget_add_css_class (GTK_WIDGET (inscription), "jackpot");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (inscription), "jackpot");
}

static gboolean
let_go_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* When the focus leaves it, GTK 4.8's editable label looks at its focus
 * controller 100 ms later without holding it: a label dropped in between
 * (a focused row is dropped when it is removed, or by a sort) would be
 * looked at freed. The label, and so its controllers, are held longer,
 * at a lower priority, so that the main loop lets go of it only after
 * GTK's look even when both are due at once. */
static void
owner_focus_left_cb (GtkEventControllerFocus *controller,
                     gpointer                 user_data)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  g_timeout_add_full (G_PRIORITY_LOW, 250, let_go_cb, g_object_ref (label), g_object_unref);
}

/* An owner is written back when editing ends, not at every key (as a
 * bidirectional binding would): a half-typed name is no owner, and an edit
 * cancelled with Escape never reaches the store. */
static void
owner_editing_changed_cb (GtkEditableLabel *label,
                          GParamSpec       *pspec,
                          Cell             *cell)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) stored = G_VALUE_INIT;
  g_auto(GValue) edited = G_VALUE_INIT;
  const char *text;

  if (gtk_editable_label_get_editing (label) || cell->machine == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (label));
  if (flyweight_pokies_get_attr (cell->machine, "owner", &stored, NULL) &&
      G_VALUE_HOLDS_STRING (&stored) &&
      g_strcmp0 (g_value_get_string (&stored), text) == 0)
    return;

  g_value_init (&edited, G_TYPE_STRING);
  g_value_set_string (&edited, text);
  if (!flyweight_pokies_set_attr (cell->machine, "owner", &edited, &error))
    {
      /* Put back what the store holds and say why. */
      gtk_editable_set_text (GTK_EDITABLE (label),
                             G_VALUE_HOLDS_STRING (&stored) ? g_value_get_string (&stored) : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), error->message);
      gtk_widget_error_bell (GTK_WIDGET (label));
    }
}

static GtkWidget *
new_inscription (guint  chars,
                 float  xalign)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), chars);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), xalign);

  return inscription;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GObject                  *object,
          Cell                     *prototype)
{
  GtkListItem *list_item = GTK_LIST_ITEM (object);
  Cell *cell = g_new0 (Cell, 1);

  cell->column = prototype->column;
  cell->bound_rows = prototype->bound_rows;
  cell->list_item = list_item;

  switch (cell->column)
    {
    case CASINO_FLOOR_COLUMN_NUMBER:
      cell->widget = new_inscription (9, 1.0);
      gtk_widget_add_css_class (cell->widget, "numeric");
      break;

    case CASINO_FLOOR_COLUMN_REELS:
    case CASINO_FLOOR_COLUMN_SYMBOLS:
      cell->widget = new_inscription (4, 1.0);
      gtk_widget_add_css_class (cell->widget, "numeric");
      break;

    case CASINO_FLOOR_COLUMN_OWNER:
      {
        GtkEventController *focus = gtk_event_controller_focus_new ();

        cell->widget = gtk_editable_label_new ("");
        g_signal_connect (cell->widget, "notify::editing",
                          G_CALLBACK (owner_editing_changed_cb), cell);
        g_signal_connect (focus, "leave", G_CALLBACK (owner_focus_left_cb), NULL);
        gtk_widget_add_controller (cell->widget, focus);
      }
      break;

    case CASINO_FLOOR_COLUMN_LAST_DRAW:
      cell->widget = new_inscription (12, 0.0);
      gtk_widget_add_css_class (cell->widget, "draw");
      g_signal_connect (cell->widget, "notify::text",
                        G_CALLBACK (draw_text_changed_cb), NULL);
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_list_item_set_child (list_item, cell->widget);
  g_object_set_data_full (object, CELL_KEY, cell, g_free);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GObject                  *object,
         gpointer                  user_data)
{
  Cell *cell = g_object_get_data (object, CELL_KEY);
  FlyweightPokies *machine = gtk_list_item_get_item (cell->list_item);

  cell->machine = machine;

  switch (cell->column)
    {
    case CASINO_FLOOR_COLUMN_NUMBER:
      cell->attr_binding = flyweight_attr_binding_bind (machine, "number",
                                                        G_OBJECT (cell->widget), "text",
                                                        G_BINDING_SYNC_CREATE);
      break;

    case CASINO_FLOOR_COLUMN_REELS:
      cell->binding = g_object_bind_property (machine, "reels", cell->widget, "text",
                                              G_BINDING_SYNC_CREATE);
      break;

    case CASINO_FLOOR_COLUMN_SYMBOLS:
      cell->binding = g_object_bind_property (machine, "symbols", cell->widget, "text",
                                              G_BINDING_SYNC_CREATE);
      break;

    case CASINO_FLOOR_COLUMN_OWNER:
      cell->attr_binding = flyweight_attr_binding_bind (machine, "owner",
                                                        G_OBJECT (cell->widget), "text",
                                                        G_BINDING_SYNC_CREATE);
      g_hash_table_add (cell->bound_rows, cell);
      break;

    case CASINO_FLOOR_COLUMN_LAST_DRAW:
      cell->binding = g_object_bind_property_full (machine, "last-draw-text",
                                                   cell->widget, "text",
                                                   G_BINDING_SYNC_CREATE,
                                                   draw_to_label_cb, NULL, NULL, NULL);
      g_hash_table_add (cell->bound_rows, cell);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GObject                  *object,
           gpointer                  user_data)
{
  Cell *cell = g_object_get_data (object, CELL_KEY);

  if (cell->column == CASINO_FLOOR_COLUMN_OWNER &&
      gtk_editable_label_get_editing (GTK_EDITABLE_LABEL (cell->widget)))
    gtk_editable_label_stop_editing (GTK_EDITABLE_LABEL (cell->widget), TRUE);

  if (cell->binding != NULL)
    g_binding_unbind (g_steal_pointer (&cell->binding));
  if (cell->attr_binding != NULL)
    flyweight_attr_binding_unbind (g_steal_pointer (&cell->attr_binding));
  g_hash_table_remove (cell->bound_rows, cell);

  cell->machine = NULL;
}

static void
teardown_cb (GtkSignalListItemFactory *factory,
             GObject                  *object,
             gpointer                  user_data)
{
  Cell *cell = g_object_get_data (object, CELL_KEY);
  GtkWidget *child = gtk_list_item_get_child (GTK_LIST_ITEM (object));

  /* The widget may outlive the cell's state: its handlers go first. */
  if (child != NULL)
    g_signal_handlers_disconnect_by_data (child, cell);
  g_object_set_data (object, CELL_KEY, NULL);
}

static void
free_prototype (gpointer  data,
                GClosure *closure)
{
  Cell *prototype = data;

  g_clear_pointer (&prototype->bound_rows, g_hash_table_unref);
  g_free (prototype);
}

/**
 * casino_floor_cells_new_factory:
 * @column: what the cells show
 * @bound_rows: the registry of bound last-draw and owner cells, from
 *   casino_floor_cells_new_registry()
 *
 * Returns: (transfer full): a factory for the cells of @column
 */
GtkListItemFactory *
casino_floor_cells_new_factory (CasinoFloorColumn  column,
                                GHashTable        *bound_rows)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Cell *prototype = g_new0 (Cell, 1);

  prototype->column = column;
  prototype->bound_rows = g_hash_table_ref (bound_rows);

  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cb), prototype,
                         free_prototype, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), NULL);

  return factory;
}

GHashTable *
casino_floor_cells_new_registry (void)
{
  return g_hash_table_new (NULL, NULL);
}

static void
clear_visible_row (gpointer data)
{
  CasinoFloorVisibleRow *row = data;

  g_clear_pointer (&row->owner, g_free);
  g_clear_pointer (&row->shown_draw, g_free);
  g_clear_pointer (&row->stored_draw, g_free);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  const CasinoFloorVisibleRow *row_a = a;
  const CasinoFloorVisibleRow *row_b = b;

  return row_a->position < row_b->position ? -1 : row_a->position > row_b->position;
}

/* Whether the middle of @widget is inside the list, below the headers. */
static gboolean
is_on_screen (GtkWidget *widget)
{
  GtkWidget *list = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW);
  graphene_rect_t bounds;
  float middle;

  if (list == NULL || !gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, list, &bounds))
    return FALSE;

  middle = bounds.origin.y + bounds.size.height / 2;

  return middle >= 0 && middle < gtk_widget_get_height (list);
}

/**
 * casino_floor_cells_collect_rows:
 * @bound_rows: the registry the factories fill
 *
 * Returns: (transfer full) (element-type CasinoFloorVisibleRow): the rows
 *   whose last-draw cell is on screen, by position
 */
GArray *
casino_floor_cells_collect_rows (GHashTable *bound_rows)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (CasinoFloorVisibleRow));
  GHashTableIter iter;
  gpointer key;

  g_array_set_clear_func (rows, clear_visible_row);

  g_hash_table_iter_init (&iter, bound_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Cell *cell = key;
      CasinoFloorVisibleRow row = { 0, };
      g_auto(GValue) number = G_VALUE_INIT;
      g_auto(GValue) owner = G_VALUE_INIT;
      g_autofree char *stored = NULL;

      if (cell->column != CASINO_FLOOR_COLUMN_LAST_DRAW || !is_on_screen (cell->widget))
        continue;

      row.position = gtk_list_item_get_position (cell->list_item);
      if (flyweight_pokies_get_attr (cell->machine, "number", &number, NULL) &&
          G_VALUE_HOLDS_INT (&number))
        row.number = (guint) g_value_get_int (&number);
      if (flyweight_pokies_get_attr (cell->machine, "owner", &owner, NULL) &&
          G_VALUE_HOLDS_STRING (&owner))
        row.owner = g_value_dup_string (&owner);
      row.shown_draw = g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (cell->widget)));
      stored = flyweight_pokies_view_dup_last_draw_text (FLYWEIGHT_POKIES_VIEW (cell->machine));
      row.stored_draw = g_strdup (stored != NULL && *stored != '\0' ? stored : "–");

      g_array_append_val (rows, row);
    }

  g_array_sort (rows, compare_positions);

  return rows;
}

/**
 * casino_floor_cells_edit_owner:
 * @bound_rows: the registry the factories fill
 * @position: a row on screen
 * @owner: the new owner
 *
 * Edits the owner cell of the row at @position as a user does: starts
 * editing, types @owner, presses Enter.
 *
 * Returns: %FALSE if no owner cell of that row is bound
 */
gboolean
casino_floor_cells_edit_owner (GHashTable *bound_rows,
                               guint       position,
                               const char *owner)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, bound_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Cell *cell = key;
      GtkEditableLabel *label;

      if (cell->column != CASINO_FLOOR_COLUMN_OWNER ||
          gtk_list_item_get_position (cell->list_item) != position)
        continue;

      label = GTK_EDITABLE_LABEL (cell->widget);
      gtk_editable_label_start_editing (label);
      gtk_editable_set_text (GTK_EDITABLE (label), owner);
      gtk_editable_label_stop_editing (label, TRUE);
      return TRUE;
    }

  return FALSE;
}
