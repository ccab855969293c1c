/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Sorting a million rows is the store's job: a GtkSortListModel would ask
 * for every item to compare them. The column view still draws the arrows
 * and tracks the clicks on its headers; the window listens to its sorter
 * and asks which column it now sorts by, and which way.
 *
 * Each sortable column gets a sorter that sorts nothing and carries the
 * store's name for that column: its sort key. */

#include "casino-floor-sort.h"

#define SORT_KEY "casino-floor-sort-key"

#if !GTK_CHECK_VERSION (4, 10, 0)
/* GTK 4.8 keeps the column view's sort columns private. Its sorter
 * compares two items by asking the sorter of each sort column in turn,
 * primary first, and inverts the answer of a descending column. Comparing
 * two probe objects with column sorters that answer "smaller" for them
 * tells the primary column (the first asked) and its order. */
static struct
{
  GObject    *first;
  GObject    *second;
  const char *asked;
} probe;
#endif

static int
compare_probe_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      key)
{
#if !GTK_CHECK_VERSION (4, 10, 0)
  if (a == probe.first && b == probe.second)
    {
      if (probe.asked == NULL)
        probe.asked = key;
      return -1;
    }
#endif

  /* Real items are never compared here: the store sorts them. */
  return 0;
}

/**
 * casino_floor_sort_key_new:
 * @key: the store's name for what the column shows: an attribute, or
 *   "last-draw"
 *
 * Returns: (transfer full): a sorter to give a `GtkColumnViewColumn`
 */
GtkSorter *
casino_floor_sort_key_new (const char *key)
{
  const char *interned = g_intern_string (key);
  GtkSorter *sorter;

  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_probe_cb, (gpointer) interned, NULL));
  g_object_set_data (G_OBJECT (sorter), SORT_KEY, (gpointer) interned);

  return sorter;
}

/**
 * casino_floor_sort_get_primary_key:
 * @view: a column view whose sortable columns have sorters made by
 *   casino_floor_sort_key_new()
 * @descending: (out): whether the primary column sorts in descending order
 *
 * Returns: (nullable): the sort key of the column @view sorts by, or %NULL
 *   if it sorts by none
 */
const char *
casino_floor_sort_get_primary_key (GtkColumnView *view,
                                   gboolean      *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
#if GTK_CHECK_VERSION (4, 10, 0)
  GtkColumnViewSorter *column_view_sorter = GTK_COLUMN_VIEW_SORTER (sorter);
  GtkColumnViewColumn *column = gtk_column_view_sorter_get_primary_sort_column (column_view_sorter);

  *descending = FALSE;
  if (column == NULL || gtk_column_view_column_get_sorter (column) == NULL)
    return NULL;

  *descending = gtk_column_view_sorter_get_primary_sort_order (column_view_sorter) == GTK_SORT_DESCENDING;

  return g_object_get_data (G_OBJECT (gtk_column_view_column_get_sorter (column)), SORT_KEY);
#else
  GtkOrdering ordering;

  if (probe.first == NULL)
    {
      probe.first = g_object_new (G_TYPE_OBJECT, NULL);
      probe.second = g_object_new (G_TYPE_OBJECT, NULL);
    }

  probe.asked = NULL;
  ordering = gtk_sorter_compare (sorter, probe.first, probe.second);
  *descending = ordering == GTK_ORDERING_LARGER;

  return ordering == GTK_ORDERING_EQUAL ? NULL : probe.asked;
#endif
}
