// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A correct JavaScript subclass of Flyweight.Pokies, run by
// test-flyweight.js under G_DEBUG=fatal-warnings: any warning or critical
// kills it. Prints "done" when every check passed.

import Flyweight from 'gi://Flyweight?version=1.0';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

function check(condition, what) {
    if (!condition) {
        printerr(`failed: ${what}`);
        System.exit(1);
    }
}

function noAttribute(name) {
    return new GLib.Error(Flyweight.Error, Flyweight.Error.NO_ATTRIBUTE, `no ${name}`);
}

const Table = GObject.registerClass(class Table extends Flyweight.Pokies {
    _init(params) {
        super._init(params);
        this._table = new Map();
    }

    vfunc_set_attr(name, value) {
        this._table.set(name, value);
        return true;
    }

    vfunc_lookup_attr(name) {
        if (!this._table.has(name))
            throw noAttribute(name);
        return [true, this._table.get(name)];
    }

    vfunc_del_attr(name) {
        if (!this._table.delete(name))
            throw noAttribute(name);
        return true;
    }

    vfunc_has_attr(name) {
        return this._table.has(name);
    }

    vfunc_list_attrs() {
        return [...this._table.keys()];
    }
});

const machine = new Table({reels: 5, symbols: 7});
check(machine.reels === 5 && machine.get_symbols() === 7, 'dimensions');
check(machine.draw().length === 5, 'draw');
machine.set_attr('owner', 'Aristocrat');
machine.set_attr('lucky', 7);
check(machine.get_attr('owner') === 'Aristocrat', 'get_attr');
check(machine.has_attr('lucky') && machine.has_attr('reels'), 'has_attr');
check(JSON.stringify(machine.list_attrs()) === '["lucky","owner","reels","symbols"]', 'list_attrs');
try {
    machine.get_attr('missing');
    check(false, 'missing attribute');
} catch (e) {
    check(e.matches(Flyweight.Error, Flyweight.Error.NO_ATTRIBUTE), `missing attribute: ${e}`);
}
try {
    machine.set_attr('reels', 1);
    check(false, 'read-only reels');
} catch (e) {
    check(e.matches(Flyweight.Error, Flyweight.Error.READ_ONLY), `read-only reels: ${e}`);
}
machine.clear_attrs();
check(JSON.stringify(machine.list_attrs()) === '["reels","symbols"]', 'clear_attrs');

const Bare = GObject.registerClass(class Bare extends Flyweight.Pokies {});
const bare = new Bare();
check(bare.list_attrs().length === 2 && bare.draw().length === 3, 'bare subclass');

print('done');
