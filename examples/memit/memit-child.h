/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-measure.h"
#include "memit-variant.h"

G_BEGIN_DECLS

GHashTable *memit_child_run_json    (const char * const *argv,
                                     GError            **error);
gboolean    memit_child_read_sample (GHashTable         *object,
                                     MemitSample        *sample,
                                     GError            **error);
gboolean    memit_child_measure     (const MemitVariant *variant,
                                     gsize               n,
                                     MemitSample        *sample,
                                     GError            **error);
int         memit_child_main        (const char         *variant_id,
                                     gsize               n);

G_END_DECLS
