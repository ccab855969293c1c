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


_INT32 = range(-2**31, 2**31)


def _pool_value(value):
    """What PyGObject cannot put in a GValue of the right type by itself.

    It turns booleans, floats, strings, enumerations, flags and objects
    into GValues of their own types, and ints into gint: those go as they
    are, and the library checks them against the property, so that every
    mistake is reported the same way from C, Python and gjs. None (which
    PyGObject 3.42 cannot marshal into a GValue array), ints beyond gint
    and GTypes are wrapped here.
    """
    if value is None:
        # An empty pointer stands for NULL; the property decides whether
        # it is a NULL string or a NULL object.
        return GObject.Value(GObject.TYPE_POINTER, None)
    if type(value) is int and value not in _INT32:
        if -2**63 <= value < 2**63:
            return GObject.Value(GObject.TYPE_INT64, value)
        if 0 <= value < 2**64:
            return GObject.Value(GObject.TYPE_UINT64, value)
        raise OverflowError(f'{value} does not fit in 64 bits')
    if isinstance(value, GObject.GType):
        return GObject.Value(GObject.TYPE_GTYPE, value)
    return value


Pool = override(Pool)
__all__.append('Pool')
