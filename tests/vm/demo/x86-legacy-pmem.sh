# SPDX-License-Identifier: GPL-2.0
# make demo DEMO=x86: node 1's 1 GiB is described by firmware as legacy
# persistent memory (e820 type 12, here via memmap=1G!0x40000000), which the
# boot kernel leaves alone. dax_kmem turns it into System RAM on node 1.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 600

iomem='persistent|kmem|dax_kmem'
demo_show "before: boot state" "$iomem"
say ""
say "# insmod dax_kmem.ko claim=legacy-pmem, then wait for the range's state"
timed load claim=legacy-pmem
say ""
demo_show "after: dax_kmem loaded" "$iomem"
demo_device "$(devices_of legacy-pmem)"
say ""
say "# rmmod dax_kmem"
rmmod dax_kmem
demo_show "after rmmod: back to the boot state" "$iomem"
