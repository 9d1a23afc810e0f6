#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deps.sh — check for the Debian packages xen-lite needs, and install the missing ones as root.
#
# Usage: scripts/deps.sh build|test|run
#   build  compilers, host test libraries, Xen headers, GRUB ISO tools, clang-format
#   test   what `make test` needs: build's packages (no clang-format) and QEMU
#   run    what `make run` needs: the compilers and libraries, and QEMU
# Silent when everything is present.  Otherwise, as root: apt-get update + install; as
# anyone else: print the apt-get line to run and exit 1.
set -euo pipefail

# package → a command (bare word) or a file (absolute path) that shows it is installed.
# libc6-dev is only a Recommends of gcc, and so is missing after --no-install-recommends.
# qemu-system-x86 Depends on seabios and ipxe-qemu (its BIOS and option ROMs); qemu-system-gui
# is only recommended and not needed: QEMU always runs with -display none or -nographic.
declare -A probe=(
	[gcc]=gcc
	[make]=make
	[binutils]=objcopy
	[libc6-dev]=/usr/include/stdio.h
	[libcriterion-dev]=/usr/include/criterion/criterion.h
	[libxen-dev]=/usr/include/xen/xen.h
	[grub-common]=grub-mkrescue
	[grub-pc-bin]=/usr/lib/grub/i386-pc/moddep.lst
	[xorriso]=xorriso
	[mtools]=mformat
	[clang-format]=clang-format
	[qemu-system-x86]=qemu-system-x86_64
)
compile="gcc make binutils libc6-dev libcriterion-dev libxen-dev"
iso="grub-common grub-pc-bin xorriso mtools"
case ${1:-} in
build) wanted="$compile $iso clang-format" ;;
test) wanted="$compile $iso qemu-system-x86" ;;
run) wanted="$compile qemu-system-x86" ;;
*)
	echo "usage: $0 build|test|run" >&2
	exit 2
	;;
esac

missing=()
for pkg in $wanted; do
	what=${probe[$pkg]}
	if [[ $what == /* ]]; then
		[[ -e $what ]] || missing+=("$pkg")
	else
		command -v "$what" >/dev/null || missing+=("$pkg")
	fi
done
[[ ${#missing[@]} -gt 0 ]] || exit 0

if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
	echo "xen-lite needs: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "xen-lite: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
