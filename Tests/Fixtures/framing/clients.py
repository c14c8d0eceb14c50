"""The client side of each recording: a large message (over 64 KiB) and some pipelining (several requests in
one write, before any answer) per protocol, against the real server `servers.py` started.

Raw-socket clients write the protocol by hand where that is what makes the pipelining certain; the others use
the protocol's own tools (psql, nghttp, openssl s_client, the mariadb client, websockets, grpcio).
"""
import os
import socket
import struct
import subprocess
import time

LARGE = 70_000  # bytes: more than 64 KiB


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_until(sock, predicate, limit=10):
    data = b""
    deadline = time.time() + limit
    while not predicate(data) and time.time() < deadline:
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    return data


def settle(sock, seconds=0.3):
    """Reads whatever arrives until the server has been quiet for `seconds`."""
    sock.settimeout(seconds)
    data = b""
    try:
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    sock.settimeout(10)
    return data


# PostgreSQL: a plain connection (typed messages, pipelined simple and extended queries) and a psql one over TLS.
def pg_message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def pgsql(port, workdir):
    sock = connect(port)
    body = struct.pack("!I", 196608) + b"user\0postgres\0database\0postgres\0\0"
    sock.sendall(struct.pack("!I", len(body) + 4) + body)
    read_until(sock, lambda d: b"Z\0\0\0\x05" in d)
    pipeline = pg_message(b"Q", b"select 1\0") + pg_message(b"Q", f"select repeat('x', {LARGE})\0".encode())
    for n in range(3):
        pipeline += pg_message(b"P", b"\0select $1::int + 1\0\0\0")
        pipeline += pg_message(b"B", b"\0\0\0\0\0\x01" + struct.pack("!I", 1) + str(n).encode() + b"\0\0")
        pipeline += pg_message(b"E", b"\0\0\0\0\0")
    pipeline += pg_message(b"S", b"")
    sock.sendall(pipeline)
    settle(sock)
    sock.sendall(pg_message(b"Q", b"select length('" + b"y" * LARGE + b"')\0"))
    settle(sock)
    sock.sendall(pg_message(b"X", b""))
    sock.close()
    subprocess.run(["psql", f"host=127.0.0.1 port={port} user=postgres dbname=postgres sslmode=require",
                    "-c", "select 42", "-c", f"select repeat('z', {LARGE})"], check=True, capture_output=True)


# MQTT: CONNECT, SUBSCRIBE, then six QoS 1 PUBLISH packets (one of 70 000 bytes) and a PINGREQ in one write.
def mqtt_packet(first, body):
    length, encoded = len(body), b""
    while True:
        byte = length % 128
        length //= 128
        encoded += bytes([byte | (0x80 if length else 0)])
        if not length:
            break
    return bytes([first]) + encoded + body


def mqtt_string(text):
    return struct.pack("!H", len(text)) + text


def mqtt(port, workdir):
    sock = connect(port)
    sock.sendall(mqtt_packet(0x10, mqtt_string(b"MQTT") + b"\x04\x02\x00\x3c" + mqtt_string(b"seam")))
    read_until(sock, lambda d: len(d) >= 4)
    sock.sendall(mqtt_packet(0x82, struct.pack("!H", 1) + mqtt_string(b"seam/#") + b"\x01"))
    read_until(sock, lambda d: len(d) >= 5)
    burst = b""
    for n in range(5):
        burst += mqtt_packet(0x32, mqtt_string(b"seam/t") + struct.pack("!H", 10 + n) + b"message %d" % n)
    burst += mqtt_packet(0x32, mqtt_string(b"seam/big") + struct.pack("!H", 20) + b"m" * LARGE)
    burst += mqtt_packet(0xC0, b"")
    sock.sendall(burst)
    settle(sock, 0.5)
    sock.sendall(mqtt_packet(0xE0, b""))
    sock.close()


# TLS: openssl s_client fetches the 82 000-byte file from s_server -WWW, then a second request.
def tls(port, workdir):
    for path in ["big.txt", "nothing-here"]:
        subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-quiet", "-ign_eof"],
                       input=f"GET /{path} HTTP/1.0\r\n\r\n".encode(), capture_output=True, timeout=20)


# memcached: stores, a 70 000-byte value, a multi-key get, meta commands, stats, all pipelined.
def memcache(port, workdir):
    sock = connect(port)
    big = b"b" * LARGE
    sock.sendall(b"set a 0 0 5\r\nhello\r\nset big 0 0 %d\r\n%s\r\nget a big\r\ngets a\r\nincr n 1\r\n"
                 b"delete a noreply\r\nmg big v\r\nms m 2\r\nhi\r\n" % (len(big), big))
    settle(sock)
    sock.sendall(b"stats\r\nversion\r\n")
    settle(sock)
    sock.sendall(b"quit\r\n")
    settle(sock)
    sock.close()


# Redis: pipelined commands with a 70 000-byte value, an array reply, RESP3 after HELLO 3.
def resp_command(*words):
    out = b"*%d\r\n" % len(words)
    for word in words:
        out += b"$%d\r\n%s\r\n" % (len(word), word)
    return out


def resp(port, workdir):
    sock = connect(port)
    sock.sendall(resp_command(b"SET", b"k", b"v") + resp_command(b"SET", b"big", b"r" * LARGE)
                 + resp_command(b"GET", b"big") + resp_command(b"MGET", b"k", b"big", b"none")
                 + resp_command(b"INCR", b"n") + resp_command(b"RPUSH", b"l", b"a", b"b", b"c")
                 + resp_command(b"LRANGE", b"l", b"0", b"-1"))
    settle(sock)
    sock.sendall(resp_command(b"HELLO", b"3") + resp_command(b"HGETALL", b"nothing") + resp_command(b"PING"))
    settle(sock)
    sock.sendall(resp_command(b"QUIT"))
    settle(sock)
    sock.close()


# nginx over h2c (prior knowledge), with nghttp: GETs multiplexed on one connection (a 76 800-byte file among
# them), then an upload of 70 000 bytes on another.
def http2(port, workdir):
    base = f"http://127.0.0.1:{port}"
    subprocess.run(["nghttp", "-n", f"{base}/small.txt", f"{base}/big.bin", f"{base}/missing", f"{base}/big.bin"],
                   check=True, timeout=20, capture_output=True)
    body = os.path.join(workdir, "upload.bin")
    with open(body, "wb") as f:
        f.write(b"u" * LARGE)
    subprocess.run(["nghttp", "-n", "-d", body, f"{base}/upload"], check=True, timeout=20, capture_output=True)


# MariaDB: a raw connection (login, three COM_QUERY packets in one write, one with a 70 000-byte literal, one
# answered by a 70 000-byte row) and the mariadb client over TLS.
def mysql_packet(sequence, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([sequence]) + payload


def mysql(port, workdir):
    sock = connect(port)
    read_until(sock, lambda d: len(d) >= 4 and len(d) >= 4 + int.from_bytes(d[:3], "little"))
    capabilities = 0x00000200 | 0x00008000 | 0x00080000 | 0x00000001 | 0x00000004  # 4.1, secure, plugin auth
    login = struct.pack("<IIB", capabilities, 1 << 24, 33) + b"\0" * 23 + b"root\0" + b"\0" + b"mysql_native_password\0"
    sock.sendall(mysql_packet(1, login))
    settle(sock)
    queries = [b"select 1", b"select repeat('x', %d)" % LARGE, b"select length('" + b"y" * LARGE + b"')"]
    sock.sendall(b"".join(mysql_packet(0, b"\x03" + query) for query in queries))
    settle(sock, 0.5)
    sock.sendall(mysql_packet(0, b"\x01"))
    sock.close()
    subprocess.run(["mariadb", "--no-defaults", "--protocol=tcp", "-h", "127.0.0.1", "-P", str(port), "-u", "root",
                    "--ssl", "--disable-ssl-verify-server-cert", "-e", "select 42"], check=True, capture_output=True)


# WebSocket: five messages sent before any echo comes back, one of 70 000 bytes, and a ping.
def websocket(port, workdir):
    code = f"""
import asyncio, websockets
async def main():
    async with websockets.connect("ws://127.0.0.1:{port}/echo", max_size=1 << 20, compression=None) as ws:
        for n in range(4):
            await ws.send(f"message {{n}}")
        await ws.send(b"w" * {LARGE})
        for n in range(5):
            await ws.recv()
        await (await ws.ping())
asyncio.run(main())
"""
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, timeout=20)


# gRPC over h2c: unary calls (one with a 70 000-byte request), a server stream, and two calls in flight at once.
def grpc(port, workdir):
    code = f"""
import grpc
with grpc.insecure_channel("127.0.0.1:{port}") as channel:
    reverse = channel.unary_unary("/seam.Echo/Reverse")
    count = channel.unary_stream("/seam.Echo/Count")
    reverse(b"hello")
    reverse(b"g" * {LARGE})
    list(count(b"go"))
    first, second = reverse.future(b"one"), reverse.future(b"two")
    first.result(), second.result()
"""
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, timeout=30)


CLIENTS = {
    "pgsql": pgsql, "mqtt": mqtt, "tls": tls, "memcache": memcache, "resp": resp, "http2": http2, "mysql": mysql,
    "websocket": websocket, "grpc": grpc,
}
