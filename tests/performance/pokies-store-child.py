#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CPython and PyGObject side of bench-pokies-store.

Run as: python3 pokies-store-child.py NOTEBOOK MODE COUNT [REPETITIONS]
with GI_TYPELIB_PATH pointing at Flyweight-1.0.typelib. NOTEBOOK is
examples/memit/memit-notebook.py, the notebook's classes verbatim. Prints
one JSON line; bytes are (RSS after - RSS before) / COUNT in this fresh
process, with everything still alive at the second reading.

MODE:
  slots    COUNT of the notebook's FlyweightPokies (__slots__) in a list
  draw     ns per draw() of the notebook's FlyweightPokies(3, 10), a loop
           over a list of COUNT of them (median of REPETITIONS)
  store    a Flyweight.PokiesStore of COUNT machines, 10 configurations,
           an owner from 100 on each, every machine drawn; bulk calls only
           (set_attr_dictionary: a list of strings would be copied one by
           one by PyGObject, and the allocator keeps what it frees)
  objects  COUNT Flyweight.PokiesDynamic held in a list, each with an
           owner from 100 set and drawn once
"""
import json
import os
import platform
import statistics
import sys
import time

PAGE_SIZE = os.sysconf('SC_PAGESIZE')
OWNERS = [f'Owner {i}' for i in range(100)]


def rss():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def runtime():
    return 'CPython ' + platform.python_version()


def notebook(path):
    scope = {}
    with open(path) as f:
        exec(compile(f.read(), path, 'exec'), scope)
    return scope


def mode_slots(nb, count, repetitions):
    cls = nb['FlyweightPokies']
    cls(3, 10)
    before = rss()
    objs = [None] * count
    start = time.perf_counter_ns()
    for i in range(count):
        objs[i] = cls(3, 10)
    end = time.perf_counter_ns()
    after = rss()
    return {'bytes': (after - before) / count, 'ns': (end - start) / count}


def mode_draw(nb, count, repetitions):
    cls = nb['FlyweightPokies']
    objs = [cls(3, 10) for _ in range(count)]
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        for p in objs:
            p.draw()
        samples.append((time.perf_counter_ns() - start) / count)
    return {'ns': statistics.median(samples)}


def flyweight():
    import gi
    gi.require_version('Flyweight', '1.0')
    from gi.repository import Flyweight
    return gi, Flyweight


def mode_store(nb, count, repetitions):
    gi, Flyweight = flyweight()
    warm = Flyweight.PokiesStore.new()
    warm.append_many(100, 3, 10)
    warm.set_attr_dictionary('owner', 0, OWNERS, list(range(100)))
    warm.draw_all(None)
    del warm
    # Whose owner each machine has, built before the first reading, as the
    # machines' data would come from somewhere.
    indices = list(range(100)) * (count // 100)
    before = rss()
    store = Flyweight.PokiesStore.new()
    start = time.perf_counter_ns()
    for c in range(10):
        store.append_many(count // 10, 3, 10 + c)
    store.set_attr_dictionary('owner', 0, OWNERS, indices)
    store.draw_all(Flyweight.Random.new(1))
    end = time.perf_counter_ns()
    after = rss()
    samples = []
    for _ in range(repetitions):
        start_draw = time.perf_counter_ns()
        store.draw_all(None)
        samples.append((time.perf_counter_ns() - start_draw) / count)
    assert len(store) == count and store.get_n_live_views() == 0
    return {'bytes': (after - before) / count, 'ns': (end - start) / count,
            'draw_ns': statistics.median(samples),
            'runtime': f'PyGObject {gi.__version__} on {runtime()}'}


def mode_objects(nb, count, repetitions):
    gi, Flyweight = flyweight()
    warm = Flyweight.PokiesDynamic.new(3, 10)
    warm.set_attr('owner', OWNERS[0])
    warm.draw()
    del warm
    before = rss()
    objs = [None] * count
    start = time.perf_counter_ns()
    for i in range(count):
        machine = Flyweight.PokiesDynamic.new(3, 10 + i % 10)
        machine.set_attr('owner', OWNERS[i % 100])
        machine.draw()
        objs[i] = machine
    end = time.perf_counter_ns()
    after = rss()
    return {'bytes': (after - before) / count, 'ns': (end - start) / count,
            'runtime': f'PyGObject {gi.__version__} on {runtime()}'}


def main():
    path, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    repetitions = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    result = {'mode': mode, 'count': count, 'runtime': runtime()}
    result.update(globals()['mode_' + mode](notebook(path), count, repetitions))
    print(json.dumps(result), flush=True)


main()
