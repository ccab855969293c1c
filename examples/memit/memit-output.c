/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "memit-output.h"

/* What flyweight-memit and the bench print: aligned tables and JSON. */

/**
 * memit_append_columns:
 * @cells: (element-type utf8): the header, then the rows, @n_columns each
 * @alignment: one letter per column, `l` to align it to the left, `r` to
 *   the right
 *
 * Appends @cells to @out as a table, a rule under its header. Pads by
 * characters, not bytes, so that translated headers line up.
 */
void
memit_append_columns (GString    *out,
                      GPtrArray  *cells,
                      const char *alignment)
{
  guint n_columns = (guint) strlen (alignment);
  g_autofree gsize *widths = g_new0 (gsize, n_columns);
  gsize total = 2 * (n_columns - 1);

  for (guint i = 0; i < cells->len; i++)
    widths[i % n_columns] = MAX (widths[i % n_columns],
                                 (gsize) g_utf8_strlen (g_ptr_array_index (cells, i), -1));
  for (guint c = 0; c < n_columns; c++)
    total += widths[c];

  for (guint i = 0; i < cells->len; i += n_columns)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *cell = g_ptr_array_index (cells, i + c);
          int pad = (int) (widths[c] - (gsize) g_utf8_strlen (cell, -1));

          if (c > 0)
            g_string_append (line, "  ");
          if (alignment[c] == 'r')
            g_string_append_printf (line, "%*s%s", pad, "", cell);
          else
            g_string_append_printf (line, "%s%*s", cell, pad, "");
        }
      g_string_append_printf (out, "%s\n", g_strchomp (line->str));

      for (gsize k = 0; i == 0 && k < total; k++)
        g_string_append (out, "─");
      if (i == 0)
        g_string_append_c (out, '\n');
    }
}

/* A number, or null where there is none (a ratio to a missing row). */
void
memit_json_set_number (JsonObject *object,
                       const char *name,
                       double      value)
{
  if (isfinite (value))
    json_object_set_double_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

void
memit_json_set_string (JsonObject *object,
                       const char *name,
                       const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* Pretty-printed, with a final newline. */
char *
memit_json_to_data (JsonObject *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *data = NULL;

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);
  data = json_generator_to_data (generator, NULL);

  return g_strconcat (data, "\n", NULL);
}
