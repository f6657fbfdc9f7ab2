#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh KVER SCRIPT WORKDIR
#
# Boots Debian's amd64 kernel KVER under QEMU TCG with two NUMA nodes
# (node 0: 1 GiB of boot RAM at 0; node 1: 2 GiB at 0x40000000 that the
# script's "# cmdline:" memmap= carves out, so node 1 is memoryless at boot)
# and runs SCRIPT inside as a child of init. What the script writes to fd 3
# lands in WORKDIR/tap.log, the kernel console in WORKDIR/console.log.
# Header lines of SCRIPT: "# cmdline:", "# modules:" (Debian modules to ship,
# with their dependencies), "# binaries:" (host programs to ship, with
# their shared libraries), "# kselftest:" (files of the kernel's selftests,
# from linux-source-6.12), "# acpi:" (ASL files, compiled with iasl and
# injected as SSDTs), "# timeout:" (seconds for the whole boot).
# The package's list tool is /bin/dax-kmem (tools/dax-kmem).
# dax_kmem.ko is both at /lib/modules/dax_kmem.ko (for insmod) and installed
# with depmod under /lib/modules/KVER/extra, so modprobe by modalias works.
# Another kernel than Debian's (make check-debug) comes from the environment:
# DAX_KMEM_KERNEL_IMAGE (default: scripts/amd64-root.sh's boot/vmlinuz-KVER),
# DAX_KMEM_MODULES_ROOT (the root whose lib/modules/KVER "# modules:" come
# from, default that root),
# DAX_KMEM_KO (default build/KVER/dax_kmem.ko), DAX_KMEM_QEMU_CPU (default
# max), DAX_KMEM_TIMEOUT_SCALE (a whole factor on "# timeout:", default 1)
# and DAX_KMEM_TEST_MODULES (a folder whose .ko files land in
# /lib/modules/test, for tests/debug/modules).
# Exit status: QEMU's, 124 on timeout.
set -u
kver=$1
script=$2
work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)

header() { sed -n "s/^# $1: //p" "$script" | head -n 1; }
cmdline=$(header cmdline)
modules=$(header modules)
binaries=$(header binaries)
acpi=$(header acpi)
deadline=$(header timeout)
deadline=$(( ${deadline:-600} * ${DAX_KMEM_TIMEOUT_SCALE:-1} ))
# Debian's kernels: image and modules as scripts/amd64-root.sh unpacked them.
amd64=${DAX_KMEM_AMD64_CACHE:-/var/cache/dax_kmem/amd64}/root
image=${DAX_KMEM_KERNEL_IMAGE:-$amd64/boot/vmlinuz-$kver}
modroot=${DAX_KMEM_MODULES_ROOT:-$amd64}
cpu=${DAX_KMEM_QEMU_CPU:-max}
# The host's modprobe.d is not the guest's: an "install" rule there (ndctl
# has one for libnvdimm) would hide a dependency from --show-depends.
mkdir -p "$work/modprobe.d"
modprobe_root=(-C "$work/modprobe.d")
[ -z "$modroot" ] || modprobe_root+=(-d "$modroot")

ko=${DAX_KMEM_KO:-$top/build/$kver/dax_kmem.ko}
[ -f "$ko" ] || { echo "boot.sh: $ko not built" >&2; exit 2; }

root=$work/root
rm -rf "$root"
mkdir -p "$root"/bin "$root"/tests "$root"/lib/modules/extra
cp /bin/busybox "$root"/bin/busybox
cp "$top"/tests/vm/guest/init "$root"/init
cp "$top"/tests/vm/guest/lib.sh "$root"/tests/lib.sh
cp "$script" "$root"/tests/scenario.sh
cp "$top"/tools/dax-kmem "$root"/bin/dax-kmem
cp "$ko" "$root"/lib/modules/dax_kmem.ko
mkdir -p "$root/lib/modules/$kver/extra"
cp "$ko" "$root/lib/modules/$kver/extra/dax_kmem.ko"
if [ -n "${DAX_KMEM_TEST_MODULES:-}" ]; then
	mkdir -p "$root"/lib/modules/test
	cp "$DAX_KMEM_TEST_MODULES"/*.ko "$root"/lib/modules/test/
fi
# "# binaries:" host programs (from Debian packages make deps installs),
# each with the shared libraries ldd names, at the same paths.
for b in $binaries; do
	path=$(command -v "$b") || { echo "boot.sh: $b not installed (make deps)" >&2; exit 2; }
	cp -L --parents "$path" "$root"
	ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		cp -L --parents "$lib" "$root"
	done
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$modroot/lib/modules/$kver/$f" ] && cp "$modroot/lib/modules/$kver/$f" "$root/lib/modules/$kver/"
done
for m in $modules; do
	: > "$root/lib/modules/extra/$m.order"
	modprobe "${modprobe_root[@]}" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
	while read -r path; do
		base=$(basename "$path")
		base=${base%.xz}
		case "$path" in
		*.xz) xz -dc "$path" > "$root/lib/modules/extra/$base" ;;
		*) cp "$path" "$root/lib/modules/extra/$base" ;;
		esac
		echo "/lib/modules/extra/$base" >> "$root/lib/modules/extra/$m.order"
		# Also where modprobe finds it by name (kselftests call modprobe).
		cp "$root/lib/modules/extra/$base" "$root/lib/modules/$kver/extra/"
	done
done
depmod -b "$root" "$kver"
# "# kselftest:" files of linux-source-6.12's tools/testing/selftests, at
# /tests/kselftest; taken out of the tarball once, into build/kselftest.
for k in $(header kselftest); do
	cached=$top/build/kselftest/$k
	if [ ! -s "$cached" ]; then
		mkdir -p "$(dirname "$cached")"
		tar -xJf /usr/src/linux-source-6.12.tar.xz -O --wildcards "*/tools/testing/selftests/$k" > "$cached.$$" ||
			{ echo "boot.sh: no $k in linux-source-6.12 (make deps)" >&2; exit 2; }
		mv "$cached.$$" "$cached"
	fi
	mkdir -p "$root/tests/kselftest"
	cp "$cached" "$root/tests/kselftest/"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

acpitables=()
for asl in $acpi; do
	name=$(basename "$asl" .asl)
	if ! iasl -p "$work/$name" "$top/$asl" > "$work/$name.iasl.log" 2>&1; then
		echo "boot.sh: iasl failed on $asl (see $work/$name.iasl.log)" >&2
		exit 2
	fi
	acpitables+=(-acpitable "file=$work/$name.aml")
done

# The kernel as an ELF file with a PVH entry point, which QEMU starts
# directly: the bzImage's decompressor took 7 of a 16 s boot under TCG
# (Debian's compress with xz or zstd), and make check boots some 60 of
# them. The kernel that runs is the same; only the boot protocol
# differs, and KASLR, done by the decompressor, is off (the system test
# still boots its image's bzImage). Taken out once per image, into
# build/pvh/ under the image's sha256; an image without PVH (the debug
# kernel's defconfig) is recorded as such and boots as it is.
pvh_elf() {
	local image=$1 cached tmp spec magic off end
	cached=$top/build/pvh/$kver-$(sha256sum < "$image" | cut -c1-16)
	[ ! -f "$cached.none" ] || return 0
	[ ! -f "$cached" ] || { echo "$cached"; return; }
	mkdir -p "$top/build/pvh"
	tmp=$cached.$$
	for spec in 'xz -dcq:\xfd7zXZ\x00' 'zstd -dcq:\x28\xb5\x2f\xfd' 'gzip -dcq:\x1f\x8b\x08'; do
		magic=${spec#*:}
		for off in $(LC_ALL=C grep -obUaP "$magic" "$image" | head -n 3 | cut -d: -f1); do
			# The payload ends before the image does: the decompressors
			# complain about what follows, so their status says nothing;
			# the ELF checks below do.
			tail -c +$((off + 1)) "$image" | ${spec%%:*} > "$tmp" 2>/dev/null
			[ "$(head -c 4 "$tmp")" = $'\x7fELF' ] || continue
			# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry point.
			readelf -n "$tmp" 2>/dev/null | grep -q 'Xen.*(0x00000012)' || continue
			# Every loaded segment inside the file: not cut short.
			end=$(readelf -lW "$tmp" 2>/dev/null |
				awk '$1 == "LOAD" { print $2, $5 }' |
				while read -r o f; do echo $((o + f)); done | sort -n | tail -n 1)
			[ -n "$end" ] && [ "$end" -le "$(stat -c %s "$tmp")" ] || continue
			mv "$tmp" "$cached"
			echo "$cached"
			return
		done
	done
	rm -f "$tmp"
	: > "$cached.none"
}
boot_image=$(pvh_elf "$image")
[ -n "$boot_image" ] || boot_image=$image

rm -f "$work/console.log" "$work/tap.log"
# no_timer_check: on a busy host TCG may not deliver the IO-APIC timer's
# first ticks in the window the kernel allows, and it panics with
# "IO-APIC + timer doesn't work!" before any test (seen on 6.12).
timeout "$deadline" qemu-system-x86_64 -accel tcg -cpu "$cpu" -M pc -smp 1 -m 3G \
	-object memory-backend-ram,id=m0,size=1G \
	-object memory-backend-ram,id=m1,size=2G \
	-numa node,nodeid=0,cpus=0,memdev=m0 \
	-numa node,nodeid=1,memdev=m1 \
	"${acpitables[@]}" \
	-kernel "$boot_image" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=7 no_timer_check $cmdline" \
	-display none -monitor none -no-reboot \
	-serial "file:$work/console.log" -serial "file:$work/tap.log" \
	> "$work/qemu.log" 2>&1
