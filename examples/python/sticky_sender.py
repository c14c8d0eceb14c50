#!/usr/bin/env python3
"""Sticky packets, sender side: two quick small sends leave as one segment (Nagle).

Start the receiver (sticky_receiver.py) and the proxy first:

    python3 sticky_receiver.py --port 9001 --sleep 0
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record sticky.pcapng
    python3 sticky_sender.py --port 9000
    seam report sticky.pcapng
"""
import argparse
import socket
import time

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--gap", type=float, default=0.0, help="seconds between the two sends")
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    connect_when_listening(args.port, client)
    client.send(b"hello")
    time.sleep(args.gap)
    client.send(b"feng")
    time.sleep(0.5)
    client.close()


if __name__ == "__main__":
    main()
