#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests Flyweight.PokiesStore, PokiesView and AttrBinding from Python.

Run against the build tree:

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    /usr/bin/python3 tests/python/test-pokies-store.py

The results are printed as TAP; the exit status is 1 if any test failed.
"""

import gc
import os
import sys
import threading
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, Gio, GLib, GObject  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import run_tests  # noqa: E402

OWNERS = [f'Owner {i}' for i in range(100)]


def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def new_store(n=10, reels=3, symbols=10):
    store = Flyweight.PokiesStore.new()
    store.append_many(n, reels, symbols)
    return store


class Label(GObject.Object):
    """A stand-in for a widget: one string and one boolean property."""
    text = GObject.Property(type=str, default='(none)')
    active = GObject.Property(type=bool, default=False)


class SequenceProtocol(unittest.TestCase):
    def test_len_getitem_iteration(self):
        store = new_store(5)
        self.assertIsInstance(store, Gio.ListModel)
        self.assertEqual(len(store), 5)
        self.assertIsInstance(store[0], Flyweight.PokiesView)
        self.assertEqual(store[-1].props.position, 4)
        with self.assertRaises(IndexError):
            store[5]
        with self.assertRaises(IndexError):
            store[-6]
        self.assertEqual([m.props.position for m in store], [0, 1, 2, 3, 4])
        self.assertEqual([m.props.position for m in store[1:4]], [1, 2, 3])
        self.assertEqual(store.props.n_items, 5)
        self.assertEqual(store.get_item_type(), Flyweight.PokiesView.__gtype__)

    def test_identity_and_release(self):
        store = new_store(5)
        a = store[2]
        self.assertIs(store[2], a)
        self.assertIs(store.get_view(2), a)
        self.assertEqual(store.get_n_live_views(), 1)
        ref = Flyweight.WeakRef.new(a)
        del a
        gc.collect()
        self.assertIsNone(ref.get())
        self.assertEqual(store.get_n_live_views(), 0)
        # Iterating makes one view at a time, and lets each go.
        for machine in store:
            self.assertLessEqual(store.get_n_live_views(), 2)
        del machine
        gc.collect()
        self.assertEqual(store.get_n_live_views(), 0)

    def test_view_follows_and_outlives_its_row(self):
        store = new_store(5)
        view = store[3]
        view.set_attr('owner', 'Konami')
        positions = []
        view.connect('notify::position', lambda v, _: positions.append(v.props.position))
        store.insert_many(0, 2, 3, 10)
        self.assertEqual(view.props.position, 5)
        self.assertIs(store[5], view)
        store.remove(5)
        self.assertEqual(positions, [5, Flyweight.INVALID_POSITION])
        self.assertEqual(view.get_attr('owner'), 'Konami')
        view.set_attr('owner', 'IGT')
        self.assertEqual(store.count_attr('owner', None), 0)

    def test_items_changed(self):
        store = new_store(3)
        changes = []
        store.connect('items-changed', lambda s, p, r, a: changes.append((p, r, a)))
        store.append(5, 20)
        store.insert(1, 3, 10)
        store.splice(0, 2, [Flyweight.PokiesDynamic.new(2, 2)])
        store.remove_range(1, 2)
        store.remove_all()
        self.assertEqual(changes, [(3, 0, 1), (1, 0, 1), (0, 2, 1), (1, 2, 0), (0, 2, 0)])


class Attributes(unittest.TestCase):
    def test_view_attributes(self):
        store = new_store(3)
        view = store[1]
        changed = []
        view.connect('attr-changed::owner', lambda v, name: changed.append(name))
        view.set_attr('owner', 'Aristocrat')
        view.set_attr('level', 7)
        view.set_attr('ratio', 0.5)
        view.set_attr('lit', True)
        self.assertEqual(view.get_attr('owner'), 'Aristocrat')
        self.assertEqual(view.get_attr('level'), 7)
        self.assertEqual(view.get_attr('ratio'), 0.5)
        self.assertIs(view.get_attr('lit'), True)
        self.assertEqual(view.list_attrs(), ['level', 'lit', 'owner', 'ratio', 'reels', 'symbols'])
        self.assertFalse(store[0].has_attr('owner'))
        view.del_attr('owner')
        self.assertEqual(changed, ['owner', 'owner'])
        with self.assertRaises(GLib.Error) as cm:
            view.get_attr('owner')
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), Flyweight.Error.NO_ATTRIBUTE))
        with self.assertRaises(GLib.Error) as cm:
            view.set_attr('reels', 4)
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), Flyweight.Error.READ_ONLY))

    def test_bulk_constructors(self):
        n = 100_000
        store = Flyweight.PokiesStore.new()
        for c in range(10):
            store.append_many(n // 10, 3, 10 + c)
        store.set_attr_strings('owner', 0, OWNERS * (n // 100))
        store.set_attr_ints('level', 0, list(range(n)))
        store.set_attr_doubles('ratio', 0, [0.25] * n)
        store.set_attr_booleans('lit', 0, [True, False] * (n // 2))
        self.assertEqual(len(store), n)
        self.assertEqual(store.get_n_configurations(), 10)
        self.assertEqual(store.count_attr('owner', 'Owner 7'), n // 100)
        self.assertEqual(store.count_attr('lit', True), n // 2)
        self.assertEqual(store.count_attr('reels', 3), n)
        self.assertEqual(store.count_attr('symbols', 12), n // 10)
        self.assertEqual(store.filter_attr('level', 99_999), [99_999])
        self.assertEqual(store[12_345].get_attr('owner'), 'Owner 45')
        self.assertEqual(store[12_345].get_attr('level'), 12_345)
        self.assertEqual(store.get_n_live_views(), 0)

    def test_dictionary_keeps_memory_down(self):
        # A million strings from Python are a million copies in PyGObject,
        # which the allocator keeps; a million indices are one block.
        n = 1_000_000
        indices = list(range(100)) * (n // 100)
        store = Flyweight.PokiesStore.new()
        store.append_many(n, 3, 10)
        before = rss()
        store.set_attr_dictionary('owner', 0, OWNERS, indices)
        grown = (rss() - before) / n
        print(f'# set_attr_dictionary: {grown:.2f} B of RSS per machine', flush=True)
        self.assertLess(grown, 2)
        self.assertEqual(store.count_attr('owner', 'Owner 42'), n // 100)
        self.assertEqual(store[123_456].get_attr('owner'), 'Owner 56')
        with self.assertRaises(GLib.Error) as cm:
            store.set_attr_dictionary('owner', 0, OWNERS, [100])
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), Flyweight.Error.INVALID_VALUE))

    def test_bulk_errors(self):
        store = new_store(4)
        with self.assertRaises(GLib.Error) as cm:
            store.set_attr_strings('__dict__', 0, ['a'])
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), Flyweight.Error.INVALID_NAME))
        with self.assertRaises(GLib.Error) as cm:
            store.set_attr_range('symbols', 0, 4, 5)
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), Flyweight.Error.READ_ONLY))
        self.assertEqual(store.count_attr('owner', None), 0)

    def test_sort_and_filter(self):
        store = new_store(6)
        store.set_attr_strings('owner', 0, ['b', 'a', 'c', 'a', 'b'])
        self.assertEqual(store.filter_attr('owner', 'a'), [1, 3])
        view = store[2]
        store.sort_by_attr('owner', False)
        owners = [m.get_attr('owner') if m.has_attr('owner') else None for m in store]
        self.assertEqual(owners, ['a', 'a', 'b', 'b', 'c', None])
        self.assertEqual(view.props.position, 4)
        store.sort_by_attr('owner', True)
        self.assertEqual(store[0].get_attr('owner'), 'c')


class Draws(unittest.TestCase):
    def test_draw_all_matches_one_by_one(self):
        store = Flyweight.PokiesStore.new()
        store.append_many(200, 3, 10)
        store.append_many(50, 5, 100)
        store.draw_all(Flyweight.Random.new(42))
        rng = Flyweight.Random.new(42)
        for machine in store:
            twin = Flyweight.PokiesSlotted.new(machine.props.reels, machine.props.symbols)
            expected = twin.draw_with(rng)
            self.assertEqual(list(machine.props.last_draw), expected)
            self.assertEqual(machine.get_last_draw(), expected)
            self.assertEqual(machine.props.last_draw_text, ' '.join(map(str, expected)))

    def test_draw_through_a_view(self):
        store = new_store(3)
        view = store[0]
        self.assertIsNone(view.props.last_draw_text)
        self.assertEqual(view.props.last_draw.unpack(), [])
        notified = []
        view.connect('notify::last-draw-text', lambda v, _: notified.append(v.props.last_draw_text))
        values = view.draw()
        self.assertEqual(notified, [' '.join(map(str, values))])
        store.draw_all(None)
        self.assertEqual(len(notified), 2)
        rows = []
        store.connect('rows-changed', lambda s, p, n: rows.append((p, n)))
        store.draw_range(1, 2, None)
        self.assertEqual(rows, [(1, 2)])
        self.assertEqual(len(notified), 2)


class Binding(unittest.TestCase):
    def test_bind_owner_both_ways(self):
        store = new_store(3)
        view = store[1]
        view.set_attr('owner', 'Aristocrat')
        label = Label()
        binding = Flyweight.AttrBinding.bind(
            view, 'owner', label, 'text',
            GObject.BindingFlags.SYNC_CREATE | GObject.BindingFlags.BIDIRECTIONAL)
        self.assertEqual(label.props.text, 'Aristocrat')
        store.set_attr_strings('owner', 0, ['x', 'y', 'z'])
        self.assertEqual(label.props.text, 'y')
        label.props.text = 'edited'
        self.assertEqual(view.get_attr('owner'), 'edited')
        binding.unbind()
        view.set_attr('owner', 'after')
        self.assertEqual(label.props.text, 'edited')


class Threads(unittest.TestCase):
    def test_items_belong_to_one_thread_by_default(self):
        self.assertFalse(new_store().props.thread_safe_items)
        self.assertFalse(new_store().get_thread_safe_items())

    def test_thread_safe_items_are_shared(self):
        store = Flyweight.PokiesStore(thread_safe_items=True)
        self.assertTrue(store.props.thread_safe_items)
        store.append_many(4, 3, 10)
        held = [store[i] for i in range(4)]
        seen = []

        def work():
            for _ in range(200):
                for i in range(4):
                    seen.append(store[i] is held[i])
                    store[i].set_attr('owner', 'worker')
            store.draw_all(Flyweight.Random.new(3))

        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertTrue(all(seen))
        self.assertEqual(len(seen), 3 * 200 * 4)
        self.assertEqual(held[2].get_attr('owner'), 'worker')
        self.assertIsNotNone(held[2].get_last_draw())
        del held, seen
        gc.collect()
        self.assertEqual(store.get_n_live_views(), 0)


class Leaks(unittest.TestCase):
    """Reads and writes through views keep no memory once warmed up."""
    N = 200_000

    def measure(self, operation):
        for i in range(self.N // 10):
            operation(i)
        gc.collect()
        before = rss()
        for i in range(self.N):
            operation(i)
        gc.collect()
        return (rss() - before) / self.N

    def test_reads_and_writes(self):
        store = new_store(1000)
        store.set_attr_strings('owner', 0, OWNERS * 10)
        store.draw_all(Flyweight.Random.new(1))
        held = store[5]
        text = 'x' * 1000

        def read_attr(i):
            store[i % 1000].get_attr('owner')

        def read_draw(i):
            held.props.last_draw_text
            held.props.last_draw

        def write_attr(i):
            held.set_attr('note', text)

        def bulk_count(i):
            store.count_attr('owner', 'Owner 3')

        for operation in (read_attr, read_draw, write_attr, bulk_count):
            growth = self.measure(operation)
            print(f'# {operation.__name__}: {growth:.2f} B of RSS per call', flush=True)
            self.assertLess(growth, 8, operation.__name__)


if __name__ == '__main__':
    sys.exit(run_tests(sys.modules[__name__]))
