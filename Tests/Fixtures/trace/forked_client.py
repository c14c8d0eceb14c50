"""A forked client: the parent listens, a forked child connects and sends b'from-child', the parent reads it.
Prints the child's pid on the first line and what the parent read on the second."""
import os, socket

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
pid = os.fork()
if pid == 0:
    client = socket.create_connection(listener.getsockname())
    client.sendall(b"from-child")
    client.close()
    os._exit(0)
conn, _ = listener.accept()
data = b""
while True:
    chunk = conn.recv(100)
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
print(pid)
print(data.decode())
