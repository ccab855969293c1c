/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include <flyweight.h>

#include "memit-variant.h"

/* The reference rows' types. The floor has exactly PokiesSlotted's two
 * fields and nothing else, so the difference between the two is what the
 * library adds. */

#define MEMIT_TYPE_FLOOR (memit_floor_get_type ())
G_DECLARE_FINAL_TYPE (MemitFloor, memit_floor, MEMIT, FLOOR, GObject)

struct _MemitFloor
{
  GObject parent_instance;

  guint reels;
  guint symbols;
};

G_DEFINE_FINAL_TYPE (MemitFloor, memit_floor, G_TYPE_OBJECT)

static void
memit_floor_class_init (MemitFloorClass *klass)
{
}

static void
memit_floor_init (MemitFloor *self)
{
}

/* The floor again with two construct-only properties, the price of
 * construction through g_object_new() with values. */

#define MEMIT_TYPE_FLOOR_PROPS (memit_floor_props_get_type ())
G_DECLARE_FINAL_TYPE (MemitFloorProps, memit_floor_props, MEMIT, FLOOR_PROPS, GObject)

struct _MemitFloorProps
{
  GObject parent_instance;

  guint reels;
  guint symbols;
};

G_DEFINE_FINAL_TYPE (MemitFloorProps, memit_floor_props, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REELS,
  PROP_SYMBOLS,
  N_PROPS
};

static GParamSpec *floor_props[N_PROPS];

static void
memit_floor_props_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MemitFloorProps *self = MEMIT_FLOOR_PROPS (object);

  switch (prop_id)
    {
    case PROP_REELS:
      g_value_set_uint (value, self->reels);
      break;

    case PROP_SYMBOLS:
      g_value_set_uint (value, self->symbols);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memit_floor_props_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MemitFloorProps *self = MEMIT_FLOOR_PROPS (object);

  switch (prop_id)
    {
    case PROP_REELS:
      self->reels = g_value_get_uint (value);
      break;

    case PROP_SYMBOLS:
      self->symbols = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memit_floor_props_class_init (MemitFloorPropsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = memit_floor_props_get_property;
  object_class->set_property = memit_floor_props_set_property;

  floor_props[PROP_REELS] =
    g_param_spec_uint ("reels", NULL, NULL, 1, 1024, 3,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  floor_props[PROP_SYMBOLS] =
    g_param_spec_uint ("symbols", NULL, NULL, 1, 1048576, 10,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, floor_props);
}

static void
memit_floor_props_init (MemitFloorProps *self)
{
}

/* The way one would give a GObject dynamic attributes without the library:
 * a hash table per instance, owning its keys and boxed GValues. */

#define MEMIT_TYPE_HASH_OBJECT (memit_hash_object_get_type ())
G_DECLARE_FINAL_TYPE (MemitHashObject, memit_hash_object, MEMIT, HASH_OBJECT, GObject)

struct _MemitHashObject
{
  GObject parent_instance;

  GHashTable *attrs;
};

G_DEFINE_FINAL_TYPE (MemitHashObject, memit_hash_object, G_TYPE_OBJECT)

static void
free_value (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

static void
memit_hash_object_finalize (GObject *object)
{
  MemitHashObject *self = MEMIT_HASH_OBJECT (object);

  g_clear_pointer (&self->attrs, g_hash_table_unref);

  G_OBJECT_CLASS (memit_hash_object_parent_class)->finalize (object);
}

static void
memit_hash_object_class_init (MemitHashObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = memit_hash_object_finalize;
}

static void
memit_hash_object_init (MemitHashObject *self)
{
  self->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_value);
}

static void
hash_object_set_uint (MemitHashObject *self,
                      const char      *name,
                      guint            number)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, G_TYPE_UINT);
  g_value_set_uint (value, number);
  g_hash_table_insert (self->attrs, g_strdup (name), value);
}

/* The allocator floor: the same two fields with no object around them. */
typedef struct
{
  guint reels;
  guint symbols;
} MemitPair;

/* Fill and clear functions: one tight loop each, so that only the creation
 * itself is timed. */

static void
fill_dynamic (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10, NULL));
}

static void
fill_dynamic_owner (MemitBatch *batch)
{
  g_auto (GValue) owner = G_VALUE_INIT;

  /* The notebook's `pokies.owner = 'Aristocrat'`. A plain string literal:
   * every instance gets its own copy, as GValue copies such strings. */
  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");

  fill_dynamic (batch);
  for (gsize i = 0; i < batch->n; i++)
    flyweight_pokies_set_attr (batch->objects[i], "owner", &owner, NULL);
}

static void
fill_dynamic_props (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = g_object_new (FLYWEIGHT_TYPE_POKIES_DYNAMIC,
                                      "reels", 3,
                                      "symbols", 10,
                                      NULL);
}

static void
fill_slotted (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
}

static void
fill_slotted_props (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED,
                                      "reels", 3,
                                      "symbols", 10,
                                      NULL);
}

static void
fill_slotted_weakref (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    {
      batch->objects[i] = FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10, NULL));
      g_weak_ref_init (&batch->weak_refs[i], batch->objects[i]);
    }
}

static void
clear_weak_refs (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    g_weak_ref_clear (&batch->weak_refs[i]);
}

static void
fill_floor (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    {
      MemitFloor *floor = g_object_new (MEMIT_TYPE_FLOOR, NULL);

      floor->reels = 3;
      floor->symbols = 10;
      batch->objects[i] = floor;
    }
}

static void
fill_floor_props (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    batch->objects[i] = g_object_new (MEMIT_TYPE_FLOOR_PROPS,
                                      "reels", 3,
                                      "symbols", 10,
                                      NULL);
}

static void
fill_floor_props_defaults (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    {
      MemitFloorProps *floor = g_object_new (MEMIT_TYPE_FLOOR_PROPS, NULL);

      floor->reels = 3;
      floor->symbols = 10;
      batch->objects[i] = floor;
    }
}

static void
fill_malloc (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    {
      MemitPair *pair = g_malloc (sizeof *pair);

      pair->reels = 3;
      pair->symbols = 10;
      batch->objects[i] = pair;
    }
}

static void
fill_hashtable (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    {
      MemitHashObject *object = g_object_new (MEMIT_TYPE_HASH_OBJECT, NULL);

      hash_object_set_uint (object, "reels", 3);
      hash_object_set_uint (object, "symbols", 10);
      batch->objects[i] = object;
    }
}

static void
clear_objects (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    g_clear_object (&batch->objects[i]);
}

static void
clear_malloc (MemitBatch *batch)
{
  for (gsize i = 0; i < batch->n; i++)
    g_clear_pointer (&batch->objects[i], g_free);
}

static const MemitVariant variants[] = {
  { "dynamic", "PokiesDynamic",
    N_("FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (3, 10)): any attribute, in a shared-key store, like __dict__"),
    MEMIT_KIND_FLYWEIGHT, FALSE, FALSE, 600, 2000, NULL, FALSE,
    fill_dynamic, clear_objects },
  { "dynamic-owner", "PokiesDynamic + owner",
    N_("the same, then set_attr (\"owner\", \"Aristocrat\") on each"),
    MEMIT_KIND_FLYWEIGHT, FALSE, FALSE, 900, 3000, NULL, FALSE,
    fill_dynamic_owner, clear_objects },
  { "dynamic-props", "PokiesDynamic (properties)",
    N_("g_object_new (FLYWEIGHT_TYPE_POKIES_DYNAMIC, \"reels\", 3, \"symbols\", 10)"),
    MEMIT_KIND_FLYWEIGHT, TRUE, FALSE, 600, 3000, NULL, FALSE,
    fill_dynamic_props, clear_objects },
  { "slotted", "PokiesSlotted",
    N_("FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (3, 10)): two fixed fields, like __slots__"),
    MEMIT_KIND_FLYWEIGHT, FALSE, FALSE, 200, 1000, NULL, FALSE,
    fill_slotted, clear_objects },
  { "slotted-props", "PokiesSlotted (properties)",
    N_("g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, \"reels\", 3, \"symbols\", 10)"),
    MEMIT_KIND_FLYWEIGHT, TRUE, FALSE, 200, 2000, NULL, FALSE,
    fill_slotted_props, clear_objects },
  { "slotted-weakref", "PokiesSlotted + GWeakRef",
    N_("PokiesSlotted held by a live GWeakRef in a second array (its 8 B counted), like WeakPokies"),
    MEMIT_KIND_FLYWEIGHT, FALSE, TRUE, 600, 2000, NULL, FALSE,
    fill_slotted_weakref, clear_objects },
  { "gobject-floor", "GObject floor",
    N_("bare GObject subclass with two guint fields, g_object_new (T, NULL)"),
    MEMIT_KIND_REFERENCE, FALSE, FALSE, 200, 1000, NULL, FALSE,
    fill_floor, clear_objects },
  { "gobject-floor-props", "GObject floor (properties)",
    N_("the floor with two construct-only properties, g_object_new with values"),
    MEMIT_KIND_REFERENCE, TRUE, FALSE, 200, 2000, NULL, FALSE,
    fill_floor_props, clear_objects },
  { "gobject-floor-defaults", "GObject floor (props, no values)",
    N_("the floor with construct-only properties, g_object_new (T, NULL) then set fields"),
    MEMIT_KIND_REFERENCE, TRUE, FALSE, 200, 2000, NULL, FALSE,
    fill_floor_props_defaults, clear_objects },
  { "malloc-struct", "malloc'd struct",
    N_("g_malloc of a two-guint struct: the allocator floor"),
    MEMIT_KIND_REFERENCE, FALSE, FALSE, 100, 500, NULL, FALSE,
    fill_malloc, clear_malloc },
  { "hashtable", "GObject + GHashTable",
    N_("GObject with a naive per-instance GHashTable of name → GValue*"),
    MEMIT_KIND_REFERENCE, FALSE, FALSE, 1500, 5000, NULL, FALSE,
    fill_hashtable, clear_objects },
  { "python-dict", "CPython Pokies",
    N_("the notebook's Pokies (instance __dict__) under /usr/bin/python3"),
    MEMIT_KIND_PYTHON, FALSE, FALSE, 500, 5000, "Pokies", FALSE,
    NULL, NULL },
  { "python-dict-owner", "CPython Pokies + owner",
    N_("the same, then pokies.owner = 'Aristocrat' on each"),
    MEMIT_KIND_PYTHON, FALSE, FALSE, 600, 6000, "Pokies", TRUE,
    NULL, NULL },
  { "python-slots", "CPython FlyweightPokies",
    N_("the notebook's FlyweightPokies (__slots__) under /usr/bin/python3"),
    MEMIT_KIND_PYTHON, FALSE, FALSE, 300, 5000, "FlyweightPokies", FALSE,
    NULL, NULL },
  { "python-weakslots", "CPython WeakPokies",
    N_("the notebook's WeakPokies (__slots__ + __weakref__) under /usr/bin/python3"),
    MEMIT_KIND_PYTHON, FALSE, FALSE, 300, 5000, "WeakPokies", FALSE,
    NULL, NULL },
};

/**
 * memit_variant_get_all:
 * @n_variants: (out): the number of variants
 *
 * Every variant, bench-only ones included, in table order.
 */
const MemitVariant *
memit_variant_get_all (gsize *n_variants)
{
  *n_variants = G_N_ELEMENTS (variants);

  return variants;
}

const MemitVariant *
memit_variant_lookup (const char *id,
                      gboolean    include_bench_only)
{
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    if (g_str_equal (variants[i].id, id) && (include_bench_only || !variants[i].bench_only))
      return &variants[i];

  return NULL;
}

/**
 * memit_batch_new:
 *
 * Allocates the arrays for @n instances without touching them; %NULL if
 * they do not fit.
 */
MemitBatch *
memit_batch_new (const MemitVariant *variant,
                 gsize               n)
{
  MemitBatch *batch = g_new0 (MemitBatch, 1);

  batch->n = n;
  batch->objects = g_try_new (gpointer, n);
  if (variant->needs_weak_refs)
    batch->weak_refs = g_try_new (GWeakRef, n);

  if (batch->objects == NULL || (variant->needs_weak_refs && batch->weak_refs == NULL))
    {
      g_free (batch->objects);
      g_free (batch->weak_refs);
      g_free (batch);
      return NULL;
    }

  return batch;
}

void
memit_batch_free (MemitBatch         *batch,
                  const MemitVariant *variant)
{
  if (batch == NULL)
    return;

  /* Weak references go first: clearing them after the objects would
   * exercise the notify path instead of a plain release. */
  if (batch->weak_refs != NULL)
    clear_weak_refs (batch);
  variant->clear (batch);

  g_free (batch->weak_refs);
  g_free (batch->objects);
  g_free (batch);
}

static void
warm_up (const MemitVariant *variant)
{
  MemitBatch *batch = memit_batch_new (variant, 1);

  /* Class initialisation, type registration and the first allocator
   * magazines happen here, before the first reading, as the notebook's
   * classes exist before %memit runs. */
  variant->fill (batch);
  memit_batch_free (batch, variant);
}

/**
 * memit_variant_measure:
 *
 * Measures @n instances of @variant in this process: RSS before, then the
 * untouched arrays, the timed creation loop, RSS and peak RSS with
 * everything still alive. Meant to run in a fresh process.
 */
gboolean
memit_variant_measure (const MemitVariant  *variant,
                       gsize                n,
                       MemitSample         *sample,
                       GError             **error)
{
  MemitBatch *batch;
  guint64 start, end;

  g_return_val_if_fail (variant->fill != NULL, FALSE);

  warm_up (variant);

  sample->id = g_strdup (variant->id);
  sample->instances = n;
  sample->rss_before = memit_measure_rss ();

  batch = memit_batch_new (variant, n);
  if (batch == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Cannot allocate the arrays for %s instances"), count);
      return FALSE;
    }

  start = memit_measure_now_ns ();
  variant->fill (batch);
  end = memit_measure_now_ns ();

  sample->elapsed_ns = end - start;
  sample->rss_after = memit_measure_rss ();
  sample->peak_rss = memit_measure_peak_rss ();

  if (sample->rss_before == 0 || sample->rss_after == 0 || sample->peak_rss == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Cannot read the resident set size from /proc/self"));
      memit_batch_free (batch, variant);
      return FALSE;
    }

  memit_batch_free (batch, variant);

  return TRUE;
}

/**
 * memit_variant_time:
 *
 * Times one creation loop of @n instances in this process (the memory is
 * not measured), then frees them.
 */
gboolean
memit_variant_time (const MemitVariant  *variant,
                    gsize                n,
                    double              *ns_per_instance,
                    GError             **error)
{
  MemitBatch *batch = memit_batch_new (variant, n);
  guint64 start, end;

  if (batch == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Cannot allocate the arrays for %s instances"), count);
      return FALSE;
    }

  start = memit_measure_now_ns ();
  variant->fill (batch);
  end = memit_measure_now_ns ();

  memit_batch_free (batch, variant);
  *ns_per_instance = (double) (end - start) / (double) n;

  return TRUE;
}
