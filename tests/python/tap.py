# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the unittest cases of a module and prints the results as TAP."""

import sys
import unittest


class TapResult(unittest.TestResult):
    """Prints one TAP line per test, with diagnostics for failures."""

    def __init__(self, stream=sys.stdout):
        super().__init__()
        self.stream = stream
        self.number = 0
        self.problems = []

    @staticmethod
    def name(test):
        cls = type(test).__name__
        method = getattr(test, '_testMethodName', str(test))
        return f'{cls}.{method}'.replace('#', '')

    def startTest(self, test):
        super().startTest(test)
        self.problems = []

    def addError(self, test, err):
        super().addError(test, err)
        self.problems.append(self._exc_info_to_string(err, test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.problems.append(self._exc_info_to_string(err, test))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.problems.append(f'{subtest}\n' + self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.skip_reason = reason

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.problems.append('unexpected success')

    def stopTest(self, test):
        super().stopTest(test)
        self.number += 1
        if self.problems:
            self.stream.write(f'not ok {self.number} - {self.name(test)}\n')
            for problem in self.problems:
                for line in problem.rstrip().splitlines():
                    self.stream.write(f'# {line}\n')
        else:
            # A skip says why on its TAP line, where meson counts it.
            skip = getattr(self, 'skip_reason', None)
            directive = f' # SKIP {skip}' if skip else ''
            self.stream.write(f'ok {self.number} - {self.name(test)}{directive}\n')
        self.skip_reason = None
        self.stream.flush()


def run_tests(module):
    """Runs every test of @module; returns the exit status."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    print(f'1..{suite.countTestCases()}', flush=True)
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1
