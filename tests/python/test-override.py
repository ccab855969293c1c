#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests the PyGObject override: the notebook in plain Python.

FLYWEIGHT_OVERRIDE names the gi/overrides/Flyweight.py under test, and
PYTHONPATH must lead PyGObject to it. Against the build tree:

    GI_TYPELIB_PATH=$B/libflyweight LD_LIBRARY_PATH=$B/libflyweight \\
    PYTHONPATH=libflyweight/python \\
    FLYWEIGHT_OVERRIDE=libflyweight/python/gi/overrides/Flyweight.py \\
    /usr/bin/python3 tests/python/test-override.py

The installed-tree test runs it against the installed override. The
results are printed as TAP; the exit status is 1 if any test failed.
"""

import copy
import enum
import gc
import os
import pickle
import re
import subprocess
import sys
import textwrap
import threading
import traceback
import unittest
import weakref

import gi

import override_path
import tap

gi.require_version('GLib', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Flyweight', '1.0')
from gi.repository import Flyweight, GLib, GObject  # noqa: E402

OVERRIDE = override_path.check_override()
DOMAIN = 'flyweight-error-quark'
NO_ATTRIBUTE = Flyweight.Error.NO_ATTRIBUTE
READ_ONLY = Flyweight.Error.READ_ONLY
INVALID_NAME = Flyweight.Error.INVALID_NAME
INVALID_VALUE = Flyweight.Error.INVALID_VALUE


def gi_dict(machine):
    """The library's own a{sv} snapshot, below the override."""
    return super(Flyweight.PokiesDynamic, machine).get_dict()


def has_instance_dict(wrapper):
    """Whether PyGObject made the wrapper a __dict__ (its traverse shows it)."""
    return any(type(r) is dict for r in gc.get_referents(wrapper))


def run_python(code, **env):
    """Runs CODE in a fresh /usr/bin/python3 with this process's environment."""
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          env=dict(os.environ, **env), capture_output=True, text=True)


# The notebook's subclasses, at module level so that pickle finds them.
class BrokenPokies(Flyweight.Pokies):
    """
    Getting it wrong raises an exception on instantiation
    """

    __slots__ = ()

    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols


class LuckyPokies(Flyweight.Pokies):
    """A Python subclass that gets it right."""

    jackpot = GObject.Property(type=int, default=7)

    def __init__(self, reels=3, symbols=10, jackpot=7):
        super().__init__(reels, symbols)
        self.jackpot = jackpot

    @property
    def odds(self):
        return self.symbols ** self.reels

    def draw(self):
        return tuple(super().draw())


class SlottedLucky(Flyweight.Pokies):
    """A subclass with __slots__: no __dict__, as the library's classes."""

    __slots__ = ()

    def double_draw(self):
        return self.draw() + self.draw()


class Table(Flyweight.Pokies):
    """A subclass that keeps the library's attributes in a Python dict."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.table = {}

    def do_set_attr(self, name, value):
        self.table[name] = value
        return True

    def do_lookup_attr(self, name):
        if name not in self.table:
            raise GLib.Error.new_literal(Flyweight.error_quark(), f'no {name}', NO_ATTRIBUTE)
        return True, self.table[name]

    def do_del_attr(self, name):
        if name not in self.table:
            raise GLib.Error.new_literal(Flyweight.error_quark(), f'no {name}', NO_ATTRIBUTE)
        del self.table[name]
        return True

    def do_has_attr(self, name):
        return name in self.table

    def do_list_attrs(self):
        return list(self.table)


class Lazy(Flyweight.Pokies):
    def __init__(self):
        pass


class Assertions:
    def assertAttrError(self, code, func, *args):
        with self.assertRaises(Flyweight.AttrError) as cm:
            func(*args)
        e = cm.exception
        self.assertIsInstance(e, AttributeError)
        self.assertIsInstance(e, GLib.Error)
        self.assertEqual(e.domain, DOMAIN)
        self.assertEqual(e.code, int(code))
        self.assertTrue(e.matches(Flyweight.error_quark(), code), repr(e))
        self.assertEqual(str(e), e.message)
        return e

    def assertUnchanged(self, machine, before):
        self.assertEqual(machine.list_attrs(), before)
        self.assertFalse(has_instance_dict(machine))


class Loading(unittest.TestCase):
    def test_override_in_use(self):
        self.assertTrue(OVERRIDE.__file__.endswith(os.path.join('gi', 'overrides', 'Flyweight.py')))
        self.assertIs(Flyweight.PokiesDynamic, OVERRIDE.PokiesDynamic)
        self.assertIs(Flyweight.PokiesSlotted, OVERRIDE.PokiesSlotted)
        self.assertIs(Flyweight.Pokies, OVERRIDE.Pokies)
        self.assertIs(Flyweight.AttrError, OVERRIDE.AttrError)
        self.assertTrue(issubclass(Flyweight.PokiesDynamic, Flyweight.Pokies))
        self.assertTrue(issubclass(Flyweight.PokiesSlotted, Flyweight.Pokies))

    def test_every_name_in_module_dict(self):
        # A name found in the module's own dictionary never reaches the
        # proxy's __getattr__, which raises and swallows an AttributeError.
        module_dict = vars(Flyweight)
        introspection = OVERRIDE.Flyweight
        names = [n for n in dir(introspection) if not n.startswith('_')]
        for name in ('Pokies', 'PokiesDynamic', 'PokiesSlotted', 'Random', 'WeakRef',
                     'Error', 'error_quark', 'attr_name_validate', 'POKIES_MAX_REELS'):
            self.assertIn(name, names)
        for name in names:
            self.assertIn(name, module_dict, name)
        self.assertIs(Flyweight.Random, introspection.Random)

    def test_lookups_skip_proxy_getattr(self):
        calls = []
        proxy_type = type(Flyweight)
        original = proxy_type.__getattr__

        def counting(module, name):
            calls.append(name)
            return original(module, name)
        proxy_type.__getattr__ = counting
        try:
            for _ in range(3):
                Flyweight.PokiesSlotted
                Flyweight.Random
                Flyweight.Error
                Flyweight.error_quark
        finally:
            proxy_type.__getattr__ = original
        self.assertEqual(calls, [])


class Construction(Assertions, unittest.TestCase):
    def test_positional(self):
        for cls in (Flyweight.PokiesDynamic, Flyweight.PokiesSlotted):
            m = cls(3, 10)
            self.assertIs(type(m), cls)
            self.assertEqual((m.reels, m.symbols), (3, 10))
            self.assertEqual((m.get_reels(), m.get_symbols()), (3, 10))
            self.assertEqual((m.props.reels, m.props.symbols), (3, 10))
            m = cls(5, 7)
            self.assertEqual((m.reels, m.symbols), (5, 7))
            draw = m.draw()
            self.assertEqual(len(draw), 5)
            self.assertTrue(all(1 <= v <= 7 for v in draw), draw)

    def test_keywords_and_defaults(self):
        for cls in (Flyweight.PokiesDynamic, Flyweight.PokiesSlotted):
            self.assertEqual((cls(reels=4, symbols=6).reels, cls(reels=4, symbols=6).symbols), (4, 6))
            self.assertEqual(cls(symbols=6, reels=4).symbols, 6)
            self.assertEqual((cls(4, symbols=6).reels, cls(4, symbols=6).symbols), (4, 6))
            self.assertEqual((cls().reels, cls().symbols), (3, 10))
            self.assertEqual((cls(4).reels, cls(4).symbols), (4, 10))
            self.assertEqual(cls(symbols=2).reels, 3)
            self.assertEqual((cls.new(2, 2).reels, type(cls.new(2, 2))), (2, cls))

    def test_errors_as_the_c_constructors(self):
        for cls in (Flyweight.PokiesDynamic, Flyweight.PokiesSlotted):
            for reels, symbols in [(0, 10), (3, 0), (1025, 10), (3, 1048577),
                                   (2**32 - 1, 10)]:
                with self.assertRaises(GLib.Error) as syntax:
                    cls(reels, symbols)
                with self.assertRaises(GLib.Error) as c:
                    cls.new(reels, symbols)
                self.assertEqual((syntax.exception.domain, syntax.exception.code,
                                  syntax.exception.message),
                                 (c.exception.domain, c.exception.code, c.exception.message))
                self.assertEqual(syntax.exception.code, INVALID_VALUE)
                with self.assertRaises(GLib.Error) as kw:
                    cls(reels=reels, symbols=symbols)
                self.assertEqual(kw.exception.message, c.exception.message)
            self.assertEqual((cls(1, 1).reels, cls(1024, 1048576).symbols), (1, 1048576))

    def test_bad_calls(self):
        for cls in (Flyweight.PokiesDynamic, Flyweight.PokiesSlotted):
            with self.assertRaises(TypeError):
                cls('3', 10)
            with self.assertRaises(TypeError):
                cls(3, 10, 1)
            with self.assertRaises(TypeError):
                cls(3, 10, owner='Aristocrat')
            with self.assertRaises(TypeError):
                cls(3, reels=4)
            with self.assertRaises((OverflowError, TypeError, ValueError)):
                cls(-1, 10)

    def test_abstract(self):
        with self.assertRaises(TypeError) as cm:
            Flyweight.Pokies()
        self.assertIn('abstract', str(cm.exception))
        with self.assertRaises(TypeError):
            Flyweight.Pokies(3, 10)

    def test_final_types_refuse_subclasses(self):
        for name in ('PokiesDynamic', 'PokiesSlotted'):
            with self.subTest(name):
                # In a fresh process with fatal warnings: refused before
                # GObject is asked to derive from a final type.
                result = run_python(f'''
                    import gi
                    gi.require_version('Flyweight', '1.0')
                    from gi.repository import Flyweight
                    try:
                        class Sub(Flyweight.{name}):
                            pass
                    except TypeError as e:
                        print(e)
                    else:
                        raise SystemExit('subclassed a final type')
                ''', G_DEBUG='fatal-warnings')
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn('final', result.stdout)
                self.assertEqual(result.stderr, '')


class Syntax(Assertions, unittest.TestCase):
    def test_notebook_cells(self):
        pokies = Flyweight.PokiesDynamic(3, 10)
        self.assertEqual(pokies.__dict__, {'reels': 3, 'symbols': 10})
        pokies.owner = 'Aristocrat'
        self.assertEqual(pokies.owner, 'Aristocrat')
        self.assertEqual(pokies.__dict__, {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat'})
        del pokies.owner
        self.assertEqual(pokies.__dict__, {'reels': 3, 'symbols': 10})
        self.assertFalse(hasattr(pokies, 'owner'))
        self.assertFalse(has_instance_dict(pokies))

    def test_builtins(self):
        p = Flyweight.PokiesDynamic(3, 10)
        setattr(p, 'owner', 'Aristocrat')
        self.assertTrue(hasattr(p, 'owner'))
        self.assertEqual(getattr(p, 'owner'), 'Aristocrat')
        self.assertEqual(getattr(p, 'missing', 'default'), 'default')
        delattr(p, 'owner')
        self.assertFalse(hasattr(p, 'owner'))
        self.assertIsNone(getattr(p, 'owner', None))
        # Names attribute syntax cannot spell, through the built-ins.
        setattr(p, 'a-b', 1)
        self.assertEqual(getattr(p, 'a-b'), 1)
        self.assertEqual(p.get_attr('a-b'), 1)
        delattr(p, 'a-b')
        self.assertFalse(p.has_attr('a-b'))
        setattr(p, 'gr\u00f6\u00dfe', 2)
        self.assertEqual(p.größe, 2)

    def test_one_store(self):
        p = Flyweight.PokiesDynamic(3, 10)
        p.set_attr('from_method', 1)
        self.assertEqual(p.from_method, 1)
        p.from_syntax = 2
        self.assertEqual(p.get_attr('from_syntax'), 2)
        self.assertTrue(p.has_attr('from_syntax'))
        del p.from_method
        self.assertFalse(p.has_attr('from_method'))
        p.del_attr('from_syntax')
        self.assertFalse(hasattr(p, 'from_syntax'))
        self.assertFalse(has_instance_dict(p))

    def test_one_store_below_the_override(self):
        # The GI methods below the override, as C and gjs reach the store.
        p = Flyweight.PokiesDynamic(3, 10)
        gi_class = Flyweight.PokiesDynamic.__mro__[1]
        gi_class.set_attr(p, 'owner', 'Aristocrat')
        self.assertEqual(p.owner, 'Aristocrat')
        p.jackpot = 1000
        self.assertEqual(gi_class.get_attr(p, 'jackpot'), 1000)
        self.assertEqual(gi_dict(p).unpack(),
                         {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat', 'jackpot': 1000})

    def test_signal_handlers(self):
        p = Flyweight.PokiesDynamic(3, 10)
        heard = []

        def on_changed(machine, name):
            heard.append((name, getattr(machine, name, None)))
            if name == 'owner':
                machine.seen_by_handler = len(heard)
        p.connect('attr-changed', on_changed)
        p.owner = 'Aristocrat'
        self.assertEqual(p.seen_by_handler, 1)
        del p.owner
        self.assertEqual(p.seen_by_handler, 3)
        self.assertEqual(heard, [('owner', 'Aristocrat'), ('seen_by_handler', 1),
                                 ('owner', None), ('seen_by_handler', 3)])

    def test_signal_from_another_thread(self):
        p = Flyweight.PokiesDynamic(3, 10)
        thread = threading.Thread(target=lambda: p.set_attr('owner', 'thread'))
        thread.start()
        thread.join()
        self.assertEqual(p.owner, 'thread')

    def test_missing_dynamic(self):
        p = Flyweight.PokiesDynamic(3, 10)
        e = self.assertAttrError(NO_ATTRIBUTE, getattr, p, 'owner')
        self.assertEqual(e.message, "'PokiesDynamic' object has no attribute 'owner'")
        self.assertEqual((e.name, e.obj), ('owner', p))
        e = self.assertAttrError(NO_ATTRIBUTE, delattr, p, 'owner')
        self.assertEqual(e.message, "'PokiesDynamic' object has no attribute 'owner'")
        with self.assertRaises(AttributeError):
            p.owner

    def test_slotted_has_no_room(self):
        flyweight = Flyweight.PokiesSlotted(3, 10)
        before = flyweight.list_attrs()
        e = self.assertAttrError(NO_ATTRIBUTE, setattr, flyweight, 'owner', 'Aristocrat')
        self.assertEqual(str(e), "'PokiesSlotted' object has no attribute 'owner'")
        self.assertUnchanged(flyweight, before)
        e = self.assertAttrError(NO_ATTRIBUTE, getattr, flyweight, 'owner')
        self.assertEqual(str(e), "'PokiesSlotted' object has no attribute 'owner'")
        self.assertFalse(hasattr(flyweight, 'owner'))
        self.assertAttrError(NO_ATTRIBUTE, delattr, flyweight, 'owner')
        with self.assertRaises(AttributeError):
            flyweight.__dict__
        with self.assertRaises(TypeError):
            vars(flyweight)
        self.assertUnchanged(flyweight, before)
        # Through the method: the library's own message.
        e = self.assertAttrError(NO_ATTRIBUTE, flyweight.set_attr, 'owner', 'Aristocrat')
        self.assertIn('FlyweightPokiesSlotted', e.message)
        self.assertUnchanged(flyweight, before)

    def test_except_clauses(self):
        flyweight = Flyweight.PokiesSlotted(3, 10)
        try:
            flyweight.owner = 'Aristocrat'
        except GLib.Error as e:
            self.assertTrue(e.matches(Flyweight.error_quark(), Flyweight.Error.NO_ATTRIBUTE))
        try:
            flyweight.owner = 'Aristocrat'
        except AttributeError as e:
            self.assertEqual(e.name, 'owner')

    def test_error_value(self):
        e = Flyweight.AttrError("'X' object has no attribute 'y'", Flyweight.Error.NO_ATTRIBUTE)
        self.assertEqual(repr(e), 'Flyweight.AttrError("\'X\' object has no attribute \'y\'", '
                                  'Flyweight.Error.NO_ATTRIBUTE)')
        again = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(again), again.message, again.code, again.domain),
                         (Flyweight.AttrError, e.message, e.code, DOMAIN))
        self.assertEqual(Flyweight.AttrError.__module__, 'gi.repository.Flyweight')

    def test_dimensions_read_only(self):
        for m in (Flyweight.PokiesDynamic(3, 10), Flyweight.PokiesSlotted(3, 10)):
            e = self.assertAttrError(READ_ONLY, setattr, m, 'reels', 5)
            self.assertEqual(str(e), f"'{type(m).__name__}' object attribute 'reels' is read-only")
            self.assertAttrError(READ_ONLY, delattr, m, 'symbols')
            self.assertEqual((m.reels, m.symbols), (3, 10))
            self.assertAttrError(READ_ONLY, m.set_attr, 'reels', 5)
            self.assertEqual(m.get_attr('reels'), 3)

    def test_python_names_stay_python(self):
        p = Flyweight.PokiesDynamic(3, 10)
        for name in ('draw', 'set_attr', 'connect', 'props', 'get_dict', '__gtype__'):
            with self.subTest(name):
                self.assertAttrError(READ_ONLY, setattr, p, name, 1)
                self.assertAttrError(READ_ONLY, delattr, p, name)
                self.assertFalse(p.has_attr(name))
        self.assertEqual(len(p.draw()), 3)
        with self.assertRaises(AttributeError):
            p.__dict__ = {}
        self.assertEqual(p.list_attrs(), ['reels', 'symbols'])
        self.assertFalse(has_instance_dict(p))

    def test_library_name_shadowed_by_class(self):
        # An attribute set elsewhere under a name the class has: the class
        # answers for the syntax, the methods reach the attribute.
        p = Flyweight.PokiesDynamic(3, 10)
        p.set_attr('draw', 'from C')
        self.assertEqual(len(p.draw()), 3)
        self.assertEqual(p.get_attr('draw'), 'from C')
        self.assertEqual(p.__dict__['draw'], 'from C')
        self.assertEqual(dir(p).count('draw'), 1)

    def test_private_names_are_the_librarys(self):
        p = Flyweight.PokiesDynamic(3, 10)
        p._secret = 1
        self.assertEqual(p.get_attr('_secret'), 1)
        self.assertEqual(p._secret, 1)
        del p._secret
        self.assertFalse(p.has_attr('_secret'))
        self.assertFalse(has_instance_dict(p))

    def test_reserved_names_never_reach_c(self):
        p = Flyweight.PokiesDynamic(3, 10)
        e = self.assertAttrError(INVALID_NAME, getattr, p, '__length_hint__')
        self.assertEqual(str(e), "'PokiesDynamic' object has no attribute '__length_hint__'")
        self.assertAttrError(INVALID_NAME, setattr, p, '__slots__', ())
        self.assertAttrError(NO_ATTRIBUTE, getattr, p, '_property_helper_x')
        # Uninitialized wrappers answer them too.
        bare = Flyweight.PokiesDynamic.__new__(Flyweight.PokiesDynamic)
        self.assertFalse(hasattr(bare, '__getnewargs_ex__'))
        self.assertEqual(repr(bare), '<Flyweight.PokiesDynamic (uninitialized)>')
        self.assertIn('draw', dir(bare))
        with self.assertRaises(RuntimeError):
            bare.owner

    def test_invalid_names(self):
        p = Flyweight.PokiesDynamic(3, 10)
        for name in ('', '1abc', 'a b', 'a' * 256, 'dot.ted', 'ctrl\x01', 'a\x00b', 'a' * 5000):
            with self.subTest(name=name[:20]):
                e = self.assertAttrError(INVALID_NAME, setattr, p, name, 1)
                self.assertLessEqual(len(e.message), 300)
                self.assertTrue(e.message.isprintable(), repr(e.message))
                e = self.assertAttrError(INVALID_NAME, getattr, p, name)
                self.assertLessEqual(len(e.message), 300)
                self.assertTrue(e.message.isprintable(), repr(e.message))
                self.assertAttrError(INVALID_NAME, delattr, p, name)
                self.assertFalse(hasattr(p, name))
                self.assertAttrError(INVALID_NAME, p.set_attr, name, 1)
                self.assertAttrError(INVALID_NAME, p.get_attr, name)
                self.assertFalse(p.has_attr(name))
        self.assertEqual(p.list_attrs(), ['reels', 'symbols'])

    def test_nul_in_name_never_truncated(self):
        # PyGObject alone would hand C "a", and set or read that.
        p = Flyweight.PokiesDynamic(3, 10)
        p.a = 'kept'
        self.assertAttrError(INVALID_NAME, setattr, p, 'a\x00b', 'lost')
        self.assertAttrError(INVALID_NAME, p.set_attr, 'a\x00b', 'lost')
        e = self.assertAttrError(INVALID_NAME, getattr, p, 'a\x00b')
        self.assertIn('\\u{0000}', e.message)
        with self.assertRaises(GLib.Error) as cm:
            Flyweight.attr_name_validate('\x00')
        self.assertEqual(cm.exception.code, INVALID_NAME)
        self.assertAttrError(INVALID_NAME, delattr, p, 'a\x00b')
        self.assertAttrError(INVALID_NAME, p.del_attr, 'a\x00b')
        self.assertFalse(p.has_attr('a\x00b'))
        self.assertFalse(hasattr(p, 'a\x00b'))
        self.assertEqual(p.a, 'kept')
        e = self.assertAttrError(INVALID_NAME, p.get_attr, 'own\x00er')
        self.assertIn('\\u{0000}', e.message)
        self.assertAttrError(INVALID_NAME, Flyweight.PokiesSlotted(3, 10).set_attr, 'reels\x00', 1)
        with self.assertRaises(TypeError):
            p.set_attr(b'bytes', 1)

    def test_dir(self):
        pokies = Flyweight.PokiesDynamic(3, 10)
        names = dir(pokies)
        self.assertEqual(names, sorted(names))
        for name in ('draw', 'reels', 'symbols', '__dict__', '__weakref__', 'get_dict',
                     'set_attr', 'props', '__class__'):
            self.assertIn(name, names)
        pokies.owner = 'Aristocrat'
        pokies.set_attr('from-c', 1)
        self.assertIn('owner', dir(pokies))
        self.assertIn('from-c', dir(pokies))
        other = Flyweight.PokiesDynamic(3, 10)
        self.assertNotIn('owner', dir(other))
        self.assertNotIn('from-c', dir(other))
        flyweight = Flyweight.PokiesSlotted(3, 10)
        self.assertNotIn('__dict__', dir(flyweight))
        self.assertIn('reels', dir(flyweight))
        del pokies.owner
        pokies.del_attr('from-c')
        self.assertEqual(set(dir(pokies)) - set(dir(flyweight)), {'__dict__', 'get_dict'})
        self.assertEqual(set(dir(flyweight)) - set(dir(pokies)), set())

    def test_learned_names(self):
        p = Flyweight.PokiesDynamic(3, 10)
        p.learned_name = 1
        self.assertIn('learned_name', vars(Flyweight.PokiesDynamic))
        q = Flyweight.PokiesDynamic(3, 10)
        self.assertFalse(hasattr(q, 'learned_name'))
        self.assertAttrError(NO_ATTRIBUTE, getattr, q, 'learned_name')
        self.assertEqual(p.learned_name, 1)
        q.set_attr('learned_name', b'q')
        self.assertEqual(q.learned_name, b'q')
        del q.learned_name
        self.assertAttrError(NO_ATTRIBUTE, delattr, q, 'learned_name')
        # The slotted class learns nothing: it never finds an attribute.
        s = Flyweight.PokiesSlotted(3, 10)
        self.assertFalse(hasattr(s, 'learned_name'))
        self.assertNotIn('learned_name', vars(Flyweight.PokiesSlotted))

    def test_learning_is_bounded(self):
        p = Flyweight.PokiesDynamic(3, 10)
        for i in range(700):
            setattr(p, f'bounded{i}', i)
        for i in range(700):
            self.assertEqual(getattr(p, f'bounded{i}'), i)
        learned = [n for n, v in vars(Flyweight.PokiesDynamic).items()
                   if type(v).__name__ == '_Attribute']
        self.assertLessEqual(len(learned), 512)
        setattr(p, 'not-an-identifier', 1)
        self.assertNotIn('not-an-identifier', vars(Flyweight.PokiesDynamic))

    def test_class_changes_are_seen(self):
        p = Flyweight.PokiesDynamic(3, 10)
        p.patched = 1
        Flyweight.PokiesDynamic.patched = property(lambda self: 'from the class')
        try:
            self.assertEqual(p.patched, 'from the class')
            with self.assertRaises(AttributeError):
                p.patched = 2
            self.assertEqual(p.get_attr('patched'), 1)
        finally:
            del Flyweight.PokiesDynamic.patched
        p.patched = 3
        self.assertEqual(p.patched, 3)


class Values(Assertions, unittest.TestCase):
    def roundtrip(self, value):
        p = Flyweight.PokiesDynamic(3, 10)
        p.value = value
        via_syntax = p.value
        p.set_attr('method', value)
        self.assertEqual(type(p.get_attr('method')), type(via_syntax))
        self.assertEqual(type(p.__dict__['value']), type(via_syntax))
        return p, via_syntax

    def test_plain_values(self):
        for value in ['Aristocrat', '', 'gr\u00f6\u00dfe \u20ac \U0001F3B0', 'x' * 10000,
                      0, 42, -7, True, False, 1.5, -0.25, float('inf'), 1e308]:
            with self.subTest(value=value if not isinstance(value, str) else value[:20]):
                p, got = self.roundtrip(value)
                self.assertEqual(got, value)
                self.assertIs(type(got), type(value))

    def test_nan(self):
        p, got = self.roundtrip(float('nan'))
        self.assertNotEqual(got, got)

    def test_integers_of_64_bits(self):
        cases = [(2**31 - 1, 'i'), (-2**31, 'i'), (2**31, 'x'), (-2**31 - 1, 'x'),
                 (2**40, 'x'), (-2**63, 'x'), (2**63 - 1, 'x'), (2**63, 't'), (2**64 - 1, 't')]
        for value, variant_type in cases:
            with self.subTest(value=value):
                p, got = self.roundtrip(value)
                self.assertEqual(got, value)
                self.assertIs(type(got), int)
                self.assertEqual(gi_dict(p).lookup_value('value', None).get_type_string(),
                                 variant_type)
        p = Flyweight.PokiesDynamic(3, 10)
        for value in (2**64, -2**63 - 1, 10**30):
            with self.assertRaises(OverflowError) as cm:
                p.value = value
            self.assertTrue(cm.exception.matches(Flyweight.error_quark(), INVALID_VALUE))
            with self.assertRaises(OverflowError):
                p.set_attr('value', value)
        self.assertEqual(p.list_attrs(), ['reels', 'symbols'])

    def test_none(self):
        p, got = self.roundtrip(None)
        self.assertIsNone(got)
        self.assertIsNone(gi_dict(p).unpack()['value'])

    def test_bytes(self):
        for value in (b'', b'abc', b'a\x00b\xff', bytes(range(256)) * 10):
            with self.subTest(value=value[:8]):
                p, got = self.roundtrip(value)
                self.assertEqual(got, value)
                self.assertIs(type(got), bytes)
        p = Flyweight.PokiesDynamic(3, 10)
        p.blob = GLib.Bytes.new(b'xyz')
        self.assertEqual(p.blob, b'xyz')

    def test_objects(self):
        rng = Flyweight.Random.new(1)
        p, got = self.roundtrip(rng)
        self.assertIs(got, rng)
        self.assertIs(p.__dict__['value'], rng)
        inner = Flyweight.PokiesSlotted(2, 2)
        p.inner = inner
        self.assertIs(p.inner, inner)
        ref = Flyweight.WeakRef.new(rng)
        del rng, got
        gc.collect()
        self.assertIsNotNone(ref.get())
        p.value = 'replaced'
        p.del_attr('method')
        gc.collect()
        self.assertIsNone(ref.get())

    def test_typed_values(self):
        p, got = self.roundtrip(GLib.Variant('(si)', ('x', 1)))
        self.assertEqual(got.unpack(), ('x', 1))
        p, got = self.roundtrip(Flyweight.Error.READ_ONLY)
        self.assertEqual(got, Flyweight.Error.READ_ONLY)
        p, got = self.roundtrip(GObject.Value(GObject.TYPE_STRV, ['a', 'b']))
        self.assertEqual(got, ['a', 'b'])
        p, got = self.roundtrip(GObject.Value(GObject.TYPE_UINT, 2**32 - 1))
        self.assertEqual(got, 2**32 - 1)
        self.assertEqual(gi_dict(p).lookup_value('value', None).get_type_string(), 'u')
        p = Flyweight.PokiesDynamic(3, 10)
        with self.assertRaises(GLib.Error) as cm:
            p.raw = GObject.Value(GObject.TYPE_POINTER, None)
        self.assertEqual(cm.exception.code, INVALID_VALUE)
        self.assertNotIsInstance(cm.exception, AttributeError)

    def test_refused_before_c(self):
        class Colour(enum.IntEnum):
            RED = 1

        class Name(str):
            pass

        p = Flyweight.PokiesDynamic(3, 10)
        for value in ([1, 2], (1, 2), {'a': 1}, {1}, object(), Colour.RED, Name('x'),
                      bytearray(b'x'), memoryview(b'x'), 1j, len,
                      GObject.Value(GObject.TYPE_PYOBJECT, object())):
            with self.subTest(value=type(value).__name__):
                with self.assertRaises(TypeError) as cm:
                    p.value = value
                self.assertIn("attribute 'value'", str(cm.exception))
                # As the library refuses such a value itself.
                self.assertIsInstance(cm.exception, Flyweight.AttrTypeError)
                self.assertTrue(cm.exception.matches(Flyweight.error_quark(), INVALID_VALUE))
                with self.assertRaises(TypeError):
                    p.set_attr('value', value)
        with self.assertRaises(ValueError) as cm:
            p.value = 'a\x00b'
        self.assertTrue(cm.exception.matches(Flyweight.error_quark(), INVALID_VALUE))
        with self.assertRaises(ValueError):
            p.set_attr('value', 'a\x00b')
        self.assertEqual(p.list_attrs(), ['reels', 'symbols'])
        self.assertNotIn('PyObject', repr(gi_dict(p).unpack()))
        # The library's order: the name first, then read-only, then the value.
        self.assertAttrError(INVALID_NAME, setattr, p, 'a b', [1])
        self.assertAttrError(INVALID_NAME, p.set_attr, 'a b', [1])
        e = self.assertAttrError(READ_ONLY, p.set_attr, 'reels', [1])
        self.assertIn('FlyweightPokiesDynamic', e.message)
        with self.assertRaises(TypeError):
            Flyweight.PokiesSlotted(3, 10).set_attr('owner', [1])

    def test_get_dict_is_a_plain_dict(self):
        p = Flyweight.PokiesDynamic(3, 10)
        rng = Flyweight.Random.new(3)
        p.owner = 'Aristocrat'
        p.rng = rng
        p.blob = b'\x00'
        p.big = 2**40
        p.nothing = None
        d = p.get_dict()
        self.assertIs(type(d), dict)
        self.assertEqual(list(d), ['reels', 'symbols', 'owner', 'rng', 'blob', 'big', 'nothing'])
        self.assertEqual(d, {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat', 'rng': rng,
                             'blob': b'\x00', 'big': 2**40, 'nothing': None})
        self.assertIs(d['rng'], rng)
        self.assertEqual(p.__dict__, d)
        self.assertEqual(vars(p), d)
        # A snapshot: changing it changes nothing.
        d['owner'] = 'someone else'
        del d['reels']
        self.assertEqual(p.owner, 'Aristocrat')
        p.owner = 'Konami'
        self.assertEqual(list(p.get_dict()), ['reels', 'symbols', 'owner', 'rng', 'blob', 'big',
                                              'nothing'])


class MachineValue(Assertions, unittest.TestCase):
    def test_repr(self):
        p = Flyweight.PokiesDynamic(3, 10)
        self.assertEqual(repr(p), '<Flyweight.PokiesDynamic reels=3 symbols=10>')
        p.owner = 'Aristocrat'
        self.assertEqual(repr(p), "<Flyweight.PokiesDynamic reels=3 symbols=10 owner='Aristocrat'>")
        p.blob = b'x'
        self.assertEqual(repr(p), "<Flyweight.PokiesDynamic reels=3 symbols=10 owner='Aristocrat' "
                                  "blob=b'x'>")
        self.assertEqual(repr(Flyweight.PokiesSlotted(4, 5)),
                         '<Flyweight.PokiesSlotted reels=4 symbols=5>')
        self.assertEqual(repr(LuckyPokies(2, 3)), f'<{__name__}.LuckyPokies reels=2 symbols=3>')

    def check_copy(self, original, duplicate):
        self.assertIsNot(duplicate, original)
        self.assertIs(type(duplicate), type(original))
        self.assertEqual(repr(duplicate), repr(original))
        self.assertEqual(duplicate.list_attrs(), original.list_attrs())

    def test_copy(self):
        p = Flyweight.PokiesDynamic(4, 6)
        rng = Flyweight.Random.new(1)
        p.owner = 'Aristocrat'
        p.big = 2**63
        p.rng = rng
        p.blob = b'\x00\x01'
        q = copy.copy(p)
        self.check_copy(p, q)
        self.assertEqual(q.__dict__, p.__dict__)
        self.assertIs(q.rng, rng)
        q.owner = 'Konami'
        self.assertEqual(p.owner, 'Aristocrat')
        s = copy.copy(Flyweight.PokiesSlotted(2, 3))
        self.assertEqual(repr(s), '<Flyweight.PokiesSlotted reels=2 symbols=3>')

    def test_deepcopy(self):
        p = Flyweight.PokiesDynamic(4, 6)
        inner = Flyweight.PokiesDynamic(2, 2)
        inner.owner = 'inner'
        p.inner = inner
        p.again = inner
        p.owner = 'Aristocrat'
        q = copy.deepcopy(p)
        self.check_copy(p, q)
        self.assertIsNot(q.inner, inner)
        self.assertIs(q.again, q.inner)
        self.assertEqual(q.inner.owner, 'inner')
        q.inner.owner = 'changed'
        self.assertEqual(inner.owner, 'inner')
        # Other GObjects cannot be copied: PyGObject says so.
        p.rng = Flyweight.Random.new(1)
        with self.assertRaises(TypeError):
            copy.deepcopy(p)

    def test_pickle(self):
        p = Flyweight.PokiesDynamic(5, 7)
        values = {'owner': 'Aristocrat', 'big': -2**63, 'huge': 2**64 - 1, 'blob': b'\xff',
                  'nothing': None, 'ratio': 0.5, 'on': True, 'inner': Flyweight.PokiesSlotted(1, 2)}
        for name, value in values.items():
            setattr(p, name, value)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            with self.subTest(protocol=protocol):
                q = pickle.loads(pickle.dumps(p, protocol))
                self.check_copy(p, q)
                self.assertEqual(list(q.__dict__), list(p.__dict__))
                for name, value in values.items():
                    if name != 'inner':
                        self.assertEqual(getattr(q, name), value)
                        self.assertIs(type(getattr(q, name)), type(value))
                self.assertEqual(repr(q.inner), '<Flyweight.PokiesSlotted reels=1 symbols=2>')
                s = pickle.loads(pickle.dumps(Flyweight.PokiesSlotted(2, 9), protocol))
                self.assertEqual(repr(s), '<Flyweight.PokiesSlotted reels=2 symbols=9>')
                l = pickle.loads(pickle.dumps(LuckyPokies(2, 3), protocol))
                self.assertEqual(repr(l), f'<{__name__}.LuckyPokies reels=2 symbols=3>')

    def test_pickle_in_another_process(self):
        p = Flyweight.PokiesDynamic(3, 10)
        p.owner = 'Aristocrat'
        result = subprocess.run([sys.executable, '-c', textwrap.dedent('''
            import pickle, sys
            import gi
            gi.require_version('Flyweight', '1.0')
            from gi.repository import Flyweight
            print(repr(pickle.loads(sys.stdin.buffer.read())))
        ''')], input=pickle.dumps(p), capture_output=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.decode().strip(),
                         "<Flyweight.PokiesDynamic reels=3 symbols=10 owner='Aristocrat'>")

    def test_bad_state(self):
        p = Flyweight.PokiesDynamic(3, 10)
        with self.assertRaises(ValueError):
            p.__setstate__({'reels': 4, 'symbols': 10})
        bare = Flyweight.PokiesDynamic.__new__(Flyweight.PokiesDynamic)
        with self.assertRaises(GLib.Error):
            bare.__setstate__({'reels': 0, 'symbols': 10})
        bare = Flyweight.PokiesSlotted.__new__(Flyweight.PokiesSlotted)
        with self.assertRaises(Flyweight.AttrError):
            bare.__setstate__({'reels': 3, 'symbols': 10, 'owner': 'x'})

    def test_weakref(self):
        for cls in (Flyweight.PokiesDynamic, Flyweight.PokiesSlotted):
            with self.subTest(cls=cls.__name__):
                pokies = cls(3, 10)
                self.assertIsNone(pokies.__weakref__)
                ref = weakref.ref(pokies)
                self.assertIs(ref(), pokies)
                self.assertIs(pokies.__weakref__, ref)
                self.assertEqual(len(ref().draw()), 3)
                machine = Flyweight.WeakRef.new(pokies)
                del pokies
                gc.collect()
                self.assertIsNone(ref())
                self.assertIsNone(machine.get())

    def test_weak_value_dictionary(self):
        cache = weakref.WeakValueDictionary()
        cache['a'] = p = Flyweight.PokiesSlotted(3, 10)
        self.assertIs(cache['a'], p)
        del p
        gc.collect()
        self.assertNotIn('a', cache)


class Subclassing(Assertions, unittest.TestCase):
    def test_broken_pokies_raises_on_instantiation(self):
        with self.assertRaises(AttributeError) as cm:
            BrokenPokies(3, 10)
        e = cm.exception
        self.assertEqual(str(e), "'BrokenPokies' object attribute 'reels' is read-only")
        self.assertTrue(e.matches(Flyweight.error_quark(), READ_ONLY))
        gc.collect()

    def test_broken_pokies_in_a_fresh_process(self):
        result = run_python('''
            import gc
            import gi
            gi.require_version('Flyweight', '1.0')
            from gi.repository import Flyweight

            class BrokenPokies(Flyweight.Pokies):
                __slots__ = ()

                def __init__(self, reels, symbols):
                    self.reels = reels
                    self.symbols = symbols

            for _ in range(1000):
                try:
                    broken = BrokenPokies(3, 10)
                except AttributeError as e:
                    message = str(e)
                else:
                    raise SystemExit('BrokenPokies was created')
            gc.collect()
            print(message)
        ''', G_DEBUG='fatal-warnings,fatal-criticals')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "'BrokenPokies' object attribute 'reels' is read-only")

    def test_init_must_chain_up(self):
        with self.assertRaises(TypeError) as cm:
            Lazy()
        self.assertIn('Flyweight.Pokies.__init__', str(cm.exception))

    def test_a_subclass_that_gets_it_right(self):
        lucky = LuckyPokies(4, 6, jackpot=1000)
        self.assertIsInstance(lucky, Flyweight.Pokies)
        self.assertEqual((lucky.reels, lucky.symbols), (4, 6))
        self.assertEqual(lucky.odds, 6 ** 4)
        self.assertIsInstance(lucky.draw(), tuple)
        self.assertEqual(lucky.jackpot, 1000)
        self.assertEqual(lucky.props.jackpot, 1000)
        lucky.props.jackpot = 5
        self.assertEqual(lucky.jackpot, 5)
        self.assertIn('jackpot', dir(lucky))
        self.assertIn('odds', dir(lucky))
        with self.assertRaises(AttributeError):
            lucky.odds = 1
        self.assertAttrError(READ_ONLY, setattr, lucky, 'reels', 1)
        # Without __slots__, it keeps its own state in a __dict__, as any
        # Python subclass; the machine has no room for it.
        lucky.note = 'mine'
        self.assertEqual(lucky.note, 'mine')
        self.assertEqual(lucky.__dict__['note'], 'mine')
        self.assertIn('note', dir(lucky))
        self.assertFalse(lucky.has_attr('note'))
        self.assertAttrError(NO_ATTRIBUTE, lucky.set_attr, 'note', 'x')
        del lucky.note
        with self.assertRaises(AttributeError):
            lucky.note
        self.assertEqual(lucky.list_attrs(), ['reels', 'symbols'])
        with self.assertRaises(GLib.Error):
            LuckyPokies(0, 10)
        self.assertEqual(LuckyPokies().reels, 3)

    def test_a_subclass_with_slots(self):
        # __slots__ all the way down: no __dict__, and the syntax reaches
        # the machine, which has no room, as a PokiesSlotted.
        slotted = SlottedLucky(2, 3)
        self.assertEqual(len(slotted.double_draw()), 4)
        e = self.assertAttrError(NO_ATTRIBUTE, setattr, slotted, 'owner', 'Aristocrat')
        self.assertEqual(str(e), "'SlottedLucky' object has no attribute 'owner'")
        self.assertAttrError(NO_ATTRIBUTE, getattr, slotted, 'owner')
        with self.assertRaises(AttributeError):
            slotted.__dict__
        self.assertNotIn('__dict__', dir(slotted))
        self.assertAttrError(READ_ONLY, setattr, slotted, 'double_draw', None)
        self.assertFalse(has_instance_dict(slotted))

    def test_a_subclass_with_its_own_store(self):
        table = Table(reels=5, symbols=7)
        self.assertEqual((table.reels, table.symbols), (5, 7))
        table.set_attr('owner', 'Aristocrat')
        table.set_attr('lucky', 7)
        self.assertEqual(table.get_attr('owner'), 'Aristocrat')
        self.assertEqual(table.table, {'owner': 'Aristocrat', 'lucky': 7})
        self.assertEqual(table.list_attrs(), ['lucky', 'owner', 'reels', 'symbols'])
        self.assertEqual(repr(table),
                         f"<{__name__}.Table reels=5 symbols=7 lucky=7 owner='Aristocrat'>")
        self.assertAttrError(NO_ATTRIBUTE, table.get_attr, 'missing')
        self.assertAttrError(READ_ONLY, table.set_attr, 'reels', 1)
        # Its own state is Python's.
        table.note = 1
        self.assertNotIn('note', table.table)
        duplicate = copy.deepcopy(table)
        self.assertEqual(duplicate.table, table.table)
        self.assertIsNot(duplicate.table, table.table)
        self.assertEqual(duplicate.note, 1)
        self.assertEqual(duplicate.get_attr('lucky'), 7)
        again = pickle.loads(pickle.dumps(table))
        self.assertEqual(repr(again), repr(table))
        table.del_attr('owner')
        self.assertEqual(table.table, {'lucky': 7})

    def test_subclass_through_c(self):
        # Stored in a machine and read back: the same Python object.
        holder = Flyweight.PokiesDynamic(3, 10)
        lucky = LuckyPokies(2, 2, jackpot=9)
        holder.lucky = lucky
        self.assertIs(holder.lucky, lucky)
        self.assertEqual(holder.lucky.jackpot, 9)
        ref = Flyweight.WeakRef.new(lucky)
        del lucky
        gc.collect()
        self.assertIsNotNone(ref.get())
        del holder.lucky
        gc.collect()
        self.assertIsNone(ref.get())


class Threads(unittest.TestCase):
    def test_concurrent_syntax(self):
        p = Flyweight.PokiesDynamic(3, 10)
        failures = []
        barrier = threading.Barrier(4)

        def work(t):
            try:
                barrier.wait()
                for i in range(300):
                    name = f't{t}_{i % 7}'
                    setattr(p, name, i)
                    got = getattr(p, name)
                    if got != i:
                        failures.append(f'{name}: read {got!r}, wrote {i}')
                    if i % 3 == 0:
                        delattr(p, name)
                        if hasattr(p, name):
                            failures.append(f'{name} still there')
                    p.shared = t
                    dir(p)
                    p.get_dict()
            except Exception:
                failures.append(traceback.format_exc())

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])
        self.assertIn(p.shared, range(4))
        self.assertFalse(has_instance_dict(p))


class Notebook(unittest.TestCase):
    """examples/notebook.py prints what the notebook shows."""

    def test_cells(self):
        path = os.environ.get('FLYWEIGHT_NOTEBOOK') or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, 'examples',
            'notebook.py')
        result = subprocess.run([sys.executable, path, '--count', '2000'],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout
        for line in ["Out[4]: {'reels': 3, 'symbols': 10}",
                     "Out[5]: {'reels': 3, 'symbols': 10, 'owner': 'Aristocrat'}",
                     "Out[6]: {'reels': 3, 'symbols': 10}",
                     "Out[11]: {'__dict__', 'get_dict'}",
                     "Out[9]: " + re.search(r'Out\[7\]: (.*)', out).group(1),
                     "AttrError: 'PokiesSlotted' object has no attribute 'owner'",
                     "AttrError: 'BrokenPokies' object attribute 'reels' is read-only"]:
            self.assertIn(line + '\n', out + '\n')
        prompts = [int(line[4:line.index(']')]) for line in out.splitlines()
                   if line.startswith('In [')]
        self.assertEqual(prompts, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 21, 16, 17, 22, 23])
        # CPython 3.13 names the class with its module.
        self.assertRegex(out, r"Out\[7\]: <weakref at 0x[0-9a-f]+; to "
                              r"'(gi\.repository\.Flyweight\.)?PokiesDynamic' at 0x")
        self.assertRegex(out, r"Out\[13\]: <weakref at 0x[0-9a-f]+; to "
                              r"'(gi\.repository\.Flyweight\.)?PokiesSlotted' at 0x")
        self.assertRegex(out, r'Out\[2\]: \[([1-9]|10), ([1-9]|10), ([1-9]|10)\]')
        self.assertEqual(len(re.findall(r'maximum of 1: [0-9.]+ MB per loop', out)), 3)


class Leaks(unittest.TestCase):
    READS = 100000
    # A copy of the 1000-character string left behind by each read would
    # be 100 MB; allocator noise is far below 2 MB.
    SLACK = 2 * 1024 * 1024

    def growth(self, mode):
        result = run_python(f'''
            import os, sys
            sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
            import gi
            import override_path
            if {mode!r} == 'plain':
                override_path.without_override()
            gi.require_version('Flyweight', '1.0')
            from gi.repository import Flyweight, GObject
            if {mode!r} == 'plain':
                override_path.check_no_override()
            else:
                override_path.check_override()

            def rss():
                with open('/proc/self/statm') as statm:
                    return int(statm.read().split()[1]) * os.sysconf('SC_PAGESIZE')

            p = Flyweight.PokiesDynamic.new(3, 10)
            p.set_attr('text', 'x' * 1000)
            if {mode!r} != 'plain':
                p.set_attr('blob', b'y' * 1000)
            operations = {{
                'plain': lambda: p.get_attr('text'),
                'syntax': lambda: p.text,
                'getattr': lambda: getattr(p, 'text'),
                'method': lambda: p.get_attr('text'),
                'dict': lambda: p.__dict__,
                'bytes': lambda: p.blob,
                'write': lambda: setattr(p, 'big', 2**40),
                'write-bytes': lambda: setattr(p, 'blob', b'y' * 1000),
                'missing': lambda: hasattr(p, 'missing'),
            }}
            operation = operations[{mode!r}]
            for _ in range(10000):
                operation()
            before = rss()
            for _ in range({self.READS}):
                operation()
            print(rss() - before)
        ''')
        self.assertEqual(result.returncode, 0, result.stderr)
        return int(result.stdout)

    def test_reads_leak_nothing(self):
        for mode in ('plain', 'syntax', 'getattr', 'method', 'dict', 'bytes', 'write',
                     'write-bytes', 'missing'):
            with self.subTest(mode=mode):
                growth = self.growth(mode)
                self.assertLess(growth, self.SLACK, f'{mode}: {growth} bytes more')


if __name__ == '__main__':
    sys.exit(tap.run_tests(sys.modules[__name__]))
