/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-rows.h"
#include "memit-run.h"

G_BEGIN_DECLS

/* One row of the report: every round's sample, and their medians. */
typedef struct
{
  const MemitRow    *row;
  GArray            *samples;  /* of MemitSample */
  double             bytes;
  double             ns;
  double             peak_mb;
  const MemitSample *typical;  /* the round whose bytes are the median */
} MemitResult;

typedef struct
{
  char      *count;    /* instances asked for, as text */
  guint      rounds;
  char      *glib;     /* this process's GLib and allocator */
  GArray    *results;  /* of MemitResult, in table order */
  GPtrArray *notes;    /* of char *: how far the figures can be trusted */
} MemitReport;

MemitReport *memit_report_new          (GPtrArray         *rows,
                                        guint64            count,
                                        guint              rounds);
void         memit_report_free         (MemitReport       *report);
void         memit_report_add_sample   (MemitReport       *report,
                                        const MemitRow    *row,
                                        MemitSample       *sample);
void         memit_report_summarize    (MemitReport       *report);
char        *memit_report_format_table (const MemitReport *report);
char        *memit_report_format_json  (const MemitReport *report);
char        *memit_report_describe_runtimes (const MemitReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemitReport, memit_report_free)

G_END_DECLS
