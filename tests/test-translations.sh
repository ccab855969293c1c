#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# test-translations.sh PROGRAM LANG [GTEST OPTIONS...]
#
# Builds the LANG (fr or de) UTF-8 locale into a temporary folder, which
# needs no root, and runs PROGRAM in it with TAP output. FLYWEIGHT_LOCALEDIR
# (set by meson) makes the library read the catalogs of the build tree.
set -u

program=$1
lang=$2
shift 2

case $lang in
  fr) locale=fr_FR ;;
  de) locale=de_DE ;;
  *) echo "Bail out! no locale known for $lang"; exit 1 ;;
esac

if ! command -v localedef >/dev/null 2>&1 || [ ! -e "/usr/share/i18n/locales/$locale" ]; then
  echo "1..0 # SKIP localedef or the $locale sources are missing (Debian package: locales)"
  exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Exit status 1 means warnings only; the locale is written all the same.
localedef -i "$locale" -f UTF-8 "$tmp/$locale.UTF-8" >"$tmp/localedef.log" 2>&1
status=$?
if [ "$status" -gt 1 ] || [ ! -d "$tmp/$locale.UTF-8" ]; then
  echo "Bail out! localedef -i $locale -f UTF-8 failed with status $status"
  sed 's/^/# /' "$tmp/localedef.log"
  exit 1
fi

# LANGUAGE would override the catalog choice; LC_ALL the locale.
unset LANGUAGE
LOCPATH=$tmp LANG=$locale.UTF-8 LC_ALL=$locale.UTF-8 "$program" "$lang" --tap "$@"
