#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests Flyweight.Pool through PyGObject and the library's override.

Run against the build tree:

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    PYTHONPATH=libflyweight/python /usr/bin/python3 tests/python/test-pool.py

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
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GLib, GObject  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import run_tests  # noqa: E402

CONSTRUCT_ONLY = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY


class Table(GObject.Object):
    """A type defined in Python, with a dashed construct-only property."""
    __gtype_name__ = 'TestPoolTable'

    max_bet = GObject.Property(type=int, default=5, minimum=1, maximum=1000,
                               flags=CONSTRUCT_ONLY)
    game = GObject.Property(type=str, default='blackjack', flags=CONSTRUCT_ONLY)
    label = GObject.Property(type=str, default='', flags=GObject.ParamFlags.READABLE)


class Repaintable(GObject.Object):
    """Changeable after construction: a pool must refuse it."""
    __gtype_name__ = 'TestPoolRepaintable'

    colour = GObject.Property(type=str, default='red')


def rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


class PoolAssertions:
    def assertFlyweightError(self, code, func, *args, **kwargs):
        with self.assertRaises(GLib.Error) as cm:
            func(*args, **kwargs)
        e = cm.exception
        self.assertTrue(e.matches(Flyweight.error_quark(), code),
                        f'expected code {code}, got {e.domain} {e.code}: {e.message}')
        return e


class Identity(PoolAssertions, unittest.TestCase):
    def setUp(self):
        self.pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)

    def test_same_key_same_object(self):
        a = self.pool.get(reels=3, symbols=10)
        self.assertIsInstance(a, Flyweight.PokiesSlotted)
        self.assertIs(self.pool.get(symbols=10, reels=3), a)
        self.assertIs(self.pool.get(), a, 'defaults are 3 x 10')
        self.assertIs(self.pool.get(reels=3), a)
        self.assertIsNot(self.pool.get(reels=5, symbols=10), a)
        self.assertEqual((a.get_reels(), a.get_symbols()), (3, 10))

    def test_with_properties(self):
        a = self.pool.get_with_properties(['reels', 'symbols'], [4, 20])
        self.assertIs(self.pool.get(reels=4, symbols=20), a)
        self.assertIs(self.pool.get_with_properties([], []), self.pool.get())

    def test_numbers_that_convert_exactly(self):
        a = self.pool.get(reels=4)
        self.assertIs(self.pool.get(reels=4.0), a)
        self.assertIs(self.pool.get(reels=GObject.Value(GObject.TYPE_UCHAR, 4)), a)

    def test_item_type(self):
        self.assertEqual(self.pool.get_item_type(), Flyweight.PokiesSlotted.__gtype__)
        self.assertEqual(self.pool.props.item_type, Flyweight.PokiesSlotted.__gtype__)
        pool = Flyweight.Pool(item_type=Flyweight.PokiesSlotted)
        self.assertIs(pool.get(reels=2), pool.get(reels=2))

    def test_plain_object_pool(self):
        pool = Flyweight.Pool()
        self.assertIs(pool.get(), pool.get())
        self.assertEqual(type(pool.get()), GObject.Object)

    def test_python_type(self):
        pool = Flyweight.Pool.new(Table)
        a = pool.get(max_bet=50)
        self.assertIsInstance(a, Table)
        self.assertEqual((a.props.max_bet, a.props.game), (50, 'blackjack'))
        self.assertIs(pool.get(max_bet=50, game='blackjack'), a)
        self.assertIs(pool.get_with_properties(['max-bet'], [50]), a)
        b = pool.get(max_bet=50, game='poker')
        self.assertIsNot(b, a)
        self.assertEqual(b.props.game, 'poker')


class Release(PoolAssertions, unittest.TestCase):
    def test_last_holder_lets_go(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        a = pool.get(reels=3)
        b = pool.get(reels=3)
        ref = Flyweight.WeakRef.new(a)
        self.assertEqual(pool.props.size, 1)
        del a
        gc.collect()
        self.assertIsNotNone(ref.get(), 'b still holds it')
        del b
        gc.collect()
        self.assertIsNone(ref.get())
        self.assertEqual(pool.props.size, 0)
        self.assertEqual(pool.get_stats().peak, 1)

    def test_instance_dict_is_shared(self):
        # A Python attribute of a Python class lives on the wrapper, and the
        # wrapper is shared like the object. PyGObject then holds a toggle
        # reference, which must not keep the object from going once nobody
        # holds it.
        pool = Flyweight.Pool.new(Table)
        a = pool.get(max_bet=6)
        a.note = 'hot'
        b = pool.get(max_bet=6)
        self.assertIs(b, a)
        self.assertEqual(b.note, 'hot')
        del a, b
        gc.collect()
        self.assertEqual(pool.props.size, 0)
        self.assertFalse(hasattr(pool.get(max_bet=6), 'note'), 'a new object, a new wrapper')

    def test_pool_dropped_first(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        a = pool.get(reels=7)
        del pool
        gc.collect()
        self.assertEqual(a.get_reels(), 7)
        del a
        gc.collect()


class Errors(PoolAssertions, unittest.TestCase):
    def setUp(self):
        self.pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)

    def test_unknown_property(self):
        e = self.assertFlyweightError(Flyweight.Error.INVALID_KEY, self.pool.get, reel=3)
        self.assertEqual(e.message, '“FlyweightPokiesSlotted” has no property “reel”')

    def test_not_construct_only(self):
        pool = Flyweight.Pool.new(Table)
        e = self.assertFlyweightError(Flyweight.Error.INVALID_KEY, pool.get, label='x')
        self.assertIn('not construct-only', e.message)

    def test_name_with_nul(self):
        # A C string would end at the NUL and name "reels" instead.
        for call in (lambda: self.pool.get(**{'reels\0x': 3}),
                     lambda: self.pool.get_with_properties(['reels\0x'], [3])):
            e = self.assertFlyweightError(Flyweight.Error.INVALID_KEY, call)
            self.assertIn('NUL', e.message)
        self.assertEqual(self.pool.get_stats().misses, 0)

    def test_given_twice(self):
        self.assertFlyweightError(Flyweight.Error.INVALID_KEY,
                                  self.pool.get_with_properties, ['reels', 'reels'], [3, 3])

    def test_out_of_range(self):
        for kwargs in (dict(reels=0), dict(reels=1025), dict(symbols=0), dict(reels=-1),
                       dict(reels=2**40), dict(symbols=1048577)):
            with self.subTest(**kwargs):
                e = self.assertFlyweightError(Flyweight.Error.INVALID_VALUE, self.pool.get, **kwargs)
                self.assertIn('out of range', e.message)
        self.assertEqual(self.pool.get_stats().misses, 0, 'nothing was constructed')

    def test_mistyped(self):
        for value in ('3', True, 3.5, None, [3], Flyweight.Random.new(1)):
            with self.subTest(value=value):
                self.assertFlyweightError(Flyweight.Error.INVALID_VALUE, self.pool.get, reels=value)

    def test_too_big_for_any_integer(self):
        with self.assertRaises(OverflowError):
            self.pool.get(reels=2**64)

    def test_not_poolable(self):
        for item_type, words in ((Flyweight.PokiesDynamic, 'attributes can change'),
                                 (Flyweight.Pokies, 'abstract'),
                                 (Repaintable, '“colour” can change')):
            with self.subTest(item_type=item_type):
                pool = Flyweight.Pool.new(item_type)
                e = self.assertFlyweightError(Flyweight.Error.NOT_POOLABLE, pool.get)
                self.assertIn(words, e.message)

    def test_none_for_a_string_is_null(self):
        pool = Flyweight.Pool.new(Table)
        a = pool.get(game=None)
        self.assertIsNone(a.props.game)
        self.assertIs(pool.get(game=None), a)
        self.assertIsNot(pool.get(game=''), a)

    def test_error_codes(self):
        self.assertEqual(int(Flyweight.Error.INVALID_KEY), 5)
        self.assertEqual(int(Flyweight.Error.NOT_POOLABLE), 6)


class Counters(unittest.TestCase):
    def test_stats_and_properties(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        keep = [pool.get(reels=r) for r in (1, 2, 3, 1, 2)]
        stats = pool.get_stats()
        self.assertEqual((stats.size, stats.peak, stats.hits, stats.misses), (3, 3, 2, 3))
        self.assertEqual((pool.props.size, pool.props.peak, pool.props.hits, pool.props.misses),
                         (3, 3, 2, 3))
        self.assertEqual((stats.kept, stats.keep_alive), (0, 0))
        del keep
        gc.collect()
        self.assertEqual(pool.props.size, 0)
        self.assertEqual(pool.get_stats().peak, 3)

    def test_keep_alive(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        pool.props.keep_alive = 2
        ref = Flyweight.WeakRef.new(pool.get(reels=9))
        gc.collect()
        self.assertIsNotNone(ref.get(), 'kept after its holder let go')
        self.assertEqual((pool.props.kept, pool.props.size), (1, 1))
        self.assertIs(pool.get(reels=9), ref.get())
        pool.set_keep_alive(0)
        gc.collect()
        self.assertIsNone(ref.get())
        self.assertEqual(pool.props.size, 0)


# GLib before 2.80 calls toggle notifications from g_weak_ref_get() while
# it holds its global weak-reference lock. PyGObject's takes the GIL, and a
# thread that holds the GIL while it drops a wrapper's toggle reference
# waits for that lock: any GWeakRef, FlyweightWeakRef as much as a pool's
# entries, can then deadlock. Wrappers hold toggle references once they
# carry Python attributes.
GWEAKREF_SAFE_WITH_TOGGLES = GLib.check_version(2, 80, 0) is None


class Threads(unittest.TestCase):
    def hammer(self, pool, with_attributes):
        # Library machines are checked by their reels. Python attributes
        # need a class defined in Python (they give its wrappers toggle
        # references); its property values live in the Python wrapper, so
        # those objects are checked through the pool's peak instead.
        failures = []

        def work(seed):
            try:
                for i in range(3000):
                    key = 1 + (seed + i) % 3
                    if with_attributes:
                        m = pool.get(max_bet=key)
                        if i % 3 == 0:
                            m.seen = i
                    else:
                        m = pool.get(reels=key)
                        if m.get_reels() != key:
                            failures.append('wrong machine')
                    del m
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(repr(e))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
            self.assertFalse(t.is_alive(), 'a thread is stuck')
        self.assertEqual(failures, [])
        self.assertLessEqual(pool.get_stats().peak, 3, 'one live object per key')

    def test_threads(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        self.hammer(pool, with_attributes=False)
        gc.collect()
        self.assertEqual(pool.props.size, 0)

    # On GLib 2.80 and later no deadlock, but PyGObject's toggle
    # notifications, each waiting for the GIL, can arrive in another order
    # than the references they report when threads take and drop the same
    # objects in C at once: a wrapper can end up holding its machine for
    # good. Measured on GLib 2.84 with PyGObject 3.50, 5 runs in 6 left
    # machines alive. FLYWEIGHT_TEST_TOGGLE_THREADS=1 runs it anyway.
    @unittest.skipUnless(GWEAKREF_SAFE_WITH_TOGGLES, 'GLib < 2.80: GWeakRef and toggle references deadlock')
    @unittest.skipUnless(os.environ.get('FLYWEIGHT_TEST_TOGGLE_THREADS'),
                         "PyGObject's toggle notifications race between threads")
    def test_threads_with_toggle_references(self):
        pool = Flyweight.Pool.new(Table)
        self.hammer(pool, with_attributes=True)
        gc.collect()
        self.assertEqual(pool.props.size, 0)

    def test_threads_with_toggle_references_kept(self):
        # Kept machines are handed out without their weak reference: with a
        # keep-alive for every hot machine, toggle references are safe on
        # any GLib.
        pool = Flyweight.Pool.new(Table)
        pool.props.keep_alive = 3
        self.hammer(pool, with_attributes=True)
        pool.props.keep_alive = 0
        gc.collect()
        self.assertEqual(pool.props.size, 0)


class Leaks(unittest.TestCase):
    """The binding-friendly form, as PyGObject 3.42 marshals it, must not
    leak: 100000 requests would leak at least 2.4 MB at one GValue each."""

    N = 100000

    def measure(self, call):
        for _ in range(2000):
            call()
        gc.collect()
        before = rss_bytes()
        for _ in range(self.N):
            call()
        gc.collect()
        return (rss_bytes() - before) / self.N

    def test_get_does_not_leak(self):
        pool = Flyweight.Pool.new(Table)
        keep = pool.get(max_bet=7, game='roulette')
        per_call = self.measure(lambda: pool.get(max_bet=7, game='roulette'))
        self.assertIs(pool.get(max_bet=7, game='roulette'), keep)
        self.assertLess(per_call, 4, f'{per_call:.1f} bytes per get()')

    def test_get_with_properties_does_not_leak(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        keep = pool.get(reels=3)  # noqa: F841 - a hit every time
        per_call = self.measure(lambda: pool.get_with_properties(['reels', 'symbols'], [3, 10]))
        self.assertLess(per_call, 4, f'{per_call:.1f} bytes per get_with_properties()')

    def test_errors_do_not_leak(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)

        def refused():
            try:
                pool.get(reels=0)
            except GLib.Error:
                pass
        per_call = self.measure(refused)
        self.assertLess(per_call, 4, f'{per_call:.1f} bytes per refused get()')

    def test_stats_do_not_leak(self):
        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        per_call = self.measure(pool.get_stats)
        self.assertLess(per_call, 4, f'{per_call:.1f} bytes per get_stats()')


if __name__ == '__main__':
    sys.exit(run_tests(sys.modules[__name__]))
