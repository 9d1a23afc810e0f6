#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot a pvguest ELF as dom0 of the *real* Xen 4.17 (Debian's xen-hypervisor-4.17-amd64)
# under QEMU/TCG, to check that what we build really speaks Xen's ABI.
#
#   pvguest/run-on-xen.sh build/pvguest/hello.elf [extra Xen command-line words...]
#   pvguest/run-on-xen.sh --fetch      only fetch the Xen package (exit 77 if impossible)
#
# Prints the guest's output (everything after Xen's "Freed ... init memory"); exits 0 if
# the guest printed "Test result: SUCCESS". Needs qemu-system-x86, grub-pc-bin, xorriso,
# mtools; fetches the Xen package with `apt-get download` (nothing is installed) into
# $XEN_CACHE (default build/xen-4.17). Environment: TIMEOUT (seconds, default 120),
# QEMU_EXTRA (e.g. "-icount shift=0,sleep=off").
set -euo pipefail

elf=${1:?usage: $0 GUEST.elf [xen args...] | --fetch}
shift
cache=${XEN_CACHE:-build/xen-4.17}
timeout=${TIMEOUT:-120}

if [ ! -f "$cache/xen.gz" ]; then
    mkdir -p "$cache"
    if ! (cd "$cache" && apt-get download xen-hypervisor-4.17-amd64 >/dev/null 2>&1); then
        echo "cannot fetch Debian's xen-hypervisor-4.17-amd64 (apt-get download failed)" >&2
        exit 77
    fi
    dpkg -x "$cache"/xen-hypervisor-4.17-amd64_*.deb "$cache/root"
    cp "$cache"/root/boot/xen-4.17-amd64.gz "$cache/xen.gz"
fi
[ "$elf" != --fetch ] || exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/boot/grub"
cp "$cache/xen.gz" "$work/iso/boot/xen.gz"
cp "$elf" "$work/iso/boot/guest.elf"
cat >"$work/iso/boot/grub/grub.cfg" <<EOF
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry xen {
  multiboot2 /boot/xen.gz console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all guest_loglvl=all noreboot $*
  module2 /boot/guest.elf $(basename "$elf" .elf)
}
EOF
grub-mkrescue -o "$work/xen.iso" "$work/iso" >/dev/null 2>&1

log=$work/serial.log
# shellcheck disable=SC2086 # QEMU_EXTRA is a list of words
qemu-system-x86_64 -M pc -cpu max -m 512 -display none -monitor none -no-reboot \
    -cdrom "$work/xen.iso" -serial "file:$log" ${QEMU_EXTRA:-} &
qemu=$!
for _ in $(seq $((timeout * 2))); do
    sleep 0.5
    grep -qE 'Dom0 (halted|crashed|shutdown)|rebooting machine|Panic on CPU' "$log" 2>/dev/null && break
    kill -0 "$qemu" 2>/dev/null || break
done
sleep 0.5
kill "$qemu" 2>/dev/null || true
wait "$qemu" 2>/dev/null || true

sed -n '/Freed .* init memory/,$p' "$log"
grep -q 'Test result: SUCCESS' "$log"
