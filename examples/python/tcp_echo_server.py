#!/usr/bin/env python3
"""TCP echo server that upper-cases what it reads (the seed's connection loop + communication loop).

Run it, then put Seam between it and the client:

    python3 tcp_echo_server.py --port 9001
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record echo.pcapng --framing line
    python3 tcp_echo_client.py --port 9000
    seam report echo.pcapng --framing line
"""
import argparse
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once despite TIME_WAIT
    server.bind(("127.0.0.1", args.port))
    server.listen(5)
    print(f"listening on 127.0.0.1:{args.port}")
    while True:  # connection loop
        conn, address = server.accept()
        print("client", address)
        while True:  # communication loop
            try:
                data = conn.recv(1024)
            except ConnectionResetError:
                break
            if len(data) == 0:  # the peer closed: without this check the loop spins for ever
                break
            print("recv", data)
            conn.send(data.upper())
        conn.close()


if __name__ == "__main__":
    main()
