# SPDX-License-Identifier: GPL-2.0
# Helpers for scenarios running inside the test VM. TAP goes to fd 3.

KO=/lib/modules/dax_kmem.ko
DRV=/sys/bus/platform/drivers/dax_kmem
# shellcheck disable=SC2034 # for the scenarios
FWDRV=/sys/bus/platform/drivers/dax_kmem_fw
DEVS=/sys/bus/platform/devices

ok() { echo "ok - $*" >&3; }
not_ok() { echo "not ok - $*" >&3; }
skip() { echo "ok - $1 # SKIP $2" >&3; }
diag() { echo "# $*" >&3; }

# check NAME COMMAND...: one case, passed when COMMAND succeeds. Both
# return false on a failed case, for figures that count only what passed.
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; return 1; fi
}

# expect_eq NAME GOT WANT: equality with both values in the failure line.
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; return 1; fi
}

meminfo_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
node_meminfo_kb() {
	awk -v k="$2:" '$3 == k { print $4 }' /sys/devices/system/node/node$1/meminfo
}
# A node with no memory and no CPU has no sysfs directory: that is 0 kB.
node_memtotal_kb() {
	if [ -e /sys/devices/system/node/node$1/meminfo ]; then
		node_meminfo_kb "$1" MemTotal
	else
		echo 0
	fi
}

# Boot-state fingerprint: must be identical before load and after unload.
fingerprint() {
	echo "MemTotal=$(meminfo_kb MemTotal) node1=$(node_memtotal_kb 1) node2=$(node_memtotal_kb 2) has_memory=$(cat /sys/devices/system/node/has_memory)"
	md5sum < /proc/iomem
	set -- /sys/devices/system/memory/memory*
	echo $#
}

# dax_kmem devices made by SOURCE (all when empty).
# shellcheck disable=SC2120 # scenarios pass it
devices_of() {
	for d in "$DEVS"/dax_kmem.*; do
		[ -e "$d/source" ] || continue
		if [ -z "$1" ] || [ "$(cat "$d/source")" = "$1" ]; then
			basename "$d"
		fi
	done
}

attr() { cat "$DEVS/$1/$2"; }

# Every block listed in DEV's memory_blocks is online in ZONE_MOVABLE.
blocks_online_movable() {
	blocks=$(attr "$1" memory_blocks)
	[ -n "$blocks" ] || return 1
	first=${blocks%-*}
	last=${blocks#*-}
	i=$first
	while [ "$i" -le "$last" ]; do
		b=/sys/devices/system/memory/memory$i
		[ "$(cat $b/state)" = online ] || return 1
		[ "$(cat $b/valid_zones)" = Movable ] || return 1
		i=$((i + 1))
	done
}

# in_flight: is a range's worker busy (adding, changing, removing), or
# will it be? Sets busy to "NAME STATE" for the first such range. A range
# whose device is gone shows in the driver's orphans file instead.
# Shell builtins only, no cat, awk or $(...): settle polls this every
# 20 ms on a one-vCPU guest, and each fork and exec under TCG takes the
# CPU from the very worker being waited for (a 4 GiB add, memmap on the
# range, took 2.10 s polled with them, 1.58 s without, on 6.12).
# Its variables are local: it runs in the caller's shell now, and a
# scenario's $d or $state must survive it.
in_flight() {
	local dev st name ost
	for dev in "$DEVS"/dax_kmem.*; do
		[ -e "$dev/state" ] || continue
		read -r st < "$dev/state" || continue
		case "$st" in
		adding | changing | removing) busy="${dev##*/} $st"; return 0 ;;
		esac
	done
	[ -r "$DRV/orphans" ] || return 1
	while read -r name _ _ ost _; do
		[ -n "$name" ] && [ "$ost" != remove-failed ] || continue
		busy="$name $ost (orphan)"
		return 0
	done < "$DRV/orphans"
	return 1
}
# nap SECONDS (fractions too): a sleep without a fork, as read times out
# on a FIFO nobody writes. busybox's usleep and sleep are programs, and a
# fork needs memory that a node drained by an offline does not have
# (remove-busy waits in a single nap for that reason).
NAP_FIFO=/tmp/.dax_kmem-nap
# Made now: the first nap may come when a fork would not get memory.
[ -p "$NAP_FIFO" ] || mkfifo "$NAP_FIFO" 2>/dev/null
nap() {
	# shellcheck disable=SC3045 # busybox ash's read has -t, with fractions
	read -r -t "$1" _ <> "$NAP_FIFO"
	return 0
}
# settle [SECONDS]: waits until no range is in flight, the way the admin
# guide tells scripts to (poll the state files); fails after SECONDS
# (default $SETTLE_S, or 120) with the range still in flight named.
# shellcheck disable=SC2120 # scenarios pass it
settle() {
	local settle_s=${1:-${SETTLE_S:-120}} up settle_end
	read -r up _ < /proc/uptime
	settle_end=$(( ${up%%.*} + settle_s ))
	while in_flight; do
		read -r up _ < /proc/uptime
		if [ "${up%%.*}" -ge "$settle_end" ]; then
			diag "settle: ${busy%% *} still ${busy#* } after $settle_s s"
			return 1
		fi
		# Not nap: polled without a fork, settle saw "absent" while the
		# worker still held the range, and a size write right after it
		# was refused as busy (resize on 6.12); see the closing note.
		usleep 20000
	done
}

# load ARGS...: insmod with a deadline, then waits for every range to
# settle; returns insmod's status.
load() {
	timeout 120 insmod "$KO" "$@"
	load_rc=$?
	settle
	return $load_rc
}
# unload: rmmod with a deadline, as removal may wait on migration.
unload() { timeout -s INT 120 rmmod dax_kmem; }
loaded() { [ -d /sys/module/dax_kmem ]; }

# Load a Debian kernel module shipped into the initramfs with its deps.
load_kmod() {
	while read -r ko; do
		insmod "$ko" 2>/dev/null || true
	done < "/lib/modules/extra/$1.order"
	[ -d "/sys/module/$(echo "$1" | tr - _)" ]
}

dmesg_since_mark() { dmesg | sed -n "/dax_kmem-test-mark $1\$/,\$p"; }
mark() { echo "dax_kmem-test-mark $1" > /dev/kmsg; }

# kernel_between A B: is the running kernel's version at least A and below
# B (MAJOR.MINOR each)? For expectations about how upstream kernels of a
# series behave: a fact from uname, never from the module's own log.
kernel_between() {
	awk -v r="$(uname -r)" -v a="$1" -v b="$2" 'function v(s,  p) {
		split(s, p, /[.-]/); return p[1] * 1000 + p[2] }
		BEGIN { exit !(v(r) >= v(a) && v(r) < v(b)) }'
}

# The device whose (root-only) range attribute reads START-END.
dev_by_range() {
	for d in $(devices_of); do
		[ "$(attr "$d" range)" = "$1" ] && echo "$d"
	done
}

# expect_refused NAME DEV ERRNO PATTERN: refused, precise errno, and a
# dmesg line from the driver that says why.
expect_refused() {
	if [ -z "$2" ]; then
		not_ok "$1 (no device)"
		return
	fi
	expect_eq "$1: state" "$(attr "$2" state)" refused
	expect_eq "$1: errno" "$(attr "$2" last_error)" "$3"
	if dmesg | grep "dax_kmem $2:" | grep -q "$4"; then
		ok "$1: dmesg says '$4'"
	else
		not_ok "$1: dmesg says '$4'"
		dmesg | grep "dax_kmem $2" | sed 's/^/# /' >&3
	fi
}

# What udev does at boot: load a module for every device's modalias.
coldplug_modaliases() {
	for alias in $(cat /sys/bus/platform/devices/*/modalias 2>/dev/null | sort -u); do
		modprobe -q "$alias" 2>/dev/null
	done
	settle
}

# write_then_settle FILE VALUE: asks by writing, then waits for every
# range to settle; returns the write's status (the outcome is in state
# and last_error).
write_then_settle() {
	echo "$2" > "$1" 2>/dev/null
	write_rc=$?
	settle
	return $write_rc
}
# bind DEV / unbind DEV: through the driver's sysfs files.
bind() { write_then_settle "$DRV/bind" "$1"; }
unbind() { write_then_settle "$DRV/unbind" "$1"; }
# set_online_type DEV TYPE
set_online_type() { write_then_settle "$DEVS/$1/online_type" "$2"; }

# A range held twice would show on two devices that are not refused.
duplicate_ranges() {
	for d in $(devices_of); do
		[ "$(attr "$d" state)" = refused ] || attr "$d" range
	done | sort | uniq -d
}

# Demo views (make demo), written to the TAP channel as plain text.
say() { echo "$*" >&3; }

# timed COMMAND...: runs it, then says how long it took and the driver's
# log lines.
timed() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$@"
	t1=$(cut -d' ' -f1 /proc/uptime)
	say "(took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s under TCG; module loaded: $(loaded && echo yes || echo no))"
	dmesg | grep 'dax_kmem dax_kmem' | sed 's/^/    /' >&3
}

# demo_show TITLE IOMEM_PATTERN: memory, node 1, iomem lines, tiers.
demo_show() {
	say "--- $1"
	say "MemTotal:           $(meminfo_kb MemTotal) kB"
	if [ -e /sys/devices/system/node/node1/meminfo ]; then
		grep -E 'MemTotal|MemFree' /sys/devices/system/node/node1/meminfo >&3
	else
		say "node 1:             possible, no memory (no sysfs node yet)"
	fi
	say "nodes with memory:  $(cat /sys/devices/system/node/has_memory)"
	say "/proc/iomem around node 1:"
	grep -iE "$2" /proc/iomem | sed 's/^/    /' >&3
	say "memory tiers:"
	for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
		[ -e "$t/nodelist" ] && say "    $(basename "$t"): nodes $(cat "$t/nodelist")"
	done
}

# demo_device DEV: the range device's sysfs and its blocks' zones.
demo_device() {
	say "device $1 sysfs:"
	for a in source node state memory_blocks added_bytes alignment_loss_bytes range added_range; do
		say "    $a: $(cat "$DEVS/$1/$a")"
	done
	blocks=$(attr "$1" memory_blocks)
	i=${blocks%-*}
	zones=
	while [ "$i" -le "${blocks#*-}" ]; do
		zones="$zones $(cat /sys/devices/system/memory/memory$i/valid_zones)"
		i=$((i + 1))
	done
	say "zones of its blocks: $(echo "$zones" | tr ' ' '\n' | grep . | sort | uniq -c | tr -s ' ')"
}

# managed kB of ZONE on NODE, from /proc/zoneinfo (0 if absent).
zone_managed_kb() {
	awk -v node="$1" -v zone="$2" '
		$1 == "Node" { cur = ($2 == node "," && $4 == zone) }
		cur && $1 == "managed" { print $2 * 4; found = 1; exit }
		END { if (!found) print 0 }' /proc/zoneinfo
}

# Every block of DEV is in STATE ("offline") or online in ZONE.
blocks_all() {
	blocks=$(attr "$1" memory_blocks)
	[ -n "$blocks" ] || return 1
	i=${blocks%-*}
	while [ "$i" -le "${blocks#*-}" ]; do
		b=/sys/devices/system/memory/memory$i
		if [ "$2" = offline ]; then
			[ "$(cat $b/state)" = offline ] || return 1
		else
			[ "$(cat $b/state)" = online ] && [ "$(cat $b/valid_zones)" = "$2" ] || return 1
		fi
		i=$((i + 1))
	done
}

# The memory tier a node is in ("" if none), from memory_tiering.
tier_of_node() {
	for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
		[ -e "$t/nodelist" ] || continue
		if awk -v n="$1" -F, '{ for (i = 1; i <= NF; i++) { split($i, r, "-");
			hi = (r[2] == "" ? r[1] : r[2]); if (n >= r[1] && n <= hi) found = 1 } }
			END { exit !found }' "$t/nodelist"; then
			basename "$t"
		fi
	done
}

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# Node 0's free memory including the pages parked on per-CPU lists, which
# MemFree leaves out: allocations refill and drain those lists in batches,
# so MemFree alone swings by several MiB around any step (seen: 3.7 MiB).
node0_free_kb() {
	pcp=$(awk '$1 == "Node" { node = $2 } node == "0," && $1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)
	echo $(($(node_meminfo_kb 0 MemFree) + pcp * 4))
}

# write_status FILE VALUE: "ok", or the error the shell reports for the
# write ("Invalid argument"). busybox's echo names the error; its printf
# fails silently.
# With NO_NEWLINE=1 the value goes without its newline (echo -n).
write_status() {
	if [ "${NO_NEWLINE:-}" = 1 ]; then
		set -- "$1" "$2" "echo -n"
	else
		set -- "$1" "$2" echo
	fi
	# shellcheck disable=SC2086 # the writer is a command and its argument
	if out=$(sh -c '$3 "$1" > "$2"' _ "$2" "$1" "$3" 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}
# page_flags ADDR: the flags of the page holding ADDR, /proc/kpageflags.
page_flags() {
	page_bytes=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
	od -A n -t u8 -j $(( $1 / page_bytes * 8 )) -N 8 /proc/kpageflags | tr -d ' '
}
# poisoned ADDR: marked HWPOISON (bit 19) and on no LRU (bit 5).
poisoned() {
	f=$(page_flags "$1")
	[ $(( (f >> 19) & 1 )) -eq 1 ] && [ $(( (f >> 5) & 1 )) -eq 0 ]
}
# all_poisoned ADDR...: each is poisoned; names the first that is not.
all_poisoned() {
	for a in "$@"; do
		poisoned "$a" || { diag "page $a flags $(page_flags "$a")"; return 1; }
	done
}
