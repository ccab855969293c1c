/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <flyweight.h>

G_BEGIN_DECLS

/* Machines of the floor are numbered from 1; a bank of this many machines
 * next to each other shares one configuration. */
#define CASINO_FLOOR_BANK_SIZE 16

guint                 casino_floor_get_n_owners   (void);
const char           *casino_floor_get_owner      (guint                  index);

gboolean              casino_floor_fill           (FlyweightPokiesStore  *store,
                                                   guint                  first_number,
                                                   guint                  n_machines,
                                                   GError               **error);

G_END_DECLS
