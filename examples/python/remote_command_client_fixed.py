#!/usr/bin/env python3
"""The remote-command client, the fix: read the 4-byte struct.pack('i', n) header, then loop until n bytes.

Goes with `remote_command_server.py --header`. Every command gets its own answer, however many reads
it takes, and nothing is left unread when the client closes.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/remote_command_server.py --port 9101 --header & sleep 0.5; \
         python3 examples/python/remote_command_client_fixed.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/remote_command_server.py --port 9001 --header &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/remote_command_client_fixed.py --port 9000; wait
    seam report proxy.pcapng

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
    for command in ["ls -l", "cat notes.txt"]:
        client.send(command.encode())
        (size,) = struct.unpack("i", recv_exactly(client, 4))
        res = recv_exactly(client, size)
        print(f"client: {command} -> {len(res)} bytes: {res[:40]!r}")
    client.close()


if __name__ == "__main__":
    main()
