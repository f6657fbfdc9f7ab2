#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trixie-make.sh MAKE-ARGS...: make inside the Debian 13 build root
# (scripts/trixie-run.sh), with the newer sparse scripts/trixie-root.sh put
# in /opt/sparse (7.x headers need one that knows __typeof_unqual__).
exec "$(dirname "$0")/trixie-run.sh" make CHECK=/opt/sparse/usr/bin/sparse "$@"
