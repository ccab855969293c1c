/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "memit-report.h"

G_BEGIN_DECLS

gboolean memit_plot_check_path (const char         *path,
                                GError            **error);
gboolean memit_plot_write      (const MemitReport  *report,
                                const char         *path,
                                GError            **error);

G_END_DECLS
