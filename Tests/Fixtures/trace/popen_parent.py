"""A Python parent that starts a TCP server and a client as subprocess.Popen children (close_fds=True, the
default: the children inherit no descriptor but 0-2), and meanwhile uses a socket of its own, which the
children's start must not disturb. Usage: popen_parent.py. Prints the children's pids, then 'done'."""
import os, socket, subprocess, sys

SERVER = r'''
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.sendall(c.recv(100).upper()); c.close(); s.close()
'''
CLIENT = r'''
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"popen-child"); print(c.recv(100).decode()); c.close()
'''

own = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
own.bind(("127.0.0.1", 0))
own.sendto(b"before", own.getsockname())
own.recv(100)
server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
port = server.stdout.readline().strip()
client = subprocess.Popen([sys.executable, "-c", CLIENT, port])
own.sendto(b"after", own.getsockname())
own.recv(100)
client.wait()
server.wait()
own.close()
print(server.pid, client.pid)
print("done")
