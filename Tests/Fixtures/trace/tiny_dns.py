"""A tiny DNS responder for tests: answers every query on UDP and TCP (127.0.0.1, one port) with an A record
127.0.0.1 for the name asked. Prints the port, then serves COUNT queries (default 1) and exits.
Usage: tiny_dns.py [--count N] [--port P]"""
import select, socket, struct, sys

args = sys.argv[1:]
count = int(args[args.index("--count") + 1]) if "--count" in args else 1
port = int(args[args.index("--port") + 1]) if "--port" in args else 0


def answer(query):
    header, question = query[:12], query[12:]
    end = question.index(b"\0") + 5  # the name, QTYPE and QCLASS
    ident = header[:2]
    flags = struct.pack("!H", 0x8180)  # response, recursion desired and available, NOERROR
    counts = struct.pack("!HHHH", 1, 1, 0, 0)
    record = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    return ident + flags + counts + question[:end] + record


def bind_both():
    """A UDP and a TCP socket on one port; with no --port given, a free UDP port whose TCP twin is free too."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", port))
        tcp = socket.socket()
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", udp.getsockname()[1]))
        except OSError:
            udp.close()
            tcp.close()
            if port:
                raise
            continue
        tcp.listen(4)
        return udp, tcp
    raise OSError("no port free for both UDP and TCP")


udp, tcp = bind_both()
print(udp.getsockname()[1], flush=True)
served = 0
while served < count:
    ready, _, _ = select.select([udp, tcp], [], [], 20)
    if not ready:
        break
    for sock in ready:
        if sock is udp:
            query, peer = udp.recvfrom(4096)
            udp.sendto(answer(query), peer)
        else:
            conn, _ = tcp.accept()
            length = struct.unpack("!H", conn.recv(2))[0]
            query = b""
            while len(query) < length:
                query += conn.recv(length - len(query))
            reply = answer(query)
            conn.sendall(struct.pack("!H", len(reply)) + reply)
            conn.close()
        served += 1
