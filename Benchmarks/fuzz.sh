#!/usr/bin/env bash
# Runs Seam's libFuzzer targets.
#
#   Benchmarks/fuzz.sh TARGET SECONDS     build (cached) and fuzz one target for SECONDS
#   Benchmarks/fuzz.sh all SECONDS        each target in turn, SECONDS each
#   Benchmarks/fuzz.sh list               the target names
#   Benchmarks/fuzz.sh replay TARGET FILE run one input (a crash, a regression fixture) once
#
#   Benchmarks/fuzz.sh long [TARGET]      the long run (`make fuzz-long`): every target (or one) until
#                                         SEAM_FUZZ_RUNS executions (default 10 000 000), at most
#                                         SEAM_FUZZ_LONG_SECONDS each (default 36 000)
#
# SEAM_FUZZ_RUNS=N also stops a short run after N executions.
#
# Targets: pcap pcapng decoder reassembler flows conversation framing spec report (Fuzz/FuzzTarget.swift). `make
# test` runs `all 30` after the unit tests (FUZZ_SECONDS). Fuzz/regressions/TARGET holds inputs that once
# crashed: each run replays them first, then uses them as seeds. A crash a run finds is copied there
# (crash-SHA1) as well as left in .build/fuzz/crashes/TARGET, so it stays a regression input once fixed.
# The binary is SeamCore's sources plus Fuzz/*.swift compiled as one module with
# `swiftc -sanitize=fuzzer,address`; it is not part of `swift build`. Everything it writes goes under
# .build/fuzz/: the binary, seeds/TARGET (from ../shared/corpus/files next to the repository, or $SEAM_CORPUS,
# captures/ and Tests/Fixtures), corpus/TARGET (what libFuzzer keeps between runs) and crashes/TARGET. Exit
# status: 0 when no target crashed, 1 when one did, 2 for a usage error.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/fuzz"
binary="$work/seam-fuzz"
targets=(pcap pcapng decoder reassembler flows conversation framing spec report)
corpus_dir="${SEAM_CORPUS:-$root/../shared/corpus/files}"

usage() { echo "usage: $0 TARGET|all SECONDS | long [TARGET] | list | replay TARGET FILE" >&2; exit 2; }

build() {
    mkdir -p "$work"
    local sources
    sources=$(find "$root/Sources/SeamCore" "$root/Tests/SeamTestSupport/Builders" "$root/Fuzz" -name '*.swift' | sort)
    if [[ -x "$binary" ]] && [[ -z "$(find "$root/Sources/SeamCore" "$root/Tests/SeamTestSupport/Builders" "$root/Fuzz" -name '*.swift' -newer "$binary")" ]]; then
        return
    fi
    echo "fuzz.sh: building $binary" >&2
    # shellcheck disable=SC2086
    swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name SeamCore $sources -o "$binary.tmp" \
        2> >(grep -v -e "Cannot export local symbol" -e "is part of module .SeamCore.; ignoring import" >&2)
    mv "$binary.tmp" "$binary"
}

# Seed inputs for one target, made once.
seeds() {
    local target=$1 dir="$work/seeds/$1"
    [[ -d "$dir" ]] && return
    mkdir -p "$dir"
    if ! command -v python3 >/dev/null; then
        echo "fuzz.sh: python3 is missing: $target starts from the committed corpus only" >&2
        return
    fi
    python3 - "$target" "$dir" "$corpus_dir" "$root" <<'PY'
import os, struct, sys, glob
target, out, corpus, root = sys.argv[1:]
files = sorted(glob.glob(os.path.join(corpus, "*")) + glob.glob(os.path.join(root, "captures", "*"))
               + glob.glob(os.path.join(root, "Tests", "Fixtures", "**", "*.pcap*"), recursive=True))
def put(name, data):
    with open(os.path.join(out, name), "wb") as f: f.write(data)
def pcap_packets(data):
    if len(data) < 24: return None, []
    magic = data[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    if magic not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"): return None, []
    link = struct.unpack(order + "I", data[20:24])[0] & 0xFFFF
    packets, at = [], 24
    while at + 16 <= len(data) and len(packets) < 40:
        incl = struct.unpack(order + "I", data[at + 8:at + 12])[0]
        packets.append(data[at + 16:at + 16 + incl]); at += 16 + incl
    return link, packets
for path in files:
    if not os.path.isfile(path): continue
    data = open(path, "rb").read()
    base = os.path.basename(path)
    is_ng = data[:4] == b"\x0a\x0d\x0d\x0a"
    if target in ("pcap", "pcapng") and is_ng == (target == "pcapng"):
        put(base, data[:16384])
    if target == "report" and len(data) <= 200000:
        # byte 0: framing (bits 0-2), what-if recv (bit 3, size bits 4-5), pairing (bit 6), HTML when bit 7 is 0
        flags = len(base) % 7 | (0x08 | (len(base) % 4) << 4 if len(base) % 3 == 0 else 0) | (len(base) % 4) << 6
        put(base, bytes([flags]) + data[:4096])
    if target == "decoder":
        link, packets = pcap_packets(data)
        links = [1, 101, 113, 276, 0, 108, 228, 229, 12, 14]
        if link in links and packets:
            frames = [p[:0xFFFF] for p in packets[:20]]  # a BIG TCP frame is longer than a length prefix holds
            put(base, bytes([links.index(link)]) + b"".join(struct.pack(">H", len(p)) + p for p in frames))
if target == "conversation":
    for i in range(8):
        ops = b"".join(bytes([(k * 5 + i) & 0x3F, 0, (k * 3) & 0xFF, k & 0x3F, 7, k]) for k in range(30))
        put(f"stream{i}", struct.pack(">II", 0xFFFFFF00 + i, 1000 * i) + ops)
if target in ("reassembler", "flows"):
    # 8-byte operations (Fuzz/FuzzSegmentScript.swift): control, move (2), length, extra, pool, delta, window/MSS.
    def op(control, move=0, length=0, extra=0x08, pool=0, delta=0, last=0x40):
        return struct.pack(">BhBBBbB", control, move, length, extra, pool, delta, last)
    handshake = op(0x02, extra=0x80, last=182) + op(0x13, extra=0x88, last=150) + op(0x10)
    cases = {
        "in-order": [op(0x30, length=200, pool=1), op(0x31, length=120, pool=2), op(0x30, length=50, extra=0x09)],
        "out-of-order": [op(0x30, move=100, length=100, pool=3), op(0x30, move=-200, length=100, pool=4),
                         op(0x11)],
        "hole-acked": [op(0x30, move=64, length=80, pool=5), op(0x11, extra=0x10, delta=8), op(0x34),
                       op(0x15), op(0x10)],
        "late-ack": [op(0x30, move=30, length=60), op(0x34, extra=0x00), op(0x05, extra=0x00), op(0x10, extra=0x10,
                     delta=5)],
        "conflict": [op(0x30, length=40, pool=6), op(0x30, move=-20, length=40, pool=7), op(0x31, length=10)],
        "snaplen": [op(0xB0, length=200, pool=8), op(0x30, length=20), op(0x31, length=30)],
        "super": [op(0x70, length=255, extra=0x0F), op(0x31, length=200, extra=0x0A), op(0x10)],
        "rebase": [op(0x11, move=7000), op(0x13, extra=0xC8, pool=9, last=90), op(0x31, length=10)],
        "reuse": [op(0x30, length=10), op(0x0C), op(0x02, extra=0x40, pool=10), op(0x30, length=10, extra=0x28)],
        "rst": [op(0x30, length=30), op(0x19), op(0x31, length=30, move=5)],
    }
    for n, (name, ops) in enumerate(cases.items()):
        for isn in (0xFFFFFFF0, 1000 + n):
            put(f"{name}-{isn:x}", struct.pack(">II", isn, isn ^ 0x5A5A5A5A) + handshake + b"".join(ops))
if target == "framing":
    streams = [b"hello\nworld\n", b"a\r\nb\r\n", b"GET / HTTP/1.1\r\n\r\n\r\n", b"abc\0def\0",
               b"\x05hello\x03abc", b"\x00\x05hello", b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n+OK\r\n",
               b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcPOST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
               struct.pack("<i", 17) + b'{"total_size": 3}abc', b"\x00\x0c" + bytes(12),
               b"\x16\x03\x01\x00\x02ab\x17\x03\x03\x00\x01c",
               b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x05\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x01x",
               b"GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n\x81\x82abcdxy\x88\x80abcd",
               b"\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00\x32\x07\x00\x01t\x00\x01hi\xc0\x00",
               b"\x00\x00\x00\x08\x04\xd2\x16\x2f\x00\x00\x00\x09\x00\x03\x00\x00\x00Q\x00\x00\x00\x05x",
               b"\x05\x00\x00\x00\x0a5.7\x00\x01\x00\x00\x00\x03",
               b"set k 0 0 2\r\nhi\r\nget k\r\nVALUE k 0 2\r\nhi\r\nEND\r\n",
               b"\x03\x08\x96\x01\x00\x02\x12\x00", b"5\nhello3\nabc", b"12hello world!"]
    # Byte 0: one of FuzzFraming.specs (41), times 3 for the direction (either, c2s, s2c).
    for spec in range(123):
        for n, stream in enumerate(streams):
            if spec < 41 or (spec + n) % 4 == 0:
                put(f"s{spec}-{n}", bytes([spec, n * 36 & 0xFF]) + stream)
if target == "spec":
    for n, text in enumerate(["line", "crlf", "delim:\\r\\n\\r\\n", "fixed:16", "len:u32be", "len:u16le@2+4,incl",
                              "len:i32le-4", "struct:i", "jsonhdr", "resp", "http1", "dns-tcp", "len:u64be@8",
                              "len:u24le,after=1", "len:varint", "len:mqttvar@1", "len:dec", "linelen:3+2,opt",
                              "linelen:-1", "len:u32be,incl/len:u32be@1+1,incl", "line/struct:i", "tls", "http2",
                              "grpc", "websocket", "mqtt", "pgsql", "mysql", "kafka", "memcache", "protobuf",
                              "sends", "segments", "none", "auto line pgsql", "delim:a\\x2fb",
                              "call=recv conn=3 leg=downstream dir=c2s off=4096 len=1024 buf=1024",
                              "call=accept conn=1 leg=downstream proto=tcp"]):
        put(f"spec{n}", text.encode())
PY
}

# Fuzzes one target; prints its execution count and rate. Returns 1 if it found a crash.
run() {
    local target=$1 seconds=$2
    seeds "$target"
    local corpus="$work/corpus/$target" crashes="$work/crashes/$target" log="$work/$target.log"
    mkdir -p "$corpus" "$crashes"
    # Small enough to keep each target at thousands of executions a second, large enough for several packets,
    # blocks or messages per input.
    local max_len=16384
    [[ $target == pcapng ]] && max_len=4096
    [[ $target == spec ]] && max_len=256
    [[ $target == framing ]] && max_len=8192
    # reassembler: 15 segments an input (the rules need few; the cost is per segment); flows takes long ones.
    [[ $target == reassembler ]] && max_len=128
    [[ $target == flows ]] && max_len=1024
    [[ $target == conversation ]] && max_len=1024
    [[ $target == report ]] && max_len=4096
    local status=0 started=$SECONDS
    local committed=() regressions="$root/Fuzz/regressions/$target"
    if [[ -d "$regressions" ]] && [[ -n "$(ls -A "$regressions")" ]]; then
        committed+=("$regressions")
        if ! SEAM_FUZZ_TARGET=$target "$binary" "$regressions"/* >"$log" 2>&1; then
            echo "$target: a regression input crashes again; log $log"
            grep -m3 -E "ERROR|Fatal error|precondition" "$log" || true
            return 1
        fi
    fi
    # CPU seconds as well as wall-clock ones: on a shared machine the rate per CPU second is the steadier figure.
    local timer=() cpu_file="$work/$target.cpu"
    rm -f "$cpu_file"
    [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%U %S" -o "$cpu_file")
    SEAM_FUZZ_TARGET=$target ${timer[@]+"${timer[@]}"} "$binary" "$corpus" "$work/seeds/$target" \
        ${committed[@]+"${committed[@]}"} \
        -max_total_time="$seconds" \
        ${SEAM_FUZZ_RUNS:+-runs=$SEAM_FUZZ_RUNS} \
        -max_len=$max_len -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
        >"$log" 2>&1 || status=$?
    local execs rate elapsed=$((SECONDS - started))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(awk -v e="$execs" -v s="$elapsed" 'BEGIN { if (e ~ /^[0-9]+$/ && s > 0) printf "%d", e / s; else print "?" }')
    local cpu_rate="?"
    if [[ -s "$cpu_file" ]]; then
        cpu_rate=$(awk -v e="$execs" \
            '{ c = $1 + $2 } END { if (e ~ /^[0-9]+$/ && c > 0) printf "%d", e / c; else print "?" }' "$cpu_file")
    fi
    if [[ $status -ne 0 ]]; then
        keep_crashes "$target" "$crashes"
        echo "$target: CRASH after $execs executions (${rate}/s); input in $crashes and $regressions, log $log"
        grep -m3 -E "ERROR|Fatal error|precondition" "$log" || true
        return 1
    fi
    echo "$target: $execs executions in ${elapsed}s (${rate}/s; ${cpu_rate} per CPU second), corpus" \
        "$(ls "$corpus" | wc -l) inputs, no crash"
    if [[ -n ${SEAM_FUZZ_REQUIRE_RUNS:-} ]] && ! [[ $execs =~ ^[0-9]+$ && $execs -ge $SEAM_FUZZ_RUNS ]]; then
        echo "$target: stopped by the time limit (${seconds}s) before $SEAM_FUZZ_RUNS executions"
        return 1
    fi
}

# Copies every crash, leak, timeout or OOM input libFuzzer left for `target` into Fuzz/regressions/TARGET, so it
# is replayed before every later run (and committed with its fix).
keep_crashes() {
    local target=$1 crashes=$2 dir="$root/Fuzz/regressions/$1" file
    mkdir -p "$dir"
    for file in "$crashes"/crash-* "$crashes"/leak-* "$crashes"/timeout-* "$crashes"/oom-*; do
        [[ -f "$file" ]] && cp -n "$file" "$dir/"
    done
    return 0
}

[[ $# -ge 1 ]] || usage
case $1 in
list) printf '%s\n' "${targets[@]}" ;;
long)
    [[ $# -le 2 ]] || usage
    export SEAM_FUZZ_RUNS="${SEAM_FUZZ_RUNS:-10000000}" SEAM_FUZZ_REQUIRE_RUNS=1
    seconds="${SEAM_FUZZ_LONG_SECONDS:-36000}"
    build
    failed=0
    chosen=("${targets[@]}")
    [[ $# -eq 2 ]] && chosen=("$2")
    for target in "${chosen[@]}"; do run "$target" "$seconds" || failed=1; done
    [[ $failed -eq 0 ]] && echo "fuzz long: every target ran (SEAM_FUZZ_RUNS=$SEAM_FUZZ_RUNS each), no crash"
    exit $failed
    ;;
replay)
    [[ $# -eq 3 ]] || usage
    build
    SEAM_FUZZ_TARGET=$2 "$binary" "$3"
    ;;
all)
    [[ $# -eq 2 ]] || usage
    build
    failed=0
    for target in "${targets[@]}"; do run "$target" "$2" || failed=1; done
    exit $failed
    ;;
*)
    [[ $# -eq 2 ]] || usage
    [[ " ${targets[*]} " == *" $1 "* ]] || { echo "fuzz.sh: unknown target $1 (one of: ${targets[*]})" >&2; exit 2; }
    build
    run "$1" "$2"
    ;;
esac
