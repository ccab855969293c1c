/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib.h>

#include "flyweight-version-macros.h"

G_BEGIN_DECLS

/**
 * FLYWEIGHT_ERROR:
 *
 * The error domain of libflyweight; errors in it carry a [enum@Flyweight.Error] code.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_ERROR (flyweight_error_quark ())

/**
 * FlyweightError:
 * @FLYWEIGHT_ERROR_FAILED: a failure with no more specific code
 * @FLYWEIGHT_ERROR_NO_ATTRIBUTE: the object has no attribute of that name,
 *   and (for fixed-field objects) cannot have one
 * @FLYWEIGHT_ERROR_READ_ONLY: the attribute exists but cannot be changed or deleted
 * @FLYWEIGHT_ERROR_INVALID_VALUE: a value is out of range or of the wrong type
 * @FLYWEIGHT_ERROR_INVALID_NAME: an attribute name breaks the naming rule
 *   (see [method@Flyweight.Pokies.set_attr])
 * @FLYWEIGHT_ERROR_INVALID_KEY: a [class@Flyweight.Pool] was asked for a
 *   property that cannot identify a pooled object: unknown, not
 *   construct-only, or given twice
 * @FLYWEIGHT_ERROR_NOT_POOLABLE: the type of a [class@Flyweight.Pool] cannot
 *   be pooled: it is abstract, it can change after construction, or one of
 *   its construct-only properties holds values a pool cannot compare
 *
 * Error codes in the `FLYWEIGHT_ERROR` domain.
 *
 * Since: 1.0
 */
typedef enum
{
  FLYWEIGHT_ERROR_FAILED,
  FLYWEIGHT_ERROR_NO_ATTRIBUTE,
  FLYWEIGHT_ERROR_READ_ONLY,
  FLYWEIGHT_ERROR_INVALID_VALUE,
  FLYWEIGHT_ERROR_INVALID_NAME,
  FLYWEIGHT_ERROR_INVALID_KEY,
  FLYWEIGHT_ERROR_NOT_POOLABLE,
} FlyweightError;

FLYWEIGHT_AVAILABLE_IN_1_0
GQuark flyweight_error_quark (void);

G_END_DECLS
