#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl (--strict) over the module's C sources.
#
#   scripts/checkpatch.sh
#
# checkpatch.pl and the data files it reads come from Debian's
# linux-source-6.12 tarball. They are extracted once into .cache/checkpatch/
# under the repository root, which is git-ignored. Checked are all *.c and
# *.h files under drivers/, include/ and arch/ that git tracks or would
# track (untracked but not ignored).
#
# Prints every finding and a last line "checkpatch: N files, N problems".
# Exits non-zero when any file has an error, a warning or a check, or when
# checkpatch.pl itself fails.

set -euo pipefail

SRC_PKG=linux-source-6.12
TARBALL=/usr/src/$SRC_PKG.tar.xz

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CACHE=$ROOT/.cache/checkpatch
CHECKPATCH=$CACHE/scripts/checkpatch.pl
# checkpatch.pl's own working directory; see run_checkpatch().
WORKDIR=$CACHE/cwd

# Everything checkpatch.pl reads relative to itself: without spelling.txt
# and const_structs.checkpatch it silently skips the SPELLING and
# CONST_STRUCT checks; checkpatch.rst is read for --verbose.
NEEDED=(
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	Documentation/dev-tools/checkpatch.rst
)

# Directories whose sources are kernel code.
SOURCE_DIRS=(drivers include arch)

CHECKPATCH_OPTS=(
	# Not run from inside a kernel tree: no MAINTAINERS, get_maintainer.pl
	# or spdxcheck.py to consult.
	--no-tree
	# With --no-tree checkpatch.pl leaves $root unset, yet --strict still
	# uses it to seed known CamelCase names from $root/include, which
	# then fails noisily on "/include". Our include/ is the right seed.
	--root="$ROOT"
	--strict
	--file
	--terse
	--show-types
	--no-summary
	--color=never
	# An out-of-tree module is built against several kernels (Debian 12
	# ships 6.1 and 6.12 headers) and needs LINUX_VERSION_CODE checks;
	# "code should be for the version to which it is merged" only holds
	# in tree.
	--ignore=LINUX_VERSION_CODE
)

die()
{
	echo "checkpatch.sh: $*" >&2
	exit 2
}

have_cache()
{
	local f

	for f in "${NEEDED[@]}"; do
		[ -s "$CACHE/$f" ] || return 1
	done
}

as_root()
{
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

install_source()
{
	local install=(apt-get install -y --no-install-recommends "$SRC_PKG")

	echo "checkpatch.sh: $TARBALL missing, installing $SRC_PKG" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! as_root "${install[@]}" >&2; then
		as_root apt-get update >&2
		as_root "${install[@]}" >&2
	fi
}

extract()
{
	local tmp f
	local patterns=()

	[ -f "$TARBALL" ] || install_source
	[ -f "$TARBALL" ] || die "$TARBALL still missing after installing $SRC_PKG"

	# Members are "<topdir>/<path>"; match any one top directory.
	for f in "${NEEDED[@]}"; do
		patterns+=("*/$f")
	done

	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/.extract.XXXXXX")
	# Expanded now on purpose: $tmp is local.
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	echo "checkpatch.sh: extracting checkpatch.pl from $TARBALL" >&2
	tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 \
	    --wildcards --no-wildcards-match-slash "${patterns[@]}"

	# Rename into place so an interrupted run never leaves a half cache.
	for f in "${NEEDED[@]}"; do
		[ -s "$tmp/$f" ] || die "$f not found in $TARBALL"
		mkdir -p "$(dirname "$CACHE/$f")"
		mv -f "$tmp/$f" "$CACHE/$f"
	done
	rm -rf "$tmp"
	trap - EXIT
}

list_sources()
{
	local dir f

	for dir in "${SOURCE_DIRS[@]}"; do
		git -C "$ROOT" ls-files -co --exclude-standard -z -- \
			"$dir/*.c" "$dir/*.h"
	done | sort -zu | while IFS= read -r -d '' f; do
		# Tracked but deleted in the work tree: nothing to check.
		[ -f "$ROOT/$f" ] && printf '%s\0' "$f"
	done
}

# checkpatch.pl writes its CamelCase cache (.checkpatch-camelcase.*) into
# its current directory, so it runs from $WORKDIR, where symlinks to the
# source directories keep file names repository-relative. That matters for
# the output and for path-based checks such as those on include/ or arch/.
# GIT_DIR is dropped so a caller's setting cannot point checkpatch.pl at
# some other repository.
run_checkpatch()
{
	local dir

	mkdir -p "$WORKDIR"
	for dir in "${SOURCE_DIRS[@]}"; do
		[ -d "$ROOT/$dir" ] && ln -sfn "$ROOT/$dir" "$WORKDIR/$dir"
	done
	(cd "$WORKDIR" &&
	 env -u GIT_DIR -u GIT_WORK_TREE \
		perl "$CHECKPATCH" "${CHECKPATCH_OPTS[@]}" -- "$@")
}

# Version checks are written "#if LINUX_VERSION_CODE >= KERNEL_VERSION(...)",
# which CONSTANT_COMPARISON flags because an upper-case name is on the
# left. Ignoring that type everywhere would hide real "if (5 == x)"
# findings, so only findings on a preprocessor line that tests
# LINUX_VERSION_CODE are dropped (the same reason as --ignore above).
drop_version_checks()
{
	local line file nr pattern src

	while IFS= read -r line; do
		if [[ $line =~ ^([^:]+):([0-9]+):\ [A-Z]+:CONSTANT_COMPARISON: ]]; then
			file=${BASH_REMATCH[1]}
			nr=${BASH_REMATCH[2]}
			src=$(sed -n "${nr}p" "$ROOT/$file" 2>/dev/null || true)
			pattern='^[[:space:]]*#[[:space:]]*(el)?if.*\bLINUX_VERSION_CODE\b'
			if [[ $src =~ $pattern ]]; then
				continue
			fi
		fi
		printf '%s\n' "$line"
	done
}

main()
{
	local files=() output rc=0 problems raw_problems

	command -v git >/dev/null || die "git not found"
	command -v perl >/dev/null || die "perl not found"
	git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
		die "$ROOT is not a git work tree"

	have_cache || extract

	mapfile -d '' files < <(list_sources)

	if [ "${#files[@]}" -eq 0 ]; then
		echo "checkpatch: 0 files, 0 problems"
		return 0
	fi

	output=$(run_checkpatch "${files[@]}") || rc=$?
	raw_problems=$(printf '%s\n' "$output" |
		       grep -cE '^([^:]*:[0-9]+: )?(ERROR|WARNING|CHECK):' || true)
	output=$(printf '%s\n' "$output" | drop_version_checks)
	[ -z "$output" ] || printf '%s\n' "$output"

	# --terse: "file:line: ERROR|WARNING|CHECK:TYPE: message".
	problems=$(printf '%s\n' "$output" |
		   grep -cE '^([^:]*:[0-9]+: )?(ERROR|WARNING|CHECK):' || true)

	echo "checkpatch: ${#files[@]} files, $problems problems"

	if [ "$problems" -gt 0 ]; then
		return 1
	fi
	# A non-zero exit with no finding at all means checkpatch itself broke;
	# one explained by findings dropped above is fine.
	if [ "$rc" -ne 0 ] && [ "$raw_problems" -eq 0 ]; then
		echo "checkpatch.sh: checkpatch.pl exited with $rc" >&2
		return "$rc"
	fi
	return 0
}

main "$@"
