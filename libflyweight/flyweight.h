/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define FLYWEIGHT_INSIDE

#include "flyweight-version.h"
#include "flyweight-version-macros.h"
#include "flyweight-enum-types.h"
#include "flyweight-error.h"
#include "flyweight-attr-name.h"
#include "flyweight-random.h"
#include "flyweight-pokies.h"
#include "flyweight-pokies-dynamic.h"
#include "flyweight-pokies-slotted.h"
#include "flyweight-pokies-store.h"
#include "flyweight-pokies-view.h"
#include "flyweight-attr-binding.h"
#include "flyweight-weak-ref.h"

#undef FLYWEIGHT_INSIDE
