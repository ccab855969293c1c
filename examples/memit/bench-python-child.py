# SPDX-License-Identifier: LGPL-2.1-or-later
# Appended to memit-notebook.py and run as
#   python3 -I -c SCRIPT COUNT OPERATIONS REPETITIONS
# Times the notebook's classes the way flyweight-bench times the C rows: a
# monotonic clock around the whole loop, several repetitions, the median.
# Prints one JSON line of nanoseconds per instance or per operation.
import json
import platform
import statistics
import sys
import time


def bench_creation(cls, count, repetitions):
    samples = []
    for _ in range(repetitions):
        objs = [None] * count
        start = time.perf_counter_ns()
        for i in range(count):
            objs[i] = cls(3, 10)
        end = time.perf_counter_ns()
        samples.append((end - start) / count)
        del objs
    return statistics.median(samples)


def bench_attr_get(operations, repetitions):
    o = Pokies(3, 10)
    o.owner = 'Aristocrat'
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        for _ in range(operations):
            o.owner
        end = time.perf_counter_ns()
        samples.append((end - start) / operations)
    return statistics.median(samples)


def bench_attr_set(operations, repetitions):
    o = Pokies(3, 10)
    o.owner = 'Aristocrat'
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        for _ in range(operations):
            o.owner = 'Aristocrat'
        end = time.perf_counter_ns()
        samples.append((end - start) / operations)
    return statistics.median(samples)


def bench_draw(cls, operations, repetitions):
    o = cls(3, 10)
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        for _ in range(operations):
            o.draw()
        end = time.perf_counter_ns()
        samples.append((end - start) / operations)
    return statistics.median(samples)


def bench_empty_loop(operations, repetitions):
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        for _ in range(operations):
            pass
        end = time.perf_counter_ns()
        samples.append((end - start) / operations)
    return statistics.median(samples)


def bench_main(count, operations, repetitions):
    draws = max(1, operations // 5)
    print(json.dumps({
        'runtime': 'CPython ' + platform.python_version(),
        'create_python-dict': bench_creation(Pokies, count, repetitions),
        'create_python-slots': bench_creation(FlyweightPokies, count, repetitions),
        'create_python-weakslots': bench_creation(WeakPokies, count, repetitions),
        'attr_get': bench_attr_get(operations, repetitions),
        'attr_set': bench_attr_set(operations, repetitions),
        'draw_dict': bench_draw(Pokies, draws, repetitions),
        'draw_slots': bench_draw(FlyweightPokies, draws, repetitions),
        'empty_loop': bench_empty_loop(operations, repetitions),
    }))


bench_main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
