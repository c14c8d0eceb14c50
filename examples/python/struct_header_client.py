#!/usr/bin/env python3
"""The fix, client side: struct.pack('i', len(body)) + body in one sendall, even when sent back to back.

    python3 struct_header_server.py --port 9001
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record framed.pcapng --framing struct:i
    python3 struct_header_client.py --port 9000
"""
import argparse
import socket
import struct

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    connect_when_listening(args.port, client)
    for body in [b"hello", b"feng", b"seam " * 60]:
        client.sendall(struct.pack("i", len(body)) + body)
        (size,) = struct.unpack("i", client.recv(4, socket.MSG_WAITALL))
        print(client.recv(size, socket.MSG_WAITALL))
    client.close()


if __name__ == "__main__":
    main()
