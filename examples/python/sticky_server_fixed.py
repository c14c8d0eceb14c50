#!/usr/bin/env python3
"""Sticky packets, the fix: every message carries struct.pack('i', n); the server reads exactly n bytes.

The client (sticky_client.py --framed) sends both framed requests at once; the server is busy for
0.2 s, so both are in its buffer when it reads — and it still answers each, because it cuts the bytes
by their headers, not by its reads. Serves one client, then exits.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/sticky_server_fixed.py --port 9101 & sleep 0.5; \
         python3 examples/python/sticky_client.py --port 9101 --framed; wait"
    seam report trace.pcapng --framing struct:i --pairing

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/sticky_server_fixed.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/sticky_client.py --port 9000 --framed; wait
    seam report proxy.pcapng --framing struct:i --pairing

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket
import struct
import time


def recv_exactly(sock, count):
    data = b""
    while len(data) < count:
        piece = sock.recv(min(1024, count - len(data)))
        if not piece:
            raise ConnectionError(f"peer closed after {len(data)} of {count} bytes")
        data += piece
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    time.sleep(0.2)
    while True:
        header = conn.recv(4, socket.MSG_WAITALL)
        if len(header) < 4:
            break
        (size,) = struct.unpack("i", header)
        request = recv_exactly(conn, size)
        print("server: request", request)
        answer = request.upper()
        conn.sendall(struct.pack("i", len(answer)) + answer)
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
