/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-version-macros.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_WEAK_REF (flyweight_weak_ref_get_type ())

typedef struct _FlyweightWeakRef FlyweightWeakRef;

FLYWEIGHT_AVAILABLE_IN_1_0
GType             flyweight_weak_ref_get_type (void) G_GNUC_CONST;
FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightWeakRef *flyweight_weak_ref_new      (GObject          *object);
FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightWeakRef *flyweight_weak_ref_copy     (FlyweightWeakRef *self);
FLYWEIGHT_AVAILABLE_IN_1_0
void              flyweight_weak_ref_free     (FlyweightWeakRef *self);
FLYWEIGHT_AVAILABLE_IN_1_0
GObject          *flyweight_weak_ref_get      (FlyweightWeakRef *self);
FLYWEIGHT_AVAILABLE_IN_1_0
void              flyweight_weak_ref_set      (FlyweightWeakRef *self,
                                               GObject          *object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlyweightWeakRef, flyweight_weak_ref_free)

G_END_DECLS
