/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-measure.h"
#include "memit-variant.h"

G_BEGIN_DECLS

#define MEMIT_PYTHON_DEFAULT_PATH "/usr/bin/python3"

const char *memit_python_get_path     (void);
gboolean    memit_python_is_available (void);
char       *memit_python_load_script  (const char         *name,
                                       gboolean            with_notebook,
                                       GError            **error);
gboolean    memit_python_measure      (const MemitVariant *variant,
                                       gsize               n,
                                       MemitSample        *sample,
                                       GError            **error);
GHashTable *memit_python_bench        (gsize               count,
                                       gsize               operations,
                                       guint               repetitions,
                                       GError            **error);

G_END_DECLS
