#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl over the module's C sources (drivers/, include/, arch/, as
# git tracks them or would), with the options in .checkpatch.conf (read
# from the repository root): --strict, and no in-tree-only LINUX_VERSION_CODE
# advice, as one source builds for 6.1 and 6.12. checkpatch.pl and its data
# files come from Debian's linux-source-6.12, extracted once into .cache/.
# Any finding fails, but CONSTANT_COMPARISON on a LINUX_VERSION_CODE line.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache/checkpatch tarball=/usr/src/linux-source-6.12.tar.xz
if [ ! -s $cache/scripts/const_structs.checkpatch ]; then
	[ -f $tarball ] || { echo "checkpatch: no $tarball: run 'make deps'" >&2; exit 2; }
	mkdir -p $cache
	tar -xJf $tarball -C $cache --strip-components=1 --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
fi
mapfile -t files < <(git ls-files -co --exclude-standard -- 'drivers/*.[ch]' 'include/*.[ch]' 'arch/*.[ch]' 'tests/*/modules/*.c')
raw=$(perl $cache/scripts/checkpatch.pl -- "${files[@]}") && rc=0 || rc=$?
if [ "$rc" -ne 0 ] && ! grep -qE ': (ERROR|WARNING|CHECK):' <<< "$raw"; then
	echo "checkpatch: checkpatch.pl failed ($rc): $raw" >&2
	exit 2
fi
findings=$(awk -F: '$4 ~ /CONSTANT_COMPARISON/ {
		cmd = "sed -n " $2 "p " $1; cmd | getline src; close(cmd)
		if (src ~ /LINUX_VERSION_CODE/) next }
	{ print }' <<< "$raw")
[ -z "$findings" ] || echo "$findings"
problems=$(grep -cE '^[^:]+:[0-9]+: (ERROR|WARNING|CHECK):' <<< "$findings" || true)
echo "checkpatch: ${#files[@]} files, $problems problems"
[ "$problems" -eq 0 ]
