/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "flyweight-shape-private.h"

G_BEGIN_DECLS

/* The attribute storage embedded in every FlyweightPokiesDynamic: 24 bytes
 * that hold a shared shape and the object's own values.
 *
 * The first 8 bytes of data hold the fixed prefix: the attributes of the
 * immortal shape the store starts from (for a machine, reels and symbols).
 * They are written during construction only and never move, so they can be
 * read without locking. The next 8 bytes hold the following values inline
 * while they fit, and otherwise point to a heap block with the rest.
 *
 * An object that diverges from the shared shapes — a deleted attribute
 * that was not the last one added, a value replaced by one of another type,
 * more than FLYWEIGHT_SHAPE_MAX_ENTRIES attributes — moves its attributes
 * past the prefix into a FlyweightAttrTable of its own. Nothing observable
 * changes: same names, same values, same insertion order.
 *
 * Every call but the fixed-prefix accessors takes the store's lock, a bit
 * of the shape pointer, so thread safety costs no memory. */
typedef struct
{
  /*< private >*/
  gpointer shape;   /* FlyweightShape *; bit 0: the lock, bit 1: table mode */
  union {
    guint8 bytes[16];
    struct {
      guint8   head[8];
      gpointer tail;
    } split;
  } data;
} FlyweightAttrStore;

typedef void (*FlyweightAttrStoreFunc) (const char   *name,
                                        const GValue *value,
                                        gpointer      user_data);

void            flyweight_attr_store_init            (FlyweightAttrStore     *store,
                                                      FlyweightShape         *prefix);
void            flyweight_attr_store_clear           (FlyweightAttrStore     *store);
void            flyweight_attr_store_take_all        (FlyweightAttrStore     *store,
                                                      FlyweightAttrStore     *taken);
guint           flyweight_attr_store_get_fixed_uint  (FlyweightAttrStore     *store,
                                                      FlyweightShape         *prefix,
                                                      guint                   position);
void            flyweight_attr_store_set_fixed_uint  (FlyweightAttrStore     *store,
                                                      FlyweightShape         *prefix,
                                                      guint                   position,
                                                      guint                   value);
gboolean        flyweight_attr_store_get             (FlyweightAttrStore     *store,
                                                      const char             *name,
                                                      GValue                 *value);
void            flyweight_attr_store_set             (FlyweightAttrStore     *store,
                                                      const char             *name,
                                                      const GValue           *value);
gboolean        flyweight_attr_store_delete          (FlyweightAttrStore     *store,
                                                      const char             *name);
gboolean        flyweight_attr_store_contains        (FlyweightAttrStore     *store,
                                                      const char             *name);
char          **flyweight_attr_store_dup_names       (FlyweightAttrStore     *store);
void            flyweight_attr_store_foreach         (FlyweightAttrStore     *store,
                                                      FlyweightAttrStoreFunc  func,
                                                      gpointer                user_data);
FlyweightShape *flyweight_attr_store_peek_shape      (FlyweightAttrStore     *store);

G_END_DECLS
