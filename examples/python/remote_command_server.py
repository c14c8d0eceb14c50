#!/usr/bin/env python3
"""The seed's remote-command server, with CANNED answers: nothing it receives is ever executed.

Each command read selects a fixed text (`ls -l` is a 5 KB listing) sent as stdout + stderr in one
send. With --header the answer is preceded by struct.pack('i', len(answer)): the protocol of
remote_command_client_fixed.py; without it, the seed's first version, for remote_command_client_bug.py.
Serves one client, then exits.
"""
import argparse
import socket
import struct

LISTING = "total 96\n" + "".join(
    f"-rw-r--r-- 1 seam seam {1000 + i * 37:6d} Nov 25 10:{10 + i % 50} report-{i:02d}.txt\n" for i in range(88)
)
CANNED = {
    "ls -l": (LISTING, "ls: cannot open directory 'private': Permission denied\n"),
    "cat notes.txt": ("", "cat: notes.txt: No such file or directory\n"),
}


def answer(command):
    stdout, stderr = CANNED.get(command, ("", f"sh: 1: {command}: not found\n"))
    return (stdout + stderr).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument("--header", action="store_true", help="send struct.pack('i', len) before each answer")
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    while True:
        try:
            command = conn.recv(1024)
        except ConnectionResetError:
            break
        if not command:
            break
        res = answer(command.decode(errors="replace").strip())
        print(f"server: {command!r} -> {len(res)} bytes")
        if args.header:
            conn.send(struct.pack("i", len(res)))
        conn.sendall(res)
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
