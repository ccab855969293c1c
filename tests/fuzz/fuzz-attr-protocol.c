/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The public attribute protocol under arbitrary input.
 *
 * The input is a program run on four machines, two PokiesDynamic and two
 * PokiesSlotted, each followed by a model of what it must hold. Every call
 * is checked: errors are FLYWEIGHT_ERROR codes with UTF-8 messages, a
 * failed call changes nothing, has_attr() agrees with get_attr(), and
 * list_attrs(), get_dict() and every value match the model. Machines may
 * hold each other, or themselves: clear_attrs() breaks those cycles, so
 * after each input, once every machine is cleared and dropped, no machine,
 * no object and no shape may be left behind.
 *
 * The program is a sequence of operations, each one byte followed by its
 * operands; reading past the end gives zeros, and the program stops there:
 *
 *   op byte:  the low nibble is the operation (see Op, modulo N_OPS),
 *             bits 4-5 the machine (0-1 dynamic, 2-3 slotted)
 *   name:     a byte b; b < 0xc0 picks b % N from a list of valid and
 *             invalid names; otherwise the next (b & 0x3f) bytes are the
 *             name, or 0x3f + the next byte of them when b & 0x3f = 0x3f:
 *             any bytes, the first NUL ends the name
 *   value:    a type byte (see read_value()) and its payload
 *
 * Strings, names and string arrays may be invalid UTF-8 (set_attr refuses
 * such values), a GType value may be G_TYPE_INVALID, and a value may be
 * one of the boxes gjs and PyGObject make for their own objects (stand-ins
 * of the same names here), which set_attr refuses too. Set
 * FLYWEIGHT_FUZZ_TRACE=1 to see the program an input decodes to. */

#include <stdlib.h>
#include <string.h>

#include <glib/gprintf.h>
#include <flyweight.h>

#include "fuzz-common.h"

#include "flyweight-pokies-private.h"
#include "flyweight-shape-private.h"
#include "value-model.h"

#define N_MACHINES    4
#define N_DYNAMIC     2
#define MAX_OPS       200
#define N_OBJECTS     3

typedef enum
{
  OP_SET,
  OP_SET_BOTH,        /* the same name and value on both dynamic machines */
  OP_GET,
  OP_GET_VALUE,       /* get_attr_value() with a conversion */
  OP_DEL,
  OP_HAS,
  OP_LIST,
  OP_DICT,
  OP_RENEW,           /* drop the machine and build a new one */
  OP_SET_AGAIN,       /* set a name the machine already has */
  OP_DEL_LAST,        /* delete the last name set */
  OP_CLEAR,           /* clear_attrs() */
  OP_DISPOSE,         /* g_object_run_dispose(): drops the attributes, silently */
  N_OPS
} Op;

static const char * const name_pool[] = {
  "owner", "colour", "reels", "symbols", "x", "_", "_a", "a-", "ñandú",
  "a٣", "Ω", "jackpot",
  "cafe\xcc\x81", "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
  /* Each of these breaks the naming rule. */
  "__dict__", "__", "", "1a", "a b", "-a", "٣a", "\xff", "a\xc3",
  "\xed\xa0\x80", "\xcc\x81" "e", "a.b", "x\xc2\xb2", "a\xe2\xb8\xaf", "own\xe2\x80\x8d" "er",
};

typedef struct
{
  const guint8 *data;
  size_t        size;
  size_t        pos;
} Reader;

typedef struct
{
  char   *name;
  GValue  value;
} Entry;

typedef struct
{
  FlyweightPokies *machine;
  gboolean         dynamic;
  guint            reels;
  guint            symbols;
  GPtrArray       *model;       /* Entry, in insertion order; dynamic only */
  guint            n_changes;   /* attr-changed */
  guint            n_owner;     /* attr-changed::owner */
} Machine;

static const char * const op_names[N_OPS] = {
  "set", "set-both", "get", "get-value", "del", "has", "list", "dict",
  "renew", "set-again", "del-last", "clear", "dispose",
};

static GObject *objects[N_OBJECTS];
static guint live_shapes;
static gboolean tracing;

/* The machines of the input being run, which values may name. */
static Machine *current_machines;

/* Stand-ins for the boxed types gjs (JSObject) and PyGObject (PyObject)
 * make for their own objects. */
static GType foreign_types[2];
static int foreign_object;

static void trace (const char *format,
                   ...) G_GNUC_PRINTF (1, 2);

/* FLYWEIGHT_FUZZ_TRACE=1 prints the program as it runs, to read a finding. */
static void
trace (const char *format,
       ...)
{
  va_list args;

  if (!tracing)
    return;

  va_start (args, format);
  g_vfprintf (stderr, format, args);
  va_end (args);
}

static char *
escape (const char *name)
{
  return g_strescape (name, NULL);
}

/* ---- reading the input ---- */

static gboolean
reader_done (Reader *r)
{
  return r->pos >= r->size;
}

static guint8
read_byte (Reader *r)
{
  return r->pos < r->size ? r->data[r->pos++] : 0;
}

static void
read_bytes (Reader *r,
            void   *out,
            size_t  n)
{
  size_t available = MIN (n, r->size - MIN (r->pos, r->size));

  memset (out, 0, n);
  if (available > 0)
    memcpy (out, r->data + r->pos, available);
  r->pos += available;
}

static guint32
read_u32 (Reader *r)
{
  guint32 v;

  read_bytes (r, &v, sizeof v);
  return v;
}

static guint64
read_u64 (Reader *r)
{
  guint64 v;

  read_bytes (r, &v, sizeof v);
  return v;
}

/* @n raw bytes, NUL-terminated; an inner NUL ends the string early. */
static char *
read_blob (Reader *r,
           size_t  n)
{
  char *blob = g_malloc (n + 1);

  read_bytes (r, blob, n);
  blob[n] = '\0';
  return blob;
}

static char *
read_name (Reader *r)
{
  guint8 b = read_byte (r);
  size_t length;

  if (b < 0xc0)
    return g_strdup (name_pool[b % G_N_ELEMENTS (name_pool)]);

  length = b & 0x3f;
  if (length == 0x3f)
    length += read_byte (r);

  return read_blob (r, length);
}

static char *
read_string (Reader *r)
{
  return read_blob (r, read_byte (r) % 64);
}

static GVariant *
read_variant (Reader *r)
{
  g_autofree char *type = read_blob (r, read_byte (r) % 16);
  g_autofree char *data = read_blob (r, read_byte (r) % 64);
  g_autoptr(GBytes) bytes = NULL;

  if (!g_variant_type_string_is_valid (type) ||
      !g_variant_type_is_definite (G_VARIANT_TYPE (type)))
    return NULL;

  /* Untrusted data: GVariant checks it and reads bad data as defaults.
   * Through GBytes: g_variant_new_from_data() in GLib 2.74 never frees
   * data of the wrong size for its type. */
  bytes = g_bytes_new (data, strlen (data));
  return g_variant_new_from_bytes (G_VARIANT_TYPE (type), bytes, FALSE);
}

/* Decodes a value; it may be left unset, which set_attr() must refuse. */
static void
read_value (Reader *r,
            GValue *value)
{
  guint8 kind = read_byte (r);

  switch (kind % 30)
    {
    case 0:
      break;
    case 1:
      g_value_init (value, G_TYPE_POINTER);
      g_value_set_pointer (value, GSIZE_TO_POINTER (read_u32 (r)));
      break;
    case 2:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, (gint32) read_u32 (r));
      break;
    case 3:
      g_value_init (value, G_TYPE_UINT);
      g_value_set_uint (value, read_u32 (r));
      break;
    case 4:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, (gint64) read_u64 (r));
      break;
    case 5:
      {
        guint64 bits = read_u64 (r);
        gdouble d;

        memcpy (&d, &bits, sizeof d);
        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, d);
      }
      break;
    case 6:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, read_byte (r) & 1);
      break;
    case 7:
      g_value_init (value, G_TYPE_STRING);
      g_value_take_string (value, read_string (r));
      break;
    case 8:
      g_value_init (value, G_TYPE_STRING);
      break;
    case 9:
      {
        guint8 which = read_byte (r) % (N_OBJECTS + 1);

        g_value_init (value, G_TYPE_OBJECT);
        if (which < N_OBJECTS)
          g_value_set_object (value, objects[which]);
      }
      break;
    case 10:
      {
        guint n = read_byte (r) % 5;
        char **strv = g_new0 (char *, n + 1);

        for (guint i = 0; i < n; i++)
          strv[i] = read_string (r);
        g_value_init (value, G_TYPE_STRV);
        g_value_take_boxed (value, strv);
      }
      break;
    case 11:
      g_value_init (value, G_TYPE_VARIANT);
      g_value_set_variant (value, read_variant (r));
      break;
    case 12:
      g_value_init (value, FLYWEIGHT_TYPE_ERROR);
      g_value_set_enum (value, (gint32) read_u32 (r));
      break;
    case 13:
      g_value_init (value, G_TYPE_BINDING_FLAGS);
      g_value_set_flags (value, read_u32 (r));
      break;
    case 14:
      {
        guint32 bits = read_u32 (r);
        gfloat f;

        memcpy (&f, &bits, sizeof f);
        g_value_init (value, G_TYPE_FLOAT);
        g_value_set_float (value, f);
      }
      break;
    case 15:
      g_value_init (value, G_TYPE_CHAR);
      g_value_set_schar (value, (gint8) read_byte (r));
      break;
    case 16:
      g_value_init (value, G_TYPE_UCHAR);
      g_value_set_uchar (value, read_byte (r));
      break;
    case 17:
      g_value_init (value, G_TYPE_LONG);
      g_value_set_long (value, (glong) read_u64 (r));
      break;
    case 18:
      g_value_init (value, G_TYPE_ULONG);
      g_value_set_ulong (value, (gulong) read_u64 (r));
      break;
    case 19:
      g_value_init (value, G_TYPE_UINT64);
      g_value_set_uint64 (value, read_u64 (r));
      break;
    case 20:
      {
        GType types[] = { G_TYPE_INT, G_TYPE_OBJECT, FLYWEIGHT_TYPE_POKIES_SLOTTED, G_TYPE_NONE, G_TYPE_INVALID };
        GType type = types[read_byte (r) % G_N_ELEMENTS (types)];

        g_value_init (value, G_TYPE_GTYPE);
        g_value_set_gtype (value, type);
      }
      break;
    case 21:
      g_value_init (value, G_TYPE_BYTES);
      if (read_byte (r) & 1)
        {
          g_autofree char *data = read_blob (r, read_byte (r) % 32);

          g_value_take_boxed (value, g_bytes_new (data, strlen (data)));
        }
      break;
    case 22:
      g_value_init (value, FLYWEIGHT_TYPE_RANDOM);
      if (read_byte (r) & 1)
        g_value_set_object (value, objects[0]);
      break;
    case 23:
      {
        GValue inner = G_VALUE_INIT;

        /* A value holding a value: deep-copied by the boxed copy. */
        g_value_init (&inner, G_TYPE_INT);
        g_value_set_int (&inner, (gint32) read_u32 (r));
        g_value_init (value, G_TYPE_VALUE);
        g_value_set_boxed (value, &inner);
        g_value_unset (&inner);
      }
      break;
    case 24:
      g_value_init (value, G_TYPE_ERROR);
      if (read_byte (r) & 1)
        {
          g_autofree char *message = read_string (r);

          g_value_take_boxed (value, g_error_new_literal (FLYWEIGHT_ERROR, read_byte (r), message));
        }
      break;
    case 25:
      g_value_init (value, G_TYPE_PARAM);
      if (read_byte (r) & 1)
        g_value_take_param (value, g_param_spec_ref_sink (g_param_spec_int ("p", NULL, NULL, 0, 10, 5, G_PARAM_READWRITE)));
      break;
    case 26:
      g_value_init (value, G_TYPE_DATE_TIME);
      g_value_take_boxed (value, g_date_time_new_from_unix_utc ((gint64) read_u64 (r)));
      break;
    case 27:
      g_value_init (value, foreign_types[read_byte (r) & 1]);
      g_value_set_static_boxed (value, &foreign_object);
      break;
    case 28:
      /* A machine, perhaps the very one it is set on: cycles. */
      g_value_init (value, FLYWEIGHT_TYPE_POKIES);
      g_value_set_object (value, current_machines[read_byte (r) % N_MACHINES].machine);
      break;
    default:
      g_value_init (value, G_TYPE_GSTRING);
      if (read_byte (r) & 1)
        {
          g_autofree char *s = read_string (r);

          g_value_take_boxed (value, g_string_new (s));
        }
      break;
    }
}

/* ---- comparing ---- */

/* ---- checks ---- */

static void
check_error (const GError *error,
             gint          code)
{
  if (error == NULL)
    g_error ("expected error %d, got none", code);
  if (error->domain != FLYWEIGHT_ERROR)
    g_error ("error outside FLYWEIGHT_ERROR: %s", g_quark_to_string (error->domain));
  if (error->message == NULL || !g_utf8_validate (error->message, -1, NULL))
    g_error ("error message is not UTF-8");
  if (error->code != code)
    g_error ("expected error %d, got %d: %s", code, error->code, error->message);
}

static int
model_find (Machine    *m,
            const char *name)
{
  if (!m->dynamic)
    return -1;

  for (guint i = 0; i < m->model->len; i++)
    if (strcmp (((Entry *) g_ptr_array_index (m->model, i))->name, name) == 0)
      return (int) i;

  return -1;
}

static gboolean
is_dimension (const char *name)
{
  return strcmp (name, "reels") == 0 || strcmp (name, "symbols") == 0;
}

/* The value a machine must hold for @name, or NULL if it has none. */
static const GValue *
expected_value (Machine    *m,
                const char *name,
                GValue     *scratch)
{
  int position;

  if (strcmp (name, "reels") == 0 || strcmp (name, "symbols") == 0)
    {
      g_value_init (scratch, G_TYPE_UINT);
      g_value_set_uint (scratch, name[0] == 'r' ? m->reels : m->symbols);
      return scratch;
    }

  position = model_find (m, name);
  if (position < 0)
    return NULL;

  return &((Entry *) g_ptr_array_index (m->model, position))->value;
}

/* get_attr() and has_attr() of one name against the model. */
static void
check_name (Machine    *m,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) scratch = G_VALUE_INIT;
  gboolean valid = flyweight_attr_name_validate (name, NULL);
  const GValue *expected = valid ? expected_value (m, name, &scratch) : NULL;
  const GValue *got = flyweight_pokies_peek_attr (m->machine, name, &error);
  gboolean has = flyweight_pokies_has_attr (m->machine, name);

  if (has != (got != NULL))
    g_error ("has_attr says %d, get_attr %s", has, got != NULL ? "found it" : error->message);

  if (!valid)
    check_error (error, FLYWEIGHT_ERROR_INVALID_NAME);
  else if (expected == NULL)
    check_error (error, FLYWEIGHT_ERROR_NO_ATTRIBUTE);
  else if (got == NULL)
    g_error ("attribute lost: %s", error->message);
  else if (!values_equal (expected, got))
    g_error ("attribute changed: expected %s, got %s",
             g_strdup_value_contents (expected), g_strdup_value_contents (got));

  if (got != NULL)
    g_assert_no_error (error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
check_dict (Machine *m)
{
  g_autoptr(GVariant) dict = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *got;
  guint i = 0;

  if (!m->dynamic)
    return;

  dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (m->machine));
  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    g_error ("get_dict gave %s", g_variant_get_type_string (dict));
  if (g_variant_n_children (dict) != m->model->len + 2)
    g_error ("get_dict has %zu entries, expected %u", g_variant_n_children (dict), m->model->len + 2);

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &got))
    {
      g_auto(GValue) scratch = G_VALUE_INIT;
      const GValue *value;
      const char *want;
      g_autofree char *why = NULL;

      /* Insertion order: the dimensions first, then the model's. */
      want = i == 0 ? "reels" : i == 1 ? "symbols" : ((Entry *) g_ptr_array_index (m->model, i - 2))->name;
      if (strcmp (key, want) != 0)
        g_error ("get_dict entry %u is “%s”, expected “%s”", i, key, want);

      value = expected_value (m, key, &scratch);
      if (!dict_value_matches (got, value, &why))
        g_error ("get_dict “%s”: %s, got %s", key, why, g_variant_print (got, TRUE));

      g_variant_unref (got);
      i++;
    }
}

static void
check_machine (Machine *m)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (m->machine);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  g_ptr_array_add (expected, (gpointer) "reels");
  g_ptr_array_add (expected, (gpointer) "symbols");
  for (guint i = 0; m->dynamic && i < m->model->len; i++)
    g_ptr_array_add (expected, ((Entry *) g_ptr_array_index (m->model, i))->name);
  g_ptr_array_sort (expected, compare_strings);

  if (g_strv_length (names) != expected->len)
    g_error ("list_attrs has %u names, expected %u", g_strv_length (names), expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      if (strcmp (names[i], g_ptr_array_index (expected, i)) != 0)
        g_error ("list_attrs[%u] is “%s”, expected “%s”", i, names[i],
                 (const char *) g_ptr_array_index (expected, i));
      check_name (m, names[i]);
    }

  if (flyweight_pokies_get_reels (m->machine) != m->reels ||
      flyweight_pokies_get_symbols (m->machine) != m->symbols)
    g_error ("the dimensions changed");

  check_dict (m);
}

/* What a failed call must leave as it was. */
typedef struct
{
  GStrv     names;
  GVariant *dict;
} Snapshot;

/* get_dict() without the addresses in "<TypeName at 0x...>": they name
 * a copy made for the call when the value is a boxed type that copies
 * deeply, so they differ from one call to the next. */
static GVariant *
stable_dict (Machine *m)
{
  g_autoptr(GVariant) dict = flyweight_pokies_dynamic_get_dict (FLYWEIGHT_POKIES_DYNAMIC (m->machine));
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      const char *s = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ? g_variant_get_string (value, NULL) : NULL;
      const char *at = s != NULL && s[0] == '<' ? strstr (s, " at 0x") : NULL;

      if (at != NULL)
        g_variant_builder_add (&builder, "{sv}", key,
                               g_variant_new_take_string (g_strndup (s, at - s)));
      else
        g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
snapshot_take (Machine  *m,
               Snapshot *s)
{
  s->names = flyweight_pokies_list_attrs (m->machine);
  s->dict = m->dynamic ? stable_dict (m) : NULL;
}

static void
snapshot_check (Machine  *m,
                Snapshot *s)
{
  g_auto(GStrv) names = flyweight_pokies_list_attrs (m->machine);

  if (!g_strv_equal ((const char * const *) names, (const char * const *) s->names))
    g_error ("a failed call changed the names");
  if (m->dynamic)
    {
      g_autoptr(GVariant) dict = stable_dict (m);

      if (!g_variant_equal (dict, s->dict))
        g_error ("a failed call changed the attributes");
    }
  g_clear_pointer (&s->names, g_strfreev);
  g_clear_pointer (&s->dict, g_variant_unref);
}

/* ---- machines ---- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_value_unset (&entry->value);
  g_free (entry);
}

static void
changed_cb (FlyweightPokies *machine,
            const char      *name,
            gpointer         user_data)
{
  Machine *m = user_data;

  m->n_changes++;
}

static void
owner_changed_cb (FlyweightPokies *machine,
                  const char      *name,
                  gpointer         user_data)
{
  Machine *m = user_data;

  if (strcmp (name, "owner") != 0)
    g_error ("attr-changed::owner for “%s”", name);
  m->n_owner++;
}

static void
connect_signals (Machine *m)
{
  g_signal_connect (m->machine, "attr-changed", G_CALLBACK (changed_cb), m);
  g_signal_connect (m->machine, "attr-changed::owner", G_CALLBACK (owner_changed_cb), m);
}

static void
machine_new (Machine  *m,
             gboolean  dynamic,
             guint     reels,
             guint     symbols)
{
  g_autoptr(GError) error = NULL;
  gboolean in_range = reels >= 1 && reels <= FLYWEIGHT_POKIES_MAX_REELS &&
                      symbols >= 1 && symbols <= FLYWEIGHT_POKIES_MAX_SYMBOLS;

  m->dynamic = dynamic;
  m->machine = dynamic ? FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, &error))
                       : FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, &error));
  if (!in_range)
    {
      if (m->machine != NULL)
        g_error ("a %u×%u machine was built", reels, symbols);
      check_error (error, FLYWEIGHT_ERROR_INVALID_VALUE);
      reels = 3;
      symbols = 10;
      m->machine = dynamic ? FLYWEIGHT_POKIES (flyweight_pokies_dynamic_new (reels, symbols, NULL))
                           : FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (reels, symbols, NULL));
    }

  g_assert_nonnull (m->machine);
  m->reels = reels;
  m->symbols = symbols;
  m->n_changes = 0;
  m->n_owner = 0;
  m->model = dynamic ? g_ptr_array_new_with_free_func (entry_free) : NULL;
  if (dynamic)
    connect_signals (m);
}

/* Weak pointers to the machines dropped during this input: another
 * machine may still hold one, until it is cleared in its turn. */
static GPtrArray *dropped;

static void
machine_drop (Machine *m)
{
  gpointer *slot = g_new (gpointer, 1);

  g_signal_handlers_disconnect_by_data (m->machine, m);
  *slot = m->machine;
  g_object_add_weak_pointer (G_OBJECT (m->machine), slot);
  g_ptr_array_add (dropped, slot);
  g_clear_object (&m->machine);
  g_clear_pointer (&m->model, g_ptr_array_unref);
}

/* ---- operations ---- */

/* set_attr refuses strings, and string arrays, that are not UTF-8. */
static gboolean
holds_valid_text (const GValue *value)
{
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    return g_utf8_validate (g_value_get_string (value), -1, NULL);

  if (G_VALUE_HOLDS (value, G_TYPE_STRV) && g_value_get_boxed (value) != NULL)
    {
      const char * const *strv = g_value_get_boxed (value);

      for (guint i = 0; strv[i] != NULL; i++)
        if (!g_utf8_validate (strv[i], -1, NULL))
          return FALSE;
    }

  return TRUE;
}

static void
do_set (Machine      *m,
        const char   *name,
        const GValue *value)
{
  g_autoptr(GError) error = NULL;
  guint changes = m->n_changes, owner = m->n_owner;
  gint code = -1;
  Snapshot s = { NULL, NULL };
  gboolean ok;

  if (!flyweight_attr_name_validate (name, NULL))
    code = FLYWEIGHT_ERROR_INVALID_NAME;
  else if (is_dimension (name))
    code = FLYWEIGHT_ERROR_READ_ONLY;
  else if (!G_IS_VALUE (value) ||
           (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)) == G_TYPE_POINTER && G_VALUE_TYPE (value) != G_TYPE_GTYPE) ||
           G_VALUE_TYPE (value) == foreign_types[0] || G_VALUE_TYPE (value) == foreign_types[1] ||
           !holds_valid_text (value))
    code = FLYWEIGHT_ERROR_INVALID_VALUE;
  else if (!m->dynamic)
    code = FLYWEIGHT_ERROR_NO_ATTRIBUTE;

  if (tracing)
    {
      g_autofree char *shown = escape (name);
      g_autofree char *contents = G_IS_VALUE (value) ? g_strdup_value_contents (value) : g_strdup ("(unset)");

      trace ("  set “%s” = %s %s\n", shown, G_IS_VALUE (value) ? G_VALUE_TYPE_NAME (value) : "", contents);
    }

  /* Only a call expected to fail must leave everything as it was. */
  if (code >= 0)
    snapshot_take (m, &s);
  ok = flyweight_pokies_set_attr (m->machine, name, value, &error);

  if (code >= 0)
    {
      if (ok)
        g_error ("set_attr succeeded, expected error %d", code);
      check_error (error, code);
      snapshot_check (m, &s);
      if (m->n_changes != changes)
        g_error ("a failed set_attr emitted attr-changed");
      return;
    }

  if (!ok)
    g_error ("set_attr failed: %s", error->message);
  g_assert_no_error (error);

  if (m->n_changes != changes + 1 || m->n_owner != owner + (strcmp (name, "owner") == 0))
    g_error ("set_attr emitted attr-changed %u times", m->n_changes - changes);

  {
    int position = model_find (m, name);
    Entry *entry;

    if (position >= 0)
      {
        entry = g_ptr_array_index (m->model, position);
        g_value_unset (&entry->value);
      }
    else
      {
        entry = g_new0 (Entry, 1);
        entry->name = g_strdup (name);
        g_ptr_array_add (m->model, entry);
      }
    g_value_init (&entry->value, G_VALUE_TYPE (value));
    g_value_copy (value, &entry->value);
  }
}

static void
do_del (Machine    *m,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  guint changes = m->n_changes;
  int position = model_find (m, name);
  gint code = -1;
  Snapshot s = { NULL, NULL };
  gboolean ok;

  if (!flyweight_attr_name_validate (name, NULL))
    code = FLYWEIGHT_ERROR_INVALID_NAME;
  else if (is_dimension (name))
    code = FLYWEIGHT_ERROR_READ_ONLY;
  else if (position < 0)
    code = FLYWEIGHT_ERROR_NO_ATTRIBUTE;

  if (tracing)
    {
      g_autofree char *shown = escape (name);

      trace ("  del “%s”\n", shown);
    }

  if (code >= 0)
    snapshot_take (m, &s);
  ok = flyweight_pokies_del_attr (m->machine, name, &error);

  if (code >= 0)
    {
      if (ok)
        g_error ("del_attr succeeded, expected error %d", code);
      check_error (error, code);
      snapshot_check (m, &s);
      if (m->n_changes != changes)
        g_error ("a failed del_attr emitted attr-changed");
      return;
    }

  if (!ok)
    g_error ("del_attr failed: %s", error->message);
  if (m->n_changes != changes + 1)
    g_error ("del_attr emitted attr-changed %u times", m->n_changes - changes);
  g_ptr_array_remove_index (m->model, position);
}

/* Every attribute goes, and attr-changed tells about each. */
static void
do_clear (Machine *m)
{
  guint changes = m->n_changes, owner = m->n_owner;
  guint n = m->dynamic ? m->model->len : 0;
  gboolean had_owner = m->dynamic && model_find (m, "owner") >= 0;

  trace ("  clear\n");
  flyweight_pokies_clear_attrs (m->machine);
  if (m->n_changes != changes + n || m->n_owner != owner + had_owner)
    g_error ("clear_attrs emitted attr-changed %u times for %u attributes", m->n_changes - changes, n);
  if (m->dynamic)
    g_ptr_array_set_size (m->model, 0);
  check_machine (m);
}

/* Every attribute goes, without a signal; the machine goes on working.
 * Disposal also disconnects the handlers, which are connected again. */
static void
do_dispose (Machine *m)
{
  guint changes = m->n_changes;

  trace ("  dispose\n");
  g_object_run_dispose (G_OBJECT (m->machine));
  if (m->n_changes != changes)
    g_error ("dispose emitted attr-changed");
  if (m->dynamic)
    {
      g_ptr_array_set_size (m->model, 0);
      connect_signals (m);
    }
  check_machine (m);
}

static GType
read_target_type (Reader *r)
{
  GType types[] = {
    G_TYPE_INVALID, G_TYPE_INT, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_UINT64,
    G_TYPE_DOUBLE, G_TYPE_FLOAT, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_CHAR,
    G_TYPE_UCHAR, G_TYPE_LONG, G_TYPE_ULONG, G_TYPE_OBJECT, G_TYPE_STRV,
    G_TYPE_VARIANT, FLYWEIGHT_TYPE_ERROR, G_TYPE_BINDING_FLAGS, G_TYPE_GTYPE,
    G_TYPE_BYTES, FLYWEIGHT_TYPE_RANDOM, G_TYPE_VALUE,
  };

  return types[read_byte (r) % G_N_ELEMENTS (types)];
}

static void
do_get_value (Machine    *m,
              const char *name,
              GType       type)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) before = G_VALUE_INIT;
  g_auto(GValue) expected = G_VALUE_INIT;
  g_auto(GValue) scratch = G_VALUE_INIT;
  const GValue *stored = flyweight_attr_name_validate (name, NULL) ? expected_value (m, name, &scratch) : NULL;
  gint code = -1;
  gboolean as_text = FALSE;
  Snapshot s;
  gboolean ok;

  if (type != G_TYPE_INVALID)
    {
      g_value_init (&value, type);
      g_value_init (&before, type);
    }

  if (!flyweight_attr_name_validate (name, NULL))
    code = FLYWEIGHT_ERROR_INVALID_NAME;
  else if (stored == NULL)
    code = FLYWEIGHT_ERROR_NO_ATTRIBUTE;
  else
    {
      g_value_init (&expected, type == G_TYPE_INVALID ? G_VALUE_TYPE (stored) : type);
      switch (model_conversion (stored, &expected))
        {
        case MODEL_REFUSED:
          code = FLYWEIGHT_ERROR_INVALID_VALUE;
          break;
        case MODEL_NUMBER_TEXT:
          as_text = TRUE;
          break;
        case MODEL_VALUE:
        default:
          break;
        }
    }

  snapshot_take (m, &s);
  ok = flyweight_pokies_get_attr (m->machine, name, &value, &error);
  snapshot_check (m, &s);

  if (code >= 0)
    {
      if (ok)
        g_error ("get_attr_value succeeded, expected error %d", code);
      check_error (error, code);
      /* Left as it was. */
      if (G_VALUE_TYPE (&value) != type ||
          (type != G_TYPE_INVALID && !values_equal (&value, &before)))
        g_error ("a failed get_attr_value changed the value");
      return;
    }

  if (!ok)
    g_error ("get_attr_value failed: %s", error->message);
  if (as_text)
    {
      if (!model_number_text_matches (stored, g_value_get_string (&value)))
        g_error ("get_attr_value: %s read as “%s”", g_strdup_value_contents (stored),
                 g_value_get_string (&value));
      return;
    }
  if (!values_equal (&expected, &value))
    g_error ("get_attr_value: expected %s, got %s",
             g_strdup_value_contents (&expected), g_strdup_value_contents (&value));
}

static void
run_program (Reader  *r,
             Machine *machines)
{
  for (guint n = 0; n < MAX_OPS && !reader_done (r); n++)
    {
      guint8 op_byte = read_byte (r);
      Machine *m = &machines[(op_byte >> 4) & 3];
      Op op = (op_byte & 0x0f) % N_OPS;

      trace ("%s on machine %u\n", op_names[op], (op_byte >> 4) & 3);
      switch (op)
        {
        case OP_SET:
        case OP_SET_BOTH:
          {
            g_autofree char *name = read_name (r);
            g_auto(GValue) value = G_VALUE_INIT;

            read_value (r, &value);
            if (op == OP_SET_BOTH)
              {
                do_set (&machines[0], name, &value);
                do_set (&machines[1], name, &value);
              }
            else
              {
                do_set (m, name, &value);
              }
            check_name (m, name);
          }
          break;

        case OP_SET_AGAIN:
          if (m->dynamic && m->model->len > 0)
            {
              Entry *entry = g_ptr_array_index (m->model, read_byte (r) % m->model->len);
              g_autofree char *name = g_strdup (entry->name);
              g_auto(GValue) value = G_VALUE_INIT;

              read_value (r, &value);
              do_set (m, name, &value);
              check_name (m, name);
            }
          break;

        case OP_GET:
        case OP_HAS:
          {
            g_autofree char *name = read_name (r);
            Snapshot s;

            snapshot_take (m, &s);
            check_name (m, name);
            snapshot_check (m, &s);
          }
          break;

        case OP_GET_VALUE:
          {
            g_autofree char *name = read_name (r);

            do_get_value (m, name, read_target_type (r));
          }
          break;

        case OP_DEL:
          {
            g_autofree char *name = read_name (r);

            do_del (m, name);
            check_name (m, name);
          }
          break;

        case OP_DEL_LAST:
          if (m->dynamic && m->model->len > 0)
            {
              g_autofree char *name = g_strdup (((Entry *) g_ptr_array_index (m->model, m->model->len - 1))->name);

              do_del (m, name);
            }
          break;

        case OP_LIST:
        case OP_DICT:
          check_machine (m);
          break;

        case OP_CLEAR:
          do_clear (m);
          break;

        case OP_DISPOSE:
          do_dispose (m);
          break;

        case OP_RENEW:
          {
            gboolean dynamic = m->dynamic;
            guint reels = read_byte (r) * 8;
            guint symbols = read_u32 (r) % (FLYWEIGHT_POKIES_MAX_SYMBOLS + 2);

            /* Cleared first: it may hold itself. */
            do_clear (m);
            machine_drop (m);
            machine_new (m, dynamic, reels, symbols);
          }
          break;

        case N_OPS:
        default:
          g_assert_not_reached ();
        }
    }
}

static gpointer
foreign_copy (gpointer boxed)
{
  return boxed;
}

static void
foreign_free (gpointer boxed)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical is a bug the fuzzer found. */
  g_log_set_writer_func (fuzz_abort_on_warning_writer, NULL, NULL);
  tracing = g_strcmp0 (g_getenv ("FLYWEIGHT_FUZZ_TRACE"), "1") == 0;

  objects[0] = G_OBJECT (flyweight_random_new (7));
  objects[1] = g_object_new (G_TYPE_OBJECT, NULL);
  objects[2] = G_OBJECT (FLYWEIGHT_POKIES (flyweight_pokies_slotted_new (2, 2, NULL)));
  foreign_types[0] = g_boxed_type_register_static ("JSObject", foreign_copy, foreign_free);
  foreign_types[1] = g_boxed_type_register_static ("PyObject", foreign_copy, foreign_free);
  dropped = g_ptr_array_new ();

  /* The immortal empty shape every store starts from is made on first
   * use; make it before counting. */
  flyweight_shape_get_empty ();
  live_shapes = flyweight_shape_count_live ();

  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Machine machines[N_MACHINES];
  Reader r = { data, size, 0 };

  for (guint i = 0; i < N_MACHINES; i++)
    machine_new (&machines[i], i < N_DYNAMIC, 3, 10);
  current_machines = machines;

  run_program (&r, machines);

  /* Clearing breaks every cycle; then nothing may stay alive. */
  for (guint i = 0; i < N_MACHINES; i++)
    {
      check_machine (&machines[i]);
      do_clear (&machines[i]);
    }
  for (guint i = 0; i < N_MACHINES; i++)
    machine_drop (&machines[i]);
  for (guint i = 0; i < dropped->len; i++)
    {
      gpointer *slot = g_ptr_array_index (dropped, i);

      if (*slot != NULL)
        g_error ("a dropped machine is still alive");
      g_free (slot);
    }
  g_ptr_array_set_size (dropped, 0);

  /* Nothing kept: no reference on our objects, no shape. */
  for (guint i = 0; i < N_OBJECTS; i++)
    if (g_atomic_int_get ((gint *) &objects[i]->ref_count) != 1)
      g_error ("object %u kept with %u references", i, objects[i]->ref_count);
  if (flyweight_shape_count_live () != live_shapes)
    g_error ("%u shapes live after every machine was dropped, expected %u",
             flyweight_shape_count_live (), live_shapes);

  return 0;
}
