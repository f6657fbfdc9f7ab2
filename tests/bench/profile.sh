#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/profile.sh [SIZE_GIB] [KVER...]
#
# Where the add, online and remove time goes, per kernel: one VM per kernel
# runs guest-profile.sh (ftrace function_graph on the hot-plug functions
# only) around one dax_kmem add+online+rmmod per memmap placement (booted
# with memory_hotplug.memmap_on_memory=1, which memmap=range needs) and one
# peer cycle, and
# prints the calls and total time per function and phase. Run it alone:
# a second VM on the same host skews the bench's numbers.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
size=${1:-16}
shift
kernels=${*:-$("$top/scripts/kernels.sh")}
for kver in $kernels; do
	dir=$top/build/bench/profile/$kver-${size}G
	mkdir -p "$dir"
	"$top/tests/bench/boot.sh" "$kver" "$top/tests/bench/guest-profile.sh" "$dir" "$size" carve 1 range
	echo "## $kver, $size GiB"
	tr -d '\r' < "$dir/tap.log" | grep '^# profile'
done
