#!/usr/bin/env bash
# Records the BIG TCP loopback captures of Tests/Fixtures/files (bigtcp-ipv4.pcap, bigtcp-ipv6.pcap,
# bigtcp-ipv4-snaplen.pcap): one bulk TCP transfer on loopback with GSO/GRO allowed to 185 000 bytes, so Linux
# writes super-packets above 64 KiB (IPv4 total length 0; IPv6 with a hop-by-hop Jumbo Payload option).
#
#   sudo Tests/Fixtures/scripts/bigtcp_capture.sh OUTDIR
#
# Everything runs in a private network namespace (unshare --net): the machine's own loopback is not touched.
# Needs root, Linux >= 6.3 (gso_ipv4_max_size), tcpdump and python3. The loopback MTU is 1500 so that segments
# larger than the MSS are what GSO makes; 600 000 bytes is about what it takes for the window to open past
# 64 KiB. Check the result with: tshark -r FILE -T fields -e frame.len | sort -n | tail -1  (> 65 549).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

inner() {  # inside the namespace: $1 = 4 or 6, $2 = bytes, $3 = snaplen (0 = whole), $4 = file
    ip link set lo up mtu 1500
    ip link set lo gso_max_size 185000 gro_max_size 185000
    # gso_ipv4_max_size / gro_ipv4_max_size (IFLA 63 and 64): iproute2 before 6.3 cannot set them.
    python3 - <<'PY'
import socket, struct
index = socket.if_nametoindex("lo")
attrs = b"".join(struct.pack("HHI", 8, kind, 185000) for kind in (63, 64))
body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, 0, 0) + attrs
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.send(struct.pack("IHHII", 16 + len(body), 16, 1 | 4, 1, 0) + body)  # RTM_NEWLINK, REQUEST|ACK
assert struct.unpack("i", s.recv(4096)[16:20])[0] == 0, "setting gso_ipv4_max_size failed"
PY
    tcpdump -i lo -B 65536 -U -s "$3" -w "$4" 2>/dev/null &
    local capture=$!
    sleep 1
    python3 - "$1" "$2" <<'PY'
import socket, sys, threading
family = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
host, size = ("::1" if family == socket.AF_INET6 else "127.0.0.1"), int(sys.argv[2])
server = socket.socket(family, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
server.bind((host, 9555)); server.listen(1)
def serve():
    peer, _ = server.accept(); got = 0
    while True:
        data = peer.recv(1 << 20)
        if not data: break
        got += len(data)
    peer.sendall(b"ok %d\n" % got); peer.close()
thread = threading.Thread(target=serve); thread.start()
client = socket.socket(family, socket.SOCK_STREAM)
client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
client.connect((host, 9555))
client.sendall(bytes((i * 7 + (i >> 8)) & 0xFF for i in range(size))); client.shutdown(socket.SHUT_WR)
print(client.recv(100).decode().strip()); client.close(); thread.join()
PY
    sleep 1
    kill "$capture"
    wait "$capture" || true
}

if [[ ${1:-} == --inner ]]; then shift; inner "$@"; exit; fi
out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
unshare --net "$here/bigtcp_capture.sh" --inner 4 600000 0 "$out/bigtcp-ipv4.pcap"
unshare --net "$here/bigtcp_capture.sh" --inner 6 600000 0 "$out/bigtcp-ipv6.pcap"
unshare --net "$here/bigtcp_capture.sh" --inner 4 2000000 128 "$out/bigtcp-ipv4-snaplen.pcap"
