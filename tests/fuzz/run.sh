#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bounded libFuzzer campaign over the pure-C parsers (tests/fuzz/README.md).
#
#   tests/fuzz/run.sh [SECONDS [NAME...]]
#
# Builds each harness of tests/fuzz/Makefile (or only the NAMEs given) and
# runs it for SECONDS (default 60), one after the other on one CPU, on a
# scratch corpus under build/fuzz/corpus/NAME/ that starts from (and keeps
# adding to) tests/fuzz/seeds/NAME/ plus a few 4 KiB inputs made here;
# nothing is ever written into tests/. One TAP line per harness:
#
#   ok - fuzz: NAME: N executions, cov C, ft F, 0 crashes (Ts)
#   not ok - fuzz: NAME: ... 1 crash (Ts): input HEX
#
# A harness fails when it crashed (a sanitizer report, a broken invariant,
# a timeout or out of memory: the input is printed in hex and kept under
# build/fuzz/artifacts/NAME/), when it could not be built, or when
# libFuzzer printed no final stats. Exits non-zero if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/fuzz
secs=${1:-60}
[ $# -gt 0 ] && shift
case "$secs" in
'' | *[!0-9]* | 0)
	echo "usage: $0 [SECONDS [NAME...]]" >&2
	exit 2
	;;
esac

mk() {
	make --no-print-directory -s -C "$here" BUILD="$out/bin" "$@"
}

if [ $# -gt 0 ]; then
	names=("$@")
else
	read -r -a names < <(mk list)
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "not ok - fuzz: no harness listed in tests/fuzz/Makefile"
	exit 1
fi

# Symbolized reports, and the first sanitizer finding ends the run.
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Inputs of -max_len, too big to keep as seed files.
long_seeds() {
	local dir=$1 i
	printf '0%.0s' $(seq 4096) > "$dir/long-zeros"
	printf ',%.0s' $(seq 4096) > "$dir/long-commas"
	{ printf '1G@0x'; printf '0%.0s' $(seq 4090); printf '1'; } > "$dir/long-item"
	for i in $(seq 256); do printf '1G@%dG,' "$i"; done | head -c 4096 > "$dir/long-list"
}

hex() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}

# The wall time since $1 (EPOCHREALTIME), in whole seconds.
elapsed() {
	local now=${EPOCHREALTIME/./} then=${1/./}
	echo $(((now - then + 500000) / 1000000))
}

failed=0
for name in "${names[@]}"; do
	exe=$out/bin/fuzz_$name corpus=$out/corpus/$name art=$out/artifacts/$name
	log=$out/logs/$name.log
	mkdir -p "$corpus" "$art" "$out/logs"
	rm -f "$art"/*

	if ! mk "$exe" > "$out/logs/$name.build.log" 2>&1 || [ ! -x "$exe" ]; then
		echo "not ok - fuzz: $name: could not be built (tests/fuzz/fuzz_$name.c)"
		sed 's/^/# /' "$out/logs/$name.build.log"
		failed=$((failed + 1))
		continue
	fi
	if [ -d "$here/seeds/$name" ]; then
		cp "$here/seeds/$name"/* "$corpus/" 2>/dev/null
	fi
	long_seeds "$corpus"

	start=$EPOCHREALTIME
	(cd "$out" && "$exe" -max_total_time="$secs" -max_len=4096 -timeout=5 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" \
		"$corpus") > "$log" 2>&1
	rc=$?
	took=$(elapsed "$start")

	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	status=$(grep -E '^#[0-9]+.* cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$status")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$status")
	mapfile -t crashes < <(find "$art" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
	n=${#crashes[@]}
	summary="${execs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, $n crash$([ "$n" -eq 1 ] || echo es) (${took}s)"

	if [ "$n" -gt 0 ]; then
		f=${crashes[0]} h=$(hex "${crashes[0]}")
		[ ${#h} -le 128 ] || h="${h:0:128}... ($(stat -c %s "$f") bytes)"
		echo "not ok - fuzz: $name: $summary: input ${h:-(empty)}"
		# What broke, and where in the project's sources.
		grep -m 3 -E 'fuzz invariant broken|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|==[0-9]+==ERROR' \
			"$log" | sed 's/^/# /'
		grep -m 4 -E "^ *#[0-9]+ 0x.* in .* $top/(drivers|include|tests)/" "$log" | sed 's/^ */#   /'
		echo "# input, $(stat -c %s "$f") bytes, hex:"
		{ hex "$f"; echo; } | fold -w 128 | sed 's/^/#   /'
		echo "# reproduce: ${exe#"$top"/} ${f#"$top"/} (log: ${log#"$top"/})"
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ]; then
		echo "not ok - fuzz: $name: $summary: libFuzzer exited $rc"
		tail -n 20 "$log" | sed 's/^/# /'
		failed=$((failed + 1))
	elif [ -z "$execs" ] || [ -z "$cov" ]; then
		echo "not ok - fuzz: $name: libFuzzer printed no final stats (${took}s)"
		tail -n 20 "$log" | sed 's/^/# /'
		failed=$((failed + 1))
	else
		echo "ok - fuzz: $name: $summary"
	fi
done
[ "$failed" -eq 0 ]
