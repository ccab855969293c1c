/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "flyweight-pokies.h"

G_BEGIN_DECLS

/* The defaults used when a machine is built through g_object_new()
 * without its properties: the classic three reels of ten symbols. */
#define FLYWEIGHT_POKIES_DEFAULT_REELS   3
#define FLYWEIGHT_POKIES_DEFAULT_SYMBOLS 10

/* The base class's property ids. */
enum {
  FLYWEIGHT_POKIES_PROP_0,
  FLYWEIGHT_POKIES_PROP_REELS,
  FLYWEIGHT_POKIES_PROP_SYMBOLS,
  FLYWEIGHT_POKIES_N_PROPS
};

void     flyweight_pokies_set_dimensions            (FlyweightPokies  *self,
                                                     guint             reels,
                                                     guint             symbols);
/* The constructors' fast test; flyweight_pokies_check_dimensions() says
 * what is wrong when it fails. */
static inline gboolean
flyweight_pokies_dimensions_in_range (guint reels,
                                      guint symbols)
{
  return reels - 1 < FLYWEIGHT_POKIES_MAX_REELS && symbols - 1 < FLYWEIGHT_POKIES_MAX_SYMBOLS;
}

gboolean flyweight_pokies_check_dimensions          (guint             reels,
                                                     guint             symbols,
                                                     GError          **error);
gboolean flyweight_pokies_is_dimension              (const char       *name);
gboolean flyweight_pokies_check_changeable          (GType             type,
                                                     const char       *name,
                                                     GError          **error);
gboolean flyweight_pokies_check_value               (const char       *name,
                                                     const GValue     *value,
                                                     GError          **error);
void     flyweight_pokies_forget_peeked_slow        (void);
void     flyweight_pokies_set_no_attribute_error    (FlyweightPokies  *self,
                                                     const char       *name,
                                                     GError          **error);

/* Whether any thread ever peeked (flyweight_pokies_peek_attr()): atomic. */
G_GNUC_INTERNAL extern gint flyweight_pokies_peeked_ever;

/* Drops the value the calling thread peeked last, if any: every call that
 * changes an attribute does, so inline, as C programs never peek. */
static inline void
flyweight_pokies_forget_peeked (void)
{
  if (G_UNLIKELY (g_atomic_int_get (&flyweight_pokies_peeked_ever)))
    flyweight_pokies_forget_peeked_slow ();
}

G_END_DECLS
