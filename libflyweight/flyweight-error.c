/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-error.h"

G_DEFINE_QUARK (flyweight-error-quark, flyweight_error)
