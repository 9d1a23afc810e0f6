#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-all.sh — run every xen-lite test and print a summary (what `make test` runs after building).
#
#   1. every Criterion binary under build/tests/unit/ and build/tests/abi/ (host, one at a time),
#      and the clang-format style check
#   2. every in-guest test pvguest/tests/<name>/ booted through QEMU's -kernel (Multiboot1)
#   3. the hello test again through a GRUB ISO (Multiboot2)
#   4. xen-abi-guest, a guest built against Xen's own headers, as dom0
#   5. several of our guests as dom0 of real Xen 4.17 (skipped if Debian's package can't be
#      fetched): guests built here must run on Xen too
# Guest tests run in parallel (JOBS, default: nproc); their output is printed in order.
# The last line is "N passed, N failed[, N skipped]"; exit status 0 iff nothing failed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/qemu-common.sh
. scripts/qemu-common.sh

passed=0 failed=0 skipped=0
logs=$BUILD/test-logs
mkdir -p "$logs"
tmp=$(mktemp -d)
declare -A running=() # pid of a guest test -> its index
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'if [[ ${#running[@]} -gt 0 ]]; then kill "${!running[@]}" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT

# tally STATUS — count one result: 0 passed, 77 skipped, anything else failed.
tally() {
	case $1 in
	0) passed=$((passed + 1)) ;;
	77) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

# run_criterion BINARY — run one Criterion program; count its test cases from its summary line
# "Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N" (crashes are among the failing).
run_criterion() {
	local bin=$1 name=${1#"$BUILD"/tests/} out start rc=0 summary tested pass fail crash
	out=$logs/${name//\//-}.log
	start=$EPOCHREALTIME
	timeout 300 "$bin" >"$out" 2>&1 </dev/null || rc=$?
	summary=$(sed 's/\x1b\[[0-9;]*m//g' "$out" |
		grep -oE 'Tested: [0-9]+ \| Passing: [0-9]+ \| Failing: [0-9]+ \| Crashing: [0-9]+' | tail -n 1 || true)
	read -r tested pass fail crash <<<"$(tr -c '0-9' ' ' <<<"$summary")" || true
	if [[ -z $summary ]]; then
		failed=$((failed + 1))
		echo "FAIL $name: no Criterion summary (exit status $rc)"
	elif [[ $fail -gt 0 || $rc -ne 0 ]]; then
		passed=$((passed + pass))
		failed=$((failed + (fail > 0 ? fail : 1)))
		echo "FAIL $name: $fail of $tested failing, $crash of them crashing (exit status $rc)"
	else
		passed=$((passed + pass))
		echo "PASS $name ($tested tests, $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')s)"
		return
	fi
	echo "    --- last 40 lines of $out ---"
	tail -n 40 "$out" | sed 's/^/    /'
}

# 1. Host tests.
bins=()
for dir in "$BUILD/tests/unit" "$BUILD/tests/abi"; do
	if [[ -d $dir ]]; then
		mapfile -t -O "${#bins[@]}" bins < <(find "$dir" -maxdepth 1 -type f -executable | sort)
	fi
done
if [[ ${#bins[@]} -eq 0 ]]; then
	echo "SKIP unit: no Criterion binaries under $BUILD/tests/unit or $BUILD/tests/abi"
	skipped=$((skipped + 1))
fi
for bin in "${bins[@]}"; do run_criterion "$bin"; done

# Style: every C file as the root .clang-format has it (skipped without clang-format).
if command -v clang-format >/dev/null; then
	mapfile -t unformatted < <(git ls-files '*.c' '*.h' | while read -r f; do
		clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"
	done)
	if [[ ${#unformatted[@]} -eq 0 ]]; then
		passed=$((passed + 1))
		echo "PASS style/clang-format"
	else
		failed=$((failed + 1))
		echo "FAIL style/clang-format: not formatted (run make format): ${unformatted[*]}"
	fi
else
	skipped=$((skipped + 1))
	echo "SKIP style/clang-format: clang-format is not installed"
fi

# 2–5. Guest tests (the build makes one per pvguest/tests/*/main.c); each entry is a
# command line.
guests=()
for main in pvguest/tests/*/main.c; do
	if [[ -f $main ]]; then guests+=("tests/guest/run-guest.sh $(basename "$(dirname "$main")")"); fi
done
for extra in "hello --iso:pvguest/tests/hello" "xen-abi-guest:pvguest/xen-abi-guest"; do
	if [[ -d ${extra#*:} ]]; then
		guests+=("tests/guest/run-guest.sh ${extra%%:*}")
	else
		echo "SKIP guest/${extra%%:*}: ${extra#*:} does not exist yet"
		skipped=$((skipped + 1))
	fi
done
# On real Xen: the tests whose expectations hold there.  (traps is left out: QEMU 7.2 gives
# Xen a wrong error code for `int N`, which Xen trusts; xen-lite decodes the instruction.)
if pvguest/run-on-xen.sh --fetch >"$logs/xen-fetch.log" 2>&1; then
	for name in hello ring3 usermode hcall-abuse cpuid memory pt-build pt-link pt-wpt pt-victim vcpus evtchn time timer timer-smp xen-abi-guest; do
		guests+=("tests/compat/on-xen.sh $name")
	done
else
	echo "SKIP xen/*: $(tail -n 1 "$logs/xen-fetch.log")"
	skipped=$((skipped + 1))
fi

# Run up to JOBS at once; print each test's output as soon as it and all before it are done.
jobs_max=${JOBS:-$(nproc)}
next=0 shown=0 status=()
while [[ $shown -lt ${#guests[@]} ]]; do
	if [[ $next -lt ${#guests[@]} && ${#running[@]} -lt $jobs_max ]]; then
		read -ra args <<<"${guests[next]}"
		"${args[@]}" >"$tmp/$next.out" 2>&1 </dev/null &
		running[$!]=$next
		next=$((next + 1))
		continue
	fi
	pid="" rc=0
	wait -n -p pid "${!running[@]}" || rc=$?
	[[ -n $pid ]] || xl_die "lost track of the guest tests"
	status[${running[$pid]}]=$rc
	unset "running[$pid]"
	while [[ $shown -lt $next && -n ${status[shown]:-} ]]; do
		cat "$tmp/$shown.out"
		tally "${status[shown]}"
		shown=$((shown + 1))
	done
done

echo "$passed passed, $failed failed$([[ $skipped -eq 0 ]] || echo ", $skipped skipped")"
[[ $failed -eq 0 ]]
