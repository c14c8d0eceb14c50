#!/usr/bin/env python3
"""The client of the sticky-packet pair: two quick requests, 'hello' and 'feng', then their two answers.

Plain (the seed's protocol: no framing) it goes with sticky_server_bug.py; with --framed every message
carries struct.pack('i', len(body)) and it goes with sticky_server_fixed.py. The docstrings of the two
servers have the commands and what Seam says about each.
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
    parser.add_argument("--framed", action="store_true", help="struct.pack('i', n) before every message")
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    requests = [b"hello", b"feng"]
    for request in requests:
        client.send(struct.pack("i", len(request)) + request if args.framed else request)
    client.settimeout(1.0)
    for request in requests:
        try:
            if args.framed:
                (size,) = struct.unpack("i", recv_exactly(client, 4))
                answer = recv_exactly(client, size)
            else:
                answer = client.recv(1024)
        except socket.timeout:
            print(f"client: no answer to {request!r} after 1 s")
            break
        print(f"client: the answer to {request!r}: {answer!r}")
    client.close()


if __name__ == "__main__":
    main()
