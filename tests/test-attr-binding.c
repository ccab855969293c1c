/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* FlyweightAttrBinding: an attribute of a machine bound to a property,
 * one way and both ways, through views and PokiesDynamic, and its end
 * when either object goes. */

#include <flyweight.h>

/* A target with a string, a boolean and an int property, like a label. */
typedef struct
{
  GObject   parent_instance;
  char     *text;
  gboolean  active;
  gint      count;
  guint     n_text_sets;
} Label;

typedef struct
{
  GObjectClass parent_class;
} LabelClass;

static GType label_get_type (void);
G_DEFINE_TYPE (Label, label, G_TYPE_OBJECT)

enum { PROP_0, PROP_TEXT, PROP_ACTIVE, PROP_COUNT, N_PROPS };
static GParamSpec *label_props[N_PROPS];

static void
label_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
  Label *self = (Label *) object;

  switch (prop_id)
    {
    case PROP_TEXT:
      if (g_strcmp0 (self->text, g_value_get_string (value)) == 0)
        return;
      g_free (self->text);
      self->text = g_value_dup_string (value);
      self->n_text_sets++;
      break;
    case PROP_ACTIVE:
      self->active = g_value_get_boolean (value);
      break;
    case PROP_COUNT:
      self->count = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
label_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  Label *self = (Label *) object;

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_COUNT:
      g_value_set_int (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
label_finalize (GObject *object)
{
  g_free (((Label *) object)->text);
  G_OBJECT_CLASS (label_parent_class)->finalize (object);
}

static void
label_class_init (LabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = label_set_property;
  object_class->get_property = label_get_property;
  object_class->finalize = label_finalize;

  label_props[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "(none)",
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  label_props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  label_props[PROP_COUNT] = g_param_spec_int ("count", NULL, NULL, -100, 100, 0,
                                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, label_props);
}

static void
label_init (Label *self)
{
  self->text = g_strdup ("(none)");
}

static void
set_string (FlyweightPokies *machine,
            const char      *name,
            const char      *string)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);
  g_assert_true (flyweight_pokies_set_attr (machine, name, &value, NULL));
}

static void
test_one_way (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightPokiesView) view = NULL;
  Label *label = g_object_new (label_get_type (), NULL);
  FlyweightAttrBinding *binding;
  const char *owners[] = { "a", "b", "c" };

  g_assert_true (flyweight_pokies_store_append_many (store, 3, 3, 10, NULL));
  view = flyweight_pokies_store_get_view (store, 1);
  set_string (FLYWEIGHT_POKIES (view), "owner", "Aristocrat");

  /* Without SYNC_CREATE the property waits for a change. */
  binding = flyweight_attr_binding_bind (FLYWEIGHT_POKIES (view), "owner", G_OBJECT (label), "text", 0);
  g_assert_cmpstr (label->text, ==, "(none)");
  g_assert_cmpstr (flyweight_attr_binding_get_name (binding), ==, "owner");
  g_assert_cmpstr (flyweight_attr_binding_get_target_property (binding), ==, "text");
  g_assert_cmpint (flyweight_attr_binding_get_flags (binding), ==, 0);

  set_string (FLYWEIGHT_POKIES (view), "owner", "Konami");
  g_assert_cmpstr (label->text, ==, "Konami");

  /* Changes in bulk reach it too; other attributes do not. */
  g_assert_true (flyweight_pokies_store_set_attr_strings (store, "owner", 0, owners, 3, NULL));
  g_assert_cmpstr (label->text, ==, "b");
  set_string (FLYWEIGHT_POKIES (view), "colour", "red");
  g_assert_cmpstr (label->text, ==, "b");

  /* No attribute: the property's default. */
  g_assert_true (flyweight_pokies_del_attr (FLYWEIGHT_POKIES (view), "owner", NULL));
  g_assert_cmpstr (label->text, ==, "(none)");

  /* Numbers convert as GBinding converts them. */
  {
    g_auto (GValue) value = G_VALUE_INIT;
    g_autoptr(FlyweightPokiesDynamic) dynamic = flyweight_pokies_dynamic_new (3, 10, NULL);

    g_value_init (&value, G_TYPE_INT);
    g_value_set_int (&value, 42);
    g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (dynamic), "level", &value, NULL));
    flyweight_attr_binding_bind (FLYWEIGHT_POKIES (dynamic), "level", G_OBJECT (label), "count",
                                 G_BINDING_SYNC_CREATE);
    g_assert_cmpint (label->count, ==, 42);
    g_value_set_int (&value, -7);
    g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (dynamic), "level", &value, NULL));
    g_assert_cmpint (label->count, ==, -7);
  }

  {
    g_autoptr(FlyweightPokies) source = flyweight_attr_binding_dup_source (binding);
    g_autoptr(GObject) target = flyweight_attr_binding_dup_target (binding);

    g_assert_true (source == FLYWEIGHT_POKIES (view));
    g_assert_true (target == G_OBJECT (label));
  }

  flyweight_attr_binding_unbind (binding);
  set_string (FLYWEIGHT_POKIES (view), "owner", "IGT");
  g_assert_cmpstr (label->text, ==, "(none)");

  g_assert_finalize_object (label);
}

static void
test_both_ways (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  g_autoptr(FlyweightPokiesView) view = NULL;
  g_autoptr(FlyweightAttrBinding) text_binding = NULL;
  Label *label = g_object_new (label_get_type (), NULL);
  g_auto (GValue) value = G_VALUE_INIT;

  g_assert_true (flyweight_pokies_store_append_many (store, 3, 3, 10, NULL));
  view = flyweight_pokies_store_get_view (store, 2);
  set_string (FLYWEIGHT_POKIES (view), "owner", "Aristocrat");

  text_binding = g_object_ref (flyweight_attr_binding_bind (FLYWEIGHT_POKIES (view), "owner",
                                                            G_OBJECT (label), "text",
                                                            G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL));
  g_assert_cmpstr (label->text, ==, "Aristocrat");
  g_assert_cmpuint (label->n_text_sets, ==, 1);

  /* An edit goes back to the row, once. */
  g_object_set (label, "text", "Ainsworth", NULL);
  g_assert_cmpuint (label->n_text_sets, ==, 2);
  {
    g_autoptr(FlyweightPokiesView) again = NULL;

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_static_string (&value, "Ainsworth");
    g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", &value, NULL), ==, 1);
    g_value_unset (&value);
    again = flyweight_pokies_store_get_view (store, 2);
    g_assert_true (again == view);
  }

  /* Booleans, inverted both ways. */
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, TRUE);
  g_assert_true (flyweight_pokies_set_attr (FLYWEIGHT_POKIES (view), "broken", &value, NULL));
  flyweight_attr_binding_bind (FLYWEIGHT_POKIES (view), "broken", G_OBJECT (label), "active",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL | G_BINDING_INVERT_BOOLEAN);
  g_assert_false (label->active);
  g_object_set (label, "active", TRUE, NULL);
  g_value_unset (&value);
  g_assert_true (flyweight_pokies_get_attr (FLYWEIGHT_POKIES (view), "broken", &value, NULL));
  g_assert_false (g_value_get_boolean (&value));

  /* The target goes: the binding ends by itself, and the row stays. */
  g_assert_finalize_object (label);
  g_assert_null (flyweight_attr_binding_dup_target (text_binding));
  g_assert_null (flyweight_attr_binding_dup_source (text_binding));
  set_string (FLYWEIGHT_POKIES (view), "owner", "IGT");
  flyweight_attr_binding_unbind (text_binding);
}

static void
test_source_goes (void)
{
  g_autoptr(FlyweightPokiesStore) store = flyweight_pokies_store_new ();
  FlyweightPokiesView *view;
  Label *label = g_object_new (label_get_type (), NULL);
  GWeakRef weak;

  g_assert_true (flyweight_pokies_store_append_many (store, 1, 3, 10, NULL));
  view = flyweight_pokies_store_get_view (store, 0);
  g_weak_ref_init (&weak, flyweight_attr_binding_bind (FLYWEIGHT_POKIES (view), "owner", G_OBJECT (label),
                                                       "text", G_BINDING_BIDIRECTIONAL));

  /* The binding holds neither: the view goes, and the binding with it. */
  g_assert_finalize_object (view);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  g_object_set (label, "text", "nobody listens", NULL);
  g_assert_cmpuint (flyweight_pokies_store_count_attr (store, "owner", NULL, NULL), ==, 0);

  g_assert_finalize_object (label);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attr-binding/one-way", test_one_way);
  g_test_add_func ("/attr-binding/both-ways", test_both_ways);
  g_test_add_func ("/attr-binding/source-goes", test_source_goes);

  return g_test_run ();
}
