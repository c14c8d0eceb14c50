#!/usr/bin/env python3
"""TCP echo client: sends lines, prints each answer.

    python3 tcp_echo_server.py --port 9001
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record echo.pcapng --framing line
    python3 tcp_echo_client.py --port 9000
"""
import argparse
import socket

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("lines", nargs="*", default=["hello", "socket", "bye"])
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    connect_when_listening(args.port, client)
    for line in args.lines:
        client.send((line + "\n").encode())
        print(client.recv(1024))
    client.close()


if __name__ == "__main__":
    main()
