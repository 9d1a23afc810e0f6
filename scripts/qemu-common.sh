# SPDX-License-Identifier: MIT
# qemu-common.sh — shared settings and helpers for booting xen-lite under QEMU (source it).
#
# Callers run from the repository root.  Environment knobs:
#   BUILD      build directory (default: build)
#   QEMU       QEMU binary (default: qemu-system-x86_64)
#   QEMU_CPU   CPU model (default: max — works under TCG on Debian 12's QEMU 7.2)
#   QEMU_EXTRA more QEMU options for every run, e.g. "-s -S" (wait for gdb) or "-d int"
# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts sourcing us

BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_CPU=${QEMU_CPU:-max}

# Hypervisor command line every boot starts with; callers append their own arguments.
XL_BASE_ARGS="console=com1 loglvl=all"

# The emulated PC: TCG only (never /dev/kvm), one CPU, 512 MiB, no NIC.  isa-debug-exit lets
# the hypervisor end QEMU: exit status = (value << 1) | 1.  -no-reboot turns a triple fault or
# reset into QEMU exiting with status 0.  Options given later win: a test's QEMU_ARGS of
# "-smp 4" (run-guest.sh passes them after these) gives it four CPUs.
# shellcheck disable=SC2054  # the commas are inside option values
XL_QEMU_MACHINE=(-machine pc -accel tcg -cpu "$QEMU_CPU" -m 512 -smp 1 -nic none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=4)
read -ra XL_QEMU_EXTRA <<<"${QEMU_EXTRA:-}"
XL_QEMU_MACHINE+=("${XL_QEMU_EXTRA[@]}")

# xl_die MESSAGE — print "xen-lite: MESSAGE" on stderr and exit 1.
xl_die() {
	echo "xen-lite: $*" >&2
	exit 1
}

# xl_kernel_args XEN_ARGS MODULE... — set XL_BOOT to the -kernel/-append/-initrd options that
# boot build/xen-lite with MODULEs ("FILE ARGS", the first is dom0).  QEMU separates modules
# with commas, so neither a module's arguments nor a file name may contain one.
xl_kernel_args() {
	local xen_args=$1 mod file initrd=""
	shift
	XL_BOOT=(-kernel "$BUILD/xen-lite" -append "$XL_BASE_ARGS${xen_args:+ $xen_args}")
	for mod in "$@"; do
		[[ $mod != *,* ]] || xl_die "a comma cannot appear in a module line: '$mod'"
		file=${mod%% *}
		[[ -f $file ]] || xl_die "module not found: $file"
		initrd+=${initrd:+,}$mod
	done
	[[ -f $BUILD/xen-lite ]] || xl_die "$BUILD/xen-lite not built (run make)"
	if [[ -n $initrd ]]; then XL_BOOT+=(-initrd "$initrd"); fi
}

# xl_status_name STATUS — what a QEMU exit status means for a xen-lite run.
xl_status_name() {
	case $1 in
	0) echo "reset or triple fault (no isa-debug-exit)" ;;
	1) echo "dom0 poweroff" ;;
	3) echo "dom0 reboot" ;;
	5) echo "dom0 suspend" ;;
	7) echo "dom0 crash" ;;
	9) echo "dom0 watchdog" ;;
	127) echo "hypervisor panic" ;;
	124 | 137) echo "timeout (hang)" ;;
	*) echo "unexpected exit status" ;;
	esac
}

# xl_qemu SECONDS LOG STOP_FN QEMU_ARG... — run QEMU headless with the console in LOG (QEMU's
# own messages are appended to it) and a time limit.  If STOP_FN is not empty it is called
# every 0.2 s while QEMU runs; when it succeeds QEMU is stopped and XL_QEMU_STOPPED=1.
# Sets XL_QEMU_STATUS (124 = time limit hit).  QEMU is stopped if the caller is interrupted.
xl_qemu() {
	local limit=$1 log=$2 stop=$3
	shift 3
	rm -f "$log" "$log.stderr"
	trap xl_qemu_kill EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	XL_QEMU_STOPPED=0
	timeout -k 5 "$limit" "$QEMU" "${XL_QEMU_MACHINE[@]}" -display none -monitor none \
		-serial "file:$log" "$@" </dev/null 2>"$log.stderr" &
	XL_QEMU_PID=$!
	while [[ -n $stop ]] && kill -0 "$XL_QEMU_PID" 2>/dev/null; do
		if "$stop"; then
			XL_QEMU_STOPPED=1
			kill "$XL_QEMU_PID" 2>/dev/null || true
			break
		fi
		sleep 0.2
	done
	XL_QEMU_STATUS=0
	wait "$XL_QEMU_PID" || XL_QEMU_STATUS=$?
	XL_QEMU_PID=
	touch "$log"
	cat "$log.stderr" >>"$log"
	rm -f "$log.stderr"
}

# Stop the QEMU started by xl_qemu (through its `timeout`, which passes the signal on).
xl_qemu_kill() {
	if [[ -n ${XL_QEMU_PID:-} ]]; then kill "$XL_QEMU_PID" 2>/dev/null || true; fi
}
