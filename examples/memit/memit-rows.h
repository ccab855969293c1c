/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a row measures, for the chart's colours and the JSON. */
typedef enum
{
  MEMIT_KIND_FLYWEIGHT,  /* the library's classes, from C */
  MEMIT_KIND_REFERENCE,  /* floors: bare GObject, malloc, naive GHashTable */
  MEMIT_KIND_PYTHON,     /* the notebook's classes under CPython */
  MEMIT_KIND_BINDING,    /* the library's classes, held from Python or gjs */
} MemitKind;

/* Who makes the instances. */
typedef enum
{
  MEMIT_RUNNER_C,          /* this program, with --child */
  MEMIT_RUNNER_PYTHON,     /* /usr/bin/python3 -I, the notebook's classes defined */
  MEMIT_RUNNER_PYGOBJECT,  /* /usr/bin/python3, Flyweight and GObject imported */
  MEMIT_RUNNER_GJS,        /* gjs, Flyweight and GObject imported */
} MemitRunner;

/**
 * MemitRow:
 *
 * One row of the table: N instances made one by one and all held at once.
 *
 * A C row gives @make, called for i = 0 … N−1, and @release. With
 * @extra_size, each instance also gets that many bytes of a second array,
 * allocated the same way as the array of references (so it is counted).
 * State the instances share (a pool, say) can be made by the first call:
 * one warm-up instance is made before the first reading.
 *
 * An interpreted row gives code in its runner's language: @prepare runs
 * once, before the first reading (imports, a shared pool); @presize after
 * it, and must bind `objs`, which keeps everything the row makes alive
 * (default: a list or Array of N references); @body runs for each `i` in
 * `range(count)`. The whole loop is timed.
 */
typedef struct
{
  const char   *id;           /* stable, for --variant and JSON */
  const char   *label;        /* the class, untranslated */
  const char   *description;  /* what one instance is (N_) */
  MemitKind     kind;
  MemitRunner   runner;
  gboolean      extra;        /* measured on request only, not by default */
  guint         worst_bytes;  /* generous bound per instance, to refuse what cannot fit */
  gsize         max_count;    /* 0, or the most instances this row makes */

  gpointer    (*make)         (gsize    index,
                               gpointer extra);
  void        (*release)      (gpointer instance,
                               gpointer extra);
  gsize         extra_size;

  const char   *prepare;
  const char   *presize;
  const char   *body;
} MemitRow;

const MemitRow *memit_rows_get_all (gsize          *n_rows);
const MemitRow *memit_rows_lookup  (const char     *id);
gsize           memit_row_count    (const MemitRow *row,
                                    gsize           count);

G_END_DECLS
