/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An insertion-ordered table of attribute values: the storage behind
 * FlyweightPokiesDynamic. It does no locking and no name checking; its
 * owner does both.
 *
 * Values move in and out without being copied or freed here, so that the
 * owner can copy and free them outside its lock: copying or freeing a value
 * may run code of the value's type (a boxed copy, an object's finalizer)
 * that must not run with the lock held. */
typedef struct _FlyweightAttrTable FlyweightAttrTable;

FlyweightAttrTable *flyweight_attr_table_new        (void);
void                flyweight_attr_table_free       (FlyweightAttrTable *table);
guint               flyweight_attr_table_get_size   (FlyweightAttrTable *table);
const char         *flyweight_attr_table_get_name   (FlyweightAttrTable *table,
                                                     guint               position);
const GValue       *flyweight_attr_table_get_value  (FlyweightAttrTable *table,
                                                     guint               position);
const GValue       *flyweight_attr_table_lookup     (FlyweightAttrTable *table,
                                                     const char         *name);
void                flyweight_attr_table_insert     (FlyweightAttrTable *table,
                                                     const char         *name,
                                                     GValue             *value,
                                                     GValue             *old_value);
gboolean            flyweight_attr_table_steal      (FlyweightAttrTable *table,
                                                     const char         *name,
                                                     GValue             *old_value);

G_END_DECLS
