#!/usr/bin/env python3
"""The upload server, fixed: the 4-byte header, then recv until the whole upload is in; answer; close.

Everything sent to it is read before it closes, so the connection ends with FIN, not RST, and the
answer reaches the client. Client: upload_client.py. Serves one client, then exits.

Under seam trace (both programs' own calls; as root, their packets too):

    seam trace --payload --record trace.pcapng -- sh -c \
        "python3 examples/python/upload_server_fixed.py --port 9101 & sleep 0.5; \
         python3 examples/python/upload_client.py --port 9101; wait"
    seam report trace.pcapng --framing struct:i

Seam says:

    ✓ no framing bug seen, 1 flow

Under seam proxy (its own calls and, as root, the segments of both legs; not the programs' calls):

    python3 examples/python/upload_server_fixed.py --port 9001 &
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record proxy.pcapng --connections 1 --quiet &
    sleep 1; python3 examples/python/upload_client.py --port 9000; wait
    seam report proxy.pcapng --framing struct:i

Seam says:

    ✓ no framing bug seen, 2 flows
"""
import argparse
import socket
import struct
import time


def recv_exactly(sock, count):
    data = b""
    while len(data) < count:
        piece = sock.recv(min(65536, count - len(data)))
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
    time.sleep(0.1)
    (size,) = struct.unpack("i", recv_exactly(conn, 4))
    data = recv_exactly(conn, size)
    print(f"server: saved {len(data)} bytes")
    conn.sendall(f"saved {len(data)} bytes".encode())
    conn.close()
    server.close()


if __name__ == "__main__":
    main()
