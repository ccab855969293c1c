/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void   memit_append_columns  (GString    *out,
                              GPtrArray  *cells,
                              const char *alignment);
void   memit_json_set_number (JsonObject *object,
                              const char *name,
                              double      value);
void   memit_json_set_string (JsonObject *object,
                              const char *name,
                              const char *value);
char  *memit_json_to_data    (JsonObject *object);

G_END_DECLS
