#!/usr/bin/env python3
"""The seed's "length first, then recv_ready" server: the answer's length as text, a wait, then the answer.

For each command it sends len(answer) as digits, waits for the client's b'recv_ready', then sends the
CANNED answer (nothing is ever executed; `ls -l` is 5080 bytes). The server is right; the clients
length_first_client_bug.py and length_first_client_fixed.py differ in one line. Serves one client.
"""
import argparse
import socket

from remote_command_server import answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    while True:
        try:
            command = conn.recv(1024)
            if not command:
                break
            res = answer(command.decode(errors="replace").strip())
            conn.send(str(len(res)).encode())
            if conn.recv(1024) != b"recv_ready":
                break
            conn.sendall(res)
        except ConnectionResetError:
            break
        print(f"server: {command!r} -> length {len(res)}, recv_ready, {len(res)} bytes")
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
