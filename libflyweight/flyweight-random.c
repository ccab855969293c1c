/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "flyweight-random-private.h"
#include "flyweight-tsan-private.h"

/**
 * FlyweightRandom:
 *
 * A seeded source of random numbers that makes draws reproducible.
 *
 * Two `FlyweightRandom` objects made with the same seed give the same
 * sequence of numbers, whichever language calls them: C, Python and gjs
 * all run the same generator (GLib's Mersenne Twister, `GRand`). Pass one to
 * [method@Flyweight.Pokies.draw_with] to replay a series of draws.
 *
 * A `FlyweightRandom` may be shared between threads; every call takes an
 * internal lock, so each draw gets a consecutive run of the sequence. Which
 * thread gets which run is up to the scheduler.
 *
 * Since: 1.0
 */
struct _FlyweightRandom
{
  GObject parent_instance;

  GMutex  mutex;
  GRand  *rand;
  guint32 seed;
};

G_DEFINE_FINAL_TYPE (FlyweightRandom, flyweight_random, G_TYPE_OBJECT)

static void
lock_random (FlyweightRandom *self)
{
  g_mutex_lock (&self->mutex);
  flyweight_tsan_acquire (&self->mutex);
}

static void
unlock_random (FlyweightRandom *self)
{
  flyweight_tsan_release (&self->mutex);
  g_mutex_unlock (&self->mutex);
}

enum {
  PROP_0,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
flyweight_random_finalize (GObject *object)
{
  FlyweightRandom *self = (FlyweightRandom *)object;

  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (flyweight_random_parent_class)->finalize (object);
}

static void
flyweight_random_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FlyweightRandom *self = FLYWEIGHT_RANDOM (object);

  switch (prop_id)
    {
    case PROP_SEED:
      g_value_set_uint (value, flyweight_random_get_seed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_random_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FlyweightRandom *self = FLYWEIGHT_RANDOM (object);

  switch (prop_id)
    {
    case PROP_SEED:
      flyweight_random_set_seed (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flyweight_random_class_init (FlyweightRandomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = flyweight_random_finalize;
  object_class->get_property = flyweight_random_get_property;
  object_class->set_property = flyweight_random_set_property;

  /**
   * FlyweightRandom:seed:
   *
   * The seed the sequence started from, or was last reset to.
   *
   * Since: 1.0
   */
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL,
                       0, G_MAXUINT32, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
flyweight_random_init (FlyweightRandom *self)
{
  g_mutex_init (&self->mutex);
  self->rand = g_rand_new_with_seed (0);
}

/**
 * flyweight_random_new:
 * @seed: the seed of the sequence
 *
 * Creates a random number source starting from @seed.
 *
 * Returns: (transfer full): a new `FlyweightRandom`
 *
 * Since: 1.0
 */
FlyweightRandom *
flyweight_random_new (guint32 seed)
{
  return g_object_new (FLYWEIGHT_TYPE_RANDOM, "seed", seed, NULL);
}

/**
 * flyweight_random_get_seed:
 * @self: a `FlyweightRandom`
 *
 * Gets the seed the sequence started from.
 *
 * Returns: the seed
 *
 * Since: 1.0
 */
guint32
flyweight_random_get_seed (FlyweightRandom *self)
{
  guint32 seed;

  g_return_val_if_fail (FLYWEIGHT_IS_RANDOM (self), 0);

  lock_random (self);
  seed = self->seed;
  unlock_random (self);

  return seed;
}

/**
 * flyweight_random_set_seed:
 * @self: a `FlyweightRandom`
 * @seed: the new seed
 *
 * Restarts the sequence from @seed.
 *
 * Since: 1.0
 */
void
flyweight_random_set_seed (FlyweightRandom *self,
                           guint32          seed)
{
  gboolean changed;

  g_return_if_fail (FLYWEIGHT_IS_RANDOM (self));

  lock_random (self);
  changed = self->seed != seed;
  self->seed = seed;
  g_rand_set_seed (self->rand, seed);
  unlock_random (self);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * flyweight_random_int_range:
 * @self: a `FlyweightRandom`
 * @begin: the lowest value that may be returned
 * @end: one more than the highest value that may be returned
 *
 * Returns the next number of the sequence, uniformly distributed
 * over [@begin, @end).
 *
 * @end must be greater than @begin and at most `G_MAXINT32`.
 *
 * Returns: a number in [@begin, @end)
 *
 * Since: 1.0
 */
guint32
flyweight_random_int_range (FlyweightRandom *self,
                            guint32          begin,
                            guint32          end)
{
  guint32 value;

  g_return_val_if_fail (FLYWEIGHT_IS_RANDOM (self), begin);
  g_return_val_if_fail (end > begin, begin);
  g_return_val_if_fail (end <= G_MAXINT32, begin);

  lock_random (self);
  value = (guint32) g_rand_int_range (self->rand, (gint32) begin, (gint32) end);
  unlock_random (self);

  return value;
}

void
flyweight_random_fill (FlyweightRandom *self,
                       guint           *values,
                       guint            n_values,
                       guint            upper)
{
  lock_random (self);
  for (guint i = 0; i < n_values; i++)
    values[i] = (guint) g_rand_int_range (self->rand, 1, (gint32) upper + 1);
  unlock_random (self);
}

GRand *
flyweight_random_lock_rand (FlyweightRandom *self)
{
  lock_random (self);

  return self->rand;
}

void
flyweight_random_unlock_rand (FlyweightRandom *self)
{
  unlock_random (self);
}
