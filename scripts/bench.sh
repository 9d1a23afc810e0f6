#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh — boot the benchmark guest twice and print its measurements as a Markdown table.
#
# build/pvguest/bench.elf runs as dom0 and prints lines "BENCH <key> <value>" (TSC deltas).
#   run 1, plain TCG: the guest TSC follows host time, so values are (noisy) cycles;
#   run 2, -icount shift=0,sleep=off: the guest TSC counts executed instructions, so values
#          are deterministic instruction counts.
# "per second" divides the TSC rate the hypervisor calibrated by the TCG cycles (so for
# mmu_update rows it is PTE updates per second).  Rows keep the order keys first appear.  Env: XEN_ARGS, BENCH_TIMEOUT (300 s).
# Logs: build/test-logs/bench-{tcg,icount}.log, results bench-{tcg,icount}.txt beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/qemu-common.sh
. scripts/qemu-common.sh

guest=$BUILD/pvguest/bench.elf
[[ -f $guest ]] || xl_die "$guest not built (run make)"
xl_kernel_args "${XEN_ARGS:-}" "$guest"
out=$BUILD/test-logs
mkdir -p "$out"

# bench_run NAME QEMU_OPTION... — boot once; leave the "BENCH key value" lines in bench-NAME.txt.
bench_run() {
	local name=$1 log=$out/bench-$1.log res=$out/bench-$1.txt
	shift
	echo "bench: $name run ..." >&2
	xl_qemu "${BENCH_TIMEOUT:-300}" "$log" "" "${XL_BOOT[@]}" "$@"
	tr -d '\r' <"$log" | grep -oE 'BENCH [^ ]+ [^ ]+' >"$res" || true
	if [[ ! -s $res ]]; then
		echo "bench: the $name run printed no 'BENCH <key> <value>' lines; end of $log:" >&2
	elif [[ $XL_QEMU_STATUS != 1 ]]; then
		echo "bench: the $name run ended with QEMU exit status $XL_QEMU_STATUS" \
			"($(xl_status_name "$XL_QEMU_STATUS")), not 1 (poweroff); end of $log:" >&2
	else
		return 0
	fi
	tr -d '\r' <"$log" | tail -n 40 | sed 's/^/    /' >&2
	exit 1
}

bench_run tcg
bench_run icount -icount shift=0,sleep=off
# The hypervisor's calibrated TSC rate turns TCG cycles into operations per second.
mhz=$(tr -d '\r' <"$out/bench-tcg.log" | grep -oE 'TSC [0-9.]+ MHz' | head -n 1 | tr -dc '0-9.')
awk -v mhz="${mhz:-0}" 'FNR == 1 { run++ }
	!($2 in seen) { seen[$2] = 1; keys[++n] = $2 }
	{ value[run, $2] = $3 }
	END {
		print "| measure | cycles (TCG) | per second (TCG) | instructions (icount) |"
		print "|---|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			k = keys[i]
			c = ((1, k) in value) ? value[1, k] : "-"
			rate = (c != "-" && c > 0 && mhz > 0) ? sprintf("%.0f", mhz * 1e6 / c) : "-"
			printf "| %s | %s | %s | %s |\n", k, c, rate, ((2, k) in value) ? value[2, k] : "-"
		}
	}' "$out/bench-tcg.txt" "$out/bench-icount.txt"
