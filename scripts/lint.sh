#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch --strict, the Device Tree binding and boards
# (dt-lint.sh), then a W=1 build with sparse (C=2) against every installed
# Debian amd64 kernel. Any finding fails the run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
status=0

"$top/scripts/checkpatch.sh" || status=1
"$top/scripts/dt-lint.sh" || status=1

for kver in $("$top/scripts/kernels.sh"); do
	work=$top/build/lint/$kver
	rm -rf "$work"
	mkdir -p "$work"
	cp -r Kbuild drivers include arch "$work/"
	# C=2 checks every file, W=1 adds the extra compiler warnings.
	make -s -C "/usr/src/linux-headers-$kver" M="$work" W=1 C=2 modules \
		> "$work.log" 2>&1
	rc=$?
	findings=$(grep -E 'warning:|error:' "$work.log")
	if [ $rc -ne 0 ] || [ -n "$findings" ]; then
		echo "sparse/W=1 on $kver: FAILED"
		cat "$work.log"
		status=1
	else
		echo "sparse/W=1 on $kver: clean"
	fi
done
exit $status
