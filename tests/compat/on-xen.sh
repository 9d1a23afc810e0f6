#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# on-xen.sh — boot one of our guests as dom0 of real Xen 4.17 (Debian's package) under QEMU:
# the other half of the compatibility promise (guests built here run on Xen).
#
# Usage: tests/compat/on-xen.sh NAME   (NAME: a test under pvguest/tests/, or xen-abi-guest)
# Prints "PASS xen/NAME (5.8s)", "SKIP xen/NAME: why" (Xen could not be fetched) or
# "FAIL xen/NAME: why" with the end of the log.  Exit status: 0 pass, 1 fail, 77 skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
[[ $# -eq 1 ]] || { echo "usage: $0 NAME" >&2; exit 2; }
name=$1 elf=$BUILD/pvguest/$1.elf log=$BUILD/test-logs/xen-$1.log
mkdir -p "$BUILD/test-logs"
[[ -f $elf ]] || { echo "FAIL xen/$name: $elf not built"; exit 1; }
start=$EPOCHREALTIME
rc=0
# The test's own hypervisor options (test.conf XEN_ARGS, e.g. dom0_max_vcpus=4) are Xen's too.
xen_args=""
conf=pvguest/tests/$name/test.conf
if [[ -f $conf ]]; then
	# shellcheck disable=SC1090
	xen_args=$(XEN_ARGS="" && . "$conf" >/dev/null 2>&1 && echo "$XEN_ARGS")
fi
# shellcheck disable=SC2086 # the options are words
pvguest/run-on-xen.sh "$elf" $xen_args >"$log" 2>&1 </dev/null || rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
case $rc in
0) echo "PASS xen/$name (${secs}s)" ;;
77) echo "SKIP xen/$name: $(tail -n 1 "$log")"; exit 77 ;;
*)
	echo "FAIL xen/$name: no 'Test result: SUCCESS' on real Xen (rerun: tests/compat/on-xen.sh $name)"
	tail -n 40 "$log" | sed 's/^/    /'
	exit 1
	;;
esac
