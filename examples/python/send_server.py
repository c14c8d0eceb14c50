#!/usr/bin/env python3
"""The server of the send-vs-sendall pair: a slow reader that counts what arrives until the client closes.

It reads recv(4096) every 10 ms, so the client's send buffer fills, and says how many of the 49152
bytes came. Clients: send_client_bug.py (one send) and send_client_fixed.py (sendall). Serves one
client, then exits.
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
    total = 0
    while True:
        time.sleep(0.01)
        data = conn.recv(4096)
        if not data:
            break
        total += len(data)
    print(f"server: received {total} of 49152 bytes")
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
