"""A UDP pair: the client sends b'hello' and b'fengfengfeng' to the server, which reads with recvfrom(N) and
echoes b'ok' back. Usage: udp_pair.py [--recv N]. Prints what the server received."""
import socket, sys

args = sys.argv[1:]
recv_size = int(args[args.index("--recv") + 1]) if "--recv" in args else 1024
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", 0))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
address = server.getsockname()
client.sendto(b"hello", address)
client.sendto(b"fengfengfeng", address)
for _ in range(2):
    data, peer = server.recvfrom(recv_size)
    print("server got", len(data), data.decode())
    server.sendto(b"ok", peer)
for _ in range(2):
    data, _ = client.recvfrom(64)
    print("client got", data.decode())
client.close()
server.close()
