#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints the Debian amd64 kernel versions that have both an image in /boot
# and a headers tree, one per line, oldest first. Never hard-codes ABI numbers.
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] || continue
	v=${h#/usr/src/linux-headers-}
	[ -f "/boot/vmlinuz-$v" ] && echo "$v"
done | sort -V
