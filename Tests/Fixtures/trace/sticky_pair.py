"""The seed's sticky-sender pair in one process: a server thread does one recv(RECV) after the client sent
b'hello' then b'feng' back to back; it prints what each recv returned. Usage:
    sticky_pair.py [--nodelay] [--recv N] [--reads K] [--wait S]
--reads K: the server reads K times (recv(N) each); --wait S: the server sleeps S seconds before reading,
so both sends are queued (a slow reader). Exits 0; prints one line per recv."""
import socket, sys, threading, time

args = sys.argv[1:]
nodelay = "--nodelay" in args
recv_size = int(args[args.index("--recv") + 1]) if "--recv" in args else 1024
reads = int(args[args.index("--reads") + 1]) if "--reads" in args else 1
wait = float(args[args.index("--wait") + 1]) if "--wait" in args else 0.2

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]
received = []

def serve():
    conn, _ = listener.accept()
    time.sleep(wait)
    for _ in range(reads):
        data = conn.recv(recv_size)
        received.append(data)
        if not data:
            break
    conn.close()

thread = threading.Thread(target=serve)
thread.start()
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if nodelay:
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
client.connect(("127.0.0.1", port))
client.send(b"hello")
client.send(b"feng")
thread.join()
client.close()
listener.close()
for data in received:
    print("recv", len(data), data.decode())
