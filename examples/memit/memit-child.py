# SPDX-License-Identifier: LGPL-2.1-or-later
# The Python side of flyweight-memit and the bench, appended to what its
# rows may use (the notebook's classes, or the imports of PyGObject):
#
#   python3 -c SCRIPT memit ID COUNT PREPARE PRESIZE BODY
#     One row in this fresh process: PREPARE, one warm-up instance, the
#     RSS, the timed loop, the RSS again with everything alive; prints one
#     JSON line with the keys of flyweight-memit's C children.
#   python3 -c SCRIPT serve
#     Times loops on request for the bench: reads one JSON object per line
#     ({"prepare", "presize", "body", "count"}), runs the loop once and
#     answers {"ns": ...}, so that the bench can interleave them with its
#     own rows.
#
# The loop is compiled into a function, as fast as hand-written code:
#     def run(count):
#         PRESIZE  (default: objs = [None] * count)
#         for i in range(count):
#             BODY
import json
import platform
import sys
import time


def memit_read_kb(path, field):
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(field + ':'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def memit_rss():
    # Exact, like the C children: smaps_rollup walks the page tables.
    return (memit_read_kb('/proc/self/smaps_rollup', 'Rss')
            or memit_read_kb('/proc/self/status', 'VmRSS'))


def memit_runtime():
    python = 'CPython ' + platform.python_version()
    gi = sys.modules.get('gi')
    return 'PyGObject %s, %s' % (gi.__version__, python) if gi else python


def memit_compile(prepare, presize, body):
    exec(prepare, globals())
    source = ('def run(count):\n'
              '    %s\n'
              '    start = time.perf_counter_ns()\n'
              '    for i in range(count):\n'
              '        %s\n'
              '    return time.perf_counter_ns() - start, locals()\n'
              % (presize or 'objs = [None] * count', body))
    namespace = {}
    exec(source, globals(), namespace)
    return namespace['run']


def memit_row(row_id, count, prepare, presize, body):
    run = memit_compile(prepare, presize, body)
    # The class, the code and a first instance exist before the first
    # reading, as the notebook's classes exist before %memit runs.
    run(1)
    rss_before = memit_rss()
    elapsed, alive = run(count)
    rss_after = memit_rss()
    print(json.dumps({
        'id': row_id,
        'instances': count,
        'rss_before': rss_before,
        'rss_after': rss_after,
        'peak_rss': memit_read_kb('/proc/self/status', 'VmHWM'),
        'elapsed_ns': elapsed,
        'runtime': memit_runtime(),
    }), flush=True)
    # Everything stayed alive until the second reading; now it may go.
    del alive


def memit_serve():
    compiled = {}
    for line in sys.stdin:
        request = json.loads(line)
        key = (request['prepare'], request['presize'], request['body'])
        if key not in compiled:
            compiled[key] = memit_compile(*key)
        elapsed, alive = compiled[key](request['count'])
        del alive
        print(json.dumps({'ns': elapsed, 'runtime': memit_runtime()}), flush=True)


if sys.argv[1] == 'memit':
    memit_row(sys.argv[2], int(sys.argv[3]), *sys.argv[4:7])
else:
    memit_serve()
