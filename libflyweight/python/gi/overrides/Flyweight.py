# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight."""

from gi.repository import GObject

from ..module import get_introspection_module
from ..overrides import override

Flyweight = get_introspection_module('Flyweight')

__all__ = []


class Pool(Flyweight.Pool):
    """A Flyweight.Pool that takes the key as keyword arguments:

        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        machine = pool.get(reels=3, symbols=10)
        assert pool.get(symbols=10, reels=3) is machine
    """

    def get(self, **properties):
        """Returns the live object with these construct-only property
        values, or constructs it; properties not given take their default.

        Names are property names, with "_" for "-". Raises GLib.Error in
        the Flyweight.Error domain for an unknown property, one that is not
        construct-only, or a value of the wrong type or out of range.
        """
        names = list(properties)
        values = [_pool_value(properties[name]) for name in names]
        return self.get_with_properties(names, values)


def _pool_value(value):
    """Wraps a Python value in a GValue of the type it has in Python, so
    that the library, not the marshaller, checks it against the property:
    every mistake is then reported the same way from C, Python and gjs."""
    if isinstance(value, GObject.Value):
        return value
    if value is None:
        # An empty pointer stands for NULL; the property decides whether
        # it is a NULL string or a NULL object.
        return GObject.Value(GObject.TYPE_POINTER, None)
    # Enumerations, flags and booleans are ints in Python: test them first.
    if isinstance(value, (GObject.GEnum, GObject.GFlags)):
        return GObject.Value(value.__gtype__, value)
    if isinstance(value, bool):
        return GObject.Value(GObject.TYPE_BOOLEAN, value)
    if isinstance(value, int):
        if -2**63 <= value < 2**63:
            return GObject.Value(GObject.TYPE_INT64, value)
        if 0 <= value < 2**64:
            return GObject.Value(GObject.TYPE_UINT64, value)
        raise OverflowError(f'{value} does not fit in 64 bits')
    if isinstance(value, float):
        return GObject.Value(GObject.TYPE_DOUBLE, value)
    if isinstance(value, str):
        return GObject.Value(GObject.TYPE_STRING, value)
    if isinstance(value, GObject.GType):
        return GObject.Value(GObject.TYPE_GTYPE, value)
    if isinstance(value, GObject.Object):
        return GObject.Value(GObject.TYPE_OBJECT, value)
    return value


Pool = override(Pool)
__all__.append('Pool')
