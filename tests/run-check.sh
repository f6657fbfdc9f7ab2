#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything `make check` runs: host unit tests, make docs and the guide's
# kernel messages, make deb and DKMS builds
# of its source in a private tree (scripts/package-check.sh), then every VM scenario on
# every installed Debian amd64 kernel, then every arm64 scenario on every
# arm64 kernel scripts/arm64-root.sh unpacked, then both suites on the 7.x
# kernels of scripts/trixie-root.sh. Prints all TAP lines,
# numbered in one sequence, and ends with the one line CI reads:
# N passed, N failed, N skipped.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${VM_OUT:-$top/build/vm}

{
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
	kvers=$("$top/scripts/kernels.sh")
	[ -n "$kvers" ] || echo "not ok - vm: no Debian amd64 kernel with image and headers installed"
	for kver in $kvers; do
		for scenario in "$top"/tests/vm/scenarios/*.sh; do
			echo "# $kver $(basename "$scenario" .sh)"
			"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out"
		done
	done
	# arm64 after x86, so the x86 part reads as it always did.
	kvers=$("$top/scripts/kernels-arm64.sh")
	[ -n "$kvers" ] || echo "not ok - vm arm64: no Debian arm64 kernel unpacked; run 'make deps'"
	for kver in $kvers; do
		for scenario in "$top"/tests/vm/scenarios-arm64/*.sh; do
			[ -f "$scenario" ] || continue
			echo "# arm64 $kver $(basename "$scenario" .sh)"
			"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out" arm64
		done
	done
	# Debian's newest 7.x (scripts/trixie-root.sh): the x86 suite on amd64,
	# the arm64 (Device Tree) suite on arm64 with 4 KiB and 16 KiB pages.
	t64=$("$top/scripts/kernels-trixie.sh" amd64)
	ta64=$("$top/scripts/kernels-trixie.sh" arm64)
	[ -n "$t64$ta64" ] || echo "not ok - vm 7.x: no Debian 7.x kernel unpacked; run 'make deps'"
	for kver in $t64; do
		for scenario in "$top"/tests/vm/scenarios/*.sh; do
			echo "# $kver $(basename "$scenario" .sh)"
			"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out"
		done
	done
	for kver in $ta64; do
		for scenario in "$top"/tests/vm/scenarios-arm64/*.sh; do
			[ -f "$scenario" ] || continue
			echo "# arm64 $kver $(basename "$scenario" .sh)"
			"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out" arm64
		done
	done
	# Benchmark smoke run: one 1 GiB round of every method on every amd64
	# kernel, into a temporary folder (make bench writes the real results).
	echo "# bench smoke"
	"$top/tests/bench/run.sh" --smoke
} | "$top/tests/tap-summary.sh"
