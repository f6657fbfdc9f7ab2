#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make debug-kernel: Debian's linux-source-6.12 built as an x86_64 kernel
# with KASAN, lockdep, kmemleak and friends (x86_64_defconfig plus
# tests/debug/debug.config) for make check-debug.
# Everything stays under $DAX_KMEM_DEBUG_CACHE (/var/cache/dax_kmem/debug):
# the tree in linux-source-6.12/, image and modules in root/boot and
# root/lib/modules/KVER, never the host's /boot or /lib/modules, so
# nothing here can change how the host boots. Rebuilt only when the source
# package's version or the fragment changes (stamp); compiler output goes
# to build.log. Writes the kernel release to kernelrelease.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DAX_KMEM_DEBUG_CACHE:-/var/cache/dax_kmem/debug}
jobs=${DAX_KMEM_DEBUG_JOBS:-2}
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
fragment=$top/tests/debug/debug.config
tree=$cache/$pkg
root=$cache/root
log=$cache/build.log

say() { echo "debug-kernel: $*"; }
die() { echo "debug-kernel: $*" >&2; exit 1; }

[ -f "$tarball" ] || die "$tarball missing; run 'make deps'"
srcver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || die "$pkg is not installed; run 'make deps'"
mkdir -p "$cache"
# Two makes at once would build the same tree twice over.
exec 9>"$cache/.lock"
flock 9

want="$pkg $srcver, fragment $(sha256sum < "$fragment" | cut -d' ' -f1)"
if [ "$(cat "$cache/stamp" 2>/dev/null)" = "$want" ] && [ -f "$cache/kernelrelease" ] &&
	[ -f "$root/boot/vmlinuz-$(cat "$cache/kernelrelease")" ]; then
	say "$(cat "$cache/kernelrelease") is up to date in $cache"
	exit 0
fi

start=$(date +%s)
: > "$log"
# A new source version starts from a clean tree; a new fragment only
# reconfigures, and make rebuilds what the changed options touch.
if [ "$(cat "$cache/source-version" 2>/dev/null)" != "$srcver" ] || [ ! -f "$tree/Makefile" ]; then
	say "unpacking $pkg $srcver into $cache"
	rm -rf "$tree" "$cache/source-version" "$cache/stamp"
	tar -xJf "$tarball" -C "$cache"
	echo "$srcver" > "$cache/source-version"
fi

say "configuring: x86_64_defconfig + ${fragment#"$top"/}"
kmake() { make -C "$tree" "$@" >> "$log" 2>&1 || { tail -n 30 "$log" >&2; die "make $* failed (log: $log)"; }; }
kmake x86_64_defconfig
(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") >> "$log" 2>&1 ||
	die "merge_config.sh failed (log: $log)"
kmake olddefconfig
# olddefconfig silently drops what a dependency forbids: insist on every line.
missing=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set$)' "$fragment" |
	while read -r line; do
		grep -qxF "$line" "$tree/.config" || echo "$line"
	done)
[ -z "$missing" ] || die "olddefconfig did not keep these fragment lines:
$missing"

say "building bzImage modules (-j$jobs), output in $log"
kmake -j"$jobs" bzImage modules
# Only a configured and prepared tree knows its LOCALVERSION.
kver=$(make -s -C "$tree" kernelrelease)
rm -rf "$root"
kmake INSTALL_MOD_PATH="$root" modules_install
mkdir -p "$root/boot"
cp "$tree/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$kver"
cp "$tree/.config" "$root/boot/config-$kver"
echo "$kver" > "$cache/kernelrelease"
echo "$want" > "$cache/stamp"
secs=$(( $(date +%s) - start ))
say "$kver built in $((secs / 60))m$((secs % 60))s; image $root/boot/vmlinuz-$kver, modules $root/lib/modules/$kver; $cache holds $(du -sh "$cache" | cut -f1)"
