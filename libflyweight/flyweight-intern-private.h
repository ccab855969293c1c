/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reference-counted interned strings: equal strings share one copy, freed
 * with its last reference. Attribute names and string values use them, so
 * a million machines owned by "Aristocrat" hold one copy of the word.
 *
 * Each interned string carries its hash, so the tables that hold names
 * never hash them twice. The hash is keyed with a secret drawn once per
 * process (SipHash, as CPython hashes its strings), so that names a
 * program receives from outside cannot be chosen to collide.
 *
 * GLib's interned GRefStrings (2.74) can hand out a string that another
 * thread is freeing, and refuse the empty string; these do neither. */

guint32     flyweight_intern_hash         (const char *string);
const char *flyweight_intern_acquire      (const char *string);
const char *flyweight_intern_acquire_hashed (const char *string,
                                           guint32     hash);
const char *flyweight_intern_lookup       (const char *string,
                                           guint32     hash);
const char *flyweight_intern_ref          (const char *interned);
void        flyweight_intern_release      (const char *interned);
guint       flyweight_intern_count_live   (void);

/* The hash of an interned string, as flyweight_intern_hash() gives it. */
static inline guint32
flyweight_intern_get_hash (const char *interned)
{
  return ((const guint32 *) (gconstpointer) interned)[-1];
}

G_END_DECLS
