/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-pokies-private.h"
#include "flyweight-pokies-store-private.h"

/**
 * FlyweightPokiesView:
 *
 * A machine of a [class@Flyweight.PokiesStore]: an object that stands for
 * one row and keeps nothing of its own.
 *
 * A view is a full [class@Flyweight.Pokies]. [method@Flyweight.Pokies.draw]
 * and [method@Flyweight.Pokies.draw_with] keep the result as the row's last
 * draw; the attribute protocol reads and writes the row's cells, and
 * [signal@Flyweight.PokiesView::attr-changed] tells about every change,
 * whether it came through this view or through the store's bulk calls.
 * Properties GTK can bind: `reels`, `symbols`,
 * [property@Flyweight.PokiesView:position],
 * [property@Flyweight.PokiesView:last-draw] and
 * [property@Flyweight.PokiesView:last-draw-text]; any attribute binds
 * through [func@Flyweight.AttrBinding.bind].
 *
 * Views come from [method@Gio.ListModel.get_item] or
 * [method@Flyweight.PokiesStore.get_view]; the store makes them when asked
 * and keeps none alive. A view follows its row when rows above it are
 * inserted or removed. When its row is removed, the view takes a copy of
 * the row and goes on as a machine of its own — its position becomes
 * %FLYWEIGHT_INVALID_POSITION and its changes no longer reach the store.
 *
 * A view made directly with `g_object_new()` is the only machine of a
 * store of its own.
 *
 * Every call is safe from any thread; see [class@Flyweight.PokiesStore].
 *
 * Since: 1.0
 */

G_DEFINE_FINAL_TYPE (FlyweightPokiesView, flyweight_pokies_view, FLYWEIGHT_TYPE_POKIES)

/* The last draw goes into a GVariant of type "au" as it is. */
G_STATIC_ASSERT (sizeof (guint) == sizeof (guint32));

enum {
  PROP_0,
  PROP_STORE,
  PROP_POSITION,
  PROP_LAST_DRAW,
  PROP_LAST_DRAW_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ATTR_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A view made with g_object_new() rather than by a store has no store
 * until first used; then it makes one of its own, with itself as the one
 * row. Overriding GObject.constructed for this would put every view on
 * GLib's global list of objects under construction. */
G_LOCK_DEFINE_STATIC (own_store);

static FlyweightPokiesStore *
view_store (FlyweightPokiesView *self)
{
  FlyweightPokiesStore *store = g_atomic_pointer_get (&self->store);

  if (G_LIKELY (store != NULL))
    return store;

  G_LOCK (own_store);
  store = self->store;
  if (store == NULL)
    {
      /* The machine may be used from any thread: so may its row. */
      store = g_object_new (FLYWEIGHT_TYPE_POKIES_STORE, "thread-safe-items", TRUE, NULL);
      flyweight_pokies_store_adopt_view (store, self);
      g_atomic_pointer_set (&self->store, store);
      /* The store holds itself while the view lives. */
      g_object_unref (store);
    }
  G_UNLOCK (own_store);

  return store;
}

void
flyweight_pokies_view_emit_attr_changed (FlyweightPokiesView *self,
                                         const char          *name)
{
  /* Only a handler for "attr-changed::NAME" makes the quark for NAME. */
  g_signal_emit (self, signals[ATTR_CHANGED], g_quark_try_string (name), name);
}

void
flyweight_pokies_view_notify_draw (FlyweightPokiesView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_DRAW]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_DRAW_TEXT]);
}

void
flyweight_pokies_view_notify_position (FlyweightPokiesView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static gboolean
flyweight_pokies_view_set_attr (FlyweightPokies  *pokies,
                                const char       *name,
                                const GValue     *value,
                                GError          **error)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);
  guint position;

  flyweight_pokies_store_view_set_attr (view_store (self), self, name, value, &position);
  flyweight_pokies_view_emit_attr_changed (self, name);
  flyweight_pokies_store_row_changed (view_store (self), position);

  return TRUE;
}

static gboolean
flyweight_pokies_view_lookup_attr (FlyweightPokies  *pokies,
                                   const char       *name,
                                   GValue           *value,
                                   GError          **error)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);

  if (!flyweight_pokies_store_view_lookup_attr (view_store (self), self, name, value))
    {
      flyweight_pokies_set_no_attribute_error (pokies, name, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
flyweight_pokies_view_del_attr (FlyweightPokies  *pokies,
                                const char       *name,
                                GError          **error)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);
  guint position;

  if (!flyweight_pokies_store_view_del_attr (view_store (self), self, name, &position))
    {
      flyweight_pokies_set_no_attribute_error (pokies, name, error);
      return FALSE;
    }

  flyweight_pokies_view_emit_attr_changed (self, name);
  flyweight_pokies_store_row_changed (view_store (self), position);

  return TRUE;
}

static gboolean
flyweight_pokies_view_has_attr (FlyweightPokies *pokies,
                                const char      *name)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);

  return flyweight_pokies_store_view_has_attr (view_store (self), self, name);
}

static char **
flyweight_pokies_view_list_attrs (FlyweightPokies *pokies)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);

  return flyweight_pokies_store_view_list_attrs (view_store (self), self);
}

static void
flyweight_pokies_view_clear_attrs (FlyweightPokies *pokies)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (pokies);
  FlyweightPokiesStore *store = view_store (self);
  guint position;
  g_auto(GStrv) names = flyweight_pokies_store_view_clear_attrs (store, self, &position);

  for (guint i = 0; names[i] != NULL; i++)
    flyweight_pokies_view_emit_attr_changed (self, names[i]);
  if (names[0] != NULL)
    flyweight_pokies_store_row_changed (store, position);
}

static void
flyweight_pokies_view_dispose (GObject *object)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (object);

  /* The store hands the view out no more. A view that never had a store
   * has nobody to hand it out. */
  if (self->store != NULL)
    {
      flyweight_pokies_store_view_dispose (self->store, self);
    }

  G_OBJECT_CLASS (flyweight_pokies_view_parent_class)->dispose (object);
}

static void
flyweight_pokies_view_finalize (GObject *object)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (object);

  if (self->store != NULL)
    {
      /* Drops the store's hold on itself with its last view. */
      flyweight_pokies_store_view_finalize (self->store, self);
      self->store = NULL;
    }

  G_OBJECT_CLASS (flyweight_pokies_view_parent_class)->finalize (object);
}

static void
flyweight_pokies_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FlyweightPokiesView *self = FLYWEIGHT_POKIES_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, view_store (self));
      break;

    case PROP_POSITION:
      g_value_set_uint (value, flyweight_pokies_view_get_position (self));
      break;

    case PROP_LAST_DRAW:
      g_value_take_variant (value, flyweight_pokies_view_dup_last_draw_variant (self));
      break;

    case PROP_LAST_DRAW_TEXT:
      g_value_take_string (value, flyweight_pokies_view_dup_last_draw_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_pokies_view_class_init (FlyweightPokiesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FlyweightPokiesClass *pokies_class = FLYWEIGHT_POKIES_CLASS (klass);

  object_class->dispose = flyweight_pokies_view_dispose;
  object_class->finalize = flyweight_pokies_view_finalize;
  object_class->get_property = flyweight_pokies_view_get_property;

  pokies_class->set_attr = flyweight_pokies_view_set_attr;
  pokies_class->lookup_attr = flyweight_pokies_view_lookup_attr;
  pokies_class->del_attr = flyweight_pokies_view_del_attr;
  pokies_class->has_attr = flyweight_pokies_view_has_attr;
  pokies_class->list_attrs = flyweight_pokies_view_list_attrs;
  pokies_class->clear_attrs = flyweight_pokies_view_clear_attrs;

  /**
   * FlyweightPokiesView:store:
   *
   * The store that holds the machine's row.
   *
   * Since: 1.0
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         FLYWEIGHT_TYPE_POKIES_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FlyweightPokiesView:position:
   *
   * The machine's position in its store, notified when rows above it are
   * inserted or removed or the store is sorted;
   * %FLYWEIGHT_INVALID_POSITION once its row is removed.
   *
   * Since: 1.0
   */
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FlyweightPokiesView:last-draw:
   *
   * The machine's last draw as an array of symbols (`au`), empty if it
   * was never drawn; notified after each draw.
   *
   * Since: 1.0
   */
  properties[PROP_LAST_DRAW] =
    g_param_spec_variant ("last-draw", NULL, NULL,
                          G_VARIANT_TYPE ("au"), NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FlyweightPokiesView:last-draw-text:
   *
   * The machine's last draw as text, the symbols separated by spaces
   * (`"4 5 2"`), or %NULL if it was never drawn; notified after each draw.
   *
   * Since: 1.0
   */
  properties[PROP_LAST_DRAW_TEXT] =
    g_param_spec_string ("last-draw-text", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlyweightPokiesView::attr-changed:
   * @self: the machine
   * @name: the name of the attribute that was set or deleted
   *
   * Emitted after an attribute of the machine was set or deleted, through
   * this view or through the store's bulk calls, in the thread that
   * changed it. Connect to `attr-changed::owner` to hear about `owner`
   * only.
   *
   * Since: 1.0
   */
  signals[ATTR_CHANGED] =
    g_signal_new ("attr-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
flyweight_pokies_view_init (FlyweightPokiesView *self)
{
}

/**
 * flyweight_pokies_view_get_store:
 * @self: a `FlyweightPokiesView`
 *
 * Gets the store that holds the machine's row.
 *
 * Returns: (transfer none): the store
 *
 * Since: 1.0
 */
FlyweightPokiesStore *
flyweight_pokies_view_get_store (FlyweightPokiesView *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_VIEW (self), NULL);

  return view_store (self);
}

/**
 * flyweight_pokies_view_get_position:
 * @self: a `FlyweightPokiesView`
 *
 * Gets the machine's position in its store.
 *
 * Returns: the position, or %FLYWEIGHT_INVALID_POSITION if the machine's
 *   row was removed
 *
 * Since: 1.0
 */
guint
flyweight_pokies_view_get_position (FlyweightPokiesView *self)
{
  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_VIEW (self), FLYWEIGHT_INVALID_POSITION);

  return flyweight_pokies_store_view_get_position (view_store (self), self);
}

/**
 * flyweight_pokies_view_get_last_draw:
 * @self: a `FlyweightPokiesView`
 * @n_values: (out): return location for the number of values: the number
 *   of reels, or 0 if the machine was never drawn
 *
 * Gets the machine's last draw.
 *
 * Returns: (array length=n_values) (transfer full) (nullable): the symbols
 *   of the last draw, free with g_free(); %NULL if the machine was never
 *   drawn
 *
 * Since: 1.0
 */
guint *
flyweight_pokies_view_get_last_draw (FlyweightPokiesView *self,
                                     guint               *n_values)
{
  guint *values;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_VIEW (self), NULL);
  g_return_val_if_fail (n_values != NULL, NULL);

  values = flyweight_pokies_store_view_get_draw (view_store (self), self);
  *n_values = values != NULL ? flyweight_pokies_get_reels (FLYWEIGHT_POKIES (self)) : 0;

  return values;
}

/**
 * flyweight_pokies_view_dup_last_draw_variant:
 * @self: a `FlyweightPokiesView`
 *
 * Gets the machine's last draw as the value of
 * [property@Flyweight.PokiesView:last-draw].
 *
 * Returns: (transfer full): an array of symbols (`au`), empty if the
 *   machine was never drawn
 *
 * Since: 1.0
 */
GVariant *
flyweight_pokies_view_dup_last_draw_variant (FlyweightPokiesView *self)
{
  g_autofree guint *values = NULL;
  guint n_values;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_VIEW (self), NULL);

  values = flyweight_pokies_view_get_last_draw (self, &n_values);

  return g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32,
                                                        values, n_values, sizeof (guint32)));
}

/**
 * flyweight_pokies_view_dup_last_draw_text:
 * @self: a `FlyweightPokiesView`
 *
 * Gets the machine's last draw as the text of
 * [property@Flyweight.PokiesView:last-draw-text]: `"4 5 2"`.
 *
 * Returns: (transfer full) (nullable): the symbols separated by spaces,
 *   or %NULL if the machine was never drawn
 *
 * Since: 1.0
 */
char *
flyweight_pokies_view_dup_last_draw_text (FlyweightPokiesView *self)
{
  g_autofree guint *values = NULL;
  GString *text;
  guint n_values;

  g_return_val_if_fail (FLYWEIGHT_IS_POKIES_VIEW (self), NULL);

  values = flyweight_pokies_view_get_last_draw (self, &n_values);
  if (values == NULL)
    return NULL;

  text = g_string_sized_new (n_values * 3);
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (text, i == 0 ? "%u" : " %u", values[i]);

  return g_string_free (text, FALSE);
}
