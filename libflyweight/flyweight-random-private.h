/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-random.h"

G_BEGIN_DECLS

/* Fills @values with @n_values numbers uniform in [1, @upper], taking the
 * lock once so that one draw is one consecutive run of the sequence. */
void flyweight_random_fill (FlyweightRandom *self,
                            guint           *values,
                            guint            n_values,
                            guint            upper);

/* Holds the lock while a caller draws many numbers from the GRand, so
 * that a whole series is one consecutive run of the sequence. */
GRand *flyweight_random_lock_rand   (FlyweightRandom *self);
void   flyweight_random_unlock_rand (FlyweightRandom *self);

G_END_DECLS
