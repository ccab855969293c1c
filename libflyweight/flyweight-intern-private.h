/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reference-counted interned strings: equal strings share one copy, freed
 * with its last reference. Attribute names and string values use them, so
 * a million machines owned by "Aristocrat" hold one copy of the word.
 *
 * GLib's interned GRefStrings (2.74) can hand out a string that another
 * thread is freeing, and refuse the empty string; these do neither. */

const char *flyweight_intern_acquire      (const char *string);
const char *flyweight_intern_ref          (const char *interned);
void        flyweight_intern_release      (const char *interned);
guint       flyweight_intern_count_live   (void);

G_END_DECLS
