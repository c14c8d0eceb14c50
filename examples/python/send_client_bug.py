#!/usr/bin/env python3
"""send vs sendall, the bug: one send() on a non-blocking socket takes what fits, and the rest is lost.

The client shrinks SO_SNDBUF to 4 KB, makes the socket non-blocking and calls send() once with a 48 KB
message. send() returns how many bytes the kernel took — less than asked — and the client ignores it
and closes: the rest is never written. Server: send_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/send_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/send_client_bug.py --port 9101; wait"
    seam report trace.pcapng --framing fixed:49152

Seam says:

    ✗ partial-send  tcp.0 c2s  the client (pid 13949)'s send of 49152 bytes took 32741 and the other
      16411 were never written

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/send_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/send_client_bug.py --port 9000; wait
    seam report proxy.pcapng --framing fixed:49152

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy does not see the client's send calls, only the bytes that came: a message cut short.
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
    client.setblocking(False)
    taken = client.send(MESSAGE)  # the bug: the return value is ignored
    print(f"client: send({len(MESSAGE)} bytes) -> {taken}")
    client.close()


if __name__ == "__main__":
    main()
