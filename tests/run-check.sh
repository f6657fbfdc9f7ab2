#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything `make check` runs: host unit tests, make docs and the guide's
# kernel messages, make deb and DKMS builds of its source in a private tree
# (scripts/package-check.sh), then every VM scenario on every installed
# Debian amd64 kernel, every arm64 scenario on every arm64 kernel
# scripts/arm64-root.sh unpacked, both suites on the 7.x kernels of
# scripts/trixie-root.sh and the real-system test (tests/system/) on each
# Debian 12 kernel, side by side (tests/vm/run-jobs.sh). Prints all
# TAP lines, numbered in one sequence, and ends with the one line CI
# reads: N passed, N failed, N skipped.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${VM_OUT:-$top/build/vm}

{
	# libFuzzer over the pure-C parsers, 10 s each (make fuzz runs
	# longer), on the second core while the steps up to the VMs take one.
	mkdir -p "$top/build"
	"$top/tests/fuzz/run.sh" "${FUZZ_CHECK_SECONDS:-10}" > "$top/build/fuzz-check.tap" 2>&1 &
	fuzz_pid=$!
	echo "# host unit tests"
	make -s -C "$top/tests/unit" run 2>&1 | sed -e 's/^ok [0-9]* - /ok - unit: /' \
		-e 's/^not ok [0-9]* - /not ok - unit: /' -e '/^1\.\./d'
	# The admin guide builds without a warning and quotes every message.
	echo "# docs"
	if "$top/scripts/make-docs.sh" > "$top/build/make-docs.log" 2>&1; then
		echo "ok - docs: make docs (sphinx-build -W, rst2man) with no warning"
	else
		echo "not ok - docs: make docs (sphinx-build -W, rst2man) with no warning"
		sed 's/^/# /' "$top/build/make-docs.log"
	fi
	"$top/scripts/kernel-messages.py" check "$top/Documentation/admin-guide/dax_kmem.rst"
	# What a user's machine gets: make deb, and DKMS (a private tree)
	# building the source the package ships.
	echo "# package"
	"$top/scripts/package-check.sh"
	# The VM scenarios, DAX_KMEM_LANES at a time (tests/vm/run-jobs.sh),
	# printed in this order: every x86 scenario on every installed Debian
	# amd64 kernel, every arm64 scenario on every arm64 kernel, then the
	# x86 suite on Debian's newest 7.x amd64 kernel and the arm64 (Device
	# Tree) suite on 7.x arm64 with 4 KiB and 16 KiB pages.
	kvers=$("$top/scripts/kernels.sh")
	a64=$("$top/scripts/kernels-arm64.sh")
	t64=$("$top/scripts/kernels-trixie.sh" amd64)
	ta64=$("$top/scripts/kernels-trixie.sh" arm64)
	[ -n "$kvers" ] || echo "not ok - vm: no Debian amd64 kernel with headers installed and image unpacked"
	# A series whose newest headers have no image unpacked is not tested.
	for kver in $("$top/scripts/kernels.sh" --headers); do
		echo " $kvers " | tr '\n' ' ' | grep -qF " $kver " ||
			echo "not ok - vm: $kver has headers but no unpacked image; run 'make deps'"
	done
	[ -n "$a64" ] || echo "not ok - vm arm64: no Debian arm64 kernel unpacked; run 'make deps'"
	[ -n "$t64$ta64" ] || echo "not ok - vm 7.x: no Debian 7.x kernel unpacked; run 'make deps'"
	# jobs KVERS DIR ARCH [SERIES]: a job per kernel and scenario. With
	# SERIES (7.x), a scenario whose "# check-kernels: bookworm" header
	# keeps it to Debian 12's kernels (the reliability campaign's long
	# cycles, to keep make check in its time) is reported as skipped.
	jobs() {
		local kver scenario
		for kver in $1; do
			for scenario in "$top"/tests/vm/$2/*.sh; do
				[ -f "$scenario" ] || continue
				if [ -n "${4:-}" ] && grep -q '^# check-kernels: bookworm$' "$scenario"; then
					echo "ok - $kver $(basename "$scenario" .sh) # SKIP make check runs it on Debian 12's kernels only (time); tests/vm/run-scenario.sh runs it here" >&3
					continue
				fi
				echo "$kver $scenario $3"
			done
		done
	}
	# The VMs start as soon as the package is built, while the fuzzers
	# still run (a core idle for a minute otherwise); their output is
	# spooled and follows the fuzzers'.
	vm_tap=$(mktemp)
	{
		jobs "$kvers" scenarios ""
		jobs "$a64" scenarios-arm64 arm64
		jobs "$t64" scenarios "" 7.x
		jobs "$ta64" scenarios-arm64 arm64 7.x
		# The real-system test (a Debian 12 image with systemd and udev
		# installs the .deb of the package step, reboots, purges) on each
		# Debian 12 kernel: the longest jobs, so they start first.
		for kver in $kvers; do
			echo "first system $kver"
		done
		# Benchmark smoke run: one 1 GiB round of every method, into a
		# temporary folder (make bench writes the real results). On the
		# newest Debian 12 kernel only: make check has little time to
		# spare, and make bench measures every kernel. In a lane of its
		# own, next after a system test.
		echo "first bench $("$top/scripts/kernels.sh" | tail -n 1)"
	} | "$top/tests/vm/run-jobs.sh" "$out" > "$vm_tap" 2>&1 &
	vm_pid=$!
	echo "# fuzz (run beside the steps above)"
	wait $fuzz_pid || echo "not ok - fuzz: tests/fuzz/run.sh exited with $?"
	cat "$top/build/fuzz-check.tap"
	tail -n +1 -f --pid=$vm_pid "$vm_tap"
	rm -f "$vm_tap"
} 3>&1 | "$top/tests/tap-summary.sh"
