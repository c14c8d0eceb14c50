#!/usr/bin/env bash
# Benchmarks/check.sh — how fast `seam check` searches and shrinks, on loopback. Not a test: it prints figures.
#
# 1. Chunkings per second: a 100-message line session (recorded through `seam proxy --record`) replayed with
#    `seam check --to` against a local echo server, which no chunking breaks, for --budget $BUDGET seconds, with
#    the default 20 ms between the pieces of a cut message and with none: replays and messages per second.
# 2. Shrink time: the same session against a server that takes each recv for a request, with a first failing
#    chunking of 100 cuts (every message cut after byte 1, --chunking): the replays and seconds the shrinker
#    needs to bring it down to the one cut that matters.
#
# Usage: Benchmarks/check.sh [--no-build]     (env: BUDGET=10 MESSAGES=100 KEEP=0 CONFIG=debug|release)
# Needs: swift, python3. Loopback only; every process it starts is ended on exit (trap). About 30 s.
set -euo pipefail

cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-10}
MESSAGES=${MESSAGES:-100}
CONFIG=${CONFIG:-release}
WORK=$(mktemp -d /tmp/seam-bench-check.XXXXXX)
PIDS=()
SERVERS=Tests/SeamCheckTests/Fixtures/check_servers.py

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ "${1:-}" != "--no-build" ]; then swift build -c "$CONFIG" --product seam >&2; fi
SEAM=$(swift build -c "$CONFIG" --show-bin-path)/seam

# A fixture server in the background, its standard input held open by this shell (it runs until the script
# ends); its port goes into $WORK/MODE.port.
server() {
    mkfifo "$WORK/$1.in"
    python3 "$SERVERS" "$1" < "$WORK/$1.in" > "$WORK/$1.port" &
    PIDS+=($!)
    exec {fd}>"$WORK/$1.in"
    for _ in $(seq 100); do [ -s "$WORK/$1.port" ] && break; sleep 0.05; done
}

now() { date +%s.%N; }

server echo
server recv-as-request
ECHO=$(awk '{print $2}' "$WORK/echo.port")
BUGGY=$(awk '{print $2}' "$WORK/recv-as-request.port")
PROXY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The session: MESSAGES lines, each answered before the next.
"$SEAM" proxy --listen "127.0.0.1:$PROXY_PORT" --to "127.0.0.1:$ECHO" --record "$WORK/s.pcapng" --no-capture \
    --quiet --connections 1 --framing line > /dev/null 2>&1 &
PIDS+=($!)
python3 - "$PROXY_PORT" "$MESSAGES" <<'PY'
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.05)
for i in range(count):
    line = b"message %03d of the benchmark\n" % i
    s.sendall(line)
    got = b""
    while len(got) < len(line):
        got += s.recv(4096)
s.close()
PY
wait "${PIDS[-1]}" 2>/dev/null || true

echo "seam check ($CONFIG), a $MESSAGES-message line session, loopback"
for pause in 20 0; do
    start=$(now)
    out=$("$SEAM" check "$WORK/s.pcapng" --to "127.0.0.1:$ECHO" --budget "$BUDGET" --pause "$pause" 2>/dev/null || true)
    end=$(now)
    replays=$(echo "$out" | grep -o '[0-9]* replays' | awk '{print $1}')
    awk -v r="$replays" -v s="$(echo "$end - $start" | bc)" -v m="$MESSAGES" -v p="$pause" \
        'BEGIN { printf "  echo server, --pause %2d: %d replays in %.1f s = %.1f chunkings/s (%.0f messages/s)\n", p, r, s, r / s, r * m / s }'
done

chunking=$(seq 0 $((MESSAGES - 1)) | sed 's/.*/cut:&@1/' | paste -sd, -),pause:5
start=$(now)
out=$("$SEAM" check "$WORK/s.pcapng" --to "127.0.0.1:$BUGGY" --chunking "$chunking" --budget 60 2>/dev/null || true)
end=$(now)
echo "$out" | sed -n 's/^✗ connection [0-9]*: /  finding:      /p'
shrink=$(echo "$out" | grep -o 'in [0-9]* replays ([^)]*)' | head -1)
echo "  shrinking:    $MESSAGES cuts to the one that matters ${shrink:-(no shrink line: $out)}"
awk -v s="$(echo "$end - $start" | bc)" 'BEGIN { printf "  whole check:  %.1f s\n", s }'
