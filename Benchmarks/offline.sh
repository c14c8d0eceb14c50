#!/usr/bin/env bash
# Offline benchmark: how fast and in how much memory Seam reads a large loopback capture, against
# tshark's conversation table, tcpflow, and libpcap's own read loop (the read limit), all in one run, with
# the ratios the targets are about (Benchmarks/README.md).
#
# Usage: sudo Benchmarks/offline.sh [--size SIZE] [--runs N] [--framing SPEC] [--files N] [--baselines] [--regenerate]
#   --size SIZE    capture size, e.g. 150M (default) or 2G. Sizes above the generated capture are built by
#                  concatenating copies of it (one pcap header, later copies shifted in time and moved to
#                  another server port so they are new flows): RSS must stay bounded whatever the size.
#   --runs N       timed runs per tool (default 3, after one warm-up run); the median is reported.
#   --framing SPEC the framings `seam report` is timed with, space-separated (default: "none len:u32be line";
#                  none = no --framing).
#   --files N      also time `seam report --format jsonl` over N copies of the file name (default 4; 0: not),
#                  against N times one file: the scale-out over files.
#   --baselines    also time tshark and tcpflow on a scaled (--size above 150M) file; skipped by default
#                  there because tshark's memory grows with the file and it takes minutes.
#   --regenerate   record the capture again even if a cached one exists.
# Environment: BENCH_CACHE (default .build-bench/ in the package) holds the captures between runs;
#   BENCH_CONNECTIONS (1000) and BENCH_BULK_KIB (600) shape the generated traffic; BENCH_NO_HYPERFINE=1
#   times with /usr/bin/time even when hyperfine is installed.
# Must run as root (tcpdump on lo). See Benchmarks/README.md for what the baselines mean.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BENCH_CACHE:-$ROOT/.build-bench}"
CONNECTIONS="${BENCH_CONNECTIONS:-1000}"
BULK_KIB="${BENCH_BULK_KIB:-600}"
SIZE="150M"
RUNS=3
FRAMING="none len:u32be line"
FILES=4
BASELINES_ON_SCALED=0
REGENERATE=0

while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --framing) FRAMING="$2"; shift 2 ;;
        --files) FILES="$2"; shift 2 ;;
        --baselines) BASELINES_ON_SCALED=1; shift ;;
        --regenerate) REGENERATE=1; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "offline.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { echo "offline.sh: $*" >&2; }
die() { say "$*"; exit 1; }

bytes_of() {  # 150M, 2G, 500K, 1234 -> bytes
    local n="${1%[KkMmGg]}" unit="${1: -1}"
    case "$unit" in
        K|k) echo $((n << 10)) ;; M|m) echo $((n << 20)) ;; G|g) echo $((n << 30)) ;;
        *) echo "$1" ;;
    esac
}
WANT_BYTES="$(bytes_of "$SIZE")" || die "--size $SIZE: expected a number with K, M or G"

[ "$(id -u)" = 0 ] || die "must run as root (tcpdump captures on lo)"
for tool in tcpdump python3 cc; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package: time)"
if ! command -v tcpflow >/dev/null; then
    say "installing tcpflow"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpflow >/dev/null || die "cannot install tcpflow"
fi
mkdir -p "$CACHE"
WORK="$(mktemp -d /tmp/seam-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# --- the capture ------------------------------------------------------------------------------------------

BASE="$CACHE/loopback-${CONNECTIONS}c-${BULK_KIB}k.pcap"
if [ "$REGENERATE" = 1 ] || [ ! -s "$BASE" ]; then
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    say "recording $CONNECTIONS loopback connections on port $PORT into $BASE"
    : >"$WORK/tcpdump.log"
    tcpdump -i lo -U -B 65536 -w "$BASE.tmp" "tcp port $PORT" 2>"$WORK/tcpdump.log" &
    DUMP=$!
    for _ in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.log" && break; sleep 0.1; done
    python3 "$ROOT/Tests/Fixtures/scripts/loopback_traffic.py" --port "$PORT" --connections "$CONNECTIONS" \
        --bulk-kib "$BULK_KIB" || { kill -INT "$DUMP"; die "the traffic script failed"; }
    sleep 1
    kill -INT "$DUMP"
    wait "$DUMP" || true
    grep -E "captured|dropped" "$WORK/tcpdump.log" >&2 || true
    mv "$BASE.tmp" "$BASE"
fi
FILE="$BASE"
BASE_BYTES="$(stat -c %s "$BASE")"
SCALED=0
if [ "$WANT_BYTES" -gt $((BASE_BYTES * 3 / 2)) ]; then
    COPIES=$(((WANT_BYTES + BASE_BYTES - 1) / BASE_BYTES))
    FILE="$CACHE/$(basename "$BASE" .pcap)-x$COPIES.pcap"
    SCALED=1
    if [ ! -s "$FILE" ] || [ "$FILE" -ot "$BASE" ]; then
        say "building $FILE: $COPIES copies of $(basename "$BASE")"
        python3 - "$BASE" "$COPIES" "$FILE.tmp" <<'PY'
# Concatenates COPIES copies of a little-endian microsecond pcap of Ethernet/IPv4 TCP on one server port:
# one file header; copy k is shifted by k times the capture's duration (plus a second) and its server port
# is raised by k, so every copy's connections are new flows (checksums are not fixed; no reader checks them).
import struct, sys
source, copies, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(source, "rb").read()
assert data[:4] == b"\xd4\xc3\xb2\xa1", "expected a little-endian microsecond pcap"
records, offset = [], 24
while offset + 16 <= len(data):
    length = struct.unpack_from("<I", data, offset + 8)[0]
    records.append((offset, length))
    offset += 16 + length
first = struct.unpack_from("<I", data, 24)[0]
span = struct.unpack_from("<I", data, records[-1][0])[0] - first + 1
ports = {}
for start, length in records[:200]:  # the server port: the one port every packet has
    frame = start + 16
    if length >= 38 and data[frame + 12:frame + 14] == b"\x08\x00":
        for port in struct.unpack_from(">HH", data, frame + 14 + (data[frame + 14] & 15) * 4):
            ports[port] = ports.get(port, 0) + 1
server = max(ports, key=ports.get)
with open(target, "wb") as out:
    out.write(data[:24])
    for k in range(copies):
        chunk = bytearray(data[24:])
        if k:
            for start, length in records:
                at = start - 24
                struct.pack_into("<I", chunk, at, struct.unpack_from("<I", chunk, at)[0] + k * span)
                frame = at + 16
                if length >= 38 and chunk[frame + 12:frame + 14] == b"\x08\x00":
                    tcp = frame + 14 + (chunk[frame + 14] & 15) * 4
                    source_port, destination_port = struct.unpack_from(">HH", chunk, tcp)
                    if source_port == server:
                        struct.pack_into(">H", chunk, tcp, server + k)
                    if destination_port == server:
                        struct.pack_into(">H", chunk, tcp + 2, server + k)
        out.write(chunk)
PY
        mv "$FILE.tmp" "$FILE"
    fi
fi
FILE_BYTES="$(stat -c %s "$FILE")"
say "capture: $FILE ($((FILE_BYTES >> 20)) MiB)"

# --- the tools ----------------------------------------------------------------------------------------------

say "building seam (release)"
(cd "$ROOT" && swift build -c release --product seam >"$WORK/build.log" 2>&1) || { cat "$WORK/build.log" >&2; die "build failed"; }
SEAM="$ROOT/.build/release/seam"
cc -O2 -o "$WORK/pcap_read" "$ROOT/Benchmarks/pcap_read.c" -lpcap || die "cannot build pcap_read.c (libpcap-dev?)"
HAS_REPORT=0
# `seam report --help` prints the root help when there is no such subcommand, so look for its usage line.
# grep reads it all (-q would stop early, and pipefail would count the SIGPIPE as a failure).
if "$SEAM" report --help 2>&1 | grep "USAGE: seam report" >/dev/null; then HAS_REPORT=1; fi

# name|command|prepare (run before each timed run, untimed)
TOOLS=()
TOOLS+=("pcap_next_ex loop|$WORK/pcap_read $FILE|")
TOOLS+=("seam inspect|$SEAM inspect $FILE|")
if [ "$HAS_REPORT" = 1 ]; then
    for spec in $FRAMING; do
        if [ "$spec" = none ]; then
            TOOLS+=("seam report|$SEAM report $FILE|")
        else
            TOOLS+=("seam report $spec|$SEAM report $FILE --framing $spec|")
        fi
    done
    if [ "$FILES" -gt 0 ]; then
        many=""
        for _ in $(seq "$FILES"); do many="$many $FILE"; done
        TOOLS+=("seam report x$FILES files|$SEAM report --format jsonl --framing len:u32be$many|")
        TOOLS+=("seam report 1 file jsonl|$SEAM report --format jsonl --framing len:u32be $FILE|")
    fi
fi
if [ "$SCALED" = 0 ] || [ "$BASELINES_ON_SCALED" = 1 ]; then
    command -v tshark >/dev/null && TOOLS+=("tshark conv,tcp|tshark -q -z conv,tcp -r $FILE|")
    TOOLS+=("tcpflow|tcpflow -r $FILE -o $WORK/flows|rm -rf $WORK/flows; mkdir -p $WORK/flows")
fi

# --- measure ------------------------------------------------------------------------------------------------

export BENCH_LOAD="$(cut -d" " -f1-3 /proc/loadavg)"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for entry in "${TOOLS[@]}"; do
    IFS='|' read -r name command prepare <<<"$entry"
    say "timing $name: $command"
    if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
        args=(--warmup 1 --runs "$RUNS" --style none --output null --export-json "$WORK/h.json")
        [ -n "$prepare" ] && args+=(--prepare "$prepare")
        if ! hyperfine "${args[@]}" "$command" >&2; then
            say "$name failed; left out of the table"
            continue
        fi
        read -r median cpu < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["user"] + r["system"])' "$WORK/h.json")
    else
        times=()
        for run in $(seq 0 "$RUNS"); do  # run 0 is the warm-up
            [ -n "$prepare" ] && bash -c "$prepare"
            /usr/bin/time -f "%e %U %S" -o "$WORK/t" bash -c "$command >/dev/null 2>&1" || true
            [ "$run" -gt 0 ] && times+=("$(tail -1 "$WORK/t")")
        done
        read -r median cpu < <(printf '%s\n' "${times[@]}" | sort -g |
            awk '{e[NR]=$1; c+=$2+$3} END {print e[int((NR+1)/2)], c/NR}')
    fi
    [ -n "$prepare" ] && bash -c "$prepare"
    status=0
    /usr/bin/time -f %M -o "$WORK/rss" bash -c "exec $command >/dev/null 2>$WORK/stderr" || status=$?
    [ "$status" = 0 ] || say "$name exited $status: $(tail -c 300 "$WORK/stderr")"
    printf '%s\t%s\t%s\t%s\n' "$name" "$median" "$(tail -1 "$WORK/rss")" "$cpu" >>"$RESULTS"
done
rm -rf "$WORK/flows"

# --- the table ----------------------------------------------------------------------------------------------

python3 - "$RESULTS" "$FILE_BYTES" "$FILE" "$HAS_REPORT" "$FILES" <<'EOF'
import os, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
size, path, has_report, files = int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1", int(sys.argv[5])
t = {name: float(sec) for name, sec, _, _ in rows}
rss = {name: int(kib) / 1024 for name, _, kib, _ in rows}
cpu = {name: float(c) for name, _, _, c in rows}
print(f"capture: {path}  ({size / 1e6:.0f} MB); {os.cpu_count()} cores; load average before the run: "
      f"{os.environ.get('BENCH_LOAD', '?')}")
print(f"{'tool':<26}{'median s':>10}{'MB/s':>10}{'peak RSS MB':>13}{'CPU s':>9}{'cores':>7}")
for name, _, _, _ in rows:
    scale = files if name.startswith("seam report x") else 1
    print(f"{name:<26}{t[name]:>10.3f}{scale * size / 1e6 / t[name]:>10.0f}{rss[name]:>13.1f}{cpu[name]:>9.3f}"
          f"{cpu[name] / t[name]:>7.2f}")
print("(median s: wall clock, the figure the checks use; CPU s: mean user+system, steadier on a busy machine;")
print(" cores: CPU s / median s, how many cores the tool kept busy)")
print()
print(f"{'check':<50}{'measured':>10}  {'target':<9} verdict")
def check(label, value, target, ok, unit="x", cpu_value=None):
    extra = f"   (by CPU time: {cpu_value:.2f}{unit})" if cpu_value is not None else ""
    print(f"{label:<50}{value:>9.2f}{unit}  {target:<9} {'ok' if ok else 'MISSED'}{extra}")
pcap, tshark, tcpflow = "pcap_next_ex loop", "tshark conv,tcp", "tcpflow"
many, one = f"seam report x{files} files", "seam report 1 file jsonl"
seam = [name for name, _, _, _ in rows if name.startswith("seam") and name not in (many, one)]
for tool in seam:
    if tshark in t:
        r = t[tshark] / t[tool]
        check(f"{tool} vs tshark -z conv,tcp", r, ">= 10x", r >= 10, cpu_value=cpu[tshark] / cpu[tool])
    if tcpflow in t:
        r = t[tcpflow] / t[tool]
        check(f"{tool} vs tcpflow -r", r, "(ratio)", True, cpu_value=cpu[tcpflow] / cpu[tool])
    if pcap in t:
        r = t[pcap] / t[tool] * 100
        target = 50 if tool == "seam inspect" else 0
        check(f"{tool} rate vs libpcap read loop", r, f">= {target}%" if target else "(ratio)", r >= target, "%",
              cpu_value=cpu[pcap] / cpu[tool] * 100)
    check(f"{tool} peak RSS", rss[tool], "<= 100MB", rss[tool] <= 100, "MB")
    if tool.startswith("seam report"):
        check(f"{tool} cores used", cpu[tool] / t[tool], "> 1.2", cpu[tool] / t[tool] > 1.2, "")
if many in t and one in t:
    r = files * t[one] / t[many]
    check(f"{many} vs {files} x one file (scale-out)", r, "> 1.5x", r > 1.5, cpu_value=files * cpu[one] / cpu[many])
if not has_report:
    print("seam report: skipped (this seam has no `report` command yet)")
EOF
