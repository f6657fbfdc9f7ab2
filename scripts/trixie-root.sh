#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trixie-root.sh: Debian's newest 7.x kernels (amd64, arm64, arm64-16k) and
# a Debian 13 build root to build dax_kmem.ko against them. Their kbuild
# tools need a newer C library and gcc-14 than the host (Debian 12) has.
# Nothing is installed on the host and its apt configuration is not
# changed: a private apt configuration under the cache reads the suites
# that carry 7.x (trixie-backports, sid) from the archive the host's own
# sources name, and the packages are unpacked with dpkg -x.
#
#   CACHE/apt       private apt lists (refreshed once a day)
#   CACHE/debs      the downloaded packages
#   CACHE/root      Debian 13 made by mmdebstrap: gcc-14, the arm64 cross
#                   compiler, the amd64 linux-kbuild of the kernels; the
#                   kernels' images, modules and headers unpacked into it
#   CACHE/arm64/root  the layout tests/vm/boot-arm64.sh reads (boot/,
#                   lib/modules/, an arm64 busybox), as links into root
#
# The kernel ABI is discovered at run time: the newest 7.x whose image and
# headers exist for all three flavours. Idempotent; a newer ABI is added
# beside the old one. scripts/kernels-trixie.sh lists what is usable.
#
# Environment: DAX_KMEM_TRIXIE_CACHE (default /var/cache/dax_kmem/trixie),
# DAX_KMEM_TRIXIE_REFRESH=1 refreshes the lists even when they are fresh.
set -u
cache=${DAX_KMEM_TRIXIE_CACHE:-/var/cache/dax_kmem/trixie}
aptdir=$cache/apt
debs=$cache/debs
root=$cache/root
view=$cache/arm64/root
flavours="amd64 arm64 arm64-16k"
suites="trixie trixie-backports sid"

die() { echo "trixie-root: $*" >&2; exit 1; }

mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$debs" "$view" ||
	die "cannot create $cache"
exec 9> "$cache/.lock"
flock 9

# The archive the host already uses for Debian itself: the URI of the
# entry that carries "bookworm" (one-line or deb822 format).
archive_uri() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {
			if ($(i + 1) == "bookworm") { print $i; exit } } }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" } {
			uri = ""; ok = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, u, " "); uri = u[2] }
				if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
			}
			if (ok && uri != "") { print uri; exit }
		}' "$f"
	done
}

uri=$(archive_uri | head -n 1)
[ -n "$uri" ] || die "no Debian archive for bookworm in /etc/apt/sources.list*"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
for s in $suites; do
	echo "deb [arch=amd64,arm64 signed-by=$keyring] $uri $s main"
done > "$aptdir/sources.list.new"
cmp -s "$aptdir/sources.list.new" "$aptdir/sources.list" ||
	{ mv "$aptdir/sources.list.new" "$aptdir/sources.list"; rm -f "$aptdir/updated"; }
rm -f "$aptdir/sources.list.new"

apt_opts=(-o "Dir::Etc::sourcelist=$aptdir/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
	-o Dir::State::status=/dev/null -o APT::Architectures::=amd64
	-o APT::Architectures::=arm64 -o Debug::NoLocking=1)

if [ -n "${DAX_KMEM_TRIXIE_REFRESH:-}" ] || [ -z "$(find "$aptdir/updated" -mtime -1 2>/dev/null)" ]; then
	echo "trixie-root: apt-get update ($suites from $uri)"
	apt-get "${apt_opts[@]}" update -qq || die "apt-get update of the private lists failed"
	: > "$aptdir/updated"
	rm -f "$aptdir/answers" "$aptdir/headers-7"
fi

# show PKG FIELD: one field of the candidate version. Each apt-cache call
# reads the lists of three suites and two architectures (about 2 s), so
# the answers are kept until the next apt-get update: a make deps with
# nothing to do then asks apt nothing.
answers=$aptdir/answers
touch "$answers"
show() {
	local key="$1 $2" value
	if value=$(awk -v k="$key" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); f = 1; exit }
			END { exit !f }' "$answers"); then
		echo "$value"
		return
	fi
	value=$(apt-cache "${apt_opts[@]}" show "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n 1)
	# "No such package" may be apt failing for a moment: ask again next time.
	[ -z "$value" ] || echo "$key=$value" >> "$answers"
	echo "$value"
}

# The newest 7.x ABI with image and headers for every flavour.
abi=
[ -s "$aptdir/headers-7" ] ||
	apt-cache "${apt_opts[@]}" pkgnames linux-headers-7. > "$aptdir/headers-7"
for v in $(sed -n 's/^linux-headers-\(7\.[0-9.]*+deb[0-9]*\)-amd64$/\1/p' "$aptdir/headers-7" | sort -Vru); do
	ok=1
	for f in $flavours; do
		a=arm64; [ "$f" = amd64 ] && a=amd64
		for p in "linux-image-$v-$f:$a" "linux-headers-$v-$f:$a"; do
			[ -n "$(show "$p" Version)" ] || ok=
		done
	done
	[ -n "$(show "linux-kbuild-$v:amd64" Version)" ] || ok=
	[ -n "$ok" ] && { abi=$v; break; }
done
[ -n "$abi" ] || die "no 7.x kernel with images and headers for $flavours in $suites"
echo "trixie-root: newest 7.x ABI $abi"

# fetch PKG[:ARCH]: sets $deb to the cached .deb, downloading it first.
fetch() {
	local name=${1%%:*}
	deb=$(ls -v "$debs/${name}"_*.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] && return 0
	(cd "$debs" && apt-get "${apt_opts[@]}" download -q "$1" 2>&1 |
		grep -v 'unsandboxed as root' >&2) || true
	deb=$(ls -v "$debs/${name}"_*.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || die "apt-get download $1 failed"
}

# The build root. Rebuilt (beside the old one, then swapped) when it lacks
# the kbuild tools of the wanted ABI.
kbuild=linux-kbuild-$abi
# dkms: scripts/dkms-check.sh builds the package's source for 7.x in here,
# as a Debian 13 user's dkms would (a root older than that is rebuilt).
if [ ! -x "$root/usr/lib/$kbuild/scripts/basic/fixdep" ] || [ ! -x "$root/usr/sbin/dkms" ]; then
	command -v mmdebstrap > /dev/null || die "mmdebstrap missing (scripts/deps.sh installs it)"
	echo "trixie-root: mmdebstrap trixie build root (gcc-14, cross gcc-14, $kbuild, dkms)"
	rm -rf "$root.new"
	mmdebstrap --quiet --variant=apt --components=main \
		--include="gcc-14,gcc-14-aarch64-linux-gnu,make,bc,bison,flex,kmod,sparse,xz-utils,libc6-dev,dkms,openssl,$kbuild" \
		trixie "$root.new" "deb $uri trixie main" "deb $uri trixie-backports main" ||
		die "mmdebstrap failed"
	# The kernels' Makefiles call gcc-14 and aarch64-linux-gnu-gcc-14 by
	# their plain names too.
	ln -sf gcc-14 "$root.new/usr/bin/gcc"
	ln -sf aarch64-linux-gnu-gcc-14 "$root.new/usr/bin/aarch64-linux-gnu-gcc"
	rm -rf "$root"
	mv "$root.new" "$root"
	rm -rf "$cache/stamps"
fi
mkdir -p "$cache/stamps"

# unpack PKG[:ARCH]: dpkg -x into the root once. Every kernel package
# ships only under usr/, which the merged-/usr root already has.
unpack() {
	local stamp=$cache/stamps/${1%%:*}
	[ -e "$stamp" ] && return 0
	fetch "$1"
	echo "trixie-root: unpacking $(basename "$deb")"
	dpkg -x "$deb" "$root" || die "dpkg -x $deb failed"
	: > "$stamp"
}

# deps PKG[:ARCH]: the packages PKG depends on that belong to this ABI
# (linux-base-*, linux-binary-*, linux-modules-*, headers -common), so
# the split of an image into parts is read, not assumed.
deps() {
	show "$1" Depends | tr ',' '\n' | sed -n "s/^ *\(linux-[a-z]*-${abi}[^ ]*\).*/\1/p" |
		grep -v '^linux-kbuild-'
}

for f in $flavours; do
	a=arm64; [ "$f" = amd64 ] && a=amd64
	kver=$abi-$f
	for p in "linux-image-$kver" "linux-headers-$kver"; do
		for d in $(deps "$p:$a"); do
			case "$d" in *-common) unpack "$d" ;; *) unpack "$d:$a" ;; esac
		done
		unpack "$p:$a"
	done
	mod=$root/usr/lib/modules/$kver
	[ -f "$mod/vmlinuz" ] || die "no image $mod/vmlinuz after unpacking"
	[ -f "$root/usr/src/linux-headers-$kver/Makefile" ] || die "no headers for $kver"
	[ -s "$mod/modules.dep" ] || chroot "$root" depmod "$kver" || die "depmod $kver failed"
	if [ "$a" = arm64 ]; then
		mkdir -p "$view/boot" "$view/lib/modules"
		ln -sfn "$mod/vmlinuz" "$view/boot/vmlinuz-$kver"
		ln -sfn "$mod" "$view/lib/modules/$kver"
	fi
done

# sparse: 7.x headers need one that knows __typeof_unqual__, newer than
# trixie's. The newest candidate (sid's) is unpacked to /opt/sparse in the
# root, its sparse binary needing only the C library. Debian's kbuild
# package lacks scripts/checker-valid.sh, which the kernel's Makefile runs
# before C=1/C=2: a stand-in of ours says whether the checker parses
# __typeof_unqual__ (sparse exits 0 on errors, so its output decides).
if [ ! -x "$root/opt/sparse/usr/bin/sparse" ]; then
	fetch sparse:amd64
	rm -rf "$root/opt/sparse"
	mkdir -p "$root/opt/sparse"
	dpkg -x "$deb" "$root/opt/sparse" || die "dpkg -x $deb failed"
fi
checker=$root/usr/lib/$kbuild/scripts/checker-valid.sh
if [ ! -e "$checker" ]; then
	cat > "$checker" <<'EOS'
#!/bin/sh
# Written by dax_kmem's scripts/trixie-root.sh: Debian's linux-kbuild does
# not ship this helper. Prints 1 when the checker given as arguments parses
# __typeof_unqual__ without a message.
out=$(echo 'static __typeof_unqual__(const int) x;' | "$@" - 2>&1) && [ -z "$out" ] && echo 1
EOS
	chmod +x "$checker"
fi

# An arm64 busybox for the arm64 guests, kept out of the amd64 root.
if [ ! -x "$view/bin/busybox" ]; then
	fetch busybox-static:arm64
	rm -rf "$cache/busybox"
	dpkg -x "$deb" "$cache/busybox" || die "dpkg -x $deb failed"
	mkdir -p "$view/bin"
	bb=
	for f in usr/bin/busybox bin/busybox; do
		[ -f "$cache/busybox/$f" ] && { bb=$cache/busybox/$f; break; }
	done
	[ -n "$bb" ] || die "$(basename "$deb") has no bin/busybox"
	cp "$bb" "$view/bin/busybox"
fi

echo "trixie-root: build root $root"
for f in $flavours; do
	echo "trixie-root: $abi-$f image $root/usr/lib/modules/$abi-$f/vmlinuz"
done
