/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The packed columns of a FlyweightPokiesStore, and the conversion between
 * their cells and GValues. Nothing here locks: the store does.
 *
 * FlyweightCells: one unsigned number per row, 0, 1, 2, 4 or 8 bytes wide,
 * widened (and repacked) when a larger number arrives. Width 0 means every
 * cell is 0 and nothing is allocated.
 *
 * FlyweightBits: one bit per row.
 *
 * FlyweightColumn: the values of one attribute, one cell per row, with a
 * bit per row saying which rows have the attribute (no bits at all while
 * every row has it). How a value is kept depends on its type:
 * - a boolean is one bit;
 * - a number, enum, flags or GType is kept at its natural size;
 * - a string is an index into the column's dictionary of distinct strings,
 *   each with a use count, so a hundred owners cost one byte a row;
 * - anything else is a GValue of its own, behind a pointer.
 * A column whose rows do not all hold the same type becomes a column of
 * GValues, with no visible difference. */

typedef struct
{
  guint8 *data;
  guint   width;      /* bytes per row */
  guint   capacity;   /* rows allocated */
} FlyweightCells;

static inline guint64
flyweight_cells_get (const FlyweightCells *cells,
                     guint                 row)
{
  switch (cells->width)
    {
    case 1:
      return cells->data[row];
    case 2:
      return ((const guint16 *) (gconstpointer) cells->data)[row];
    case 4:
      return ((const guint32 *) (gconstpointer) cells->data)[row];
    case 8:
      return ((const guint64 *) (gconstpointer) cells->data)[row];
    default:
      return 0;
    }
}

/* @value must fit the width: see flyweight_cells_fit(). */
static inline void
flyweight_cells_set (FlyweightCells *cells,
                     guint           row,
                     guint64         value)
{
  switch (cells->width)
    {
    case 1:
      cells->data[row] = (guint8) value;
      break;
    case 2:
      ((guint16 *) (gpointer) cells->data)[row] = (guint16) value;
      break;
    case 4:
      ((guint32 *) (gpointer) cells->data)[row] = (guint32) value;
      break;
    case 8:
      ((guint64 *) (gpointer) cells->data)[row] = value;
      break;
    default:
      g_assert (value == 0);
      break;
    }
}

void     flyweight_cells_init      (FlyweightCells       *cells,
                                    guint                 width,
                                    guint                 capacity);
void     flyweight_cells_clear     (FlyweightCells       *cells);
void     flyweight_cells_reserve   (FlyweightCells       *cells,
                                    guint                 capacity);
void     flyweight_cells_fit       (FlyweightCells       *cells,
                                    guint64               value);
void     flyweight_cells_splice    (FlyweightCells       *cells,
                                    guint                 position,
                                    guint                 n_removals,
                                    guint                 n_additions,
                                    guint                 n_rows);
void     flyweight_cells_fill      (FlyweightCells       *cells,
                                    guint                 position,
                                    guint                 n,
                                    guint64               value);
void     flyweight_cells_permute   (FlyweightCells       *cells,
                                    const guint          *order,
                                    guint                 n_rows);
gsize    flyweight_cells_get_size  (const FlyweightCells *cells);

typedef struct
{
  guint64 *words;      /* NULL until allocated */
  guint    capacity;   /* rows allocated */
} FlyweightBits;

static inline gboolean
flyweight_bits_get (const FlyweightBits *bits,
                    guint                row)
{
  return (bits->words[row >> 6] >> (row & 63)) & 1;
}

static inline void
flyweight_bits_set (FlyweightBits *bits,
                    guint          row,
                    gboolean       value)
{
  guint64 mask = G_GUINT64_CONSTANT (1) << (row & 63);

  if (value)
    bits->words[row >> 6] |= mask;
  else
    bits->words[row >> 6] &= ~mask;
}

void     flyweight_bits_init       (FlyweightBits        *bits,
                                    guint                 capacity,
                                    guint                 n_rows,
                                    gboolean              value);
void     flyweight_bits_clear      (FlyweightBits        *bits);
void     flyweight_bits_reserve    (FlyweightBits        *bits,
                                    guint                 capacity);
void     flyweight_bits_fill       (FlyweightBits        *bits,
                                    guint                 position,
                                    guint                 n,
                                    gboolean              value);
guint    flyweight_bits_count      (const FlyweightBits  *bits,
                                    guint                 position,
                                    guint                 n);
void     flyweight_bits_splice     (FlyweightBits        *bits,
                                    guint                 position,
                                    guint                 n_removals,
                                    guint                 n_additions,
                                    guint                 n_rows,
                                    gboolean              value);
void     flyweight_bits_permute    (FlyweightBits        *bits,
                                    const guint          *order,
                                    guint                 n_rows);
gsize    flyweight_bits_get_size   (const FlyweightBits  *bits);

typedef enum
{
  FLYWEIGHT_COLUMN_BOOLEAN,
  FLYWEIGHT_COLUMN_NUMBER,
  FLYWEIGHT_COLUMN_STRING,
  FLYWEIGHT_COLUMN_VALUE,
} FlyweightColumnKind;

typedef struct
{
  char                *name;
  FlyweightColumnKind  kind;
  GType                type;        /* of every value; G_TYPE_VALUE for VALUE */
  FlyweightCells       cells;       /* NUMBER, STRING (index), VALUE (GValue *) */
  FlyweightBits        booleans;    /* BOOLEAN */
  FlyweightBits        present;     /* no words: every row has the attribute */
  guint                n_present;

  /* STRING: the dictionary. Index 0 in a cell is the NULL string; index
   * i > 0 is strings[i - 1], used by uses[i - 1] rows. */
  GPtrArray           *strings;
  GArray              *uses;
  GHashTable          *string_index;   /* string → GUINT_TO_POINTER (index) */
  GArray              *free_entries;
} FlyweightColumn;

/* What a matching row holds, prepared once for a scan. */
typedef struct
{
  gboolean possible;   /* FALSE: no row can match */
  gboolean any;        /* match every row that has the attribute */
  guint64  raw;        /* BOOLEAN, NUMBER, STRING: the cell to find */
  gdouble  number;     /* NUMBER of type float or double */
  GValue   value;      /* VALUE */
} FlyweightColumnMatch;

FlyweightColumn *flyweight_column_new            (const char            *name,
                                                  GType                  type,
                                                  guint                  n_rows,
                                                  guint                  capacity);
void             flyweight_column_free           (FlyweightColumn       *column,
                                                  guint                  n_rows,
                                                  GPtrArray             *garbage);
gboolean         flyweight_column_accepts        (const FlyweightColumn *column,
                                                  GType                  type);
void             flyweight_column_generalize     (FlyweightColumn       *column,
                                                  guint                  n_rows);
void             flyweight_column_reserve        (FlyweightColumn       *column,
                                                  guint                  capacity);
gboolean         flyweight_column_has            (const FlyweightColumn *column,
                                                  guint                  row);
void             flyweight_column_get            (const FlyweightColumn *column,
                                                  guint                  row,
                                                  GValue                *value);
void             flyweight_column_set            (FlyweightColumn       *column,
                                                  guint                  row,
                                                  const GValue          *value,
                                                  guint                  n_rows,
                                                  GPtrArray             *garbage);
void             flyweight_column_set_string     (FlyweightColumn       *column,
                                                  guint                  row,
                                                  const char            *string,
                                                  guint                  n_rows);
guint            flyweight_column_intern_string  (FlyweightColumn       *column,
                                                  const char            *string);
void             flyweight_column_release_string (FlyweightColumn       *column,
                                                  guint                  index);
void             flyweight_column_set_string_index (FlyweightColumn     *column,
                                                  guint                  row,
                                                  guint                  index,
                                                  guint                  n_rows);
void             flyweight_column_set_raw        (FlyweightColumn       *column,
                                                  guint                  row,
                                                  guint64                raw,
                                                  guint                  n_rows);
guint64          flyweight_column_raw_of         (const FlyweightColumn *column,
                                                  const GValue          *value);
gboolean         flyweight_column_unset          (FlyweightColumn       *column,
                                                  guint                  row,
                                                  guint                  n_rows,
                                                  GPtrArray             *garbage);
void             flyweight_column_splice         (FlyweightColumn       *column,
                                                  guint                  position,
                                                  guint                  n_removals,
                                                  guint                  n_additions,
                                                  guint                  n_rows,
                                                  GPtrArray             *garbage);
void             flyweight_column_permute        (FlyweightColumn       *column,
                                                  const guint           *order,
                                                  guint                  n_rows);
gboolean         flyweight_column_match_init     (const FlyweightColumn *column,
                                                  const GValue          *value,
                                                  FlyweightColumnMatch  *match);
gboolean         flyweight_column_matches        (const FlyweightColumn *column,
                                                  const FlyweightColumnMatch *match,
                                                  guint                  row);
void             flyweight_column_match_clear    (FlyweightColumnMatch  *match);
gboolean         flyweight_column_sort_keys      (const FlyweightColumn *column,
                                                  const guint           *rows,
                                                  guint                  n_rows,
                                                  guint64               *keys);
int              flyweight_column_compare_rows   (const FlyweightColumn *column,
                                                  guint                  a,
                                                  guint                  b);
gsize            flyweight_column_get_size       (const FlyweightColumn *column);

gboolean         flyweight_value_equal           (const GValue          *a,
                                                  const GValue          *b);
int              flyweight_value_compare         (const GValue          *a,
                                                  const GValue          *b);

G_END_DECLS
