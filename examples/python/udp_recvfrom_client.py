#!/usr/bin/env python3
"""The client of the UDP truncation pair: one 2000-byte datagram, then the server's answer.

Goes with udp_recvfrom_server_bug.py (recvfrom(1024)) and udp_recvfrom_server_fixed.py
(recvfrom(65507)); their docstrings have the commands and what Seam says.
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(3)
    client.sendto(bytes(48 + i % 10 for i in range(2000)), ("127.0.0.1", args.port))
    answer, _ = client.recvfrom(1024)
    print("client: sent 2000 bytes, the server answered", answer)
    client.close()


if __name__ == "__main__":
    main()
