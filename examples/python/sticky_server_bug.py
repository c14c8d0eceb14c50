#!/usr/bin/env python3
"""Sticky packets, the bug: a server that takes each recv(1024) for one request, and answers once for two.

The client (sticky_client.py) sends 'hello' and 'feng' at once; the server is busy for 0.2 s, so both
wait in its buffer, and one recv(1024) returns b'hellofeng'. It answers b'HELLOFENG' once: the second
request gets no answer. Serves one client, then exits.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/sticky_server_bug.py --port 9101 & sleep 0.5; \
         python3 examples/python/sticky_client.py --port 9101; wait"
    seam report trace.pcapng --pairing

Seam says:

    ✗ unanswered  tcp.0 c2s  the server (pid 7179) answered 1 of 2 requests: request 1 got no answer

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/sticky_server_bug.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/sticky_client.py --port 9000; wait
    seam report proxy.pcapng --pairing

Seam says:

    ✓ no framing bug seen, 2 flows

The proxy sees the bytes, not the programs' reads, and a stream without framing has no messages to pair:
the report says the programs' reads were not observed. Run them under seam trace.
"""
import argparse
import socket
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    time.sleep(0.2)  # busy: both requests are waiting when it reads
    while True:
        request = conn.recv(1024)  # the bug: one read taken for one request
        if not request:
            break
        print("server: request", request)
        conn.send(request.upper())
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
