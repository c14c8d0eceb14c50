#!/usr/bin/env python3
"""UDP truncation, the fix: recvfrom(65507), a buffer as large as the largest UDP datagram over IPv4.

The same exchange as udp_recvfrom_server_bug.py; the whole 2000-byte datagram fits, one datagram per
call. Answers with the count it got, then exits. Client: udp_recvfrom_client.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/udp_recvfrom_server_fixed.py --port 9101 & sleep 0.5; \
         python3 examples/python/udp_recvfrom_client.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/udp_recvfrom_server_fixed.py --port 9001 &
    seam proxy --udp --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --udp-timeout 0.5 --quiet &
    sleep 1; python3 examples/python/udp_recvfrom_client.py --port 9000; wait
    seam report proxy.pcapng

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", args.port))
    data, address = server.recvfrom(65507)
    print(f"server: recvfrom(65507) -> {len(data)} bytes")
    server.sendto(f"got {len(data)} bytes".encode(), address)
    server.close()


if __name__ == "__main__":
    main()
