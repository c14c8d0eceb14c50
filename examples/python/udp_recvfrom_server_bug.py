#!/usr/bin/env python3
"""UDP truncation, the bug: recvfrom(1024) of a 2000-byte datagram keeps 1024 bytes; the kernel drops 976.

A datagram is delivered whole or not at all, but recvfrom(N) copies at most N bytes and the rest is
gone — it does not wait for the next read, as it would on TCP. Answers with the count it got, then
exits. Client: udp_recvfrom_client.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/udp_recvfrom_server_bug.py --port 9101 & sleep 0.5; \
         python3 examples/python/udp_recvfrom_client.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✗ truncated  udp.0 c2s  the server (pid 13360)'s recvfrom(1024) returned 1024 bytes of a
      2000-byte datagram: 976 bytes lost

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/udp_recvfrom_server_bug.py --port 9001 &
    seam proxy --udp --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --udp-timeout 0.5 --quiet &
    sleep 1; python3 examples/python/udp_recvfrom_client.py --port 9000; wait
    seam report proxy.pcapng

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy reads whole datagrams; the server's recvfrom(1024) is its own, and only seam trace sees it.
(seam proxy --recv-size 1024 would show what such a read loses, as a what-if, not a verdict.)
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", args.port))
    data, address = server.recvfrom(1024)  # the bug: smaller than the datagram
    print(f"server: recvfrom(1024) -> {len(data)} bytes")
    server.sendto(f"got {len(data)} bytes".encode(), address)
    server.close()


if __name__ == "__main__":
    main()
