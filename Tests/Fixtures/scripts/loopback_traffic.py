#!/usr/bin/env python3
"""Plays mixed TCP traffic on loopback for captures: ping-pong, pipelined and bulk connections.

Usage: loopback_traffic.py --port PORT [--connections N] [--seed S] [--bulk-kib K] [--parallel P]

A threaded server on 127.0.0.1:PORT answers each connection according to the first byte the client sends
('p' ping-pong, 'q' pipelined, 'b' bulk). Deterministic for a given seed. Exits 0 when every connection
got back exactly what it expected, 1 otherwise.
"""
import argparse
import random
import socket
import sys
import threading


def recv_exactly(sock, n):
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(65536, n - len(data)))
        if not chunk:
            raise ConnectionError("peer closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return bytes(data)


def serve(conn):
    with conn:
        kind = recv_exactly(conn, 1)
        if kind == b"p":  # ping-pong: 4-byte count, then count x (2-byte length, payload) echoed upper-cased
            count = int.from_bytes(recv_exactly(conn, 4), "big")
            for _ in range(count):
                n = int.from_bytes(recv_exactly(conn, 2), "big")
                conn.sendall(recv_exactly(conn, n).upper())
        elif kind == b"q":  # pipelined: lines until an empty line, then one reply line per request
            buf = b""
            lines = []
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
                if buf.endswith(b"\n\n"):
                    break
            lines = [l for l in buf.split(b"\n") if l]
            conn.sendall(b"".join(b"OK " + l + b"\n" for l in lines))
        elif kind == b"b":  # bulk: 4-byte size, server sends that many bytes, client sends them back
            size = int.from_bytes(recv_exactly(conn, 4), "big")
            pattern = bytes(range(256)) * (size // 256 + 1)
            conn.sendall(pattern[:size])
            recv_exactly(conn, size)
        conn.shutdown(socket.SHUT_WR)


def client(port, kind, rng):
    sock = socket.create_connection(("127.0.0.1", port))
    with sock:
        if kind == "p":
            count = rng.randint(1, 20)
            sock.sendall(b"p" + count.to_bytes(4, "big"))
            for _ in range(count):
                payload = bytes(rng.choice(b"abcdefghij") for _ in range(rng.randint(1, 300)))
                sock.sendall(len(payload).to_bytes(2, "big") + payload)
                if recv_exactly(sock, len(payload)) != payload.upper():
                    return False
        elif kind == "q":
            lines = [b"req%d-%s" % (i, b"x" * rng.randint(0, 80)) for i in range(rng.randint(1, 50))]
            sock.sendall(b"q")
            for line in lines:
                sock.sendall(line + b"\n")
            sock.sendall(b"\n")
            expected = b"".join(b"OK " + l + b"\n" for l in lines)
            if recv_exactly(sock, len(expected)) != expected:
                return False
        else:
            size = rng.randint(1, args.bulk_kib * 1024)
            sock.sendall(b"b" + size.to_bytes(4, "big"))
            data = recv_exactly(sock, size)
            sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(65536):
            pass
    return True


parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--connections", type=int, default=200)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--bulk-kib", type=int, default=256)
parser.add_argument("--parallel", type=int, default=8)
args = parser.parse_args()

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", args.port))
listener.listen(128)


def accept_loop():
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


threading.Thread(target=accept_loop, daemon=True).start()

rng = random.Random(args.seed)
plan = [(rng.choice("ppqqb"), random.Random(rng.random())) for _ in range(args.connections)]
failures = []
lock = threading.Lock()


def worker(items):
    for kind, r in items:
        try:
            ok = client(args.port, kind, r)
        except OSError as e:
            ok = False
        if not ok:
            with lock:
                failures.append(kind)


threads = [threading.Thread(target=worker, args=(plan[i :: args.parallel],)) for i in range(args.parallel)]
for t in threads:
    t.start()
for t in threads:
    t.join()
listener.close()
print("%d connections, %d failed" % (len(plan), len(failures)), file=sys.stderr)
sys.exit(1 if failures else 0)
