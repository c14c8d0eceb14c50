"""A TCP pair in one process for seam watch's tests: the server sends a 100000-byte file with
socket.sendfile (the sendfile system call), then b"tail" with send; the client takes the first 65536 bytes
with os.splice into a pipe and the rest with recv. Usage: sendfile_splice.py FILE (FILE: 100000 bytes)."""
import os, socket, sys, threading

path = sys.argv[1]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)

def serve():
    conn, _ = listener.accept()
    with open(path, "rb") as f:
        conn.sendfile(f)
    conn.send(b"tail")
    conn.close()

thread = threading.Thread(target=serve)
thread.start()
client = socket.create_connection(listener.getsockname())
read_end, write_end = os.pipe()
moved = 0
while moved < 65536:
    moved += os.splice(client.fileno(), write_end, 65536 - moved)
received = moved
while True:
    data = client.recv(65536)
    if not data:
        break
    received += len(data)
thread.join()
client.close()
print("received", received)
