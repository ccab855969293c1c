// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The libflyweight API seen from JavaScript through GObject introspection.
// Prints TAP and exits with status 1 if a test fails.
//
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//   FLYWEIGHT_DRAW_SEED=$B/tests/draw-seed gjs -m tests/gjs/test-flyweight.js

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

// ---------------------------------------------------------------- harness

const tests = [];

function test(name, fn) {
    tests.push({name, fn});
}

class AssertionError extends Error {}

function show(value) {
    if (value instanceof GObject.Object)
        return `<${value.constructor.$gtype.name}>`;
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

function deepEqual(a, b) {
    if (Object.is(a, b))
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
        return false;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b))
        return false;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length)
        return false;
    return keysA.every(k => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

function assert(condition, message = 'assertion failed') {
    if (!condition)
        throw new AssertionError(message);
}

function assertEqual(actual, expected, message = '') {
    if (!deepEqual(actual, expected)) {
        throw new AssertionError(`${message ? `${message}: ` : ''}` +
            `expected ${show(expected)}, got ${show(actual)}`);
    }
}

// Runs fn, which must throw. With a Flyweight.Error code, the error must be
// a GError of that code; with a RegExp, the message must match it.
function assertThrows(fn, expected, message = '') {
    const prefix = message ? `${message}: ` : '';
    let error = null;
    try {
        fn();
    } catch (e) {
        error = e;
    }
    if (error === null)
        throw new AssertionError(`${prefix}expected an exception, none was thrown`);
    if (typeof expected === 'number') {
        if (!(error instanceof GLib.Error) || !error.matches(Flyweight.Error, expected)) {
            throw new AssertionError(`${prefix}expected Flyweight.Error code ${expected}, ` +
                `got ${error} (domain ${error.domain}, code ${error.code})`);
        }
    } else if (expected instanceof RegExp) {
        if (!expected.test(String(error.message ?? error)))
            throw new AssertionError(`${prefix}message ${show(error.message)} does not match ${expected}`);
    }
    return error;
}

function run() {
    print(`1..${tests.length}`);
    let failed = 0;
    tests.forEach(({name, fn}, i) => {
        try {
            fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            const details = e instanceof AssertionError ? `${e.message}\n${e.stack}` : `${e}\n${e.stack ?? ''}`;
            for (const line of details.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    });
    if (failed > 0) {
        print(`# ${failed} of ${tests.length} tests failed`);
        System.exit(1);
    }
}

// ---------------------------------------------------------------- helpers

const E = Flyweight.Error;

function checkDraw(values, reels, symbols) {
    assert(Array.isArray(values), `draw() gives an Array, not ${show(values)}`);
    assertEqual(values.length, reels, 'number of values');
    for (const v of values)
        assert(Number.isInteger(v) && v >= 1 && v <= symbols, `${v} not in [1, ${symbols}]`);
}

// What a failed call must leave untouched.
function snapshot(p) {
    const state = {
        attrs: p.list_attrs(),
        reels: p.get_attr('reels'),
        symbols: p.get_attr('symbols'),
    };
    if (p instanceof Flyweight.PokiesDynamic)
        state.dict = p.get_dict().recursiveUnpack();
    return state;
}

function assertUnchanged(p, before, message) {
    assertEqual(snapshot(p), before, `${message}: object changed`);
    checkDraw(p.draw(), before.reels, before.symbols);
}

function bothKinds(reels = 3, symbols = 10) {
    return [
        Flyweight.PokiesDynamic.new(reels, symbols),
        Flyweight.PokiesSlotted.new(reels, symbols),
    ];
}

// Lets gjs drop every unreachable wrapper, so that the GObjects behind
// them are finalized.
function collectGarbage() {
    for (let i = 0; i < 3; i++) {
        System.gc();
        while (GLib.MainContext.default().iteration(false)) {
            // drain
        }
    }
}

function seededDraws(machine, seed, count) {
    const random = Flyweight.Random.new(seed);
    const draws = [];
    for (let i = 0; i < count; i++)
        draws.push(machine.draw_with(random));
    return draws;
}

// ---------------------------------------------------------------- the notebook, cell by cell

test('notebook: Pokies(3, 10).draw() gives 3 symbols in [1, 10]', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    const seen = new Set();
    for (let i = 0; i < 1000; i++) {
        const values = pokies.draw();
        checkDraw(values, 3, 10);
        values.forEach(v => seen.add(v));
    }
    assertEqual([...seen].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        'every symbol comes up in 3000 draws');
});

test('notebook: dir(pokies) is list_attrs()', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    assertEqual(pokies.list_attrs(), ['reels', 'symbols']);
});

test('notebook: pokies.__dict__ is get_dict()', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    const dict = pokies.get_dict();
    assertEqual(dict.get_type_string(), 'a{sv}');
    assertEqual(dict.recursiveUnpack(), {reels: 3, symbols: 10});
});

test('notebook: pokies.owner = "Aristocrat" adds a third entry', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    pokies.set_attr('owner', 'Aristocrat');
    const dict = pokies.get_dict().recursiveUnpack();
    assertEqual(Object.keys(dict), ['reels', 'symbols', 'owner'], 'insertion order');
    assertEqual(dict, {reels: 3, symbols: 10, owner: 'Aristocrat'});
    assertEqual(pokies.get_attr('owner'), 'Aristocrat');
    assert(pokies.has_attr('owner'), 'has_attr("owner")');
});

test('notebook: del pokies.owner leaves reels and symbols', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    pokies.set_attr('owner', 'Aristocrat');
    pokies.del_attr('owner');
    assertEqual(pokies.get_dict().recursiveUnpack(), {reels: 3, symbols: 10});
    assertEqual(pokies.list_attrs(), ['reels', 'symbols']);
    assert(!pokies.has_attr('owner'), 'owner is gone');
    assertThrows(() => pokies.get_attr('owner'), E.NO_ATTRIBUTE);
});

test('notebook: ref = weakref.ref(pokies); ref().draw()', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    const ref = Flyweight.WeakRef.new(pokies);
    assert(ref.get() === pokies, 'the reference leads back to the same object');
    checkDraw(ref.get().draw(), 3, 10);
});

test('notebook: FlyweightPokies(3, 10).draw() on the slotted machine', () => {
    const flyweight = Flyweight.PokiesSlotted.new(3, 10);
    for (let i = 0; i < 100; i++)
        checkDraw(flyweight.draw(), 3, 10);
    assertEqual(flyweight.list_attrs(), ['reels', 'symbols']);
});

test('notebook: the difference is the __dict__', () => {
    const pokies = Flyweight.PokiesDynamic.new(3, 10);
    const flyweight = Flyweight.PokiesSlotted.new(3, 10);
    assertEqual(typeof pokies.get_dict, 'function', 'Dynamic has get_dict');
    assertEqual(typeof flyweight.get_dict, 'undefined', 'Slotted has no get_dict');
    // The change notification belongs to the table, too.
    assertThrows(() => flyweight.connect('attr-changed', () => {}), /attr-changed/);
    assert(flyweight instanceof Flyweight.Pokies && pokies instanceof Flyweight.Pokies,
        'both are Pokies');
});

test('notebook: flyweight.owner = "Aristocrat" fails like AttributeError', () => {
    const flyweight = Flyweight.PokiesSlotted.new(3, 10);
    const before = snapshot(flyweight);
    const e = assertThrows(() => flyweight.set_attr('owner', 'Aristocrat'), E.NO_ATTRIBUTE);
    assert(e.message.includes('owner'), `message names the attribute: ${e.message}`);
    assert(e.message.includes('FlyweightPokiesSlotted'), `message names the type: ${e.message}`);
    assertUnchanged(flyweight, before, 'after set_attr("owner")');
    assert(!flyweight.has_attr('owner'), 'no owner');
    assertThrows(() => flyweight.get_attr('owner'), E.NO_ATTRIBUTE);
    assertThrows(() => flyweight.del_attr('owner'), E.NO_ATTRIBUTE);
});

test('notebook: weakref.ref(flyweight) works, unlike CPython', () => {
    const flyweight = Flyweight.PokiesSlotted.new(3, 10);
    const ref = Flyweight.WeakRef.new(flyweight);
    assert(ref.get() === flyweight, 'weak reference to a slotted machine');
    checkDraw(ref.get().draw(), 3, 10);
});

test('notebook: BrokenPokies cannot be instantiated', () => {
    assertThrows(() => new Flyweight.Pokies(), /abstract/);
    assertThrows(() => new Flyweight.Pokies({reels: 3, symbols: 10}), /abstract/);
});

// ---------------------------------------------------------------- subclasses

function runGjsChild(script, env = {}) {
    const file = GLib.build_filenamev([GLib.path_get_dirname(
        GLib.filename_from_uri(import.meta.url)[0]), script]);
    const gjs = GLib.find_program_in_path('gjs');
    let envp = GLib.get_environ();
    for (const [key, value] of Object.entries(env))
        envp = GLib.environ_setenv(envp, key, value, true);
    const [, stdout, stderr, status] = GLib.spawn_sync(null, [gjs, '-m', file], envp,
        GLib.SpawnFlags.DEFAULT, null);
    const decoder = new TextDecoder();
    return {stdout: decoder.decode(stdout), stderr: decoder.decode(stderr), status};
}

test('subclass: a correct JavaScript subclass runs under fatal-warnings', () => {
    const {stdout, stderr, status} = runGjsChild('subclass-child.js', {G_DEBUG: 'fatal-warnings'});
    assertEqual(status, 0, `exit status (stderr: ${stderr})`);
    assertEqual(stdout.trim(), 'done');
    assertEqual(stderr, '', 'nothing on stderr');
});

function expectCritical(pattern) {
    GLib.test_expect_message('Flyweight', GLib.LogLevelFlags.LEVEL_CRITICAL, pattern);
}

function assertCriticalsSeen() {
    GLib.test_assert_expected_messages_internal('Flyweight', 'test-flyweight.js', 0, 'subclass');
}

const BrokenPokies = GObject.registerClass(class BrokenPokies extends Flyweight.Pokies {
    vfunc_set_attr() {
        return false;
    }

    vfunc_lookup_attr(name) {
        if (this.how === 'throws')
            throw new Error(`broken lookup of ${name}`);
        if (this.how === 'no-value')
            return [true, null];
        return [false, null];
    }

    vfunc_del_attr() {
        return false;
    }

    vfunc_list_attrs() {
        if (this.how === 'throws')
            throw new Error('broken list_attrs');
        return ['', '1x', 'symbols', 'ok', 'ok', '__proto__'];
    }
});

test('subclass: a broken JavaScript subclass fails cleanly', () => {
    const machine = new BrokenPokies({reels: 4});
    const name = 'Gjs_BrokenPokies';

    expectCritical(`set_attr() of “${name}” returned FALSE without setting an error`);
    assertThrows(() => machine.set_attr('owner', 'x'), E.FAILED, 'set_attr');
    assertCriticalsSeen();

    // gjs fills the value with the null it was given before returning.
    expectCritical(`lookup_attr() of “${name}” returned FALSE but filled the value*`);
    expectCritical(`lookup_attr() of “${name}” returned FALSE without setting an error`);
    assertThrows(() => machine.get_attr('owner'), E.FAILED, 'get_attr');
    assertCriticalsSeen();

    expectCritical(`del_attr() of “${name}” returned FALSE without setting an error`);
    assertThrows(() => machine.del_attr('owner'), E.FAILED, 'del_attr');
    assertCriticalsSeen();

    for (const listed of ['', '1x', 'symbols', '__proto__'])
        expectCritical(`list_attrs() of “${name}” listed “${listed}”*`);
    expectCritical(`list_attrs() of “${name}” listed “ok” twice`);
    assertEqual(machine.list_attrs(), ['ok', 'reels', 'symbols']);
    assertCriticalsSeen();

    // gjs turns an exception thrown by a vfunc into the method's GError.
    machine.how = 'throws';
    assertThrows(() => machine.get_attr('owner'), /broken lookup of owner/);

    machine.how = 'no-value';
    const value = (() => {
        try {
            return machine.get_attr('owner');
        } catch (e) {
            return e;
        }
    })();
    // gjs 1.74 stores null as an empty G_TYPE_POINTER value; newer ones may
    // leave it unset, which the base class reports.
    assert(value === null || (value instanceof GLib.Error && value.matches(E, E.FAILED)),
        `get_attr after [true, null]: ${value}`);

    assertEqual(machine.has_attr('owner'), false);
    checkDraw(machine.draw(), 4, 10);
});

test('subclass: subclassing abstract Pokies is the only way in', () => {
    assert(GObject.type_test_flags(Flyweight.Pokies.$gtype, GObject.TypeFlags.ABSTRACT), 'abstract');
    assert(GObject.type_test_flags(Flyweight.PokiesDynamic.$gtype, GObject.TypeFlags.FINAL), 'Dynamic final');
    assert(GObject.type_test_flags(Flyweight.PokiesSlotted.$gtype, GObject.TypeFlags.FINAL), 'Slotted final');
});

// ---------------------------------------------------------------- binding objects

test('attributes: a plain JavaScript object is refused with INVALID_VALUE', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat');
    const before = snapshot(p);
    // Only plain objects reach the library, boxed as JSObject; gjs itself
    // refuses arrays, maps and functions ("Could not guess ... GValue type").
    for (const value of [{a: 1}, {}, {nested: {owner: 'x'}}]) {
        assertThrows(() => p.set_attr('thing', value), E.INVALID_VALUE, show(value));
        assertThrows(() => p.set_attr('owner', value), E.INVALID_VALUE, show(value));
        assertUnchanged(p, before, show(value));
    }
    assertThrows(() => p.set_attr('thing', {a: 1}), /JavaScript object/);
    // Nothing was kept that the collector could free under us.
    collectGarbage();
    assertEqual(p.get_attr('owner'), 'Aristocrat');
});

// ---------------------------------------------------------------- cycles

function cycleIsFreed(make, breaker) {
    let machines = make();
    const ref = Flyweight.WeakRef.new(machines[0]);
    breaker(machines[0]);
    machines = null;
    collectGarbage();
    return ref.get() === null;
}

test('cycles: a machine that holds itself leaks until cleared or disposed', () => {
    const make = () => {
        const p = Flyweight.PokiesDynamic.new(3, 10);
        p.set_attr('me', p);
        return [p];
    };
    assert(!cycleIsFreed(make, () => {}), 'a self-cycle was freed without help: update the docs');
    assert(cycleIsFreed(make, p => p.clear_attrs()), 'clear_attrs() frees it');
    assert(cycleIsFreed(make, p => p.run_dispose()), 'run_dispose() frees it');
});

test('cycles: two machines that hold each other are freed by clear_attrs()', () => {
    const make = () => {
        const a = Flyweight.PokiesDynamic.new(3, 10);
        const b = Flyweight.PokiesDynamic.new(3, 10);
        a.set_attr('other', b);
        b.set_attr('other', a);
        return [a, b];
    };
    assert(cycleIsFreed(make, a => a.clear_attrs()), 'clear_attrs() frees it');
    assert(cycleIsFreed(make, a => a.run_dispose()), 'run_dispose() frees it');
});

test('cycles: clear_attrs() empties the store and tells about each name', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat');
    p.set_attr('lucky', 7);
    const heard = [];
    p.connect('attr-changed', (machine, name) => heard.push(name));
    p.clear_attrs();
    assertEqual(heard, ['owner', 'lucky']);
    assertEqual(p.get_dict().recursiveUnpack(), {reels: 3, symbols: 10});
    p.set_attr('owner', 'again');
    assertEqual(p.get_attr('owner'), 'again');
    Flyweight.PokiesSlotted.new(3, 10).clear_attrs();
});

// ---------------------------------------------------------------- names

test('names: Unicode identifiers, as JavaScript has them', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const valid = ['cafe\u0301', 'caf\u00e9', '\u0928\u092e\u0938\u094d\u0924\u0947',
        '\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35', '\u0bb5\u0ba3\u0b95\u0bcd\u0b95\u0bae\u0bcd', 'a-b'];
    for (const name of valid) {
        assert(Flyweight.attr_name_validate(name), name);
        p.set_attr(name, name.length);
        assertEqual(p.get_attr(name), name.length, name);
    }
    // Composed and decomposed café are two names: nothing is normalized.
    assertEqual(p.list_attrs().length, 2 + valid.length);
    for (const name of ['x\u00b2', '\u00b7a', 'own\u200der', '-a'])
        assertThrows(() => p.set_attr(name, 1), E.INVALID_NAME, name);
    assertThrows(() => Flyweight.attr_name_validate('x\u00b2'), /XID_Continue/);
});

test('names: gjs cuts a name at an embedded NUL, as documented', () => {
    // gjs 1.74 passes a JavaScript string as a C string: what follows the
    // NUL never reaches the library.
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('own\0er', 'x');
    assertEqual(p.list_attrs(), ['own', 'reels', 'symbols']);
    assertEqual(p.get_attr('own\0anything'), 'x');
    assert(Flyweight.attr_name_validate('ok\0 not a name'), 'validated up to the NUL');
    assertThrows(() => p.set_attr('\0owner', 1), E.INVALID_NAME, 'an empty name');
});

// ---------------------------------------------------------------- attribute values

test('attributes: a string round-trips', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat ✓');
    assertEqual(p.get_attr('owner'), 'Aristocrat ✓');
    assertEqual(p.get_dict().lookup_value('owner', null).get_type_string(), 's');
    p.set_attr('empty', '');
    assertEqual(p.get_attr('empty'), '');
});

test('attributes: integers round-trip as 32-bit ints', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    for (const n of [0, 42, -7, 2147483647, -2147483648]) {
        p.set_attr('n', n);
        assertEqual(p.get_attr('n'), n);
        assertEqual(p.get_dict().lookup_value('n', null).get_type_string(), 'i', `type of ${n}`);
    }
});

test('attributes: booleans round-trip', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    for (const b of [true, false]) {
        p.set_attr('flag', b);
        assertEqual(p.get_attr('flag'), b);
        assertEqual(p.get_dict().recursiveUnpack().flag, b);
    }
    assertEqual(p.get_dict().lookup_value('flag', null).get_type_string(), 'b');
});

test('attributes: doubles and large numbers round-trip', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    for (const d of [2.5, -0.125, 3e10, 1e-300, Number.MAX_SAFE_INTEGER]) {
        p.set_attr('x', d);
        assertEqual(p.get_attr('x'), d);
        assertEqual(p.get_dict().lookup_value('x', null).get_type_string(), 'd', `type of ${d}`);
    }
});

test('attributes: an explicit GObject.Value keeps its type', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const value = new GObject.Value();
    value.init(GObject.TYPE_UINT64);
    value.set_uint64(2 ** 40);
    p.set_attr('big', value);
    assertEqual(p.get_attr('big'), 2 ** 40);
    assertEqual(p.get_dict().lookup_value('big', null).get_type_string(), 't');
});

test('attributes: a GObject is stored by reference', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const plain = new GObject.Object();
    const random = Flyweight.Random.new(7);
    const other = Flyweight.PokiesSlotted.new(2, 4);
    p.set_attr('plain', plain);
    p.set_attr('rng', random);
    p.set_attr('other', other);
    assert(p.get_attr('plain') === plain, 'same GObject.Object back');
    assert(p.get_attr('rng') === random, 'same Flyweight.Random back');
    assertEqual(p.get_attr('rng').get_seed(), 7);
    assert(p.get_attr('other') === other, 'same machine back');
    checkDraw(p.get_attr('other').draw(), 2, 4);
    // The dict cannot hold objects: it describes them.
    const dict = p.get_dict().recursiveUnpack();
    assert(/^<GObject at 0x[0-9a-fA-F]+>$/.test(dict.plain), `description ${dict.plain}`);
    assert(/^<FlyweightRandom at 0x[0-9a-fA-F]+>$/.test(dict.rng), `description ${dict.rng}`);
    assert(/^<FlyweightPokiesSlotted at 0x[0-9a-fA-F]+>$/.test(dict.other), `description ${dict.other}`);
});

test('attributes: the table keeps a stored object alive', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const ref = (() => {
        const inner = Flyweight.Random.new(99);
        p.set_attr('rng', inner);
        return Flyweight.WeakRef.new(inner);
    })();
    collectGarbage();
    assert(ref.get() !== null, 'alive while the attribute holds it');
    assertEqual(p.get_attr('rng').get_seed(), 99);
    p.del_attr('rng');
    collectGarbage();
    assertEqual(ref.get(), null, 'freed once the attribute is deleted');
});

test('attributes: null has no type and is refused with INVALID_VALUE', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const before = snapshot(p);
    assertThrows(() => p.set_attr('nothing', null), E.INVALID_VALUE);
    assertUnchanged(p, before, 'after set_attr(null)');
});

test('attributes: replacing with another type keeps the position', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat');
    p.set_attr('colour', 'red');
    for (const value of [42, true, 2.5, new GObject.Object(), 'Konami']) {
        p.set_attr('owner', value);
        assert(p.get_attr('owner') === value, `owner is now ${show(value)}`);
        assertEqual(Object.keys(p.get_dict().recursiveUnpack()), ['reels', 'symbols', 'owner', 'colour']);
    }
    assertEqual(p.get_attr('colour'), 'red', 'the other attribute is untouched');
});

test('attributes: has_attr', () => {
    for (const p of bothKinds()) {
        assert(p.has_attr('reels') && p.has_attr('symbols'), 'dimensions exist');
        assert(!p.has_attr('owner'), 'owner does not exist');
        for (const bad of ['', '1abc', 'a b', 'a'.repeat(256), '__dict__'])
            assert(!p.has_attr(bad), `invalid name ${show(bad)} never exists`);
    }
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'x');
    assert(p.has_attr('owner'), 'owner exists after set');
});

test('attributes: list_attrs is sorted', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const names = ['zeta', 'alpha', 'Mid', '_under', 'beta-2', 'beta_1', 'a1'];
    names.forEach((n, i) => p.set_attr(n, i));
    const expected = ['reels', 'symbols', ...names].sort();
    assertEqual(p.list_attrs(), expected);
    assertEqual(Object.keys(p.get_dict().recursiveUnpack()), ['reels', 'symbols', ...names],
        'the dict keeps insertion order');
});

test('attributes: names at the edge of the rule are accepted', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    for (const name of ['a', '_', '_private', 'a-b', 'café', 'a'.repeat(255), 'x9']) {
        Flyweight.attr_name_validate(name);
        p.set_attr(name, name.length);
        assertEqual(p.get_attr(name), name.length, `get ${name}`);
        p.del_attr(name);
        assert(!p.has_attr(name), `deleted ${name}`);
    }
});

test('attributes: get_attr reads reels and symbols on both classes', () => {
    for (const p of bothKinds(4, 6)) {
        assertEqual(p.get_attr('reels'), 4);
        assertEqual(p.get_attr('symbols'), 6);
        assertEqual(p.get_reels(), 4);
        assertEqual(p.get_symbols(), 6);
    }
});

// ---------------------------------------------------------------- errors

test('errors: INVALID_VALUE for out-of-range dimensions', () => {
    for (const klass of [Flyweight.PokiesDynamic, Flyweight.PokiesSlotted]) {
        for (const [reels, symbols] of [[0, 10], [3, 0], [1025, 10], [3, 1048577]]) {
            const e = assertThrows(() => klass.new(reels, symbols), E.INVALID_VALUE,
                `${klass.$gtype.name}.new(${reels}, ${symbols})`);
            assert(e.message.length > 0, 'has a message');
        }
        const big = klass.new(1024, 1048576);
        checkDraw(big.draw(), 1024, 1048576);
        checkDraw(klass.new(1, 1).draw(), 1, 1);
    }
});

test('errors: READ_ONLY for reels and symbols on both classes', () => {
    for (const p of bothKinds()) {
        const before = snapshot(p);
        for (const name of ['reels', 'symbols']) {
            let e = assertThrows(() => p.set_attr(name, 5), E.READ_ONLY, `set ${name}`);
            assert(e.message.includes(name), `message names ${name}: ${e.message}`);
            assertUnchanged(p, before, `after set ${name}`);
            e = assertThrows(() => p.del_attr(name), E.READ_ONLY, `del ${name}`);
            assert(e.message.includes(name), `message names ${name}: ${e.message}`);
            assertUnchanged(p, before, `after del ${name}`);
        }
        assertEqual(p.reels, 3);
        assertEqual(p.symbols, 10);
    }
});

test('errors: NO_ATTRIBUTE for a missing name on Dynamic', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat');
    const before = snapshot(p);
    let e = assertThrows(() => p.get_attr('colour'), E.NO_ATTRIBUTE, 'get');
    assert(e.message.includes('colour'), `message names colour: ${e.message}`);
    assertUnchanged(p, before, 'after get');
    e = assertThrows(() => p.del_attr('colour'), E.NO_ATTRIBUTE, 'del');
    assert(e.message.includes('colour'), `message names colour: ${e.message}`);
    assertUnchanged(p, before, 'after del');
    // Deleting twice fails the second time.
    p.del_attr('owner');
    assertThrows(() => p.del_attr('owner'), E.NO_ATTRIBUTE, 'second del');
});

test('errors: INVALID_NAME for names breaking the rule', () => {
    const badNames = ['', '1abc', 'a b', 'a'.repeat(256), '__dict__', '__weakref__', 'a.b', '-a'];
    for (const bad of badNames)
        assertThrows(() => Flyweight.attr_name_validate(bad), E.INVALID_NAME, `validate ${show(bad)}`);
    for (const p of bothKinds()) {
        if (p instanceof Flyweight.PokiesDynamic)
            p.set_attr('owner', 'Aristocrat');
        const before = snapshot(p);
        for (const bad of badNames) {
            const what = `${p.constructor.$gtype.name} ${show(bad)}`;
            assertThrows(() => p.set_attr(bad, 1), E.INVALID_NAME, `set ${what}`);
            assertUnchanged(p, before, `after set ${what}`);
            assertThrows(() => p.get_attr(bad), E.INVALID_NAME, `get ${what}`);
            assertThrows(() => p.del_attr(bad), E.INVALID_NAME, `del ${what}`);
            assertUnchanged(p, before, `after del ${what}`);
        }
    }
});

test('errors: the error codes are distinct', () => {
    const codes = [E.FAILED, E.NO_ATTRIBUTE, E.READ_ONLY, E.INVALID_VALUE, E.INVALID_NAME];
    assertEqual(new Set(codes).size, 5);
    assertEqual(E.FAILED, 0);
    assert(Flyweight.error_quark() > 0, 'the domain is registered');
});

// ---------------------------------------------------------------- construction

test('construction: properties on PokiesSlotted', () => {
    const p = new Flyweight.PokiesSlotted({reels: 5, symbols: 7});
    assertEqual(p.reels, 5);
    assertEqual(p.symbols, 7);
    assertEqual(p.get_reels(), 5);
    assertEqual(p.get_symbols(), 7);
    for (let i = 0; i < 50; i++)
        checkDraw(p.draw(), 5, 7);
});

test('construction: properties on PokiesDynamic', () => {
    const p = new Flyweight.PokiesDynamic({reels: 5, symbols: 7});
    assertEqual(p.reels, 5);
    assertEqual(p.symbols, 7);
    assertEqual(p.get_dict().recursiveUnpack(), {reels: 5, symbols: 7});
    checkDraw(p.draw(), 5, 7);
    const q = new Flyweight.PokiesDynamic({symbols: 6});
    assertEqual(Object.keys(q.get_dict().recursiveUnpack()), ['reels', 'symbols'], 'order kept');
    assertEqual(q.get_dict().recursiveUnpack(), {reels: 3, symbols: 6});
});

test('construction: defaults are 3 reels of 10 symbols', () => {
    for (const p of [new Flyweight.PokiesSlotted(), new Flyweight.PokiesDynamic()]) {
        assertEqual([p.reels, p.symbols], [3, 10]);
        checkDraw(p.draw(), 3, 10);
    }
    assertEqual(new Flyweight.PokiesDynamic().get_dict().recursiveUnpack(), {reels: 3, symbols: 10});
});

test('construction: .new() gives the same as properties', () => {
    for (const [a, b] of [
        [Flyweight.PokiesSlotted.new(2, 9), new Flyweight.PokiesSlotted({reels: 2, symbols: 9})],
        [Flyweight.PokiesDynamic.new(2, 9), new Flyweight.PokiesDynamic({reels: 2, symbols: 9})],
    ]) {
        assert(a.constructor === b.constructor, 'same class');
        assertEqual([a.reels, a.symbols], [b.reels, b.symbols]);
        assertEqual(seededDraws(a, 5, 10), seededDraws(b, 5, 10));
    }
});

// ---------------------------------------------------------------- attr-changed

test('attr-changed::owner fires for owner only', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const heard = [];
    const id = p.connect('attr-changed::owner', (emitter, name) => {
        assert(emitter === p, 'emitter is the machine');
        heard.push(name);
    });
    p.set_attr('colour', 'red');
    assertEqual(heard, [], 'not for colour');
    p.set_attr('owner', 'Aristocrat');
    assertEqual(heard, ['owner'], 'on set');
    p.set_attr('owner', 'Konami');
    assertEqual(heard, ['owner', 'owner'], 'on replace');
    p.del_attr('colour');
    assertEqual(heard, ['owner', 'owner'], 'not for del colour');
    p.del_attr('owner');
    assertEqual(heard, ['owner', 'owner', 'owner'], 'on delete');
    p.disconnect(id);
    p.set_attr('owner', 'again');
    assertEqual(heard.length, 3, 'silent after disconnect');
});

test('attr-changed without detail fires for every change', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    const heard = [];
    p.connect('attr-changed', (_emitter, name) => heard.push(name));
    p.set_attr('owner', 'Aristocrat');
    p.set_attr('colour', 'red');
    p.del_attr('owner');
    p.set_attr('colour', 'blue');
    assertEqual(heard, ['owner', 'colour', 'owner', 'colour']);
});

test('attr-changed is not emitted by failed calls or reads', () => {
    const p = Flyweight.PokiesDynamic.new(3, 10);
    p.set_attr('owner', 'Aristocrat');
    let count = 0;
    p.connect('attr-changed', () => count++);
    const failing = [
        () => p.set_attr('reels', 4),
        () => p.del_attr('symbols'),
        () => p.set_attr('', 1),
        () => p.set_attr('__dict__', 1),
        () => p.del_attr('missing'),
        () => p.set_attr('owner', null),
    ];
    for (const fn of failing)
        assertThrows(fn);
    p.get_attr('owner');
    p.has_attr('owner');
    p.list_attrs();
    p.get_dict();
    assertEqual(count, 0);
    assertEqual(p.get_attr('owner'), 'Aristocrat', 'owner untouched');
});

// ---------------------------------------------------------------- WeakRef

test('WeakRef: clears when the last reference goes', () => {
    const refs = (() => {
        const machines = bothKinds();
        const made = machines.map(m => Flyweight.WeakRef.new(m));
        made.forEach((r, i) => assert(r.get() === machines[i], 'set before collection'));
        return [...made, ...made.map(r => r.copy())];
    })();
    collectGarbage();
    refs.forEach((r, i) => assertEqual(r.get(), null, `reference ${i} cleared`));
});

test('WeakRef: does not clear while the object is referenced', () => {
    const kept = Flyweight.PokiesSlotted.new(3, 10);
    const ref = Flyweight.WeakRef.new(kept);
    collectGarbage();
    assert(ref.get() === kept, 'still there');
});

test('WeakRef: set() to another object and to null', () => {
    const a = Flyweight.PokiesDynamic.new(3, 10);
    const b = Flyweight.PokiesSlotted.new(2, 4);
    const ref = Flyweight.WeakRef.new(a);
    ref.set(b);
    assert(ref.get() === b, 'now points at b');
    checkDraw(ref.get().draw(), 2, 4);
    ref.set(null);
    assertEqual(ref.get(), null, 'points at nothing');
    ref.set(a);
    assert(ref.get() === a, 'points at a again');
    assertEqual(Flyweight.WeakRef.new(null).get(), null, 'new(null)');
});

test('WeakRef: copy() is independent', () => {
    const a = Flyweight.PokiesDynamic.new(3, 10);
    const b = Flyweight.PokiesSlotted.new(3, 10);
    const ref = Flyweight.WeakRef.new(a);
    const copy = ref.copy();
    assert(copy.get() === a, 'copy points at the same object');
    copy.set(b);
    assert(copy.get() === b, 'copy moved');
    assert(ref.get() === a, 'original did not move');
});

test('WeakRef: works on any GObject', () => {
    const random = Flyweight.Random.new(1);
    assert(Flyweight.WeakRef.new(random).get() === random, 'Random');
    const plain = new GObject.Object();
    assert(Flyweight.WeakRef.new(plain).get() === plain, 'GObject.Object');
});

// ---------------------------------------------------------------- Random

test('Random: the same seed gives the same draws', () => {
    const machine = Flyweight.PokiesSlotted.new(5, 100);
    const a = seededDraws(machine, 42, 50);
    const b = seededDraws(machine, 42, 50);
    assertEqual(a, b);
    assert(!deepEqual(a, seededDraws(machine, 43, 50)), 'another seed gives other draws');
    assertEqual(seededDraws(Flyweight.PokiesDynamic.new(5, 100), 42, 50), a, 'Dynamic draws the same');
});

test('Random: set_seed restarts the sequence', () => {
    const machine = Flyweight.PokiesDynamic.new(4, 20);
    const random = Flyweight.Random.new(7);
    assertEqual(random.get_seed(), 7);
    const first = [machine.draw_with(random), machine.draw_with(random)];
    random.set_seed(7);
    assertEqual([machine.draw_with(random), machine.draw_with(random)], first);
    random.set_seed(8);
    assertEqual(random.get_seed(), 8);
    const other = new Flyweight.Random({seed: 8});
    assertEqual(machine.draw_with(random), machine.draw_with(other), 'property construction');
});

test('Random: int_range stays in [begin, end)', () => {
    const random = Flyweight.Random.new(3);
    const again = Flyweight.Random.new(3);
    for (let i = 0; i < 1000; i++) {
        const v = random.int_range(5, 9);
        assert(Number.isInteger(v) && v >= 5 && v < 9, `${v} in [5, 9)`);
        assertEqual(again.int_range(5, 9), v, 'reproducible');
    }
});

test('Random: draws match the C reference program', () => {
    const program = GLib.getenv('FLYWEIGHT_DRAW_SEED');
    assert(program, 'FLYWEIGHT_DRAW_SEED must name the draw-seed program');
    const [, stdout, stderr, status] = GLib.spawn_sync(null,
        [program, '42', '5', '100', '20'], null, GLib.SpawnFlags.DEFAULT, null);
    const decoder = new TextDecoder();
    assertEqual(status, 0, `draw-seed exit status (stderr: ${decoder.decode(stderr)})`);
    const expected = decoder.decode(stdout).trim().split('\n')
        .map(line => line.split(' ').map(Number));
    assertEqual(expected.length, 20, 'lines from draw-seed');
    assertEqual(seededDraws(Flyweight.PokiesSlotted.new(5, 100), 42, 20), expected);
});

test('Random: the global source is reproducible through GLib.random_set_seed', () => {
    const machine = Flyweight.PokiesSlotted.new(6, 1000);
    GLib.random_set_seed(1234);
    const a = [machine.draw(), machine.draw()];
    GLib.random_set_seed(1234);
    assertEqual([machine.draw(), machine.draw()], a);
});

test('Random: 60000 draws of a 1x6 machine pass a chi-square test', () => {
    const machine = Flyweight.PokiesSlotted.new(1, 6);
    const random = Flyweight.Random.new(20130405);
    const counts = new Array(6).fill(0);
    const n = 60000;
    for (let i = 0; i < n; i++) {
        const [v] = machine.draw_with(random);
        assert(v >= 1 && v <= 6, `${v} in [1, 6]`);
        counts[v - 1]++;
    }
    const expected = n / 6;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 20.52 is the 0.999 quantile of chi-square with 5 degrees of freedom.
    assert(chi2 < 20.52, `chi-square ${chi2.toFixed(2)} for counts ${counts}`);
});

run();
