#!/bin/sh
# Overhead of `seam trace` on a 64-byte TCP ping-pong over loopback (C client and server, Tests/Fixtures/trace/
# pingpong.c): untraced, traced (payload off), traced with --payload, and under `strace -f -e trace=network`.
# Each round trip is 4 socket calls (send+recv on each side). Prints µs per round trip, the overhead per call
# against the untraced run, and the ratios. Usage: Benchmarks/trace.sh [ROUNDS] [REPEATS]   (default 20000 3)
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

# The best (lowest) µs per round of REPEATS runs of "$@".
best() {
    b=""
    for _ in $(seq "$REPEATS"); do
        v=$("$@" 2>/dev/null | awk '/us-per-round/ { print $6 }')
        [ -n "$v" ] || { echo "run failed: $*" >&2; exit 1; }
        if [ -z "$b" ] || awk "BEGIN { exit !($v < $b) }"; then b=$v; fi
    done
    echo "$b"
}

plain=$(best "$WORK/pingpong" "$ROUNDS")
traced=$(best "$SEAM" trace --quiet --record "$WORK/s.pcapng" -- "$WORK/pingpong" "$ROUNDS")
payload=$(best "$SEAM" trace --quiet --payload --record "$WORK/p.pcapng" -- "$WORK/pingpong" "$ROUNDS")
if command -v strace >/dev/null 2>&1; then
    strace=$(best strace -f -qq -e trace=network -o /dev/null "$WORK/pingpong" "$ROUNDS")
else
    strace=""
    echo "strace not installed (apt-get install strace): no strace column" >&2
fi

echo "64-byte ping-pong, $ROUNDS rounds, best of $REPEATS ($CONFIG seam), µs per round trip (4 calls):"
row() {
    awk -v name="$1" -v v="$2" -v p="$plain" 'BEGIN {
        printf "  %-22s %9.2f µs/round  %6.2fx  +%.2f µs per call\n", name, v, v / p, (v - p) / 4 }'
}
row untraced "$plain"
row "seam trace" "$traced"
row "seam trace --payload" "$payload"
[ -z "$strace" ] || row "strace -f network" "$strace"
[ -z "$strace" ] || awk -v t="$traced" -v s="$strace" -v p="$plain" \
    'BEGIN { printf "  per-call overhead: seam trace %.1fx less than strace\n", (s - p) / (t - p) }'
