#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A casino floor of a million machines, drawn from ten configurations,
shared through a Flyweight.Pool.

Every position on the floor holds a machine, but the machine itself is only
its reels and symbols: that is the intrinsic state, shared through a
Flyweight.Pool, so the floor holds ten machines and a million references to
them. What differs from one position to the next is extrinsic state, kept
beside the reference, by the floor. The same seed gives the same floor, and
the same pulls, as pool-floor.c.

    /usr/bin/python3 examples/pool-floor.py [MACHINES [SEED]]

Against the build tree, set GI_TYPELIB_PATH and LD_LIBRARY_PATH to
$B/libflyweight and PYTHONPATH to libflyweight/python (for the override
that gives Pool.get(**properties)).
"""

import os
import sys

import gi

gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight  # noqa: E402

CONFIGURATIONS = [(3, 10), (3, 20), (4, 12), (5, 10), (5, 20),
                  (5, 50), (5, 100), (6, 30), (7, 40), (3, 6)]


def resident_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def main(argv):
    n_machines = int(argv[1]) if len(argv) > 1 else 1_000_000
    seed = int(argv[2]) if len(argv) > 2 else 2013
    if n_machines <= 0:
        print(f'Usage: {argv[0]} [MACHINES [SEED]]', file=sys.stderr)
        return 1

    pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
    random = Flyweight.Random.new(seed)

    # Which configuration stands where: extrinsic, drawn before measuring.
    configuration_at = bytes(random.int_range(0, len(CONFIGURATIONS))
                             for _ in range(n_machines))

    # One request first, so that the library's code is paged in and not
    # counted as the floor's memory.
    pool.get()
    before = resident_bytes()
    # The floor: a list of the machines, one reference per position.
    floor = [pool.get(reels=r, symbols=s)
             for r, s in (CONFIGURATIONS[c] for c in configuration_at)]
    after = resident_bytes()
    stats = pool.get_stats()

    print(f'A casino floor of {n_machines} machines from {len(CONFIGURATIONS)} '
          f'configurations (seed {seed})')
    print(f'  machines alive: {stats.size}, one per configuration on the floor')
    print(f'  requests: {stats.hits} hits, {stats.misses} misses')
    print(f'  memory: {(after - before) / n_machines:.1f} bytes per position, its reference '
          f'included (CPython {sys.version.split()[0]}, PyGObject {gi.__version__})')

    # Every position with the same configuration holds the same machine.
    first_of = {}
    count_of = [0] * len(CONFIGURATIONS)
    for i, (c, machine) in enumerate(zip(configuration_at, floor)):
        if first_of.setdefault(c, machine) is not machine:
            reels, symbols = CONFIGURATIONS[c]
            raise SystemExit(f'Position {i} holds a second {reels} x {symbols} machine')
        count_of[c] += 1
    for (reels, symbols), count in zip(CONFIGURATIONS, count_of):
        print(f'  {reels} x {symbols:<3} {count:7} positions')

    # Pulling an arm needs the shared machine and nothing else.
    for i, machine in enumerate(floor[:3]):
        draw = ' '.join(str(v) for v in machine.draw_with(random))
        print(f'  position {i}, a {machine.get_reels()} x {machine.get_symbols()} '
              f'machine, pulls {draw}')

    # Closing the floor lets every machine go.
    del floor, first_of, machine
    print(f'Floor closed: {pool.props.size} machines alive')

    return 0 if stats.size <= len(CONFIGURATIONS) and pool.props.size == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
