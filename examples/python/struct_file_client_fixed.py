#!/usr/bin/env python3
"""The struct-header client, fixed: the header, then recv in a loop until the body is whole.

The same requests as struct_file_client_bug.py; every body is read to its last byte before the next
request, however it was cut on the way. Server: struct_file_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/struct_file_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/struct_file_client_fixed.py --port 9101; wait"
    seam report trace.pcapng --framing struct:i

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/struct_file_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/struct_file_client_fixed.py --port 9000; wait
    seam report proxy.pcapng --framing struct:i

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket
import struct

from lesson_net import connect_when_listening


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
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    for name in [b"get a.txt", b"get b.txt"]:
        client.sendall(struct.pack("i", len(name)) + name)
        (size,) = struct.unpack("i", recv_exactly(client, 4))
        body = recv_exactly(client, size)
        print(f"client: {name!r}: header says {size}, got {len(body)} bytes")
    client.close()


if __name__ == "__main__":
    main()
