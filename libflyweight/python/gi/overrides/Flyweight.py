# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight."""

import unicodedata

from gi.repository import GLib

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
