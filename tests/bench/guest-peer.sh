# SPDX-License-Identifier: GPL-2.0
# The upstream path on the same range: nd_e820 gives a label-less region
# with a raw namespace; `ndctl create-namespace -m devdax` turns it into a
# device-dax instance (struct pages on the device, the ndctl default), and
# `daxctl reconfigure-device --mode=system-ram` hands it to the kmem driver,
# which hot-adds it, and onlines it movable (daxctl's default). Timed end
# to end, from ndctl's start to daxctl's return. Remove: `daxctl
# reconfigure-device --mode=devdax --force` (offline, then kmem unbinds
# and removes the memory). Between runs, untimed, the namespace goes back to
# raw (`ndctl create-namespace -f -e namespace0.0 -m raw`), so every run
# starts where the first did.
. /tests/bench-common.sh

diag "peer bench: $SIZE_GIB GiB, $RUNS runs, kernel $(uname -r)"
while read -r ko; do insmod "$ko" 2>/dev/null; done < /lib/modules/extra/peer.order
for m in nd_e820 nd_pmem dax_pmem device_dax kmem; do
	[ -d "/sys/module/$m" ] || diag "module $m did not load"
done
i=0
while [ ! -e /sys/bus/nd/devices/namespace0.0 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
ndctl list -N >&3 2>&1

dax_dev() {
	for d in /sys/bus/dax/devices/dax*; do
		[ -e "$d/size" ] && [ "$(cat "$d/size")" != 0 ] && { basename "$d"; return; }
	done
}

i=1
while [ $i -le "$RUNS" ]; do
	drop_caches
	free0=$(node0_free_kb)
	total0=$(meminfo_kb MemTotal)
	tag=peer-$i
	mark "$tag"
	ndctl create-namespace -f -e namespace0.0 -m devdax > /tmp/ns.json 2> /tmp/ns.err
	rc1=$?
	mark "$tag-ns"
	dev=$(dax_dev)
	daxctl reconfigure-device --mode=system-ram "$dev" > /tmp/dax.json 2> /tmp/dax.err
	rc2=$?
	mark "$tag-ret"
	[ "$rc1$rc2" = 00 ] || { diag "run $i: ndctl rc $rc1, daxctl rc $rc2"; cat /tmp/ns.err /tmp/dax.err | sed 's/^/# /' >&3; }
	t0=$(mark_ts "$tag")
	t_ns=$(secs "$t0" "$(mark_ts "$tag-ns")")
	t_all=$(secs "$t0" "$(mark_ts "$tag-ret")")
	drop_caches
	free1=$(node0_free_kb)
	total1=$(meminfo_kb MemTotal)
	blocks=$(node1_online_blocks)
	mark "$tag-rm"
	daxctl reconfigure-device --mode=devdax --force "$dev" > /dev/null 2> /tmp/rm.err
	rrc=$?
	mark "$tag-rm-ret"
	[ $rrc = 0 ] || sed 's/^/# /' /tmp/rm.err >&3
	t_rm=$(secs "$(mark_ts "$tag-rm")" "$(mark_ts "$tag-rm-ret")")
	result "method=peer run=$i rc=$rc1$rc2 add_online_s=$t_all namespace_s=$t_ns" \
		"dram_kib=$((free0 - free1)) usable_kib=$((total1 - total0))" \
		"node1_kib=$((SIZE_GIB * 1048576)) online_blocks=$blocks" \
		"remove_s=$t_rm remove_rc=$rrc dev=$dev"
	ndctl create-namespace -f -e namespace0.0 -m raw > /dev/null 2> /tmp/raw.err ||
		sed 's/^/# raw: /' /tmp/raw.err >&3
	i=$((i + 1))
done
