// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The gjs side of bench-pokies-store. Run as:
//   gjs -m pokies-store-child.js MODE COUNT
// with GI_TYPELIB_PATH pointing at Flyweight-1.0.typelib. Prints one JSON
// line; bytes are (RSS after - RSS before) / COUNT in this fresh process,
// after System.gc() with everything still referenced.
//
// MODE:
//   store    a Flyweight.PokiesStore of COUNT machines, 10 configurations,
//            an owner from 100 on each, every machine drawn; bulk calls
//   objects  COUNT Flyweight.PokiesDynamic held in an array, each with an
//            owner set and drawn once (gjs 1.74 makes each new wrapper cost
//            O(live wrappers): keep COUNT small)

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import System from 'system';

const [mode, countText] = ARGV;
const count = Number(countText);
const owners = Array.from({length: 100}, (_, i) => `Owner ${i}`);

function rss() {
    const [, bytes] = GLib.file_get_contents('/proc/self/statm');
    return Number(new TextDecoder().decode(bytes).split(' ')[1]) * 4096;
}

function version() {
    const v = System.version;
    return `gjs ${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
}

function store() {
    const warm = Flyweight.PokiesStore.new();
    warm.append_many(100, 3, 10);
    warm.set_attr_dictionary('owner', 0, owners, owners.map((_, i) => i));
    warm.draw_all(null);
    const indices = Array.from({length: count}, (_, i) => i % 100);
    System.gc();
    const before = rss();
    const s = Flyweight.PokiesStore.new();
    const start = GLib.get_monotonic_time();
    for (let c = 0; c < 10; c++)
        s.append_many(count / 10, 3, 10 + c);
    s.set_attr_dictionary('owner', 0, owners, indices);
    s.draw_all(Flyweight.Random.new(1));
    const end = GLib.get_monotonic_time();
    System.gc();
    const after = rss();
    if (s.get_n_items() !== count)
        throw new Error('wrong count');
    return {bytes: (after - before) / count, ns: (end - start) * 1000 / count};
}

function objects() {
    const warm = Flyweight.PokiesDynamic.new(3, 10);
    warm.set_attr('owner', owners[0]);
    warm.draw();
    System.gc();
    const before = rss();
    const objs = new Array(count).fill(null);
    const start = GLib.get_monotonic_time();
    for (let i = 0; i < count; i++) {
        const machine = Flyweight.PokiesDynamic.new(3, 10 + i % 10);
        machine.set_attr('owner', owners[i % 100]);
        machine.draw();
        objs[i] = machine;
    }
    const end = GLib.get_monotonic_time();
    System.gc();
    const after = rss();
    return {bytes: (after - before) / count, ns: (end - start) * 1000 / count, held: objs.length};
}

const result = mode === 'store' ? store() : objects();
print(JSON.stringify({mode, count, runtime: version(), ...result}));
