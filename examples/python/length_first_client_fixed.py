#!/usr/bin/env python3
"""The seed's length-first client, fixed: recv_size += len(data), the bytes THIS read returned.

The same protocol as length_first_client_bug.py; the loop now stops exactly at the announced length,
so every command gets its own answer. Server: length_first_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/length_first_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/length_first_client_fixed.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/length_first_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/length_first_client_fixed.py --port 9000; wait
    seam report proxy.pcapng

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    for command in ["ls -l", "cat notes.txt"]:
        client.send(command.encode())
        length = int(client.recv(1024).decode())
        client.send(b"recv_ready")
        recv_size = 0
        recv_data = b""
        while recv_size < length:
            data = client.recv(1024)
            if not data:
                break
            recv_data += data
            recv_size += len(data)  # the fix
        print(f"client: {command}: length {length}, got {len(recv_data)} bytes")
    client.close()


if __name__ == "__main__":
    main()
