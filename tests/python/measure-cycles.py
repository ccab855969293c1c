#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a reference cycle through attributes costs, from Python.

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    /usr/bin/python3 tests/python/measure-cycles.py KIND HOW N

KIND is acyclic (a holds b), self (a holds a) or pair (a and b hold each
other); HOW is none, clear (a.clear_attrs()) or dispose (a.run_dispose()).
Makes N of them and drops them, twice, and prints the growth of the
resident set over the second round, per cycle: the first round lets the
allocator reach its steady state, so what the second keeps is what leaks.
Not part of the test suite: a measurement, printed for docs/memory.md.
"""

import gc
import sys

import gi

gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight  # noqa: E402


def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096


def one(kind, how):
    a = Flyweight.PokiesDynamic.new(3, 10)
    if kind == 'acyclic':
        a.set_attr('other', Flyweight.PokiesDynamic.new(3, 10))
    elif kind == 'self':
        a.set_attr('me', a)
    else:
        b = Flyweight.PokiesDynamic.new(3, 10)
        a.set_attr('other', b)
        b.set_attr('other', a)
    if how == 'clear':
        a.clear_attrs()
    elif how == 'dispose':
        a.run_dispose()


def main():
    kind, how, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for _ in range(n):
        one(kind, how)
    gc.collect()
    before = rss()
    for _ in range(n):
        one(kind, how)
    gc.collect()
    print(f'python {kind} {how}: {(rss() - before) / n:.0f} B/cycle')


if __name__ == '__main__':
    main()
