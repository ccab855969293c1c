# SPDX-License-Identifier: LGPL-2.1-or-later
# Appended to memit-notebook.py and run as
#   python3 -I -c SCRIPT ID CLASS COUNT OWNER
# in a fresh process per row. Prints one JSON line with the same keys as
# flyweight-memit's C children.
import json
import os
import platform
import sys
import time

PAGE_SIZE = os.sysconf('SC_PAGESIZE')


def memit_rss():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def memit_peak_rss():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


def memit_main(variant_id, class_name, count, owner):
    cls = globals()[class_name]

    # The class exists and has made one instance before the first reading,
    # as in the notebook.
    warm = cls(3, 10)
    if owner:
        warm.owner = 'Aristocrat'
    del warm

    rss_before = memit_rss()
    # After the first reading, like the C pointer array: its 8 bytes per
    # instance count, as the notebook's list did.
    objs = [None] * count
    start = time.perf_counter_ns()
    for i in range(count):
        objs[i] = cls(3, 10)
    if owner:
        for obj in objs:
            obj.owner = 'Aristocrat'
    end = time.perf_counter_ns()
    rss_after = memit_rss()
    peak_rss = memit_peak_rss()

    print(json.dumps({
        'id': variant_id,
        'instances': count,
        'rss_before': rss_before,
        'rss_after': rss_after,
        'peak_rss': peak_rss,
        'elapsed_ns': end - start,
        'runtime': 'CPython ' + platform.python_version(),
    }))
    # Everything stayed alive until the second reading; now it may go.
    del objs


memit_main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == 'owner')
