#!/usr/bin/env python3
"""Sticky packets, receiver side: a slow reader; one recv takes what several sends wrote.

    python3 sticky_receiver.py --port 9001 --sleep 0.4
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record slow.pcapng
    python3 sticky_sender.py --port 9000 --gap 0.05
    seam report slow.pcapng

With --small, it reads the seed's recv(2) then recv(10): 'he', then 'llofeng'.
"""
import argparse
import socket
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument("--sleep", type=float, default=0.4, help="seconds to wait before reading")
    parser.add_argument("--small", action="store_true", help="recv(2) then recv(10)")
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    time.sleep(args.sleep)
    if args.small:
        print("recv(2)  ->", conn.recv(2))
        print("recv(10) ->", conn.recv(10))
    else:
        print("recv(1024) ->", conn.recv(1024))
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
