#!/usr/bin/env python3
"""The fix: every message carries a 4-byte length header, struct.pack('i', n); the reader cuts by it.

    python3 struct_header_server.py --port 9001
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record framed.pcapng --framing struct:i
    python3 struct_header_client.py --port 9000
    seam report framed.pcapng --framing struct:i
"""
import argparse
import socket
import struct


def recv_exactly(conn, count):
    data = b""
    while len(data) < count:
        piece = conn.recv(min(1024, count - len(data)))
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
    while True:
        conn, _ = server.accept()
        try:
            while True:
                header = conn.recv(4, socket.MSG_WAITALL)
                if len(header) < 4:
                    break
                (size,) = struct.unpack("i", header)
                body = recv_exactly(conn, size)
                print("message", size, body[:40])
                reply = b"ok"
                conn.sendall(struct.pack("i", len(reply)) + reply)
        except ConnectionError:
            pass
        conn.close()


if __name__ == "__main__":
    main()
