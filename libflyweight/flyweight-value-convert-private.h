/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean flyweight_value_convert (const GValue *src,
                                  GValue       *dest);

G_END_DECLS
