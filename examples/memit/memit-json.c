/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "memit-json.h"

/* Just enough JSON for the tools: writing with proper escaping, and
 * reading the one flat object of numbers and strings that each child
 * process prints. */

/**
 * memit_json_append_string:
 *
 * Appends @value as a quoted JSON string. Invalid UTF-8 is replaced, so
 * the output is always valid JSON.
 */
void
memit_json_append_string (GString    *out,
                          const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/**
 * memit_json_append_number:
 *
 * Appends @value in the C locale; NaN and infinities become `null`.
 */
void
memit_json_append_number (GString *out,
                          double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  if (value == floor (value) && fabs (value) < 1e15)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
  else
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

typedef struct
{
  const char *p;
} Parser;

static void
skip_space (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r')
    parser->p++;
}

static gboolean
parse_hex4 (const char *p,
            gunichar   *out)
{
  gunichar value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (gunichar) digit;
    }

  *out = value;
  return TRUE;
}

static char *
parse_string (Parser *parser)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (*parser->p != '"')
    return NULL;
  parser->p++;

  while (*parser->p != '"')
    {
      if (*parser->p == '\0' || (guchar) *parser->p < 0x20)
        return NULL;

      if (*parser->p != '\\')
        {
          g_string_append_c (out, *parser->p++);
          continue;
        }

      parser->p++;
      switch (*parser->p)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c, low;

            if (!parse_hex4 (parser->p + 1, &c))
              return NULL;
            parser->p += 4;

            if (c >= 0xD800 && c < 0xDC00)
              {
                if (parser->p[1] != '\\' || parser->p[2] != 'u' ||
                    !parse_hex4 (parser->p + 3, &low) || low < 0xDC00 || low > 0xDFFF)
                  return NULL;
                parser->p += 6;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              return NULL;

            g_string_append_unichar (out, c);
          }
          break;
        default:
          return NULL;
        }
      parser->p++;
    }
  parser->p++;

  if (!g_utf8_validate (out->str, out->len, NULL))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GVariant *
parse_value (Parser   *parser,
             gboolean *is_null)
{
  *is_null = FALSE;

  if (*parser->p == '"')
    {
      char *text = parse_string (parser);

      return text != NULL ? g_variant_new_take_string (text) : NULL;
    }

  if (g_str_has_prefix (parser->p, "true"))
    {
      parser->p += 4;
      return g_variant_new_boolean (TRUE);
    }

  if (g_str_has_prefix (parser->p, "false"))
    {
      parser->p += 5;
      return g_variant_new_boolean (FALSE);
    }

  if (g_str_has_prefix (parser->p, "null"))
    {
      parser->p += 4;
      *is_null = TRUE;
      return NULL;
    }

  if (*parser->p == '-' || g_ascii_isdigit (*parser->p))
    {
      char *end = NULL;
      double number = g_ascii_strtod (parser->p, &end);

      if (end == parser->p)
        return NULL;
      parser->p = end;
      return g_variant_new_double (number);
    }

  return NULL;
}

/**
 * memit_json_parse_flat:
 *
 * Parses one JSON object whose values are numbers, strings, booleans or
 * null (nested values are refused).
 *
 * Returns: (transfer full): key → floating-free #GVariant of type `d`,
 *   `s` or `b`; null members are left out
 */
GHashTable *
memit_json_parse_flat (const char  *text,
                       GError     **error)
{
  g_autoptr(GHashTable) object = NULL;
  Parser parser = { text };

  object = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_variant_unref);

  skip_space (&parser);
  if (*parser.p++ != '{')
    goto fail;

  skip_space (&parser);
  if (*parser.p == '}')
    parser.p++;
  else
    for (;;)
      {
        g_autofree char *key = NULL;
        GVariant *value;
        gboolean is_null;

        skip_space (&parser);
        key = parse_string (&parser);
        if (key == NULL)
          goto fail;

        skip_space (&parser);
        if (*parser.p++ != ':')
          goto fail;

        skip_space (&parser);
        value = parse_value (&parser, &is_null);
        if (value == NULL && !is_null)
          goto fail;
        if (value != NULL)
          g_hash_table_replace (object, g_steal_pointer (&key), g_variant_ref_sink (value));

        skip_space (&parser);
        if (*parser.p == ',')
          {
            parser.p++;
            continue;
          }
        if (*parser.p++ != '}')
          goto fail;
        break;
      }

  skip_space (&parser);
  if (*parser.p != '\0')
    goto fail;

  return g_steal_pointer (&object);

fail:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("Malformed JSON at byte %d"), (int) (parser.p - text));
  return NULL;
}

gboolean
memit_json_lookup_number (GHashTable *object,
                          const char *key,
                          double     *value)
{
  GVariant *variant = g_hash_table_lookup (object, key);

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_DOUBLE))
    return FALSE;

  *value = g_variant_get_double (variant);
  return TRUE;
}

const char *
memit_json_lookup_string (GHashTable *object,
                          const char *key)
{
  GVariant *variant = g_hash_table_lookup (object, key);

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
    return NULL;

  return g_variant_get_string (variant, NULL);
}
