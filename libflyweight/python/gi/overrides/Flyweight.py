# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight."""

import unicodedata

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Flyweight = get_introspection_module('Flyweight')

__all__ = []

GETTEXT_PACKAGE = 'libflyweight-1'


def _(message):
    # The library binds its domain the first time it builds a message.
    try:
        Flyweight.attr_name_validate('')
    except GLib.Error:
        pass
    return GLib.dgettext(GETTEXT_PACKAGE, message)


def _quote(name):
    return ''.join(f'\\u{{{ord(c):04X}}}'
                   if unicodedata.category(c) in ('Cc', 'Cf', 'Zl', 'Zp') else c
                   for c in name)


def _has_nul(name):
    return isinstance(name, str) and '\0' in name


def _nul_error(name):
    # PyGObject passes a str as a C string, which would end at the NUL:
    # 'own\0er' would silently be the name 'own'.
    return GLib.Error.new_literal(
        Flyweight.error_quark(),
        _('Attribute name “%s” holds a NUL character, which cannot be part of a name')
        % _quote(name),
        Flyweight.Error.INVALID_NAME)


class Pokies(Flyweight.Pokies):
    def set_attr(self, name, value):
        if _has_nul(name):
            raise _nul_error(name)
        return super().set_attr(name, value)

    def get_attr(self, name):
        if _has_nul(name):
            raise _nul_error(name)
        return super().get_attr(name)

    def del_attr(self, name):
        if _has_nul(name):
            raise _nul_error(name)
        return super().del_attr(name)

    def has_attr(self, name):
        if _has_nul(name):
            return False
        return super().has_attr(name)


Pokies = override(Pokies)
__all__.append('Pokies')


def attr_name_validate(name):
    if _has_nul(name):
        raise _nul_error(name)
    return Flyweight.attr_name_validate(name)


__all__.append('attr_name_validate')


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
        return self.get_with_properties(names, [properties[name] for name in names])

    def get_with_properties(self, names, values):
        for name in names:
            if _has_nul(name):
                # As for attributes: the C string would end at the NUL.
                raise GLib.Error.new_literal(
                    Flyweight.error_quark(),
                    _('Property name “%s” holds a NUL character, which cannot be part of a name')
                    % _quote(name),
                    Flyweight.Error.INVALID_KEY)
        return super().get_with_properties(names, [_pool_value(value) for value in values])


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
