#!/usr/bin/env python3
"""The client of the close-with-unread-data pair: a 64 KB upload behind struct.pack('i', n), then the answer.

Goes with upload_server_bug.py (one recv, then close) and upload_server_fixed.py (reads it all); their
docstrings have the commands and what Seam says.
"""
import argparse
import socket
import struct

from lesson_net import connect_when_listening

UPLOAD = bytes(65 + i % 26 for i in range(65536))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    client.sendall(struct.pack("i", len(UPLOAD)) + UPLOAD)
    try:
        answer = client.recv(1024)
    except ConnectionResetError:
        answer = b""
    print("client: uploaded 65536 bytes; the server answered", answer or "nothing (it closed)")
    client.close()


if __name__ == "__main__":
    main()
