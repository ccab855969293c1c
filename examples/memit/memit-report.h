/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-measure.h"
#include "memit-variant.h"

G_BEGIN_DECLS

typedef struct
{
  const MemitVariant *variant;
  MemitSample         sample;
} MemitRow;

typedef struct
{
  gsize   count;
  GArray *rows;   /* of MemitRow */
} MemitReport;

/* One "X: 31% of Y's memory" line. */
typedef struct
{
  const MemitRow *subject;
  const MemitRow *reference;
  double          memory_ratio;
  double          time_ratio;
} MemitComparison;

MemitReport    *memit_report_new             (gsize               count);
void            memit_report_free            (MemitReport        *report);
MemitRow       *memit_report_add             (MemitReport        *report,
                                              const MemitVariant *variant);
const MemitRow *memit_report_find            (const MemitReport  *report,
                                              const char         *id);
double          memit_report_ratio_to_dynamic (const MemitReport *report,
                                              const MemitRow     *row);
GArray         *memit_report_comparisons     (const MemitReport  *report);
char           *memit_report_format_table    (const MemitReport  *report);
char           *memit_report_format_json     (const MemitReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemitReport, memit_report_free)

G_END_DECLS
