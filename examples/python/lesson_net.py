"""What the lessons' clients share: connecting once the server listens.

The lessons start a server and its client together (`server & sleep 0.5; client`); on a busy machine the
server may not listen yet when the client starts, so the client retries a refused connect for a while.
"""
import socket
import time


def connect_when_listening(port, sock=None, seconds=10.0):
    """Connects `sock` (a new TCP socket when None) to 127.0.0.1:port, retrying while it is refused."""
    deadline = time.monotonic() + seconds
    while True:
        client = sock or socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            client.connect(("127.0.0.1", port))
            return client
        except ConnectionRefusedError:
            if sock is None:
                client.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
