#!/usr/bin/env python3
"""Small servers for seam check's tests: each listens on 127.0.0.1 (a free port), prints `PORT n`, serves
every connection in a thread, and exits when its standard input closes (the test's end).

  recv-as-request  the bug: each recv(1024) is one request, answered `got <bytes>\\n` (line protocol)
  line             the fix: buffers until LF, answers `got <line>\\n` per line
  struct-bug       struct.pack('i', n) requests, but each recv(1024) taken as one whole request
  struct           struct.pack('i', n) requests read exactly; answers the body upper-cased, framed the same
  echo             echoes every chunk (the benchmark's server)
  varying          like line, but every answer carries a counter (answers vary between runs, not in length)
  silent           reads everything and never answers or closes
"""
import socket
import struct
import sys
import threading

counter = [0]


def recv_exactly(conn, count):
    data = b""
    while len(data) < count:
        piece = conn.recv(count - len(data))
        if not piece:
            return None
        data += piece
    return data


def serve(conn, mode):
    with conn:
        buffer = b""
        while True:
            if mode == "struct":
                header = recv_exactly(conn, 4)
                if header is None:
                    return
                (size,) = struct.unpack("<i", header)
                body = recv_exactly(conn, size)
                if body is None:
                    return
                conn.sendall(struct.pack("<i", len(body)) + body.upper())
                continue
            try:
                data = conn.recv(1024)
            except ConnectionResetError:
                return
            if not data:
                return
            if mode == "recv-as-request":
                conn.sendall(b"got " + data.rstrip(b"\n") + b"\n")
            elif mode == "struct-bug":
                body = data[4:]
                conn.sendall(struct.pack("<i", len(body)) + body.upper())
            elif mode == "echo":
                conn.sendall(data)
            elif mode == "silent":
                continue
            else:
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if mode == "varying":
                        counter[0] += 1
                        conn.sendall(b"got %s #%04d\n" % (line, counter[0] % 10000))
                    else:
                        conn.sendall(b"got " + line + b"\n")


def main():
    mode = sys.argv[1]
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print("PORT", server.getsockname()[1], flush=True)

    def accept_loop():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=serve, args=(conn, mode), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    sys.stdin.read()  # until the test closes our standard input


if __name__ == "__main__":
    main()
