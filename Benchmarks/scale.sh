#!/usr/bin/env bash
# Scale and backpressure checks of `seam proxy` on loopback (bounded, self-stopping).
#
#   Benchmarks/scale.sh idle [N]        N concurrent idle connections (default 10000, fewer when the proxy's
#                                       open-file limit cannot hold 2 per connection): proxy RSS, then every
#                                       connection must still relay a line.  Target: RSS <= 1 GB, all relay.
#   Benchmarks/scale.sh slow-reader [MB] a server that never reads while the client sends up to MB MiB
#                                       (default 1024) for at most 20 s.  Target: proxy RSS grows < 64 MB.
#
# SEAM=path/to/seam picks the binary (default .build/debug/seam; a release build gives realistic numbers).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seam="${SEAM:-$root/.build/debug/seam}"
mode="${1:-}"; [[ $mode == idle || $mode == slow-reader ]] || { echo "usage: $0 idle [N] | slow-reader [MB]" >&2; exit 2; }
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Upstream: an echo server (idle) or a server that accepts and never reads (slow-reader).
python3 - "$mode" "$work/upstream.port" <<'PY' &
import asyncio, resource, sys
mode, portfile = sys.argv[1:]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE); resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
async def handle(reader, writer):
    held.append(writer)
    if mode == "slow-reader":
        await asyncio.sleep(3600)
    while data := await reader.read(65536):
        writer.write(data); await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    open(portfile, "w").write(str(server.sockets[0].getsockname()[1]))
    await asyncio.sleep(3600)
asyncio.run(main())
PY
for _ in $(seq 50); do [[ -s $work/upstream.port ]] && break; sleep 0.1; done
upstream=$(cat "$work/upstream.port")

"$seam" proxy --listen 127.0.0.1:0 --to "127.0.0.1:$upstream" --quiet 2>"$work/proxy.err" &
proxy=$!
for _ in $(seq 100); do grep -q "listening on" "$work/proxy.err" && break; sleep 0.1; done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/proxy.err" | grep -o '[0-9]*$')
limit=$(awk '/Max open files/ { print $4 }' "/proc/$proxy/limits")
echo "proxy pid $proxy on port $port, relaying to $upstream; its open-file limit is $limit"

python3 - "$mode" "$port" "$proxy" "${2:-}" "$limit" <<'PY'
import resource, socket, sys, time
mode, port, pid, arg, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) // 1024
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE); resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
idle = rss()
print(f"proxy idle RSS {idle} MB")
if mode == "idle":
    wanted = int(arg or 10000)
    n = min(wanted, (limit - 64) // 2, hard - 64)
    if n < wanted: print(f"only {n} connections: the proxy's open-file limit {limit} holds 2 per connection")
    conns, start = [], time.time()
    for i in range(n):
        conns.append(socket.create_connection(("127.0.0.1", port)))
    time.sleep(3)
    peak = rss()
    print(f"{n} idle connections open in {time.time() - start:.1f} s; proxy RSS {peak} MB (+{peak - idle} MB)")
    bad = 0
    for i, c in enumerate(conns):
        c.settimeout(10)
        line = b"ping %d\n" % i
        c.sendall(line)
        got = b""
        while len(got) < len(line):
            chunk = c.recv(100)
            if not chunk: break
            got += chunk
        bad += got != line
    print(f"after: {n - bad} of {n} connections relayed a line; proxy RSS {rss()} MB")
    for c in conns: c.close()
    sys.exit(1 if bad or peak > 1024 else 0)
else:
    total = int(arg or 1024) << 20
    c = socket.create_connection(("127.0.0.1", port)); c.settimeout(2)
    block, sent, start = b"x" * 65536, 0, time.time()
    while sent < total and time.time() - start < 20:
        try: sent += c.send(block)
        except socket.timeout: break
    time.sleep(1)
    grown = rss() - idle
    print(f"sent {sent >> 20} MiB before the writer blocked; proxy RSS grew {grown} MB (target < 64 MB)")
    c.close()
    sys.exit(1 if grown >= 64 else 0)
PY
