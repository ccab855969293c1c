/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "flyweight-column-private.h"

/* ---------------------------------------------------------------------- */
/* Cells                                                                   */

void
flyweight_cells_init (FlyweightCells *cells,
                      guint           width,
                      guint           capacity)
{
  cells->width = width;
  cells->capacity = capacity;
  cells->data = width > 0 && capacity > 0 ? g_malloc0_n (capacity, width) : NULL;
}

void
flyweight_cells_clear (FlyweightCells *cells)
{
  g_clear_pointer (&cells->data, g_free);
  cells->width = 0;
  cells->capacity = 0;
}

void
flyweight_cells_reserve (FlyweightCells *cells,
                         guint           capacity)
{
  if (cells->width > 0 && capacity != cells->capacity)
    {
      cells->data = g_realloc_n (cells->data, MAX (capacity, 1), cells->width);
      /* Rows past the old end start as zero, as every new row does. */
      if (capacity > cells->capacity)
        memset (cells->data + (gsize) cells->capacity * cells->width, 0,
                (gsize) (capacity - cells->capacity) * cells->width);
    }
  cells->capacity = capacity;
}

static guint
width_for (guint64 value)
{
  if (value == 0)
    return 0;
  if (value <= G_MAXUINT8)
    return 1;
  if (value <= G_MAXUINT16)
    return 2;
  if (value <= G_MAXUINT32)
    return 4;
  return 8;
}

/* Makes the cells wide enough for @value, repacking every row. */
void
flyweight_cells_fit (FlyweightCells *cells,
                     guint64         value)
{
  guint width = width_for (value);
  FlyweightCells wider;

  if (width <= cells->width)
    return;

  flyweight_cells_init (&wider, width, cells->capacity);
  for (guint row = 0; row < cells->capacity; row++)
    flyweight_cells_set (&wider, row, flyweight_cells_get (cells, row));

  g_free (cells->data);
  *cells = wider;
}

/* Removes @n_removals rows at @position and opens @n_additions zero rows
 * there; the capacity already has room for the result. */
void
flyweight_cells_splice (FlyweightCells *cells,
                        guint           position,
                        guint           n_removals,
                        guint           n_additions,
                        guint           n_rows)
{
  gsize width = cells->width;
  guint tail = n_rows - position - n_removals;

  if (width == 0)
    return;

  g_assert ((gsize) n_rows - n_removals + n_additions <= cells->capacity);

  if (n_removals != n_additions && tail > 0)
    memmove (cells->data + (position + n_additions) * width,
             cells->data + (position + n_removals) * width,
             tail * width);

  memset (cells->data + position * width, 0, n_additions * width);

  /* Rows past the new end are zero, ready for the next insertion. */
  if (n_removals > n_additions)
    memset (cells->data + ((gsize) n_rows - n_removals + n_additions) * width, 0,
            (gsize) (n_removals - n_additions) * width);
}

void
flyweight_cells_fill (FlyweightCells *cells,
                      guint           position,
                      guint           n,
                      guint64         value)
{
  if (value == 0 && cells->width > 0)
    {
      memset (cells->data + (gsize) position * cells->width, 0, (gsize) n * cells->width);
      return;
    }

  for (guint i = 0; i < n; i++)
    flyweight_cells_set (cells, position + i, value);
}

/* Row i of the result is row order[i] of the cells. */
void
flyweight_cells_permute (FlyweightCells *cells,
                         const guint    *order,
                         guint           n_rows)
{
  FlyweightCells permuted;

  if (cells->width == 0)
    return;

  flyweight_cells_init (&permuted, cells->width, cells->capacity);
  for (guint row = 0; row < n_rows; row++)
    flyweight_cells_set (&permuted, row, flyweight_cells_get (cells, order[row]));

  g_free (cells->data);
  *cells = permuted;
}

gsize
flyweight_cells_get_size (const FlyweightCells *cells)
{
  return cells->data != NULL ? (gsize) cells->capacity * cells->width : 0;
}

/* ---------------------------------------------------------------------- */
/* Bits                                                                    */

/* One word more than the rows need, so that a run of up to 64 bits can
 * always read and write the word after its first. */
static gsize
n_words_for (guint capacity)
{
  return capacity / 64 + 2;
}

void
flyweight_bits_init (FlyweightBits *bits,
                     guint          capacity,
                     guint          n_rows,
                     gboolean       value)
{
  bits->capacity = capacity;
  bits->words = g_new0 (guint64, n_words_for (capacity));
  if (value)
    flyweight_bits_fill (bits, 0, n_rows, TRUE);
}

void
flyweight_bits_clear (FlyweightBits *bits)
{
  g_clear_pointer (&bits->words, g_free);
  bits->capacity = 0;
}

void
flyweight_bits_reserve (FlyweightBits *bits,
                        guint          capacity)
{
  gsize old_words = n_words_for (bits->capacity);
  gsize new_words = n_words_for (capacity);

  if (bits->words != NULL && new_words != old_words)
    {
      bits->words = g_renew (guint64, bits->words, new_words);
      if (new_words > old_words)
        memset (bits->words + old_words, 0, (new_words - old_words) * sizeof (guint64));
    }
  bits->capacity = capacity;
}

static inline guint64
low_mask (guint n_bits)
{
  return n_bits >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << n_bits) - 1;
}

/* Reads @n_bits (1 to 64) bits from @position. */
static inline guint64
read_run (const guint64 *words,
          gsize          position,
          guint          n_bits)
{
  gsize word = position >> 6;
  guint shift = position & 63;
  guint64 run = words[word] >> shift;

  if (shift > 0 && shift + n_bits > 64)
    run |= words[word + 1] << (64 - shift);

  return run & low_mask (n_bits);
}

static inline void
write_run (guint64 *words,
           gsize    position,
           guint    n_bits,
           guint64  run)
{
  gsize word = position >> 6;
  guint shift = position & 63;
  guint64 mask = low_mask (n_bits);

  run &= mask;
  words[word] = (words[word] & ~(mask << shift)) | (run << shift);

  if (shift > 0 && shift + n_bits > 64)
    {
      guint64 high_mask = low_mask (shift + n_bits - 64);

      words[word + 1] = (words[word + 1] & ~high_mask) | (run >> (64 - shift));
    }
}

/* Moves @n bits from @from to @to; the ranges may overlap. */
static void
move_bits (guint64 *words,
           gsize    to,
           gsize    from,
           gsize    n)
{
  if (to == from || n == 0)
    return;

  if (to < from)
    {
      for (gsize done = 0; done < n; done += 64)
        {
          guint run = (guint) MIN (64, n - done);

          write_run (words, to + done, run, read_run (words, from + done, run));
        }
    }
  else
    {
      for (gsize left = n; left > 0;)
        {
          guint run = (guint) MIN (64, left);

          left -= run;
          write_run (words, to + left, run, read_run (words, from + left, run));
        }
    }
}

void
flyweight_bits_fill (FlyweightBits *bits,
                     guint          position,
                     guint          n,
                     gboolean       value)
{
  for (guint done = 0; done < n; done += 64)
    {
      guint run = MIN (64, n - done);

      write_run (bits->words, (gsize) position + done, run, value ? G_MAXUINT64 : 0);
    }
}

guint
flyweight_bits_count (const FlyweightBits *bits,
                      guint                position,
                      guint                n)
{
  guint count = 0;

  for (guint done = 0; done < n; done += 64)
    {
      guint run = MIN (64, n - done);

      count += (guint) __builtin_popcountll (read_run (bits->words, (gsize) position + done, run));
    }

  return count;
}

void
flyweight_bits_splice (FlyweightBits *bits,
                       guint          position,
                       guint          n_removals,
                       guint          n_additions,
                       guint          n_rows,
                       gboolean       value)
{
  guint tail = n_rows - position - n_removals;
  guint new_rows = n_rows - n_removals + n_additions;

  g_assert (new_rows <= bits->capacity);

  move_bits (bits->words, (gsize) position + n_additions, (gsize) position + n_removals, tail);
  flyweight_bits_fill (bits, position, n_additions, value);

  /* Keep the bits past the end clear. */
  if (n_rows > new_rows)
    flyweight_bits_fill (bits, new_rows, n_rows - new_rows, FALSE);
}

void
flyweight_bits_permute (FlyweightBits *bits,
                        const guint   *order,
                        guint          n_rows)
{
  guint64 *permuted = g_new0 (guint64, n_words_for (bits->capacity));

  for (guint row = 0; row < n_rows; row++)
    if (flyweight_bits_get (bits, order[row]))
      permuted[row >> 6] |= G_GUINT64_CONSTANT (1) << (row & 63);

  g_free (bits->words);
  bits->words = permuted;
}

gsize
flyweight_bits_get_size (const FlyweightBits *bits)
{
  return bits->words != NULL ? n_words_for (bits->capacity) * sizeof (guint64) : 0;
}

/* ---------------------------------------------------------------------- */
/* Values                                                                  */

static FlyweightColumnKind
kind_for (GType type)
{
  if (type == G_TYPE_GTYPE)
    return FLYWEIGHT_COLUMN_NUMBER;

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return FLYWEIGHT_COLUMN_BOOLEAN;
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return FLYWEIGHT_COLUMN_NUMBER;
    case G_TYPE_STRING:
      /* A subtype of gchararray would come back as a plain string. */
      return type == G_TYPE_STRING ? FLYWEIGHT_COLUMN_STRING : FLYWEIGHT_COLUMN_VALUE;
    default:
      return FLYWEIGHT_COLUMN_VALUE;
    }
}

static guint
number_width (GType type)
{
  if (type == G_TYPE_GTYPE)
    return sizeof (GType);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
      return 1;
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_FLOAT:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return 4;
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
      return sizeof (glong);
    default:
      return 8;
    }
}

static guint64
number_to_raw (const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_GTYPE)
    return g_value_get_gtype (value);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
      return (guint8) g_value_get_schar (value);
    case G_TYPE_UCHAR:
      return g_value_get_uchar (value);
    case G_TYPE_INT:
      return (guint32) g_value_get_int (value);
    case G_TYPE_UINT:
      return g_value_get_uint (value);
    case G_TYPE_LONG:
      return (gulong) g_value_get_long (value);
    case G_TYPE_ULONG:
      return g_value_get_ulong (value);
    case G_TYPE_INT64:
      return (guint64) g_value_get_int64 (value);
    case G_TYPE_UINT64:
      return g_value_get_uint64 (value);
    case G_TYPE_FLOAT:
      {
        gfloat f = g_value_get_float (value);
        guint32 raw;

        memcpy (&raw, &f, sizeof raw);
        return raw;
      }
    case G_TYPE_DOUBLE:
      {
        gdouble d = g_value_get_double (value);
        guint64 raw;

        memcpy (&raw, &d, sizeof raw);
        return raw;
      }
    case G_TYPE_ENUM:
      return (guint32) g_value_get_enum (value);
    case G_TYPE_FLAGS:
      return g_value_get_flags (value);
    default:
      g_assert_not_reached ();
    }
}

static void
number_from_raw (GValue  *value,
                 guint64  raw)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_GTYPE)
    {
      g_value_set_gtype (value, (GType) raw);
      return;
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
      g_value_set_schar (value, (gint8) (guint8) raw);
      break;
    case G_TYPE_UCHAR:
      g_value_set_uchar (value, (guint8) raw);
      break;
    case G_TYPE_INT:
      g_value_set_int (value, (gint32) (guint32) raw);
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, (guint32) raw);
      break;
    case G_TYPE_LONG:
      g_value_set_long (value, (glong) raw);
      break;
    case G_TYPE_ULONG:
      g_value_set_ulong (value, (gulong) raw);
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, (gint64) raw);
      break;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, raw);
      break;
    case G_TYPE_FLOAT:
      {
        guint32 bits = (guint32) raw;
        gfloat f;

        memcpy (&f, &bits, sizeof f);
        g_value_set_float (value, f);
      }
      break;
    case G_TYPE_DOUBLE:
      {
        gdouble d;

        memcpy (&d, &raw, sizeof d);
        g_value_set_double (value, d);
      }
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value, (gint32) (guint32) raw);
      break;
    case G_TYPE_FLAGS:
      g_value_set_flags (value, (guint) raw);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_signed_number (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
    case G_TYPE_INT:
    case G_TYPE_LONG:
    case G_TYPE_INT64:
    case G_TYPE_ENUM:
      return type != G_TYPE_GTYPE;
    default:
      return FALSE;
    }
}

static gboolean
is_floating_number (GType type)
{
  return type == G_TYPE_FLOAT || type == G_TYPE_DOUBLE ||
         (type != G_TYPE_GTYPE &&
          (G_TYPE_FUNDAMENTAL (type) == G_TYPE_FLOAT || G_TYPE_FUNDAMENTAL (type) == G_TYPE_DOUBLE));
}

static gdouble
raw_to_double (GType   type,
               guint64 raw)
{
  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_FLOAT)
    {
      guint32 bits = (guint32) raw;
      gfloat f;

      memcpy (&f, &bits, sizeof f);
      return f;
    }
  else
    {
      gdouble d;

      memcpy (&d, &raw, sizeof d);
      return d;
    }
}

/* Sign-extends a signed number of @width bytes. */
static gint64
raw_to_signed (guint64 raw,
               guint   width)
{
  switch (width)
    {
    case 1:
      return (gint8) raw;
    case 4:
      return (gint32) raw;
    default:
      return (gint64) raw;
    }
}

/* An unsigned key that sorts as the number does. */
static guint64
number_sort_key (GType   type,
                 guint   width,
                 guint64 raw)
{
  if (is_floating_number (type))
    {
      gdouble d = raw_to_double (type, raw);
      guint64 bits;

      if (d == 0)
        d = 0;   /* -0.0 sorts with 0.0 */
      memcpy (&bits, &d, sizeof bits);
      return (bits >> 63) ? ~bits : bits | (G_GUINT64_CONSTANT (1) << 63);
    }

  if (is_signed_number (type))
    return (guint64) raw_to_signed (raw, width) ^ (G_GUINT64_CONSTANT (1) << 63);

  return raw;
}

gboolean
flyweight_value_equal (const GValue *a,
                       const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    return FALSE;

  if (kind_for (type) == FLYWEIGHT_COLUMN_NUMBER)
    {
      if (is_floating_number (type))
        return raw_to_double (type, number_to_raw (a)) == raw_to_double (type, number_to_raw (b));
      return number_to_raw (a) == number_to_raw (b);
    }

  if (type == G_TYPE_STRV)
    {
      const char * const *sa = g_value_get_boxed (a);
      const char * const *sb = g_value_get_boxed (b);

      if (sa == NULL || sb == NULL)
        return sa == sb;
      return g_strv_equal (sa, sb);
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_VARIANT:
      if (g_value_get_variant (a) == NULL || g_value_get_variant (b) == NULL)
        return g_value_get_variant (a) == g_value_get_variant (b);
      return g_variant_equal (g_value_get_variant (a), g_value_get_variant (b));
    default:
      /* Objects, boxed values and the like: the same instance. */
      return g_value_peek_pointer (a) == g_value_peek_pointer (b);
    }
}

/* A total order for values of any types: by type name first, then by
 * value where values have an order, by address otherwise. */
int
flyweight_value_compare (const GValue *a,
                         const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    return strcmp (g_type_name (type), g_type_name (G_VALUE_TYPE (b)));

  switch (kind_for (type))
    {
    case FLYWEIGHT_COLUMN_BOOLEAN:
      return (!!g_value_get_boolean (a)) - (!!g_value_get_boolean (b));
    case FLYWEIGHT_COLUMN_NUMBER:
      {
        guint width = number_width (type);
        guint64 ka = number_sort_key (type, width, number_to_raw (a));
        guint64 kb = number_sort_key (type, width, number_to_raw (b));

        return ka < kb ? -1 : ka > kb;
      }
    case FLYWEIGHT_COLUMN_STRING:
    case FLYWEIGHT_COLUMN_VALUE:
    default:
      break;
    }

  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_STRING)
    {
      const char *sa = g_value_get_string (a);
      const char *sb = g_value_get_string (b);

      if (sa == NULL || sb == NULL)
        return (sa != NULL) - (sb != NULL);
      return g_utf8_collate (sa, sb);
    }

  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_VARIANT &&
      g_value_get_variant (a) != NULL && g_value_get_variant (b) != NULL &&
      g_variant_is_of_type (g_value_get_variant (a), g_variant_get_type (g_value_get_variant (b))) &&
      g_variant_type_is_basic (g_variant_get_type (g_value_get_variant (a))))
    return g_variant_compare (g_value_get_variant (a), g_value_get_variant (b));

  {
    guintptr pa = (guintptr) g_value_peek_pointer (a);
    guintptr pb = (guintptr) g_value_peek_pointer (b);

    return pa < pb ? -1 : pa > pb;
  }
}

/* ---------------------------------------------------------------------- */
/* Columns                                                                 */

FlyweightColumn *
flyweight_column_new (const char *name,
                      GType       type,
                      guint       n_rows,
                      guint       capacity)
{
  FlyweightColumn *column = g_new0 (FlyweightColumn, 1);

  column->name = g_strdup (name);
  column->kind = kind_for (type);
  column->type = column->kind == FLYWEIGHT_COLUMN_VALUE ? G_TYPE_VALUE : type;

  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_BOOLEAN:
      flyweight_bits_init (&column->booleans, capacity, n_rows, FALSE);
      break;
    case FLYWEIGHT_COLUMN_NUMBER:
      flyweight_cells_init (&column->cells, number_width (type), capacity);
      break;
    case FLYWEIGHT_COLUMN_STRING:
      /* Width 0 until a string other than NULL arrives. */
      flyweight_cells_init (&column->cells, 0, capacity);
      column->strings = g_ptr_array_new ();
      column->uses = g_array_new (FALSE, FALSE, sizeof (guint));
      column->string_index = g_hash_table_new (g_str_hash, g_str_equal);
      column->free_entries = g_array_new (FALSE, FALSE, sizeof (guint));
      break;
    case FLYWEIGHT_COLUMN_VALUE:
    default:
      flyweight_cells_init (&column->cells, sizeof (gpointer), capacity);
      break;
    }

  /* No row holds the attribute yet. */
  flyweight_bits_init (&column->present, capacity, n_rows, FALSE);
  column->n_present = 0;

  return column;
}

static GValue *
cell_value (const FlyweightColumn *column,
            guint                  row)
{
  return (GValue *) (guintptr) flyweight_cells_get (&column->cells, row);
}

static void
drop_value (GValue    *value,
            GPtrArray *garbage)
{
  /* Unsetting may finalize an object whose code calls back into the store;
   * the store does it once its lock is released. */
  if (value != NULL)
    g_ptr_array_add (garbage, value);
}

static void
release_string (FlyweightColumn *column,
                guint            index)
{
  guint *uses;

  if (index == 0)
    return;

  uses = &g_array_index (column->uses, guint, index - 1);
  if (--*uses == 0)
    {
      char *string = g_ptr_array_index (column->strings, index - 1);

      g_hash_table_remove (column->string_index, string);
      g_free (string);
      g_ptr_array_index (column->strings, index - 1) = NULL;
      g_array_append_val (column->free_entries, index);
    }
}

static guint
acquire_string (FlyweightColumn *column,
                const char      *string)
{
  gpointer found;
  guint index;

  if (string == NULL)
    return 0;

  if (g_hash_table_lookup_extended (column->string_index, string, NULL, &found))
    {
      index = GPOINTER_TO_UINT (found);
      g_array_index (column->uses, guint, index - 1)++;
      return index;
    }

  if (column->free_entries->len > 0)
    {
      index = g_array_index (column->free_entries, guint, column->free_entries->len - 1);
      g_array_set_size (column->free_entries, column->free_entries->len - 1);
      g_ptr_array_index (column->strings, index - 1) = g_strdup (string);
      g_array_index (column->uses, guint, index - 1) = 1;
    }
  else
    {
      guint one = 1;

      g_ptr_array_add (column->strings, g_strdup (string));
      g_array_append_val (column->uses, one);
      index = column->strings->len;
    }

  g_hash_table_insert (column->string_index,
                       g_ptr_array_index (column->strings, index - 1),
                       GUINT_TO_POINTER (index));
  flyweight_cells_fit (&column->cells, index);

  return index;
}

/* Forgets what row holds, leaving its cell zero. */
static void
release_cell (FlyweightColumn *column,
              guint            row,
              GPtrArray       *garbage)
{
  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_STRING:
      release_string (column, (guint) flyweight_cells_get (&column->cells, row));
      flyweight_cells_set (&column->cells, row, 0);
      break;
    case FLYWEIGHT_COLUMN_VALUE:
      drop_value (cell_value (column, row), garbage);
      flyweight_cells_set (&column->cells, row, 0);
      break;
    case FLYWEIGHT_COLUMN_BOOLEAN:
      flyweight_bits_set (&column->booleans, row, FALSE);
      break;
    case FLYWEIGHT_COLUMN_NUMBER:
    default:
      flyweight_cells_set (&column->cells, row, 0);
      break;
    }
}

void
flyweight_column_free (FlyweightColumn *column,
                       guint            n_rows,
                       GPtrArray       *garbage)
{
  if (column->kind == FLYWEIGHT_COLUMN_VALUE)
    for (guint row = 0; row < n_rows; row++)
      drop_value (cell_value (column, row), garbage);

  if (column->kind == FLYWEIGHT_COLUMN_STRING)
    {
      g_ptr_array_set_free_func (column->strings, g_free);
      g_ptr_array_unref (column->strings);
      g_array_unref (column->uses);
      g_hash_table_unref (column->string_index);
      g_array_unref (column->free_entries);
    }

  flyweight_cells_clear (&column->cells);
  flyweight_bits_clear (&column->booleans);
  flyweight_bits_clear (&column->present);
  g_free (column->name);
  g_free (column);
}

gboolean
flyweight_column_accepts (const FlyweightColumn *column,
                          GType                  type)
{
  return column->kind == FLYWEIGHT_COLUMN_VALUE || column->type == type;
}

/* Turns the column into one of GValues, which holds any type. */
void
flyweight_column_generalize (FlyweightColumn *column,
                             guint            n_rows)
{
  FlyweightCells values;

  if (column->kind == FLYWEIGHT_COLUMN_VALUE)
    return;

  flyweight_cells_init (&values, sizeof (gpointer), column->present.capacity);
  for (guint row = 0; row < n_rows; row++)
    if (flyweight_column_has (column, row))
      {
        GValue *value = g_new0 (GValue, 1);

        flyweight_column_get (column, row, value);
        flyweight_cells_set (&values, row, (guintptr) value);
      }

  if (column->kind == FLYWEIGHT_COLUMN_STRING)
    {
      g_ptr_array_set_free_func (column->strings, g_free);
      g_clear_pointer (&column->strings, g_ptr_array_unref);
      g_clear_pointer (&column->uses, g_array_unref);
      g_clear_pointer (&column->string_index, g_hash_table_unref);
      g_clear_pointer (&column->free_entries, g_array_unref);
    }

  flyweight_cells_clear (&column->cells);
  flyweight_bits_clear (&column->booleans);
  column->cells = values;
  column->kind = FLYWEIGHT_COLUMN_VALUE;
  column->type = G_TYPE_VALUE;
}

void
flyweight_column_reserve (FlyweightColumn *column,
                          guint            capacity)
{
  if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN)
    flyweight_bits_reserve (&column->booleans, capacity);
  else
    flyweight_cells_reserve (&column->cells, capacity);

  if (column->present.words != NULL)
    flyweight_bits_reserve (&column->present, capacity);
  else
    column->present.capacity = capacity;
}

gboolean
flyweight_column_has (const FlyweightColumn *column,
                      guint                  row)
{
  return column->present.words == NULL || flyweight_bits_get (&column->present, row);
}

/* @value is empty; @row has the attribute. */
void
flyweight_column_get (const FlyweightColumn *column,
                      guint                  row,
                      GValue                *value)
{
  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_BOOLEAN:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, flyweight_bits_get (&column->booleans, row));
      break;
    case FLYWEIGHT_COLUMN_NUMBER:
      g_value_init (value, column->type);
      number_from_raw (value, flyweight_cells_get (&column->cells, row));
      break;
    case FLYWEIGHT_COLUMN_STRING:
      {
        guint index = (guint) flyweight_cells_get (&column->cells, row);

        g_value_init (value, G_TYPE_STRING);
        if (index > 0)
          g_value_set_string (value, g_ptr_array_index (column->strings, index - 1));
      }
      break;
    case FLYWEIGHT_COLUMN_VALUE:
    default:
      {
        const GValue *stored = cell_value (column, row);

        g_value_init (value, G_VALUE_TYPE (stored));
        g_value_copy (stored, value);
      }
      break;
    }
}

static void
mark_present (FlyweightColumn *column,
              guint            row,
              guint            n_rows)
{
  if (flyweight_column_has (column, row))
    return;

  flyweight_bits_set (&column->present, row, TRUE);
  column->n_present++;

  /* Every row has it: the bits say nothing any more. */
  if (column->n_present == n_rows)
    {
      guint capacity = column->present.capacity;

      flyweight_bits_clear (&column->present);
      column->present.capacity = capacity;
    }
}

/* The column accepts the value's type. */
void
flyweight_column_set (FlyweightColumn *column,
                      guint            row,
                      const GValue    *value,
                      guint            n_rows,
                      GPtrArray       *garbage)
{
  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_STRING:
      flyweight_column_set_string (column, row, g_value_get_string (value), n_rows);
      return;
    case FLYWEIGHT_COLUMN_VALUE:
      {
        GValue *copy = g_new0 (GValue, 1);

        g_value_init (copy, G_VALUE_TYPE (value));
        g_value_copy (value, copy);
        if (flyweight_column_has (column, row))
          drop_value (cell_value (column, row), garbage);
        flyweight_cells_set (&column->cells, row, (guintptr) copy);
      }
      break;
    case FLYWEIGHT_COLUMN_BOOLEAN:
    case FLYWEIGHT_COLUMN_NUMBER:
    default:
      flyweight_column_set_raw (column, row, flyweight_column_raw_of (column, value), n_rows);
      return;
    }

  mark_present (column, row, n_rows);
}

void
flyweight_column_set_string (FlyweightColumn *column,
                             guint            row,
                             const char      *string,
                             guint            n_rows)
{
  /* Take the new string before releasing the old: they may be the same. */
  guint index = acquire_string (column, string);

  if (flyweight_column_has (column, row))
    release_string (column, (guint) flyweight_cells_get (&column->cells, row));
  flyweight_cells_set (&column->cells, row, index);
  mark_present (column, row, n_rows);
}

/* For STRING columns: the dictionary index of @string, with a use held by
 * the caller until flyweight_column_release_string(). */
guint
flyweight_column_intern_string (FlyweightColumn *column,
                                const char      *string)
{
  return acquire_string (column, string);
}

void
flyweight_column_release_string (FlyweightColumn *column,
                                 guint            index)
{
  release_string (column, index);
}

/* Sets @row to the string at @index, which the caller holds a use of. */
void
flyweight_column_set_string_index (FlyweightColumn *column,
                                   guint            row,
                                   guint            index,
                                   guint            n_rows)
{
  if (index > 0)
    g_array_index (column->uses, guint, index - 1)++;
  if (flyweight_column_has (column, row))
    release_string (column, (guint) flyweight_cells_get (&column->cells, row));
  flyweight_cells_set (&column->cells, row, index);
  mark_present (column, row, n_rows);
}

/* For BOOLEAN and NUMBER columns: the cell of a value of the column's type. */
guint64
flyweight_column_raw_of (const FlyweightColumn *column,
                         const GValue          *value)
{
  if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN)
    return g_value_get_boolean (value) ? 1 : 0;

  return number_to_raw (value);
}

void
flyweight_column_set_raw (FlyweightColumn *column,
                          guint            row,
                          guint64          raw,
                          guint            n_rows)
{
  if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN)
    flyweight_bits_set (&column->booleans, row, raw != 0);
  else
    flyweight_cells_set (&column->cells, row, raw);

  mark_present (column, row, n_rows);
}

/* Returns whether the row had the attribute. */
gboolean
flyweight_column_unset (FlyweightColumn *column,
                        guint            row,
                        guint            n_rows,
                        GPtrArray       *garbage)
{
  if (!flyweight_column_has (column, row))
    return FALSE;

  release_cell (column, row, garbage);

  if (column->present.words == NULL)
    flyweight_bits_init (&column->present, column->present.capacity, n_rows, TRUE);
  flyweight_bits_set (&column->present, row, FALSE);
  column->n_present--;

  return TRUE;
}

/* The capacity already has room for the result; added rows lack the
 * attribute. */
void
flyweight_column_splice (FlyweightColumn *column,
                         guint            position,
                         guint            n_removals,
                         guint            n_additions,
                         guint            n_rows,
                         GPtrArray       *garbage)
{
  guint new_rows = n_rows - n_removals + n_additions;
  guint removed_present;

  for (guint row = position; row < position + n_removals; row++)
    if (flyweight_column_has (column, row))
      release_cell (column, row, garbage);

  if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN)
    flyweight_bits_splice (&column->booleans, position, n_removals, n_additions, n_rows, FALSE);
  else
    flyweight_cells_splice (&column->cells, position, n_removals, n_additions, n_rows);

  if (column->present.words == NULL)
    {
      removed_present = n_removals;
      if (n_additions > 0)
        flyweight_bits_init (&column->present, column->present.capacity, n_rows, TRUE);
    }
  else
    removed_present = flyweight_bits_count (&column->present, position, n_removals);

  if (column->present.words != NULL)
    flyweight_bits_splice (&column->present, position, n_removals, n_additions, n_rows, FALSE);

  column->n_present -= removed_present;

  if (column->present.words != NULL && column->n_present == new_rows)
    {
      guint capacity = column->present.capacity;

      flyweight_bits_clear (&column->present);
      column->present.capacity = capacity;
    }
}

void
flyweight_column_permute (FlyweightColumn *column,
                          const guint     *order,
                          guint            n_rows)
{
  if (column->kind == FLYWEIGHT_COLUMN_BOOLEAN)
    flyweight_bits_permute (&column->booleans, order, n_rows);
  else
    flyweight_cells_permute (&column->cells, order, n_rows);

  if (column->present.words != NULL)
    flyweight_bits_permute (&column->present, order, n_rows);
}

/* Prepares a scan for rows whose value equals @value (any row that has
 * the attribute if @value is NULL). A value of another type matches a
 * typed column only if it converts to the column's type. */
gboolean
flyweight_column_match_init (const FlyweightColumn *column,
                             const GValue          *value,
                             FlyweightColumnMatch  *match)
{
  g_auto (GValue) converted = G_VALUE_INIT;

  memset (match, 0, sizeof *match);
  match->possible = TRUE;

  if (value == NULL)
    {
      match->any = TRUE;
      return TRUE;
    }

  if (column->kind == FLYWEIGHT_COLUMN_VALUE)
    {
      g_value_init (&match->value, G_VALUE_TYPE (value));
      g_value_copy (value, &match->value);
      return TRUE;
    }

  if (G_VALUE_TYPE (value) != column->type)
    {
      if (column->kind == FLYWEIGHT_COLUMN_STRING ||
          !g_value_type_transformable (G_VALUE_TYPE (value), column->type))
        {
          match->possible = FALSE;
          return FALSE;
        }

      g_value_init (&converted, column->type);
      if (!g_value_transform (value, &converted))
        {
          match->possible = FALSE;
          return FALSE;
        }
      value = &converted;
    }

  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_STRING:
      {
        const char *string = g_value_get_string (value);
        gpointer index = NULL;

        if (string != NULL &&
            !g_hash_table_lookup_extended (column->string_index, string, NULL, &index))
          match->possible = FALSE;
        match->raw = GPOINTER_TO_UINT (index);
      }
      break;
    case FLYWEIGHT_COLUMN_NUMBER:
      match->raw = number_to_raw (value);
      if (is_floating_number (column->type))
        match->number = raw_to_double (column->type, match->raw);
      break;
    case FLYWEIGHT_COLUMN_BOOLEAN:
    case FLYWEIGHT_COLUMN_VALUE:
    default:
      match->raw = flyweight_column_raw_of (column, value);
      break;
    }

  return match->possible;
}

gboolean
flyweight_column_matches (const FlyweightColumn      *column,
                          const FlyweightColumnMatch *match,
                          guint                       row)
{
  if (!match->possible || !flyweight_column_has (column, row))
    return FALSE;

  if (match->any)
    return TRUE;

  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_BOOLEAN:
      return (guint64) flyweight_bits_get (&column->booleans, row) == match->raw;
    case FLYWEIGHT_COLUMN_NUMBER:
      if (is_floating_number (column->type))
        return raw_to_double (column->type, flyweight_cells_get (&column->cells, row)) == match->number;
      return flyweight_cells_get (&column->cells, row) == match->raw;
    case FLYWEIGHT_COLUMN_STRING:
      return flyweight_cells_get (&column->cells, row) == match->raw;
    case FLYWEIGHT_COLUMN_VALUE:
    default:
      return flyweight_value_equal (cell_value (column, row), &match->value);
    }
}

void
flyweight_column_match_clear (FlyweightColumnMatch *match)
{
  if (G_IS_VALUE (&match->value))
    g_value_unset (&match->value);
}

typedef struct
{
  const char *key;
  guint       index;
} RankedString;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const RankedString *ra = a;
  const RankedString *rb = b;

  return strcmp (ra->key, rb->key);
}

/* Fills @keys with a number per row (all of which have the attribute) that
 * sorts as the values do: strings by g_utf8_collate(), NULL first. Columns
 * of GValues have no such key: compare their rows instead. */
gboolean
flyweight_column_sort_keys (const FlyweightColumn *column,
                            const guint           *rows,
                            guint                  n_rows,
                            guint64               *keys)
{
  switch (column->kind)
    {
    case FLYWEIGHT_COLUMN_BOOLEAN:
      for (guint i = 0; i < n_rows; i++)
        keys[i] = flyweight_bits_get (&column->booleans, rows[i]);
      return TRUE;

    case FLYWEIGHT_COLUMN_NUMBER:
      for (guint i = 0; i < n_rows; i++)
        keys[i] = number_sort_key (column->type, column->cells.width,
                                   flyweight_cells_get (&column->cells, rows[i]));
      return TRUE;

    case FLYWEIGHT_COLUMN_STRING:
      {
        guint n_strings = column->strings->len;
        g_autofree RankedString *ranked = g_new (RankedString, n_strings);
        g_autofree guint64 *rank_of = g_new0 (guint64, n_strings + 1);
        g_autoptr(GPtrArray) collate_keys = g_ptr_array_new_with_free_func (g_free);
        guint n_ranked = 0;

        /* Rank the dictionary once, then each row is a look-up. */
        for (guint i = 0; i < n_strings; i++)
          {
            const char *string = g_ptr_array_index (column->strings, i);
            char *key;

            if (string == NULL)
              continue;
            key = g_utf8_collate_key (string, -1);
            g_ptr_array_add (collate_keys, key);
            ranked[n_ranked].key = key;
            ranked[n_ranked].index = i + 1;
            n_ranked++;
          }
        if (n_ranked > 1)
          qsort (ranked, n_ranked, sizeof (RankedString), compare_ranked);
        /* Strings that collate equal share a rank, and keep their rows'
         * order: the sort is stable. */
        for (guint r = 0, rank = 0; r < n_ranked; r++)
          {
            if (r == 0 || strcmp (ranked[r - 1].key, ranked[r].key) != 0)
              rank++;
            rank_of[ranked[r].index] = rank;
          }

        for (guint i = 0; i < n_rows; i++)
          keys[i] = rank_of[flyweight_cells_get (&column->cells, rows[i])];
      }
      return TRUE;

    case FLYWEIGHT_COLUMN_VALUE:
    default:
      return FALSE;
    }
}

int
flyweight_column_compare_rows (const FlyweightColumn *column,
                               guint                  a,
                               guint                  b)
{
  return flyweight_value_compare (cell_value (column, a), cell_value (column, b));
}

gsize
flyweight_column_get_size (const FlyweightColumn *column)
{
  gsize size = sizeof (FlyweightColumn) +
               flyweight_cells_get_size (&column->cells) +
               flyweight_bits_get_size (&column->booleans) +
               flyweight_bits_get_size (&column->present);

  if (column->kind == FLYWEIGHT_COLUMN_STRING)
    {
      size += column->strings->len * (sizeof (gpointer) + sizeof (guint) + 2 * sizeof (gpointer));
      for (guint i = 0; i < column->strings->len; i++)
        if (g_ptr_array_index (column->strings, i) != NULL)
          size += strlen (g_ptr_array_index (column->strings, i)) + 1;
    }

  return size;
}
