/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-rows.h"

G_BEGIN_DECLS

typedef struct
{
  const char *label;
  MemitKind   kind;
  double      bytes;
} MemitBar;

gboolean memit_plot_check_path (const char      *path,
                                GError         **error);
gboolean memit_plot_write      (const MemitBar  *bars,
                                gsize            n_bars,
                                const char      *title,
                                const char      *subtitle,
                                const char      *path,
                                GError         **error);

G_END_DECLS
