# SPDX-License-Identifier: GPL-2.0
# make demo (default): an arm64 board whose slow DDR on node 1 is described
# in Device Tree (dts/qemu-arm64-demo.dtsi). Nothing loads dax_kmem by
# hand: modprobe of every device's modalias, as udev does at boot, finds
# the slow-memory node and loads it.
# dts: dts/qemu-arm64-demo.dtsi
# timeout: 600

iomem='kmem|dax_kmem|^ *80000000-'
say "Device Tree: /reserved-memory/memory@80000000 and /slow-memory (compatible linux,dax-kmem)"
say "slow-memory modalias: $(cat /sys/bus/platform/devices/slow-memory/modalias)"
demo_show "before: boot state (mem=1G: node 1 is possible but empty)" "$iomem"
say ""
say "# modprobe \$(cat /sys/bus/platform/devices/*/modalias)   (what udev does)"
timed coldplug_modaliases
say ""
demo_show "after: dax_kmem loaded by modalias" "$iomem"
demo_device "$(devices_of dt)"
say ""
say "# rmmod dax_kmem"
rmmod dax_kmem
demo_show "after rmmod: back to the boot state" "$iomem"
