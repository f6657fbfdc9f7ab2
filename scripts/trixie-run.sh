#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trixie-run.sh COMMAND [ARGS...]: runs COMMAND inside the Debian 13 build
# root of scripts/trixie-root.sh, for the 7.x kernels whose kbuild tools
# need its C library and gcc-14. The repository is bind-mounted at its own
# path in a private mount namespace, so M=, dkms trees and the headers'
# /usr/src paths mean the same inside and out, and nothing stays mounted
# afterwards. objtool reads /proc.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
root=${DAX_KMEM_TRIXIE_CACHE:-/var/cache/dax_kmem/trixie}/root
[ -x "$root/usr/bin/make" ] || { echo "trixie-run: no build root $root; run 'make deps'" >&2; exit 2; }
mkdir -p "$root$top"
exec unshare -m --propagation private sh -c '
	root=$1 top=$2; shift 2
	mount --bind "$top" "$root$top" && mount -t proc proc "$root/proc" &&
		exec chroot "$root" env -C "$top" "$@"
' trixie-run "$root" "$top" "$@"
