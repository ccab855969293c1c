/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean values_equal       (const GValue  *a,
                             const GValue  *b);
gboolean dict_value_matches (GVariant      *got,
                             const GValue  *expected,
                             char         **why);

/* Reading an attribute into a GValue of another type, as the library
 * documents it: refused, a value, or for a number read as a string, text
 * that must read back as the same number. */
typedef enum
{
  MODEL_REFUSED,
  MODEL_VALUE,
  MODEL_NUMBER_TEXT,
} ModelConversion;

ModelConversion model_conversion          (const GValue *stored,
                                           GValue       *expected);
gboolean        model_number_text_matches (const GValue *number,
                                           const char   *text);

G_END_DECLS
