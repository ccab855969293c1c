// SPDX-License-Identifier: LGPL-2.1-or-later
// Uses the installed typelib from gjs; prints where it came from.

import Flyweight from 'gi://Flyweight?version=1.0';
import GIRepository from 'gi://GIRepository?version=2.0';
import System from 'system';

function check(condition, what) {
    if (!condition)
        throw new Error(`consumer.js: ${what}`);
}

const pokies = new Flyweight.PokiesDynamic({reels: 3, symbols: 10});
pokies.set_attr('owner', 'Aristocrat');
check(pokies.get_attr('owner') === 'Aristocrat', 'owner reads back');
check(JSON.stringify(pokies.get_dict().recursiveUnpack()) ===
    '{"reels":3,"symbols":10,"owner":"Aristocrat"}', 'get_dict()');

let slotted = Flyweight.PokiesSlotted.new(3, 10);
let refused = false;
try {
    slotted.set_attr('owner', 'Aristocrat');
} catch (e) {
    refused = e.matches(Flyweight.Error, Flyweight.Error.NO_ATTRIBUTE);
}
check(refused, 'a slotted machine refuses owner');
check(slotted.draw_with(Flyweight.Random.new(42)).join(' ') === '3 8 7', 'seeded draw');

const ref = Flyweight.WeakRef.new(slotted);
slotted = null;
System.gc();
check(ref.get() === null, 'the weak reference clears');

print(`typelib: ${GIRepository.Repository.get_default().get_typelib_path('Flyweight')}`);
