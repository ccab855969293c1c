#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turns the tutorial's code blocks into programs and checks what they print.

    check-tutorial.py extract c TUTORIAL OUTPUT.c
    check-tutorial.py run LANG TUTORIAL COMMAND...

`extract` writes the C program (meson compiles it). `run` runs COMMAND — for
python and js the script extracted to a temporary file is appended to it —
and compares its output with the "→ TEXT" comments of the page, as TAP.
"""

import os
import re
import subprocess
import sys
import tempfile

FENCES = {'c': 'c', 'python': 'python', 'js': 'js'}

# The comment that carries the expected output, per language.
EXPECT = {
    'c': re.compile(r'/\*\s*→\s*(.*?)\s*\*/'),
    'python': re.compile(r'#\s*→\s*(.*?)\s*$'),
    'js': re.compile(r'//\s*→\s*(.*?)\s*$'),
}


def blocks(path, lang):
    """Yields the code of each ```LANG block, in page order."""
    fence = re.compile(r'^```\s*(\S*)\s*$')
    current = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            match = fence.match(line.rstrip('\n'))
            if match and current is None:
                current = [] if match.group(1) == FENCES[lang] else False
            elif match:
                if current:
                    yield ''.join(current)
                current = None
            elif current is not False and current is not None:
                current.append(line)


def program(path, lang):
    code = list(blocks(path, lang))
    if lang != 'c':
        return '\n'.join(code)

    # A block that opens with #include or static goes at file scope.
    top, body = [], []
    for block in code:
        first = next((line for line in block.splitlines() if line.strip()), '')
        (top if first.startswith(('#include', 'static')) else body).append(block)
    indented = ['\n'.join('  ' + line if line else line for line in block.splitlines())
                for block in body]
    return ('/* Generated from tutorial.md by check-tutorial.py. */\n'
            + '\n'.join(top)
            + '\nint\nmain (void)\n{\n'
            + '\n'.join(indented)
            + '\n  return EXIT_SUCCESS;\n}\n')


def expectations(path, lang):
    return [m.group(1)
            for block in blocks(path, lang)
            for line in block.splitlines()
            for m in [EXPECT[lang].search(line)] if m]


def run(lang, path, command):
    expected = expectations(path, lang)
    script = None
    if lang != 'c':
        suffix = '.py' if lang == 'python' else '.js'
        with tempfile.NamedTemporaryFile('w', suffix=suffix, delete=False,
                                         encoding='utf-8') as f:
            f.write(program(path, lang))
            script = f.name
        command = command + [script]
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                encoding='utf-8', errors='replace', timeout=60)
    finally:
        if script:
            os.unlink(script)

    printed = result.stdout.splitlines()
    print(f'1..{len(expected) + 2}')
    failures = 0

    ok = result.returncode == 0
    failures += not ok
    print(f'{"ok" if ok else "not ok"} 1 - the {lang} program exits with 0')
    if not ok:
        for line in result.stderr.splitlines():
            print(f'# {line}')

    for i, want in enumerate(expected, start=2):
        got = printed[i - 2] if i - 2 < len(printed) else None
        if want.startswith('e.g. '):
            good = got is not None
        else:
            good = got == want
        failures += not good
        print(f'{"ok" if good else "not ok"} {i} - prints {want}')
        if not good:
            print(f'# printed: {got!r}')

    good = len(printed) == len(expected)
    failures += not good
    print(f'{"ok" if good else "not ok"} {len(expected) + 2} - '
          f'{len(printed)} lines printed, {len(expected)} documented')
    return 1 if failures else 0


def main(argv):
    if len(argv) == 5 and argv[1] == 'extract' and argv[2] == 'c':
        with open(argv[4], 'w', encoding='utf-8') as f:
            f.write(program(argv[3], 'c'))
        return 0
    if len(argv) >= 5 and argv[1] == 'run' and argv[2] in FENCES:
        return run(argv[2], argv[3], argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
