# SPDX-License-Identifier: GPL-2.0
# Where the time goes: ftrace function_graph on a handful of hot-plug
# functions only (set_ftrace_filter, so nothing else is hooked), around one
# dax_kmem add + rmmod per memmap placement the build has, and one peer
# cycle. Prints per function the number of
# calls and the total time, for each phase, as "# profile ..." lines.
. /tests/bench-common.sh

T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
if ! grep -qw function_graph $T/available_tracers 2>/dev/null; then
	diag "profile: no function_graph tracer in $(uname -r)"
else
	for f in add_memory_driver_managed add_memory_resource arch_add_memory \
		__add_pages sparse_add_section create_memory_block_devices \
		online_pages move_pfn_range_to_zone online_pages_range \
		memory_block_online build_all_zonelists \
		offline_pages memory_block_offline remove_memory try_remove_memory \
		arch_remove_memory __remove_pages remove_memory_block_devices \
		memremap_pages memmap_init_zone_device devm_memremap_pages \
		firmware_map_add_hotplug register_memory_resource mhp_init_memmap_on_memory \
		vmemmap_populate memory_notify walk_memory_blocks set_zone_contiguous \
		memmap_init_range init_currently_empty_zone online_mem_sections \
		vmemmap_alloc_block_buf vmemmap_populate_hugepages kasan_add_zero_shadow \
		nd_pmem_probe dax_pmem_probe dev_dax_kmem_probe dev_dax_kmem_remove; do
		echo "$f" >> $T/set_ftrace_filter 2>/dev/null || diag "profile: $f not traceable"
	done
	echo function_graph > $T/current_tracer
	echo funcgraph-tail > $T/trace_options
	echo 16384 > $T/buffer_size_kb
fi

# phase NAME: summarise the trace since the last call, then clear it.
phase() {
	[ -e $T/trace ] || return 0
	awk -v p="$1" '
	/\|/ && /[0-9.]+ us/ && /\(\);|^ *[0-9]+\).*} *\/\*/ {
		match($0, /[0-9.]+ us/); d = substr($0, RSTART, RLENGTH - 3)
		name = ""
		if (match($0, /[a-z_0-9.]+\(\);/)) name = substr($0, RSTART, RLENGTH - 3)
		else if (match($0, /\/\* [a-z_0-9.]+ \*\//)) name = substr($0, RSTART + 3, RLENGTH - 6)
		if (name == "") next
		n[name]++; t[name] += d
	}
	END { for (k in n) printf "# profile %s: %s calls=%d total_ms=%.1f\n", p, k, n[k], t[k] / 1000 }
	' $T/trace | sort >&3
	echo > $T/trace
}

echo > $T/trace 2>/dev/null
mark probe
load memmap=range > /dev/null 2>&1
placements=dram
dmesg_since_mark probe | grep -qi "unknown parameter 'memmap'" || placements="dram range"
loaded && unload
echo > $T/trace 2>/dev/null
for p in $placements; do
	args=
	[ "$placements" = dram ] || args="memmap=$p"
	mark "prof-$p"
	# shellcheck disable=SC2086
	load claim=legacy-pmem $args
	diag "profile: dax_kmem memmap in $p: add+online $(since "prof-$p" "$ADDED") s"
	phase "kmem-$p-add"
	mark "prof-$p-rm"
	unload
	diag "profile: dax_kmem memmap in $p: remove $(since "prof-$p-rm" "$REMOVED") s"
	phase "kmem-$p-remove"
done

while read -r ko; do insmod "$ko" 2>/dev/null; done < /lib/modules/extra/peer.order
i=0
while [ ! -e /sys/bus/nd/devices/namespace0.0 ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
phase peer-modules
mark prof-peer
ndctl create-namespace -f -e namespace0.0 -m devdax > /dev/null
mark prof-peer-ns
phase peer-ndctl
dev=$(for d in /sys/bus/dax/devices/dax*; do [ "$(cat "$d/size")" != 0 ] && basename "$d"; done | head -n 1)
daxctl reconfigure-device --mode=system-ram "$dev" > /dev/null
mark prof-peer-ret
phase peer-daxctl
diag "profile: peer ndctl $(secs "$(mark_ts prof-peer)" "$(mark_ts prof-peer-ns)") s, daxctl $(secs "$(mark_ts prof-peer-ns)" "$(mark_ts prof-peer-ret)") s"
mark prof-peer-rm
daxctl reconfigure-device --mode=devdax --force "$dev" > /dev/null
mark prof-peer-rm-ret
phase peer-remove
diag "profile: peer remove $(secs "$(mark_ts prof-peer-rm)" "$(mark_ts prof-peer-rm-ret)") s"
