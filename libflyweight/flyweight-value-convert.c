/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "flyweight-value-convert-private.h"

/* Reading an attribute as another type, for flyweight_pokies_get_attr().
 *
 * Numbers convert without loss or not at all. Every numeric value is read
 * into one Number (a signed or unsigned 64-bit integer, or a double), and
 * whether it fits the type wanted is decided by that type's row in
 * number_types: the range of an integer type, the largest finite value of
 * a floating-point one. GLib's own transforms wrap, truncate or saturate
 * silently (a gint64 2^40 read as a gint, NaN as a guint64), so they are
 * only used for what is not a number. */

typedef enum
{
  NUMBER_SIGNED,
  NUMBER_UNSIGNED,
  NUMBER_FLOATING,
} NumberKind;

typedef struct
{
  NumberKind kind;
  union {
    gint64  i;
    guint64 u;
    gdouble d;
  } v;
} Number;

typedef struct
{
  GType      fundamental;
  NumberKind kind;
  gint64     min;          /* integer types */
  guint64    max;
  gdouble    max_finite;   /* floating-point types */
  gboolean   written;      /* written as digits when read as a string */
} NumberType;

/* A boolean is the integer 0 or 1. An enum or flags value reads as the
 * integer it holds; an integer becomes one only if it names a member
 * (see is_member()). */
static const NumberType number_types[] = {
  { G_TYPE_BOOLEAN, NUMBER_SIGNED,   0,          1,           0,           FALSE },
  { G_TYPE_CHAR,    NUMBER_SIGNED,   G_MININT8,  G_MAXINT8,   0,           TRUE  },
  { G_TYPE_UCHAR,   NUMBER_UNSIGNED, 0,          G_MAXUINT8,  0,           TRUE  },
  { G_TYPE_INT,     NUMBER_SIGNED,   G_MININT,   G_MAXINT,    0,           TRUE  },
  { G_TYPE_UINT,    NUMBER_UNSIGNED, 0,          G_MAXUINT,   0,           TRUE  },
  { G_TYPE_LONG,    NUMBER_SIGNED,   G_MINLONG,  G_MAXLONG,   0,           TRUE  },
  { G_TYPE_ULONG,   NUMBER_UNSIGNED, 0,          G_MAXULONG,  0,           TRUE  },
  { G_TYPE_INT64,   NUMBER_SIGNED,   G_MININT64, G_MAXINT64,  0,           TRUE  },
  { G_TYPE_UINT64,  NUMBER_UNSIGNED, 0,          G_MAXUINT64, 0,           TRUE  },
  { G_TYPE_FLOAT,   NUMBER_FLOATING, 0,          0,           G_MAXFLOAT,  TRUE  },
  { G_TYPE_DOUBLE,  NUMBER_FLOATING, 0,          0,           G_MAXDOUBLE, TRUE  },
  { G_TYPE_ENUM,    NUMBER_SIGNED,   G_MININT,   G_MAXINT,    0,           FALSE },
  { G_TYPE_FLAGS,   NUMBER_UNSIGNED, 0,          G_MAXUINT,   0,           FALSE },
};

static const NumberType *
find_number_type (GType type)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (type);

  for (gsize i = 0; i < G_N_ELEMENTS (number_types); i++)
    if (number_types[i].fundamental == fundamental)
      return &number_types[i];

  return NULL;
}

static void
read_number (const GValue *value,
             Number       *number)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_BOOLEAN: number->v.i = g_value_get_boolean (value) != FALSE; break;
    case G_TYPE_CHAR:    number->v.i = g_value_get_schar (value); break;
    case G_TYPE_UCHAR:   number->v.u = g_value_get_uchar (value); break;
    case G_TYPE_INT:     number->v.i = g_value_get_int (value); break;
    case G_TYPE_UINT:    number->v.u = g_value_get_uint (value); break;
    case G_TYPE_LONG:    number->v.i = g_value_get_long (value); break;
    case G_TYPE_ULONG:   number->v.u = g_value_get_ulong (value); break;
    case G_TYPE_INT64:   number->v.i = g_value_get_int64 (value); break;
    case G_TYPE_UINT64:  number->v.u = g_value_get_uint64 (value); break;
    case G_TYPE_FLOAT:   number->v.d = g_value_get_float (value); break;
    case G_TYPE_DOUBLE:  number->v.d = g_value_get_double (value); break;
    case G_TYPE_ENUM:    number->v.i = g_value_get_enum (value); break;
    case G_TYPE_FLAGS:   number->v.u = g_value_get_flags (value); break;
    default:             g_assert_not_reached ();
    }
}

/* Whether @number is exactly an integer of @row's range; if so, stores it
 * in @number as a signed or unsigned integer. */
static gboolean
fits_integer (Number           *number,
              const NumberType *row)
{
  if (number->kind == NUMBER_FLOATING)
    {
      gdouble d = number->v.d;

      if (!isfinite (d) || d != trunc (d))
        return FALSE;

      /* ±2^63 and 2^64 are exact doubles; past them no 64-bit integer
       * holds the value, and casting it would be undefined. */
      if (d < 0)
        {
          if (d < -9223372036854775808.0)
            return FALSE;
          number->kind = NUMBER_SIGNED;
          number->v.i = (gint64) d;
        }
      else
        {
          if (d >= 18446744073709551616.0)
            return FALSE;
          number->kind = NUMBER_UNSIGNED;
          number->v.u = (guint64) d;
        }
    }

  if (number->kind == NUMBER_SIGNED)
    return number->v.i >= row->min && (number->v.i < 0 || (guint64) number->v.i <= row->max);

  return number->v.u <= row->max;
}

static gdouble
number_as_double (const Number *number)
{
  switch (number->kind)
    {
    case NUMBER_SIGNED:   return (gdouble) number->v.i;
    case NUMBER_UNSIGNED: return (gdouble) number->v.u;
    case NUMBER_FLOATING: return number->v.d;
    default:              g_assert_not_reached ();
    }
}

/* Rounded to the nearest value of the type; never overflowing to an
 * infinity, which a finite number is not. */
static gboolean
fits_floating (const Number     *number,
               const NumberType *row)
{
  gdouble d = number_as_double (number);

  return !isfinite (d) || fabs (d) <= row->max_finite;
}

/* An integer in range becomes an enum or flags value only if it is one of
 * the type's members: GLib's transform makes any integer an enum. */
static gboolean
is_member (const Number *number,
           GType         type)
{
  gboolean member = TRUE;

  if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *enum_class = g_type_class_ref (type);

      member = g_enum_get_value (enum_class, (gint) number->v.i) != NULL;
      g_type_class_unref (enum_class);
    }
  else if (G_TYPE_IS_FLAGS (type))
    {
      GFlagsClass *flags_class = g_type_class_ref (type);

      member = (number->v.u & ~(guint64) flags_class->mask) == 0;
      g_type_class_unref (flags_class);
    }

  return member;
}

static void
write_number (const Number *number,
              GValue       *value)
{
  /* Integers were checked into range, so every cast below is exact. */
  gint64 i = number->kind == NUMBER_SIGNED ? number->v.i : (gint64) number->v.u;
  guint64 u = number->kind == NUMBER_SIGNED ? (guint64) number->v.i : number->v.u;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_BOOLEAN: g_value_set_boolean (value, u != 0); break;
    case G_TYPE_CHAR:    g_value_set_schar (value, (gint8) i); break;
    case G_TYPE_UCHAR:   g_value_set_uchar (value, (guchar) u); break;
    case G_TYPE_INT:     g_value_set_int (value, (gint) i); break;
    case G_TYPE_UINT:    g_value_set_uint (value, (guint) u); break;
    case G_TYPE_LONG:    g_value_set_long (value, (glong) i); break;
    case G_TYPE_ULONG:   g_value_set_ulong (value, (gulong) u); break;
    case G_TYPE_INT64:   g_value_set_int64 (value, i); break;
    case G_TYPE_UINT64:  g_value_set_uint64 (value, u); break;
    case G_TYPE_FLOAT:
      /* Rounded once, from the number itself, not through a double. */
      g_value_set_float (value, number->kind == NUMBER_SIGNED ? (gfloat) number->v.i :
                                number->kind == NUMBER_UNSIGNED ? (gfloat) number->v.u :
                                (gfloat) number->v.d);
      break;
    case G_TYPE_DOUBLE:  g_value_set_double (value, number_as_double (number)); break;
    case G_TYPE_ENUM:    g_value_set_enum (value, (gint) i); break;
    case G_TYPE_FLAGS:   g_value_set_flags (value, (guint) u); break;
    default:             g_assert_not_reached ();
    }
}

/* The shortest text that reads back as the same number, in the C locale:
 * GLib's transform prints "%f", which turns 1e-10 into "0.000000" and
 * 0.5 into "0,500000" in a French locale. */
static char *
number_to_string (const Number *number,
                  gboolean      single)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  switch (number->kind)
    {
    case NUMBER_SIGNED:
      return g_strdup_printf ("%" G_GINT64_FORMAT, number->v.i);

    case NUMBER_UNSIGNED:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, number->v.u);

    case NUMBER_FLOATING:
    default:
      for (int precision = 1; precision <= 17; precision++)
        {
          gdouble back;

          g_snprintf (format, sizeof format, "%%.%dg", precision);
          g_ascii_formatd (buffer, sizeof buffer, format, number->v.d);
          back = g_ascii_strtod (buffer, NULL);
          if (single ? (gfloat) back == (gfloat) number->v.d : back == number->v.d)
            break;
        }
      return g_strdup (buffer);
    }
}

/* Fills @dest, initialized to a type other than @src's, with @src
 * converted; FALSE if it cannot be done without loss. */
gboolean
flyweight_value_convert (const GValue *src,
                         GValue       *dest)
{
  const NumberType *from = find_number_type (G_VALUE_TYPE (src));

  if (from != NULL)
    {
      const NumberType *to = find_number_type (G_VALUE_TYPE (dest));
      Number number = { .kind = from->kind };

      read_number (src, &number);

      if (to != NULL)
        {
          if (to->kind == NUMBER_FLOATING ? !fits_floating (&number, to) : !fits_integer (&number, to))
            return FALSE;

          /* An enum of one type is no value of another. */
          if ((to->fundamental == G_TYPE_ENUM || to->fundamental == G_TYPE_FLAGS) &&
              (from->fundamental == G_TYPE_ENUM || from->fundamental == G_TYPE_FLAGS))
            return FALSE;

          if (!is_member (&number, G_VALUE_TYPE (dest)))
            return FALSE;

          write_number (&number, dest);
          return TRUE;
        }

      if (from->written && G_VALUE_HOLDS_STRING (dest))
        {
          g_value_take_string (dest, number_to_string (&number, from->fundamental == G_TYPE_FLOAT));
          return TRUE;
        }
    }

  if (!g_value_type_transformable (G_VALUE_TYPE (src), G_VALUE_TYPE (dest)) ||
      !g_value_transform (src, dest))
    return FALSE;

  /* GObject "converts" an object to an unrelated class by giving NULL;
   * that is no reading of the attribute. */
  if (G_VALUE_HOLDS_OBJECT (src) && g_value_get_object (src) != NULL &&
      g_value_get_object (dest) == NULL)
    return FALSE;

  return TRUE;
}
