#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Device Tree lint: the binding passes dt-doc-validate and its examples
# dt-validate; every board under
# dts/ compiles with dtc without a single warning and passes dt-validate.
# dt-validate reports problems but exits 0, so any output is a failure.
# Fragments (*.dtsi, merged into QEMU's tree by tests/vm/boot-arm64.sh) are
# compiled inside a minimal root and validated against our binding only:
# QEMU's own nodes are not ours to lint.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/dt-lint
rm -rf "$work"
mkdir -p "$work"
status=0
bindings=$top/Documentation/devicetree/bindings

fail() { echo "dt-lint: $*"; status=1; }

for yaml in $(find "$bindings" -name '*.yaml' | sort); do
	out=$(dt-doc-validate -u "$bindings" "$yaml" 2>&1) || fail "${yaml#"$top"/}: dt-doc-validate failed"
	[ -z "$out" ] || fail "${yaml#"$top"/}: $out"
done

if ! dt-mk-schema -j "$bindings" > "$work/schema.json" 2> "$work/schema.log"; then
	fail "dt-mk-schema failed: $(tail -n 3 "$work/schema.log")"
fi

# validate DTB [LIMIT]: dtc warnings and dt-validate findings both fail.
validate() {
	local dtb=$1 limit=${2:-} out
	if [ -n "$limit" ]; then
		out=$(dt-validate -s "$work/schema.json" -l "$limit" "$dtb" 2>&1)
	else
		out=$(dt-validate -s "$work/schema.json" "$dtb" 2>&1)
	fi
	[ -z "$out" ] || fail "$out"
}

# Each binding's own examples, as the kernel's dt_binding_check does:
# extracted, compiled and validated against every schema.
for yaml in $(find "$bindings" -name '*.yaml' | sort); do
	grep -q '^examples:' "$yaml" || continue
	name=$(basename "$yaml" .yaml)
	dt-extract-example "$yaml" > "$work/$name.example.dts"
	if ! dtc -I dts -O dtb -o "$work/$name.example.dtb" "$work/$name.example.dts" \
		2> "$work/$name.example.dtc.log"; then
		fail "${yaml#"$top"/}: its example does not compile: $(cat "$work/$name.example.dtc.log")"
		continue
	fi
	[ -s "$work/$name.example.dtc.log" ] &&
		fail "${yaml#"$top"/}: dtc warnings in its example: $(cat "$work/$name.example.dtc.log")"
	validate "$work/$name.example.dtb"
done

count=0
for src in "$top"/dts/*.dts "$top"/dts/*.dtsi; do
	[ -e "$src" ] || continue
	name=$(basename "$src")
	count=$((count + 1))
	if [ "${src%.dtsi}" != "$src" ]; then
		{
			echo "/dts-v1/;"
			echo "/ { #address-cells = <2>; #size-cells = <2>; };"
			echo "/include/ \"$src\""
		} > "$work/$name.dts"
		in=$work/$name.dts
		limit=dax-kmem
	else
		in=$src
		limit=
	fi
	if ! dtc -I dts -O dtb -o "$work/$name.dtb" "$in" 2> "$work/$name.dtc.log"; then
		fail "dts/$name: dtc failed: $(cat "$work/$name.dtc.log")"
		continue
	fi
	[ -s "$work/$name.dtc.log" ] && fail "dts/$name: dtc warnings: $(cat "$work/$name.dtc.log")"
	validate "$work/$name.dtb" "$limit"
done

if [ $status -eq 0 ]; then
	echo "dt-lint: binding, its examples and $count dts/ files clean (dtc, dt-doc-validate, dt-validate)"
fi
exit $status
