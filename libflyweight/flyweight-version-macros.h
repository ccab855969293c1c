/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib.h>

#include "flyweight-version.h"

/* The library build defines _FLYWEIGHT_EXTERN to export the symbol. */
#ifndef _FLYWEIGHT_EXTERN
# define _FLYWEIGHT_EXTERN extern
#endif

/**
 * FLYWEIGHT_VERSION_1_0:
 *
 * The version 1.0, encoded as %FLYWEIGHT_VERSION is, for comparisons such
 * as `FLYWEIGHT_VERSION_MIN_REQUIRED >= FLYWEIGHT_VERSION_1_0`.
 *
 * Since: 1.0
 */
#define FLYWEIGHT_VERSION_1_0 (FLYWEIGHT_ENCODE_VERSION (1, 0, 0))

#ifndef FLYWEIGHT_VERSION_MIN_REQUIRED
# define FLYWEIGHT_VERSION_MIN_REQUIRED FLYWEIGHT_VERSION_1_0
#endif

#ifndef FLYWEIGHT_VERSION_MAX_ALLOWED
# define FLYWEIGHT_VERSION_MAX_ALLOWED FLYWEIGHT_VERSION_1_0
#endif

#if FLYWEIGHT_VERSION_MAX_ALLOWED < FLYWEIGHT_VERSION_MIN_REQUIRED
# error "FLYWEIGHT_VERSION_MAX_ALLOWED must be >= FLYWEIGHT_VERSION_MIN_REQUIRED"
#endif

/* The machinery behind the FLYWEIGHT_AVAILABLE_IN_* annotations: not API,
 * so the introspection scanner, and with it the reference, never sees it. */
#ifndef __GI_SCANNER__
# define FLYWEIGHT_DEPRECATED _FLYWEIGHT_EXTERN G_DEPRECATED
# define FLYWEIGHT_DEPRECATED_FOR(f) _FLYWEIGHT_EXTERN G_DEPRECATED_FOR (f)
# define FLYWEIGHT_UNAVAILABLE(maj,min) _FLYWEIGHT_EXTERN G_UNAVAILABLE (maj, min)
#endif

#define FLYWEIGHT_AVAILABLE_IN_ALL _FLYWEIGHT_EXTERN

#if FLYWEIGHT_VERSION_MAX_ALLOWED < FLYWEIGHT_VERSION_1_0
# define FLYWEIGHT_AVAILABLE_IN_1_0 FLYWEIGHT_UNAVAILABLE (1, 0)
#else
# define FLYWEIGHT_AVAILABLE_IN_1_0 _FLYWEIGHT_EXTERN
#endif
