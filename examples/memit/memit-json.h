/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         memit_json_append_string (GString     *out,
                                       const char  *value);
void         memit_json_append_number (GString     *out,
                                       double       value);
GHashTable  *memit_json_parse_flat    (const char  *text,
                                       GError     **error);
gboolean     memit_json_lookup_number (GHashTable  *object,
                                       const char  *key,
                                       double      *value);
const char  *memit_json_lookup_string (GHashTable  *object,
                                       const char  *key);

G_END_DECLS
