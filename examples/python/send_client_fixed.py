#!/usr/bin/env python3
"""send vs sendall, the fix: sendall() sends, waits until the socket is writable, and sends the rest.

The same small SO_SNDBUF; with a timeout (Python then polls for room between sends) sendall() takes
every one of the 48 KB, in as many send calls as it needs. Server: send_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/send_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/send_client_fixed.py --port 9101; wait"
    seam report trace.pcapng --framing fixed:49152

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/send_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/send_client_fixed.py --port 9000; wait
    seam report proxy.pcapng --framing fixed:49152

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket

from lesson_net import connect_when_listening

MESSAGE = bytes(97 + i % 26 for i in range(49152))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    connect_when_listening(args.port, client)
    client.settimeout(5)  # non-blocking underneath, with a wait for room between sends
    client.sendall(MESSAGE)
    print(f"client: sendall({len(MESSAGE)} bytes) done")
    client.close()


if __name__ == "__main__":
    main()
