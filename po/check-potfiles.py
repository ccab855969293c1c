#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks po/POTFILES.in against the sources under libflyweight/ and examples/.

    check-potfiles.py SOURCE_ROOT

Every source file that marks a string for translation with _( or N_( must
be listed, and every listed file must exist. Prints TAP.
"""

import pathlib
import re
import sys

# _( and N_( as a call, not the end of a longer name such as __init__(.
MARKED = re.compile(r'(?<![A-Za-z0-9_])N?_\(')
SUFFIXES = {'.c', '.h', '.py', '.js', '.vala'}


def marked_sources(root):
    paths = [path for folder in ('examples', 'libflyweight') for path in (root / folder).rglob('*')]
    for path in sorted(paths):
        if path.suffix in SUFFIXES and path.is_file():
            text = path.read_text(encoding='utf-8', errors='replace')
            if MARKED.search(text):
                yield path.relative_to(root).as_posix()


def listed(root):
    lines = (root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines()
    return [line.strip() for line in lines
            if line.strip() and not line.lstrip().startswith('#')]


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else '.').resolve()
    names = listed(root)
    sources = list(marked_sources(root))
    checks = []

    for source in sources:
        checks.append((source in names, f'{source} is in POTFILES.in'))
    for name in names:
        checks.append(((root / name).is_file(), f'{name} exists'))
    checks.append((names == sorted(names), 'POTFILES.in is sorted'))
    checks.append((len(names) == len(set(names)), 'POTFILES.in lists each file once'))

    print(f'1..{len(checks)}')
    for number, (ok, what) in enumerate(checks, start=1):
        print(f'{"ok" if ok else "not ok"} {number} - {what}')
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
