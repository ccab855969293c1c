/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-attr-binding.h"
#include "flyweight-attr-name.h"

/**
 * FlyweightAttrBinding:
 *
 * Binds an attribute of a machine to a property of another object, as
 * `GBinding` binds two properties: `g_object_bind_property()` for the
 * attribute protocol.
 *
 * Attributes are not GObject properties — each machine may have its own —
 * so a widget cannot bind to `owner` directly. A binding sets the target
 * property from the attribute, converting the value as `GBinding` does,
 * and again whenever the machine emits `attr-changed` for it (as
 * [class@Flyweight.PokiesView] and [class@Flyweight.PokiesDynamic] do).
 * When the machine has no such attribute, the property takes its default
 * value. With %G_BINDING_BIDIRECTIONAL, a change of the property is
 * written back with [method@Flyweight.Pokies.set_attr].
 *
 * In a GTK list item factory, bind in `bind` and unbind in `unbind`:
 *
 * ```python
 * def on_bind(factory, list_item):
 *     list_item.binding = Flyweight.AttrBinding.bind(
 *         list_item.get_item(), 'owner', list_item.get_child(), 'text',
 *         GObject.BindingFlags.SYNC_CREATE | GObject.BindingFlags.BIDIRECTIONAL)
 *
 * def on_unbind(factory, list_item):
 *     list_item.binding.unbind()
 * ```
 *
 * Like `GBinding`, the binding holds neither object: it ends by itself
 * when either is finalized, and updates in the thread that emitted the
 * change.
 *
 * Since: 1.0
 */
struct _FlyweightAttrBinding
{
  GObject          parent_instance;

  FlyweightPokies *source;   /* weak */
  GObject         *target;   /* weak */
  char            *name;
  GParamSpec      *target_pspec;
  GBindingFlags    flags;
  gulong           attr_handler;
  gulong           notify_handler;
  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (FlyweightAttrBinding, flyweight_attr_binding, G_TYPE_OBJECT)

static void source_gone_cb (gpointer  data,
                            GObject  *where_the_object_was);
static void target_gone_cb (gpointer  data,
                            GObject  *where_the_object_was);

static gboolean
convert_value (const GValue *from,
               GValue       *to)
{
  if (G_VALUE_TYPE (from) == G_VALUE_TYPE (to))
    {
      g_value_copy (from, to);
      return TRUE;
    }

  return g_value_type_transformable (G_VALUE_TYPE (from), G_VALUE_TYPE (to)) &&
         g_value_transform (from, to);
}

static void
invert_boolean (FlyweightAttrBinding *self,
                GValue               *value)
{
  if ((self->flags & G_BINDING_INVERT_BOOLEAN) && G_VALUE_HOLDS_BOOLEAN (value))
    g_value_set_boolean (value, !g_value_get_boolean (value));
}

static void
push_to_target (FlyweightAttrBinding *self)
{
  g_auto (GValue) attr = G_VALUE_INIT;
  g_auto (GValue) property = G_VALUE_INIT;

  if (self->source == NULL || self->target == NULL || self->updating)
    return;

  g_value_init (&property, self->target_pspec->value_type);

  if (flyweight_pokies_get_attr (self->source, self->name, &attr, NULL))
    {
      if (!convert_value (&attr, &property))
        {
          g_warning ("Unable to convert attribute “%s” of type %s to property “%s” of type %s",
                     self->name, G_VALUE_TYPE_NAME (&attr),
                     self->target_pspec->name, g_type_name (self->target_pspec->value_type));
          return;
        }
      invert_boolean (self, &property);
    }
  else
    g_param_value_set_default (self->target_pspec, &property);

  self->updating = TRUE;
  g_object_set_property (self->target, self->target_pspec->name, &property);
  self->updating = FALSE;
}

static void
push_to_source (FlyweightAttrBinding *self)
{
  g_auto (GValue) property = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (self->source == NULL || self->target == NULL || self->updating)
    return;

  g_value_init (&property, self->target_pspec->value_type);
  g_object_get_property (self->target, self->target_pspec->name, &property);
  invert_boolean (self, &property);

  self->updating = TRUE;
  if (!flyweight_pokies_set_attr (self->source, self->name, &property, &error))
    g_warning ("Unable to set attribute “%s” from property “%s”: %s",
               self->name, self->target_pspec->name, error->message);
  self->updating = FALSE;
}

static void
attr_changed_cb (FlyweightPokies *source,
                 const char      *name,
                 gpointer         user_data)
{
  push_to_target (user_data);
}

static void
target_notify_cb (GObject    *target,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  push_to_source (user_data);
}

/* Ends the binding: disconnects from whichever object is still there and
 * drops the reference the binding holds on itself. */
static void
end_binding (FlyweightAttrBinding *self)
{
  if (self->source == NULL && self->target == NULL)
    return;

  if (self->source != NULL)
    {
      g_clear_signal_handler (&self->attr_handler, self->source);
      g_object_weak_unref (G_OBJECT (self->source), source_gone_cb, self);
      self->source = NULL;
    }

  if (self->target != NULL)
    {
      g_clear_signal_handler (&self->notify_handler, self->target);
      g_object_weak_unref (self->target, target_gone_cb, self);
      self->target = NULL;
    }

  g_object_unref (self);
}

static void
source_gone_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  FlyweightAttrBinding *self = data;

  self->source = NULL;
  self->attr_handler = 0;
  end_binding (self);
}

static void
target_gone_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  FlyweightAttrBinding *self = data;

  self->target = NULL;
  self->notify_handler = 0;
  end_binding (self);
}

static void
flyweight_attr_binding_finalize (GObject *object)
{
  FlyweightAttrBinding *self = FLYWEIGHT_ATTR_BINDING (object);

  g_free (self->name);
  g_clear_pointer (&self->target_pspec, g_param_spec_unref);

  G_OBJECT_CLASS (flyweight_attr_binding_parent_class)->finalize (object);
}

static void
flyweight_attr_binding_class_init (FlyweightAttrBindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = flyweight_attr_binding_finalize;
}

static void
flyweight_attr_binding_init (FlyweightAttrBinding *self)
{
}

/**
 * flyweight_attr_binding_bind:
 * @source: the machine whose attribute to bind
 * @name: the attribute name, following the naming rule
 * @target: the object whose property to bind
 * @target_property: the name of a writable property of @target
 * @flags: %G_BINDING_SYNC_CREATE to set the property now,
 *   %G_BINDING_BIDIRECTIONAL to write changes of the property back,
 *   %G_BINDING_INVERT_BOOLEAN to invert booleans both ways
 *
 * Binds the attribute @name of @source to @target_property of @target.
 *
 * The binding holds neither object and ends when either is finalized or
 * when [method@Flyweight.AttrBinding.unbind] is called.
 *
 * Returns: (transfer none): the binding, which belongs to the pair of
 *   objects; take a reference to keep it after it ends
 *
 * Since: 1.0
 */
FlyweightAttrBinding *
flyweight_attr_binding_bind (FlyweightPokies *source,
                             const char      *name,
                             GObject         *target,
                             const char      *target_property,
                             GBindingFlags    flags)
{
  FlyweightAttrBinding *self;
  GParamSpec *pspec;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES (source), NULL);
  g_return_val_if_fail (name != NULL && flyweight_attr_name_validate (name, NULL), NULL);
  g_return_val_if_fail (G_IS_OBJECT (target), NULL);
  g_return_val_if_fail (target_property != NULL, NULL);
  g_return_val_if_fail ((gpointer) source != (gpointer) target, NULL);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), target_property);
  g_return_val_if_fail (pspec != NULL, NULL);
  g_return_val_if_fail ((pspec->flags & G_PARAM_WRITABLE) && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY), NULL);
  g_return_val_if_fail (!(flags & G_BINDING_BIDIRECTIONAL) || (pspec->flags & G_PARAM_READABLE), NULL);

  self = g_object_new (FLYWEIGHT_TYPE_ATTR_BINDING, NULL);
  self->source = source;
  self->target = target;
  self->name = g_strdup (name);
  self->target_pspec = g_param_spec_ref (pspec);
  self->flags = flags;

  g_object_weak_ref (G_OBJECT (source), source_gone_cb, self);
  g_object_weak_ref (target, target_gone_cb, self);

  /* A machine that cannot change its attributes has no such signal. */
  if (g_signal_lookup ("attr-changed", G_OBJECT_TYPE (source)) != 0)
    {
      g_autofree char *detailed = g_strconcat ("attr-changed::", name, NULL);

      self->attr_handler = g_signal_connect (source, detailed, G_CALLBACK (attr_changed_cb), self);
    }

  if (flags & G_BINDING_BIDIRECTIONAL)
    {
      g_autofree char *detailed = g_strconcat ("notify::", pspec->name, NULL);

      self->notify_handler = g_signal_connect (target, detailed, G_CALLBACK (target_notify_cb), self);
    }

  if (flags & G_BINDING_SYNC_CREATE)
    push_to_target (self);

  return self;
}

/**
 * flyweight_attr_binding_unbind:
 * @self: a `FlyweightAttrBinding`
 *
 * Ends the binding: neither object hears about the other any more. The
 * binding is freed unless something else holds it. Calling this again
 * does nothing.
 *
 * Since: 1.0
 */
void
flyweight_attr_binding_unbind (FlyweightAttrBinding *self)
{
  g_return_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self));

  end_binding (self);
}

/**
 * flyweight_attr_binding_dup_source:
 * @self: a `FlyweightAttrBinding`
 *
 * Gets the machine whose attribute is bound.
 *
 * Returns: (transfer full) (nullable): the machine, or %NULL once the
 *   binding has ended
 *
 * Since: 1.0
 */
FlyweightPokies *
flyweight_attr_binding_dup_source (FlyweightAttrBinding *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self), NULL);

  return self->source != NULL ? g_object_ref (self->source) : NULL;
}

/**
 * flyweight_attr_binding_dup_target:
 * @self: a `FlyweightAttrBinding`
 *
 * Gets the object whose property is bound.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL once the
 *   binding has ended
 *
 * Since: 1.0
 */
GObject *
flyweight_attr_binding_dup_target (FlyweightAttrBinding *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self), NULL);

  return self->target != NULL ? g_object_ref (self->target) : NULL;
}

/**
 * flyweight_attr_binding_get_name:
 * @self: a `FlyweightAttrBinding`
 *
 * Gets the name of the bound attribute.
 *
 * Returns: the attribute name
 *
 * Since: 1.0
 */
const char *
flyweight_attr_binding_get_name (FlyweightAttrBinding *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self), NULL);

  return self->name;
}

/**
 * flyweight_attr_binding_get_target_property:
 * @self: a `FlyweightAttrBinding`
 *
 * Gets the name of the bound property.
 *
 * Returns: the property name
 *
 * Since: 1.0
 */
const char *
flyweight_attr_binding_get_target_property (FlyweightAttrBinding *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self), NULL);

  return self->target_pspec->name;
}

/**
 * flyweight_attr_binding_get_flags:
 * @self: a `FlyweightAttrBinding`
 *
 * Gets the flags the binding was made with.
 *
 * Returns: the flags
 *
 * Since: 1.0
 */
GBindingFlags
flyweight_attr_binding_get_flags (FlyweightAttrBinding *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_ATTR_BINDING (self), 0);

  return self->flags;
}
