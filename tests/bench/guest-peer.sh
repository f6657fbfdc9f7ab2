# SPDX-License-Identifier: GPL-2.0
# The upstream path on the same range, timed end to end like dax_kmem's
# insmod: from loading nd_e820 (with libnvdimm, nd_pmem, dax_pmem,
# device_dax, kmem) to daxctl's return. nd_e820 gives a label-less region
# whose raw namespace nd_pmem maps at once (pmem0, memmap in DRAM);
# `ndctl create-namespace -f -e namespace0.0 -m devdax` turns it into a
# device-dax instance (struct pages on the device, ndctl's default map=dev)
# and `daxctl reconfigure-device --mode=system-ram` hands it to kmem, which
# hot-adds it, and onlines it movable (daxctl's default). ndctl waits for
# the bus's asynchronous probing itself.
# Remove: `daxctl reconfigure-device --mode=devdax --force` (offline, then
# kmem removes the memory). Between runs, untimed, the namespace goes back
# to raw (ndctl -m raw zeroes the info block) and the modules are unloaded,
# so every run starts as the first did, from a range nobody holds.
. /tests/bench-common.sh

auto=$(cat /sys/devices/system/memory/auto_online_blocks 2>/dev/null)
diag "peer bench: $SIZE_GIB GiB, $RUNS runs, kernel $(uname -r), auto_online_blocks=$auto"
# Under an auto-online policy daxctl refuses system-ram ("kernel policy
# will auto-online memory, aborting"), --no-online included; its man page
# offers --force, and the kernel then onlines the blocks as its policy
# says (ZONE_NORMAL on Debian 6.12), which is what such a user gets.
daxctl_args=
[ "$auto" = offline ] || daxctl_args=--force

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
	reloaded=1
	[ -d /sys/module/nd_e820 ] && reloaded=0
	mark "$tag"
	while read -r ko; do insmod "$ko" 2>/dev/null; done < /lib/modules/extra/peer.order
	mark "$tag-mod"
	ndctl create-namespace -f -e namespace0.0 -m devdax > /tmp/ns.json 2> /tmp/ns.err
	rc1=$?
	mark "$tag-ns"
	dev=$(dax_dev)
	# shellcheck disable=SC2086 # one option or none
	daxctl reconfigure-device --mode=system-ram $daxctl_args "$dev" > /tmp/dax.json 2> /tmp/dax.err
	rc2=$?
	mark "$tag-ret"
	if [ "$rc1$rc2" != 00 ]; then
		diag "run $i: ndctl rc $rc1, daxctl rc $rc2"
		cat /tmp/ns.err /tmp/dax.err | sed 's/^/# /' >&3
	fi
	t0=$(mark_ts "$tag")
	t_mod=$(secs "$t0" "$(mark_ts "$tag-mod")")
	t_ns=$(secs "$(mark_ts "$tag-mod")" "$(mark_ts "$tag-ns")")
	t_dax=$(secs "$(mark_ts "$tag-ns")" "$(mark_ts "$tag-ret")")
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
	result "method=peer run=$i rc=$rc1$rc2 add_online_s=$t_all modules_s=$t_mod" \
		"ndctl_s=$t_ns daxctl_s=$t_dax modules_reloaded=$reloaded" \
		"dram_kib=$((free0 - free1)) usable_kib=$((total1 - total0))" \
		"node1_kib=$((SIZE_GIB * 1048576)) online_blocks=$blocks" \
		"remove_s=$t_rm remove_rc=$rrc dev=$dev auto_online=$auto daxctl_args=$daxctl_args"
	# Back to where a boot starts: raw namespace, then no module at all.
	ndctl create-namespace -f -e namespace0.0 -m raw > /dev/null 2> /tmp/raw.err ||
		sed 's/^/# raw: /' /tmp/raw.err >&3
	# The nvdimm bus pins nd_e820 until its platform device unbinds.
	for d in /sys/bus/platform/drivers/e820_pmem/e820_pmem*; do
		[ -e "$d" ] && basename "$d" > /sys/bus/platform/drivers/e820_pmem/unbind
	done
	for m in kmem device_dax dax_pmem nd_pmem nd_btt nd_e820 libnvdimm; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
	[ -d /sys/module/nd_e820 ] && diag "run $i: nd_e820 stays loaded; later runs exclude module load"
	i=$((i + 1))
done
