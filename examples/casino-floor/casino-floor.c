/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A casino floor of a million slot machines in a GtkColumnView.
 *
 * The machines live in a FlyweightPokiesStore: a few bytes a machine in
 * packed columns. The column view asks for the machines it shows and
 * nothing else; the store makes those on demand and forgets them when the
 * rows scroll away. Pulling every arm, adding machines and sorting work on
 * the store's columns without making a machine object.
 *
 *   casino-floor [--machines N] [--script] [--screenshot FILE] [--seed S]
 *
 * --script takes a tour (scroll to the end and back, pull every arm, sort
 * by three columns), prints a summary and quits: the test drives that. */

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>

#include <gtk/gtk.h>
#include <flyweight.h>

#include "casino-floor-fill.h"
#include "casino-floor-tour.h"
#include "casino-floor-window.h"

#define DEFAULT_MACHINES 1000000
#define MAX_MACHINES     100000000

typedef struct
{
  gint64           started;
  guint            n_machines;
  guint32          seed;
  gboolean         scripted;
  char            *screenshot;
  CasinoFloorTour *tour;
  int              exit_status;
} Floor;

/* A count as a whole number, with 1e6 or 1_000_000 accepted too. */
static gboolean
parse_count (const char  *text,
             guint       *count,
             GError     **error)
{
  g_autofree char *digits = g_strdup (text);
  guint64 value = 0;
  char *exponent;
  char *out = digits;

  for (const char *in = text; *in != '\0'; in++)
    if (*in != '_' && *in != ',')
      *out++ = *in;
  *out = '\0';

  exponent = strpbrk (digits, "eE");
  if (exponent != NULL)
    *exponent++ = '\0';

  if (!g_ascii_string_to_unsigned (digits, 10, 0, MAX_MACHINES, &value, NULL))
    goto invalid;

  if (exponent != NULL)
    {
      guint64 power;

      if (!g_ascii_string_to_unsigned (exponent, 10, 0, 9, &power, NULL))
        goto invalid;
      while (power-- > 0)
        if ((value *= 10) > MAX_MACHINES)
          goto invalid;
    }

  *count = (guint) value;
  return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Invalid number of machines “%s”: expected a whole number from 0 to %u, "
               "such as 1000000 or 1e6", text, MAX_MACHINES);
  return FALSE;
}

static int
handle_local_options_cb (GApplication *application,
                         GVariantDict *options,
                         Floor        *floor)
{
  g_autoptr(GError) error = NULL;
  const char *machines = NULL;
  gint32 seed;

  if (g_variant_dict_lookup (options, "machines", "&s", &machines) &&
      !parse_count (machines, &floor->n_machines, &error))
    {
      g_printerr ("casino-floor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_variant_dict_lookup (options, "seed", "i", &seed))
    floor->seed = (guint32) seed;
  floor->scripted = g_variant_dict_contains (options, "script");
  g_variant_dict_lookup (options, "screenshot", "^ay", &floor->screenshot);

  if (floor->scripted && floor->n_machines == 0)
    {
      g_printerr ("casino-floor: --script needs at least one machine\n");
      return EXIT_FAILURE;
    }

  return -1;
}

/* CPU time of the calling thread, in µs. */
static gint64
thread_cpu_time (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;

  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
activate_cb (GtkApplication *application,
             Floor          *floor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlyweightPokiesStore) store = NULL;
  CasinoFloorTourOptions options = { 0, };
  CasinoFloorWindow *window;
  gint64 fill_started;
  gint64 fill_cpu_started;

  /* One floor per process: activating again shows it. */
  if (floor->tour != NULL)
    {
      GtkWindow *shown = gtk_application_get_active_window (application);

      if (shown != NULL)
        gtk_window_present (shown);
      return;
    }

  store = flyweight_pokies_store_new ();
  fill_started = g_get_monotonic_time ();
  fill_cpu_started = thread_cpu_time ();
  if (!casino_floor_fill (store, 1, floor->n_machines, &error))
    {
      g_printerr ("casino-floor: cannot lay out %u machines: %s\n", floor->n_machines, error->message);
      floor->exit_status = EXIT_FAILURE;
      return;
    }

  options.started = floor->started;
  options.fill_time = g_get_monotonic_time () - fill_started;
  options.fill_cpu_time = thread_cpu_time () - fill_cpu_started;
  options.scripted = floor->scripted;
  options.screenshot = floor->screenshot;

  window = casino_floor_window_new (application, store, floor->n_machines + 1, floor->seed);
  floor->tour = casino_floor_tour_new (window, &options);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;
  Floor floor = {
    .started = g_get_monotonic_time (),
    .n_machines = DEFAULT_MACHINES,
    .seed = 1,
  };
  const GOptionEntry entries[] = {
    { "machines", 'n', 0, G_OPTION_ARG_STRING, NULL,
      "How many machines to put on the floor (default 1000000; 1e6 works too)", "N" },
    { "script", 0, 0, G_OPTION_ARG_NONE, NULL,
      "Scroll to the end and back, pull every arm, sort, print a summary and quit", NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      "Save a PNG of the window: after the tour, or after the first frame", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT, NULL,
      "Seed of the draws (default 1): the same seed pulls the same symbols", "S" },
    G_OPTION_ENTRY_NULL
  };
  int status;

#ifdef __GLIBC__
  /* A sort of a million rows takes the store tens of megabytes of scratch
   * memory for a moment. Once such a block is freed, glibc raises its mmap
   * threshold to the block's size and keeps the next ones in its heap, so
   * the floor's RSS would grow with every sort; a fixed threshold gives
   * them back. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif

  application = gtk_application_new ("org.libflyweight.CasinoFloor", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries (G_APPLICATION (application), entries);
  g_application_set_option_context_summary (G_APPLICATION (application),
                                            "A casino floor of slot machines kept in a "
                                            "FlyweightPokiesStore, shown in a GtkColumnView.");
  g_signal_connect (application, "handle-local-options", G_CALLBACK (handle_local_options_cb), &floor);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), &floor);

  status = g_application_run (G_APPLICATION (application), argc, argv);

  if (floor.tour != NULL && status == EXIT_SUCCESS)
    status = casino_floor_tour_get_exit_status (floor.tour);
  if (status == EXIT_SUCCESS)
    status = floor.exit_status;

  g_clear_pointer (&floor.tour, casino_floor_tour_free);
  g_free (floor.screenshot);

  return status;
}
