/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "flyweight-attr-name.h"
#include "flyweight-error.h"
#include "flyweight-i18n-private.h"

/* Every attribute call checks its name, so the common case — a short
 * ASCII identifier — is decided in one pass over the bytes. */
static gboolean
is_plain_ascii_name (const char *name)
{
  const char *p = name;

  if (!(g_ascii_isalpha (*p) || (*p == '_' && p[1] != '_')))
    return FALSE;

  for (p++; *p != '\0'; p++)
    {
      if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
        return FALSE;
      if (p - name >= FLYWEIGHT_ATTR_NAME_MAX_LENGTH)
        return FALSE;
    }

  return TRUE;
}

/* The Unicode identifier rule of UAX #31, as Python 3 and JavaScript apply
 * it: XID_Start, then XID_Continue. GLib has no such property, so it is
 * derived as UAX #31 defines it, from the general categories GLib knows
 * and three short lists taken from the Unicode 15.0 PropList.txt and
 * DerivedCoreProperties.txt (the version GLib 2.74 implements):
 *
 *   ID_Start     = L + Nl + Other_ID_Start - Pattern_Syntax
 *   ID_Continue  = ID_Start + Mn + Mc + Nd + Pc + Other_ID_Continue
 *                  - Pattern_Syntax
 *   XID_Start    = ID_Start - the characters that NFKC turns into
 *                  something that is not one
 *   XID_Continue = ID_Continue - the same, but for four of them
 *
 * No Pattern_White_Space character is in these categories, and the only
 * Pattern_Syntax one is U+2E2F VERTICAL TILDE (Lm). Unicode 15.1 added the
 * invisible joiners U+200C and U+200D to Other_ID_Continue; they stay out
 * here, as every invisible character does. */
static const gunichar other_id_start[] = {
  0x1885, 0x1886, 0x2118, 0x212E, 0x309B, 0x309C,
};

static const gunichar other_id_continue[] = {
  0x00B7, 0x0387, 0x1369, 0x136A, 0x136B, 0x136C, 0x136D, 0x136E, 0x136F,
  0x1370, 0x1371, 0x19DA,
};

/* Not XID_Start, nor XID_Continue. */
static const gunichar not_xid[] = {
  0x037A, 0x309B, 0x309C, 0xFC5E, 0xFC5F, 0xFC60, 0xFC61, 0xFC62, 0xFC63,
  0xFDFA, 0xFDFB, 0xFE70, 0xFE72, 0xFE74, 0xFE76, 0xFE78, 0xFE7A, 0xFE7C,
  0xFE7E,
};

/* Not XID_Start, but XID_Continue. */
static const gunichar not_xid_start[] = {
  0x0E33, 0x0EB3, 0xFF9E, 0xFF9F,
};

#define PATTERN_SYNTAX_LETTER 0x2E2F

static gboolean
is_listed (gunichar        c,
           const gunichar *list,
           gsize           n)
{
  for (gsize i = 0; i < n; i++)
    if (list[i] == c)
      return TRUE;

  return FALSE;
}

static gboolean
is_id_start_category (GUnicodeType type)
{
  switch ((int) type)
    {
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_LETTER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_xid_continue (gunichar c)
{
  GUnicodeType type;

  if (c == PATTERN_SYNTAX_LETTER || is_listed (c, not_xid, G_N_ELEMENTS (not_xid)))
    return FALSE;

  type = g_unichar_type (c);

  return is_id_start_category (type) ||
         type == G_UNICODE_NON_SPACING_MARK ||
         type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_DECIMAL_NUMBER ||
         type == G_UNICODE_CONNECT_PUNCTUATION ||
         is_listed (c, other_id_start, G_N_ELEMENTS (other_id_start)) ||
         is_listed (c, other_id_continue, G_N_ELEMENTS (other_id_continue));
}

static gboolean
is_xid_start (gunichar c)
{
  if (c == PATTERN_SYNTAX_LETTER ||
      is_listed (c, not_xid, G_N_ELEMENTS (not_xid)) ||
      is_listed (c, not_xid_start, G_N_ELEMENTS (not_xid_start)))
    return FALSE;

  return is_id_start_category (g_unichar_type (c)) ||
         is_listed (c, other_id_start, G_N_ELEMENTS (other_id_start));
}

/* Quotes valid UTF-8 for a message: readable characters stay as they are,
 * while control, invisible formatting and line-breaking characters
 * (escape sequences, bidirectional overrides) are shown as \u{XXXX}, so
 * that a hostile name cannot rewrite the terminal or the log it is
 * printed to. */
static char *
quote_name (const char *name)
{
  GString *quoted = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_iscntrl (c) || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_printf (quoted, "\\u{%04X}", c);
      else
        g_string_append_unichar (quoted, c);
    }

  return g_string_free (quoted, FALSE);
}

/**
 * flyweight_attr_name_validate:
 * @name: a candidate attribute name
 * @error: return location for a #GError
 *
 * Checks @name against the rule every attribute name follows.
 *
 * A valid name is valid UTF-8 of 1 to %FLYWEIGHT_ATTR_NAME_MAX_LENGTH
 * bytes that reads as an identifier in Python 3 and JavaScript, by the
 * Unicode rule they share (UAX #31): it starts with a letter or `_`
 * (Unicode XID_Start) and goes on with letters, combining marks, digits
 * and `_` (XID_Continue). So `owner`, `größe`, `café` in either Unicode
 * form, and words of scripts written with combining marks such as
 * `नमस्ते`, `สวัสดี` or `வணக்கம்` are names; `x²`, `1st`, `a b` and names
 * with control or invisible characters are not. A name is taken as it is,
 * never normalized: `café` composed and `café` decomposed are two names.
 *
 * Two rules are the library's own: `-` may follow the first character, as
 * in GObject property names (`jackpot-size`), and names starting with `__`
 * are reserved for the attribute protocol itself, as Python reserves its
 * dunder names.
 *
 * Every attribute call checks its name this way, and fails with
 * %FLYWEIGHT_ERROR_INVALID_NAME on a name that breaks the rule; the
 * message says which character broke it, and what the rule is.
 *
 * Names reach the library as C strings, which end at the first NUL. The
 * Python binding refuses a `str` holding a NUL with
 * %FLYWEIGHT_ERROR_INVALID_NAME; gjs 1.74 passes what comes before it, so
 * `'own\0er'` from JavaScript is the name `own`.
 *
 * Returns: %TRUE if @name is a valid attribute name
 *
 * Since: 1.0
 */
gboolean
flyweight_attr_name_validate (const char  *name,
                              GError     **error)
{
  const char *end;
  gsize length;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (is_plain_ascii_name (name))
    return TRUE;

  flyweight_i18n_init ();

  length = strnlen (name, FLYWEIGHT_ATTR_NAME_MAX_LENGTH + 1);

  if (length == 0)
    {
      g_set_error_literal (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                           _("Attribute names cannot be empty"));
      return FALSE;
    }

  if (length > FLYWEIGHT_ATTR_NAME_MAX_LENGTH)
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                   _("Attribute names are limited to %d bytes"),
                   FLYWEIGHT_ATTR_NAME_MAX_LENGTH);
      return FALSE;
    }

  if (!g_utf8_validate (name, length, &end))
    {
      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                   _("Attribute name is not valid UTF-8 (at byte %d)"),
                   (int) (end - name));
      return FALSE;
    }

  if (name[0] == '_' && name[1] == '_')
    {
      g_autofree char *quoted = quote_name (name);

      g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                   _("Attribute name “%s” is reserved: names starting with “__” belong to the attribute protocol"),
                   quoted);
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean first = p == name;
      char character[8] = { 0, };
      g_autofree char *quoted = NULL;
      g_autofree char *quoted_character = NULL;

      if (first ? (c == '_' || is_xid_start (c)) : (c == '-' || is_xid_continue (c)))
        continue;

      quoted = quote_name (name);
      g_unichar_to_utf8 (c, character);
      quoted_character = quote_name (character);

      if (first)
        g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                     _("Attribute name “%s” cannot start with “%s” (U+%04X): a name starts with a letter "
                       "or “_”, as an identifier does in Python and JavaScript (Unicode XID_Start)"),
                     quoted, quoted_character, c);
      else
        g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                     _("Attribute name “%s” cannot contain “%s” (U+%04X): after its first character, a "
                       "name holds letters, combining marks, digits, “_” and “-” (Unicode XID_Continue)"),
                     quoted, quoted_character, c);
      return FALSE;
    }

  return TRUE;
}
