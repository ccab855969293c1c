#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Checks flyweight-memit with a tiny count: the JSON's shape and the
# plausibility of its figures (never its timings), the refusal of bad
# arguments, the plot files, and the report of a failing child.
# Usage: memit-check.py MODE PATH-TO-FLYWEIGHT-MEMIT; prints TAP.
import json
import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

# Small enough to run in a fraction of a second, large enough that the
# kernel's approximate RSS counters (off by a few dozen pages) cannot turn
# the comparisons below upside down.
COUNT = 20000
PYTHON = '/usr/bin/python3'
C_IDS = ['dynamic', 'dynamic-owner', 'slotted', 'slotted-weakref',
         'gobject-floor', 'malloc-struct', 'hashtable']
PYTHON_IDS = ['python-dict', 'python-dict-owner', 'python-slots', 'python-weakslots']
ROW_KEYS = ['id', 'label', 'instances', 'peak_mb', 'bytes_per_instance',
            'ns_per_instance', 'ratio_to_dynamic']


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, description):
        self.count += 1
        if not condition:
            self.failed += 1
        print('%s %d - %s' % ('ok' if condition else 'not ok', self.count, description))
        return condition

    def done(self):
        print('1..%d' % self.count)
        return 1 if self.failed else 0


def run(memit, *args, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([memit, *args], capture_output=True, text=True,
                          env=full_env, timeout=50)


def check_json(tap, memit):
    result = run(memit, '-n', str(COUNT), '--json')
    if not tap.ok(result.returncode == 0, 'memit --json exits 0 (%d: %s)'
                  % (result.returncode, result.stderr.strip())):
        return
    tap.ok(result.stderr == '', 'nothing on stderr with --json and a pipe')

    report = json.loads(result.stdout)
    for key in ['count', 'unit_note', 'environment', 'variants', 'comparisons']:
        tap.ok(key in report, 'top-level key %s' % key)
    tap.ok(report['count'] == COUNT, 'count is %d' % COUNT)
    tap.ok('8-byte' in report['unit_note'], 'unit_note says the reference is counted')

    expected = C_IDS + (PYTHON_IDS if os.access(PYTHON, os.X_OK) else [])
    rows = {row['id']: row for row in report['variants']}
    tap.ok([row['id'] for row in report['variants']] == expected,
           'every variant, in table order: %s' % ', '.join(rows))

    for row in report['variants']:
        name = row['id']
        tap.ok(all(key in row for key in ROW_KEYS), '%s has every key' % name)
        tap.ok(row['instances'] == COUNT, '%s made %d instances' % (name, COUNT))
        tap.ok(row['peak_mb'] > 0 and row['ns_per_instance'] > 0,
               '%s: peak and time are positive' % name)
        floor = 16 if name == 'slotted-weakref' else 8
        tap.ok(floor <= row['bytes_per_instance'] < 10000,
               '%s: %.1f bytes per instance, at least its %d-byte reference'
               % (name, row['bytes_per_instance'], floor))
        tap.ok(row['rss_after'] > row['rss_before'] > 0, '%s: RSS grew' % name)
        tap.ok(row['peak_mb'] * 2**20 >= row['rss_after'] * 0.99,
               '%s: the peak is at least the final RSS' % name)

    # Only pairs far apart: a few pages of counter slack are a few bytes
    # per instance here.
    def smaller(a, b):
        if a in rows and b in rows:
            tap.ok(rows[a]['bytes_per_instance'] <= rows[b]['bytes_per_instance'],
                   '%s (%.1f B) <= %s (%.1f B)' % (a, rows[a]['bytes_per_instance'],
                                                   b, rows[b]['bytes_per_instance']))

    # No order between dynamic and dynamic-owner: with shared keys and an
    # interned value, adding owner may cost nothing, as it does in CPython.
    smaller('slotted', 'dynamic')
    smaller('slotted', 'slotted-weakref')
    smaller('dynamic', 'hashtable')
    smaller('python-slots', 'python-dict')
    tap.ok(rows['dynamic']['ratio_to_dynamic'] == 1, 'dynamic is 1.0 of itself')

    # A selection keeps table order and its stable ids; without dynamic
    # there is no ratio.
    result = run(memit, '-n', str(COUNT), '--json', '--variant', 'slotted',
                 '--variant', 'malloc-struct,gobject-floor')
    if tap.ok(result.returncode == 0, '--variant selection exits 0'):
        report = json.loads(result.stdout)
        tap.ok([row['id'] for row in report['variants']]
               == ['slotted', 'gobject-floor', 'malloc-struct'], 'selection in table order')
        tap.ok(all(row['ratio_to_dynamic'] is None for row in report['variants']),
               'ratio_to_dynamic is null without the dynamic row')

    result = run(memit, '-n', str(COUNT), '--variant', 'slotted', '--variant', 'dynamic')
    tap.ok(result.returncode == 0 and 'PokiesSlotted' in result.stdout
           and '8-byte' in result.stdout, 'the table names the class and the 8-byte note')

    # The table and the JSON file come from the same measurements.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'memit.json')
        result = run(memit, '-n', str(COUNT), '--variant', 'slotted', '--output', path)
        if tap.ok(result.returncode == 0 and os.path.exists(path), '--output writes the JSON'):
            with open(path) as output:
                report = json.load(output)
            bytes_text = '%.1f' % report['variants'][0]['bytes_per_instance']
            tap.ok(bytes_text in result.stdout, 'the file matches the table (%s B)' % bytes_text)

    result = run(memit, '--help')
    tap.ok(result.returncode == 0 and '8-byte' in result.stdout
           and 'MB per loop' in result.stdout, '--help explains the columns')


def check_bad_arguments(tap, memit):
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ['-n', '0'],
            ['-n', '-5'],
            ['-n', '1e12'],
            ['-n', 'abc'],
            ['-n', ''],
            ['-n', '1000000000'],   # fits the parser, not the memory
            ['--count=2.5'],
            ['--variant', 'no-such-variant'],
            ['--variant', 'dynamic-props'],  # a bench-only row
            ['--no-python', '--variant', 'python-slots'],
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


def check_plot(tap, memit):
    with tempfile.TemporaryDirectory() as tmp:
        for name in ['memit.png', 'memit.svg']:
            path = os.path.join(tmp, name)
            result = run(memit, '-n', str(COUNT), '--variant', 'slotted,gobject-floor',
                         '--no-python', '--plot', path)
            if not tap.ok(result.returncode == 0, '--plot %s exits 0 (%s)'
                          % (name, result.stderr.strip())):
                continue
            tap.ok('PokiesSlotted' in result.stdout, 'the table is still printed')
            tap.ok(os.path.getsize(path) > 1000, '%s is not empty' % name)
            if name.endswith('.png'):
                size = png_size(path)
                tap.ok(size is not None and size[0] >= 400 and size[1] >= 100,
                       'a valid PNG (%s)' % (size,))
            else:
                root = ElementTree.parse(path).getroot()
                tap.ok(root.tag.endswith('svg') and root.get('width') is not None,
                       'a well-formed SVG document')


def check_child_failure(tap, memit):
    result = run(memit, '-n', str(COUNT), '--variant', 'python-slots',
                 env={'FLYWEIGHT_MEMIT_PYTHON': '/bin/false'})
    tap.ok(result.returncode == 1, 'a failing child: exit 1 (%d)' % result.returncode)
    tap.ok('python-slots' in result.stderr and 'failed' in result.stderr,
           'the message names the failed row: %s' % result.stderr.strip().splitlines()[-1:])
    tap.ok(result.stdout == '', 'no table after a failure')


def main():
    mode, memit = sys.argv[1], sys.argv[2]
    tap = Tap()
    {
        'json': check_json,
        'bad-arguments': check_bad_arguments,
        'plot': check_plot,
        'child-failure': check_child_failure,
    }[mode](tap, memit)
    return tap.done()


sys.exit(main())
