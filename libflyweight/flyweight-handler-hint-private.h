/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean flyweight_object_may_have_handlers (GObject *object);

G_END_DECLS
