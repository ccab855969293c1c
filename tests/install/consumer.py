#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Uses the installed typelib and PyGObject override; prints where they came from."""

import gi

gi.require_version('GIRepository', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GIRepository, GLib  # noqa: E402
import gi.overrides.Flyweight  # noqa: E402

pokies = Flyweight.PokiesDynamic.new(3, 10)
pokies.set_attr('owner', 'Aristocrat')
assert pokies.get_attr('owner') == 'Aristocrat'
assert pokies.get_dict().unpack() == {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat'}

slotted = Flyweight.PokiesSlotted(reels=3, symbols=10)
try:
    slotted.set_attr('owner', 'Aristocrat')
    raise SystemExit('a slotted machine accepted owner')
except GLib.Error as e:
    assert e.matches(Flyweight.error_quark(), Flyweight.Error.NO_ATTRIBUTE), e.message

assert slotted.draw_with(Flyweight.Random.new(42)) == [3, 8, 7]

ref = Flyweight.WeakRef.new(slotted)
del slotted
assert ref.get() is None

print('typelib:', GIRepository.Repository.get_default().get_typelib_path('Flyweight'))
print('override:', gi.overrides.Flyweight.__file__)
