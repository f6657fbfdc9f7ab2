#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The package part of make check: make deb builds dax-kmem-dkms, it holds
# what a user's machine needs, and DKMS builds the source it ships for
# every installed kernel (scripts/dkms-check.sh, a private tree). TAP.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
deb=$top/build/deb/dax-kmem-dkms_${version}_all.deb

start=$(date +%s)
if "$top/scripts/make-deb.sh" > "$top/build/make-deb.log" 2>&1 && [ -f "$deb" ]; then
	echo "ok - package: make deb builds dax-kmem-dkms $version ($(stat -c %s "$deb") bytes, $(( $(date +%s) - start ))s)"
else
	echo "not ok - package: make deb builds dax-kmem-dkms $version"
	sed 's/^/# /' "$top/build/make-deb.log"
	exit 0
fi

files=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's#^\./#/#')
for f in /usr/src/dax-kmem-$version/dkms.conf /usr/src/dax-kmem-$version/Kbuild \
	/usr/src/dax-kmem-$version/VERSION /usr/src/dax-kmem-$version/drivers/dax_kmem/main.c \
	/usr/sbin/dax-kmem /usr/share/man/man8/dax-kmem.8.gz /usr/share/man/man4/dax_kmem.4.gz \
	/usr/lib/udev/rules.d/60-dax-kmem.rules /etc/modprobe.d/dax-kmem.conf \
	/etc/modules-load.d/dax-kmem.conf /etc/dax-kmem/ranges.conf; do
	if echo "$files" | grep -qxF "$f"; then
		echo "ok - package: ships $f"
	else
		echo "not ok - package: ships $f"
	fi
done
conf=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/dax-kmem-$version/dkms.conf")
if echo "$conf" | grep -qx "PACKAGE_VERSION=\"$version\""; then
	echo "ok - package: dkms.conf says PACKAGE_VERSION=\"$version\" (VERSION)"
else
	echo "not ok - package: dkms.conf says PACKAGE_VERSION=\"$version\" (VERSION)"
fi
if dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'DKMS_VERSION=' &&
	dpkg-deb -f "$deb" Depends | grep -q dkms; then
	echo "ok - package: depends on dkms, and its postinst has DKMS build the module"
else
	echo "not ok - package: depends on dkms, and its postinst has DKMS build the module"
fi
# make install into a staging root: modules_install, one directory, depmod.
stage=$top/build/install-check
rm -rf "$stage"
for kver in $("$top/scripts/kernels.sh"); do
	log=$top/build/install-check-$kver.log
	make -s -C "$top" install KDIR="/usr/src/linux-headers-$kver" \
		INSTALL_MOD_PATH="$stage" > "$log" 2>&1
	rc=$?
	got=$(modinfo -b "$stage" -k "$kver" -F version dax_kmem 2>/dev/null)
	where=$(modinfo -b "$stage" -k "$kver" -n dax_kmem 2>/dev/null)
	if [ $rc -eq 0 ] && [ "$got" = "$version" ] &&
		[ "${where#"$stage/lib/modules/$kver/extra/dax_kmem.ko"}" != "$where" ]; then
		echo "ok - install: $kver: make install INSTALL_MOD_PATH= puts version $version in extra/, depmod finds it"
	else
		echo "not ok - install: $kver: make install INSTALL_MOD_PATH= puts version $version in extra/, depmod finds it (status $rc, found '$where' version '$got')"
		tail -n 20 "$log" | sed 's/^/# /'
	fi
done
echo "# dkms"
"$top/scripts/dkms-check.sh" "$top/build/dkms" "$deb"
