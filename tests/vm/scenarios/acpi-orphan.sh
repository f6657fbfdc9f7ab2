# SPDX-License-Identifier: GPL-2.0
# A range whose removal failed outlives its firmware device: unbinding the
# PRP0001 parent leaves the memory with the module, which retries and
# removes it once it can, with no device left; and a parent bound again
# while the memory is still there takes the range over. (Before the state
# machine, binding the parent again walked a freed range: an oops.)
# Removal is made to fail with memory-notifier-error-inject
# (MEM_GOING_OFFLINE -ENOMEM), which fails fast and drains nothing.
# cmdline: memmap=2G$0x40000000 nokaslr
# acpi: tests/vm/acpi/ssdt-dax-kmem.asl
# modules: memory-notifier-error-inject
# timeout: 900

boot=$(fingerprint)
mount -t debugfs none /sys/kernel/debug 2>/dev/null
load_kmod memory-notifier-error-inject
inject=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error
check "notifier-error-inject is writable" [ -w "$inject" ]

coldplug_modaliases
d=$(dev_by_range 0x40000000-0x7fffffff)
prp=$(basename "$(readlink -f "$DEVS/$d/..")")
expect_eq "SLM0's range online" "$(attr "$d" state)" online
total=$(node_memtotal_kb 1)

# 1. Parent unbound while the range is stranded; the retry removes it.
echo -12 > "$inject"
unbind "$d"
expect_eq "forced failure: remove-failed (-ENOMEM)" "$(attr "$d" state) $(attr "$d" last_error)" "remove-failed -12"
echo "$prp" > "$FWDRV/unbind"
settle
check "parent unbound: its range device is gone" [ ! -e "$DEVS/$d" ]
expect_eq "parent unbound: the memory is still there" "$(node_memtotal_kb 1)" "$total"
check "parent unbound: the span is still reserved" grep -q "$d" /proc/iomem
# A retry may be under way at the moment of reading: removing, not failed.
expect_eq "parent unbound: the orphans file shows the stranded range" \
	"$(sed 's/ removing$/ remove-failed/' "$DRV/orphans")" \
	"$d 0x40000000-0x7fffffff 1 remove-failed"
# The package's tool shows the orphan, and waits for it.
expect_eq "dax-kmem list: the orphan's row (source orphan, node 1)" \
	"$(dax-kmem list | awk -v d="$d" '$1 == d { print $2, $3, ($4 == "removing" ? "remove-failed" : $4) }')" \
	"orphan 1 remove-failed"
check "dax-kmem list --json: the orphan's object with its range" \
	sh -c "dax-kmem list --json | grep -q '\"device\": \"$d\", \"source\": \"orphan\", \"node\": 1, .*\"range\": \"0x40000000-0x7fffffff\"'"
dax-kmem wait --timeout 60 2> /tmp/wait.err
expect_eq "dax-kmem wait: exits 3 for an orphan whose removal failed" "$?" 3
check "dax-kmem wait: names the orphan" grep -q "$d:remove-failed" /tmp/wait.err
rmmod dax_kmem 2>/dev/null
check "parent unbound: rmmod refused while memory is stranded" loaded
echo 0 > "$inject"
i=0
while [ "$(node_memtotal_kb 1)" -ne $((total - 1024 * 1024)) ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
expect_eq "orphan: removed by the retry once offlining works" "$(node_memtotal_kb 1)" $((total - 1024 * 1024))
# The node shrinks as blocks go offline; the worker releases the span
# after the removal, a moment later (seconds under KASAN).
i=0
while grep -q "$d" /proc/iomem && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
check "orphan: its reservation is released" sh -c "! grep -q '$d' /proc/iomem"
echo "$prp" > "$FWDRV/bind"
settle
d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "parent bound again: its range added afresh" "$(attr "$d" state)" online
expect_eq "parent bound again: node 1 as before" "$(node_memtotal_kb 1)" "$total"

# 2. Parent unbound and bound again while the memory is stranded.
echo -12 > "$inject"
unbind "$d"
echo "$prp" > "$FWDRV/unbind"
settle
mark takeover
echo "$prp" > "$FWDRV/bind"
settle
echo 0 > "$inject"
d2=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "parent bound again while stranded: the same range object, same name" "$d2" "$d"
expect_eq "parent bound again while stranded: online, kept" "$(attr "$d" state)" online
took=$(dmesg_since_mark takeover | grep -c "$d: a device for \[mem 0x40000000-0x7fffffff\] from acpi again: it takes over the memory still present")
expect_eq "parent bound again while stranded: dmesg says it takes over" "$took" 1
expect_eq "parent bound again while stranded: node 1 unchanged" "$(node_memtotal_kb 1)" "$total"
check "no range registered twice" [ -z "$(duplicate_ranges)" ]

unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
