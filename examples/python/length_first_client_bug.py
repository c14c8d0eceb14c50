#!/usr/bin/env python3
"""The seed's length-first client, the bug: recv_size += len(recv_data) counts the whole buffer each time.

After recv_ready it loops `recv_data += conn.recv(1024); recv_size += len(recv_data)`: 1024, then
1024 + 2048, then + 3072 — past the 5080 announced after three reads, with only 3072 bytes in. It sends
the next command and reads the old listing as the next length: int() fails, it gives up and closes.
Server: length_first_server.py.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/length_first_server.py --port 9101 & sleep 0.5; \
         python3 examples/python/length_first_client_bug.py --port 9101; wait"
    seam report trace.pcapng

Seam says:

    ✗ acted-on-partial  tcp.0 s2c  the client (pid 8323) read 3072 of message 1's 5080 bytes, then
      sent message 2 (`cat notes.txt`) before reading the rest
    ✗ stopped-reading  tcp.0 s2c  the client (pid 8323) closed with 986 of 5086 bytes sent to it
      unread (message 1 begun: 4096 of 5080 bytes read); its kernel reset the connection

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/length_first_server.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/length_first_client_bug.py --port 9000; wait
    seam report proxy.pcapng

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy does not see the client's reads, and 1 KB left unread is too little for the capture to prove
it.
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
        reply = client.recv(1024)
        try:
            length = int(reply.decode())
        except ValueError:
            print(f"client: {command}: the 'length' is {reply[:30]!r}…: the stream is out of step")
            break
        client.send(b"recv_ready")
        time.sleep(0.05)  # the whole answer is there before the loop
        recv_size = 0
        recv_data = b""
        while recv_size < length:
            recv_data += client.recv(1024)
            recv_size += len(recv_data)  # the bug: the length of everything read so far
        print(f"client: {command}: length {length}, stopped with {len(recv_data)} bytes")
    client.close()


if __name__ == "__main__":
    main()
