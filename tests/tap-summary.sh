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

# The reliability campaign (issue 10), one line per category, from the
# cases' names and the "# reliability: ..." lines scenarios print.
awk '
function tally(cat) {
	cases[cat]++
	if ($1 == "not") failed[cat]++
	else if ($0 ~ /# SKIP/) skipped[cat]++
}
/^(not )?ok [0-9]+ / {
	if ($0 ~ / [0-9][^ ]* (bad-input|dt-refused|not-memory): /) tally("bad input")
	if ($0 ~ / [0-9][^ ]* (fault-inject|enomem-add): /) tally("faults")
	if ($0 ~ / [0-9][^ ]* cycles: /) tally("cycles")
	# The scenarios whose checksummed bytes the category adds up.
	if ($0 ~ / [0-9][^ ]* (data-load|remove-busy): / ||
	    $0 ~ / [0-9][^ ]* resize: shrink (of memory in use|once node 0 has room)/) tally("data under load")
	if ($0 ~ / [0-9][^ ]* concurrency: /) tally("concurrency")
	if ($0 ~ / [0-9][^ ]* permissions: /) tally("permissions")
	if ($0 ~ /kernel logged no oops, BUG(,| or) WARNING|: no (KASAN|lockdep|kmemleak|WARNING|BUG or Oops|hung task|soft lockup|list corruption|ODEBUG)/) tally("reports")
	if ($0 ~ / fuzz: .* executions/) {
		for (i = 1; i < NF; i++) {
			if ($(i + 1) == "executions,") execs += $i
			if ($(i + 1) ~ /^crash(es)?/) crashes += $i
		}
		parsers++
	}
}
/^# reliability: faults injected / { faults += $NF }
/^# reliability: cycles / { cycles += $NF }
/^# reliability: bytes checksummed / { bytes += $NF }
/^# reliability: drift / { sub(/^# reliability: drift /, ""); drift = drift "\n#     drift " $0 }
function line(cat, extra) {
	printf "#   %s: %d cases, %d failed, %d skipped%s\n", cat, cases[cat], failed[cat], skipped[cat], extra
}
END {
	if (!cases["bad input"] && !parsers && !cases["faults"] && !cases["cycles"]) exit
	print "# reliability summary (issue 10), one line per category; target: 0 failed, 0 crashes, 0 reports"
	line("bad input", "")
	printf "#   fuzzing: %d parsers, %.0f executions, %d crashes\n", parsers, execs, crashes
	line("faults", sprintf(", %d faults injected", faults))
	line("cycles", sprintf(", %d cycles%s", cycles, drift))
	line("concurrency", "")
	line("data under load", sprintf(", %.0f bytes checksummed", bytes))
	line("permissions", "")
	printf "#   kernel reports: %d checks of the boots'"'"' logs (one a boot, one a kind of report on the debug kernel), %d failed, %d skipped\n", cases["reports"], failed["reports"], skipped["reports"]
}' "$log"

# CI shows only the end of the output: the failed cases again, by name.
if grep -qE '^not ok [0-9]+ ' "$log"; then
	echo "# failed cases (listed above in place):"
	grep -E '^not ok [0-9]+ ' "$log" | head -n 40 | sed 's/^/#   /'
fi

passed=$(grep -E '^ok [0-9]+ ' "$log" | grep -vc '# SKIP')
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
failed=$(grep -cE '^not ok [0-9]+ ' "$log")
echo "1..$((passed + skipped + failed))"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
