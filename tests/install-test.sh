#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# install-test.sh CONSUMERS_DIR
#
# Installs the build into a temporary DESTDIR, runs the installed programs
# from there, and builds and runs programs against that tree alone, as users
# would: C through pkg-config, Python through the typelib and the PyGObject
# override, gjs through the typelib, and Vala through the VAPI. Prints TAP.
#
# Meson passes the layout in the environment: FLYWEIGHT_BUILD_ROOT, MESON,
# CC, FLYWEIGHT_PREFIX, FLYWEIGHT_BINDIR, FLYWEIGHT_LIBDIR, FLYWEIGHT_DATADIR,
# and, where they apply, FLYWEIGHT_LOCALEDIR, FLYWEIGHT_OVERRIDES_DIR, PYTHON,
# FLYWEIGHT_OVERRIDE_TEST (the override's test suite), GJS, VALAC,
# FLYWEIGHT_VALA_EXAMPLE.
set -u

consumers=$1
number=0
failed=0

ok () {
  number=$((number + 1))
  echo "ok $number - $1"
}

not_ok () {
  number=$((number + 1))
  failed=1
  echo "not ok $number - $1"
  if [ -s "$tmp/log" ]; then
    sed 's/^/# /' "$tmp/log"
  fi
}

skip () {
  number=$((number + 1))
  echo "ok $number # SKIP $1"
}

# check WHAT COMMAND...: runs COMMAND with its output in $tmp/log.
check () {
  what=$1
  shift
  if "$@" >"$tmp/log" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

# printed KEY PREFIX: the "KEY: path" line of $tmp/log starts with PREFIX.
printed () {
  sed -n "s/^$1: //p" "$tmp/log" | grep -q "^$2"
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
libdir=$dest$FLYWEIGHT_LIBDIR
pcdir=$libdir/pkgconfig

# Nothing from the build tree or the caller's environment may leak in.
unset GI_TYPELIB_PATH PYTHONPATH PKG_CONFIG_PATH LD_LIBRARY_PATH
export G_DEBUG=gc-friendly

check "meson install --destdir" \
  $MESON install -C "$FLYWEIGHT_BUILD_ROOT" --destdir "$dest" --no-rebuild --quiet

# The .pc file names the real prefix; point it at the DESTDIR copy.
if [ -f "$pcdir/flyweight-1.pc" ] &&
   sed -i "s|^prefix=.*|prefix=$dest$FLYWEIGHT_PREFIX|" "$pcdir/flyweight-1.pc"; then
  ok "flyweight-1.pc installed"
else
  not_ok "flyweight-1.pc installed"
fi

if flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs flyweight-1 2>"$tmp/log"); then
  ok "pkg-config --cflags --libs flyweight-1"
else
  not_ok "pkg-config --cflags --libs flyweight-1"
fi

# shellcheck disable=SC2086 # CC and the flags are word lists.
check "a C program builds against the installed headers" \
  $CC -Wall -Werror "$consumers/consumer.c" -o "$tmp/consumer" $flags

check "the C program runs" env LD_LIBRARY_PATH="$libdir" "$tmp/consumer"
if printed library "$libdir/"; then
  ok "the C program uses the installed libflyweight"
else
  not_ok "the C program uses the installed libflyweight"
fi

# Installed programs find the installed library from wherever they are:
# the DESTDIR copy is as good a non-system prefix as any.
bindir=$dest$FLYWEIGHT_BINDIR
programs=0
for program in "$bindir"/*; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  ldd "$program" 2>/dev/null | grep -q 'libflyweight-1\.so' || continue
  programs=$((programs + 1))
  name=$(basename "$program")
  if [ "$FLYWEIGHT_PREFIX" = /usr ]; then
    skip "$name: under /usr the system finds libflyweight"
    continue
  fi
  found=$(ldd "$program" | sed -n 's/.*libflyweight-1\.so[^ ]* => \([^ ]*\) .*/\1/p')
  if [ -n "$found" ] &&
     [ "$(dirname "$(readlink -f "$found")")" = "$(readlink -f "$libdir")" ]; then
    ok "$name finds the libflyweight installed beside it"
  else
    ldd "$program" >"$tmp/log" 2>&1
    not_ok "$name finds the libflyweight installed beside it"
  fi
  check "$name --help runs from a copy of $FLYWEIGHT_PREFIX elsewhere" "$program" --help
done
if [ $programs = 0 ]; then
  skip "no installed program links libflyweight"
fi

typelibs=$libdir/girepository-1.0

if [ -n "${PYTHON:-}" ] && [ -n "${FLYWEIGHT_OVERRIDES_DIR:-}" ]; then
  # PYTHONPATH is the folder that holds gi/overrides/.
  pythonpath=$(dirname "$(dirname "$dest$FLYWEIGHT_OVERRIDES_DIR")")
  check "Python runs against the installed typelib and override" \
    env GI_TYPELIB_PATH="$typelibs" LD_LIBRARY_PATH="$libdir" PYTHONPATH="$pythonpath" \
    "$PYTHON" "$consumers/consumer.py"
  if printed typelib "$typelibs/" && printed override "$dest$FLYWEIGHT_OVERRIDES_DIR/"; then
    ok "Python loads the installed typelib and override"
  else
    not_ok "Python loads the installed typelib and override"
  fi
  if [ -n "${FLYWEIGHT_OVERRIDE_TEST:-}" ]; then
    check "the override suite passes against the installed override" \
      env GI_TYPELIB_PATH="$typelibs" LD_LIBRARY_PATH="$libdir" PYTHONPATH="$pythonpath" \
      FLYWEIGHT_OVERRIDE="$dest$FLYWEIGHT_OVERRIDES_DIR/Flyweight.py" \
      "$PYTHON" "$FLYWEIGHT_OVERRIDE_TEST"
  fi
else
  skip "no Python with PyGObject overrides"
fi

if [ -n "${GJS:-}" ]; then
  check "gjs runs against the installed typelib" \
    env GI_TYPELIB_PATH="$typelibs" LD_LIBRARY_PATH="$libdir" "$GJS" -m "$consumers/consumer.js"
  if printed typelib "$typelibs/"; then
    ok "gjs loads the installed typelib"
  else
    not_ok "gjs loads the installed typelib"
  fi
else
  skip "no gjs"
fi

if [ -n "${VALAC:-}" ] && [ -f "$dest$FLYWEIGHT_DATADIR/vala/vapi/flyweight-1.vapi" ]; then
  check "the Vala notebook builds against the installed VAPI" \
    env PKG_CONFIG_PATH="$pcdir" "$VALAC" --quiet --disable-warnings \
    --vapidir "$dest$FLYWEIGHT_DATADIR/vala/vapi" --pkg flyweight-1 \
    --directory "$tmp/vala" -o "$tmp/notebook-vala" "$FLYWEIGHT_VALA_EXAMPLE"
  check "the Vala notebook runs" env LD_LIBRARY_PATH="$libdir" "$tmp/notebook-vala"
else
  skip "no Vala API installed"
fi

if [ -n "${FLYWEIGHT_LOCALEDIR:-}" ]; then
  for lang in de fr; do
    mo=$dest$FLYWEIGHT_LOCALEDIR/$lang/LC_MESSAGES/libflyweight-1.mo
    if [ -f "$mo" ]; then ok "$lang catalog installed"; else not_ok "$lang catalog installed"; fi
  done
fi

echo "1..$number"
exit $failed
