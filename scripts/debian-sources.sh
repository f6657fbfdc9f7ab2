#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debian-sources.sh: prints the host's Debian 12 apt sources (bookworm,
# bookworm-updates, bookworm-security; main) as one-line "deb URI SUITE
# main" entries, read at run time from its one-line and deb822 files, for
# the project's private apt configurations (scripts/arm64-root.sh,
# tests/system/image.sh): Debian's current kernels come from -security.
# The archive's address is never written into a file of the project.
set -u
debian_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { u = ""; for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { u = $i; s = $(i + 1); break }
			if (u != "" && s ~ /^bookworm(-updates|-security)?$/) print "deb " u " " s " main" }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" } {
			uri = ""; suites = ""
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, u, " "); uri = u[2] }
				if ($i ~ /^Suites:/) suites = $i
			}
			n = split(suites, s, " ")
			for (j = 2; j <= n; j++)
				if (uri != "" && s[j] ~ /^bookworm(-updates|-security)?$/) print "deb " uri " " s[j] " main"
		}' "$f"
	done
}
debian_sources | awk '!seen[$0]++'
