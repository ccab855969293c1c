/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gobject/gvaluecollector.h>

#include "flyweight-error.h"
#include "flyweight-i18n-private.h"
#include "flyweight-pool-key-private.h"

/* How one key property is stored; the size of its slot follows. */
typedef enum
{
  KIND_INT8,
  KIND_UINT8,
  KIND_INT32,
  KIND_UINT32,
  KIND_FLOAT,
  KIND_INT64,
  KIND_UINT64,
  KIND_DOUBLE,
  KIND_STRING,
  KIND_OBJECT,
} KeyKind;

/* How a value is checked against its property: the common integer
 * properties by their bounds, read once from the param spec; anything
 * else by g_param_value_is_valid(). */
typedef enum
{
  RANGE_GENERIC,
  RANGE_ANY,
  RANGE_SIGNED,
  RANGE_UNSIGNED,
} RangeKind;

/* How flyweight_key_collect_plain() reads an argument of the property's
 * own type, as G_VALUE_COLLECT would: ARG_NONE for any other property. */
typedef enum
{
  ARG_NONE,
  ARG_BOOLEAN,
  ARG_INT,
  ARG_LONG,
  ARG_INT64,
  ARG_UINT,
  ARG_ULONG,
  ARG_UINT64,
} ArgKind;

typedef struct
{
  GParamSpec *pspec;        /* as the class lists it, with a reference */
  gsize       name_len;
  GParamSpec *target;       /* what an overridden property redirects to */
  GType       value_type;
  GType       fundamental;
  gboolean    is_gtype;
  KeyKind     kind;
  guint       offset;
  guint       size;
  RangeKind   range;
  gint64      signed_min, signed_max;
  guint64     unsigned_min, unsigned_max;
  ArgKind     arg;
  guint       word;         /* the offset of the word that holds the slot */
  guint       shift;        /* where the slot's bits are in its word */
  guint64     word_mask;    /* which bits of the word are the slot's */
} KeyProperty;

struct _FlyweightKeySchema
{
  GType         type;
  GObjectClass *klass;
  guint         n_keys;
  gsize         key_size;
  gboolean      plain;      /* only numbers: hash the words, compare the bytes */
  gboolean      collectable; /* only integers checked by their bounds */
  KeyProperty  *keys;
  const char  **name_hints; /* atomic: the last name pointer seen for each
                             * key, tried first, checked every time */
  const char  **names;      /* the property names, for construction */
  guint8       *defaults;   /* an owned key holding every default value */
};

/* Longer names and values are cut short in messages. */
#define MAX_QUOTED 200

static gboolean
kind_for_type (GType    value_type,
               KeyKind *kind)
{
  if (value_type == G_TYPE_GTYPE)
    {
      *kind = KIND_UINT64;
      return TRUE;
    }

  switch (G_TYPE_FUNDAMENTAL (value_type))
    {
    case G_TYPE_CHAR:    *kind = KIND_INT8;   return TRUE;
    case G_TYPE_UCHAR:   *kind = KIND_UINT8;  return TRUE;
    case G_TYPE_BOOLEAN: *kind = KIND_INT32;  return TRUE;
    case G_TYPE_INT:     *kind = KIND_INT32;  return TRUE;
    case G_TYPE_ENUM:    *kind = KIND_INT32;  return TRUE;
    case G_TYPE_UINT:    *kind = KIND_UINT32; return TRUE;
    case G_TYPE_FLAGS:   *kind = KIND_UINT32; return TRUE;
    case G_TYPE_FLOAT:   *kind = KIND_FLOAT;  return TRUE;
    case G_TYPE_LONG:    *kind = KIND_INT64;  return TRUE;
    case G_TYPE_INT64:   *kind = KIND_INT64;  return TRUE;
    case G_TYPE_ULONG:   *kind = KIND_UINT64; return TRUE;
    case G_TYPE_UINT64:  *kind = KIND_UINT64; return TRUE;
    case G_TYPE_DOUBLE:  *kind = KIND_DOUBLE; return TRUE;
    case G_TYPE_STRING:  *kind = KIND_STRING; return TRUE;
    case G_TYPE_OBJECT:  *kind = KIND_OBJECT; return TRUE;
    case G_TYPE_INTERFACE:
      /* An interface whose implementations are all objects is compared,
       * like any object, by identity. */
      if (g_type_is_a (value_type, G_TYPE_OBJECT))
        {
          *kind = KIND_OBJECT;
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }
}

static guint
kind_size (KeyKind kind)
{
  switch (kind)
    {
    case KIND_INT8:
    case KIND_UINT8:
      return 1;
    case KIND_INT32:
    case KIND_UINT32:
    case KIND_FLOAT:
      return 4;
    case KIND_INT64:
    case KIND_UINT64:
    case KIND_DOUBLE:
      return 8;
    case KIND_STRING:
    case KIND_OBJECT:
      return sizeof (gpointer);
    default:
      g_assert_not_reached ();
    }
}

/* Larger slots first, so that every slot is aligned without padding;
 * then by name, so that the layout does not depend on the class. */
static int
compare_key_properties (gconstpointer a,
                        gconstpointer b)
{
  const KeyProperty *pa = a;
  const KeyProperty *pb = b;

  if (pa->size != pb->size)
    return pa->size > pb->size ? -1 : 1;

  return strcmp (pa->pspec->name, pb->pspec->name);
}

static gpointer
slot (guint8            *key,
      const KeyProperty *p)
{
  return key + p->offset;
}

static gconstpointer
const_slot (const guint8      *key,
            const KeyProperty *p)
{
  return key + p->offset;
}

static gpointer
read_pointer (const guint8      *key,
              const KeyProperty *p)
{
  gpointer pointer;

  memcpy (&pointer, const_slot (key, p), sizeof pointer);
  return pointer;
}

static void
write_pointer (guint8            *key,
               const KeyProperty *p,
               gpointer           pointer)
{
  memcpy (slot (key, p), &pointer, sizeof pointer);
}

/* Stores @value, which holds exactly the property's type, in @key; strings
 * and objects are borrowed from @value. */
static void
pack (const KeyProperty *p,
      const GValue      *value,
      guint8            *key)
{
  gpointer dest = slot (key, p);

  if (p->is_gtype)
    {
      guint64 v = g_value_get_gtype (value);
      memcpy (dest, &v, sizeof v);
      return;
    }

  switch (p->fundamental)
    {
    case G_TYPE_CHAR:
      {
        gint8 v = g_value_get_schar (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_UCHAR:
      {
        guint8 v = g_value_get_uchar (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_BOOLEAN:
      {
        gint32 v = g_value_get_boolean (value) ? 1 : 0;
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_INT:
      {
        gint32 v = g_value_get_int (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_ENUM:
      {
        gint32 v = g_value_get_enum (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_UINT:
      {
        guint32 v = g_value_get_uint (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_FLAGS:
      {
        guint32 v = g_value_get_flags (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_FLOAT:
      {
        gfloat v = g_value_get_float (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_LONG:
      {
        gint64 v = g_value_get_long (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_INT64:
      {
        gint64 v = g_value_get_int64 (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_ULONG:
      {
        guint64 v = g_value_get_ulong (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_UINT64:
      {
        guint64 v = g_value_get_uint64 (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_DOUBLE:
      {
        gdouble v = g_value_get_double (value);
        memcpy (dest, &v, sizeof v);
      }
      break;
    case G_TYPE_STRING:
      write_pointer (key, p, (gpointer) g_value_get_string (value));
      break;
    default:
      write_pointer (key, p, g_value_get_object (value));
      break;
    }
}

/* The inverse of pack(): initializes @value with the property's type. */
static void
unpack (const KeyProperty *p,
        const guint8      *key,
        GValue            *value)
{
  gconstpointer src = const_slot (key, p);

  g_value_init (value, p->value_type);

  if (p->is_gtype)
    {
      guint64 v;
      memcpy (&v, src, sizeof v);
      g_value_set_gtype (value, (GType) v);
      return;
    }

  switch (p->fundamental)
    {
    case G_TYPE_CHAR:
      {
        gint8 v;
        memcpy (&v, src, sizeof v);
        g_value_set_schar (value, v);
      }
      break;
    case G_TYPE_UCHAR:
      {
        guint8 v;
        memcpy (&v, src, sizeof v);
        g_value_set_uchar (value, v);
      }
      break;
    case G_TYPE_BOOLEAN:
      {
        gint32 v;
        memcpy (&v, src, sizeof v);
        g_value_set_boolean (value, v);
      }
      break;
    case G_TYPE_INT:
      {
        gint32 v;
        memcpy (&v, src, sizeof v);
        g_value_set_int (value, v);
      }
      break;
    case G_TYPE_ENUM:
      {
        gint32 v;
        memcpy (&v, src, sizeof v);
        g_value_set_enum (value, v);
      }
      break;
    case G_TYPE_UINT:
      {
        guint32 v;
        memcpy (&v, src, sizeof v);
        g_value_set_uint (value, v);
      }
      break;
    case G_TYPE_FLAGS:
      {
        guint32 v;
        memcpy (&v, src, sizeof v);
        g_value_set_flags (value, v);
      }
      break;
    case G_TYPE_FLOAT:
      {
        gfloat v;
        memcpy (&v, src, sizeof v);
        g_value_set_float (value, v);
      }
      break;
    case G_TYPE_LONG:
      {
        gint64 v;
        memcpy (&v, src, sizeof v);
        g_value_set_long (value, (glong) v);
      }
      break;
    case G_TYPE_INT64:
      {
        gint64 v;
        memcpy (&v, src, sizeof v);
        g_value_set_int64 (value, v);
      }
      break;
    case G_TYPE_ULONG:
      {
        guint64 v;
        memcpy (&v, src, sizeof v);
        g_value_set_ulong (value, (gulong) v);
      }
      break;
    case G_TYPE_UINT64:
      {
        guint64 v;
        memcpy (&v, src, sizeof v);
        g_value_set_uint64 (value, v);
      }
      break;
    case G_TYPE_DOUBLE:
      {
        gdouble v;
        memcpy (&v, src, sizeof v);
        g_value_set_double (value, v);
      }
      break;
    case G_TYPE_STRING:
      g_value_set_string (value, read_pointer (key, p));
      break;
    default:
      g_value_set_object (value, read_pointer (key, p));
      break;
    }
}

/* Reads the bounds of the plain integer param specs, whose validation is
 * nothing but a range check; subclasses may validate otherwise. */
static void
set_range (KeyProperty *p)
{
  GType spec_type = G_PARAM_SPEC_TYPE (p->target);

  p->range = RANGE_GENERIC;

  if (spec_type == G_TYPE_PARAM_BOOLEAN)
    p->range = RANGE_ANY;
  else if (spec_type == G_TYPE_PARAM_CHAR)
    {
      p->range = RANGE_SIGNED;
      p->signed_min = G_PARAM_SPEC_CHAR (p->target)->minimum;
      p->signed_max = G_PARAM_SPEC_CHAR (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_INT)
    {
      p->range = RANGE_SIGNED;
      p->signed_min = G_PARAM_SPEC_INT (p->target)->minimum;
      p->signed_max = G_PARAM_SPEC_INT (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_LONG)
    {
      p->range = RANGE_SIGNED;
      p->signed_min = G_PARAM_SPEC_LONG (p->target)->minimum;
      p->signed_max = G_PARAM_SPEC_LONG (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_INT64)
    {
      p->range = RANGE_SIGNED;
      p->signed_min = G_PARAM_SPEC_INT64 (p->target)->minimum;
      p->signed_max = G_PARAM_SPEC_INT64 (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_UCHAR)
    {
      p->range = RANGE_UNSIGNED;
      p->unsigned_min = G_PARAM_SPEC_UCHAR (p->target)->minimum;
      p->unsigned_max = G_PARAM_SPEC_UCHAR (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_UINT)
    {
      p->range = RANGE_UNSIGNED;
      p->unsigned_min = G_PARAM_SPEC_UINT (p->target)->minimum;
      p->unsigned_max = G_PARAM_SPEC_UINT (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_ULONG)
    {
      p->range = RANGE_UNSIGNED;
      p->unsigned_min = G_PARAM_SPEC_ULONG (p->target)->minimum;
      p->unsigned_max = G_PARAM_SPEC_ULONG (p->target)->maximum;
    }
  else if (spec_type == G_TYPE_PARAM_UINT64)
    {
      p->range = RANGE_UNSIGNED;
      p->unsigned_min = G_PARAM_SPEC_UINT64 (p->target)->minimum;
      p->unsigned_max = G_PARAM_SPEC_UINT64 (p->target)->maximum;
    }
}

static ArgKind
arg_kind (const KeyProperty *p)
{
  switch (p->range == RANGE_GENERIC ? G_TYPE_INVALID : p->fundamental)
    {
    case G_TYPE_BOOLEAN: return ARG_BOOLEAN;
    case G_TYPE_CHAR:
    case G_TYPE_INT:     return ARG_INT;
    case G_TYPE_LONG:    return ARG_LONG;
    case G_TYPE_INT64:   return ARG_INT64;
    case G_TYPE_UCHAR:
    case G_TYPE_UINT:    return ARG_UINT;
    case G_TYPE_ULONG:   return ARG_ULONG;
    case G_TYPE_UINT64:  return ARG_UINT64;
    default:             return ARG_NONE;
    }
}

/* Where a slot's bits are in the word that holds it, as the word reads
 * in memory order: slots never straddle two words, each being aligned
 * to its size. */
static void
set_word (KeyProperty *p)
{
  guint64 mask = p->size == 8 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (p->size * 8)) - 1;

  p->word = p->offset & ~7u;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  p->shift = (p->offset & 7) * 8;
#else
  p->shift = (8 - (p->offset & 7) - p->size) * 8;
#endif
  p->word_mask = mask << p->shift;
}

FlyweightKeySchema *
flyweight_key_schema_new (GType    type,
                          GError **error)
{
  FlyweightKeySchema *schema;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  GArray *keys;
  guint offset = 0;
  guint8 *defaults;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);

  flyweight_i18n_init ();

  schema = g_new0 (FlyweightKeySchema, 1);
  schema->type = type;
  schema->klass = g_type_class_ref (type);
  schema->plain = TRUE;
  schema->collectable = TRUE;

  keys = g_array_new (FALSE, TRUE, sizeof (KeyProperty));
  pspecs = g_object_class_list_properties (schema->klass, &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      KeyProperty p = { 0, };

      if (!(pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY) ||
          !(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;

      p.target = g_param_spec_get_redirect_target (pspecs[i]);
      if (p.target == NULL)
        p.target = pspecs[i];
      p.value_type = G_PARAM_SPEC_VALUE_TYPE (p.target);

      if (!kind_for_type (p.value_type, &p.kind))
        {
          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_NOT_POOLABLE,
                       _("Property “%s” of “%s” holds a %s, which a pool cannot compare"),
                       pspecs[i]->name, g_type_name (type), g_type_name (p.value_type));
          g_array_unref (keys);
          g_type_class_unref (schema->klass);
          g_free (schema);
          return NULL;
        }

      p.pspec = g_param_spec_ref (pspecs[i]);
      p.size = kind_size (p.kind);
      p.fundamental = G_TYPE_FUNDAMENTAL (p.value_type);
      p.is_gtype = p.value_type == G_TYPE_GTYPE;
      set_range (&p);
      p.arg = arg_kind (&p);
      p.name_len = strlen (p.pspec->name);
      if (p.kind == KIND_STRING || p.kind == KIND_OBJECT)
        schema->plain = FALSE;
      if (p.range == RANGE_GENERIC)
        schema->collectable = FALSE;
      g_array_append_val (keys, p);
    }

  g_array_sort (keys, compare_key_properties);

  schema->n_keys = keys->len;
  schema->keys = (KeyProperty *) (gpointer) g_array_free (keys, FALSE);
  schema->names = g_new0 (const char *, schema->n_keys + 1);
  schema->name_hints = g_new0 (const char *, schema->n_keys + 1);
  if (schema->n_keys > 32 || !schema->plain)
    schema->collectable = FALSE;

  for (guint i = 0; i < schema->n_keys; i++)
    {
      KeyProperty *p = &schema->keys[i];

      p->offset = offset;
      offset += p->size;
      set_word (p);
      schema->names[i] = p->pspec->name;
    }

  /* Whole words, so that a plain key hashes eight bytes at a time and
   * whatever follows it in memory stays aligned. */
  schema->key_size = (offset + 7) & ~(gsize) 7;

  defaults = g_alloca0 (schema->key_size + 1);
  for (guint i = 0; i < schema->n_keys; i++)
    pack (&schema->keys[i], g_param_spec_get_default_value (schema->keys[i].target), defaults);

  schema->defaults = g_malloc0 (schema->key_size + 1);
  flyweight_key_copy (schema, defaults, schema->defaults);

  return schema;
}

void
flyweight_key_schema_free (FlyweightKeySchema *schema)
{
  flyweight_key_clear (schema, schema->defaults);
  g_free (schema->defaults);

  for (guint i = 0; i < schema->n_keys; i++)
    g_param_spec_unref (schema->keys[i].pspec);

  g_free (schema->keys);
  g_free (schema->names);
  g_free (schema->name_hints);
  g_type_class_unref (schema->klass);
  g_free (schema);
}

gsize
flyweight_key_schema_get_key_size (const FlyweightKeySchema *schema)
{
  return schema->key_size;
}

gboolean
flyweight_key_schema_is_plain (const FlyweightKeySchema *schema)
{
  return schema->plain;
}

guint
flyweight_key_hash (const FlyweightKeySchema *schema,
                    const guint8             *key)
{
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ schema->key_size;

  if (schema->plain)
    return flyweight_key_hash_words (key, schema->key_size);

  for (guint i = 0; i < schema->n_keys; i++)
    {
      const KeyProperty *p = &schema->keys[i];
      guint64 bits = 0;

      if (p->kind == KIND_STRING)
        {
          const char *s = read_pointer (key, p);

          bits = s != NULL ? g_str_hash (s) : G_GUINT64_CONSTANT (0x5bd1e995);
        }
      else
        {
          memcpy (&bits, const_slot (key, p), p->size);
        }

      h = flyweight_key_mix64 (h ^ bits ^ ((guint64) i << 56));
    }

  return (guint) (h ^ (h >> 32));
}

gboolean
flyweight_key_equal (const FlyweightKeySchema *schema,
                     const guint8             *a,
                     const guint8             *b)
{
  /* Plain keys are whole words: compared inline, not by memcmp(). */
  if (schema->plain)
    return flyweight_key_equal_words (a, b, schema->key_size);

  for (guint i = 0; i < schema->n_keys; i++)
    {
      const KeyProperty *p = &schema->keys[i];

      if (p->kind == KIND_STRING)
        {
          if (g_strcmp0 (read_pointer (a, p), read_pointer (b, p)) != 0)
            return FALSE;
        }
      else if (memcmp (const_slot (a, p), const_slot (b, p), p->size) != 0)
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* Copies a key, taking its own copy of every string and a reference on
 * every object. */
void
flyweight_key_copy (const FlyweightKeySchema *schema,
                    const guint8             *src,
                    guint8                   *dest)
{
  memcpy (dest, src, schema->key_size);

  if (schema->plain)
    return;

  for (guint i = 0; i < schema->n_keys; i++)
    {
      const KeyProperty *p = &schema->keys[i];

      if (p->kind == KIND_STRING)
        write_pointer (dest, p, g_strdup (read_pointer (src, p)));
      else if (p->kind == KIND_OBJECT && read_pointer (src, p) != NULL)
        g_object_ref (read_pointer (src, p));
    }
}

/* Drops what flyweight_key_copy() took. Unreferencing an object may run
 * its finalizer: call this without holding a lock. */
void
flyweight_key_clear (const FlyweightKeySchema *schema,
                     guint8                   *key)
{
  if (schema->plain)
    return;

  for (guint i = 0; i < schema->n_keys; i++)
    {
      const KeyProperty *p = &schema->keys[i];

      if (p->kind != KIND_STRING && p->kind != KIND_OBJECT)
        continue;

      if (p->kind == KIND_STRING)
        g_free (read_pointer (key, p));
      else if (read_pointer (key, p) != NULL)
        g_object_unref (read_pointer (key, p));

      write_pointer (key, p, NULL);
    }
}

/* Constructs the object a key describes, with every key property set
 * explicitly, so that the object agrees with its key even when a class
 * initializes an instance differently from its property's default. */
GObject *
flyweight_key_construct (const FlyweightKeySchema *schema,
                         const guint8             *key)
{
  GValue *values = g_newa0 (GValue, schema->n_keys + 1);
  GObject *object;

  for (guint i = 0; i < schema->n_keys; i++)
    unpack (&schema->keys[i], key, &values[i]);

  object = g_object_new_with_properties (schema->type, schema->n_keys,
                                         schema->names, values);

  for (guint i = 0; i < schema->n_keys; i++)
    g_value_unset (&values[i]);

  /* A pooled object belongs to whoever holds it, never to nobody. */
  if (object != NULL && g_object_is_floating (object))
    g_object_ref_sink (object);

  return object;
}

/* ------------------------------------------------------------ building */

void
flyweight_key_builder_init (FlyweightKeyBuilder      *builder,
                            const FlyweightKeySchema *schema)
{
  builder->schema = schema;
  builder->touched = 0;

  if (schema->n_keys <= FLYWEIGHT_KEY_BUILDER_INLINE_KEYS)
    {
      /* The values are zeroed one by one when first used: most lookups
       * collect plain numbers straight into the key and use none. */
      memset (builder->inline_given, 0, sizeof builder->inline_given);
      builder->values = builder->inline_values;
      builder->given = builder->inline_given;
    }
  else
    {
      builder->values = g_new0 (GValue, schema->n_keys);
      builder->given = g_new0 (guint8, schema->n_keys);
    }

  if (schema->key_size <= sizeof builder->inline_key)
    builder->key = (guint8 *) builder->inline_key;
  else
    builder->key = g_malloc (schema->key_size);

  /* Borrowed: the schema keeps its defaults for as long as it lives. */
  memcpy (builder->key, schema->defaults, schema->key_size);
}

/* The builder's value for key @index, empty, to initialize. */
static GValue *
builder_value (FlyweightKeyBuilder *builder,
               guint                index)
{
  if (builder->values == builder->inline_values && !(builder->touched & (1u << index)))
    {
      memset (&builder->values[index], 0, sizeof (GValue));
      builder->touched |= 1u << index;
    }

  return &builder->values[index];
}

void
flyweight_key_builder_clear (FlyweightKeyBuilder *builder)
{
  const FlyweightKeySchema *schema = builder->schema;

  if (builder->values == builder->inline_values)
    {
      for (guint i = 0; builder->touched >> i != 0; i++)
        if ((builder->touched & (1u << i)) &&
            G_VALUE_TYPE (&builder->values[i]) != G_TYPE_INVALID)
          g_value_unset (&builder->values[i]);
    }
  else
    {
      for (guint i = 0; i < schema->n_keys; i++)
        if (G_VALUE_TYPE (&builder->values[i]) != G_TYPE_INVALID)
          g_value_unset (&builder->values[i]);

      g_free (builder->values);
      g_free (builder->given);
    }

  if (builder->key != (guint8 *) builder->inline_key)
    g_free (builder->key);
}

/* Quotes a name or a value for a message: escaped, and cut short. */
static char *
quote_for_message (const char *text)
{
  g_autofree char *escaped = NULL;

  if (strlen (text) > MAX_QUOTED)
    {
      g_autofree char *head = g_strndup (text, MAX_QUOTED);

      escaped = g_strescape (head, NULL);
      return g_strconcat (escaped, "…", NULL);
    }

  return g_strescape (text, NULL);
}

/* Property names match as GObject matches them: “-” and “_” are the same. */
static gboolean
names_match (const char *given,
             const char *canonical)
{
  for (; *given != '\0' && *canonical != '\0'; given++, canonical++)
    {
      char c = *given == '_' ? '-' : *given;

      if (c != *canonical)
        return FALSE;
    }

  return *given == '\0' && *canonical == '\0';
}

/* strcmp() == 0, without the call for names that differ at once. */
static inline gboolean
same_name (const char *a,
           const char *b)
{
  return a[0] == b[0] && strcmp (a, b) == 0;
}

static const KeyProperty *
find_key (FlyweightKeyBuilder  *builder,
          const char           *name,
          guint                *index,
          GError              **error)
{
  const FlyweightKeySchema *schema = builder->schema;
  GParamSpec *pspec;
  guint found = G_MAXUINT;

  if (name == NULL)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY,
                   _("A property name given to the pool of “%s” is missing"),
                   g_type_name (schema->type));
      return NULL;
    }

  /* Names are almost always spelt as the class spells them. */
  for (guint i = 0; i < schema->n_keys && found == G_MAXUINT; i++)
    if (same_name (name, schema->keys[i].pspec->name))
      found = i;

  for (guint i = 0; i < schema->n_keys && found == G_MAXUINT; i++)
    if (names_match (name, schema->keys[i].pspec->name))
      found = i;

  if (found != G_MAXUINT)
    {
      if (builder->given[found])
        {
          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY,
                       _("Property “%s” of “%s” is given twice"),
                       schema->keys[found].pspec->name, g_type_name (schema->type));
          return NULL;
        }

      *index = found;
      return &schema->keys[found];
    }

  pspec = g_object_class_find_property (schema->klass, name);
  if (pspec != NULL)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY,
                   _("Property “%s” of “%s” is not construct-only, so it cannot identify a pooled object"),
                   pspec->name, g_type_name (schema->type));
    }
  else
    {
      g_autofree char *quoted = quote_for_message (name);

      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_KEY,
                   _("“%s” has no property “%s”"),
                   g_type_name (schema->type), quoted);
    }

  return NULL;
}

static char *
describe_range (GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_CHAR (pspec))
    return g_strdup_printf ("%d – %d", G_PARAM_SPEC_CHAR (pspec)->minimum, G_PARAM_SPEC_CHAR (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UCHAR (pspec))
    return g_strdup_printf ("%u – %u", G_PARAM_SPEC_UCHAR (pspec)->minimum, G_PARAM_SPEC_UCHAR (pspec)->maximum);
  if (G_IS_PARAM_SPEC_INT (pspec))
    return g_strdup_printf ("%d – %d", G_PARAM_SPEC_INT (pspec)->minimum, G_PARAM_SPEC_INT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UINT (pspec))
    return g_strdup_printf ("%u – %u", G_PARAM_SPEC_UINT (pspec)->minimum, G_PARAM_SPEC_UINT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_LONG (pspec))
    return g_strdup_printf ("%ld – %ld", G_PARAM_SPEC_LONG (pspec)->minimum, G_PARAM_SPEC_LONG (pspec)->maximum);
  if (G_IS_PARAM_SPEC_ULONG (pspec))
    return g_strdup_printf ("%lu – %lu", G_PARAM_SPEC_ULONG (pspec)->minimum, G_PARAM_SPEC_ULONG (pspec)->maximum);
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return g_strdup_printf ("%" G_GINT64_FORMAT " – %" G_GINT64_FORMAT,
                            G_PARAM_SPEC_INT64 (pspec)->minimum, G_PARAM_SPEC_INT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return g_strdup_printf ("%" G_GUINT64_FORMAT " – %" G_GUINT64_FORMAT,
                            G_PARAM_SPEC_UINT64 (pspec)->minimum, G_PARAM_SPEC_UINT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_FLOAT (pspec))
    return g_strdup_printf ("%g – %g", G_PARAM_SPEC_FLOAT (pspec)->minimum, G_PARAM_SPEC_FLOAT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return g_strdup_printf ("%g – %g", G_PARAM_SPEC_DOUBLE (pspec)->minimum, G_PARAM_SPEC_DOUBLE (pspec)->maximum);

  return NULL;
}

static void
set_invalid_value_error (const FlyweightKeySchema  *schema,
                         const KeyProperty         *p,
                         const GValue              *value,
                         GError                   **error)
{
  g_autofree char *contents = g_strdup_value_contents (value);
  g_autofree char *quoted = quote_for_message (contents);
  g_autofree char *range = describe_range (p->target);

  if (range != NULL)
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                 _("Value %s is out of range for property “%s” of “%s”, which takes %s"),
                 quoted, p->pspec->name, g_type_name (schema->type), range);
  else
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                 _("Value %s is not valid for property “%s” of “%s”"),
                 quoted, p->pspec->name, g_type_name (schema->type));
}

typedef enum
{
  NUMBER_SIGNED,
  NUMBER_UNSIGNED,
  NUMBER_FLOATING,
} NumberClass;

typedef struct
{
  NumberClass cls;
  gint64      i;
  guint64     u;
  gdouble     d;
} Number;

/* Reads a plain number of any width; enums, flags and booleans are not
 * numbers here: a value of another such type is a mistake. */
static gboolean
read_number (const GValue *value,
             Number       *n)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR:   n->cls = NUMBER_SIGNED;   n->i = g_value_get_schar (value);  return TRUE;
    case G_TYPE_INT:    n->cls = NUMBER_SIGNED;   n->i = g_value_get_int (value);    return TRUE;
    case G_TYPE_LONG:   n->cls = NUMBER_SIGNED;   n->i = g_value_get_long (value);   return TRUE;
    case G_TYPE_INT64:  n->cls = NUMBER_SIGNED;   n->i = g_value_get_int64 (value);  return TRUE;
    case G_TYPE_UCHAR:  n->cls = NUMBER_UNSIGNED; n->u = g_value_get_uchar (value);  return TRUE;
    case G_TYPE_UINT:   n->cls = NUMBER_UNSIGNED; n->u = g_value_get_uint (value);   return TRUE;
    case G_TYPE_ULONG:  n->cls = NUMBER_UNSIGNED; n->u = g_value_get_ulong (value);  return TRUE;
    case G_TYPE_UINT64: n->cls = NUMBER_UNSIGNED; n->u = g_value_get_uint64 (value); return TRUE;
    case G_TYPE_FLOAT:  n->cls = NUMBER_FLOATING; n->d = g_value_get_float (value);  return TRUE;
    case G_TYPE_DOUBLE: n->cls = NUMBER_FLOATING; n->d = g_value_get_double (value); return TRUE;
    default:
      return FALSE;
    }
}

/* Narrows @n to a signed integer in [@min, @max]. */
static gboolean
number_to_signed (const Number *n,
                  gint64        min,
                  gint64        max,
                  gint64       *out)
{
  switch (n->cls)
    {
    case NUMBER_SIGNED:
      *out = n->i;
      return n->i >= min && n->i <= max;
    case NUMBER_UNSIGNED:
      *out = (gint64) n->u;
      return n->u <= (guint64) max;
    case NUMBER_FLOATING:
      /* Whole numbers only; 2^63 is the first double past G_MAXINT64. */
      if (!isfinite (n->d) ||
          n->d < (gdouble) min || n->d >= 9223372036854775808.0 ||
          (max < G_MAXINT64 && n->d > (gdouble) max))
        return FALSE;
      *out = (gint64) n->d;
      return (gdouble) *out == n->d;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
number_to_unsigned (const Number *n,
                    guint64       max,
                    guint64      *out)
{
  switch (n->cls)
    {
    case NUMBER_SIGNED:
      *out = (guint64) n->i;
      return n->i >= 0 && (guint64) n->i <= max;
    case NUMBER_UNSIGNED:
      *out = n->u;
      return n->u <= max;
    case NUMBER_FLOATING:
      if (!isfinite (n->d) ||
          n->d < 0 || n->d >= 18446744073709551616.0 ||
          (max < G_MAXUINT64 && n->d > (gdouble) max))
        return FALSE;
      *out = (guint64) n->d;
      return (gdouble) *out == n->d;
    default:
      g_assert_not_reached ();
    }
}

static gdouble
number_to_double (const Number *n)
{
  switch (n->cls)
    {
    case NUMBER_SIGNED:   return (gdouble) n->i;
    case NUMBER_UNSIGNED: return (gdouble) n->u;
    case NUMBER_FLOATING: return n->d;
    default:
      g_assert_not_reached ();
    }
}

typedef enum
{
  CONVERTED,
  MISTYPED,
  NOT_WHOLE,
  OUT_OF_RANGE,
} Conversion;

/* Every double of magnitude 2^52 or more is a whole number. */
static gboolean
is_whole (gdouble d)
{
  if (!isfinite (d))
    return FALSE;
  if (d >= 4503599627370496.0 || d <= -4503599627370496.0)
    return TRUE;
  return (gdouble) (gint64) d == d;
}

/* Converts a number of another width or kind into @dest, initialized to
 * the property's type, refusing any value that would change on the way:
 * -1 never becomes 4294967295, and 3.5 never becomes 3. */
static Conversion
convert_number (const KeyProperty *p,
                const GValue      *src,
                GValue            *dest)
{
  Number n;
  gint64 i;
  guint64 u;
  gdouble d;

  if (p->is_gtype || !read_number (src, &n))
    return MISTYPED;

  if (n.cls == NUMBER_FLOATING && !is_whole (n.d) &&
      p->fundamental != G_TYPE_FLOAT &&
      p->fundamental != G_TYPE_DOUBLE)
    return NOT_WHOLE;

  switch (p->fundamental)
    {
    case G_TYPE_CHAR:
      if (!number_to_signed (&n, G_MININT8, G_MAXINT8, &i))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_schar (dest, (gint8) i);
      return CONVERTED;
    case G_TYPE_INT:
    case G_TYPE_ENUM:
      if (!number_to_signed (&n, G_MININT, G_MAXINT, &i))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      if (p->fundamental == G_TYPE_ENUM)
        g_value_set_enum (dest, (gint) i);
      else
        g_value_set_int (dest, (gint) i);
      return CONVERTED;
    case G_TYPE_LONG:
      if (!number_to_signed (&n, G_MINLONG, G_MAXLONG, &i))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_long (dest, (glong) i);
      return CONVERTED;
    case G_TYPE_INT64:
      if (!number_to_signed (&n, G_MININT64, G_MAXINT64, &i))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_int64 (dest, i);
      return CONVERTED;
    case G_TYPE_UCHAR:
      if (!number_to_unsigned (&n, G_MAXUINT8, &u))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_uchar (dest, (guint8) u);
      return CONVERTED;
    case G_TYPE_UINT:
    case G_TYPE_FLAGS:
      if (!number_to_unsigned (&n, G_MAXUINT, &u))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      if (p->fundamental == G_TYPE_FLAGS)
        g_value_set_flags (dest, (guint) u);
      else
        g_value_set_uint (dest, (guint) u);
      return CONVERTED;
    case G_TYPE_ULONG:
      if (!number_to_unsigned (&n, G_MAXULONG, &u))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_ulong (dest, (gulong) u);
      return CONVERTED;
    case G_TYPE_UINT64:
      if (!number_to_unsigned (&n, G_MAXUINT64, &u))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_uint64 (dest, u);
      return CONVERTED;
    case G_TYPE_FLOAT:
      d = number_to_double (&n);
      if (isfinite (d) && (d > G_MAXFLOAT || d < -G_MAXFLOAT))
        return OUT_OF_RANGE;
      g_value_init (dest, p->value_type);
      g_value_set_float (dest, (gfloat) d);
      return CONVERTED;
    case G_TYPE_DOUBLE:
      g_value_init (dest, p->value_type);
      g_value_set_double (dest, number_to_double (&n));
      return CONVERTED;
    default:
      return MISTYPED;
    }
}

/* Brings @value to the property's own type in @converted, unless it
 * already has it; returns the value to use. */
static const GValue *
convert (const FlyweightKeySchema  *schema,
         const KeyProperty         *p,
         const GValue              *value,
         GValue                    *converted,
         GError                   **error)
{
  GType value_type = G_VALUE_TYPE (value);

  if (value_type == p->value_type)
    return value;

  /* JavaScript's null and Python's None arrive as an empty pointer. */
  if (value_type == G_TYPE_POINTER && g_value_get_pointer (value) == NULL &&
      (p->kind == KIND_STRING || p->kind == KIND_OBJECT))
    {
      g_value_init (converted, p->value_type);
      return converted;
    }

  if (p->kind == KIND_OBJECT &&
      G_TYPE_FUNDAMENTAL (value_type) == G_TYPE_OBJECT)
    {
      /* A binding may wrap an object in a GValue of any of its classes. */
      GObject *object = g_value_get_object (value);

      if (object == NULL || g_type_is_a (G_OBJECT_TYPE (object), p->value_type))
        {
          g_value_init (converted, p->value_type);
          g_value_set_object (converted, object);
          return converted;
        }
    }
  else if (g_value_type_compatible (value_type, p->value_type))
    {
      g_value_init (converted, p->value_type);
      g_value_copy (value, converted);
      return converted;
    }
  else
    {
      switch (convert_number (p, value, converted))
        {
        case CONVERTED:
          return converted;
        case NOT_WHOLE:
          {
            g_autofree char *contents = g_strdup_value_contents (value);

            g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                         _("Value %s is not a whole number, and property “%s” of “%s” takes a %s"),
                         contents, p->pspec->name, g_type_name (schema->type),
                         g_type_name (p->value_type));
          }
          return NULL;
        case OUT_OF_RANGE:
          set_invalid_value_error (schema, p, value, error);
          return NULL;
        case MISTYPED:
        default:
          break;
        }
    }

  if (value_type == G_TYPE_POINTER && g_value_get_pointer (value) == NULL)
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                 _("Property “%s” of “%s” takes a %s, not an empty value"),
                 p->pspec->name, g_type_name (schema->type),
                 g_type_name (p->value_type));
  else
    g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                 _("Property “%s” of “%s” takes a %s, not a %s"),
                 p->pspec->name, g_type_name (schema->type),
                 g_type_name (p->value_type), g_type_name (value_type));
  return NULL;
}

/* Whether an integer of the property's own type is within its bounds. */
static gboolean
in_range (const KeyProperty *p,
          gint64             signed_value,
          guint64            unsigned_value)
{
  switch (p->range)
    {
    case RANGE_ANY:
      return TRUE;
    case RANGE_SIGNED:
      return signed_value >= p->signed_min && signed_value <= p->signed_max;
    case RANGE_UNSIGNED:
      return unsigned_value >= p->unsigned_min && unsigned_value <= p->unsigned_max;
    case RANGE_GENERIC:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_valid (const KeyProperty *p,
          const GValue      *value)
{
  switch (p->range == RANGE_GENERIC ? G_TYPE_INVALID : p->fundamental)
    {
    case G_TYPE_BOOLEAN: return TRUE;
    case G_TYPE_CHAR:    return in_range (p, g_value_get_schar (value), 0);
    case G_TYPE_INT:     return in_range (p, g_value_get_int (value), 0);
    case G_TYPE_LONG:    return in_range (p, g_value_get_long (value), 0);
    case G_TYPE_INT64:   return in_range (p, g_value_get_int64 (value), 0);
    case G_TYPE_UCHAR:   return in_range (p, 0, g_value_get_uchar (value));
    case G_TYPE_UINT:    return in_range (p, 0, g_value_get_uint (value));
    case G_TYPE_ULONG:   return in_range (p, 0, g_value_get_ulong (value));
    case G_TYPE_UINT64:  return in_range (p, 0, g_value_get_uint64 (value));
    default:
      return g_param_value_is_valid (p->target, value);
    }
}

/* GObject would keep the default, with a warning, for a value out of
 * range; a pool refuses it instead, or the key would lie. */
static gboolean
accept (FlyweightKeyBuilder  *builder,
        const KeyProperty    *p,
        guint                 index,
        const GValue         *value,
        GError              **error)
{
  if (!is_valid (p, value))
    {
      set_invalid_value_error (builder->schema, p, value, error);
      return FALSE;
    }

  pack (p, value, builder->key);
  builder->given[index] = TRUE;

  return TRUE;
}

/* Takes the value of one property; @value is borrowed until the builder
 * is cleared. */
gboolean
flyweight_key_builder_set (FlyweightKeyBuilder  *builder,
                           const char           *name,
                           const GValue         *value,
                           GError              **error)
{
  const KeyProperty *p;
  const GValue *usable;
  guint index;

  if ((p = find_key (builder, name, &index, error)) == NULL)
    return FALSE;

  if (value == NULL || !G_IS_VALUE (value))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Property “%s” of “%s” is given no value"),
                   p->pspec->name, g_type_name (builder->schema->type));
      return FALSE;
    }

  usable = convert (builder->schema, p, value, builder_value (builder, index), error);
  if (usable == NULL)
    return FALSE;

  return accept (builder, p, index, usable, error);
}

/* Reads an integer argument of the property's own type, as
 * G_VALUE_COLLECT would, widened to 64 bits; FALSE, reading nothing, for
 * a property that is not such an integer. */
static inline gboolean
read_integer_arg (const KeyProperty *p,
                  va_list           *args,
                  gint64            *s,
                  guint64           *u,
                  gboolean          *is_signed)
{
  *s = 0;
  *u = 0;
  *is_signed = TRUE;

  switch (p->range == RANGE_GENERIC ? G_TYPE_INVALID : p->fundamental)
    {
    case G_TYPE_BOOLEAN:
      *s = va_arg (*args, gboolean) ? 1 : 0;
      return TRUE;
    case G_TYPE_CHAR:
    case G_TYPE_INT:
      *s = va_arg (*args, gint);
      return TRUE;
    case G_TYPE_LONG:
      *s = va_arg (*args, glong);
      return TRUE;
    case G_TYPE_INT64:
      *s = va_arg (*args, gint64);
      return TRUE;
    case G_TYPE_UCHAR:
    case G_TYPE_UINT:
      *u = va_arg (*args, guint);
      *is_signed = FALSE;
      return TRUE;
    case G_TYPE_ULONG:
      *u = va_arg (*args, gulong);
      *is_signed = FALSE;
      return TRUE;
    case G_TYPE_UINT64:
      *u = va_arg (*args, guint64);
      *is_signed = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Stores an integer that is within the property's bounds in its slot. */
static inline void
store_integer (const KeyProperty *p,
               guint8            *key,
               guint64            bits)
{
  gpointer dest = slot (key, p);

  switch (p->size)
    {
    case 1:
      {
        guint8 v = (guint8) bits;
        memcpy (dest, &v, sizeof v);
      }
      break;
    case 4:
      {
        guint32 v = (guint32) bits;
        memcpy (dest, &v, sizeof v);
      }
      break;
    default:
      memcpy (dest, &bits, sizeof bits);
      break;
    }
}

/* Reads an integer argument of the property's own type straight into the
 * key, as G_VALUE_COLLECT would, without a GValue in between. */
static gboolean
collect_integer (FlyweightKeyBuilder *builder,
                 const KeyProperty   *p,
                 guint                index,
                 va_list             *args,
                 gboolean            *valid)
{
  gint64 s;
  guint64 u;
  gboolean is_signed;

  if (!read_integer_arg (p, args, &s, &u, &is_signed))
    return FALSE;

  *valid = in_range (p, s, u);
  if (*valid)
    {
      store_integer (p, builder->key, is_signed ? (guint64) s : u);
      builder->given[index] = TRUE;
    }
  else if (is_signed)
    {
      /* Kept as it was given, for the message. */
      g_value_init (builder_value (builder, index), G_TYPE_INT64);
      g_value_set_int64 (&builder->values[index], s);
    }
  else
    {
      g_value_init (builder_value (builder, index), G_TYPE_UINT64);
      g_value_set_uint64 (&builder->values[index], u);
    }

  return TRUE;
}

/* Whether @name is exactly @canonical, @len bytes long: compared inline,
 * and never read past the first byte that differs, so past @name's end.
 * strcmp() takes fewer instructions for a name of a few letters, but a
 * call to glibc's vector strcmp() per name made a hit slower in time. */
static inline gboolean
is_name (const char *name,
         const char *canonical,
         gsize       len)
{
  for (gsize i = 0; i <= len; i++)
    if (name[i] != canonical[i])
      return FALSE;

  return TRUE;
}

/* The key property spelt exactly @name, or -1. Callers pass the same
 * literals again and again: the pointer last seen for a key is tried
 * first, and its text is checked all the same, since a pointer may be
 * reused for another name. */
static inline gint
find_exact (const FlyweightKeySchema *schema,
            const char               *name)
{
  for (guint i = 0; i < schema->n_keys; i++)
    if (g_atomic_pointer_get (&schema->name_hints[i]) == name &&
        is_name (name, schema->keys[i].pspec->name, schema->keys[i].name_len))
      return (gint) i;

  for (guint i = 0; i < schema->n_keys; i++)
    if (is_name (name, schema->keys[i].pspec->name, schema->keys[i].name_len))
      {
        g_atomic_pointer_set (&schema->name_hints[i], name);
        return (gint) i;
      }

  return -1;
}

/* store_integer() for a key that is read next as whole words (a plain
 * key, which its hash and the pool's compare eight bytes at a time): the
 * word that holds the slot is read, changed and written back whole. A
 * narrower store would make the next load of the word wait until the
 * store has left the core, which costs a hit more than the arithmetic. */
static inline void
store_integer_in_word (const KeyProperty *p,
                       guint8            *key,
                       guint64            bits)
{
  guint64 word;

  memcpy (&word, key + p->word, sizeof word);
  word = (word & ~p->word_mask) | ((bits << p->shift) & p->word_mask);
  memcpy (key + p->word, &word, sizeof word);
}

/* The common request in one pass: properties spelt as the class spells
 * them, each given once, integers of their own types within bounds,
 * collected straight into @key (schema->key_size bytes). Anything else
 * (a name to match loosely or to refuse, a value to refuse, a type that
 * is not made of such integers) returns FALSE, having read an unknown
 * part of @args: the caller starts again with a FlyweightKeyBuilder,
 * which accepts what it should and says what is wrong. */
gboolean
flyweight_key_collect_plain (const FlyweightKeySchema *schema,
                             guint8                   *key,
                             const char               *first_property_name,
                             va_list                  *args)
{
  guint32 given = 0;

  if (!schema->collectable)
    return FALSE;

  /* Word by word, for the same reason as store_integer_in_word(). */
  for (gsize i = 0; i < schema->key_size; i += 8)
    {
      guint64 word;

      memcpy (&word, schema->defaults + i, sizeof word);
      memcpy (key + i, &word, sizeof word);
    }

  for (const char *name = first_property_name; name != NULL; name = va_arg (*args, const char *))
    {
      gint index = find_exact (schema, name);
      const KeyProperty *p;
      gint64 s;
      guint64 u;

      if (index < 0 || (given & (1u << index)))
        return FALSE;

      /* One switch: read_integer_arg() and in_range() in one. */
      p = &schema->keys[index];
      switch (p->arg)
        {
        case ARG_BOOLEAN:
          u = va_arg (*args, gboolean) ? 1 : 0;
          break;
        case ARG_INT:
          s = va_arg (*args, gint);
          goto check_signed;
        case ARG_LONG:
          s = va_arg (*args, glong);
          goto check_signed;
        case ARG_INT64:
          s = va_arg (*args, gint64);
        check_signed:
          if (s < p->signed_min || s > p->signed_max)
            return FALSE;
          u = (guint64) s;
          break;
        case ARG_UINT:
          u = va_arg (*args, guint);
          goto check_unsigned;
        case ARG_ULONG:
          u = va_arg (*args, gulong);
          goto check_unsigned;
        case ARG_UINT64:
          u = va_arg (*args, guint64);
        check_unsigned:
          if (u < p->unsigned_min || u > p->unsigned_max)
            return FALSE;
          break;
        case ARG_NONE:
        default:
          return FALSE;
        }

      store_integer_in_word (p, key, u);
      given |= 1u << index;
    }

  return TRUE;
}

/* Takes the value of one property from a variable argument list, as
 * g_object_new() does; on failure the list cannot be read any further. */
gboolean
flyweight_key_builder_collect (FlyweightKeyBuilder  *builder,
                               const char           *name,
                               va_list              *args,
                               GError              **error)
{
  const KeyProperty *p;
  char *collect_error = NULL;
  gboolean valid;
  guint index;

  if ((p = find_key (builder, name, &index, error)) == NULL)
    return FALSE;

  if (collect_integer (builder, p, index, args, &valid))
    {
      if (!valid)
        set_invalid_value_error (builder->schema, p, &builder->values[index], error);
      return valid;
    }

  G_VALUE_COLLECT_INIT (builder_value (builder, index), p->value_type, *args,
                        G_VALUE_NOCOPY_CONTENTS, &collect_error);
  if (collect_error != NULL)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_VALUE,
                   _("Property “%s” of “%s” is given an unusable value: %s"),
                   p->pspec->name, g_type_name (builder->schema->type), collect_error);
      g_free (collect_error);
      return FALSE;
    }

  return accept (builder, p, index, &builder->values[index], error);
}
