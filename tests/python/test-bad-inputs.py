#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the hostile-user table, tests/bad-inputs.txt, through PyGObject.

Every row must fail with the error it names (or succeed harmlessly), leave
the machine exactly as it was, and leave it working. The table is found
through FLYWEIGHT_BAD_INPUTS, or next to this script's folder:

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    /usr/bin/python3 tests/python/test-bad-inputs.py [--override]

Without --override, the rows go through the typelib alone, as in every
binding. With it, they go through the PyGObject override that
FLYWEIGHT_OVERRIDE names (on PYTHONPATH), by its methods and again by
attribute syntax: setattr(), getattr(), delattr() and hasattr().

The results are printed as TAP; the exit status is 1 if any row failed.
"""

import gc
import os
import sys
import traceback
import unicodedata

import gi

import override_path

WITH_OVERRIDE = sys.argv[1:] == ['--override']
if not WITH_OVERRIDE:
    override_path.without_override()
gi.require_version('GLib', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GLib, GObject  # noqa: E402

if WITH_OVERRIDE:
    override_path.check_override()
else:
    override_path.check_no_override()

DOMAIN = 'flyweight-error-quark'
MAX_MESSAGE_BYTES = 1024
STILL_WORKS_NAME = 'still_works'

# Rows that no Python program can express, and why.
C_ONLY_TARGETS = ('c-critical', 'c-critical-null-self', 'c-critical-wrong-self')
SKIP_C_CRITICAL = ('NULL and wrongly typed arguments are programmer errors: '
                   'PyGObject raises TypeError before calling C')
SKIP_TYPED = ('bindings read attributes with get_attr() (peek_attr), which converts nothing: '
              'converting into an initialized GValue is for C')
SKIP_NOT_UTF8 = ('a Python str always reaches C as valid UTF-8 and PyGObject '
                 'refuses bytes for a utf8 argument')


class Skip(Exception):
    pass


class Row:
    def __init__(self, line, fields):
        self.line = line
        (self.id, self.target, self.operation, self.name, self.value,
         self.expected) = fields[:6]
        self.todo = None
        if len(fields) == 7:
            if not fields[6].startswith('todo:'):
                raise ValueError(f'line {line}: the seventh field must '
                                 f'start with "todo:"')
            self.todo = fields[6][len('todo:'):]


def table_path():
    path = os.environ.get('FLYWEIGHT_BAD_INPUTS')
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, os.pardir, 'bad-inputs.txt')


def load_table():
    rows = []
    with open(table_path(), encoding='utf-8') as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            fields = line.split('\t')
            if len(fields) not in (6, 7):
                raise ValueError(f'line {number}: expected 6 or 7 '
                                 f'tab-separated fields, found {len(fields)}')
            rows.append(Row(number, fields))
    return rows


# ---------------------------------------------------------------- fields

ESCAPES = {'n': b'\n', 't': b'\t', 'r': b'\r', '\\': b'\\'}


def unescape(text):
    """The bytes a table field stands for."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        e = text[i + 1]
        if e in ESCAPES:
            out += ESCAPES[e]
            i += 2
        elif e == 'x':
            byte = int(text[i + 2:i + 4], 16)
            if byte == 0:
                raise ValueError(f'NUL in {text!r}')
            out.append(byte)
            i += 4
        else:
            raise ValueError(f'bad escape in {text!r}')
    return bytes(out)


def decode_name_bytes(field):
    if field in ('-', '@NULL'):
        return None
    if field == '@EMPTY':
        return b''
    if field == '@256':
        return b'a' * 256
    if field == '@1MB':
        return b'a' * 1048576
    if field.startswith('@REPEAT:'):
        count, unit = field[len('@REPEAT:'):].split(':', 1)
        return unescape(unit) * int(count)
    if field.startswith('@'):
        raise ValueError(f'unknown name token {field!r}')
    return unescape(field)


def decode_name(field):
    raw = decode_name_bytes(field)
    if raw is None:
        return None
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        raise Skip(SKIP_NOT_UTF8) from None


def make_value(spec):
    kind, _, arg = spec.partition(':')
    if kind == 'string':
        return unescape(arg).decode('utf-8')
    if kind == 'int':
        return GObject.Value(GObject.TYPE_INT, int(arg))
    if kind == 'uint':
        return GObject.Value(GObject.TYPE_UINT, int(arg))
    if kind == 'double':
        return GObject.Value(GObject.TYPE_DOUBLE, float(arg))
    if kind == 'object' and arg == 'random':
        return Flyweight.Random.new(42)
    if kind == 'pointer' and arg == 'null':
        return GObject.Value(GObject.TYPE_POINTER, None)
    if kind == 'unset':
        return GObject.Value()
    if kind == 'foreign' and arg == 'python':
        return object()
    if kind == 'foreign' and arg == 'js':
        raise Skip('a JavaScript object exists only in gjs')
    raise ValueError(f'unknown value {spec!r}')


def parse_dims(spec):
    if spec.startswith('reels:'):
        return int(spec[len('reels:'):]), 10
    if spec.startswith('symbols:'):
        return 3, int(spec[len('symbols:'):])
    if spec.startswith('dims:'):
        reels, symbols = spec[len('dims:'):].split('x')
        return int(reels), int(symbols)
    if spec == '-':
        return 3, 10
    raise ValueError(f'unknown dimensions {spec!r}')


def expected_code(row):
    for code in Flyweight.Error.__enum_values__.values():
        if code.value_nick == row.expected:
            return int(code)
    raise ValueError(f'{row.operation!r} expects an error, '
                     f'not {row.expected!r}')


# ---------------------------------------------------------------- machines

def new_subject(kind, reels=3, symbols=10):
    if kind == 'dynamic':
        machine = Flyweight.PokiesDynamic.new(reels, symbols)
        machine.set_attr('owner', 'Aristocrat')
        machine.set_attr('lucky', GObject.Value(GObject.TYPE_INT, 7))
        machine.set_attr('rng', Flyweight.Random.new(1))
        return machine
    return Flyweight.PokiesSlotted.new(reels, symbols)


def snapshot(machine):
    """Everything observable about a machine."""
    state = {
        'dims': (machine.get_reels(), machine.get_symbols()),
        'list': machine.list_attrs(),
        'values': {},
    }
    for name in state['list']:
        value = machine.get_attr(name)
        if isinstance(value, GObject.Object):
            value = ('object', type(value).__name__)
        state['values'][name] = value
    if isinstance(machine, Flyweight.PokiesDynamic):
        d = machine.get_dict()
        if not WITH_OVERRIDE:
            d = d.unpack()
        state['dict'] = [(k, ('object', type(v).__name__) if isinstance(v, GObject.Object) else v)
                         for k, v in d.items()]
    return state


def check_values(values, reels, symbols):
    assert len(values) == reels, f'{len(values)} values for {reels} reels'
    assert all(1 <= v <= symbols for v in values), \
        f'a value out of [1, {symbols}]'
    # With this many reels, missing either half of the range has a
    # probability below 2^-64: the draws really span all the symbols.
    if reels >= 64 and symbols >= 2:
        assert any(v > symbols // 2 for v in values), 'no value in the upper half'
        assert any(v <= symbols // 2 for v in values), 'no value in the lower half'


def check_draws(machine):
    reels, symbols = machine.get_reels(), machine.get_symbols()
    check_values(machine.draw(), reels, symbols)
    seeded = machine.draw_with(Flyweight.Random.new(20130405))
    check_values(seeded, reels, symbols)
    assert machine.draw_with(Flyweight.Random.new(20130405)) == seeded, \
        'the same seed gave different draws'


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.domain == DOMAIN, f'domain {e.domain!r}, not {DOMAIN!r}'
        assert e.code == code, \
            f'code {e.code} ({e.message!r}), not {code}'
        return e
    raise AssertionError(f'no error, expected code {code}')


def check_still_works(machine, signals):
    check_draws(machine)
    if isinstance(machine, Flyweight.PokiesDynamic):
        assert not machine.has_attr(STILL_WORKS_NAME)
        machine.set_attr(STILL_WORKS_NAME, 'still working')
        assert machine.has_attr(STILL_WORKS_NAME)
        assert machine.get_attr(STILL_WORKS_NAME) == 'still working'
        machine.del_attr(STILL_WORKS_NAME)
        assert not machine.has_attr(STILL_WORKS_NAME)
        assert signals == [STILL_WORKS_NAME, STILL_WORKS_NAME], signals
    else:
        assert machine.get_attr('reels') == machine.get_reels()
        expect_error(Flyweight.Error.NO_ATTRIBUTE, machine.set_attr,
                     STILL_WORKS_NAME, 'still working')


# ---------------------------------------------------------------- checks

def check_message(message):
    """A message a user can read: short, nothing that moves a cursor,
    changes colours or reorders text."""
    assert message, 'empty message'
    size = len(message.encode('utf-8'))
    assert size <= MAX_MESSAGE_BYTES, f'message of {size} bytes'
    for offset, c in enumerate(message):
        category = unicodedata.category(c)
        assert category not in ('Cc', 'Cf'), \
            f'message has U+{ord(c):04X} at character {offset}'


def check_error(row, func, *args, name=None):
    code = expected_code(row)
    e = expect_error(code, func, *args)
    check_message(e.message)
    assert e.matches(Flyweight.error_quark(), code)
    # These two name an attribute that passed the naming rule: say which.
    if code in (Flyweight.Error.NO_ATTRIBUTE, Flyweight.Error.READ_ONLY):
        assert name in e.message, f'{name!r} not in {e.message!r}'
    return e


def expect(row, wanted):
    if row.expected != wanted:
        raise ValueError(f'{row.operation!r} can only expect {wanted!r}')


def run_weak_ref(row, kind):
    expect(row, 'none')
    obj = new_subject(kind)
    ref = Flyweight.WeakRef.new(obj)
    if row.operation == 'weakref_get_finalized':
        del obj
        gc.collect()
        got = ref.get()
    elif row.operation == 'weakref_copy_finalized':
        copy = ref.copy()
        del obj
        gc.collect()
        assert copy.get() is None
        got = ref.get()
    elif row.operation == 'weakref_set_finalized':
        other = new_subject(kind)
        ref.set(other)
        del other
        gc.collect()
        got = ref.get()
        # The first object was let go, not kept alive by the reference.
        first = Flyweight.WeakRef.new(obj)
        del obj
        gc.collect()
        assert first.get() is None, 'the first object is still alive'
    else:
        raise ValueError(f'unknown operation {row.operation!r}')
    assert got is None, f'the weak reference still gives {got!r}'


def check_syntax_error(row, machine, func, *args, name=None):
    """The row through attribute syntax: a name the Python class has is
    Python's (readable, and assigning or deleting it fails as Python says);
    any other fails as the table says, with an exception that is an
    AttributeError too for attribute codes."""
    if hasattr(type(machine), name):
        if func is getattr:
            return
        try:
            func(machine, name, *args)
        except AttributeError:
            return
        raise AssertionError(f'{func.__name__}() of the Python name {name!r} succeeded')
    e = check_error(row, func, machine, name, *args, name=name)
    if e.code != Flyweight.Error.INVALID_VALUE:
        assert isinstance(e, AttributeError), f'{type(e).__name__} is no AttributeError'


def run_operation(row, kind, machine):
    op = row.operation
    name = decode_name(row.name)
    if op == 'set':
        check_error(row, machine.set_attr, name, make_value(row.value),
                    name=name)
        if WITH_OVERRIDE:
            check_syntax_error(row, machine, setattr, make_value(row.value), name=name)
    elif op == 'get':
        check_error(row, machine.get_attr, name, name=name)
        if WITH_OVERRIDE:
            check_syntax_error(row, machine, getattr, name=name)
    elif op == 'del':
        check_error(row, machine.del_attr, name, name=name)
        if WITH_OVERRIDE:
            check_syntax_error(row, machine, delattr, name=name)
    elif op == 'has':
        expect(row, 'false')
        assert machine.has_attr(name) is False
        if WITH_OVERRIDE and not hasattr(type(machine), name):
            assert hasattr(machine, name) is False
    elif op in ('get_value_typed', 'convert'):
        raise Skip(SKIP_TYPED)
    elif op == 'validate':
        check_error(row, Flyweight.attr_name_validate, name, name=name)
    elif op in ('new_dynamic', 'new_slotted'):
        reels, symbols = parse_dims(row.value)
        cls = (Flyweight.PokiesDynamic if op == 'new_dynamic'
               else Flyweight.PokiesSlotted)
        check_error(row, cls.new, reels, symbols)
    elif op.startswith('weakref_'):
        run_weak_ref(row, kind)
    elif op in ('draw', 'draw_huge'):
        expect(row, 'ok')
        check_draws(machine)
    else:
        raise ValueError(f'unknown operation {op!r}')


def run_row(row):
    if row.target in C_ONLY_TARGETS:
        raise Skip(SKIP_C_CRITICAL)
    if row.target in ('any', 'module'):
        kinds = ['dynamic', 'slotted']
    elif row.target in ('dynamic', 'slotted'):
        kinds = [row.target]
    else:
        raise ValueError(f'unknown target {row.target!r}')

    dims = parse_dims(row.value) if row.operation.startswith('draw') else (3, 10)
    for kind in kinds:
        machine = new_subject(kind, *dims)
        before = snapshot(machine)
        signals = []
        if isinstance(machine, Flyweight.PokiesDynamic):
            machine.connect('attr-changed', lambda m, n: signals.append(n))

        run_operation(row, kind, machine)

        after = snapshot(machine)
        assert after == before, f'{kind}: {before!r} became {after!r}'
        assert signals == [], f'{kind}: attr-changed for {signals!r}'
        check_still_works(machine, signals)


def main():
    rows = load_table()
    ids = [row.id for row in rows]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f'duplicate ids: {sorted(duplicates)}')

    print(f'1..{len(rows)}')
    failed = 0
    for number, row in enumerate(rows, start=1):
        try:
            run_row(row)
        except Skip as skip:
            print(f'ok {number} {row.id} # SKIP {skip}')
            continue
        except Exception:
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
            if row.todo is not None:
                print(f'not ok {number} {row.id} # TODO {row.todo}')
            else:
                print(f'not ok {number} {row.id}')
                failed += 1
            continue
        if row.todo is not None:
            # Reported as an unexpected pass: the mark must go.
            print(f'ok {number} {row.id} # TODO {row.todo}')
            failed += 1
        else:
            print(f'ok {number} {row.id}')
        sys.stdout.flush()

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
