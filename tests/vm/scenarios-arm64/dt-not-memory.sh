# SPDX-License-Identifier: GPL-2.0
# ranges= on arm64 against firmware's own map of memory, the Device Tree:
# a span inside a /memory node that mem=1G hides is accepted; a span with
# any part outside every /memory and /reserved-memory reg is refused
# (-EINVAL), unless allow_undescribed=1 (accepted, kernel tainted); the
# PCIe host bridge's windows are refused (-EBUSY) either way, and so is a
# range beyond what memory hotplug can add (-ERANGE, quickly).
# QEMU's /memory nodes: 1 GiB each at 0x40000000 (node 0), 0x80000000
# (node 1) and 0xc0000000 (node 2); nothing is behind 0x100000000 up to
# the PCIe windows. No two items overlap: whichever probes first, each
# refusal is its own.
# timeout: 900

# Main's asynchronous core provides settle; here every probe is done on return.
command -v settle >/dev/null 2>&1 || settle() { :; }

SZ_256M=$((0x10000000))
hex() { printf '%#x' "$1"; }
dev_256m_at() { dev_by_range "$(hex "$1")-$(hex $(($1 + SZ_256M - 1)))"; }
tainted_user() { [ $(($(cat /proc/sys/kernel/tainted) & 64)) -ne 0 ]; }
not_tainted_user() { ! tainted_user; }

# The top-level windows of the PCIe host bridge (pcie@...), from
# /proc/iomem, one "START END" per line (decimal).
pcie_windows() {
	grep -E '^[0-9a-f]+-[0-9a-f]+ : pcie@[0-9a-f]+$' /proc/iomem |
	while IFS='- ' read -r s e _; do echo "$((0x$s)) $((0x$e))"; done
}
# The highest block-aligned 256 MiB inside window "START END", if any.
span_in() {
	set -- $1
	top=$((($2 + 1) & ~(SZ_256M - 1)))
	[ $((top - SZ_256M)) -ge "$1" ] && echo $((top - SZ_256M))
}

boot=$(fingerprint)
check "the kernel is not tainted by the user at boot" not_tainted_user
w_low=$(pcie_windows | head -n 1)
w_high=$(pcie_windows | sed -n 2p)
low=$(span_in "$w_low")
high=$(span_in "$w_high")
hexes() { for v in $1; do printf '%#x ' "$v"; done; }
diag "PCIe windows: $(hexes "$w_low")and $(hexes "$w_high")(ranges at $(hex "${low:-0}") and $(hex "${high:-0}"))"
both_windows() { [ -n "$low" ] && [ -n "$high" ]; }
check "the PCIe host bridge has two windows in /proc/iomem" both_windows

items="256M@0x80000000:1"		# /memory@80000000, hidden by mem=1G
items="$items,256M@0xf8000000:2"	# runs past /memory@c0000000's end
items="$items,256M@0x200000000:2"	# described by nothing
items="$items,256M@$(hex "$low"):1"	# PCIe window below 4 GiB
items="$items,256M@$(hex "$high"):2"	# PCIe window at 512 GiB
load ranges="$items"
expect_eq "load with refused items succeeds" "$?" 0
settle

d=$(dev_by_range 0x80000000-0x8fffffff)
expect_eq "inside a /memory node hidden by mem=: online on node 1" \
	"$(attr "$d" state) $(attr "$d" node)" "online 1"
expect_eq "inside a /memory node hidden by mem=: 256 MiB on node 1" \
	"$(node_memtotal_kb 1)" $((256 * 1024))
expect_refused "running past the last /memory node" \
	"$(dev_by_range 0xf8000000-0x107ffffff)" -22 \
	"not memory in Device Tree /memory or /reserved-memory, which leaves out .mem 0x100000000-0x107ffffff.; check the range"
expect_refused "in no /memory or /reserved-memory node" "$(dev_256m_at 0x200000000)" -22 \
	"not memory in Device Tree /memory or /reserved-memory, which leaves out .mem 0x200000000-0x20fffffff.; check the range, or load with allow_undescribed=1"
# Below the first RAM, where 7.x also ends the range memory hotplug can
# add (checked first, -ERANGE); 6.x lets hotplug start at 0, and the
# window itself refuses it (-EBUSY). The series says which to expect.
set -- $w_low
d=$(dev_256m_at "$low")
if ! kernel_between 6.0 7.0; then
	expect_refused "PCIe window below 4 GiB, below what hotplug can add" "$d" -34 \
		"outside the range memory hotplug can add here, .mem 0x[0-9a-f]*-0x[0-9a-f]*.; check the range"
else
	expect_refused "PCIe window below 4 GiB" "$d" -16 \
		"overlaps .mem $(hex "$1")-$(hex "$2")[ a-z0-9]*., .*; leave it out of the range"
fi
set -- $w_high
expect_refused "PCIe window at 512 GiB" "$(dev_256m_at "$high")" -16 \
	"overlaps .mem $(hex "$1")-$(hex "$2")[ a-z0-9]*., .*; leave it out of the range"
expect_eq "refused ranges left no trace in iomem" "$(grep -c 'dax_kmem' /proc/iomem)" 1
check "no user taint without allow_undescribed" not_tainted_user
unload
settle
expect_eq "rmmod returns the board to its boot state" "$(fingerprint)" "$boot"

# Offline: nothing is behind the span, no page of it may ever be touched.
# The window at 512 GiB: inside what hotplug can add on every kernel.
load ranges="256M@0x200000000:2,256M@$(hex "$high"):2" allow_undescribed=1 online_type=offline
expect_eq "allow_undescribed=1: load succeeds" "$?" 0
settle
d=$(dev_256m_at 0x200000000)
expect_eq "allow_undescribed=1: undescribed span accepted (added offline)" "$(attr "$d" state)" offline
check "allow_undescribed=1: the kernel is tainted (U, bit 6)" tainted_user
if dmesg | grep "dax_kmem $d:" | grep -q "which leaves out .mem 0x200000000-0x20fffffff.; accepted as allow_undescribed=1 asks, kernel tainted"; then
	ok "allow_undescribed=1: dmesg warns about the span"
else
	not_ok "allow_undescribed=1: dmesg warns about the span"
fi
expect_refused "allow_undescribed=1: a PCIe window is still refused" "$(dev_256m_at "$high")" -16 \
	"leave it out of the range"
unload
settle
expect_eq "allow_undescribed=1: rmmod returns the board to its boot state" "$(fingerprint)" "$boot"

# Last: without memcheck this load spins through 2^35 sections.
t0=$(cut -d' ' -f1 /proc/uptime)
load ranges=0x4000000000000000@0x4000000000000000:0
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
settle
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
diag "insmod of the 4 EiB range took $secs s"
expect_eq "4 EiB range: load succeeds" "$rc" 0
check "4 EiB range: insmod returns within 5 s ($secs s)" \
	awk -v s="$secs" 'BEGIN { exit !(s < 5) }'
expect_refused "4 EiB range: beyond the pluggable range" \
	"$(dev_by_range 0x4000000000000000-0x7fffffffffffffff)" -34 \
	"outside the range memory hotplug can add here"
unload
settle
expect_eq "4 EiB range: rmmod returns the board to its boot state" "$(fingerprint)" "$boot"
