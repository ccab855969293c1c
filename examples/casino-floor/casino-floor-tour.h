/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "casino-floor-window.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      started;       /* g_get_monotonic_time() when main() began */
  gint64      fill_time;     /* how long filling the floor took, in µs */
  gint64      fill_cpu_time; /* the CPU time it took, in µs */
  gboolean    scripted;      /* take the tour, print the summary, quit */
  const char *screenshot;    /* where to save a PNG of the window, or NULL */
} CasinoFloorTourOptions;

typedef struct _CasinoFloorTour CasinoFloorTour;

CasinoFloorTour *casino_floor_tour_new             (CasinoFloorWindow            *window,
                                                    const CasinoFloorTourOptions *options);
int              casino_floor_tour_get_exit_status (CasinoFloorTour              *tour);
void             casino_floor_tour_free            (CasinoFloorTour              *tour);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CasinoFloorTour, casino_floor_tour_free)

G_END_DECLS
