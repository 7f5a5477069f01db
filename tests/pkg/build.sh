#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the Debian package from a clean copy of the tree: bash tests/pkg/build.sh OUTDIR
# The copy (the files git knows, committed or not, plus new files it does not ignore)
# keeps the build away from the tree's own build directories; OUTDIR gets the .deb,
# .buildinfo, .changes and build.log. DEB_BUILD_OPTIONS is passed on (the tests use
# "nocheck": CI runs the unit tests on its own builds).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/keepalived-ng
mkdir "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
		tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$top" --exclude='./build*' --exclude=./debian/build -cf - . | tar -C "$src" -xf -
fi
rm -f "$out"/keepalived-ng_* "$out"/keepalived-ng-dbgsym_*
(cd "$src" && dpkg-buildpackage -us -uc -b -j"${JOBS:-$(nproc)}") >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log" >&2
	echo "build.sh: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
	exit 1
}
mv "$work"/keepalived-ng_* "$work"/keepalived-ng-dbgsym_* "$out"/
ls "$out"/keepalived-ng_*.deb
