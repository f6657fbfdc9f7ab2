#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Numbers the TAP lines on stdin in one sequence, passes everything through,
# and ends with the plan and the one line CI reads: N passed, N failed,
# N skipped. Fails unless something passed and nothing failed.
# Shared by tests/run-check.sh (make check) and tests/run-check-debug.sh.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# A shell loop, not awk: Debian's mawk buffers a pipe in 4 KiB bursts
# whatever fflush() says, and make check's live output would stall.
n=0
while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	"ok "* | "not ok "*)
		n=$((n + 1))
		line="${line%%ok *}ok $n ${line#*ok }"
		;;
	esac
	printf '%s\n' "$line"
done | tee "$log"

passed=$(grep -E '^ok [0-9]+ ' "$log" | grep -vc '# SKIP')
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
failed=$(grep -cE '^not ok [0-9]+ ' "$log")
echo "1..$((passed + skipped + failed))"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
