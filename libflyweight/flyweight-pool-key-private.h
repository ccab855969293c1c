/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string.h>
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

gboolean            flyweight_key_collect_plain       (const FlyweightKeySchema  *schema,
                                                       guint8                    *key,
                                                       const char                *first_property_name,
                                                       va_list                   *args);
gboolean            flyweight_key_schema_is_plain     (const FlyweightKeySchema  *schema);

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

/* 64-bit finalizer of MurmurHash3: every input bit reaches every output bit. */
static inline guint64
flyweight_key_mix64 (guint64 x)
{
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  x ^= x >> 33;
  return x;
}

/* The hash of a plain key (only numbers, whole words): what
 * flyweight_key_hash() returns for it, inline for the pool's lookups. */
static inline guint
flyweight_key_hash_words (const guint8 *key,
                          gsize         key_size)
{
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ key_size;

  for (gsize i = 0; i < key_size; i += 8)
    {
      guint64 word;

      memcpy (&word, key + i, sizeof word);
      h = flyweight_key_mix64 (h ^ word);
    }

  return (guint) (h ^ (h >> 32));
}

/* Whether two plain keys are equal: flyweight_key_equal(), inline. */
static inline gboolean
flyweight_key_equal_words (const guint8 *a,
                           const guint8 *b,
                           gsize         key_size)
{
  for (gsize i = 0; i < key_size; i += 8)
    {
      guint64 wa, wb;

      memcpy (&wa, a + i, sizeof wa);
      memcpy (&wb, b + i, sizeof wb);
      if (wa != wb)
        return FALSE;
    }

  return TRUE;
}

G_END_DECLS
