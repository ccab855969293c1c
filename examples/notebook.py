#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The "__slots__ flyweight pattern made easy" notebook, with libflyweight.

Each cell of the notebook runs as it stands, prompt numbers and all, with
the library's machines in place of the notebook's classes:
Flyweight.PokiesDynamic is the class with a __dict__, Flyweight.PokiesSlotted
the one with __slots__. Every GObject can be weakly referenced, so
WeakPokies is PokiesSlotted too. The script prints what the notebook shows.

It needs the PyGObject override that libflyweight installs. Against the
build tree (B is the Meson build directory):

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    PYTHONPATH=libflyweight/python /usr/bin/python3 examples/notebook.py

Against the installed library, /usr/bin/python3 examples/notebook.py; under
a prefix the system does not search (the default /usr/local, for instance),
point GI_TYPELIB_PATH at $prefix/$libdir/girepository-1.0, LD_LIBRARY_PATH
at $prefix/$libdir and PYTHONPATH at the folder holding gi/overrides/.

--count N makes N machines in the %memit cells instead of a million.
"""

import argparse
import ast
import pprint
import subprocess
import sys
import textwrap

import gi

gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight  # noqa: E402

# The notebook's names for the library's classes.
NAMESPACE = {
    'Flyweight': Flyweight,
    'Pokies': Flyweight.PokiesDynamic,
    'FlyweightPokies': Flyweight.PokiesSlotted,
    'WeakPokies': Flyweight.PokiesSlotted,
}


def markdown(text):
    print('\n' + textwrap.dedent(text).strip())


def indented(prompt, text):
    """TEXT after PROMPT, its other lines lined up under the first."""
    lines = text.split('\n')
    return '\n'.join([prompt + lines[0]] +
                     [(' ' * len(prompt) + line).rstrip() for line in lines[1:]])


def shown(value):
    """The value as IPython prints it; a set in sorted order."""
    if isinstance(value, set):
        return '{' + ', '.join(repr(item) for item in sorted(value)) + '}'
    return pprint.pformat(value, width=72, compact=True, sort_dicts=False)


def cell(prompt, source):
    """Runs a code cell as IPython would: prints the source, runs it, and
    prints the value of a last line that is an expression, or the error."""
    source = textwrap.dedent(source).strip('\n')
    print('\n' + indented(f'In [{prompt}]: ', source))
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    try:
        exec(compile(tree, f'<In [{prompt}]>', 'exec'), NAMESPACE)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f'<In [{prompt}]>', 'eval'), NAMESPACE)
            if value is not None:
                print(indented(f'Out[{prompt}]: ', shown(value)))
    except Exception as e:
        print(f'{type(e).__name__}: {e}')


# A %memit cell, in a fresh process as memory_profiler measures it.
MEMIT_CHILD = '''
import os, sys
import gi
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight
Pokies = Flyweight.PokiesDynamic
FlyweightPokies = WeakPokies = Flyweight.PokiesSlotted

def rss():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * os.sysconf('SC_PAGESIZE')

before = rss()
value = eval(sys.argv[1])
after = rss()
with open('/proc/self/status') as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith('VmHWM:'))
print(peak, after - before, len(value))
'''


def memit(prompt, statement, count):
    """%memit: the peak memory of a process running the statement, and what
    each machine took."""
    shown = statement.replace('xrange(int(1e6))', f'range({count})')
    print(f'\nIn [{prompt}]: %memit {shown}')
    out = subprocess.run([sys.executable, '-c', MEMIT_CHILD, shown],
                         check=True, capture_output=True, text=True).stdout
    peak, grown, made = (int(field) for field in out.split())
    print(f'maximum of 1: {peak / 2**20:f} MB per loop')
    print(f'({grown / made:.0f} bytes for each of the {made} machines and its Python wrapper)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--count', type=int, default=int(1e6),
                        help='machines made by each %%memit cell (default: a million)')
    count = parser.parse_args().count

    markdown('''
        # __slots__ flyweight pattern made easy

        A flyweight is an object that minimizes memory use by sharing as much data as
        possible with other similar objects; it is a way to use objects in large
        numbers when a simple repeated representation would use an unacceptable amount
        of memory
    ''')
    cell(2, '''
        pokies = Pokies(3, 10)
        pokies.draw()
    ''')
    cell(3, 'dir(pokies)')

    markdown('''
        # __dict__

        The attribute dictionary of an instance
    ''')
    cell(4, 'pokies.__dict__')
    cell(5, '''
        pokies.owner = 'Aristocrat'
        pokies.__dict__
    ''')
    cell(6, '''
        del pokies.owner
        pokies.__dict__
    ''')

    markdown('''
        # __weakref__

        A weak reference to an object is not enough to keep the object alive.
    ''')
    cell(7, '''
        import weakref
        ref = weakref.ref(pokies)
        ref
    ''')
    markdown('One accesses the referent by calling the weak reference:')
    cell(8, 'ref().draw()')
    cell(9, 'pokies.__weakref__')

    markdown('''
        # A flyweight minimizes memory use

        PokiesSlotted keeps its two fields in the instance, and has no room for
        any other attribute.
    ''')
    cell(10, '''
        flyweight = FlyweightPokies(3, 10)
        flyweight.draw()
    ''')

    markdown('# What is the difference?')
    cell(11, 'set(dir(pokies)) - set(dir(flyweight))')
    markdown('There is no __dict__ so no way to add attribute to the instance:')
    cell(12, "flyweight.owner = 'Aristocrat'")
    markdown('''
        Flyweight.AttrError is an AttributeError, and a GLib.Error carrying
        Flyweight.Error.NO_ATTRIBUTE for C and other languages.
    ''')
    markdown('''
        Every GObject can be weakly referenced, __slots__ or not: the reference
        costs nothing until it is taken.
    ''')
    cell(13, 'weakref.ref(flyweight)')
    cell(20, '''
        weak = WeakPokies(3, 10)
        weak.draw()
    ''')
    cell(21, 'weakref.ref(weak)')

    markdown('''
        # ~25% memory usage

        Through PyGObject each machine carries a Python wrapper; flyweight-memit
        measures the machines alone, next to the notebook's own classes.
    ''')
    memit(16, '[Pokies(3, 10) for _ in xrange(int(1e6))]', count)
    memit(17, '[FlyweightPokies(3, 10) for _ in xrange(int(1e6))]', count)
    memit(22, '[WeakPokies(3, 10) for _ in xrange(int(1e6))]', count)

    markdown('''
        # Do it last, if ever

        __slots__ is an optimization that is only relevant if you are going to create
        **MANY** instances of an object and which you should do last if ever!
    ''')
    cell(23, '''
        class BrokenPokies(Flyweight.Pokies):
            """
            Getting it wrong raises an exception on instantiation
            """

            __slots__ = ()

            def __init__(self, reels, symbols):
                self.reels = reels
                self.symbols = symbols

        broken = BrokenPokies(3, 10)
    ''')


if __name__ == '__main__':
    main()
