#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: builds the Debian package dax-kmem-dkms into build/deb/ from a
# copy of the tracked sources (the work tree stays clean). The version is
# VERSION's: debian/changelog is written here, not kept in git.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=$(cat VERSION)
out=$top/build/deb
stage=$out/dax-kmem-$version

rm -rf "$out"
mkdir -p "$stage"
# What git tracks (or would: new files not yet added), never build outputs.
git ls-files -co --exclude-standard -z -- Kbuild VERSION LICENSE dkms.conf \
	drivers include arch tools debian packaging Documentation/man |
	xargs -0 cp --parents -t "$stage"
cat > "$stage/debian/changelog" <<CHANGELOG
dax-kmem ($version) unstable; urgency=medium

  * Release $version (built from $(git describe --always --dirty 2>/dev/null || echo unknown)).

 -- dax_kmem developers <dax-kmem@localhost>  $(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
CHANGELOG

echo "deb: building dax-kmem-dkms $version (log: build/deb/build.log)"
if ! (cd "$stage" && dpkg-buildpackage -b -us -uc -nc) > "$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log"
	echo "deb: dpkg-buildpackage failed (missing build tools? run 'make deps')"
	exit 1
fi
deb=$out/dax-kmem-dkms_${version}_all.deb
echo "deb: $deb ($(stat -c %s "$deb") bytes)"
