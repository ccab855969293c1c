#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Checks flyweight-memit with small counts: the content of its rows (the
# plausibility of the figures and their order, never their timings), the
# JSON, the refusal of bad arguments, the charts, the report of a failing
# child. Usage: memit-check.py MODE PATH-TO-FLYWEIGHT-MEMIT; prints TAP.
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

# Small enough to run in a fraction of a second, large enough that the
# page granularity of the RSS (two pages over N: 0.4 B) cannot turn the
# comparisons below upside down.
COUNT = 20000
PYTHON = '/usr/bin/python3'
C_IDS = ['dynamic', 'dynamic-owner', 'slotted', 'slotted-weakref', 'pool-floor',
         'gobject-floor', 'malloc-struct', 'hashtable']
PYTHON_IDS = ['python-dict', 'python-dict-owner', 'python-slots', 'python-weakslots',
              'python-weakref']
BINDING_IDS = ['pygobject-slotted', 'gjs-slotted', 'pygobject-dynamic-owner', 'pygobject-store',
               'gjs-dynamic-owner', 'gjs-store',
               'pygobject-pool', 'gjs-pool']
# Rows that make at most 20000 instances: gjs wrappers cost O(live wrappers).
BOUNDED_IDS = ['gjs-slotted', 'gjs-dynamic-owner']
ROW_KEYS = ['id', 'label', 'kind', 'instances', 'peak_mb', 'bytes_per_instance',
            'ns_per_instance', 'ratio_to_dynamic', 'rss_before', 'rss_after', 'runtime']
# The least one instance can take, its references included: a GObject is
# a 24-byte header, the two guints 8 more; a CPython object with two
# slots is 32 bytes, one with a dict far more.
LEAST_BYTES = {
    'dynamic': 8 + 32, 'dynamic-owner': 8 + 32, 'slotted': 8 + 32,
    'slotted-weakref': 16 + 32, 'gobject-floor': 8 + 32, 'malloc-struct': 8 + 8,
    'hashtable': 8 + 32 + 2 * 24, 'python-dict': 8 + 48, 'python-dict-owner': 8 + 48,
    'python-slots': 8 + 32, 'python-weakslots': 8 + 40, 'python-weakref': 16 + 40,
    'pygobject-slotted': 8 + 32, 'gjs-slotted': 8 + 32,
    # Ten shared machines: the reference is nearly all of it.
    'pool-floor': 8, 'pool-distinct': 8 + 32 + 8,
    # From an interpreter, a list of 20000 references (160 KB) may land in
    # memory the interpreter already holds: nothing else is made.
    'pygobject-pool': 0, 'gjs-pool': 0,
    'pygobject-dynamic-owner': 8 + 32, 'gjs-dynamic-owner': 8 + 32,
}
# A store row is about 4 bytes a machine: at COUNT machines, 80 kB, within
# the noise of an interpreter's heap (gjs's collector gives back or keeps
# a megabyte or two either way). These rows must stay far below a wrapper
# per machine; their real figure needs a million machines.
STORE_IDS = ['pygobject-store', 'gjs-store']


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, description):
        self.count += 1
        if not condition:
            self.failed += 1
        # A description quotes program output: one TAP line whatever it holds.
        description = ' '.join(str(description).split())
        print('%s %d - %s' % ('ok' if condition else 'not ok', self.count, description))
        return condition

    def skip(self, description):
        self.count += 1
        print('ok %d # SKIP %s' % (self.count, description))

    def done(self):
        print('1..%d' % self.count)
        return 1 if self.failed else 0


def run(memit, *args, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([memit, *args], capture_output=True, text=True,
                          env=full_env, timeout=100)


def run_json(tap, memit, *args):
    result = run(memit, '--json', *args)
    if not tap.ok(result.returncode == 0, 'memit --json %s exits 0 (%d: %s)'
                  % (' '.join(args), result.returncode, result.stderr.strip())):
        return None
    return json.loads(result.stdout)


def check_rows(tap, rows):
    """What every row must show, whatever it is."""
    for row in rows.values():
        name = row['id']
        tap.ok(all(key in row for key in ROW_KEYS), '%s has every key' % name)
        if name in STORE_IDS:
            tap.ok(row['instances'] == COUNT, '%s made %d machines' % (name, row['instances']))
            tap.ok(abs(row['bytes_per_instance']) < 120,
                   '%s: %.1f bytes per machine, within the noise of an empty row'
                   % (name, row['bytes_per_instance']))
            continue
        tap.ok(row['instances'] == (min(COUNT, 20000) if name in BOUNDED_IDS else COUNT),
               '%s made %d instances' % (name, row['instances']))
        tap.ok(row['peak_mb'] > 0 and row['ns_per_instance'] > 0,
               '%s: peak and time are positive' % name)
        tap.ok(LEAST_BYTES[name] - 1 <= row['bytes_per_instance'] < 2000,
               '%s: %.1f bytes per instance, at least the %d an instance and its references take'
               % (name, row['bytes_per_instance'], LEAST_BYTES[name]))
        grew = row['rss_after'] > row['rss_before'] if LEAST_BYTES[name] > 0 else row['rss_after'] >= row['rss_before']
        tap.ok(grew and row['rss_before'] > 0, '%s: RSS grew' % name)
        tap.ok(row['peak_mb'] * 2**20 >= row['rss_after'] * 0.99,
               '%s: the peak is at least the final RSS' % name)


def check_order(tap, rows, smaller, larger, slack=1.0):
    if smaller in rows and larger in rows:
        a, b = rows[smaller]['bytes_per_instance'], rows[larger]['bytes_per_instance']
        tap.ok(a <= b + slack, '%s (%.1f B) <= %s (%.1f B)' % (smaller, a, larger, b))


def check_c_rows(tap, memit):
    report = run_json(tap, memit, '-n', str(COUNT), '--no-python', '--no-bindings')
    if report is None:
        return
    rows = {row['id']: row for row in report['variants']}
    tap.ok(list(rows) == C_IDS, 'the C rows, in table order: %s' % ', '.join(rows))
    check_rows(tap, rows)

    # A sanitizer's allocator pads and quarantines every block: the sizes
    # it gives say nothing about the library's.
    if os.environ.get('MEMIT_SANITIZED'):
        tap.skip('sizes under %s are the sanitizer\'s' % os.environ['MEMIT_SANITIZED'])
        return

    # What the library promises: PokiesSlotted is the GObject floor, and
    # the dynamic store costs less than a hash table per instance, more
    # than two fixed fields.
    slotted, floor = rows['slotted']['bytes_per_instance'], rows['gobject-floor']['bytes_per_instance']
    tap.ok(abs(slotted - floor) <= 1.0,
           'PokiesSlotted (%.1f B) is the GObject floor (%.1f B)' % (slotted, floor))
    check_order(tap, rows, 'malloc-struct', 'slotted')
    check_order(tap, rows, 'slotted', 'dynamic')
    dynamic, table = rows['dynamic']['bytes_per_instance'], rows['hashtable']['bytes_per_instance']
    tap.ok(2 * dynamic < table, 'PokiesDynamic (%.1f B) is less than half a GHashTable '
           'of GValues (%.1f B)' % (dynamic, table))
    # A live GWeakRef costs GLib's bookkeeping and its own 8 bytes.
    check_order(tap, rows, 'slotted', 'slotted-weakref', slack=-8.0)
    # A machine shared by ten configurations' positions costs them their
    # reference; and the floor of a million positions is ten machines.
    check_order(tap, rows, 'pool-floor', 'malloc-struct')
    # The ten machines are under 0.1 B a position here, the page slack 0.4 B.
    tap.ok(rows['pool-floor']['bytes_per_instance'] <= 9.0,
           'a pooled position costs its reference (%.1f B)' % rows['pool-floor']['bytes_per_instance'])
    # Shared keys and an interned value: owner costs little or nothing.
    owner, plain = rows['dynamic-owner']['bytes_per_instance'], dynamic
    tap.ok(plain - 1.0 <= owner <= plain + 16.0,
           'owner adds at most 16 B to a PokiesDynamic (%.1f -> %.1f B)' % (plain, owner))
    tap.ok(rows['dynamic']['ratio_to_dynamic'] == 1, 'dynamic is 1.0 of itself')
    ratio = rows['slotted']['ratio_to_dynamic']
    tap.ok(abs(ratio - slotted / dynamic) < 1e-9, 'ratio_to_dynamic is bytes over dynamic\'s')


def check_json(tap, memit):
    report = run_json(tap, memit, '-n', str(COUNT))
    if report is None:
        return
    for key in ['program', 'count', 'rounds', 'unit_note', 'environment', 'notes',
                'variants', 'comparisons']:
        tap.ok(key in report, 'top-level key %s' % key)
    tap.ok(report['count'] == COUNT and report['rounds'] == 1, 'count and rounds')
    tap.ok('8-byte' in report['unit_note'], 'unit_note says the reference is counted')
    tap.ok(report['notes'] == [], 'no note at N = %d' % COUNT)

    environment = report['environment']
    glib = environment['glib']
    match = re.match(r'GLib (\d+)\.(\d+)\.(\d+) \((GSlice|malloc)', glib)
    if tap.ok(match is not None, 'the GLib and its allocator: %s' % glib):
        old_glib = (int(match.group(1)), int(match.group(2))) < (2, 76)
        gslice = old_glib and 'always-malloc' not in (os.environ.get('G_SLICE') or '')
        tap.ok(environment['allocator'] == ('GSlice' if gslice else 'malloc'),
               'allocator %s, as GLib %s.%s says' % (environment['allocator'],
                                                      match.group(1), match.group(2)))

    rows = {row['id']: row for row in report['variants']}
    have_python = os.access(PYTHON, os.X_OK)
    expected = C_IDS + (PYTHON_IDS if have_python else [])
    tap.ok([row for row in rows if row not in BINDING_IDS] == expected,
           'every row, in table order: %s' % ', '.join(rows))
    tap.ok((environment['python'] or '').startswith('CPython') == have_python,
           'the CPython that ran: %s' % environment['python'])
    for name in BINDING_IDS:
        if name in rows:
            tap.ok(rows[name]['kind'] == 'binding', '%s is a binding row' % name)
    check_rows(tap, rows)

    check_order(tap, rows, 'python-slots', 'python-dict')
    check_order(tap, rows, 'python-slots', 'python-weakslots')
    check_order(tap, rows, 'python-weakslots', 'python-weakref', slack=-8.0)
    # A wrapper per object: the binding user pays more than C does.
    check_order(tap, rows, 'slotted', 'pygobject-slotted', slack=-8.0)
    # Shared machines from Python: a list of references, far below a
    # wrapper or an object each.
    check_order(tap, rows, 'pygobject-pool', 'python-slots')
    # One wrapper for the store: less than the notebook's smallest class.
    check_order(tap, rows, 'pygobject-store', 'pygobject-dynamic-owner', slack=-100.0)
    check_order(tap, rows, 'gjs-store', 'gjs-dynamic-owner', slack=-100.0)
    compared = {(c['subject'], c['reference']) for c in report['comparisons']}
    tap.ok(('slotted-weakref', 'python-weakref') in compared,
           'a live GWeakRef is compared with a live weakref.ref')
    tap.ok(('slotted-weakref', 'python-weakslots') not in compared,
           'and not with a WeakPokies that holds none')
    tap.ok(all(c['memory_ratio'] is None or c['memory_ratio'] > 0 for c in report['comparisons']),
           'no comparison is negative')

    # A selection keeps table order; without dynamic there is no ratio.
    report = run_json(tap, memit, '-n', str(COUNT), '--variant', 'slotted',
                      '--variant', 'malloc-struct,gobject-floor')
    if report is not None:
        tap.ok([row['id'] for row in report['variants']]
               == ['slotted', 'gobject-floor', 'malloc-struct'], 'selection in table order')
        tap.ok(all(row['ratio_to_dynamic'] is None for row in report['variants']),
               'ratio_to_dynamic is null without the dynamic row')

    # Rows outside the default table come on request.
    report = run_json(tap, memit, '-n', str(COUNT), '--variant', 'slotted-props', '--rounds', '3')
    if report is not None:
        row = report['variants'][0]
        tap.ok(row['id'] == 'slotted-props' and report['rounds'] == 3,
               'an extra row on request, three rounds')

    # A small N is measured, with a warning that says how far to trust it.
    result = run(memit, '-n', '2000', '--variant', 'slotted', '--json')
    if tap.ok(result.returncode == 0, '-n 2000 is measured'):
        notes = json.loads(result.stdout)['notes']
        tap.ok(len(notes) == 1 and '±' in notes[0] and notes[0] in result.stderr,
               'with a note on stderr and in the JSON: %s' % notes)

    # A long run says what it does on stderr, even when its JSON goes to a
    # pipe; the JSON stays clean.
    result = run(memit, '-n', '1e6', '--variant', 'malloc-struct,slotted', '--json')
    if tap.ok(result.returncode == 0, 'a run of 2e6 instances exits 0'):
        tap.ok('measuring malloc-struct (2/2)' in result.stderr
               and json.loads(result.stdout)['count'] == 1000000,
               'it shows its progress on stderr: %s' % result.stderr.splitlines())

    result = run(memit, '-n', str(COUNT), '--variant', 'slotted', '--variant', 'dynamic')
    tap.ok(result.returncode == 0 and 'PokiesSlotted' in result.stdout
           and '8-byte' in result.stdout and 'GLib ' in result.stdout.splitlines()[0],
           'the table names the class, the GLib and the 8-byte note')

    # The table and the JSON file come from the same measurements.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'memit.json')
        result = run(memit, '-n', str(COUNT), '--variant', 'slotted', '--output', path)
        if tap.ok(result.returncode == 0 and os.path.exists(path), '--output writes the JSON'):
            with open(path) as output:
                report = json.load(output)
            bytes_text = '%.1f' % report['variants'][0]['bytes_per_instance']
            tap.ok(bytes_text in result.stdout, 'the file matches the table (%s B)' % bytes_text)
            tap.ok(path in result.stderr, 'and says where it went')

    result = run(memit, '--help')
    tap.ok(result.returncode == 0 and '8-byte' in result.stdout
           and 'MB per loop' in result.stdout and 'ns/inst' in result.stdout
           and '× dynamic' in result.stdout, '--help explains every column')
    result = run(memit, '--version')
    tap.ok(result.returncode == 0 and re.match(r'flyweight-memit \d+\.\d+\.\d+ \(GLib ',
                                               result.stdout) is not None,
           '--version: %s' % result.stdout.strip())


def check_bad_arguments(tap, memit):
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ['-n', '0'],
            ['-n', '10'],           # a page per instance: says nothing
            ['-n', '999'],
            ['-n', '-5'],
            ['-n', '1e12'],
            ['-n', 'abc'],
            ['-n', ''],
            ['-n', '1000000000'],   # fits the parser, not the memory
            ['--count=2.5'],
            ['--rounds', '0'],
            ['--rounds', '100'],
            ['--variant', 'no-such-variant'],
            ['--variant', ','],
            ['--no-python', '--variant', 'python-slots'],
            ['--no-bindings', '--variant', 'gjs-slotted'],
            ['--plot', '/nonexistent-folder/memit.png'],
            ['--plot', os.path.join(tmp, 'memit.gif')],
            ['--plot', tmp],
            ['--output', '/nonexistent-folder/memit.json'],
            ['--output', tmp],
            ['--no-such-option'],
            ['surplus-argument'],
        ]
        for args in cases:
            result = run(memit, *args)
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            tap.ok(result.returncode == 2 and result.stdout == '' and 1 <= len(lines) <= 2,
                   '%s: exit 2, one message (%d: %s)'
                   % (' '.join(args), result.returncode, lines[0] if lines else ''))
        tap.ok(os.listdir(tmp) == [], 'no file left behind by the refused plots')


def png_size(path):
    with open(path, 'rb') as png:
        header = png.read(24)
    if header[:8] != b'\x89PNG\r\n\x1a\n' or header[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', header[16:24])


def svg_bars(root):
    """The widths of the filled 20-pixel-high rectangles, top to bottom."""
    bars = []
    for element in root.iter():
        # cairo < 1.18 writes the fill into a style attribute, later ones
        # into a fill attribute of its own.
        fill = element.get('fill') or ''
        filled = 'fill:rgb' in (element.get('style') or '') or fill.startswith('rgb')
        if not element.tag.endswith('path') or not filled:
            continue
        numbers = [float(n) for n in re.findall(r'-?\d+(?:\.\d+)?', element.get('d') or '')]
        if len(numbers) == 10:
            x1, y1, x2, _, _, y2 = numbers[:6]
            if abs(y2 - y1 - 20) < 0.5:
                bars.append((y1, x2 - x1))
    return [width for _, width in sorted(bars)]


def check_plot(tap, memit):
    with tempfile.TemporaryDirectory() as tmp:
        for name in ['memit.png', 'memit.svg']:
            path = os.path.join(tmp, name)
            result = run(memit, '-n', str(COUNT), '--variant', 'dynamic,slotted,hashtable',
                         '--no-python', '--plot', path, '--output', os.path.join(tmp, 'run.json'))
            if not tap.ok(result.returncode == 0, '--plot %s exits 0 (%d)'
                          % (name, result.returncode)):
                continue
            tap.ok('PokiesSlotted' in result.stdout, 'the table is still printed')
            tap.ok(path in result.stderr, 'it says where the chart went')
            tap.ok(os.path.getsize(path) > 1000, '%s is not empty' % name)
            if name.endswith('.png'):
                size = png_size(path)
                tap.ok(size is not None and size[0] >= 400 and size[1] >= 100,
                       'a valid PNG (%s)' % (size,))
                continue

            root = ElementTree.parse(path).getroot()
            tap.ok(root.tag.endswith('svg') and root.get('width') is not None,
                   'a well-formed SVG document')
            with open(os.path.join(tmp, 'run.json')) as output:
                figures = [row['bytes_per_instance'] for row in json.load(output)['variants']]
            widths = svg_bars(root)
            if not tap.ok(len(widths) == 3, 'three bars: %s' % widths):
                continue
            dynamic, slotted, table = widths
            # The scale serves the bars that differ by a few bytes: the
            # hash table, ten times longer, is cut instead of squashing them.
            tap.ok(abs(dynamic / slotted - figures[0] / figures[1]) < 0.02,
                   'dynamic and slotted to scale (%.0f and %.0f px for %.1f and %.1f B)'
                   % (dynamic, slotted, figures[0], figures[1]))
            tap.ok(dynamic - slotted >= 100,
                   'their %.1f B of difference show as %.0f px'
                   % (figures[0] - figures[1], dynamic - slotted))
            tap.ok(table < 1.5 * dynamic, 'the hash table bar (%.1f B) is cut to %.0f px'
                   % (figures[2], table))


def check_child_failure(tap, memit):
    result = run(memit, '-n', str(COUNT), '--variant', 'python-slots',
                 env={'FLYWEIGHT_MEMIT_PYTHON': '/bin/false'})
    tap.ok(result.returncode == 1, 'a failing child: exit 1 (%d)' % result.returncode)
    tap.ok('python-slots' in result.stderr and 'failed' in result.stderr,
           'the message names the failed row: %s' % result.stderr.strip().splitlines()[-1:])
    tap.ok(result.stdout == '', 'no table after a failure')

    result = run(memit, '-n', str(COUNT), '--variant', 'python-slots',
                 env={'FLYWEIGHT_MEMIT_PYTHON': '/no/such/python3'})
    tap.ok(result.returncode == 2 and '/no/such/python3' in result.stderr,
           'a missing interpreter is refused before measuring (%d)' % result.returncode)


def main():
    mode, memit = sys.argv[1], sys.argv[2]
    tap = Tap()
    {
        'c-rows': check_c_rows,
        'json': check_json,
        'bad-arguments': check_bad_arguments,
        'plot': check_plot,
        'child-failure': check_child_failure,
    }[mode](tap, memit)
    return tap.done()


sys.exit(main())
