# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for libflyweight: the notebook in plain Python.

With this module where PyGObject looks for overrides, a machine reads like
the notebook's classes::

    pokies = Flyweight.PokiesDynamic(3, 10)   # PokiesDynamic.new(3, 10)
    pokies.owner = 'Aristocrat'               # set_attr('owner', 'Aristocrat')
    pokies.owner                              # get_attr('owner')
    del pokies.owner                          # del_attr('owner')
    pokies.__dict__                           # {'reels': 3, 'symbols': 10}

Which names are whose
---------------------
A name the machine's Python class has is a Python attribute: the methods
(`draw`, `set_attr`, `connect`...), `props`, `reels` and `symbols`, the
special names of Python and PyGObject (`__gtype__`, `__weakref__`...) and
whatever a Python subclass defines. It behaves as Python says: reading
finds it on the class, and assigning or deleting it fails with
`AttributeError` unless the class gives it a setter (a `property`, a
`GObject.Property`), as on a class with `__slots__`.

Every other name belongs to the library: reading, assigning, deleting,
`hasattr()`, `getattr()`, `setattr()`, `delattr()` and `dir()` go to the
machine's own attribute store, the one C, gjs and signal handlers reach
with `set_attr()`. Nothing is kept in the Python wrapper, except what
PyGObject itself keeps there: the values of the `GObject.Property`
attributes of a Python subclass (`_property_helper_NAME`).

Python subclasses of `Flyweight.Pokies` follow CPython's rule for
`__dict__`: a subclass that does not declare `__slots__` keeps its own
state in a `__dict__`, as any Python subclass does (the library's
attributes are then reached with the methods); one that declares
`__slots__` in every Python class has no `__dict__`, and its other names
go to the machine's store, as for the library's own classes.

Errors
------
A missing attribute, an attribute a machine has no room for, a read-only
one, and a name the library refuses raise `Flyweight.AttrError`, which is
both an `AttributeError` (so `hasattr()`, `getattr(m, name, default)` and
`except AttributeError` work) and a `GLib.Error` in the `Flyweight.Error`
domain (so `e.matches(Flyweight.error_quark(), Flyweight.Error.NO_ATTRIBUTE)`
works). Through attribute syntax the message reads as Python's own
(`'PokiesSlotted' object has no attribute 'owner'`); the methods keep the
library's translated message. Other errors are raised as the library
raises them.

Values
------
`int` (up to 64 bits), `float`, `bool`, `str`, `None`, `bytes`, GObjects,
`GLib.Variant`, enums and flags, boxed values and `GObject.Value` are
stored, by the methods and by attribute syntax alike; `bytes` are kept as a
`GBytes` and come back as `bytes`, `None` as an empty object. Anything
else (lists, dicts, instances of Python classes, subclasses of `int` or
`str`) is refused with `Flyweight.AttrTypeError`, a `TypeError`, rather
than kept as a reference that C and gjs could not read; a string holding
a NUL, which C would cut short, with `Flyweight.AttrValueError`, a
`ValueError`; an integer wider than 64 bits with
`Flyweight.AttrOverflowError`, an `OverflowError`. Each is also the
`GLib.Error` the library gives such a value (`Flyweight.Error.INVALID_VALUE`).
A NUL in a name raises `AttrError` (`INVALID_NAME`).

Sections
--------
Each type's override is a section of its own below; the module lookups
section stays last.
"""

import copy
import copyreg
import sys
import unicodedata
import weakref

from ..module import get_introspection_module
from ..overrides import override
from gi.repository import GLib, GObject

Flyweight = get_introspection_module('Flyweight')

__all__ = []


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

_DOMAIN = 'flyweight-error-quark'
_NO_ATTRIBUTE = int(Flyweight.Error.NO_ATTRIBUTE)
_READ_ONLY = int(Flyweight.Error.READ_ONLY)
_INVALID_NAME = int(Flyweight.Error.INVALID_NAME)
_INVALID_VALUE = int(Flyweight.Error.INVALID_VALUE)
_ATTRIBUTE_CODES = frozenset((_NO_ATTRIBUTE, _READ_ONLY, _INVALID_NAME))


class _Error(GLib.Error):
    """What the exceptions below share: a GLib.Error in the library's
    domain whose str() is its message, as Python's own exceptions."""

    def _init(self, message, code):
        self.message = message
        self.domain = _DOMAIN
        self.code = int(code)

    def __str__(self):
        return self.message

    def __repr__(self):
        nick = Flyweight.Error(self.code).value_nick
        return 'Flyweight.%s(%r, Flyweight.Error.%s)' % (
            type(self).__name__, self.message, nick.upper().replace('-', '_'))

    def __reduce__(self):
        return (type(self), (self.message, self.code))


class AttrError(AttributeError, _Error):
    """An attribute error of a machine: an `AttributeError` that is also a
    `GLib.Error` in the `Flyweight.Error` domain.

    `code` is `Flyweight.Error.NO_ATTRIBUTE`, `READ_ONLY` or
    `INVALID_NAME`; `name` is the attribute and `obj` the machine, as on
    any `AttributeError`.
    """

    def __init__(self, message, code=_NO_ATTRIBUTE, *, name=None, obj=None):
        AttributeError.__init__(self, message, name=name, obj=obj)
        self._init(message, code)


class AttrTypeError(TypeError, _Error):
    """A value of a type a machine cannot keep: a `TypeError` that is also a
    `GLib.Error` with the code `Flyweight.Error.INVALID_VALUE`, as the
    library itself refuses such a value."""

    def __init__(self, message, code=_INVALID_VALUE):
        TypeError.__init__(self, message)
        self._init(message, code)


class AttrValueError(ValueError, _Error):
    """A value a machine cannot keep whole (a string holding a NUL): a
    `ValueError` that is also a `GLib.Error` with the code
    `Flyweight.Error.INVALID_VALUE`."""

    def __init__(self, message, code=_INVALID_VALUE):
        ValueError.__init__(self, message)
        self._init(message, code)


class AttrOverflowError(OverflowError, _Error):
    """An integer wider than 64 bits: an `OverflowError` that is also a
    `GLib.Error` with the code `Flyweight.Error.INVALID_VALUE`."""

    def __init__(self, message, code=_INVALID_VALUE):
        OverflowError.__init__(self, message)
        self._init(message, code)


for _cls in (AttrError, AttrTypeError, AttrValueError, AttrOverflowError):
    _cls.__module__ = 'gi.repository.Flyweight'
    __all__.append(_cls.__name__)
del _cls


def _shown(name):
    """The name as an error message may quote it: printable and short."""
    if len(name) <= 64 and name.isprintable():
        return name
    return ascii(name[:64])[1:-1] + ('...' if len(name) > 64 else '')


def _no_attribute(obj, name, code=_NO_ATTRIBUTE):
    return AttrError("'%s' object has no attribute '%s'" % (type(obj).__name__, _shown(name)),
                     code, name=name, obj=obj)


def _read_only(obj, name):
    return AttrError("'%s' object attribute '%s' is read-only" % (type(obj).__name__, _shown(name)),
                     _READ_ONLY, name=name, obj=obj)


def _(message):
    """MESSAGE in the user's language, from the library's catalog."""
    try:
        Flyweight.attr_name_validate('')  # binds the library's domain
    except GLib.Error:
        pass
    return GLib.dgettext('libflyweight-1', message)


def _quote(name):
    """NAME with its invisible characters spelled out, as the library quotes."""
    return ''.join('\\u{%04X}' % ord(c) if unicodedata.category(c) in ('Cc', 'Cf', 'Zl', 'Zp')
                   else c for c in name)


def _nul_message(name):
    # PyGObject hands C a str as a C string, which would end at the NUL:
    # 'own\0er' would quietly be the name 'own'.
    return _('Attribute name “%s” holds a NUL character, which cannot be part of a name') % \
        _quote(name)


def _nul_in_name(obj, name):
    return AttrError(_nul_message(name), _INVALID_NAME, name=name, obj=obj)


# How an error is worded: by a method, or by attribute syntax reading
# (getattr, delattr) or writing (setattr).
_METHOD, _READ, _WRITE = range(3)


def _from_gerror(obj, name, error, wording):
    """The exception to raise for the GLib.Error of an attribute call."""
    if error.domain != _DOMAIN or error.code not in _ATTRIBUTE_CODES:
        return error
    if wording == _METHOD or (wording == _WRITE and error.code == _INVALID_NAME):
        # The library's message says why the name breaks the rule.
        return AttrError(error.message, error.code, name=name, obj=obj)
    if error.code == _READ_ONLY:
        return _read_only(obj, name)
    return _no_attribute(obj, name, error.code)


def _check_name(obj, name):
    if type(name) is not str:
        raise TypeError('attribute name must be string, not %r' % type(name).__name__)
    if '\0' in name:
        raise _nul_in_name(obj, name)


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_INT32_MIN = -2 ** 31
_INT32_MAX = 2 ** 31 - 1
_INT64_MIN = -2 ** 63
_INT64_MAX = 2 ** 63 - 1
_UINT64_MAX = 2 ** 64 - 1
_NONE = GObject.Value(GObject.TYPE_OBJECT, None)
_Bytes = GLib.Bytes
# Values PyGObject turns into a GValue of their own GType.
_TYPED = (GObject.Object, GLib.Variant, GObject.GEnum, GObject.GFlags, GObject.GBoxed)


def _to_value(name, value):
    """What to hand set_attr() for a Python value; raises if it cannot be kept."""
    kind = type(value)
    if kind is str:
        if '\0' in value:
            raise AttrValueError('cannot set attribute %r to a string holding a NUL character'
                                 % _shown(name))
        return value
    if kind is int:
        if _INT32_MIN <= value <= _INT32_MAX:
            return value
        # PyGObject would try a gint and overflow.
        if _INT64_MIN <= value <= _INT64_MAX:
            return GObject.Value(GObject.TYPE_INT64, value)
        if 0 <= value <= _UINT64_MAX:
            return GObject.Value(GObject.TYPE_UINT64, value)
        raise AttrOverflowError('cannot set attribute %r to an integer of %d bits: '
                                'integers are kept in 64' % (_shown(name), value.bit_length()))
    if kind is float or kind is bool:
        return value
    if value is None:
        return _NONE
    if kind is bytes:
        return _Bytes.new(value)
    if isinstance(value, GObject.Value):
        if value.g_type == GObject.TYPE_PYOBJECT:
            raise AttrTypeError('cannot set attribute %r to a GObject.Value holding a Python '
                                'object: C and other languages could not read it' % _shown(name))
        return value
    if isinstance(value, _TYPED):
        return value
    # PyGObject would wrap it in an opaque PyObject box.
    raise AttrTypeError('cannot set attribute %r to a Python object of type %s: a machine '
                        'keeps int, float, bool, str, bytes, None, GObjects, GLib.Variant '
                        'and GObject.Value values' % (_shown(name), _shown(kind.__name__)))


def _from_value(value):
    if type(value) is _Bytes:
        return value.get_data()
    return value


# ---------------------------------------------------------------------------
# Pokies
# ---------------------------------------------------------------------------

# The library's calls as PyGObject exposes them, taken before the classes
# below replace the names.
_gi_set_attr = Flyweight.Pokies.set_attr
_gi_get_attr = Flyweight.Pokies.get_attr
_gi_del_attr = Flyweight.Pokies.del_attr
_gi_has_attr = Flyweight.Pokies.has_attr
_gi_list_attrs = Flyweight.Pokies.list_attrs
_gi_get_reels = Flyweight.Pokies.get_reels
_gi_get_symbols = Flyweight.Pokies.get_symbols
_GObjectMeta = type(Flyweight.Pokies)
_gobject_setattr = GObject.Object.__setattr__
_gobject_delattr = GObject.Object.__delattr__
_gobject_init = GObject.Object.__init__

# PyGObject keeps the values of a Python subclass's GObject.Property
# attributes in the wrapper, under this prefix.
_PROPERTY_HELPER = '_property_helper_'

# class -> (the names Python answers for, the library names it has learned,
#           whether its instances keep other names in a __dict__)
_CLASS_RECORDS = {}
# How many library names a class learns (see _Attribute).
_MAX_LEARNED = 512


class _Attribute:
    """A library attribute the class has learned: reading, assigning and
    deleting go to the machine's store.

    Python finds a descriptor on the class at once, where for a name it
    does not know it raises and catches an AttributeError before calling
    __getattr__(), which costs more than the read itself. So the first time
    a name is read or assigned through attribute syntax, the class learns
    it, as the library's machines share the shape of their attributes.
    Whether a machine has the attribute stays the machine's answer alone.
    """

    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return '<Flyweight attribute %r>' % self.name

    def __get__(self, machine, owner=None):
        if machine is None:
            return self
        try:
            value = _gi_get_attr(machine, self.name)
        except GLib.Error as error:
            raise _from_gerror(machine, self.name, error, _READ) from None
        if type(value) is _Bytes:
            return value.get_data()
        return value

    def __set__(self, machine, value):
        _syntax_set(machine, self.name, value)

    def __delete__(self, machine):
        _syntax_del(machine, self.name)


def _class_attribute(cls, name):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _keeps_dict(cls):
    """Whether instances of CLS keep names the class lacks in a __dict__.

    As in CPython, where a subclass has a __dict__ unless it and every
    Python base declare __slots__: the library's own classes keep none,
    their attributes live in the machine; a Python subclass keeps one for
    its own state, unless it declares __slots__ all the way down.
    """
    return any('__slots__' not in klass.__dict__ for klass in cls.__mro__
               if klass is not object and not klass.__module__.startswith('gi.'))


def _class_record(cls):
    record = _CLASS_RECORDS.get(cls)
    if record is None:
        python, learned = set(), set()
        for name in dir(cls):
            if isinstance(_class_attribute(cls, name), _Attribute):
                learned.add(name)
            else:
                python.add(name)
        record = _CLASS_RECORDS[cls] = (frozenset(python), frozenset(learned), _keeps_dict(cls))
    return record


def _is_python_name(cls, name):
    python = (_CLASS_RECORDS.get(cls) or _class_record(cls))[0]
    return name in python or (name[:1] == '_' and name.startswith(_PROPERTY_HELPER))


def _learn(cls, name):
    learned = (_CLASS_RECORDS.get(cls) or _class_record(cls))[1]
    if name not in learned and len(learned) < _MAX_LEARNED and name.isidentifier():
        setattr(cls, name, _Attribute(name))


def _check_before_value(obj, name, wording):
    """Raises what the library would raise before it looks at a value: an
    error in the name, or a read-only attribute."""
    try:
        Flyweight.attr_name_validate(name)
        if name in ('reels', 'symbols'):
            # Refused as read-only whatever the value: nothing is stored.
            _gi_set_attr(obj, name, 0)
    except GLib.Error as error:
        raise _from_gerror(obj, name, error, wording) from None


def _converted(machine, name, value, wording):
    """_to_value(), after the checks the library makes before the value."""
    try:
        return _to_value(name, value)
    except (TypeError, ValueError, OverflowError):
        _check_before_value(machine, name, wording)
        raise


def _syntax_set(machine, name, value):
    if '\0' in name:
        raise _nul_in_name(machine, name)
    value = _converted(machine, name, value, _WRITE)
    try:
        _gi_set_attr(machine, name, value)
    except GLib.Error as error:
        raise _from_gerror(machine, name, error, _WRITE) from None


def _syntax_del(machine, name):
    if '\0' in name:
        raise _nul_in_name(machine, name)
    try:
        _gi_del_attr(machine, name)
    except GLib.Error as error:
        raise _from_gerror(machine, name, error, _READ) from None


def _set_unlearned(machine, name, value):
    """Assigns a name the class has not learned: Python's, or the library's."""
    if _is_python_name(type(machine), name):
        _set_python_attribute(machine, name, value)
    elif _class_record(type(machine))[2]:
        _gobject_setattr(machine, name, value)
    else:
        _syntax_set(machine, name, value)
        _learn(type(machine), name)


# PyGObject's own __dict__ of a wrapper (the descriptor of its base type,
# gi._gi.GObject), for the classes that keep one.
_instance_dict = [klass for klass in GObject.Object.__mro__
                  if '__dict__' in klass.__dict__][-1].__dict__['__dict__']


def _set_python_attribute(machine, name, value):
    # A descriptor with a setter decides; a class attribute without one is
    # read-only, unless the instance keeps a __dict__ that may shadow it.
    if (name.startswith(_PROPERTY_HELPER) or _class_record(type(machine))[2] or
            hasattr(type(_class_attribute(type(machine), name)), '__set__')):
        _gobject_setattr(machine, name, value)
    else:
        raise _read_only(machine, name)


def _del_python_attribute(machine, name):
    if (name.startswith(_PROPERTY_HELPER) or _class_record(type(machine))[2] or
            hasattr(type(_class_attribute(type(machine), name)), '__delete__')):
        _gobject_delattr(machine, name)
    else:
        raise _read_only(machine, name)


def _is_created(machine):
    try:
        machine.__grefcount__
    except TypeError:
        return False
    return True


class _PokiesMeta(_GObjectMeta):
    """Checks that a Python subclass's machines are built, and keeps each
    class's record of names up to date."""

    def __call__(cls, *args, **kwargs):
        machine = super().__call__(*args, **kwargs)
        if isinstance(machine, Pokies) and not _is_created(machine):
            raise TypeError('%s.__init__() did not call Flyweight.Pokies.__init__(): '
                            'the machine was never created' % cls.__qualname__)
        return machine

    def __setattr__(cls, name, value):
        super().__setattr__(name, value)
        _CLASS_RECORDS.clear()

    def __delattr__(cls, name):
        super().__delattr__(name)
        _CLASS_RECORDS.clear()


def _built_by(new, name):
    """A metaclass whose class calls go straight to the C constructor NEW:
    g_object_new() with properties would cost more, and only warn about
    dimensions out of range."""
    def __call__(cls, reels=3, symbols=10):
        return new(reels, symbols)

    __call__.__qualname__ = name
    return type('_%sMeta' % name, (_PokiesMeta,), {'__call__': __call__})


def _read_only_dimension(name, getter):
    """`reels` or `symbols`: read straight from the machine, never written."""
    def refuse_set(machine, value):
        raise _read_only(machine, name)

    def refuse_del(machine):
        raise _read_only(machine, name)

    # The getter is the library's own call: no Python code runs on a read.
    return property(getter, refuse_set, refuse_del, 'The number of %s, fixed at construction.'
                    % name)


class Pokies(Flyweight.Pokies, metaclass=_PokiesMeta):
    """The Aussie one-arm bandit, its attributes as Python attributes.

    `Flyweight.Pokies` is abstract. A Python subclass is a machine with
    `reels` and `symbols`, whose `__init__` calls
    `super().__init__(reels, symbols)`; it keeps its own state in a
    `__dict__` unless it declares `__slots__` (see the module's doc).
    """

    reels = _read_only_dimension('reels', _gi_get_reels)
    symbols = _read_only_dimension('symbols', _gi_get_symbols)

    def __init__(self, reels=3, symbols=10, **properties):
        if (type(reels) is int and type(symbols) is int and
                not (1 <= reels <= Flyweight.POKIES_MAX_REELS and
                     1 <= symbols <= Flyweight.POKIES_MAX_SYMBOLS)):
            # g_object_new() would only warn and keep the defaults: let
            # the constructors' own check raise its error.
            Flyweight.PokiesSlotted.new(reels, symbols)
        _gobject_init(self, reels=reels, symbols=symbols, **properties)

    # -- the library's calls, with Python's values ---------------------------

    def set_attr(self, name, value):
        """Adds the attribute `name`, or replaces its value."""
        if type(name) is not str or '\0' in name:
            _check_name(self, name)
        kind = type(value)
        if not ((kind is str and '\0' not in value) or kind is float or kind is bool or
                (kind is int and _INT32_MIN <= value <= _INT32_MAX)):
            value = _converted(self, name, value, _METHOD)
        try:
            _gi_set_attr(self, name, value)
        except GLib.Error as error:
            raise _from_gerror(self, name, error, _METHOD) from None

    def get_attr(self, name):
        """Reads the attribute `name`."""
        if type(name) is not str or '\0' in name:
            _check_name(self, name)
        try:
            value = _gi_get_attr(self, name)
        except GLib.Error as error:
            raise _from_gerror(self, name, error, _METHOD) from None
        if type(value) is _Bytes:
            return value.get_data()
        return value

    def del_attr(self, name):
        """Removes the attribute `name`."""
        if type(name) is not str or '\0' in name:
            _check_name(self, name)
        try:
            _gi_del_attr(self, name)
        except GLib.Error as error:
            raise _from_gerror(self, name, error, _METHOD) from None

    def has_attr(self, name):
        """Whether the attribute `name` exists."""
        if type(name) is not str:
            raise TypeError('attribute name must be string, not %r' % type(name).__name__)
        return '\0' not in name and _gi_has_attr(self, name)

    # -- attribute syntax ----------------------------------------------------

    def __getattr__(self, name):
        # Python found nothing on the class (nor in the __dict__ of a
        # subclass that keeps one): the name is the library's, unless it is
        # one of Python's own, which never reach C.
        record = _CLASS_RECORDS.get(type(self)) or _class_record(type(self))
        if record[2]:
            raise AttributeError("'%s' object has no attribute '%s'"
                                 % (type(self).__name__, _shown(name)), name=name, obj=self)
        if name[:1] == '_':
            if name[:2] == '__':
                raise _no_attribute(self, name, _INVALID_NAME)
            if name.startswith(_PROPERTY_HELPER):
                raise _no_attribute(self, name)
        if '\0' in name:
            raise _nul_in_name(self, name)
        if name in record[1]:
            # Its descriptor just found the machine without it: Python
            # calls __getattr__() after an AttributeError.
            raise _no_attribute(self, name)
        try:
            value = _gi_get_attr(self, name)
        except GLib.Error as error:
            raise _from_gerror(self, name, error, _READ) from None
        _learn(type(self), name)
        if type(value) is _Bytes:
            return value.get_data()
        return value

    def __setattr__(self, name, value):
        if name not in (_CLASS_RECORDS.get(type(self)) or _class_record(type(self)))[1]:
            _set_unlearned(self, name, value)
            return
        # A learned name: the library's. The common values go as they are;
        # _converted() sees to the others.
        kind = type(value)
        if not ((kind is str and '\0' not in value) or kind is float or kind is bool or
                (kind is int and _INT32_MIN <= value <= _INT32_MAX)):
            value = _converted(self, name, value, _WRITE)
        try:
            _gi_set_attr(self, name, value)
        except GLib.Error as error:
            raise _from_gerror(self, name, error, _WRITE) from None

    def __delattr__(self, name):
        if _is_python_name(type(self), name):
            _del_python_attribute(self, name)
        elif _class_record(type(self))[2]:
            _gobject_delattr(self, name)
        else:
            _syntax_del(self, name)

    @property
    def __dict__(self):
        # A machine without an attribute table has no __dict__, as an
        # object with __slots__; PyGObject's own would keep the wrapper
        # alive as long as the machine, for an empty dict. A subclass
        # that keeps one has PyGObject's.
        if _class_record(type(self))[2]:
            return _instance_dict.__get__(self)
        raise _no_attribute(self, '__dict__')

    @property
    def __weakref__(self):
        # As in CPython: the first weak reference to the object, if any.
        refs = weakref.getweakrefs(self)
        return refs[0] if refs else None

    def __dir__(self):
        python, learned, keeps_dict = _class_record(type(self))
        if keeps_dict:
            return object.__dir__(self)
        if not _is_created(self):
            return sorted(set(dir(type(self))) - learned - {'__dict__'})
        names = set(object.__dir__(self)) - learned
        names.discard('__dict__')
        names.update(_gi_list_attrs(self))
        return sorted(names)

    # -- the machine as a Python value ---------------------------------------

    def _attribute_items(self):
        """The machine's attributes, as (name, value) pairs."""
        items = [('reels', _gi_get_reels(self)), ('symbols', _gi_get_symbols(self))]
        for name in _gi_list_attrs(self):
            if name not in ('reels', 'symbols'):
                items.append((name, _from_value(_gi_get_attr(self, name))))
        return items

    def __repr__(self):
        cls = type(self)
        module = cls.__module__
        if module == 'gi.repository.Flyweight':
            module = 'Flyweight'
        if not _is_created(self):
            return '<%s.%s (uninitialized)>' % (module, cls.__qualname__)
        try:
            items = self._attribute_items()
        except GLib.Error:
            # A subclass whose attribute methods fail still has a repr().
            items = [('reels', _gi_get_reels(self)), ('symbols', _gi_get_symbols(self))]
        return '<%s.%s %s>' % (module, cls.__qualname__, ' '.join('%s=%r' % item for item in items))

    # copy, deepcopy and pickle make a new machine of the same class and
    # dimensions, then set every attribute again: a machine's state is
    # what get_dict() shows, and the __dict__ of a subclass that keeps
    # one. (PyGObject refuses to copy other GObjects.)

    def __getstate__(self):
        attributes = dict(self._attribute_items())
        if _class_record(type(self))[2]:
            return (attributes, dict(_instance_dict.__get__(self)))
        return attributes

    def __reduce_ex__(self, protocol):
        return (copyreg.__newobj__, (type(self),), self.__getstate__())

    def __copy__(self):
        machine = copyreg.__newobj__(type(self))
        machine.__setstate__(self.__getstate__())
        return machine

    def __deepcopy__(self, memo):
        machine = copyreg.__newobj__(type(self))
        memo[id(self)] = machine
        machine.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return machine

    def __setstate__(self, state):
        attributes, python = state if isinstance(state, tuple) else (state, {})
        attributes = dict(attributes)
        reels = attributes.pop('reels', 3)
        symbols = attributes.pop('symbols', 10)
        if not _is_created(self):
            Pokies.__init__(self, reels, symbols)
        elif (reels, symbols) != (_gi_get_reels(self), _gi_get_symbols(self)):
            raise ValueError('cannot restore a %r×%r machine into a %d×%d one'
                             % (reels, symbols, _gi_get_reels(self), _gi_get_symbols(self)))
        # The subclass's own state first: its attribute methods may use it.
        for name, value in python.items():
            setattr(self, name, value)
        for name, value in attributes.items():
            self.set_attr(name, value)


Pokies = override(Pokies)
Pokies.__module__ = 'gi.repository.Flyweight'
__all__.append('Pokies')


# ---------------------------------------------------------------------------
# PokiesDynamic
# ---------------------------------------------------------------------------

# Looked up once Pokies is overridden, so that the class derives from it.
_gi_dynamic_new = Flyweight.PokiesDynamic.new
_gi_get_dict = Flyweight.PokiesDynamic.get_dict


class PokiesDynamic(Flyweight.PokiesDynamic,
                    metaclass=_built_by(_gi_dynamic_new, 'PokiesDynamic')):
    """A machine with a `__dict__`: any attribute, in a shared-key store.

    `PokiesDynamic(3, 10)` is `PokiesDynamic.new(3, 10)`; `reels` and
    `symbols` may be given as keywords, and default to 3 and 10.
    """

    def __init_subclass__(cls, **kwargs):
        raise TypeError("type 'PokiesDynamic' is final: subclass Flyweight.Pokies instead")

    def get_dict(self):
        """The attributes as a plain dict, in insertion order.

        Each value is read as get_attr() reads it, name by name: the
        result is a snapshot of one moment only if no other thread
        changes the machine meanwhile.
        """
        result = {}
        for name in _gi_get_dict(self).keys():
            try:
                result[name] = _from_value(_gi_get_attr(self, name))
            except GLib.Error:
                pass  # deleted by another thread since
        return result

    __dict__ = property(get_dict, doc='A snapshot of the attributes, as get_dict().')

    def __dir__(self):
        return sorted(set(Pokies.__dir__(self)) | {'__dict__'})

    def _attribute_items(self):
        return list(self.get_dict().items())


PokiesDynamic = override(PokiesDynamic)
PokiesDynamic.__module__ = 'gi.repository.Flyweight'
__all__.append('PokiesDynamic')


# ---------------------------------------------------------------------------
# PokiesSlotted
# ---------------------------------------------------------------------------

_gi_slotted_new = Flyweight.PokiesSlotted.new


class PokiesSlotted(Flyweight.PokiesSlotted,
                    metaclass=_built_by(_gi_slotted_new, 'PokiesSlotted')):
    """A machine with `__slots__`: `reels` and `symbols`, nothing else.

    `PokiesSlotted(3, 10)` is `PokiesSlotted.new(3, 10)`; `reels` and
    `symbols` may be given as keywords, and default to 3 and 10.
    """

    def __init_subclass__(cls, **kwargs):
        raise TypeError("type 'PokiesSlotted' is final: subclass Flyweight.Pokies instead")


PokiesSlotted = override(PokiesSlotted)
PokiesSlotted.__module__ = 'gi.repository.Flyweight'
__all__.append('PokiesSlotted')


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

def attr_name_validate(name):
    """Checks NAME against the naming rule; raises GLib.Error if it breaks it."""
    if isinstance(name, str) and '\0' in name:
        raise GLib.Error.new_literal(Flyweight.error_quark(), _nul_message(name),
                                     Flyweight.Error.INVALID_NAME)
    return Flyweight.attr_name_validate(name)


__all__.append('attr_name_validate')


class Pool(Flyweight.Pool):
    """A Flyweight.Pool that takes the key as keyword arguments:

        pool = Flyweight.Pool.new(Flyweight.PokiesSlotted)
        machine = pool.get(reels=3, symbols=10)
        assert pool.get(symbols=10, reels=3) is machine
    """

    def get(self, **properties):
        """Returns the live object with these construct-only property
        values, or constructs it; properties not given take their default.

        Names are property names, with "_" for "-". Raises GLib.Error in
        the Flyweight.Error domain for an unknown property, one that is not
        construct-only, or a value of the wrong type or out of range.
        """
        # The common request, in as few Python steps as it takes: each
        # costs about as much as the lookup in C.
        names = list(properties)
        if '\0' in ''.join(names):
            _raise_nul_key(names)
        return _pool_get_with_properties(self, names, [_pool_value(value) for value in properties.values()])

    def get_with_properties(self, names, values):
        if any(isinstance(name, str) and '\0' in name for name in names):
            _raise_nul_key(names)
        return _pool_get_with_properties(self, names, [_pool_value(value) for value in values])


# The introspected method itself, past the override.
_pool_get_with_properties = Flyweight.Pool.get_with_properties


def _raise_nul_key(names):
    # As for attributes: the C string would end at the NUL.
    name = next(name for name in names if isinstance(name, str) and '\0' in name)
    raise GLib.Error.new_literal(
        Flyweight.error_quark(),
        _('Property name “%s” holds a NUL character, which cannot be part of a name')
        % _quote(name),
        Flyweight.Error.INVALID_KEY)


_INT32 = range(-2**31, 2**31)


def _pool_value(value):
    """What PyGObject cannot put in a GValue of the right type by itself.

    It turns booleans, floats, strings, enumerations, flags and objects
    into GValues of their own types, and ints into gint: those go as they
    are, and the library checks them against the property, so that every
    mistake is reported the same way from C, Python and gjs. None (which
    PyGObject 3.42 cannot marshal into a GValue array), ints beyond gint
    and GTypes are wrapped here.
    """
    if type(value) is int and -2**31 <= value < 2**31:
        return value
    if value is None:
        # An empty pointer stands for NULL; the property decides whether
        # it is a NULL string or a NULL object.
        return GObject.Value(GObject.TYPE_POINTER, None)
    if type(value) is int and value not in _INT32:
        if -2**63 <= value < 2**63:
            return GObject.Value(GObject.TYPE_INT64, value)
        if 0 <= value < 2**64:
            return GObject.Value(GObject.TYPE_UINT64, value)
        raise OverflowError(f'{value} does not fit in 64 bits')
    if isinstance(value, GObject.GType):
        return GObject.Value(GObject.TYPE_GTYPE, value)
    return value


Pool = override(Pool)
__all__.append('Pool')


# ---------------------------------------------------------------------------
# Module lookups (keep last)
# ---------------------------------------------------------------------------

# PyGObject serves the names an override does not export through a proxy
# module whose every lookup first raises and swallows an AttributeError:
# about a microsecond for each `Flyweight.X`. Exporting every name of the
# namespace puts them all in the module's own dictionary instead.
def _export_namespace():
    module = sys.modules[__name__]
    for name in dir(Flyweight):
        if not name.startswith('_') and name not in __all__:
            setattr(module, name, getattr(Flyweight, name))
            __all__.append(name)


_export_namespace()
