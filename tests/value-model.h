/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean  values_equal          (const GValue *a,
                                 const GValue *b);
GVariant *expected_dict_variant (const GValue *value);

G_END_DECLS
