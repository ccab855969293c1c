# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight."""

from ..module import get_introspection_module
from ..overrides import override

Flyweight = get_introspection_module('Flyweight')

__all__ = []


class Pokies(Flyweight.Pokies):
    def get_attr(self, name):
        """Read the attribute `name`: getattr(self, name).

        PyGObject 3.42 never frees a GValue returned with full transfer, so
        reading through the caller-allocated variant keeps each call from
        leaking the value.
        """
        return self.get_attr_value(name)


Pokies = override(Pokies)
__all__.append('Pokies')
