/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Binds the library's own gettext domain; cheap after the first call,
 * so every path that can produce a message calls it. */
void flyweight_i18n_init (void);

G_END_DECLS
