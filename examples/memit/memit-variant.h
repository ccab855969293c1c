/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "memit-measure.h"

G_BEGIN_DECLS

typedef enum
{
  MEMIT_KIND_FLYWEIGHT,  /* the library's own classes */
  MEMIT_KIND_REFERENCE,  /* floors: bare GObject, malloc, naive GHashTable */
  MEMIT_KIND_PYTHON,     /* the notebook's classes under CPython */
} MemitKind;

/* The instances of one run: one pointer each in @objects, and for the
 * weak-reference variant one GWeakRef each in @weak_refs. Both arrays are
 * allocated untouched, so their pages become resident only as the loop
 * fills them and their 8 bytes per instance count in the measurement. */
typedef struct
{
  gsize      n;
  gpointer  *objects;
  GWeakRef  *weak_refs;
} MemitBatch;

typedef struct
{
  const char  *id;            /* stable, for --variant and JSON */
  const char  *label;         /* class name, untranslated (N_) */
  const char  *description;   /* what one instance is (N_) */
  MemitKind    kind;
  gboolean     bench_only;    /* not one of flyweight-memit's rows */
  gboolean     needs_weak_refs;
  guint        worst_bytes;   /* generous bound per instance, array included */
  guint        rough_ns;      /* generous creation time, to decide on progress */
  const char  *python_class;  /* the notebook's class, for Python rows */
  gboolean     python_owner;  /* then `o.owner = 'Aristocrat'` on each */
  void       (*fill)          (MemitBatch *batch);
  void       (*clear)         (MemitBatch *batch);
} MemitVariant;

const MemitVariant *memit_variant_get_all   (gsize              *n_variants);
const MemitVariant *memit_variant_lookup    (const char         *id,
                                             gboolean            include_bench_only);

MemitBatch         *memit_batch_new         (const MemitVariant *variant,
                                             gsize               n);
void                memit_batch_free        (MemitBatch         *batch,
                                             const MemitVariant *variant);

gboolean            memit_variant_measure   (const MemitVariant *variant,
                                             gsize               n,
                                             MemitSample        *sample,
                                             GError            **error);
gboolean            memit_variant_time      (const MemitVariant *variant,
                                             gsize               n,
                                             double             *ns_per_instance,
                                             GError            **error);

G_END_DECLS
