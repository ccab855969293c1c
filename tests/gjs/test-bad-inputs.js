// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Runs the hostile-user table, tests/bad-inputs.txt, through gjs. Every row
// must fail with the error it names (or succeed harmlessly), leave the
// machine exactly as it was, and leave it working. The table is found
// through FLYWEIGHT_BAD_INPUTS, or next to this script's folder:
//
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//   gjs -m tests/gjs/test-bad-inputs.js
//
// Prints TAP and exits with status 1 if a row failed.

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

const MAX_MESSAGE_BYTES = 1024;
const STILL_WORKS_NAME = 'still_works';

// Rows that no JavaScript program can express, and why.
const C_ONLY_TARGETS = ['c-critical', 'c-critical-null-self', 'c-critical-wrong-self'];
const SKIP_C_CRITICAL = 'NULL and wrongly typed arguments are programmer errors ' +
    'that only C can commit';
const SKIP_TYPED = 'bindings read attributes with get_attr() (peek_attr), which converts nothing: ' +
    'converting into an initialized GValue is for C';
const SKIP_NOT_UTF8 = 'a JavaScript string always reaches C as valid UTF-8 ' +
    '(a lone surrogate becomes U+FFFD)';

class Skip extends Error {}
class AssertionError extends Error {}

function assert(condition, message = 'assertion failed') {
    if (!condition)
        throw new AssertionError(message);
}

// ---------------------------------------------------------------- table

function tablePath() {
    const path = GLib.getenv('FLYWEIGHT_BAD_INPUTS');
    if (path)
        return path;
    const [script] = GLib.filename_from_uri(import.meta.url);
    return GLib.build_filenamev([GLib.path_get_dirname(script), '..', 'bad-inputs.txt']);
}

function loadTable() {
    const [, contents] = GLib.file_get_contents(tablePath());
    const text = new TextDecoder('utf-8', {fatal: true}).decode(contents);
    const rows = [];

    text.split('\n').forEach((line, index) => {
        if (line === '' || line.startsWith('#'))
            return;
        const fields = line.split('\t');
        if (fields.length !== 6 && fields.length !== 7)
            throw new Error(`line ${index + 1}: expected 6 or 7 tab-separated fields, found ${fields.length}`);
        const [id, target, operation, name, value, expected] = fields;
        let todo = null;
        if (fields.length === 7) {
            if (!fields[6].startsWith('todo:'))
                throw new Error(`line ${index + 1}: the seventh field must start with "todo:"`);
            todo = fields[6].slice('todo:'.length);
        }
        rows.push({line: index + 1, id, target, operation, name, value, expected, todo});
    });

    return rows;
}

// ---------------------------------------------------------------- fields

const ESCAPES = {n: 0x0a, t: 0x09, r: 0x0d, '\\': 0x5c};

// The bytes a table field stands for.
function unescape(text) {
    const out = [];
    const encoder = new TextEncoder();

    for (let i = 0; i < text.length;) {
        const c = text[i];
        if (c !== '\\') {
            out.push(...encoder.encode(c));
            i++;
            continue;
        }
        const e = text[i + 1];
        if (e in ESCAPES) {
            out.push(ESCAPES[e]);
            i += 2;
        } else if (e === 'x') {
            const byte = parseInt(text.slice(i + 2, i + 4), 16);
            if (!(byte > 0))
                throw new Error(`bad escape in ${JSON.stringify(text)}`);
            out.push(byte);
            i += 4;
        } else {
            throw new Error(`bad escape in ${JSON.stringify(text)}`);
        }
    }

    return Uint8Array.from(out);
}

function decodeUtf8(bytes) {
    try {
        return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
    } catch {
        throw new Skip(SKIP_NOT_UTF8);
    }
}

function decodeName(field) {
    if (field === '-' || field === '@NULL')
        return null;
    if (field === '@EMPTY')
        return '';
    if (field === '@256')
        return 'a'.repeat(256);
    if (field === '@1MB')
        return 'a'.repeat(1048576);
    if (field.startsWith('@REPEAT:')) {
        const rest = field.slice('@REPEAT:'.length);
        const colon = rest.indexOf(':');
        const count = parseInt(rest.slice(0, colon), 10);
        return decodeUtf8(unescape(rest.slice(colon + 1))).repeat(count);
    }
    if (field.startsWith('@'))
        throw new Error(`unknown name token ${field}`);
    return decodeUtf8(unescape(field));
}

function makeValue(spec) {
    const colon = spec.indexOf(':');
    const kind = spec.slice(0, colon);
    const arg = spec.slice(colon + 1);
    let value;

    switch (kind) {
    case 'string':
        return decodeUtf8(unescape(arg));
    case 'int':
        value = new GObject.Value();
        value.init(GObject.TYPE_INT);
        value.set_int(parseInt(arg, 10));
        return value;
    case 'uint':
        value = new GObject.Value();
        value.init(GObject.TYPE_UINT);
        value.set_uint(parseInt(arg, 10));
        return value;
    case 'double':
        value = new GObject.Value();
        value.init(GObject.TYPE_DOUBLE);
        value.set_double(parseFloat(arg));
        return value;
    case 'object':
        if (arg === 'random')
            return Flyweight.Random.new(42);
        break;
    case 'pointer':
        // gjs turns null into a G_TYPE_POINTER GValue holding NULL.
        if (arg === 'null')
            return null;
        break;
    case 'unset':
        return new GObject.Value();
    case 'foreign':
        if (arg === 'js')
            return {owner: 'Aristocrat'};
        if (arg === 'python')
            throw new Skip('a Python object exists only in PyGObject');
        break;
    }
    throw new Error(`unknown value ${spec}`);
}

function parseDims(spec) {
    if (spec.startsWith('reels:'))
        return [parseInt(spec.slice('reels:'.length), 10), 10];
    if (spec.startsWith('symbols:'))
        return [3, parseInt(spec.slice('symbols:'.length), 10)];
    if (spec.startsWith('dims:'))
        return spec.slice('dims:'.length).split('x').map(n => parseInt(n, 10));
    if (spec === '-')
        return [3, 10];
    throw new Error(`unknown dimensions ${spec}`);
}

function expectedCode(row) {
    const code = Flyweight.Error[row.expected.toUpperCase().replaceAll('-', '_')];
    if (typeof code !== 'number')
        throw new Error(`${row.operation} expects an error, not ${row.expected}`);
    return code;
}

// ---------------------------------------------------------------- machines

function newSubject(kind, reels = 3, symbols = 10) {
    if (kind === 'dynamic') {
        const machine = Flyweight.PokiesDynamic.new(reels, symbols);
        machine.set_attr('owner', 'Aristocrat');
        const lucky = new GObject.Value();
        lucky.init(GObject.TYPE_INT);
        lucky.set_int(7);
        machine.set_attr('lucky', lucky);
        machine.set_attr('rng', Flyweight.Random.new(1));
        return machine;
    }
    return Flyweight.PokiesSlotted.new(reels, symbols);
}

// Everything observable about a machine, as one string.
function snapshot(machine) {
    const state = {
        dims: [machine.get_reels(), machine.get_symbols()],
        list: machine.list_attrs(),
        values: {},
    };
    for (const name of state.list) {
        const value = machine.get_attr(name);
        state.values[name] = value instanceof GObject.Object
            ? `<${value.constructor.$gtype.name}>` : value;
    }
    if (machine instanceof Flyweight.PokiesDynamic)
        state.dict = Object.entries(machine.get_dict().recursiveUnpack());
    return JSON.stringify(state);
}

function checkValues(values, reels, symbols) {
    assert(values.length === reels, `${values.length} values for ${reels} reels`);
    assert(values.every(v => v >= 1 && v <= symbols), `a value out of [1, ${symbols}]`);
    // With this many reels, missing either half of the range has a
    // probability below 2^-64: the draws really span all the symbols.
    if (reels >= 64 && symbols >= 2) {
        const half = Math.floor(symbols / 2);
        assert(values.some(v => v > half), 'no value in the upper half');
        assert(values.some(v => v <= half), 'no value in the lower half');
    }
}

function checkDraws(machine) {
    const reels = machine.get_reels();
    const symbols = machine.get_symbols();
    checkValues(machine.draw(), reels, symbols);
    const seeded = machine.draw_with(Flyweight.Random.new(20130405));
    checkValues(seeded, reels, symbols);
    const again = machine.draw_with(Flyweight.Random.new(20130405));
    assert(JSON.stringify(again) === JSON.stringify(seeded), 'the same seed gave different draws');
}

function expectError(code, func) {
    try {
        func();
    } catch (e) {
        if (!(e instanceof GLib.Error))
            throw e;
        assert(e.matches(Flyweight.Error, code),
            `error ${e.domain}:${e.code} (${JSON.stringify(e.message)}), not code ${code}`);
        return e;
    }
    throw new AssertionError(`no error, expected code ${code}`);
}

function checkStillWorks(machine, signals) {
    checkDraws(machine);
    if (machine instanceof Flyweight.PokiesDynamic) {
        assert(!machine.has_attr(STILL_WORKS_NAME));
        machine.set_attr(STILL_WORKS_NAME, 'still working');
        assert(machine.has_attr(STILL_WORKS_NAME));
        assert(machine.get_attr(STILL_WORKS_NAME) === 'still working');
        machine.del_attr(STILL_WORKS_NAME);
        assert(!machine.has_attr(STILL_WORKS_NAME));
        assert(JSON.stringify(signals) === JSON.stringify([STILL_WORKS_NAME, STILL_WORKS_NAME]),
            `signals ${JSON.stringify(signals)}`);
    } else {
        assert(machine.get_attr('reels') === machine.get_reels());
        expectError(Flyweight.Error.NO_ATTRIBUTE,
            () => machine.set_attr(STILL_WORKS_NAME, 'still working'));
    }
}

// ---------------------------------------------------------------- checks

// A message a user can read: short, nothing that moves a cursor, changes
// colours or reorders text.
function checkMessage(message) {
    assert(message.length > 0, 'empty message');
    const size = new TextEncoder().encode(message).length;
    assert(size <= MAX_MESSAGE_BYTES, `message of ${size} bytes`);
    const bad = message.match(/[\p{Cc}\p{Cf}]/u);
    assert(bad === null,
        `message has U+${bad?.[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${bad?.index}`);
}

function checkError(row, func, name = null) {
    const code = expectedCode(row);
    const e = expectError(code, func);
    checkMessage(e.message);
    // These two name an attribute that passed the naming rule: say which.
    if (code === Flyweight.Error.NO_ATTRIBUTE || code === Flyweight.Error.READ_ONLY)
        assert(e.message.includes(name), `${name} not in ${JSON.stringify(e.message)}`);
}

function expect(row, wanted) {
    if (row.expected !== wanted)
        throw new Error(`${row.operation} can only expect ${wanted}`);
}

function runWeakRef(row, kind) {
    expect(row, 'none');
    let obj = newSubject(kind);
    const ref = Flyweight.WeakRef.new(obj);
    let got;

    switch (row.operation) {
    case 'weakref_get_finalized':
        obj = null;
        System.gc();
        got = ref.get();
        break;
    case 'weakref_copy_finalized': {
        const copy = ref.copy();
        obj = null;
        System.gc();
        assert(copy.get() === null, 'the copy still gives an object');
        got = ref.get();
        break;
    }
    case 'weakref_set_finalized': {
        let other = newSubject(kind);
        ref.set(other);
        other = null;
        System.gc();
        got = ref.get();
        // The first object was let go, not kept alive by the reference.
        const first = Flyweight.WeakRef.new(obj);
        obj = null;
        System.gc();
        assert(first.get() === null, 'the first object is still alive');
        break;
    }
    default:
        throw new Error(`unknown operation ${row.operation}`);
    }
    assert(got === null, `the weak reference still gives ${got}`);
}

function runOperation(row, kind, machine) {
    const op = row.operation;
    const name = decodeName(row.name);

    switch (op) {
    case 'set': {
        const value = makeValue(row.value);
        checkError(row, () => machine.set_attr(name, value), name);
        break;
    }
    case 'get':
        checkError(row, () => machine.get_attr(name), name);
        break;
    case 'del':
        checkError(row, () => machine.del_attr(name), name);
        break;
    case 'has':
        expect(row, 'false');
        assert(machine.has_attr(name) === false, 'has_attr() is not false');
        break;
    case 'get_value_typed':
    case 'convert':
        throw new Skip(SKIP_TYPED);
    case 'validate':
        checkError(row, () => Flyweight.attr_name_validate(name), name);
        break;
    case 'new_dynamic':
    case 'new_slotted': {
        const [reels, symbols] = parseDims(row.value);
        const cls = op === 'new_dynamic' ? Flyweight.PokiesDynamic : Flyweight.PokiesSlotted;
        checkError(row, () => cls.new(reels, symbols));
        break;
    }
    case 'weakref_get_finalized':
    case 'weakref_copy_finalized':
    case 'weakref_set_finalized':
        runWeakRef(row, kind);
        break;
    case 'draw':
    case 'draw_huge':
        expect(row, 'ok');
        checkDraws(machine);
        break;
    default:
        throw new Error(`unknown operation ${op}`);
    }
}

function runRow(row) {
    if (C_ONLY_TARGETS.includes(row.target))
        throw new Skip(SKIP_C_CRITICAL);

    let kinds;
    if (row.target === 'any' || row.target === 'module')
        kinds = ['dynamic', 'slotted'];
    else if (row.target === 'dynamic' || row.target === 'slotted')
        kinds = [row.target];
    else
        throw new Error(`unknown target ${row.target}`);

    const dims = row.operation.startsWith('draw') ? parseDims(row.value) : [3, 10];
    for (const kind of kinds) {
        const machine = newSubject(kind, ...dims);
        const before = snapshot(machine);
        const signals = [];
        if (machine instanceof Flyweight.PokiesDynamic)
            machine.connect('attr-changed', (m, n) => signals.push(n));

        runOperation(row, kind, machine);

        const after = snapshot(machine);
        assert(after === before, `${kind}: ${before} became ${after}`);
        assert(signals.length === 0, `${kind}: attr-changed for ${JSON.stringify(signals)}`);
        checkStillWorks(machine, signals);
    }
}

function main() {
    const rows = loadTable();
    const seen = new Set();
    for (const row of rows) {
        if (seen.has(row.id))
            throw new Error(`duplicate id ${row.id}`);
        seen.add(row.id);
    }

    print(`1..${rows.length}`);
    let failed = 0;
    rows.forEach((row, index) => {
        const number = index + 1;
        try {
            runRow(row);
        } catch (e) {
            if (e instanceof Skip) {
                print(`ok ${number} ${row.id} # SKIP ${e.message}`);
                return;
            }
            for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
            if (row.todo !== null) {
                print(`not ok ${number} ${row.id} # TODO ${row.todo}`);
            } else {
                print(`not ok ${number} ${row.id}`);
                failed++;
            }
            return;
        }
        if (row.todo !== null) {
            // Reported as an unexpected pass: the mark must go.
            print(`ok ${number} ${row.id} # TODO ${row.todo}`);
            failed++;
        } else {
            print(`ok ${number} ${row.id}`);
        }
    });

    return failed ? 1 : 0;
}

System.exit(main());
