# SPDX-License-Identifier: LGPL-2.1-or-later
# The notebook's three classes, exactly as the notebook defines them (the bodies are
# already valid Python 3). The measurement drivers are appended to this
# text, so every CPython row uses these exact classes.
import random

class Pokies(object):
    """
    The Aussie one arm bandit
    """

    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols

    def draw(self):
        """
        Random draw of reels * symbols
        """
        return tuple(random.randint(1, self.symbols) for _ in range(self.reels))


class FlyweightPokies(object):
    """
    One arm bandit with smaller memory footprint
    """

    __slots__ = ['reels', 'symbols']

    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols

    def draw(self):
        """
        Random draw of reels x symbols
        """
        return tuple(random.randint(1, self.symbols) for _ in range(self.reels))


class WeakPokies(object):
    """
    A weakrefencable one arm bandit with smallish memory footprint 
    """

    __slots__ = ['reels', 'symbols', '__weakref__']

    def __init__(self, reels, symbols):
        self.reels = reels
        self.symbols = symbols

    def draw(self):
        """
        Random draw of reels x symbols
        """
        return tuple(random.randint(1, self.symbols) for _ in range(self.reels))
