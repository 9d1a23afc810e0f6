#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-guest.sh — boot one in-guest test under QEMU and judge its console log.
#
# Usage: tests/guest/run-guest.sh NAME [--iso]
#   Boots build/xen-lite with the modules of pvguest/tests/NAME/test.conf (default: just
#   build/pvguest/NAME.elf as dom0) through -kernel, or with --iso (or BOOT=iso in test.conf)
#   through a GRUB ISO (Multiboot2) built as build/xen-lite-NAME.iso.  The log is
#   build/test-logs/NAME[-iso].log.
# Prints one line, "PASS guest/NAME (1.2s)", "SKIP ..." or "FAIL guest/NAME: why" followed by
# the end of the log.  Exit status: 0 pass, 1 fail, 77 skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/qemu-common.sh
. scripts/qemu-common.sh

[[ $# -ge 1 && $# -le 2 && ${2:---iso} == --iso ]] || xl_die "usage: $0 NAME [--iso]"
name=$1 iso=${2:+1}
conf=pvguest/tests/$name/test.conf
label="guest/$name" log="" com2_dir=""
mkdir -p "$BUILD/test-logs"

fail() {
	echo "FAIL $label: $*"
	if [[ -s $log || -s $log.com2 ]]; then
		echo "    --- last 40 lines of $log${com2_dir:+ and .com2} (rerun: tests/guest/run-guest.sh $name${iso:+ --iso}) ---"
		cat "$log" "$log.com2" 2>/dev/null | tr -d '\r' | tail -n 40 | sed 's/^/    /'
	fi
	exit 1
}

# Read test.conf in a subshell so it can only set the variables we ask for.
mapfile -d '' -t conf_vals < <(
	XEN_ARGS="" MODULES=SELF EXPECT=1 TIMEOUT=60 EXPECT_EXIT=1 EXPECT_LOG="" EXPECT_NO_LOG=""
	QEMU_ARGS="" BOOT=kernel COM2_INPUT="" COM2_READY="COM2 ready"
	# shellcheck disable=SC1090
	if [[ -f $conf ]]; then . "$conf" >&2; fi
	printf '%s\0' "$XEN_ARGS" "$MODULES" "$EXPECT" "$TIMEOUT" "$EXPECT_EXIT" "$EXPECT_LOG" \
		"$EXPECT_NO_LOG" "$QEMU_ARGS" "$BOOT" "$COM2_INPUT" "$COM2_READY"
)
[[ ${#conf_vals[@]} -eq 11 ]] || fail "cannot read $conf"
XEN_ARGS=${conf_vals[0]} MODULES=${conf_vals[1]} EXPECT=${conf_vals[2]} TIMEOUT=${conf_vals[3]}
EXPECT_EXIT=${conf_vals[4]} EXPECT_LOG=${conf_vals[5]} EXPECT_NO_LOG=${conf_vals[6]}
QEMU_ARGS=${conf_vals[7]} BOOT=${conf_vals[8]} COM2_INPUT=${conf_vals[9]} COM2_READY=${conf_vals[10]}
[[ $EXPECT =~ ^[0-9]+$ && $TIMEOUT =~ ^[0-9]+$ ]] || fail "$conf: EXPECT and TIMEOUT must be numbers"
[[ $EXPECT_EXIT =~ ^([0-9]+|any)$ ]] || fail "$conf: EXPECT_EXIT must be a number or 'any'"
[[ $BOOT =~ ^(kernel|iso)$ ]] || fail "$conf: BOOT must be 'kernel' or 'iso'"
[[ $BOOT == kernel ]] || iso=1
label="guest/$name${iso:+ (iso)}"
log=$BUILD/test-logs/$name${iso:+-iso}.log
rm -f "$log" "$log.com2"
# More QEMU options (e.g. "-smp 4"): they come after the standard machine options, and a
# later option wins, so they can change those (-smp 4 replaces -smp 1).
read -ra qemu_args <<<"$QEMU_ARGS"
# EXPECT_LOG: one grep -E pattern per line; every one must match somewhere in the log.
# EXPECT_NO_LOG: the same, but none may match.
mapfile -t log_patterns < <(grep -v '^[[:space:]]*$' <<<"$EXPECT_LOG" || true)
mapfile -t no_log_patterns < <(grep -v '^[[:space:]]*$' <<<"$EXPECT_NO_LOG" || true)

# Each MODULES entry is "WORD ARGS": SELF is this test's guest, a bare name N is
# build/pvguest/N.elf, anything with a slash is a path.
mods=()
IFS=, read -ra entries <<<"$MODULES"
for entry in "${entries[@]}"; do
	read -r word args <<<"$entry" || true
	case $word in
	"") continue ;;
	SELF) file=$BUILD/pvguest/$name.elf ;;
	*/*) file=$word ;;
	*) file=$BUILD/pvguest/$word.elf ;;
	esac
	[[ -f $file ]] || fail "$file not built"
	mods+=("$file${args:+ $args}")
done
[[ ${#mods[@]} -gt 0 ]] || fail "no modules to boot"
[[ -f $BUILD/xen-lite ]] || fail "$BUILD/xen-lite not built"

# The console log, and what the guests wrote to COM2 (if the test has one, see below).
console() { cat "$log" "$log.com2" 2>/dev/null | tr -d '\r' || true; }
results() { console | grep -oE 'Test result: (SUCCESS|SKIP|ERROR|FAILURE)' || true; }
# missing_patterns — print the EXPECT_LOG patterns that do not match the log, one a line.
missing_patterns() {
	local text p
	text=$(console)
	for p in "${log_patterns[@]}"; do
		grep -qE -- "$p" <<<"$text" || echo "$p"
	done
}
log_matches() { [[ -z $(missing_patterns) ]]; }
all_seen() { [[ $(results | wc -l) -ge $EXPECT ]] && log_matches; }

if [[ -n $iso ]]; then
	image=$BUILD/xen-lite-$name.iso
	mkiso_args=()
	for mod in "${mods[@]}"; do mkiso_args+=(-m "$mod"); done
	scripts/mkiso.sh -o "$image" -a "$XL_BASE_ARGS${XEN_ARGS:+ $XEN_ARGS}" "${mkiso_args[@]}" ||
		fail "cannot build $image"
	boot=(-boot d -cdrom "$image")
else
	xl_kernel_args "$XEN_ARGS" "${mods[@]}"
	boot=("${XL_BOOT[@]}")
fi

# COM2_INPUT: the test gets QEMU's second UART (COM2: ports 0x2f8-0x2ff, ISA IRQ 3) on a
# pair of FIFOs.  Once the console log matches COM2_READY (a grep -E pattern, default
# "COM2 ready": the guest says it is listening), COM2_INPUT is written to it (printf %b:
# \n and friends work).  What guests write to COM2 goes to $log.com2 and is judged with
# the console log (EXPECT_LOG, results), so console=com2 in XEN_ARGS works too.
com2_pids=()
com2_cleanup() {
	local p
	for p in "${com2_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [[ -n $com2_dir ]]; then rm -rf "$com2_dir"; fi
}
com2_feed() {
	local deadline=$((SECONDS + TIMEOUT))
	until console | grep -qE -- "$COM2_READY"; do
		((SECONDS < deadline)) || return 0
		sleep 0.1
	done
	# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
	timeout 10 bash -c 'printf "%b" "$1" >"$2"' _ "$COM2_INPUT" "$com2_dir/com2.in" || true
}
if [[ -n $COM2_INPUT ]]; then
	com2_dir=$(mktemp -d)
	mkfifo "$com2_dir/com2.in" "$com2_dir/com2.out"
	qemu_args+=(-chardev "pipe,id=com2,path=$com2_dir/com2" -serial chardev:com2)
	# Both end by themselves (QEMU closing the FIFO, the time limit) if nobody stops them.
	timeout $((TIMEOUT + 10)) cat "$com2_dir/com2.out" >"$log.com2" &
	com2_pids+=($!)
	com2_feed &
	com2_pids+=($!)
fi

# With EXPECT_EXIT=any dom0 may idle forever: stop QEMU once every result line is in.
stop=""
[[ $EXPECT_EXIT != any ]] || stop=all_seen
start=$EPOCHREALTIME
xl_qemu "$TIMEOUT" "$log" "$stop" "${boot[@]}" "${qemu_args[@]}"
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
if [[ -n $com2_dir ]]; then
	# QEMU is gone: the reader sees the end of the FIFO once it has copied everything.
	timeout 5 tail --pid="${com2_pids[0]}" -f /dev/null || true
	com2_cleanup
fi

# Judge: exactly EXPECT result lines, none ERROR/FAILURE, the right exit, EXPECT_LOG present.
status=$XL_QEMU_STATUS
res=$(results)
count=$(grep -c . <<<"$res" || true)
bad=$(grep -cE 'ERROR|FAILURE' <<<"$res" || true)
why=()
if [[ $XL_QEMU_STOPPED == 0 && ($status == 124 || $status == 137) ]]; then
	why+=("timeout after ${TIMEOUT}s (hang)")
elif [[ $EXPECT_EXIT != any && $status != "$EXPECT_EXIT" ]]; then
	why+=("QEMU exit status $status ($(xl_status_name "$status")), expected $EXPECT_EXIT")
fi
if [[ $count != "$EXPECT" ]]; then
	note=""
	[[ ${#why[@]} -gt 0 ]] || note=" (QEMU exit status $status: $(xl_status_name "$status"))"
	why+=("$count 'Test result:' line(s), expected $EXPECT$note")
fi
[[ $bad == 0 ]] || why+=("results: $(xargs <<<"${res//Test result: /}")")
while read -r p; do
	[[ -z $p ]] || why+=("log does not match EXPECT_LOG '$p'")
done < <(missing_patterns)
for p in "${no_log_patterns[@]}"; do
	if console | grep -qE -- "$p"; then why+=("log matches EXPECT_NO_LOG '$p'"); fi
done

if [[ ${#why[@]} -gt 0 ]]; then
	printf -v msg '%s; ' "${why[@]}"
	fail "${msg%; }"
elif grep -q SKIP <<<"$res"; then
	echo "SKIP $label (${secs}s)"
	exit 77
fi
echo "PASS $label (${secs}s)"
