# SPDX-License-Identifier: GPL-2.0
# One scale run (tests/bench/scale.sh): SIZE_GIB GiB from 4 GiB up, given
# to one insmod as SIZE_GIB / RANGE_GIB ranges= items over HOT_NODES nodes
# (the node of each from SRAT), memmap in VARIANT; then rmmod, which
# removes them all. Times come from the kernel's clock:
#   load_s        insmod's return (how long module load is held)
#   first_gib_s   until 1 GiB is online: online_pages() calls
#                 kcompactd_run() once per block it onlined, at its end
#                 and only on success (a refused auto-online does not get
#                 there), so with the ftrace function tracer on that one
#                 function the k-th call marks the first GiB (6.1 cannot
#                 trace init_per_zone_wmark_min(), next to it); empty
#                 when it cannot be traced
#   all_online_s  until the last range's "added" line
#   remove_s      rmmod's return, every range removed
# and, per range, the median gap between consecutive "added" lines.
. /tests/bench-common.sh

T=/sys/kernel/tracing
nranges=$((SIZE_GIB / RANGE_GIB))
block_bytes=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
auto=$(cat /sys/devices/system/memory/auto_online_blocks 2>/dev/null)
diag "scale: $SIZE_GIB GiB as $nranges ranges of $RANGE_GIB GiB on $HOT_NODES nodes, memmap in $VARIANT, blocks of $((block_bytes >> 20)) MiB, auto_online_blocks=$auto, kernel $(uname -r)"

ranges=
i=0
while [ $i -lt $nranges ]; do
	ranges="$ranges${ranges:+,}${RANGE_GIB}G@$((4 + i * RANGE_GIB))G"
	i=$((i + 1))
done

mount -t tracefs nodev $T 2>/dev/null
traced=no
if echo kcompactd_run > $T/set_ftrace_filter 2>/dev/null &&
	echo function > $T/current_tracer 2>/dev/null; then
	echo 4096 > $T/buffer_size_kb
	echo > $T/trace
	traced=yes
fi

# Every node's blocks that are online, and MemTotal over the hot nodes.
hot_online_blocks() {
	local n=1 sum=0
	while [ $n -le "$HOT_NODES" ]; do
		for b in /sys/devices/system/node/node$n/memory*; do
			[ "$(cat "$b/state" 2>/dev/null)" = online ] && sum=$((sum + 1))
		done
		n=$((n + 1))
	done
	echo $sum
}
hot_memtotal_kb() {
	local n=1 sum=0
	while [ $n -le "$HOT_NODES" ]; do
		sum=$((sum + $(node_memtotal_kb $n)))
		n=$((n + 1))
	done
	echo $sum
}
# Timestamps (s) of the "added" lines since mark $1, one a line.
added_stamps() { dmesg_since_mark "$1" | grep -- "$ADDED" | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }

memmap_arg=
[ "$VARIANT" = range ] && memmap_arg=memmap=range
drop_caches
free0=$(node0_free_kb)
total0=$(hot_memtotal_kb)
mark scale-load
# The trace's clock is not dmesg's: the first GiB is timed from this.
[ $traced = yes ] && echo scale-load > $T/trace_marker
# shellcheck disable=SC2086
timeout 300 insmod "$KO" claim=legacy-pmem "ranges=$ranges" $memmap_arg
rc=$?
mark scale-ret
t0=$(mark_ts scale-load)
load_s=$(secs "$t0" "$(mark_ts scale-ret)")
# settle's deadline: the worker takes a few s per 64 GiB under TCG.
settle $((120 + SIZE_GIB))
stamps=$(added_stamps scale-load)
nadded=$(echo "$stamps" | grep -c .)
last=$(echo "$stamps" | tail -n 1)
all_s=$(secs "$t0" "$last")
per_range_ms=$(echo "$stamps" | awk 'NR > 1 { printf "%.3f\n", ($1 - p) * 1000 } { p = $1 }' |
	sort -n | awk '{ d[NR] = $1 }
	END { if (NR) printf "%.1f", NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2 }')
first_range_s=$(secs "$t0" "$(echo "$stamps" | head -n 1)")
first_gib_s=
onlines=0
if [ $traced = yes ]; then
	echo 0 > $T/tracing_on
	onlines=$(grep -c 'kcompactd_run' $T/trace)
	k=$(( (1 << 30) / block_bytes ))
	[ $k -ge 1 ] || k=1
	ts=$(grep 'kcompactd_run' $T/trace | sed -n "${k}p" | sed 's/.* \([0-9.]*\): .*/\1/')
	ts0=$(grep -m1 'scale-load' $T/trace | sed 's/.* \([0-9.]*\): .*/\1/')
	[ -n "$ts" ] && [ -n "$ts0" ] && first_gib_s=$(secs "$ts0" "$ts")
	echo nop > $T/current_tracer
fi
drop_caches
free1=$(node0_free_kb)
total1=$(hot_memtotal_kb)
blocks=$(hot_online_blocks)
want_blocks=$(( (SIZE_GIB << 30) / block_bytes ))

mark scale-rm
unload
rrc=$?
mark scale-rm-ret
remove_s=$(secs "$(mark_ts scale-rm)" "$(mark_ts scale-rm-ret)")
left_blocks=$(hot_online_blocks)
left_kib=$(hot_memtotal_kb)

result "method=scale-$VARIANT run=1 rc=$rc nodes=$HOT_NODES ranges=$nranges" \
	"added=$nadded block_bytes=$block_bytes auto_online=$auto" \
	"load_s=$load_s first_gib_s=$first_gib_s first_range_s=$first_range_s" \
	"add_online_s=$all_s per_range_ms=$per_range_ms onlines_traced=$onlines" \
	"online_blocks=$blocks want_blocks=$want_blocks" \
	"dram_kib=$((free0 - free1)) usable_kib=$((total1 - total0))" \
	"remove_s=$remove_s remove_rc=$rrc left_blocks=$left_blocks left_kib=$left_kib"
