/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-measure.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_BINDING_PYGOBJECT,
  BENCH_BINDING_GJS,
} BenchBinding;

gboolean bench_bindings_measure (BenchBinding   binding,
                                 const char    *what,
                                 gsize          n,
                                 guint          repetitions,
                                 MemitSample   *sample,
                                 double        *ns_per_instance,
                                 GError       **error);

G_END_DECLS
