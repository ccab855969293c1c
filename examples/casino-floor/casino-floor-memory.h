/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64 casino_floor_memory_get_rss      (void);
guint64 casino_floor_memory_get_peak_rss (void);
char   *casino_floor_memory_format       (guint64 bytes);

G_END_DECLS
