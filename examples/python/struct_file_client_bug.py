#!/usr/bin/env python3
"""The struct-header client, the bug: the header read right, the body with ONE recv(n).

recv(8000) returns the 1000 bytes that have arrived (recv returns AT MOST n); the client takes them for
the file and asks for the next one. Its next recv(4) reads four bytes of the old body as a header — an
absurd length — so it gives up and closes with the rest unread. Server: struct_file_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/struct_file_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/struct_file_client_bug.py --port 9101; wait"
    seam report trace.pcapng --framing struct:i

Seam says:

    ✗ acted-on-partial  tcp.0 s2c  the client (pid 13064) read 1004 of message 0's 8004 bytes, then
      sent message 1 before reading the rest
    ✗ stopped-reading  tcp.0 s2c  the client (pid 13064) closed with 6996 of 8004 bytes sent to it
      unread (message 0 begun: 1008 of 8004 bytes read); its kernel reset the connection

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/struct_file_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/struct_file_client_bug.py --port 9000; wait
    seam report proxy.pcapng --framing struct:i

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy does not see the client's reads; its RST is in the capture, but its receive window never
shrank (autotuning grew it), so the capture alone does not prove the 7 KB were unread.
"""
import argparse
import socket
import struct

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    for name in [b"get a.txt", b"get b.txt"]:
        client.sendall(struct.pack("i", len(name)) + name)
        (size,) = struct.unpack("i", client.recv(4, socket.MSG_WAITALL))
        if not 0 <= size <= 1 << 20:
            print(f"client: {name!r}: the header says {size} bytes: the stream is out of step")
            break
        body = client.recv(size)  # the bug: one read for the whole body
        print(f"client: {name!r}: header says {size}, recv({size}) returned {len(body)}")
    client.close()


if __name__ == "__main__":
    main()
