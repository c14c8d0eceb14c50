"""A tiny DNS server for seam watch's tests: answers every A query with 127.0.0.1, over UDP and TCP (RFC 1035
4.2.2: a 2-byte length, then the message) on 127.0.0.1:PORT, for N queries in all, then exits.
Usage: dns_server.py PORTFILE [N]   (binds port 0 and writes the port to PORTFILE)"""
import os, socket, struct, sys, threading

port_file = sys.argv[1]
queries = int(sys.argv[2]) if len(sys.argv) > 2 else 1
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
port = udp.getsockname()[1]
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", port))
tcp.listen(4)
with open(port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(port_file + ".tmp", port_file)

def answer(query):
    ident, flags, qdcount = struct.unpack("!HHH", query[:6])
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    header = struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0)
    record = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    return header + question + record

done = threading.Semaphore(0)

def serve_udp():
    while True:
        query, peer = udp.recvfrom(4096)
        udp.sendto(answer(query), peer)
        done.release()

def serve_tcp():
    while True:
        conn, _ = tcp.accept()
        length = struct.unpack("!H", conn.recv(2))[0]
        query = b""
        while len(query) < length:
            query += conn.recv(length - len(query))
        reply = answer(query)
        conn.sendall(struct.pack("!H", len(reply)) + reply)
        conn.close()
        done.release()

for target in (serve_udp, serve_tcp):
    threading.Thread(target=target, daemon=True).start()
for _ in range(queries):
    done.acquire()
