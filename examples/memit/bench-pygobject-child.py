# SPDX-License-Identifier: LGPL-2.1-or-later
# Run as: python3 -c SCRIPT WHAT COUNT REPETITIONS, with GI_TYPELIB_PATH
# pointing at Flyweight-1.0.typelib. WHAT is "slotted"
# (Flyweight.PokiesSlotted.new(3, 10)) or "object" (GObject.Object()).
# The first repetition runs in a fresh process and gives the bytes per
# object, measured like flyweight-memit's rows; every repetition gives a
# time, and the median is printed.
import json
import os
import platform
import statistics
import sys
import time

import gi
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GObject  # noqa: E402

PAGE_SIZE = os.sysconf('SC_PAGESIZE')


def rss():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def peak_rss():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


def fill_slotted(objs, count):
    for i in range(count):
        objs[i] = Flyweight.PokiesSlotted.new(3, 10)


def fill_object(objs, count):
    for i in range(count):
        objs[i] = GObject.Object()


def main(what, count, repetitions):
    fill = {'slotted': fill_slotted, 'object': fill_object}[what]
    warm = [None]
    fill(warm, 1)
    del warm

    samples = []
    rss_before = rss_after = 0
    for repetition in range(repetitions):
        if repetition == 0:
            rss_before = rss()
        objs = [None] * count
        start = time.perf_counter_ns()
        fill(objs, count)
        end = time.perf_counter_ns()
        if repetition == 0:
            rss_after = rss()
        samples.append((end - start) / count)
        del objs

    print(json.dumps({
        'id': 'pygobject-' + what,
        'instances': count,
        'rss_before': rss_before,
        'rss_after': rss_after,
        'peak_rss': peak_rss(),
        'ns_per_instance': statistics.median(samples),
        'runtime': 'PyGObject %s on CPython %s' % (gi.__version__, platform.python_version()),
    }))


main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
