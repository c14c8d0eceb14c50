#!/bin/sh
# Overhead of `seam trace` on a 64-byte TCP ping-pong over loopback (C client and server, Tests/Fixtures/trace/
# pingpong.c): untraced; traced into a session file with LD_PRELOAD alone (--no-capture: the figure the
# LD_PRELOAD target is about), with --payload, and with the packet capture too (as root: the capture's own
# cost, like running tcpdump beside the program); and under `strace -f -e trace=network`.
# Each round trip is 4 socket calls (send+recv on each side). Prints µs per round trip, the overhead per call
# against the untraced run, the ratios, and last the one figure that matters: traced ÷ untraced time per round
# trip (target ≤ 1.2× for LD_PRELOAD). The runs alternate (untraced, traced, ... REPEATS times) and the best of
# each is kept, so a busy shared machine disturbs both alike; the figure is indicative there.
# Usage: Benchmarks/trace.sh [ROUNDS] [REPEATS]   (default 20000 3)
# Builds seam (debug, or SEAM_CONFIG=release) when .build/<config>/seam is missing.
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${1:-20000}
REPEATS=${2:-3}
CONFIG=${SEAM_CONFIG:-debug}
SEAM=.build/$CONFIG/seam
[ -x "$SEAM" ] && [ -f .build/$CONFIG/libSeamPreload.so ] || swift build -c "$CONFIG" >&2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/pingpong" Tests/Fixtures/trace/pingpong.c

# µs per round of one run of "$@".
once() {
    v=$("$@" 2>/dev/null | awk '/us-per-round/ { print $6 }')
    [ -n "$v" ] || { echo "run failed: $*" >&2; exit 1; }
    echo "$v"
}
lower() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }

plain="" traced="" payload="" captured="" strace=""
has_strace=$(command -v strace >/dev/null 2>&1 && echo 1 || echo "")
[ -n "$has_strace" ] || echo "strace not installed (apt-get install strace): no strace column" >&2
is_root=$([ "$(id -u)" = 0 ] && echo 1 || echo "")
[ -n "$is_root" ] || echo "not root: no row with the capture" >&2
for _ in $(seq "$REPEATS"); do
    v=$(once "$WORK/pingpong" "$ROUNDS") || exit 1
    plain=$(lower "$v" "$plain")
    v=$(once "$SEAM" trace --quiet --no-capture --record "$WORK/s.pcapng" -- "$WORK/pingpong" "$ROUNDS") || exit 1
    traced=$(lower "$v" "$traced")
    v=$(once "$SEAM" trace --quiet --no-capture --payload --record "$WORK/p.pcapng" -- "$WORK/pingpong" "$ROUNDS") \
        || exit 1
    payload=$(lower "$v" "$payload")
    if [ -n "$is_root" ]; then
        v=$(once "$SEAM" trace --quiet --record "$WORK/c.pcapng" -- "$WORK/pingpong" "$ROUNDS") || exit 1
        captured=$(lower "$v" "$captured")
    fi
    if [ -n "$has_strace" ]; then
        v=$(once strace -f -qq -e trace=network -o /dev/null "$WORK/pingpong" "$ROUNDS") || exit 1
        strace=$(lower "$v" "$strace")
    fi
done

echo "64-byte ping-pong, $ROUNDS rounds, best of $REPEATS ($CONFIG seam), µs per round trip (4 calls):"
row() {
    awk -v name="$1" -v v="$2" -v p="$plain" 'BEGIN {
        printf "  %-22s %9.2f µs/round  %6.2fx  +%.2f µs per call\n", name, v, v / p, (v - p) / 4 }'
}
row untraced "$plain"
row "seam trace" "$traced"
row "seam trace --payload" "$payload"
[ -z "$captured" ] || row "seam trace + capture" "$captured"
[ -z "$strace" ] || row "strace -f network" "$strace"
[ -z "$strace" ] || awk -v t="$traced" -v s="$strace" -v p="$plain" \
    'BEGIN { if (t > p) printf "  per-call overhead: seam trace %.1fx less than strace\n", (s - p) / (t - p)
             else print "  per-call overhead: seam trace within the noise of the untraced run" }'
awk -v t="$traced" -v p="$plain" 'BEGIN {
    r = t / p
    printf "LD_PRELOAD cost (seam trace --record, no capture): %.2f µs vs untraced %.2f µs per round trip = %.2fx (target <= 1.2x: %s)\n",
        t, p, r, r <= 1.2 ? "met" : "NOT met" }'
