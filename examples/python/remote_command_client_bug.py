#!/usr/bin/env python3
"""The seed's remote-command client, the bug: one recv(1024) per command, for a 5 KB answer.

It sends `ls -l`, reads the answer with one recv(1024) — the first kilobyte of 5080 bytes — and sends
the next command, `cat notes.txt`, whose recv(1024) returns the next kilobyte of the OLD answer. Then it
closes with the rest unread, and its kernel resets the connection. Server: remote_command_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/remote_command_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/remote_command_client_bug.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✗ acted-on-partial  tcp.0 s2c  the client (pid 7671) read 1024 of message 0's 5080 bytes, then
      sent message 1 (`cat notes.txt`) before reading the rest
    ✗ stopped-reading  tcp.0 s2c  the client (pid 7671) closed with 3074 of 5122 bytes sent to it
      unread (message 0 begun: 2048 of 5080 bytes read); its kernel reset the connection

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/remote_command_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/remote_command_client_bug.py --port 9000; wait
    seam report proxy.pcapng

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy does not see the client's reads. The client's RST is in the capture, but 3 KB unread did not
shrink its receive window (autotuning had grown it), so the capture alone does not prove unread data.
"""
import argparse
import socket
import time

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = connect_when_listening(args.port)
    for command in ["ls -l", "cat notes.txt"]:
        client.send(command.encode())
        time.sleep(0.15)  # the whole answer is there before the read
        res = client.recv(1024)  # the bug: one read taken for the whole answer
        print(f"client: {command} -> {len(res)} bytes: {res[:40]!r}")
    client.close()


if __name__ == "__main__":
    main()
