/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib.h>

#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/**
 * FLYWEIGHT_ATTR_NAME_MAX_LENGTH:
 *
 * The longest attribute name accepted, in bytes.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_ATTR_NAME_MAX_LENGTH 255

FLYWEIGHT_AVAILABLE_IN_1_0
gboolean flyweight_attr_name_validate (const char  *name,
                                       GError     **error);

G_END_DECLS
