/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "flyweight-attr-name.h"
#include "flyweight-error.h"
#include "flyweight-i18n-private.h"

/**
 * flyweight_attr_name_validate:
 * @name: a candidate attribute name
 * @error: return location for a #GError
 *
 * Checks @name against the rule every attribute name follows.
 *
 * A valid name is valid UTF-8 of 1 to %FLYWEIGHT_ATTR_NAME_MAX_LENGTH bytes;
 * it starts with a letter or `_` and goes on with letters, digits, `_` or
 * `-`, so that it can also serve as a signal detail and reads like an
 * identifier in C, Python and JavaScript. Names starting with `__` are
 * reserved for the attribute protocol itself, as Python reserves its dunder
 * names. Letters and digits are Unicode letters and digits.
 *
 * Every attribute call checks its name this way, and fails with
 * %FLYWEIGHT_ERROR_INVALID_NAME on a name that breaks the rule.
 *
 * Returns: %TRUE if @name is a valid attribute name
 *
 * Since: 1.0
 */
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

/* Quotes a valid UTF-8 name for a message: readable letters stay as they
 * are, while control and invisible formatting characters (escape
 * sequences, bidirectional overrides) are shown as \u{XXXX} so that a
 * hostile name cannot rewrite the terminal or the log it is printed to. */
static char *
quote_name (const char *name)
{
  GString *quoted = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_printf (quoted, "\\u{%04X}", c);
      else
        g_string_append_unichar (quoted, c);
    }

  return g_string_free (quoted, FALSE);
}

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
      gboolean ok;

      if (p == name)
        ok = c == '_' || g_unichar_isalpha (c);
      else
        ok = c == '_' || c == '-' || g_unichar_isalnum (c);

      if (!ok)
        {
          g_autofree char *quoted = quote_name (name);

          g_set_error (error, FLYWEIGHT_ERROR, FLYWEIGHT_ERROR_INVALID_NAME,
                       _("Attribute name “%s” is invalid: use letters, digits, “_” and “-”, starting with a letter or “_”"),
                       quoted);
          return FALSE;
        }
    }

  return TRUE;
}
