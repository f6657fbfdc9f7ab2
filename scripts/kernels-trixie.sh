#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-trixie.sh amd64|arm64: the 7.x kernels scripts/trixie-root.sh
# unpacked into its Debian 13 build root for that architecture (arm64:
# the 4 KiB and 16 KiB page flavours), that have an image, modules.dep and
# a headers tree, one per line, oldest first; only the newest ABI of each
# flavour. Prints nothing when there is
# no build root. Never hard-codes ABI numbers.
set -u
arch=${1:?usage: kernels-trixie.sh amd64|arm64}
root=${DAX_KMEM_TRIXIE_CACHE:-/var/cache/dax_kmem/trixie}/root
case "$arch" in
amd64) pattern='*-amd64' ;;
arm64) pattern='*-arm64*' ;;
*) echo "kernels-trixie.sh: unknown architecture '$arch'" >&2; exit 2 ;;
esac
[ -x "$root/usr/bin/make" ] || exit 0
for m in "$root"/usr/lib/modules/$pattern; do
	v=${m#"$root"/usr/lib/modules/}
	[ -f "$m/vmlinuz" ] && [ -s "$m/modules.dep" ] || continue
	[ -f "$root/usr/src/linux-headers-$v/Makefile" ] || continue
	echo "$v"
done | sort -V |
	# Only the newest ABI of each flavour (the root keeps an older one
	# until it is rebuilt): the flavour is what follows "+debNN-".
	awk '{ f = $0; sub(/^[^-]*-/, "", f); last[f] = $0 } END { for (f in last) print last[f] }' |
	sort -V
