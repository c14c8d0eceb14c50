#!/bin/sh
# Cost of `seam watch` (eBPF) on a 64-byte TCP ping-pong over loopback (Tests/Fixtures/trace/pingpong.c: a C
# client and its forked server; each round trip is 4 socket calls, send+recv on each side): untraced, watched
# without a file, watched into a session (payload on, the default 64 KiB snaplen), watched with the capture
# beside it, and, for comparison, seam trace's LD_PRELOAD. Prints µs per round trip and the ratio to the
# untraced run, all measured in this one run (the target: seam watch ≤ 1.5×). Needs root (or CAP_BPF and
# CAP_PERFMON). Usage: Benchmarks/watch.sh [ROUNDS] [REPEATS]   (default 20000 5; the best of REPEATS runs).
# Builds seam (release, or SEAM_CONFIG=debug) when .build/<config>/seam is missing.
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${1:-20000}
REPEATS=${2:-5}
CONFIG=${SEAM_CONFIG:-release}
SEAM=.build/$CONFIG/seam
[ -x "$SEAM" ] && [ -f .build/$CONFIG/libSeamPreload.so ] || swift build -c "$CONFIG" >&2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/pingpong" Tests/Fixtures/trace/pingpong.c

# The best (lowest) µs per round of REPEATS runs of "$@", the runs of the variants interleaved by the caller.
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
watched=$(best "$SEAM" watch --quiet -- "$WORK/pingpong" "$ROUNDS")
recorded=$(best "$SEAM" watch --quiet --no-capture --record "$WORK/w.pcapng" -- "$WORK/pingpong" "$ROUNDS")
captured=$(best "$SEAM" watch --quiet --record "$WORK/c.pcapng" -- "$WORK/pingpong" "$ROUNDS")
preload=$(best "$SEAM" trace --quiet --method preload --payload --no-capture --record "$WORK/p.pcapng" -- \
    "$WORK/pingpong" "$ROUNDS")
again=$(best "$WORK/pingpong" "$ROUNDS")

echo "64-byte TCP ping-pong, $ROUNDS rounds, best of $REPEATS ($CONFIG seam, $(nproc) CPUs), µs per round trip (4 calls):"
row() {
    awk -v name="$1" -v v="$2" -v p="$plain" 'BEGIN {
        printf "  %-40s %8.2f µs/round  %5.2fx  +%.2f µs per call\n", name, v, v / p, (v - p) / 4 }'
}
row "untraced" "$plain"
row "seam watch (no file)" "$watched"
row "seam watch --record --no-capture" "$recorded"
row "seam watch --record (with the capture)" "$captured"
row "seam trace --method preload --payload" "$preload"
row "untraced, again (the machine's drift)" "$again"
awk -v w="$recorded" -v p="$plain" 'BEGIN {
    r = w / p; printf "  seam watch --record: %.2fx the untraced time per round trip (target <= 1.5x): %s\n", r,
    r <= 1.5 ? "met" : "NOT met" }'
