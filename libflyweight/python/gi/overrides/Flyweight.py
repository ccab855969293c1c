# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight."""

from ..module import get_introspection_module

Flyweight = get_introspection_module('Flyweight')

__all__ = []
