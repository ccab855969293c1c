/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (FLYWEIGHT_INSIDE) && !defined (FLYWEIGHT_COMPILATION)
# error "Only <flyweight.h> can be included directly."
#endif

#include <glib-object.h>

#include "flyweight-pokies.h"
#include "flyweight-version-macros.h"

G_BEGIN_DECLS

#define FLYWEIGHT_TYPE_ATTR_BINDING (flyweight_attr_binding_get_type ())

FLYWEIGHT_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FlyweightAttrBinding, flyweight_attr_binding, FLYWEIGHT, ATTR_BINDING, GObject)

FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightAttrBinding *flyweight_attr_binding_bind                (FlyweightPokies      *source,
                                                                  const char           *name,
                                                                  GObject              *target,
                                                                  const char           *target_property,
                                                                  GBindingFlags         flags);
FLYWEIGHT_AVAILABLE_IN_1_0
void                  flyweight_attr_binding_unbind              (FlyweightAttrBinding *self);
FLYWEIGHT_AVAILABLE_IN_1_0
FlyweightPokies      *flyweight_attr_binding_dup_source          (FlyweightAttrBinding *self);
FLYWEIGHT_AVAILABLE_IN_1_0
GObject              *flyweight_attr_binding_dup_target          (FlyweightAttrBinding *self);
FLYWEIGHT_AVAILABLE_IN_1_0
const char           *flyweight_attr_binding_get_name            (FlyweightAttrBinding *self);
FLYWEIGHT_AVAILABLE_IN_1_0
const char           *flyweight_attr_binding_get_target_property (FlyweightAttrBinding *self);
FLYWEIGHT_AVAILABLE_IN_1_0
GBindingFlags         flyweight_attr_binding_get_flags           (FlyweightAttrBinding *self);

G_END_DECLS
