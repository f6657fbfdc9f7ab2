#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Numbers the TAP lines on stdin in one sequence, passes everything through,
# and ends with the plan and the one line CI reads: N passed, N failed,
# N skipped. Fails unless something passed and nothing failed.
# Shared by tests/run-check.sh (make check) and tests/run-check-debug.sh.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT

awk '
	/^ok / || /^not ok / { n++; sub(/^(not )?ok/, "& " n) }
	{ print; fflush() }' | tee "$log"

passed=$(grep -E '^ok [0-9]+ ' "$log" | grep -vc '# SKIP')
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
failed=$(grep -cE '^not ok [0-9]+ ' "$log")
echo "1..$((passed + skipped + failed))"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
