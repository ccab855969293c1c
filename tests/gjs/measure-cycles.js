// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What a reference cycle through attributes costs, from JavaScript:
//
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//   gjs -m tests/gjs/measure-cycles.js KIND HOW N
//
// The same rounds as tests/python/measure-cycles.py. gjs keeps some heap
// of its own after a collection, so compare with the acyclic row of the
// same run. Not part of the test suite.

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import System from 'system';

const [kind, how, count] = ARGV;
const n = Number(count);

function rss() {
    const [, bytes] = GLib.file_get_contents('/proc/self/statm');
    return Number(new TextDecoder().decode(bytes).split(' ')[1]) * 4096;
}

function one() {
    const a = Flyweight.PokiesDynamic.new(3, 10);
    if (kind === 'acyclic') {
        a.set_attr('other', Flyweight.PokiesDynamic.new(3, 10));
    } else if (kind === 'self') {
        a.set_attr('me', a);
    } else {
        const b = Flyweight.PokiesDynamic.new(3, 10);
        a.set_attr('other', b);
        b.set_attr('other', a);
    }
    if (how === 'clear')
        a.clear_attrs();
    else if (how === 'dispose')
        a.run_dispose();
}

function collect() {
    for (let i = 0; i < 3; i++) {
        System.gc();
        while (GLib.MainContext.default().iteration(false)) {
            // drain
        }
    }
}

for (let i = 0; i < n; i++)
    one();
collect();
const before = rss();
for (let i = 0; i < n; i++)
    one();
collect();
print(`gjs ${kind} ${how}: ${((rss() - before) / n).toFixed(0)} B/cycle`);
