#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs every libFuzzer target of a -Dfuzzing=true build for SECONDS each,
# starting from a copy of its seed corpus, and prints per target how many
# inputs it ran and whether it found a crash, a leak or a timeout.
# Findings are kept in BUILDDIR/fuzz-findings/TARGET/; the exit status is
# non-zero if any target found something. Extra arguments go to libFuzzer.
#
#   CC=clang meson setup build-fuzz -Dfuzzing=true -Dintrospection=disabled -Db_lundef=false
#   ninja -C build-fuzz
#   tests/fuzz/run-fuzzers.sh build-fuzz 60

set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILDDIR SECONDS [LIBFUZZER-ARGS...]" >&2
  exit 2
fi

builddir=$1
seconds=$2
shift 2

srcdir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Stop at the first error of any kind, with symbolized stacks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

found=0
ran=0
total=0

for exe in "$builddir"/tests/fuzz/fuzz-*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  name=$(basename "$exe")
  corpus=$work/$name/corpus
  artifacts=$work/$name/artifacts
  log=$work/$name/log
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$srcdir/corpus/$name" ]; then
    cp "$srcdir/corpus/$name"/* "$corpus"/ 2>/dev/null
  fi
  seeds=$(ls "$corpus" | wc -l)

  "$exe" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 \
         -artifact_prefix="$artifacts/" "$@" "$corpus" >"$log" 2>&1
  status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  # Without final stats (the target died), the last progress line.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs=0
  grown=$(( $(ls "$corpus" | wc -l) - seeds ))
  findings=$(ls "$artifacts" | wc -l)
  ran=$((ran + 1))
  total=$((total + execs))

  if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
    found=1
    keep=$builddir/fuzz-findings/$name
    mkdir -p "$keep"
    cp "$artifacts"/* "$keep"/ 2>/dev/null
    cp "$log" "$keep/log"
    printf '%-24s %12s executions  FOUND (exit %d)  corpus +%d\n' "$name" "$execs" "$status" "$grown"
    for artifact in "$artifacts"/*; do
      [ -f "$artifact" ] && printf '    %s\n' "$keep/$(basename "$artifact")"
    done
    # The report: the error line, and the stack up to the fuzzer's own frames.
    grep -m 2 -E '^==[0-9]+==ERROR|(ERROR|CRITICAL|WARNING) \*\*|runtime error|deadly signal|SUMMARY' "$log" | sed 's/^/    /'
    grep -E '^ +#[0-9]+ ' "$log" | grep -v -E 'fuzzer::|libc_start|_start ' | head -n 20 | sed 's/^/  /'
    printf '    full log: %s\n' "$keep/log"
  else
    printf '%-24s %12s executions  ok  corpus +%d\n' "$name" "$execs" "$grown"
  fi
done

if [ "$ran" -eq 0 ]; then
  echo "no fuzz targets in $builddir/tests/fuzz: set up the build with -Dfuzzing=true" >&2
  exit 2
fi

printf '%d targets, %d executions in all, %s\n' "$ran" "$total" \
  "$([ "$found" -eq 0 ] && echo 'no findings' || echo 'FINDINGS')"
exit "$found"
