// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Flyweight.Pool seen from JavaScript through GObject introspection.
// Prints TAP and exits with status 1 if a test fails.
//
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//   gjs -m tests/gjs/test-pool.js

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

const tests = [];

function test(name, fn) {
    tests.push({name, fn});
}

class AssertionError extends Error {}

function assert(condition, message = 'assertion failed') {
    if (!condition)
        throw new AssertionError(message);
}

function assertEqual(actual, expected, message = '') {
    if (actual !== expected) {
        throw new AssertionError(`${message ? `${message}: ` : ''}` +
            `expected ${String(expected)}, got ${String(actual)}`);
    }
}

// Runs fn, which must throw a GError of the given Flyweight.Error code.
function assertFlyweightError(code, fn, message = '') {
    try {
        fn();
    } catch (e) {
        if (!(e instanceof GLib.Error) || !e.matches(Flyweight.Error, code)) {
            throw new AssertionError(`${message}: expected Flyweight.Error code ${code}, ` +
                `got ${e} (domain ${e.domain}, code ${e.code})`);
        }
        return e;
    }
    throw new AssertionError(`${message}: expected an exception, none was thrown`);
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
            for (const line of `${e.message ?? e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    });
    if (failed > 0)
        System.exit(1);
}

function rssBytes() {
    const [, contents] = GLib.file_get_contents('/proc/self/statm');
    return Number(new TextDecoder().decode(contents).split(' ')[1]) * 4096;
}

const E = Flyweight.Error;

const Table = GObject.registerClass({
    GTypeName: 'TestPoolJsTable',
    Properties: {
        'max-bet': GObject.ParamSpec.int('max-bet', null, null,
            GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY, 1, 1000, 5),
        'game': GObject.ParamSpec.string('game', null, null,
            GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY, 'blackjack'),
    },
}, class Table extends GObject.Object {});

// ------------------------------------------------------------------ tests

test('identity: one machine per key, in any order, defaults included', () => {
    const pool = Flyweight.Pool.new(Flyweight.PokiesSlotted);
    const a = pool.get_with_properties(['reels', 'symbols'], [3, 10]);
    assert(a instanceof Flyweight.PokiesSlotted, 'a PokiesSlotted');
    assert(pool.get_with_properties(['symbols', 'reels'], [10, 3]) === a, 'swapped');
    assert(pool.get_with_properties([], []) === a, 'defaults');
    assert(pool.get_with_properties(['reels', 'symbols'], [5, 10]) !== a, 'another key');
    assertEqual(a.reels, 3);
    assertEqual(pool.get_item_type(), Flyweight.PokiesSlotted.$gtype);
});

test('identity: a JavaScript class with a dashed property', () => {
    const pool = new Flyweight.Pool({item_type: Table.$gtype});
    const a = pool.get_with_properties(['max-bet'], [50]);
    assert(a instanceof Table, 'a Table');
    assertEqual(a.max_bet, 50);
    assertEqual(a.game, 'blackjack');
    assert(pool.get_with_properties(['max_bet', 'game'], [50, 'blackjack']) === a, 'same table');
    const b = pool.get_with_properties(['max-bet', 'game'], [50, null]);
    assertEqual(b.game, null);
    assert(b !== a, 'a NULL game is a key of its own');
});

test('numbers: integral doubles are fine, others refused', () => {
    const pool = Flyweight.Pool.new(Flyweight.PokiesSlotted);
    const a = pool.get_with_properties(['reels'], [4]);
    assert(pool.get_with_properties(['reels'], [4.0]) === a, '4.0');
    let e = assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [4.5]), '4.5');
    assert(/whole number/.test(e.message), e.message);
    e = assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [0]), '0');
    assert(/out of range/.test(e.message), e.message);
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [2 ** 40]), '2**40');
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [-1]), '-1');
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], ['3']), "'3'");
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [true]), 'true');
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [null]), 'null');
    assertFlyweightError(E.INVALID_VALUE, () => pool.get_with_properties(['reels'], [{}]), '{}');
    assertEqual(pool.get_stats().misses, 1, 'only the first request constructed');
});

test('keys: unknown, not construct-only, given twice', () => {
    const pool = Flyweight.Pool.new(Flyweight.PokiesSlotted);
    const e = assertFlyweightError(E.INVALID_KEY, () => pool.get_with_properties(['reel'], [3]), 'reel');
    assertEqual(e.message, '“FlyweightPokiesSlotted” has no property “reel”');
    assertFlyweightError(E.INVALID_KEY, () => pool.get_with_properties(['reels', 'reels'], [3, 3]), 'twice');
    const pools = Flyweight.Pool.new(Flyweight.Pool);
    assertFlyweightError(E.NOT_POOLABLE, () => pools.get_with_properties([], []), 'Pool itself');
});

test('types: mutable and abstract types are refused', () => {
    for (const [type, words] of [[Flyweight.PokiesDynamic, /attributes can change/],
        [Flyweight.Pokies, /abstract/]]) {
        const pool = Flyweight.Pool.new(type);
        const e = assertFlyweightError(E.NOT_POOLABLE, () => pool.get_with_properties([], []), type.name);
        assert(words.test(e.message), e.message);
    }
});

test('counters: properties and a snapshot', () => {
    const pool = Flyweight.Pool.new(Flyweight.PokiesSlotted);
    const keep = [1, 2, 3, 1, 2].map(r => pool.get_with_properties(['reels'], [r]));
    const stats = pool.get_stats();
    assertEqual(keep.length, 5);
    assertEqual(stats.size, 3, 'size');
    assertEqual(stats.peak, 3, 'peak');
    assertEqual(Number(stats.hits), 2, 'hits');
    assertEqual(Number(stats.misses), 3, 'misses');
    assertEqual(pool.size, 3, 'size property');
    assertEqual(Number(pool.hits), 2, 'hits property');
    assertEqual(Number(pool.misses), 3, 'misses property');
    assertEqual(pool.peak, 3, 'peak property');
    assertEqual(pool.kept, 0, 'kept property');
});

test('release: machines go with their last JavaScript holder, after a GC', () => {
    const pool = Flyweight.Pool.new(Flyweight.PokiesSlotted);
    (() => {
        for (let r = 1; r <= 5; r++)
            pool.get_with_properties(['reels'], [r]);
    })();
    System.gc();
    assertEqual(pool.size, 0, 'size after GC');
    assertEqual(pool.peak, 5, 'peak');
});

test('keep-alive: a released machine is kept, then let go', () => {
    const pool = new Flyweight.Pool({item_type: Flyweight.PokiesSlotted, keep_alive: 2});
    assertEqual(pool.keep_alive, 2);
    (() => pool.get_with_properties(['reels'], [9]))();
    System.gc();
    assertEqual(pool.size, 1, 'kept');
    assertEqual(pool.kept, 1);
    pool.get_with_properties(['reels'], [9]);
    assertEqual(Number(pool.hits), 1, 'the kept machine answered');
    pool.keep_alive = 0;
    System.gc();
    assertEqual(pool.size, 0, 'let go');
});

test('leaks: 200000 requests from gjs 1.74 leave no GValue behind', () => {
    // gjs 1.74 makes each new wrapper cost O(live wrappers), so the key is
    // one machine that stays alive: every request is a hit on it. The
    // JavaScript heap grows by a megabyte or so before it settles; a
    // leaked string GValue would cost 24 bytes a request, 4.8 MB.
    const pool = Flyweight.Pool.new(Table);
    const keep = pool.get_with_properties(['max-bet', 'game'], [7, 'roulette']);
    const n = 200000;
    const request = () => pool.get_with_properties(['max-bet', 'game'], [7, 'roulette']);
    for (let i = 0; i < 50000; i++)
        request();
    System.gc();
    const before = rssBytes();
    for (let i = 0; i < n; i++)
        assert(request() === keep, 'same table');
    System.gc();
    const perCall = (rssBytes() - before) / n;
    assert(perCall < 8, `${perCall.toFixed(1)} bytes per request`);
});

run();
