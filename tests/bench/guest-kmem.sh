# SPDX-License-Identifier: GPL-2.0
# dax_kmem, one memmap placement (VARIANT: dram or range) per boot:
# insmod claim=legacy-pmem until "node N: added [mem ...]" is logged (the
# driver logs it once every block is online), DRAM spent, bytes made
# usable, unbind (offline + remove), bind again until the same line, then
# rmmod; RUNS times.
#
# DRAM spent is only meaningful for the first add of a boot: on these
# kernels the memmap that a removal frees does not come back to node 0's
# MemFree, and the next add reuses it (seen on 6.1: -16 MiB on the first
# add of 1 GiB, 0 on every later one). Later runs report it as dram_kib
# too, but the host only uses run 1's.
#
# Whether the build has the memmap= parameter is found out at run time
# with an insmod that names no range (so nothing is added): the kernel
# logs "unknown parameter 'memmap' ignored" when it does not.
. /tests/bench-common.sh

diag "dax_kmem bench: $SIZE_GIB GiB, memmap in $VARIANT, $RUNS runs, kernel $(uname -r)"

mark probe
load memmap=range > /dev/null 2>&1
if dmesg_since_mark probe | grep -qi "unknown parameter 'memmap'"; then
	has_memmap=no
else
	has_memmap=yes
fi
loaded && unload
diag "memmap= parameter: $has_memmap"

case "$VARIANT:$has_memmap" in
dram:yes) args="memmap=dram" ;;
range:yes) args="memmap=range" ;;
dram:no) args="" ;;
*)
	result "method=kmem-range run=0 unavailable=1"
	RUNS=0
	;;
esac

i=1
while [ $i -le "$RUNS" ]; do
	drop_caches
	free0=$(node0_free_kb)
	total0=$(meminfo_kb MemTotal)
	tag=kmem-$VARIANT-$i
	mark "$tag"
	# shellcheck disable=SC2086
	timeout 120 insmod "$KO" claim=legacy-pmem $args
	rc=$?
	# insmod returns before the memory is added: the add is timed to the log.
	mark "$tag-ret"
	settle
	t_add=$(since "$tag" "$ADDED")
	t_ret=$(secs "$(mark_ts "$tag")" "$(mark_ts "$tag-ret")")
	drop_caches
	free1=$(node0_free_kb)
	total1=$(meminfo_kb MemTotal)
	dev=$(devices_of legacy-pmem | head -n 1)
	added=
	mdram=
	if [ -n "$dev" ]; then
		added=$(attr "$dev" added_bytes)
		[ -e "$DEVS/$dev/memmap_dram_bytes" ] && mdram=$(attr "$dev" memmap_dram_bytes)
	fi
	blocks=$(node1_online_blocks)
	# Removal by unbind, then the same range again by bind: what one
	# range costs the driver once the module is loaded.
	t_rm=
	t_bind=
	bind_blocks=
	rrc=1
	if [ -n "$dev" ]; then
		mark "$tag-rm"
		unbind "$dev"
		rrc=$?
		t_rm=$(since "$tag-rm" "$REMOVED")
		mark "$tag-bind"
		bind "$dev"
		t_bind=$(since "$tag-bind" "$ADDED")
		bind_blocks=$(node1_online_blocks)
	fi
	unload
	result "method=kmem-$VARIANT run=$i rc=$rc add_online_s=$t_add insmod_return_s=$t_ret" \
		"dram_kib=$((free0 - free1)) usable_kib=$((total1 - total0))" \
		"node1_kib=$((SIZE_GIB * 1048576)) added_bytes=$added memmap_dram_bytes=$mdram" \
		"online_blocks=$blocks remove_s=$t_rm remove_rc=$rrc" \
		"bind_online_s=$t_bind bind_online_blocks=$bind_blocks"
	i=$((i + 1))
done
