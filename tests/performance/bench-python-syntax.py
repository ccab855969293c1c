#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Times the Python attribute syntax against the calls it stands for.

Every row runs timeit in a fresh /usr/bin/python3 process, the rows of a
round one after the other (A B C ... A B C ...), and the median of the
rounds is reported, with ratios against the reference rows of the same run:

- plain: PyGObject with no override of Flyweight (the GI methods);
- override: with the override in OVERRIDE_DIR/gi/overrides/Flyweight.py;
- cpython: the notebook's own classes, Pokies and FlyweightPokies.

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
        /usr/bin/python3 tests/performance/bench-python-syntax.py \\
        --override-dir libflyweight/python [--rounds 5] [--clock cpu] [--json]

`meson compile -C build bench-python` runs it against the build tree.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

CHILD = r'''
import os, statistics, sys, time, timeit
mode, override_dir, setup, stmt, number, clock = sys.argv[1:7]
number = int(number)
if mode != 'cpython':
    import gi
    import gi.overrides
    if mode == 'plain':
        # No Flyweight override at all, wherever one may be installed.
        gi.overrides.__path__[:] = [d for d in gi.overrides.__path__
                                    if not os.path.exists(os.path.join(d, 'Flyweight.py'))]
    gi.require_version('Flyweight', '1.0')
    from gi.repository import Flyweight
    loaded = sys.modules.get('gi.overrides.Flyweight')
    if mode == 'plain' and loaded is not None:
        sys.exit('an override of Flyweight was loaded')
    if mode == 'override' and (loaded is None or not os.path.realpath(loaded.__file__).startswith(
            os.path.realpath(override_dir) + os.sep)):
        sys.exit('the override of Flyweight in %s was not loaded' % override_dir)
namespace = {}
exec(NOTEBOOK, namespace)
if mode != 'cpython':
    namespace['Flyweight'] = Flyweight
timer = timeit.Timer(stmt, setup, globals=namespace,
                     timer=time.process_time if clock == 'cpu' else time.perf_counter)
while number <= 0 or timer.timeit(number) < 0.02:
    number = max(1, number) * 2
samples = [t / number * 1e9 for t in timer.repeat(5, number)]
print(statistics.median(samples))
'''

# The notebook's classes, exactly as in the seed.
NOTEBOOK = '''
import random

class Pokies(object):
    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols

    def draw(self):
        return tuple(random.randint(1, self.symbols) for _ in range(self.reels))

class FlyweightPokies(object):
    __slots__ = ['reels', 'symbols']

    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols

    def draw(self):
        return tuple(random.randint(1, self.symbols) for _ in range(self.reels))
'''

GI_SETUP = ("p = Flyweight.PokiesDynamic.new(3, 10); p.set_attr('owner', 'Aristocrat'); "
            "s = Flyweight.PokiesSlotted.new(3, 10)")
CPYTHON_SETUP = "p = Pokies(3, 10); p.owner = 'Aristocrat'; s = FlyweightPokies(3, 10)"

# (group, row id, mode, statement); the first row of a group is its reference.
ROWS = [
    ('create', 'PokiesSlotted.new(3, 10), no override', 'plain', 'Flyweight.PokiesSlotted.new(3, 10)'),
    ('create', 'PokiesSlotted(3, 10)', 'override', 'Flyweight.PokiesSlotted(3, 10)'),
    ('create', 'PokiesSlotted.new(3, 10), override', 'override', 'Flyweight.PokiesSlotted.new(3, 10)'),
    ('create', 'PokiesDynamic(3, 10)', 'override', 'Flyweight.PokiesDynamic(3, 10)'),
    ('create', 'CPython FlyweightPokies(3, 10)', 'cpython', 'FlyweightPokies(3, 10)'),
    ('create', 'CPython Pokies(3, 10)', 'cpython', 'Pokies(3, 10)'),
    ('read', "p.get_attr('owner'), no override", 'plain', "p.get_attr('owner')"),
    ('read', 'p.owner', 'override', 'p.owner'),
    ('read', "p.get_attr('owner'), override", 'override', "p.get_attr('owner')"),
    ('read', 'CPython p.owner', 'cpython', 'p.owner'),
    ('write', "p.set_attr('owner', ...), no override", 'plain', "p.set_attr('owner', 'Aristocrat')"),
    ('write', "p.owner = ...", 'override', "p.owner = 'Aristocrat'"),
    ('write', "p.set_attr('owner', ...), override", 'override', "p.set_attr('owner', 'Aristocrat')"),
    ('write', "CPython p.owner = ...", 'cpython', "p.owner = 'Aristocrat'"),
    ('reels', 's.get_reels(), no override', 'plain', 's.get_reels()'),
    ('reels', 's.reels', 'override', 's.reels'),
    ('reels', 'CPython s.reels', 'cpython', 's.reels'),
    ('method', 's.draw (lookup), no override', 'plain', 's.draw'),
    ('method', 's.draw (lookup), override', 'override', 's.draw'),
    ('lookup', 'Flyweight.PokiesSlotted, no override', 'plain', 'Flyweight.PokiesSlotted'),
    ('lookup', 'Flyweight.PokiesSlotted, override', 'override', 'Flyweight.PokiesSlotted'),
    ('lookup', 'Flyweight.Random, override', 'override', 'Flyweight.Random'),
]


def _glib_version():
    out = subprocess.run([sys.executable, '-c', 'from gi.repository import GLib; '
                          'print(GLib.MAJOR_VERSION, GLib.MINOR_VERSION, GLib.MICRO_VERSION)'],
                         check=True, capture_output=True, text=True).stdout
    return tuple(int(n) for n in out.split())


def run_row(mode, stmt, override_dir, number, clock):
    env = dict(os.environ)
    if mode == 'override':
        env['PYTHONPATH'] = os.pathsep.join(filter(None, [override_dir, env.get('PYTHONPATH')]))
    setup = CPYTHON_SETUP if mode == 'cpython' else GI_SETUP
    child = CHILD.replace('NOTEBOOK', repr(NOTEBOOK))
    out = subprocess.run([sys.executable, '-c', child, mode, override_dir, setup, stmt,
                          str(number), clock],
                         env=env, check=True, capture_output=True, text=True)
    return float(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--override-dir', required=True,
                        help='the folder that holds gi/overrides/Flyweight.py')
    parser.add_argument('--rounds', type=int, default=5, help='fresh processes per row')
    parser.add_argument('--number', type=int, default=0,
                        help='loops per timing (default: timeit.autorange)')
    parser.add_argument('--groups', default=','.join(dict.fromkeys(row[0] for row in ROWS)),
                        help='comma-separated groups of rows to run (default: all)')
    parser.add_argument('--clock', choices=('wall', 'cpu'), default='wall',
                        help='time with the monotonic clock (default) or the CPU time of '
                             'the process, which other processes on a busy machine do not add to')
    parser.add_argument('--json', action='store_true', help='print the rows as JSON')
    args = parser.parse_args()

    groups = args.groups.split(',')
    rows = [row for row in ROWS if row[0] in groups]
    samples = {row: [] for row in rows}
    for _ in range(args.rounds):
        for row in rows:
            samples[row].append(run_row(row[2], row[3], args.override_dir, args.number,
                                        args.clock))

    import gi
    runtime = 'CPython %s, PyGObject %s, GLib %d.%d.%d' % (
        platform.python_version(), gi.__version__, *_glib_version())
    results = []
    reference = {}
    for row in rows:
        group, name = row[0], row[1]
        median = statistics.median(samples[row])
        reference.setdefault(group, median)
        results.append({'group': group, 'row': name, 'mode': row[2],
                        'ns': median, 'ratio': median / reference[group],
                        'samples': samples[row]})

    if args.json:
        print(json.dumps({'runtime': runtime, 'rounds': args.rounds, 'clock': args.clock,
                          'rows': results}, indent=1))
        return 0

    print('%s; %s clock; median of %d fresh processes per row, rows interleaved'
          % (runtime, args.clock, args.rounds))
    print('%-8s %-42s %9s %9s' % ('group', 'row', 'ns', '× ref'))
    print('─' * 71)
    for r in results:
        print('%-8s %-42s %9.1f %9.2f' % (r['group'], r['row'], r['ns'], r['ratio']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
