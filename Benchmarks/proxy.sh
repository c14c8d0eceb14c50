#!/usr/bin/env bash
# Benchmarks/proxy.sh — what `seam proxy` costs, next to socat, on loopback. Not a test: it prints a table.
#
# For each relay (direct, socat, socat -v, seam proxy --quiet, --record, --record --lossy, --record --no-payload,
# and --record with the capture of both legs) it measures:
#   - single-stream throughput, Gbit/s (iperf3 -t $SECONDS_IPERF through the relay), and beside it what the
#     recording lost: calls and packets the session writer did not write ("unwritten", only with --lossy) and
#     packets the kernel dropped from the capture ("kdrops"); a row whose session is incomplete is marked;
#   - 64-byte TCP and UDP ping-pong round trips per second with p50/p99 latency in µs (Benchmarks/pingpong.c);
#   - the relay's CPU seconds over all three runs (/proc/PID/stat utime+stime+cutime+cstime) and its peak RSS
#     (VmHWM);
# and prints each figure as a ratio to socat, beside the targets of issues 18 and 21.
#
# Usage: Benchmarks/proxy.sh [--no-build]     (env: SECONDS_IPERF=5 ROUND_TRIPS=10000 KEEP=0)
# Needs: swift, cc, iperf3, socat; root for the capture row (else that row records calls only and says so).
# Loopback only; every process it starts is ended on exit (trap). Bounded: about 2 minutes after the build.
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_IPERF=${SECONDS_IPERF:-5}
ROUND_TRIPS=${ROUND_TRIPS:-10000}
WORK=$(mktemp -d /tmp/seam-bench.XXXXXX)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

for tool in iperf3 socat cc python3; do
    command -v "$tool" >/dev/null || { echo "proxy.sh: $tool is not installed" >&2; exit 1; }
done

if [ "${1:-}" != "--no-build" ]; then
    echo "building seam (release)…" >&2
    swift build -c release --product seam >&2
fi
SEAM=$(swift build -c release --show-bin-path)/seam
[ -x "$SEAM" ] || { echo "proxy.sh: $SEAM is not built" >&2; exit 1; }
cc -O2 -o "$WORK/pingpong" Benchmarks/pingpong.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # wait_port PORT tcp|udp: until something listens (at most 5 s)
    local flag=-ltn; [ "$2" = udp ] && flag=-lun
    for _ in $(seq 100); do ss $flag | grep -q "127.0.0.1:$1 " && return 0; sleep 0.05; done
    echo "proxy.sh: nothing listens on $2 port $1" >&2; return 1
}

# The servers, for the whole run.
IPERF_PORT=$(free_port); TCP_PORT=$(free_port); UDP_PORT=$(free_port)
iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" >/dev/null 2>&1 & PIDS+=($!)
"$WORK/pingpong" server tcp "$TCP_PORT" & PIDS+=($!)
"$WORK/pingpong" server udp "$UDP_PORT" & PIDS+=($!)
wait_port "$IPERF_PORT" tcp; wait_port "$TCP_PORT" tcp; wait_port "$UDP_PORT" udp

TICKS=$(getconf CLK_TCK)
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
cpu_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
peak_kib() { awk '/VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# start_relay NAME PROTO TARGET_PORT: starts the relay NAME in front of TARGET_PORT; sets RELAY_PID, RELAY_PORT.
start_relay() {
    local name=$1 proto=$2 target=$3
    RELAY_PORT=$(free_port)
    local seam_udp=(); [ "$proto" = udp ] && seam_udp=(--udp)
    local upper=TCP; [ "$proto" = udp ] && upper=UDP
    case $name in
        socat) socat "$upper-LISTEN:$RELAY_PORT,bind=127.0.0.1,reuseaddr,fork" "$upper:127.0.0.1:$target" \
            >/dev/null 2>&1 & ;;
        socat-v) socat -v "$upper-LISTEN:$RELAY_PORT,bind=127.0.0.1,reuseaddr,fork" "$upper:127.0.0.1:$target" \
            >/dev/null 2>&1 & ;;
        seam) "$SEAM" proxy "${seam_udp[@]}" --quiet --listen "127.0.0.1:$RELAY_PORT" --to "127.0.0.1:$target" \
            >"$WORK/summary" 2>"$WORK/stderr" & ;;
        seam-record) "$SEAM" proxy "${seam_udp[@]}" --quiet --listen "127.0.0.1:$RELAY_PORT" \
            --to "127.0.0.1:$target" --record "$WORK/s.pcapng" --no-capture >"$WORK/summary" 2>"$WORK/stderr" & ;;
        seam-lossy) "$SEAM" proxy "${seam_udp[@]}" --quiet --listen "127.0.0.1:$RELAY_PORT" \
            --to "127.0.0.1:$target" --record "$WORK/s.pcapng" --lossy --no-capture \
            >"$WORK/summary" 2>"$WORK/stderr" & ;;
        seam-nopayload) "$SEAM" proxy "${seam_udp[@]}" --quiet --listen "127.0.0.1:$RELAY_PORT" \
            --to "127.0.0.1:$target" --record "$WORK/s.pcapng" --no-payload --no-capture \
            >"$WORK/summary" 2>"$WORK/stderr" & ;;
        seam-capture) "$SEAM" proxy "${seam_udp[@]}" --quiet --listen "127.0.0.1:$RELAY_PORT" \
            --to "127.0.0.1:$target" --record "$WORK/s.pcapng" >"$WORK/summary" 2>"$WORK/stderr" & ;;
    esac
    RELAY_PID=$!
    PIDS+=("$RELAY_PID")
    wait_port "$RELAY_PORT" "$proto"
}

# stop_relay: SIGINT (seam finishes its session file), then waits; adds CPU and peak RSS to the row's totals.
stop_relay() {
    ROW_CPU=$((ROW_CPU + $(cpu_ticks "$RELAY_PID")))
    local rss; rss=$(peak_kib "$RELAY_PID")
    [ "$rss" -gt "$ROW_RSS" ] && ROW_RSS=$rss
    kill -INT "$RELAY_PID" 2>/dev/null || true
    for _ in $(seq 200); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$RELAY_PID" 2>/dev/null || true
    wait "$RELAY_PID" 2>/dev/null || true
    RUN_UNWRITTEN=""; RUN_DROPS=""; RUN_PAUSES=""
    if [ -f "$WORK/summary" ]; then
        local drops written pauses
        drops=$(grep -o '[0-9]* dropped by kernel' "$WORK/summary" | head -1 | cut -d' ' -f1 || true)
        written=$(grep -o '[0-9]* unwritten' "$WORK/summary" | head -1 | cut -d' ' -f1 || true)
        pauses=$(grep -o 'paused [0-9]* times' "$WORK/summary" | head -1 | cut -d' ' -f2 || true)
        if [ -n "$written" ]; then RUN_UNWRITTEN=$written; ROW_UNWRITTEN=$((ROW_UNWRITTEN + written)); fi
        RUN_PAUSES=${pauses:-0}
        if grep -q 'No capture' "$WORK/summary" "$WORK/stderr" 2>/dev/null; then
            ROW_DROPS="no-capture"
        elif [ -n "$drops" ] && [ "$ROW_DROPS" != no-capture ]; then
            RUN_DROPS=$drops
            ROW_DROPS=$((${ROW_DROPS:-0} + drops))
        fi
        [ "${KEEP:-0}" = 1 ] && cp "$WORK/summary" "$WORK/summary.$RELAY_PID"
        rm -f "$WORK/summary" "$WORK/stderr"
    fi
    rm -f "$WORK/s.pcapng"
}

iperf_gbps() {  # iperf_gbps PORT
    iperf3 -c 127.0.0.1 -p "$1" -t "$SECONDS_IPERF" -J 2>/dev/null \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' \
        || echo 0
}

pingpong() {  # pingpong tcp|udp PORT -> "rtt p50 p99"
    "$WORK/pingpong" client "$1" 127.0.0.1 "$2" "$ROUND_TRIPS" 2>/dev/null \
        | sed -E 's/rtt\/s=([0-9.]+) p50_us=([0-9.]+) p99_us=([0-9.]+).*/\1 \2 \3/' || echo "0 0 0"
}

ROWS=(direct socat socat-v seam seam-record seam-lossy seam-nopayload seam-capture)
declare -A LABEL=([direct]="direct" [socat]="socat" [socat-v]="socat -v" [seam]="seam --quiet"
    [seam-record]="seam --record (payload)" [seam-lossy]="seam --record --lossy"
    [seam-nopayload]="seam --record --no-payload" [seam-capture]="seam --record + capture")
declare -A GBPS TRTT TP50 TP99 URTT UP50 UP99 CPU RSS DROPS UNWRITTEN IUNW IDROP IPAUSE

for row in "${ROWS[@]}"; do
    echo "measuring: ${LABEL[$row]}" >&2
    ROW_CPU=0; ROW_RSS=0; ROW_DROPS=""; ROW_UNWRITTEN=0
    if [ "$row" = direct ]; then
        GBPS[$row]=$(iperf_gbps "$IPERF_PORT")
        read -r TRTT[$row] TP50[$row] TP99[$row] < <(pingpong tcp "$TCP_PORT")
        read -r URTT[$row] UP50[$row] UP99[$row] < <(pingpong udp "$UDP_PORT")
        CPU[$row]="-"; RSS[$row]="-"; DROPS[$row]="-"; UNWRITTEN[$row]="-"
        IUNW[$row]="-"; IDROP[$row]="-"; IPAUSE[$row]="-"
        continue
    fi
    relay=$row
    start_relay "$relay" tcp "$IPERF_PORT"; GBPS[$row]=$(iperf_gbps "$RELAY_PORT"); stop_relay
    IUNW[$row]=${RUN_UNWRITTEN:-"-"}; IDROP[$row]=${RUN_DROPS:-"-"}; IPAUSE[$row]=${RUN_PAUSES:-"-"}
    [ "$row" = seam-capture ] && DROPS_IPERF=${RUN_DROPS:-?} && UNWRITTEN_IPERF=${RUN_UNWRITTEN:-?}
    start_relay "$relay" tcp "$TCP_PORT"; read -r TRTT[$row] TP50[$row] TP99[$row] < <(pingpong tcp "$RELAY_PORT")
    stop_relay
    start_relay "$relay" udp "$UDP_PORT"; read -r URTT[$row] UP50[$row] UP99[$row] < <(pingpong udp "$RELAY_PORT")
    stop_relay
    CPU[$row]=$(awk -v t="$ROW_CPU" -v hz="$TICKS" 'BEGIN { printf "%.1f", t / hz }')
    RSS[$row]=$((ROW_RSS / 1024))
    DROPS[$row]=${ROW_DROPS:-"-"}
    UNWRITTEN[$row]=$ROW_UNWRITTEN
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f×", a / b }'; }
# incomplete ROW: "INCOMPLETE" when the row's session missed calls or packets, else "".
incomplete() {
    local u=${UNWRITTEN[$1]} d=${DROPS[$1]}
    { [ "$u" != "-" ] && [ "${u:-0}" -gt 0 ]; } || { [ "$d" != "-" ] && [ "$d" != no-capture ] && [ "${d:-0}" -gt 0 ]; } \
        && echo INCOMPLETE || echo ""
}

echo
echo "seam proxy benchmark — loopback, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r)," \
    "iperf3 -t $SECONDS_IPERF, $ROUND_TRIPS round trips of 64 B, load average at the start: $LOAD_AT_START" \
    "(figures are only comparable on an otherwise idle machine)"
printf '%-27s %7s %6s %9s %7s %6s | %8s %6s %7s %6s %7s | %8s %6s %7s %6s %7s | %6s %6s %9s %6s %s\n' \
    relay Gbit/s ×socat unwritten kdrops pauses "tcp rt/s" ×socat "p50 µs" "p99 µs" ×socat \
    "udp rt/s" ×socat "p50 µs" "p99 µs" ×socat "CPU s" "RSS MB" "unwr(all)" "kd(all)" session
for row in "${ROWS[@]}"; do
    printf '%-27s %7s %6s %9s %7s %6s | %8s %6s %7s %7s %6s | %8s %6s %7s %7s %6s | %6s %6s %9s %6s %s\n' "${LABEL[$row]}" \
        "${GBPS[$row]}" "$(ratio "${GBPS[$row]}" "${GBPS[socat]}")" "${IUNW[$row]}" "${IDROP[$row]}" "${IPAUSE[$row]}" \
        "${TRTT[$row]}" "$(ratio "${TRTT[$row]}" "${TRTT[socat]}")" "${TP50[$row]}" "${TP99[$row]}" \
        "$(ratio "${TP99[$row]}" "${TP99[socat]}")" \
        "${URTT[$row]}" "$(ratio "${URTT[$row]}" "${URTT[socat]}")" "${UP50[$row]}" "${UP99[$row]}" \
        "$(ratio "${UP99[$row]}" "${UP99[socat]}")" \
        "${CPU[$row]}" "${RSS[$row]}" "${UNWRITTEN[$row]}" "${DROPS[$row]}" "$(incomplete "$row")"
done
echo "unwritten: calls and packets the session writer did not write (only --lossy drops; lossless pauses the relay"
echo "instead: pauses); kdrops: packets the kernel dropped from the capture (pcap_stats). Both for the iperf3 run;"
echo "unwr(all)/kd(all) over all three runs of the row. INCOMPLETE: that row's session file is missing something."

verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == ">=") ? (a >= b) : (a <= b); print ok ? "met" : "MISSED" }'; }
quotient() { awk -v a="$1" -v b="$2" 'BEGIN{print (b>0)?a/b:0}'; }
echo
echo "targets (issues 18 and 21)                          measured                  verdict"
printf '%-50s %-25s %s\n' "pass-through throughput >= 2.5× socat" "$(ratio "${GBPS[seam]}" "${GBPS[socat]}")" \
    "$(verdict "$(quotient "${GBPS[seam]}" "${GBPS[socat]}")" ">=" 2.5)"
printf '%-50s %-25s %s\n' "ping-pong (tcp) >= 1.5× socat" "$(ratio "${TRTT[seam]}" "${TRTT[socat]}")" \
    "$(verdict "$(quotient "${TRTT[seam]}" "${TRTT[socat]}")" ">=" 1.5)"
printf '%-50s %-25s %s\n' "ping-pong (tcp) p99 no worse than socat" "${TP99[seam]} vs ${TP99[socat]} µs" \
    "$(verdict "${TP99[seam]}" "<=" "${TP99[socat]}")"
printf '%-50s %-25s %s\n' "--record (payload) >= 0.8× seam pass-through" \
    "$(ratio "${GBPS[seam-record]}" "${GBPS[seam]}")" \
    "$(verdict "$(quotient "${GBPS[seam-record]}" "${GBPS[seam]}")" ">=" 0.8)"
for row in seam-record seam-nopayload seam-capture; do
    printf '%-50s %-25s %s\n' "${LABEL[$row]}: 0 unwritten (all runs)" "${UNWRITTEN[$row]} unwritten" \
        "$( [ "${UNWRITTEN[$row]}" = 0 ] && echo met || echo MISSED)"
done
printf '%-50s %-25s %s\n' "--record + capture: 0 unwritten, 0 kernel drops, >= 1 Gbit/s" \
    "${GBPS[seam-capture]} Gbit/s, ${UNWRITTEN_IPERF:-?} unwr, ${DROPS_IPERF:-?} kdrops" \
    "$( [ "${DROPS_IPERF:-x}" = 0 ] && [ "${UNWRITTEN_IPERF:-x}" = 0 ] \
        && awk -v g="${GBPS[seam-capture]}" 'BEGIN{print (g>=1)?"met":"MISSED"}' || echo MISSED)"
