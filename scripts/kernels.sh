#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels.sh [--headers]: prints the Debian amd64 kernel versions the build
# and the VM scenarios use, one per line, oldest first: of every series
# (6.1, 6.12) whose headers are installed, the newest ABI, if
# scripts/amd64-root.sh unpacked its image. With --headers, whether
# unpacked or not (what amd64-root.sh should unpack). Never hard-codes ABI
# numbers.
root=${DAX_KMEM_AMD64_CACHE:-/var/cache/dax_kmem/amd64}/root
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] || continue
	v=${h#/usr/src/linux-headers-}
	# The generic flavour only (6.1.0-57-amd64, 6.12.117+deb12-amd64),
	# not -cloud-amd64 or -rt-amd64.
	echo "$v" | grep -qE '^[0-9]+\.[0-9]+(\.[0-9]+-[0-9]+|\.[0-9]+\+deb[0-9]+)-amd64$' || continue
	echo "$(echo "$v" | cut -d. -f1-2) $v"
done | sort -V | awk '{ newest[$1] = $2 } END { for (s in newest) print newest[s] }' |
sort -V | while read -r v; do
	if [ "${1:-}" = --headers ] || [ -f "$root/boot/vmlinuz-$v" ]; then
		echo "$v"
	fi
done
