#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh — boot the benchmark guest four times and print its measurements as a Markdown table.
#
# build/pvguest/bench.elf runs as dom0 and prints lines "BENCH <key> <value>" (TSC deltas);
# a second copy runs as domU "peer" for the two-domain rows (pvguest/bench/pair.c).
#   tcg, icount        one CPU: every row but the cross-CPU one (both domains share the CPU)
#   tcg-2cpu, ...      -smp 2, dom0 command line "2cpu": only evtchn_rtt_cross_cpu (each
#                      domain on a CPU of its own; the scheduler has no pinning, so one CPU
#                      per boot is how the same-CPU rows get their single CPU)
#   plain TCG: the guest TSC follows host time, so values are (noisy) cycles;
#   -icount shift=0,sleep=off: the guest TSC counts executed instructions (of all CPUs:
#          icount runs them one at a time), so values are deterministic instruction counts.
# "per second" divides the TSC rate the hypervisor calibrated by the TCG cycles (so for
# mmu_update rows it is PTE updates per second; none for latencies).  Rows keep the order
# keys first appear; after the table, the notes dom0 printed ("bench: ...").
# Env: XEN_ARGS, BENCH_TIMEOUT (300 s per boot).
# Logs: build/test-logs/bench-RUN.log, results bench-RUN.txt beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/qemu-common.sh
. scripts/qemu-common.sh

guest=$BUILD/pvguest/bench.elf
[[ -f $guest ]] || xl_die "$guest not built (run make)"
out=$BUILD/test-logs
mkdir -p "$out"

# bench_run NAME DOM0_ARGS QEMU_OPTION... — boot dom0 (with DOM0_ARGS) and the peer once;
# leave the "BENCH key value" lines in bench-NAME.txt.  dom0 must say "Test result: SUCCESS".
bench_run() {
	local name=$1 args=$2 log=$out/bench-$1.log res=$out/bench-$1.txt
	shift 2
	xl_kernel_args "${XEN_ARGS:-}" "$guest${args:+ $args}" "$guest domU name=peer -- peer"
	echo "bench: $name run ..." >&2
	xl_qemu "${BENCH_TIMEOUT:-300}" "$log" "" "${XL_BOOT[@]}" "$@"
	tr -d '\r' <"$log" | grep -oE 'BENCH [^ ]+ [^ ]+' >"$res" || true
	if [[ ! -s $res ]]; then
		echo "bench: the $name run printed no 'BENCH <key> <value>' lines; end of $log:" >&2
	elif [[ $XL_QEMU_STATUS != 1 ]]; then
		echo "bench: the $name run ended with QEMU exit status $XL_QEMU_STATUS" \
			"($(xl_status_name "$XL_QEMU_STATUS")), not 1 (poweroff); end of $log:" >&2
	elif ! tr -d '\r' <"$log" | grep -q 'Test result: SUCCESS'; then
		echo "bench: in the $name run a measure went wrong (no 'Test result: SUCCESS'); end of $log:" >&2
	else
		return 0
	fi
	tr -d '\r' <"$log" | tail -n 40 | sed 's/^/    /' >&2
	exit 1
}

# shellcheck disable=SC2054  # the commas are inside an option value
icount=(-icount shift=0,sleep=off)
bench_run tcg ""
bench_run icount "" "${icount[@]}"
bench_run tcg-2cpu 2cpu -smp 2
bench_run icount-2cpu 2cpu -smp 2 "${icount[@]}"
for run in tcg-2cpu icount-2cpu; do
	tr -d '\r' <"$out/bench-$run.log" | grep -qE 'SMP: 2 of 2 CPUs? up' ||
		xl_die "the $run run did not start two CPUs (see $out/bench-$run.log)"
done
# The hypervisor's calibrated TSC rate turns TCG cycles into operations per second.
mhz=$(tr -d '\r' <"$out/bench-tcg.log" | grep -oE 'TSC [0-9.]+ MHz' | head -n 1 | tr -dc '0-9.')
awk -v mhz="${mhz:-0}" '{ run = FILENAME ~ /icount/ ? 2 : 1 }
	!($2 in seen) { seen[$2] = 1; keys[++n] = $2 }
	{ value[run, $2] = $3 }
	END {
		print "| measure | cycles (TCG) | per second (TCG) | instructions (icount) |"
		print "|---|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			k = keys[i]
			c = ((1, k) in value) ? value[1, k] : "-"
			rate = (c != "-" && c > 0 && mhz > 0 && k !~ /latency/) ? sprintf("%.0f", mhz * 1e6 / c) : "-"
			printf "| %s | %s | %s | %s |\n", k, c, rate, ((2, k) in value) ? value[2, k] : "-"
		}
	}' "$out/bench-tcg.txt" "$out/bench-tcg-2cpu.txt" "$out/bench-icount.txt" "$out/bench-icount-2cpu.txt"
# What the guests said beside the rows: the spread of the round trips and of the timer
# latency (plain TCG means include the host's scheduling), and rows left out and why.
echo
for run in tcg icount tcg-2cpu icount-2cpu; do
	tr -d '\r' <"$out/bench-$run.log" | sed -n "s/^(d0) bench: /- $run: /p"
done
