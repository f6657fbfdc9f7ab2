#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make docs: the admin guide as HTML (sphinx-build -W: any warning fails)
# into build/docs/html, and the man pages dax_kmem(4) and dax-kmem(8)
# (rst2man) into build/docs/man.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/docs
rm -rf "$out"
mkdir -p "$out/man"
sphinx-build -q -W --keep-going -b html -d "$out/doctrees" \
	"$top/Documentation" "$out/html"
for rst in "$top"/Documentation/man/*.rst; do
	page=$(basename "$rst" .rst)
	rst2man --exit-status=2 --halt=2 "$rst" > "$out/man/$page"
done
echo "docs: $out/html/index.html, $(cd "$out/man" && echo *)"
