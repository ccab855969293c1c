/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The scripted run a test drives: wait for the first frame, scroll to the
 * last machine and back, pull every arm, type an owner, sort through the
 * column headers, add machines, take a screenshot, print what was seen,
 * close the window.
 *
 * Each step acts, then waits for a few painted frames so that the list
 * has bound the rows it shows, then looks at the rows on screen. The
 * summary is one "key: value" per line; the test reads it and decides.
 * The tour itself only fails when a step cannot be done at all. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casino-floor-cells.h"
#include "casino-floor-fill.h"
#include "casino-floor-memory.h"
#include "casino-floor-screenshot.h"
#include "casino-floor-tour.h"

/* Under AddressSanitizer, freed memory waits in quarantine and every
 * block has guards: the RSS says nothing about the floor. */
#if defined (__SANITIZE_ADDRESS__)
# define MEMORY_CHECKER "AddressSanitizer"
#elif defined (__has_feature)
# if __has_feature (address_sanitizer)
#  define MEMORY_CHECKER "AddressSanitizer"
# endif
#endif

/* Frames to paint after a step before looking at the screen. */
#define SETTLE_FRAMES 3
/* What the tour types into the first owner cell: after every name the
 * floor gives, so that the smallest owner stays the floor's. */
#define EDITED_OWNER "Zephyr Arcade"

/* A step that has not finished after this long has failed. */
#define STEP_TIMEOUT_SECONDS 120
/* How often a scroll is tried again when the list did not follow it. */
#define MAX_SCROLL_TRIES 20

typedef enum
{
  STEP_FIRST_FRAME,
  STEP_SCROLL_TO_END,
  STEP_SCROLL_TO_START,
  STEP_PULL,
  STEP_EDIT_OWNER,
  STEP_SORT_BY_NUMBER_DESCENDING,
  STEP_SORT_BY_OWNER,
  STEP_SORT_BY_NUMBER,
  STEP_ADD,
  STEP_SCREENSHOT,
  STEP_DONE,
} Step;

struct _CasinoFloorTour
{
  CasinoFloorTourOptions  options;
  char                   *screenshot;
  CasinoFloorWindow      *window;        /* weak */
  FlyweightPokiesStore   *store;         /* strong: looked at after the window is gone */
  GApplication           *application;
  GString                *summary;
  int                     exit_status;

  Step                    step;          /* what to look at once the frames are painted */
  guint                   frames_to_wait;
  guint                   tries;
  guint                   idle_id;
  guint                   timeout_id;
  GdkFrameClock          *frame_clock;
  gulong                  after_paint_id;

  gboolean                first_frame_seen;
  guint                   max_live_views;
  GArray                 *before_pull;
};

typedef CasinoFloorTour Tour;

#define ROW(rows, i) (&g_array_index ((rows), CasinoFloorVisibleRow, (i)))

static void
summary_add (Tour       *tour,
             const char *key,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
summary_add (Tour       *tour,
             const char *key,
             const char *format,
             ...)
{
  va_list args;

  g_string_append_printf (tour->summary, "%s: ", key);
  va_start (args, format);
  g_string_append_vprintf (tour->summary, format, args);
  va_end (args);
  g_string_append_c (tour->summary, '\n');
}

static void
stop_watching (Tour *tour)
{
  g_clear_handle_id (&tour->timeout_id, g_source_remove);
  g_clear_handle_id (&tour->idle_id, g_source_remove);
  if (tour->frame_clock != NULL)
    g_clear_signal_handler (&tour->after_paint_id, tour->frame_clock);
  g_clear_object (&tour->frame_clock);
}

static void
tour_finish (Tour *tour,
             int   exit_status)
{
  if (tour->step == STEP_DONE)
    return;

  tour->step = STEP_DONE;
  tour->exit_status = exit_status;
  stop_watching (tour);

  if (tour->options.scripted)
    {
      g_print ("%s", tour->summary->str);
      fflush (stdout);
      g_application_quit (tour->application);
    }
}

static void
tour_fail (Tour       *tour,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
tour_fail (Tour       *tour,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("casino-floor: %s\n", message);
  summary_add (tour, "error", "%s", message);
  tour_finish (tour, EXIT_FAILURE);
}

static gboolean
step_timed_out_cb (gpointer user_data)
{
  Tour *tour = user_data;

  tour->timeout_id = 0;
  tour_fail (tour, "the tour stopped at step %d: nothing happened for %d s",
             tour->step, STEP_TIMEOUT_SECONDS);

  return G_SOURCE_REMOVE;
}

/* After acting, look at @step once a few frames are painted. */
static void
look_after_frames (Tour *tour,
                   Step  step)
{
  tour->step = step;
  tour->frames_to_wait = SETTLE_FRAMES;

  if (tour->options.scripted)
    {
      g_clear_handle_id (&tour->timeout_id, g_source_remove);
      tour->timeout_id = g_timeout_add_seconds (STEP_TIMEOUT_SECONDS, step_timed_out_cb, tour);
    }
  if (tour->window != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (tour->window));
}

static void
note_live_views (Tour *tour)
{
  tour->max_live_views = MAX (tour->max_live_views,
                              flyweight_pokies_store_get_n_live_views (tour->store));
}

/* Sets the vertical adjustment to its first or last value. A retry moves
 * it away and back first, so that the list hears a change even when the
 * value is the one it was given last time: GTK 4.8's list views sometimes
 * let a change go by unheeded (with a focused row, the first one). */
static void
scroll_to (Tour    *tour,
           gboolean end)
{
  GtkAdjustment *adjustment = casino_floor_window_get_vadjustment (tour->window);
  double lower = gtk_adjustment_get_lower (adjustment);
  double last = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (tour->tries > 0)
    gtk_adjustment_set_value (adjustment, end ? last - 1 : lower + 1);
  gtk_adjustment_set_value (adjustment, end ? last : lower);
}

/* Whether the first or last machine is on screen; if not, aims again,
 * since the list may have let the change go by. */
static gboolean
reached (Tour       *tour,
         gboolean    end,
         const char *key)
{
  g_autoptr(GArray) rows = casino_floor_window_collect_rows (tour->window);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (tour->store));
  guint wanted = end ? n_items - 1 : 0;
  CasinoFloorVisibleRow *row = NULL;

  if (rows->len > 0)
    row = end ? ROW (rows, rows->len - 1) : ROW (rows, 0);

  if ((row == NULL || row->position != wanted) && tour->tries++ < MAX_SCROLL_TRIES)
    {
      scroll_to (tour, end);
      look_after_frames (tour, tour->step);
      return FALSE;
    }

  if (row == NULL)
    summary_add (tour, key, "nothing");
  else
    summary_add (tour, key, "position %u, number %u", row->position, row->number);
  summary_add (tour, end ? "rows-on-screen-at-end" : "rows-on-screen-at-start", "%u", rows->len);
  summary_add (tour, end ? "scroll-retries-to-end" : "scroll-retries-to-start", "%u", tour->tries);
  tour->tries = 0;

  return TRUE;
}

static void
compare_draws (Tour *tour)
{
  g_autoptr(GArray) after = casino_floor_window_collect_rows (tour->window);
  guint compared = 0;
  guint changed = 0;
  guint matching = 0;
  guint j = 0;

  for (guint i = 0; i < after->len; i++)
    {
      CasinoFloorVisibleRow *row = ROW (after, i);

      if (g_strcmp0 (row->shown_draw, row->stored_draw) == 0)
        matching++;

      while (j < tour->before_pull->len && ROW (tour->before_pull, j)->position < row->position)
        j++;
      if (j < tour->before_pull->len && ROW (tour->before_pull, j)->position == row->position)
        {
          compared++;
          if (g_strcmp0 (ROW (tour->before_pull, j)->shown_draw, row->shown_draw) != 0)
            changed++;
        }
    }

  summary_add (tour, "draws-on-screen", "%u", after->len);
  summary_add (tour, "draws-changed", "%u of %u", changed, compared);
  summary_add (tour, "draws-matching-store", "%u of %u", matching, after->len);
  if (after->len > 0 && tour->before_pull->len > 0)
    summary_add (tour, "first-draw-on-screen", "%s -> %s",
                 ROW (tour->before_pull, 0)->shown_draw, ROW (after, 0)->shown_draw);
  g_clear_pointer (&tour->before_pull, g_array_unref);
}

/* The owner a sort by owner puts first: the smallest name the store holds,
 * found with the store's own count rather than a look at every machine. */
static const char *
smallest_owner (Tour *tour)
{
  const char *smallest = NULL;

  for (guint i = 0; i < casino_floor_get_n_owners (); i++)
    {
      const char *owner = casino_floor_get_owner (i);
      g_auto(GValue) value = G_VALUE_INIT;

      if (smallest != NULL && strcmp (owner, smallest) >= 0)
        continue;

      g_value_init (&value, G_TYPE_STRING);
      g_value_set_static_string (&value, owner);
      if (flyweight_pokies_store_count_attr (tour->store, "owner", &value, NULL) > 0)
        smallest = owner;
    }

  return smallest != NULL ? smallest : "nothing";
}

/* Sorts as a click on a header does, and looks after a few frames. */
static void
sort_then_look (Tour       *tour,
                const char *key,
                gboolean    descending,
                Step        step)
{
  if (!casino_floor_window_sort_by_column (tour->window, key, descending))
    {
      const char *error = casino_floor_window_get_sort_error (tour->window);

      summary_add (tour, "sort-error", "by %s: %s", key, error != NULL ? error : "no such column");
    }
  look_after_frames (tour, step);
}

static void
report_rss (Tour       *tour,
            const char *after)
{
  g_autofree char *key = g_strdup_printf ("rss-after-%s-kb", after);

  summary_add (tour, key, "%" G_GUINT64_FORMAT, casino_floor_memory_get_rss () / 1024);
}

static void
report_first_row (Tour       *tour,
                  const char *key,
                  gboolean    owner)
{
  g_autoptr(GArray) rows = casino_floor_window_collect_rows (tour->window);
  double sort_ms = casino_floor_window_get_sort_time (tour->window) / 1000.0;

  if (rows->len == 0)
    summary_add (tour, key, "nothing");
  else if (owner)
    summary_add (tour, key, "%s (%.0f ms)", ROW (rows, 0)->owner, sort_ms);
  else
    summary_add (tour, key, "%u (%.0f ms)", ROW (rows, 0)->number, sort_ms);
}

/* The owner of the first row, as its cell shows it and as the store
 * holds it. */
static void
report_edited_owner (Tour       *tour,
                     const char *key)
{
  g_autoptr(GArray) rows = casino_floor_window_collect_rows (tour->window);
  g_autoptr(FlyweightPokiesView) machine = flyweight_pokies_store_get_view (tour->store, 0);
  g_auto(GValue) owner = G_VALUE_INIT;
  const char *stored = "nothing";

  if (machine != NULL &&
      flyweight_pokies_get_attr (FLYWEIGHT_POKIES (machine), "owner", &owner, NULL) &&
      G_VALUE_HOLDS_STRING (&owner))
    stored = g_value_get_string (&owner);

  summary_add (tour, key, "%s (shown), %s (stored)",
               rows->len > 0 && ROW (rows, 0)->position == 0 ? ROW (rows, 0)->owner : "nothing",
               stored);
}

/* Presses "Add 100,000". */
static void
add_machines (Tour *tour)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!casino_floor_window_add_machines (tour->window, CASINO_FLOOR_ADD_COUNT, &error))
    summary_add (tour, "add-error", "%s", error->message);
  else
    summary_add (tour, "add-ms", "%.1f", (g_get_monotonic_time () - start) / 1000.0);
}

/* How many machines the floor holds, and the number of the last one. */
static void
report_last_machine (Tour *tour)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (tour->store));
  g_autoptr(FlyweightPokiesView) machine = NULL;
  g_auto(GValue) number = G_VALUE_INIT;

  if (n_items > 0)
    machine = flyweight_pokies_store_get_view (tour->store, n_items - 1);

  summary_add (tour, "machines-after-add", "%u, the last numbered %d", n_items,
               machine != NULL &&
               flyweight_pokies_get_attr (FLYWEIGHT_POKIES (machine), "number", &number, NULL) &&
               G_VALUE_HOLDS_INT (&number) ? g_value_get_int (&number) : -1);
}

/* Returns FALSE if a screenshot was asked for and could not be saved. */
static gboolean
take_screenshot (Tour *tour)
{
  g_autoptr(GError) error = NULL;
  guint n_colors = 0;

  if (tour->screenshot == NULL)
    return TRUE;

  if (!casino_floor_screenshot_save (GTK_WIDGET (tour->window), tour->screenshot,
                                     &n_colors, &error))
    {
      g_printerr ("casino-floor: %s\n", error->message);
      summary_add (tour, "screenshot-error", "%s", error->message);
      return FALSE;
    }

  summary_add (tour, "screenshot", "%s", tour->screenshot);
  summary_add (tour, "screenshot-size", "%dx%d",
               gtk_widget_get_width (GTK_WIDGET (tour->window)),
               gtk_widget_get_height (GTK_WIDGET (tour->window)));
  summary_add (tour, "screenshot-colors", "%u", n_colors);

  return TRUE;
}

/* CPU time the process has used, all threads, since it started: on a
 * loaded machine, a steadier measure than the wall clock. */
static double
process_cpu_ms (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now) != 0)
    return 0;

  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static void
record_first_frame (Tour *tour)
{
  gint64 now = g_get_monotonic_time ();

  summary_add (tour, "machines", "%u", g_list_model_get_n_items (G_LIST_MODEL (tour->store)));
  summary_add (tour, "fill-ms", "%.1f", tour->options.fill_time / 1000.0);
  summary_add (tour, "fill-cpu-ms", "%.1f", tour->options.fill_cpu_time / 1000.0);
  summary_add (tour, "first-frame-ms", "%.1f", (now - tour->options.started) / 1000.0);
  summary_add (tour, "first-frame-cpu-ms", "%.1f", process_cpu_ms ());
  summary_add (tour, "rss-first-frame-kb", "%" G_GUINT64_FORMAT,
               casino_floor_memory_get_rss () / 1024);
#ifdef MEMORY_CHECKER
  summary_add (tour, "memory-checker", "%s", MEMORY_CHECKER);
#endif
  summary_add (tour, "live-views-first-frame", "%u",
               flyweight_pokies_store_get_n_live_views (tour->store));
}

static void
finish_tour (Tour *tour)
{
  gboolean saved = take_screenshot (tour);

  note_live_views (tour);
  summary_add (tour, "live-views-max", "%u", tour->max_live_views);
  summary_add (tour, "live-views-end", "%u", flyweight_pokies_store_get_n_live_views (tour->store));
  summary_add (tour, "rss-end-kb", "%" G_GUINT64_FORMAT, casino_floor_memory_get_rss () / 1024);
  summary_add (tour, "rss-peak-kb", "%" G_GUINT64_FORMAT, casino_floor_memory_get_peak_rss () / 1024);

  /* Closing the window unbinds and drops every row: no machine object
   * may stay alive after it. */
  stop_watching (tour);
  gtk_window_destroy (GTK_WINDOW (tour->window));
  summary_add (tour, "live-views-after-close", "%u",
               flyweight_pokies_store_get_n_live_views (tour->store));

  tour_finish (tour, saved ? EXIT_SUCCESS : EXIT_FAILURE);
}

/* Looks at what the last step did, then takes the next one. */
static void
run_step (Tour *tour)
{
  if (tour->window == NULL)
    {
      tour_fail (tour, "the window was closed during the tour");
      return;
    }

  switch (tour->step)
    {
    case STEP_FIRST_FRAME:
      if (!tour->options.scripted)
        {
          tour_finish (tour, take_screenshot (tour) ? EXIT_SUCCESS : EXIT_FAILURE);
          break;
        }
      scroll_to (tour, TRUE);
      look_after_frames (tour, STEP_SCROLL_TO_END);
      break;

    case STEP_SCROLL_TO_END:
      if (!reached (tour, TRUE, "last-row-on-screen"))
        break;
      report_rss (tour, "scroll-to-end");
      scroll_to (tour, FALSE);
      look_after_frames (tour, STEP_SCROLL_TO_START);
      break;

    case STEP_SCROLL_TO_START:
      if (!reached (tour, FALSE, "first-row-on-screen"))
        break;
      report_rss (tour, "scroll-to-start");
      tour->before_pull = casino_floor_window_collect_rows (tour->window);
      summary_add (tour, "pull-ms", "%.1f",
                   casino_floor_window_pull_every_arm (tour->window) / 1000.0);
      look_after_frames (tour, STEP_PULL);
      break;

    case STEP_PULL:
      compare_draws (tour);
      report_rss (tour, "pull");
      if (!casino_floor_window_edit_owner (tour->window, 0, EDITED_OWNER))
        summary_add (tour, "owner-edit-error", "the first row's owner cell is not on screen");
      look_after_frames (tour, STEP_EDIT_OWNER);
      break;

    case STEP_EDIT_OWNER:
      report_edited_owner (tour, "owner-edited");
      sort_then_look (tour, "number", TRUE, STEP_SORT_BY_NUMBER_DESCENDING);
      break;

    case STEP_SORT_BY_NUMBER_DESCENDING:
      report_first_row (tour, "sorted-by-number-descending-first", FALSE);
      report_rss (tour, "sort-by-number-descending");
      sort_then_look (tour, "owner", FALSE, STEP_SORT_BY_OWNER);
      break;

    case STEP_SORT_BY_OWNER:
      report_first_row (tour, "sorted-by-owner-first", TRUE);
      report_rss (tour, "sort-by-owner");
      summary_add (tour, "smallest-owner", "%s", smallest_owner (tour));
      sort_then_look (tour, "number", FALSE, STEP_SORT_BY_NUMBER);
      break;

    case STEP_SORT_BY_NUMBER:
      report_first_row (tour, "sorted-by-number-first", FALSE);
      report_edited_owner (tour, "sorted-by-number-first-owner");
      report_rss (tour, "sort-by-number");
      add_machines (tour);
      look_after_frames (tour, STEP_ADD);
      break;

    case STEP_ADD:
      report_last_machine (tour);
      report_rss (tour, "add");
      look_after_frames (tour, STEP_SCREENSHOT);
      break;

    case STEP_SCREENSHOT:
      finish_tour (tour);
      break;

    case STEP_DONE:
    default:
      break;
    }
}

static gboolean
run_step_cb (gpointer user_data)
{
  Tour *tour = user_data;

  tour->idle_id = 0;
  run_step (tour);

  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Tour          *tour)
{
  note_live_views (tour);

  if (!tour->first_frame_seen)
    {
      if (!gtk_widget_get_mapped (GTK_WIDGET (tour->window)))
        return;

      tour->first_frame_seen = TRUE;
      record_first_frame (tour);
      tour->frames_to_wait = SETTLE_FRAMES;
    }

  if (tour->frames_to_wait == 0)
    return;

  if (--tour->frames_to_wait > 0)
    {
      gtk_widget_queue_draw (GTK_WIDGET (tour->window));
      return;
    }

  /* Look and act from the main loop, outside the frame clock's cycle. */
  if (tour->idle_id == 0)
    tour->idle_id = g_idle_add (run_step_cb, tour);
}

static void
window_realize_cb (GtkWidget *widget,
                   Tour      *tour)
{
  if (tour->frame_clock != NULL || tour->step == STEP_DONE)
    return;

  tour->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  tour->after_paint_id = g_signal_connect (tour->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), tour);
}

/**
 * casino_floor_tour_new:
 * @window: a floor that is not shown yet
 * @options: what to do
 *
 * Measures the first frame of @window and, if @options says so, takes
 * the tour and quits the application.
 *
 * Returns: (transfer full): the tour, to free after the main loop
 */
CasinoFloorTour *
casino_floor_tour_new (CasinoFloorWindow            *window,
                       const CasinoFloorTourOptions *options)
{
  Tour *tour = g_new0 (Tour, 1);

  tour->options = *options;
  tour->screenshot = g_strdup (options->screenshot);
  tour->options.screenshot = NULL;
  tour->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &tour->window);
  tour->store = g_object_ref (casino_floor_window_get_store (window));
  tour->application = g_object_ref (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
  tour->summary = g_string_new (NULL);
  tour->step = STEP_FIRST_FRAME;
  if (options->scripted)
    tour->timeout_id = g_timeout_add_seconds (STEP_TIMEOUT_SECONDS, step_timed_out_cb, tour);

  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), tour);

  return tour;
}

int
casino_floor_tour_get_exit_status (CasinoFloorTour *tour)
{
  return tour->exit_status;
}

void
casino_floor_tour_free (CasinoFloorTour *tour)
{
  if (tour == NULL)
    return;

  stop_watching (tour);
  if (tour->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (tour->window, tour);
      g_object_remove_weak_pointer (G_OBJECT (tour->window), (gpointer *) &tour->window);
    }
  g_clear_object (&tour->store);
  g_clear_object (&tour->application);
  g_clear_pointer (&tour->before_pull, g_array_unref);
  g_clear_pointer (&tour->screenshot, g_free);
  g_string_free (tour->summary, TRUE);
  g_free (tour);
}
