#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch --strict, the Device Tree binding, its examples
# and boards (dt-lint.sh), shellcheck, yamllint, a W=1 build with sparse
# (C=2) against every installed Debian amd64 kernel, every unpacked arm64
# one and the 7.x ones in the Debian 13 build root, and iasl over the test
# SSDTs.
# Any finding fails the run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
status=0

"$top/scripts/checkpatch.sh" || status=1
"$top/scripts/dt-lint.sh" || status=1

# Shellcheck (warnings and errors; .shellcheckrc) over every tracked shell
# script. Files without a shebang are sourced by busybox ash in the test
# VMs: checked as dash, the nearest shell shellcheck knows.
sh_files=0
sh_bad=0
while IFS= read -r f; do
	head -n 1 "$f" | grep -qE '^#!.*(sh|bash)' || case "$f" in *.sh) ;; *) continue ;; esac
	sh_files=$((sh_files + 1))
	if head -n 1 "$f" | grep -q '^#!'; then
		shellcheck -S warning "$f" || sh_bad=$((sh_bad + 1))
	else
		shellcheck -S warning -s dash "$f" || sh_bad=$((sh_bad + 1))
	fi
done < <(git ls-files -co --exclude-standard | grep -vE '\.(c|h|py|rst|md|yaml|txt|csv|png|asl|dts|dtsi|config)$')
if [ $sh_bad -eq 0 ]; then
	echo "shellcheck: $sh_files scripts clean"
else
	echo "shellcheck: $sh_bad of $sh_files scripts FAILED"
	status=1
fi

# yamllint --strict (warnings fail too) over every tracked YAML file.
mapfile -t yaml < <(git ls-files -co --exclude-standard -- '*.yaml' '*.yml')
if yamllint --strict "${yaml[@]}"; then
	echo "yamllint: ${#yaml[@]} files clean"
else
	echo "yamllint: FAILED"
	status=1
fi

# sparse_w1 NAME KDIR [MAKE ARGS...]: C=2 checks every file, W=1 adds the
# extra compiler warnings; any warning or error fails.
sparse_w1() {
	local name=$1 kdir=$2 work=$top/build/lint/$1 rc findings
	shift 2
	rm -rf "$work"
	mkdir -p "$work"
	cp -r Kbuild VERSION drivers include arch "$work/"
	${mk:-make} -s -C "$kdir" M="$work" W=1 C=2 "$@" modules > "$work.log" 2>&1
	rc=$?
	# The kernel's Makefile turns C=2 off with a note when sparse is too old.
	findings=$(grep -E 'warning:|error:|is not available or not up to date' "$work.log")
	if [ $rc -ne 0 ] || [ -n "$findings" ]; then
		echo "sparse/W=1 on $name: FAILED"
		cat "$work.log"
		status=1
	else
		echo "sparse/W=1 on $name: clean"
	fi
}

for kver in $("$top/scripts/kernels.sh"); do
	sparse_w1 "$kver" "/usr/src/linux-headers-$kver"
done
# arm64 builds what amd64 does not: the Device Tree source (CONFIG_OF).
arm64_root=${DAX_KMEM_ARM64_CACHE:-/var/cache/dax_kmem/arm64}/root
for kver in $("$top/scripts/kernels-arm64.sh"); do
	sparse_w1 "arm64/$kver" "$arm64_root/usr/src/linux-headers-$kver" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
done

# 7.x, inside the Debian 13 build root (scripts/trixie-root.sh).
for kver in $("$top/scripts/kernels-trixie.sh" amd64); do
	mk=$top/scripts/trixie-make.sh sparse_w1 "$kver" "/usr/src/linux-headers-$kver"
done
for kver in $("$top/scripts/kernels-trixie.sh" arm64); do
	mk=$top/scripts/trixie-make.sh sparse_w1 "arm64/$kver" "/usr/src/linux-headers-$kver" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
done

# The test SSDTs: iasl must compile them without a warning or remark.
for asl in "$top"/tests/vm/acpi/*.asl "$top"/tests/system/*.asl; do
	[ -e "$asl" ] || continue
	out=$(iasl -p "$top/build/lint/$(basename "$asl" .asl)" "$asl" 2>&1)
	if ! echo "$out" | grep -q 'Compilation successful. 0 Errors, 0 Warnings, 0 Remarks'; then
		echo "iasl ${asl#"$top"/}: FAILED"
		echo "$out"
		status=1
	else
		echo "iasl ${asl#"$top"/}: clean"
	fi
done
exit $status
