# SPDX-License-Identifier: GPL-2.0
# The fixed part of an add, at 1 GiB (node 1 holds two 1 GiB ranges, A
# then B), RUNS times:
#  load_bare  insmod of a module that adds nothing, to its return;
#  load       insmod adding A, to A's "added" line (what the bench times);
#  bind_cold  bind of A with node 1 memoryless;
#  bind_warm  bind of B with A online, so node 1 already has memory.
# VARIANT picks the memmap placement.
. /tests/bench-common.sh

a=0x100000000
b=0x140000000
memmap=
[ "$VARIANT" = range ] && memmap=memmap=range

i=1
while [ "$i" -le "$RUNS" ]; do
	mark "bare-$i"
	load
	mark "bare-$i-ret"
	t_bare=$(secs "$(mark_ts "bare-$i")" "$(mark_ts "bare-$i-ret")")
	unload

	mark "load-$i"
	# The carve is legacy pmem: typed ranges into it need claim=, which
	# then skips the region they are part of.
	# shellcheck disable=SC2086
	load ranges=1G@$a:1,1G@$b:1 claim=legacy-pmem $memmap
	t_load=$(since "load-$i" "$ADDED")
	da=$(dev_by_range $a-0x13fffffff)
	db=$(dev_by_range $b-0x17fffffff)
	unbind "$db"
	unbind "$da"
	mark "cold-$i"
	bind "$da"
	t_cold=$(since "cold-$i" "$ADDED")
	mark "warm-$i"
	bind "$db"
	t_warm=$(since "warm-$i" "$ADDED")
	blocks=$(node1_online_blocks)
	unload
	result "method=fixed-$VARIANT run=$i load_bare_s=$t_bare load_s=$t_load" \
		"bind_cold_s=$t_cold bind_warm_s=$t_warm online_blocks=$blocks"
	i=$((i + 1))
done
