/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean values_equal       (const GValue  *a,
                             const GValue  *b);
gboolean dict_value_matches (GVariant      *got,
                             const GValue  *expected,
                             char         **why);

G_END_DECLS
