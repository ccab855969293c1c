# SPDX-License-Identifier: LGPL-2.1-or-later
"""Chooses whether PyGObject loads the Flyweight override, before the
namespace is imported.

The suites that test the typelib as every binding sees it run without the
override, wherever one is installed; the suites of the override check that
they run the one they were pointed at (FLYWEIGHT_OVERRIDE, the path of a
gi/overrides/Flyweight.py), and not another one installed.
"""

import os
import sys

import gi.overrides


def _holds_override(folder):
    return os.path.exists(os.path.join(folder, 'Flyweight.py'))


def without_override():
    """Hides every Flyweight override from PyGObject, in this process, and
    the ones PYTHONPATH names from the processes it starts."""
    if 'gi.repository.Flyweight' in sys.modules:
        raise RuntimeError('Flyweight was imported before without_override()')
    gi.overrides.__path__[:] = [d for d in gi.overrides.__path__ if not _holds_override(d)]
    if 'PYTHONPATH' in os.environ:
        os.environ['PYTHONPATH'] = os.pathsep.join(
            d for d in os.environ['PYTHONPATH'].split(os.pathsep)
            if not _holds_override(os.path.join(d, 'gi', 'overrides')))


def check_no_override():
    if 'gi.overrides.Flyweight' in sys.modules:
        raise RuntimeError('the Flyweight override was loaded')


def check_override():
    """Fails unless the override loaded is the one FLYWEIGHT_OVERRIDE names."""
    loaded = sys.modules.get('gi.overrides.Flyweight')
    if loaded is None:
        raise RuntimeError('no Flyweight override was loaded')
    wanted = os.environ.get('FLYWEIGHT_OVERRIDE')
    if wanted is None:
        raise RuntimeError('FLYWEIGHT_OVERRIDE does not name the override to test')
    wanted = os.path.realpath(wanted)
    if os.path.realpath(loaded.__file__) != wanted:
        raise RuntimeError(f'loaded {loaded.__file__}, not {wanted}')
    return loaded
