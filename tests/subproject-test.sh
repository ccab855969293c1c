#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/subproject-test.sh
#
# Builds tests/subproject, a project that uses this tree as its Meson
# subproject, with the default options, and checks that libflyweight then
# builds and installs the library alone: no tests, examples or demo, and
# nothing installed but the library, its headers, its data and the parent's
# own program. Then asks for the examples and checks that they come.
# Prints TAP.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
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

# check WHAT COMMAND...: runs COMMAND with its output in $tmp/log.
check () {
  what=$1
  shift
  if "$@" >"$tmp/log" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

finish () {
  echo "1..$number"
  exit $failed
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
parent=$tmp/parent
build=$tmp/build
dest=$tmp/dest

cp -R "$top/tests/subproject" "$parent"
mkdir -p "$parent/subprojects"
ln -s "$top" "$parent/subprojects/libflyweight"

# Nothing installed on this machine may stand in for the subproject.
check "meson setup of a parent project" \
  meson setup "$build" "$parent" --prefix=/opt/consumer \
  --force-fallback-for=flyweight-1 --wrap-mode=nodownload
[ $failed = 0 ] || finish

# What the subproject defines, by kind: executables and tests must not
# be among them.
# shellcheck disable=SC2016 # Python, not shell.
introspect='
import json, sys
kind = sys.argv[1]
for item in json.load(sys.stdin):
    if kind == "targets" and item.get("subproject") == "libflyweight":
        print(item["type"], item["name"])
    elif kind == "tests" and any(s.startswith("libflyweight:") for s in item["suite"]):
        print("test", item["name"])
'
meson introspect "$build" --targets | python3 -c "$introspect" targets >"$tmp/targets"
meson introspect "$build" --tests | python3 -c "$introspect" tests >"$tmp/tests"
grep -q '^shared library flyweight-1$' "$tmp/targets" >"$tmp/log" 2>&1 &&
  ok "the subproject builds the library" ||
  { cp "$tmp/targets" "$tmp/log"; not_ok "the subproject builds the library"; }
grep '^executable ' "$tmp/targets" >"$tmp/log"
if [ -s "$tmp/log" ]; then not_ok "the subproject builds no program"; else ok "the subproject builds no program"; fi
cp "$tmp/tests" "$tmp/log"
if [ -s "$tmp/log" ]; then not_ok "the subproject defines no test"; else ok "the subproject defines no test"; fi

check "meson compile" meson compile -C "$build"
check "the parent's program runs with the subproject's library" "$build/flyweight-consumer"

check "meson install --destdir" meson install -C "$build" --destdir "$dest" --quiet
# Every installed file is the parent's program or a part of the library.
(cd "$dest" && find . ! -type d) | sed 's|^\./|/|' | sort >"$tmp/installed"
grep -v -E \
  -e '^/opt/consumer/bin/flyweight-consumer$' \
  -e '^/opt/consumer/lib/([^/]+/)?libflyweight-1\.so(\.[0-9]+)*$' \
  -e '^/opt/consumer/lib/([^/]+/)?pkgconfig/flyweight-1\.pc$' \
  -e '^/opt/consumer/lib/([^/]+/)?girepository-1\.0/Flyweight-1\.0\.typelib$' \
  -e '^/opt/consumer/include/flyweight-1/libflyweight/[^/]+\.h$' \
  -e '^/opt/consumer/share/gir-1\.0/Flyweight-1\.0\.gir$' \
  -e '^/opt/consumer/share/vala/vapi/flyweight-1\.(vapi|deps)$' \
  -e '^/opt/consumer/share/locale/[^/]+/LC_MESSAGES/libflyweight-1\.mo$' \
  -e '^/opt/consumer/lib/python3[^/]*/dist-packages/gi/overrides/Flyweight\.py$' \
  "$tmp/installed" >"$tmp/log"
if [ -s "$tmp/log" ]; then
  not_ok "only the library and the parent's program are installed"
else
  ok "only the library and the parent's program are installed"
fi
grep -q 'libflyweight-1\.so' "$tmp/installed" && ok "the library is installed" ||
  { cp "$tmp/installed" "$tmp/log"; not_ok "the library is installed"; }

# Asked for, the examples come, flyweight-memit with them.
check "meson configure -Dlibflyweight:examples=enabled" \
  meson configure "$build" -Dlibflyweight:examples=enabled
check "meson setup --reconfigure" meson setup --reconfigure "$build" "$parent"
meson introspect "$build" --targets | python3 -c "$introspect" targets >"$tmp/targets"
grep -q '^executable flyweight-memit$' "$tmp/targets" && ok "asked for, the subproject builds its examples" ||
  { cp "$tmp/targets" "$tmp/log"; not_ok "asked for, the subproject builds its examples"; }

finish
