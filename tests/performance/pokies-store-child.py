#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CPython reference of bench-pokies-store's draw rows.

Run as: python3 -I pokies-store-child.py NOTEBOOK COUNT

NOTEBOOK is examples/memit/memit-notebook.py, the notebook's classes
verbatim. Makes COUNT of the notebook's FlyweightPokies(3, 10) in a list,
then times one loop calling draw() on each, and prints one JSON line with
the nanoseconds per call.
"""
import json
import platform
import sys
import time


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    scope = {}
    with open(path) as f:
        exec(compile(f.read(), path, 'exec'), scope)
    cls = scope['FlyweightPokies']
    machines = [cls(3, 10) for _ in range(count)]
    start = time.perf_counter_ns()
    for p in machines:
        p.draw()
    elapsed = time.perf_counter_ns() - start
    print(json.dumps({'ns': elapsed / count, 'runtime': 'CPython ' + platform.python_version()}),
          flush=True)


main()
