/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-error.h"

/**
 * flyweight_error_quark:
 *
 * Gets the error domain of libflyweight, also known as %FLYWEIGHT_ERROR.
 *
 * Returns: the quark of the `flyweight-error-quark` domain
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (flyweight-error-quark, flyweight_error)
