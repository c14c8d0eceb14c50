#!/usr/bin/env python3
"""UDP echo client: one datagram per word, prints each answer (an empty word sends an empty datagram).

    python3 udp_echo_server.py --port 9001
    seam proxy --udp --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record udp.pcapng
    python3 udp_echo_client.py --port 9000
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("words", nargs="*", default=["hi", "hello", "a longer datagram"])
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(3)
    for word in args.words:
        client.sendto(word.encode(), ("127.0.0.1", args.port))
        data, _ = client.recvfrom(1024)
        print(data)
    client.close()


if __name__ == "__main__":
    main()
