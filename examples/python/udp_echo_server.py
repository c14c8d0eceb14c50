#!/usr/bin/env python3
"""UDP echo server: answers each datagram with it upper-cased. Datagram boundaries are kept.

    python3 udp_echo_server.py --port 9001
    seam proxy --udp --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record udp.pcapng
    python3 udp_echo_client.py --port 9000
    seam report udp.pcapng
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", args.port))
    print(f"listening on 127.0.0.1:{args.port}/udp")
    while True:
        data, address = server.recvfrom(1024)  # a longer datagram loses its tail here
        print("recvfrom", address, data)
        server.sendto(data.upper(), address)


if __name__ == "__main__":
    main()
