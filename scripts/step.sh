#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# step.sh TITLE LOG COMMAND [ARGS...]: one step of make demo or make check,
# as one line on the terminal. COMMAND's whole output goes to LOG; only
# the project's own reports of what it is about to install, download or
# unpack come through ("deps: installing ...", "amd64-root: downloading
# ...", "built build/..."), so what is installed is still said before it
# is, and so do compiler warnings and errors. A line every 30 s says the step is alive (a
# download of several hundred MB is otherwise silent). On failure the end
# of LOG is shown.
set -u
title=$1 log=$2
shift 2
mkdir -p "$(dirname "$log")"
: > "$log"
start=$(date +%s)
echo "==> $title (log: $log)"
(
	while sleep 30; do
		echo "    ... $title: $(( $(date +%s) - start )) s"
	done
) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null' EXIT
"$@" 2>&1 | tee -a "$log" |
	grep --line-buffered -E '^[a-z0-9-]+: (installing|downloading|unpacking|adding|apt-get update|mmdebstrap)|^built |warning:|error:' |
	sed -u 's/^/    /'
rc=${PIPESTATUS[0]}
kill "$ticker" 2>/dev/null
secs=$(( $(date +%s) - start ))
if [ "$rc" -eq 0 ]; then
	echo "    done in $secs s"
	exit 0
fi
echo "    FAILED (status $rc after $secs s); the end of $log:"
tail -n 25 "$log" | sed 's/^/    | /'
exit "$rc"
