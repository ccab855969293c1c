/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The identity of a pooled object: the values of every construct-only
 * property of its type, packed into a few bytes.
 *
 * A schema lists a type's key properties and lays out a packed key: each
 * value at a fixed offset, numbers at their own size (two guint properties
 * take 8 bytes), strings and objects as pointers. A key built for a lookup
 * borrows its strings and objects from the caller's values; a key kept by
 * the pool owns them (flyweight_key_copy() and flyweight_key_clear()). */

typedef struct _FlyweightKeySchema  FlyweightKeySchema;
typedef struct _FlyweightKeyBuilder FlyweightKeyBuilder;

#define FLYWEIGHT_KEY_BUILDER_INLINE_KEYS  4
#define FLYWEIGHT_KEY_BUILDER_INLINE_BYTES 32

/* Builds the key of one lookup on the stack: starts from the defaults,
 * takes the given values one by one, and holds whatever they borrow until
 * flyweight_key_builder_clear(). */
struct _FlyweightKeyBuilder
{
  const FlyweightKeySchema *schema;
  guint8                   *key;
  GValue                   *values;
  guint8                   *given;

  /*< private >*/
  guint32                   touched;   /* inline values in use, to unset */
  GValue                    inline_values[FLYWEIGHT_KEY_BUILDER_INLINE_KEYS];
  guint8                    inline_given[FLYWEIGHT_KEY_BUILDER_INLINE_KEYS];
  guint64                   inline_key[FLYWEIGHT_KEY_BUILDER_INLINE_BYTES / 8];
};

FlyweightKeySchema *flyweight_key_schema_new          (GType                      type,
                                                       GError                   **error);
void                flyweight_key_schema_free         (FlyweightKeySchema        *schema);
gsize               flyweight_key_schema_get_key_size (const FlyweightKeySchema  *schema);

void                flyweight_key_builder_init        (FlyweightKeyBuilder       *builder,
                                                       const FlyweightKeySchema  *schema);
gboolean            flyweight_key_builder_set         (FlyweightKeyBuilder       *builder,
                                                       const char                *name,
                                                       const GValue              *value,
                                                       GError                   **error);
gboolean            flyweight_key_builder_collect     (FlyweightKeyBuilder       *builder,
                                                       const char                *name,
                                                       va_list                   *args,
                                                       GError                   **error);
void                flyweight_key_builder_clear       (FlyweightKeyBuilder       *builder);

guint               flyweight_key_hash                (const FlyweightKeySchema  *schema,
                                                       const guint8              *key);
gboolean            flyweight_key_equal               (const FlyweightKeySchema  *schema,
                                                       const guint8              *a,
                                                       const guint8              *b);
void                flyweight_key_copy                (const FlyweightKeySchema  *schema,
                                                       const guint8              *src,
                                                       guint8                    *dest);
void                flyweight_key_clear               (const FlyweightKeySchema  *schema,
                                                       guint8                    *key);
GObject            *flyweight_key_construct           (const FlyweightKeySchema  *schema,
                                                       const guint8              *key);

G_END_DECLS
