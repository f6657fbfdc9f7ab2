# SPDX-License-Identifier: GPL-2.0
# Reference: node 1 is ordinary boot RAM. The kernel initialises most of its
# struct pages after boot in a per-node thread (DEFERRED_STRUCT_PAGE_INIT)
# and logs "node 1 deferred pages initialised in N ms". The part memmap_init
# does early (first pages of each zone) is not timed by the kernel, so the
# figure is a slight lower bound. One boot per run.
. /tests/bench-common.sh

line=$(dmesg | grep -m1 'node 1 deferred pages initialised')
echo "# $line" >&3
ms=$(echo "$line" | sed -n 's/.*initialised in \([0-9]*\)ms.*/\1/p')
t=$( [ -n "$ms" ] && awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')
result "method=reference run=1 add_online_s=$t usable_kib=$(node_memtotal_kb 1)" \
	"node1_kib=$((SIZE_GIB * 1048576)) dram_kib=0"
