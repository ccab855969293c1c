#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Uses the installed typelib and PyGObject override; prints where they came from."""

import weakref

import gi

gi.require_version('GIRepository', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GIRepository, GLib  # noqa: E402
import gi.overrides.Flyweight  # noqa: E402

pokies = Flyweight.PokiesDynamic(3, 10)
pokies.owner = 'Aristocrat'
assert pokies.owner == 'Aristocrat'
assert pokies.get_attr('owner') == 'Aristocrat'
assert pokies.__dict__ == {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat'}
assert 'owner' in dir(pokies)
del pokies.owner
assert not hasattr(pokies, 'owner')

flyweight = Flyweight.PokiesSlotted(3, 10)
try:
    flyweight.owner = 'Aristocrat'
    raise SystemExit('a slotted machine accepted owner')
except AttributeError as e:
    assert str(e) == "'PokiesSlotted' object has no attribute 'owner'", str(e)
    assert isinstance(e, GLib.Error)
    assert e.matches(Flyweight.error_quark(), Flyweight.Error.NO_ATTRIBUTE), e.message

assert flyweight.draw_with(Flyweight.Random.new(42)) == [3, 8, 7]

ref = weakref.ref(flyweight)
del flyweight
assert ref() is None

print('typelib:', GIRepository.Repository.get_default().get_typelib_path('Flyweight'))
print('override:', gi.overrides.Flyweight.__file__)
