/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "flyweight-shape-private.h"

G_BEGIN_DECLS

/* The attribute storage embedded in every FlyweightPokiesDynamic: 16 bytes
 * that hold a shared shape and the object's own values.
 *
 * The first word points to the shape; the other 8 bytes hold the values
 * themselves while they fit (one string, object or 64-bit number, or two
 * 32-bit ones), and otherwise point to a block with them.
 *
 * An object that leaves the shared shapes — a deleted attribute that was
 * not the last one added, a value replaced by one of another type, a step
 * no other object took — keeps its attributes in a FlyweightAttrTable of
 * its own instead, which the first word then points to. Nothing observable
 * changes: same names, same values, same insertion order.
 *
 * Every call takes the store's lock, a bit of the first word, so thread
 * safety costs no memory. */
typedef struct
{
  /*< private >*/
  gpointer word;   /* FlyweightShape * or FlyweightAttrTable *, and the flags */
  union {
    guint8   bytes[8];
    gpointer block;
  } data;
} FlyweightAttrStore;

typedef void (*FlyweightAttrStoreFunc) (const char   *name,
                                        const GValue *value,
                                        gpointer      user_data);

void            flyweight_attr_store_init       (FlyweightAttrStore     *store);
void            flyweight_attr_store_clear      (FlyweightAttrStore     *store);
void            flyweight_attr_store_take_all   (FlyweightAttrStore     *store,
                                                 FlyweightAttrStore     *taken);
gboolean        flyweight_attr_store_get        (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 GValue                 *value);
gboolean        flyweight_attr_store_read       (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 GValue                 *value);
gboolean        flyweight_attr_store_replace    (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 const GValue           *value);
void            flyweight_attr_store_set        (FlyweightAttrStore     *store,
                                                 const char             *name,
                                                 const GValue           *value);
gboolean        flyweight_attr_store_delete     (FlyweightAttrStore     *store,
                                                 const char             *name);
gboolean        flyweight_attr_store_contains   (FlyweightAttrStore     *store,
                                                 const char             *name);
char          **flyweight_attr_store_dup_names  (FlyweightAttrStore     *store);
void            flyweight_attr_store_foreach    (FlyweightAttrStore     *store,
                                                 FlyweightAttrStoreFunc  func,
                                                 gpointer                user_data);
FlyweightShape *flyweight_attr_store_peek_shape (FlyweightAttrStore     *store);

G_END_DECLS
