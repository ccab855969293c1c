#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The "__slots__ flyweight pattern made easy" notebook, replayed with libflyweight.

Each cell of the notebook is printed as a heading with the Python it stands
for, followed by the result the library gives. Flyweight.PokiesDynamic plays
the class with a __dict__, Flyweight.PokiesSlotted the one with __slots__.

Against the build tree (B is the Meson build directory):

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
        /usr/bin/python3 examples/notebook.py

Against the installed library:

    /usr/bin/python3 examples/notebook.py

If the library is installed under a prefix the system does not search (the
default /usr/local, for instance), point GI_TYPELIB_PATH at
$prefix/$libdir/girepository-1.0 and LD_LIBRARY_PATH at $prefix/$libdir.
"""

import gc

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GLib  # noqa: E402


def cell(number, code, result=None):
    """Prints a notebook cell: its prompt number (None for a cell the
    notebook does not have), the code it stands for, and the result."""
    prompt = '' if number is None else number
    print(f'\nIn [{prompt}]: {code}')
    if result is not None:
        print(f'Out[{prompt}]: {result}')


def describe_ref(ref):
    target = ref.get()
    if target is None:
        return '<Flyweight.WeakRef; dead>'
    return f'<Flyweight.WeakRef; to {type(target).__gtype__.name}>'


print('# __slots__ flyweight pattern made easy')

pokies = Flyweight.PokiesDynamic.new(3, 10)
cell(2, 'pokies = Pokies(3, 10); pokies.draw()', tuple(pokies.draw()))

cell(3, 'dir(pokies)  ->  pokies.list_attrs()', pokies.list_attrs())

print('\n# __dict__')
cell(4, 'pokies.__dict__  ->  pokies.get_dict()', pokies.get_dict().unpack())

pokies.set_attr('owner', 'Aristocrat')
cell(5, "pokies.owner = 'Aristocrat'; pokies.__dict__", pokies.get_dict().unpack())

pokies.del_attr('owner')
cell(6, 'del pokies.owner; pokies.__dict__', pokies.get_dict().unpack())

print('\n# __weakref__')
ref = Flyweight.WeakRef.new(pokies)
cell(7, 'ref = weakref.ref(pokies)  ->  Flyweight.WeakRef.new(pokies)', describe_ref(ref))
cell(8, 'ref().draw()  ->  ref.get().draw()', tuple(ref.get().draw()))

print('\n# A flyweight minimizes memory use')
flyweight = Flyweight.PokiesSlotted.new(3, 10)
cell(10, 'flyweight = FlyweightPokies(3, 10); flyweight.draw()', tuple(flyweight.draw()))

print('\n# What is the difference?')
cell(11, 'set(dir(pokies)) - set(dir(flyweight))', set(dir(pokies)) - set(dir(flyweight)))

cell(12, "flyweight.owner = 'Aristocrat'")
try:
    flyweight.set_attr('owner', 'Aristocrat')
    print('unexpectedly stored owner')
except GLib.Error as e:
    print(f'GLib.Error: {e.message} ({Flyweight.Error(e.code).value_nick})')

cell(13, 'weakref.ref(flyweight)  ->  Flyweight.WeakRef.new(flyweight)',
     describe_ref(Flyweight.WeakRef.new(flyweight)))
print('Works: every GObject keeps its weak references in the qdata its base '
      'instance already has, so there is no __weakref__ slot to add and no WeakPokies.')

# Dropping the last reference finalizes the machine and clears the weak ref.
del pokies
gc.collect()
cell(None, 'del pokies; ref', describe_ref(ref))

print('\n# ~25% memory usage')
cell(16, '%memit [Pokies(3, 10) for _ in xrange(int(1e6))] and the slotted variants')
print('Not measured here: the flyweight-memit tool measures the memory taken '
      'by many machines of each kind.')

print('\n# Do it last, if ever')
cell(23, 'broken = BrokenPokies(3, 10)  ->  Flyweight.Pokies()')
try:
    broken = Flyweight.Pokies()
    print(f'unexpectedly created {broken}')
except TypeError as e:
    print(f'TypeError: {e}')
