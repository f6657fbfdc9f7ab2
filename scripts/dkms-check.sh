#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/dkms-check.sh [OUTDIR [DEB]]: DKMS builds and installs the module
# for every installed Debian amd64 kernel (scripts/kernels.sh) the way the
# package's postinst does, from the source DEB ships (default: this tree's,
# as the package would ship it), but in a private tree (--dkmstree, --sourcetree,
# --installtree, a throw-away MOK key), so the host's /var/lib/dkms,
# /lib/modules and MOK are never touched. Prints TAP lines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/dkms}
version=$(cat "$top/VERSION")
name=dax-kmem

if ! command -v dkms >/dev/null; then
	echo "not ok - dkms: dkms is installed (run 'make deps')"
	exit 0
fi
rm -rf "$out"
src=$out/source/$name-$version
mkdir -p "$src" "$out/tree" "$out/install" "$out/key"
if [ -n "${2:-}" ]; then
	dpkg-deb -x "$2" "$out/deb"
	rmdir "$src"
	mv "$out/deb/usr/src/$name-$version" "$src"
else
	(cd "$top" && cp -r Kbuild VERSION drivers include arch "$src/")
	sed "s/#MODULE_VERSION#/$version/" "$top/dkms.conf" > "$src/dkms.conf"
fi

# dkms signs every module it builds; with no key named it would make
# one in /var/lib/dkms. A key of our own keeps that path tested, privately.
export mok_signing_key=$out/key/mok.key mok_certificate=$out/key/mok.der
openssl req -new -x509 -nodes -days 1 -subj "/CN=dax_kmem dkms-check/" \
	-newkey rsa:2048 -keyout "$mok_signing_key" -outform DER \
	-out "$mok_certificate" >/dev/null 2>&1

# dkms_add TREE [RUNNER]: dkms add into the private tree TREE, the host's
# dkms or, with RUNNER scripts/trixie-run.sh, Debian 13's (a tree of each
# dkms's own making: their formats need not agree).
dkms_add() {
	local tree=$1 run=${2:-} who=
	[ -n "$run" ] && who="Debian 13 dkms: "
	trees=(--dkmstree "$tree" --sourcetree "$out/source" --installtree "$out/install")
	mkdir -p "$tree"
	if $run dkms add "${trees[@]}" -m "$name" -v "$version" > "$tree.add.log" 2>&1; then
		echo "ok - dkms: ${who}add $name/$version from a private source tree"
		return 0
	fi
	echo "not ok - dkms: ${who}add $name/$version from a private source tree"
	sed 's/^/# /' "$tree.add.log"
	return 1
}

# dkms_kernel KVER [RUNNER]: build and install as the package's postinst
# would, into the private install tree, then read the module's version
# and signer. Uses the trees of the last dkms_add.
dkms_kernel() {
	local kver=$1 run=${2:-} log=$out/$1.log start rc secs ko info expect
	mkdir -p "$out/install/$kver"
	start=$(date +%s)
	$run dkms build "${trees[@]}" -m "$name" -v "$version" -k "$kver" \
		--kernelsourcedir "/usr/src/linux-headers-$kver" > "$log" 2>&1 &&
	$run dkms install "${trees[@]}" -m "$name" -v "$version" -k "$kver" \
		--kernelsourcedir "/usr/src/linux-headers-$kver" --no-depmod >> "$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	ko=$(find "$out/install/$kver/updates/dkms" -name 'dax_kmem.ko*' 2>/dev/null | head -n 1)
	if [ $rc -eq 0 ] && [ -n "$ko" ]; then
		echo "ok - dkms: $kver: built and installed into updates/dkms (${secs}s)"
	else
		echo "not ok - dkms: $kver: built and installed into updates/dkms (status $rc)"
		tail -n 30 "$log" | sed 's/^/# /'
		find "${trees[1]}/$name/$version/build" -name make.log -exec tail -n 20 {} + 2>/dev/null | sed 's/^/# make.log: /'
		return 0
	fi
	info=$(modinfo -F version "$ko"; modinfo -F signer "$ko")
	expect="$version
dax_kmem dkms-check"
	if [ "$info" = "$expect" ]; then
		echo "ok - dkms: $kver: module version $version, signed with the MOK key"
	else
		echo "not ok - dkms: $kver: module version $version, signed with the MOK key (modinfo says: $(echo "$info" | tr '\n' ' '))"
	fi
}

dkms_add "$out/tree" || exit 0
for kver in $("$top/scripts/kernels.sh"); do
	dkms_kernel "$kver"
done

# A kernel outside BUILD_EXCLUSIVE_KERNEL is skipped, not half-built:
# dkms says so with status 77 (the headers given are only a stand-in).
kver=$("$top/scripts/kernels.sh" | head -n 1)
if [ -n "$kver" ]; then
	dkms build "${trees[@]}" -m "$name" -v "$version" -k 5.10.0-99-amd64 \
		--kernelsourcedir "/usr/src/linux-headers-$kver" > "$out/exclusive.log" 2>&1
	rc=$?
	if [ $rc -eq 77 ] && grep -q BUILD_EXCLUSIVE "$out/exclusive.log"; then
		echo "ok - dkms: a 5.10 kernel is refused by BUILD_EXCLUSIVE_KERNEL"
	else
		echo "not ok - dkms: a 5.10 kernel is refused by BUILD_EXCLUSIVE_KERNEL (status $rc)"
		sed 's/^/# /' "$out/exclusive.log"
	fi
fi
# The 7.x amd64 kernel: its headers' tools need Debian 13's C library, so
# Debian 13's dkms builds there (scripts/trixie-run.sh), as it would on a
# Debian 13 machine with backports. The root sees only this repository.
t64=$("$top/scripts/kernels-trixie.sh" amd64)
if [ -z "$t64" ]; then
	echo "ok - dkms: 7.x # SKIP no Debian 7.x kernel unpacked (make deps)"
elif [ "${out#"$top"/}" = "$out" ]; then
	echo "ok - dkms: 7.x # SKIP $out is outside $top, which the Debian 13 root cannot see"
elif dkms_add "$out/tree-trixie" "$top/scripts/trixie-run.sh"; then
	for kver in $t64; do
		# dkms looks for sign-file under the install tree's build link,
		# which a private tree does not have; a machine's /lib/modules does.
		sign_file=/usr/src/linux-headers-$kver/scripts/sign-file \
			dkms_kernel "$kver" "$top/scripts/trixie-run.sh"
	done
fi
# dkms builds for the machine's own architecture only.
echo "ok - dkms: arm64 # SKIP dkms does not cross-build; arm64 is built by make"
