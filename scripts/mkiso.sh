#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkiso.sh — build a GRUB rescue ISO that boots xen-lite through Multiboot2.
#
# Usage: scripts/mkiso.sh -o OUT.iso [-k KERNEL] [-a "HYPERVISOR ARGS"] -m "FILE [ARGS]" [-m ...]
#   -o  the ISO to write
#   -k  hypervisor image (default: $BUILD/xen-lite)
#   -a  hypervisor command line (default: "console=com1 loglvl=all")
#   -m  a boot module: a file, then its command line.  The first -m is dom0.
# Boot the result with: qemu-system-x86_64 ... -boot d -cdrom OUT.iso
# Needs grub-mkrescue (grub-common), grub-pc-bin and xorriso.
set -euo pipefail
# shellcheck source=scripts/qemu-common.sh
. "$(dirname "$0")/qemu-common.sh"

usage() {
	sed -n '5,10s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

out="" kernel=$BUILD/xen-lite xen_args=$XL_BASE_ARGS mods=()
while getopts "o:k:a:m:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kernel=$OPTARG ;;
	a) xen_args=$OPTARG ;;
	m) mods+=("$OPTARG") ;;
	*) usage ;;
	esac
done
[[ -n $out && $OPTIND -gt $# && ${#mods[@]} -gt 0 ]] || usage
[[ -f $kernel ]] || xl_die "hypervisor image not found: $kernel"

# grub_words WORDS — quote each word that GRUB's script parser would otherwise interpret.
grub_words() {
	local w words res=()
	read -ra words <<<"$1"
	for w in "${words[@]}"; do
		if [[ $w =~ ^[A-Za-z0-9_=.,:/+@%-]+$ ]]; then res+=("$w"); else res+=("'${w//\'/}'"); fi
	done
	echo "${res[*]}"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
iso=$tmp/iso
mkdir -p "$iso/boot/grub"
cp "$kernel" "$iso/boot/xen-lite"

# GRUB passes a module's command line without its file name; the hypervisor drops the first
# word of every module line (QEMU's -initrd passes "FILE ARGS"), so repeat the name there.
entries=""
for mod in "${mods[@]}"; do
	read -r file args <<<"$mod"
	base=${file##*/}
	[[ -f $file ]] || xl_die "module not found: $file"
	if [[ -e $iso/boot/$base ]]; then
		cmp -s "$file" "$iso/boot/$base" || xl_die "two different modules named $base"
	else
		cp "$file" "$iso/boot/$base"
	fi
	entries+="	module2 /boot/$base $base${args:+ $(grub_words "$args")}"$'\n'
done

cat >"$iso/boot/grub/grub.cfg" <<EOF
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry xen-lite {
	multiboot2 /boot/xen-lite $(grub_words "$xen_args")
$entries	boot
}
EOF

# BIOS (i386-pc) platform only: that is what QEMU's SeaBIOS boots, and it needs no mtools.
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$iso" >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	xl_die "grub-mkrescue failed for $out"
fi
