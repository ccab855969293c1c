// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The "__slots__ flyweight pattern made easy" notebook replayed cell by cell
// with libflyweight from JavaScript: PokiesDynamic plays the class with a
// __dict__, PokiesSlotted the one with __slots__.
//
// Against the build tree (B is the Meson build directory):
//   GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \
//     gjs -m examples/notebook.js
//
// Against the installed library (add the prefix's girepository-1.0 folder
// to GI_TYPELIB_PATH and its lib folder to LD_LIBRARY_PATH if the prefix is
// not a system one, e.g. /usr/local):
//   gjs -m examples/notebook.js

import Flyweight from 'gi://Flyweight?version=1.0';
import GObject from 'gi://GObject';

function cell(heading, result) {
    print(`\n# ${heading}`);
    if (result !== undefined)
        print(result);
}

function tuple(values) {
    return `(${values.join(', ')})`;
}

function dict(variant) {
    const entries = Object.entries(variant.recursiveUnpack())
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    return `{${entries.join(', ')}}`;
}

function describeRef(ref) {
    const target = ref.get();
    return target === null
        ? '<Flyweight.WeakRef; dead>'
        : `<Flyweight.WeakRef; to ${target.constructor.$gtype.name}>`;
}

// The API a class adds on top of GObject: its methods and its signals,
// the closest thing to dir() for a GObject class.
function members(klass) {
    const names = new Set();
    for (let proto = klass.prototype; proto !== GObject.Object.prototype;
        proto = Object.getPrototypeOf(proto)) {
        for (const name of Object.getOwnPropertyNames(proto)) {
            if (name !== 'constructor')
                names.add(name);
        }
    }
    for (const id of GObject.signal_list_ids(klass.$gtype))
        names.add(`signal ${GObject.signal_name(id)}`);
    return names;
}

const pokies = Flyweight.PokiesDynamic.new(3, 10);
cell('pokies = Pokies(3, 10); pokies.draw()  ->  Flyweight.PokiesDynamic.new(3, 10).draw()',
    tuple(pokies.draw()));

cell('dir(pokies)  ->  pokies.list_attrs()',
    JSON.stringify(pokies.list_attrs()));

cell('pokies.__dict__  ->  pokies.get_dict()',
    dict(pokies.get_dict()));

pokies.set_attr('owner', 'Aristocrat');
cell("pokies.owner = 'Aristocrat'  ->  pokies.set_attr('owner', 'Aristocrat')",
    dict(pokies.get_dict()));

pokies.del_attr('owner');
cell("del pokies.owner  ->  pokies.del_attr('owner')",
    dict(pokies.get_dict()));

const ref = Flyweight.WeakRef.new(pokies);
cell('ref = weakref.ref(pokies)  ->  Flyweight.WeakRef.new(pokies)',
    describeRef(ref));

cell('ref().draw()  ->  ref.get().draw()',
    tuple(ref.get().draw()));

const flyweight = Flyweight.PokiesSlotted.new(3, 10);
cell('flyweight = FlyweightPokies(3, 10); flyweight.draw()  ->  Flyweight.PokiesSlotted.new(3, 10).draw()',
    tuple(flyweight.draw()));

const slottedMembers = members(Flyweight.PokiesSlotted);
const difference = [...members(Flyweight.PokiesDynamic)].filter(n => !slottedMembers.has(n));
cell('set(dir(pokies)) - set(dir(flyweight))',
    JSON.stringify(difference));

try {
    flyweight.set_attr('owner', 'Aristocrat');
    cell("flyweight.owner = 'Aristocrat'", 'unexpectedly accepted');
} catch (e) {
    if (!e.matches?.(Flyweight.Error, Flyweight.Error.NO_ATTRIBUTE))
        throw e;
    cell("flyweight.owner = 'Aristocrat'  ->  Flyweight.Error.NO_ATTRIBUTE",
        `AttributeError: ${e.message}`);
}

cell('weakref.ref(flyweight)  ->  Flyweight.WeakRef.new(flyweight)',
    `${describeRef(Flyweight.WeakRef.new(flyweight))}\n` +
    'Works: every GObject supports weak references at no cost until one is taken, so no __weakref__ slot is needed.');

cell('%memit [Pokies(3, 10) for _ in xrange(int(1e6))] and the slotted variants',
    'Not measured here: the project\'s flyweight-memit tool measures the memory taken by many machines of each kind.');

try {
    const broken = new Flyweight.Pokies();
    cell('broken = BrokenPokies(3, 10)', `unexpectedly created ${broken}`);
} catch (e) {
    cell('broken = BrokenPokies(3, 10)  ->  new Flyweight.Pokies()',
        `${e.name}: ${e.message}`);
}
