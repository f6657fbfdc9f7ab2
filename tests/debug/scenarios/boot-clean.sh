# SPDX-License-Identifier: GPL-2.0
# make check-debug, first boot: the debug kernel itself is clean. dax_kmem
# is never loaded, so every report counts from the first console line; the
# kernel modules scenarios ship ("# modules:") come from the debug tree.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# modules: memory-notifier-error-inject dax_hmem
# reports: boot
# timeout: 600

check "debug kernel: KASAN is on" sh -c 'dmesg | grep -q "KernelAddressSanitizer initialized"'
check "debug kernel: lockdep is on" [ -e /proc/lockdep ]
check "debug kernel: kmemleak is on" [ -e /sys/kernel/debug/kmemleak ]
function_tracer() {
	[ -e /sys/kernel/tracing/available_tracers ] ||
		mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	grep -qw function /sys/kernel/tracing/available_tracers
}
check "debug kernel: ftrace has the function tracer" function_tracer
check "debug kernel: memory-notifier-error-inject loads from the debug tree" load_kmod memory-notifier-error-inject
check "debug kernel: dax_hmem loads from the debug tree" load_kmod dax_hmem
check "dax_kmem is not loaded" sh -c '! [ -d /sys/module/dax_kmem ]'
