#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh — boot xen-lite with dom0 in QEMU; the console is this terminal (Ctrl-a x quits).
#
# Usage: scripts/run.sh [HYPERVISOR ARG...] [-- QEMU OPTION...]
#   XEN_ARGS   more hypervisor arguments (placed before those on the command line)
#   DOM0       the dom0 module, "FILE [ARGS]" (default: build/pvguest/dom0.elf)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/qemu-common.sh
. scripts/qemu-common.sh

read -ra xen_args <<<"${XEN_ARGS:-}"
while [[ $# -gt 0 && $1 != -- ]]; do
	xen_args+=("$1")
	shift
done
if [[ $# -gt 0 ]]; then shift; fi
xl_kernel_args "${xen_args[*]}" "${DOM0:-$BUILD/pvguest/dom0.elf}"

echo "xen-lite: booting in QEMU (TCG). Ctrl-a x quits, Ctrl-a c switches to the QEMU monitor." >&2
status=0
"$QEMU" "${XL_QEMU_MACHINE[@]}" -nographic -serial mon:stdio "${XL_BOOT[@]}" "$@" || status=$?
case $status in
0 | 1) exit 0 ;; # Ctrl-a x, or dom0 powered off
esac
echo "xen-lite: QEMU exit status $status: $(xl_status_name "$status")" >&2
exit "$status"
