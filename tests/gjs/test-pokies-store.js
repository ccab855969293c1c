// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Flyweight.PokiesStore, PokiesView and AttrBinding seen from JavaScript.
// Prints TAP and exits with status 1 if a test fails.
//
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//   gjs -m tests/gjs/test-pokies-store.js

import Flyweight from 'gi://Flyweight?version=1.0';
import Gio from 'gi://Gio';
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
    const a = JSON.stringify(actual);
    const b = JSON.stringify(expected);
    if (a !== b)
        throw new AssertionError(`${message ? `${message}: ` : ''}expected ${b}, got ${a}`);
}

function assertThrowsCode(fn, code) {
    try {
        fn();
    } catch (e) {
        if (e instanceof GLib.Error && e.matches(Flyweight.Error, code))
            return;
        throw new AssertionError(`expected Flyweight.Error ${code}, got ${e}`);
    }
    throw new AssertionError('expected an exception, none was thrown');
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

function collectGarbage() {
    for (let i = 0; i < 3; i++) {
        System.gc();
        while (GLib.MainContext.default().iteration(false)) {
            // drain
        }
    }
}

function rss() {
    const [, contents] = GLib.file_get_contents('/proc/self/statm');
    return Number(new TextDecoder().decode(contents).split(' ')[1]) * 4096;
}

function newStore(n = 10, reels = 3, symbols = 10) {
    const store = Flyweight.PokiesStore.new();
    store.append_many(n, reels, symbols);
    return store;
}

const owners = Array.from({length: 100}, (_, i) => `Owner ${i}`);

// gjs 1.74 makes Gio.ListStore iterable, not other list models; its
// iterator only calls get_n_items() and get_item(), so it serves any.
Flyweight.PokiesStore.prototype[Symbol.iterator] ??= Gio.ListStore.prototype[Symbol.iterator];

class Label extends GObject.Object {
    static {
        GObject.registerClass({
            Properties: {
                'text': GObject.ParamSpec.string('text', null, null,
                    GObject.ParamFlags.READWRITE, '(none)'),
            },
        }, this);
    }
}

test('a list model: get_n_items, get_item, iteration', () => {
    const store = newStore(5);
    assert(store instanceof Gio.ListModel, 'a Gio.ListModel');
    assertEqual(store.get_n_items(), 5);
    assertEqual(store.n_items, 5);
    assert(store.get_item(0) instanceof Flyweight.PokiesView, 'items are views');
    assert(store.get_item(5) === null, 'null past the end');
    assertEqual([...store].map(m => m.position), [0, 1, 2, 3, 4]);
    const seen = [];
    for (const machine of store)
        seen.push(machine.reels);
    assertEqual(seen, [3, 3, 3, 3, 3]);
});

test('the same position gives the same view while it lives', () => {
    const store = newStore(5);
    const view = store.get_item(2);
    assert(store.get_item(2) === view, 'same wrapper, same object');
    view.set_attr('owner', 'Konami');
    store.insert_many(0, 3, 3, 10);
    assertEqual(view.position, 5);
    assert(store.get_view(5) === view, 'follows its row');
    store.remove(5);
    assertEqual(view.position, Flyweight.INVALID_POSITION);
    assertEqual(view.get_attr('owner'), 'Konami');
});

test('items of one thread by default, or shared with thread_safe_items', () => {
    assertEqual(newStore().thread_safe_items, false);
    const store = new Flyweight.PokiesStore({thread_safe_items: true});
    assertEqual(store.get_thread_safe_items(), true);
    store.append_many(3, 3, 10);
    const view = store.get_item(1);
    assert(store.get_item(1) === view, 'same view');
    store.draw_all(Flyweight.Random.new(5));
    assertEqual(view.get_last_draw().length, 3);
});

test('views are let go once JavaScript drops them', () => {
    const store = newStore(100);
    // In a function of its own: gjs keeps the last object a frame touched
    // alive while the frame runs.
    (() => {
        for (const machine of store)
            machine.draw();
    })();
    collectGarbage();
    assertEqual(store.get_n_live_views(), 0);
});

test('attributes through views and in bulk', () => {
    const n = 10000;
    const store = Flyweight.PokiesStore.new();
    for (let c = 0; c < 10; c++)
        store.append_many(n / 10, 3, 10 + c);
    store.set_attr_strings('owner', 0, Array.from({length: n}, (_, i) => owners[i % 100]));
    store.set_attr_ints('level', 0, Array.from({length: n}, (_, i) => i));
    store.set_attr_dictionary('colour', 0, ['red', 'green'], Array.from({length: n}, (_, i) => i % 2));
    assertEqual(store.count_attr('colour', 'green'), n / 2);
    assertThrowsCode(() => store.set_attr_dictionary('colour', 0, ['red'], [1]), Flyweight.Error.INVALID_VALUE);
    store.set_attr_booleans('lit', 0, Array.from({length: n}, (_, i) => i % 2 === 0));
    assertEqual(store.count_attr('owner', 'Owner 7'), n / 100);
    assertEqual(store.count_attr('lit', true), n / 2);
    assertEqual(store.count_attr('reels', 3), n);
    assertEqual(store.filter_attr('level', 9999), [9999]);
    const view = store.get_item(1234);
    assertEqual(view.get_attr('owner'), 'Owner 34');
    const changes = [];
    view.connect('attr-changed::owner', (_v, name) => changes.push(name));
    view.set_attr('owner', 'Aristocrat');
    store.set_attr_range('owner', 1230, 10, 'House');
    assertEqual(changes, ['owner', 'owner']);
    assertEqual(view.get_attr('owner'), 'House');
    assertThrowsCode(() => store.set_attr_range('reels', 0, 1, 4), Flyweight.Error.READ_ONLY);
    assertThrowsCode(() => store.count_attr('1st', null), Flyweight.Error.INVALID_NAME);
});

test('draw_all with a seed gives what draw_with gives one by one', () => {
    const store = Flyweight.PokiesStore.new();
    store.append_many(100, 3, 10);
    store.append_many(20, 4, 1000);
    store.draw_all(Flyweight.Random.new(42));
    const random = Flyweight.Random.new(42);
    for (const machine of store) {
        const expected = Flyweight.PokiesSlotted.new(machine.reels, machine.symbols).draw_with(random);
        assertEqual(machine.get_last_draw(), expected);
        assertEqual(machine.last_draw.deepUnpack(), expected);
        assertEqual(machine.last_draw_text, expected.join(' '));
    }
});

test('sort by an attribute without making items', () => {
    const store = newStore(6);
    store.set_attr_strings('owner', 0, ['b', 'a', 'c', 'a', 'b']);
    const view = store.get_item(2);
    const changes = [];
    store.connect('items-changed', (_s, p, r, a) => changes.push([p, r, a]));
    store.sort_by_attr('owner', false);
    assertEqual(changes, [[0, 6, 6]]);
    assertEqual(view.position, 4);
    assertEqual([...store].map(m => m.has_attr('owner') ? m.get_attr('owner') : null),
        ['a', 'a', 'b', 'b', 'c', null]);
});

test('AttrBinding binds an attribute to a property both ways', () => {
    const store = newStore(3);
    const view = store.get_item(1);
    view.set_attr('owner', 'Aristocrat');
    const label = new Label();
    const binding = Flyweight.AttrBinding.bind(view, 'owner', label, 'text',
        GObject.BindingFlags.SYNC_CREATE | GObject.BindingFlags.BIDIRECTIONAL);
    assertEqual(label.text, 'Aristocrat');
    label.text = 'edited';
    assertEqual(view.get_attr('owner'), 'edited');
    store.set_attr_strings('owner', 1, ['bulk']);
    assertEqual(label.text, 'bulk');
    binding.unbind();
});

test('reads and writes keep no memory once warmed up', () => {
    const store = newStore(1000);
    store.set_attr_strings('owner', 0, Array.from({length: 1000}, (_, i) => owners[i % 100]));
    store.draw_all(Flyweight.Random.new(1));
    const held = store.get_item(5);
    const text = 'x'.repeat(1000);
    const operations = {
        read_attr: i => store.get_item(i % 1000).get_attr('owner'),
        read_draw: () => [held.last_draw_text, held.last_draw],
        write_attr: () => held.set_attr('note', text),
        bulk_count: () => store.count_attr('owner', 'Owner 3'),
    };
    // The JavaScript heap takes a few rounds to reach its size, then grows
    // and shrinks by a few megabytes as its collector sees fit; a leak
    // grows by the same amount every round. So: two rounds to warm up,
    // then the growth over four rounds together.
    const n = 100000;
    for (const [name, operation] of Object.entries(operations)) {
        let before = 0;
        for (let round = 0; round < 6; round++) {
            if (round === 2)
                before = rss();
            for (let i = 0; i < n; i++)
                operation(i);
            collectGarbage();
        }
        const growth = (rss() - before) / (4 * n);
        print(`# ${name}: ${growth.toFixed(2)} B of RSS per call`);
        assert(growth < 16, `${name} grows ${growth} B per call`);
    }
});

run();
