#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prints the Debian arm64 kernel versions unpacked by scripts/arm64-root.sh
# that have both an Image and a usable headers tree, one per line, oldest
# first (the contract of scripts/kernels.sh). Prints nothing when there is
# no root yet. Never hard-codes ABI numbers.
set -u
root=${DAX_KMEM_ARM64_CACHE:-/var/cache/dax_kmem/arm64}/root
for h in "$root"/usr/src/linux-headers-*-arm64; do
	[ -f "$h/Makefile" ] || continue
	v=${h#"$root"/usr/src/linux-headers-}
	[ -f "$root/boot/vmlinuz-$v" ] || continue
	# Usable: the -common include points into the root (not at the host's
	# amd64 tree) and the host tools resolve.
	inc=$(sed -n 's/^include //p' "$h/Makefile" | head -n 1)
	case "$inc" in "$root"/*) ;; *) continue ;; esac
	if [ ! -f "$inc" ] || [ ! -x "$h/scripts/basic/fixdep" ]; then continue; fi
	echo "$v"
done | sort -V
