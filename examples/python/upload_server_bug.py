#!/usr/bin/env python3
"""A server that closes with unread data: one recv(1024) of a 64 KB upload, then close — its kernel sends RST.

It is busy for 0.1 s (the upload waits in its buffer), reads recv(1024) once, saves that as the file
and closes. On Linux a close with unread data does not send FIN: the kernel resets the connection and
throws the data away. Client: upload_client.py. Serves one client, then exits.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/upload_server_bug.py --port 9101 & sleep 0.5; \
         python3 examples/python/upload_client.py --port 9101; wait"
    seam report trace.pcapng --framing struct:i

Seam says:

    ✗ stopped-reading  tcp.0 c2s  the server (pid 14680) closed with 64516 of 65540 bytes sent to it
      unread (message 0 begun: 1024 of 65540 bytes read); its kernel reset the connection

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/upload_server_bug.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/upload_client.py --port 9000; wait
    seam report proxy.pcapng --framing struct:i

Seam says:

    ✗ stopped-reading  tcp.1 c2s  the server closed with at least 46080 of the 65540 bytes sent to
      it unread: its kernel reset the connection

Without the server's calls, the capture proves it: its kernel sent RST with no FIN before it, and its
receive window had shrunk by the unread bytes and never reopened.
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
    time.sleep(0.1)
    data = conn.recv(1024)  # the bug: one read, then close with the rest unread
    print(f"server: saved {len(data)} bytes")
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
