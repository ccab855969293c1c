/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include <flyweight.h>

#include "memit-rows.h"

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

/* The floor again with two construct-only properties: the price of
 * g_object_new() with values, which PokiesSlotted's properties pay too. */

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

  object_class->set_property = memit_floor_props_set_property;

  floor_props[PROP_REELS] =
    g_param_spec_uint ("reels", NULL, NULL, 1, 1024, 3,
                       G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  floor_props[PROP_SYMBOLS] =
    g_param_spec_uint ("symbols", NULL, NULL, 1, 1048576, 10,
                       G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

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
  g_value_unset (data);
  g_free (data);
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

/* One instance each: memit and the bench run them in one loop. */

static gpointer
make_dynamic (gsize    index,
              gpointer extra)
{
  return flyweight_pokies_dynamic_new (3, 10, NULL);
}

static gpointer
make_dynamic_owner (gsize    index,
                    gpointer extra)
{
  FlyweightPokiesDynamic *pokies = flyweight_pokies_dynamic_new (3, 10, NULL);
  GValue owner = G_VALUE_INIT;

  /* The notebook's `pokies.owner = 'Aristocrat'`. */
  g_value_init (&owner, G_TYPE_STRING);
  g_value_set_static_string (&owner, "Aristocrat");
  flyweight_pokies_set_attr (FLYWEIGHT_POKIES (pokies), "owner", &owner, NULL);
  g_value_unset (&owner);

  return pokies;
}

static gpointer
make_dynamic_props (gsize    index,
                    gpointer extra)
{
  return g_object_new (FLYWEIGHT_TYPE_POKIES_DYNAMIC, "reels", 3, "symbols", 10, NULL);
}

static gpointer
make_slotted (gsize    index,
              gpointer extra)
{
  return flyweight_pokies_slotted_new (3, 10, NULL);
}

static gpointer
make_slotted_props (gsize    index,
                    gpointer extra)
{
  return g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, "reels", 3, "symbols", 10, NULL);
}

static gpointer
make_slotted_weakref (gsize    index,
                      gpointer extra)
{
  FlyweightPokiesSlotted *pokies = flyweight_pokies_slotted_new (3, 10, NULL);

  g_weak_ref_init (extra, pokies);

  return pokies;
}

static gpointer
make_floor (gsize    index,
            gpointer extra)
{
  MemitFloor *floor = g_object_new (MEMIT_TYPE_FLOOR, NULL);

  floor->reels = 3;
  floor->symbols = 10;

  return floor;
}

static gpointer
make_floor_props (gsize    index,
                  gpointer extra)
{
  return g_object_new (MEMIT_TYPE_FLOOR_PROPS, "reels", 3, "symbols", 10, NULL);
}

static gpointer
make_pair (gsize    index,
           gpointer extra)
{
  MemitPair *pair = g_malloc (sizeof *pair);

  pair->reels = 3;
  pair->symbols = 10;

  return pair;
}

static gpointer
make_hash_object (gsize    index,
                  gpointer extra)
{
  MemitHashObject *object = g_object_new (MEMIT_TYPE_HASH_OBJECT, NULL);

  hash_object_set_uint (object, "reels", 3);
  hash_object_set_uint (object, "symbols", 10);

  return object;
}

static void
release_object (gpointer instance,
                gpointer extra)
{
  g_object_unref (instance);
}

static void
release_weakref (gpointer instance,
                 gpointer extra)
{
  /* The reference goes first: clearing it after the object would take
   * the notify path instead of a plain release. */
  g_weak_ref_clear (extra);
  g_object_unref (instance);
}

static void
release_pair (gpointer instance,
              gpointer extra)
{
  g_free (instance);
}

/* Every row memit and the bench know, in the order of memit's table.
 * worst_bytes is a generous bound per instance, the reference included,
 * against which a count is refused before anything is allocated. */
static const MemitRow rows[] = {
  { .id = "dynamic", .label = "PokiesDynamic",
    .description = N_("flyweight_pokies_dynamic_new (3, 10): any attribute, in a shared-key store, like __dict__"),
    .kind = MEMIT_KIND_FLYWEIGHT, .worst_bytes = 600,
    .make = make_dynamic, .release = release_object },
  { .id = "dynamic-owner", .label = "PokiesDynamic + owner",
    .description = N_("the same, then set_attr (\"owner\", \"Aristocrat\") on each"),
    .kind = MEMIT_KIND_FLYWEIGHT, .worst_bytes = 900,
    .make = make_dynamic_owner, .release = release_object },
  { .id = "dynamic-props", .label = "PokiesDynamic (properties)",
    .description = N_("g_object_new (FLYWEIGHT_TYPE_POKIES_DYNAMIC, \"reels\", 3, \"symbols\", 10)"),
    .kind = MEMIT_KIND_FLYWEIGHT, .extra = TRUE, .worst_bytes = 600,
    .make = make_dynamic_props, .release = release_object },
  { .id = "slotted", .label = "PokiesSlotted",
    .description = N_("flyweight_pokies_slotted_new (3, 10): two fixed fields, like __slots__"),
    .kind = MEMIT_KIND_FLYWEIGHT, .worst_bytes = 200,
    .make = make_slotted, .release = release_object },
  { .id = "slotted-props", .label = "PokiesSlotted (properties)",
    .description = N_("g_object_new (FLYWEIGHT_TYPE_POKIES_SLOTTED, \"reels\", 3, \"symbols\", 10)"),
    .kind = MEMIT_KIND_FLYWEIGHT, .extra = TRUE, .worst_bytes = 200,
    .make = make_slotted_props, .release = release_object },
  { .id = "slotted-weakref", .label = "PokiesSlotted + GWeakRef",
    .description = N_("PokiesSlotted with a live GWeakRef to it in a second array (its 8 B counted)"),
    .kind = MEMIT_KIND_FLYWEIGHT, .worst_bytes = 600,
    .make = make_slotted_weakref, .release = release_weakref, .extra_size = sizeof (GWeakRef) },
  { .id = "gobject-floor", .label = "GObject floor",
    .description = N_("bare GObject subclass with two guint fields, g_object_new (T, NULL)"),
    .kind = MEMIT_KIND_REFERENCE, .worst_bytes = 200,
    .make = make_floor, .release = release_object },
  { .id = "gobject-floor-props", .label = "GObject floor (properties)",
    .description = N_("the floor with two construct-only properties, g_object_new with values"),
    .kind = MEMIT_KIND_REFERENCE, .extra = TRUE, .worst_bytes = 200,
    .make = make_floor_props, .release = release_object },
  { .id = "malloc-struct", .label = "malloc'd struct",
    .description = N_("g_malloc of a two-guint struct: the allocator floor"),
    .kind = MEMIT_KIND_REFERENCE, .worst_bytes = 100,
    .make = make_pair, .release = release_pair },
  { .id = "hashtable", .label = "GObject + GHashTable",
    .description = N_("GObject with a naive per-instance GHashTable of name → GValue*"),
    .kind = MEMIT_KIND_REFERENCE, .worst_bytes = 1500,
    .make = make_hash_object, .release = release_object },
  { .id = "python-dict", .label = "CPython Pokies",
    .description = N_("the notebook's Pokies (instance __dict__) under /usr/bin/python3"),
    .kind = MEMIT_KIND_PYTHON, .runner = MEMIT_RUNNER_PYTHON, .worst_bytes = 500,
    .body = "objs[i] = Pokies(3, 10)" },
  { .id = "python-dict-owner", .label = "CPython Pokies + owner",
    .description = N_("the same, then pokies.owner = 'Aristocrat' on each"),
    .kind = MEMIT_KIND_PYTHON, .runner = MEMIT_RUNNER_PYTHON, .worst_bytes = 600,
    .body = "o = Pokies(3, 10); o.owner = 'Aristocrat'; objs[i] = o" },
  { .id = "python-slots", .label = "CPython FlyweightPokies",
    .description = N_("the notebook's FlyweightPokies (__slots__) under /usr/bin/python3"),
    .kind = MEMIT_KIND_PYTHON, .runner = MEMIT_RUNNER_PYTHON, .worst_bytes = 300,
    .body = "objs[i] = FlyweightPokies(3, 10)" },
  { .id = "python-weakslots", .label = "CPython WeakPokies",
    .description = N_("the notebook's WeakPokies (__slots__ + __weakref__) under /usr/bin/python3"),
    .kind = MEMIT_KIND_PYTHON, .runner = MEMIT_RUNNER_PYTHON, .worst_bytes = 300,
    .body = "objs[i] = WeakPokies(3, 10)" },
  { .id = "python-weakref", .label = "CPython WeakPokies + weakref.ref",
    .description = N_("WeakPokies with a live weakref.ref to it, both held (16 B of list per instance)"),
    .kind = MEMIT_KIND_PYTHON, .runner = MEMIT_RUNNER_PYTHON, .worst_bytes = 600,
    .prepare = "import weakref",
    .presize = "objs = [None] * (2 * count)",
    .body = "o = WeakPokies(3, 10); objs[2 * i] = o; objs[2 * i + 1] = weakref.ref(o)" },
  { .id = "pygobject-slotted", .label = "PyGObject PokiesSlotted",
    .description = N_("Flyweight.PokiesSlotted.new(3, 10) held in a Python list, from PyGObject"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_PYGOBJECT, .worst_bytes = 1500,
    .body = "objs[i] = Flyweight.PokiesSlotted.new(3, 10)" },
  /* gjs 1.74 makes each new wrapper cost O(live wrappers): a million
   * would take minutes. */
  { .id = "gjs-slotted", .label = "gjs PokiesSlotted (N ≤ 20000)",
    .description = N_("Flyweight.PokiesSlotted.new(3, 10) held in an Array from gjs, at most 20000 of them"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_GJS, .worst_bytes = 2000, .max_count = 20000,
    .body = "objs[i] = Flyweight.PokiesSlotted.new(3, 10);" },
  /* A million machines as bindings hold them: one wrapper each, against
   * one store that keeps them as rows. Both with ten configurations and
   * an owner from a hundred; the store's machines are drawn too. */
  { .id = "pygobject-dynamic-owner", .label = "PyGObject PokiesDynamic + owner",
    .description = N_("Flyweight.PokiesDynamic.new(3, 10 + i % 10) with an owner from 100, held in a Python list"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_PYGOBJECT, .worst_bytes = 2000,
    .prepare = "owners = ['Owner %d' % k for k in range(100)]",
    .body = "o = Flyweight.PokiesDynamic.new(3, 10 + i % 10); o.set_attr('owner', owners[i % 100]); objs[i] = o" },
  { .id = "pygobject-store", .label = "PyGObject PokiesStore",
    .description = N_("the same machines as rows of one Flyweight.PokiesStore, built and drawn with bulk calls"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_PYGOBJECT, .worst_bytes = 100,
    .prepare = "owners = ['Owner %d' % k for k in range(100)]\n"
               "def fill_store(store, count):\n"
               "    for c in range(10):\n"
               "        store.append_many(count // 10 + (c < count % 10), 3, 10 + c)\n"
               "    store.set_attr_dictionary('owner', 0, owners, [k % 100 for k in range(count)])\n"
               "    store.draw_all(Flyweight.Random.new(1))\n",
    .presize = "objs = Flyweight.PokiesStore.new()",
    .body = "if i == 0: fill_store(objs, count)" },
  { .id = "gjs-dynamic-owner", .label = "gjs PokiesDynamic + owner (N ≤ 20000)",
    .description = N_("Flyweight.PokiesDynamic.new(3, 10 + i % 10) with an owner from 100, held in an Array from gjs, at most 20000 of them"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_GJS, .worst_bytes = 2500, .max_count = 20000,
    .prepare = "globalThis.owners = Array.from({length: 100}, (_, k) => `Owner ${k}`);",
    .body = "const o = Flyweight.PokiesDynamic.new(3, 10 + i % 10); o.set_attr('owner', owners[i % 100]); objs[i] = o;" },
  /* One wrapper whatever the count: no bound needed. */
  { .id = "gjs-store", .label = "gjs PokiesStore",
    .description = N_("the same machines as rows of one Flyweight.PokiesStore, built and drawn with bulk calls from gjs"),
    .kind = MEMIT_KIND_BINDING, .runner = MEMIT_RUNNER_GJS, .worst_bytes = 100,
    .prepare = "globalThis.owners = Array.from({length: 100}, (_, k) => `Owner ${k}`);\n"
               "globalThis.fillStore = (store, count, Flyweight) => {\n"
               "    for (let c = 0; c < 10; c++)\n"
               "        store.append_many(Math.floor(count / 10) + (c < count % 10 ? 1 : 0), 3, 10 + c);\n"
               "    store.set_attr_dictionary('owner', 0, owners, Array.from({length: count}, (_, k) => k % 100));\n"
               "    store.draw_all(Flyweight.Random.new(1));\n"
               "};",
    .presize = "const objs = Flyweight.PokiesStore.new();",
    .body = "if (i === 0) fillStore(objs, count, Flyweight);" },
};

/**
 * memit_rows_get_all:
 * @n_rows: (out): the number of rows
 *
 * Every row, in table order.
 */
const MemitRow *
memit_rows_get_all (gsize *n_rows)
{
  *n_rows = G_N_ELEMENTS (rows);

  return rows;
}

const MemitRow *
memit_rows_lookup (const char *id)
{
  gsize n_rows;
  const MemitRow *all = memit_rows_get_all (&n_rows);

  for (gsize i = 0; i < n_rows; i++)
    if (g_str_equal (all[i].id, id))
      return &all[i];

  return NULL;
}

/**
 * memit_row_count:
 *
 * How many instances @row makes when asked for @count: some rows are
 * bounded.
 */
gsize
memit_row_count (const MemitRow *row,
                 gsize           count)
{
  return row->max_count > 0 ? MIN (count, row->max_count) : count;
}
