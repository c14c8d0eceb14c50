#!/usr/bin/env python3
"""A file server with a 4-byte length header: struct.pack('i', len(body)), then the body, streamed.

Each request (`get NAME`, framed the same way) is answered with the header and an 8000-byte body that
the server sends as it reads it — the first 1000 bytes, then, 0.1 s later, the rest — as a server
reading a file in chunks does. The server is right; struct_file_client_bug.py reads the body with one
recv(n), struct_file_client_fixed.py loops. Serves one client, then exits.
"""
import argparse
import socket
import struct
import time

BODY = b"".join(b"line %04d of the file, forty bytes long.\n"[:40] for _ in range(200))


def recv_exactly(sock, count):
    data = b""
    while len(data) < count:
        piece = sock.recv(min(1024, count - len(data)))
        if not piece:
            raise ConnectionError(f"peer closed after {len(data)} of {count} bytes")
        data += piece
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    conn, _ = server.accept()
    try:
        while True:
            header = conn.recv(4, socket.MSG_WAITALL)
            if len(header) < 4:
                break
            (size,) = struct.unpack("i", header)
            request = recv_exactly(conn, size)
            conn.sendall(struct.pack("i", len(BODY)) + BODY[:1000])
            time.sleep(0.1)  # reading the rest of the file
            conn.sendall(BODY[1000:])
            print(f"server: {request!r} -> {len(BODY)} bytes")
    except (ConnectionError, BrokenPipeError):
        pass
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
