#!/usr/bin/env python3
"""TCP echo client: sends lines, prints each answer.

    python3 tcp_echo_server.py --port 9001
    seam proxy --listen 127.0.0.1:9000 --to 127.0.0.1:9001 --record echo.pcapng --framing line
    python3 tcp_echo_client.py --port 9000

By default it waits for each answer before the next line, so a reader sees the lines one by one. With
--gap SECONDS it sends every line first, SECONDS apart, then reads all the answers: the README's tutorial
(examples/readme/step1.sh) uses --gap 0.05, so that a slow reader (--recv-delay) finds both lines waiting.
"""
import argparse
import socket
import time

from lesson_net import connect_when_listening


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("lines", nargs="*", default=["hello", "socket", "bye"])
    parser.add_argument("--gap", type=float, help="send every line, GAP seconds apart, before reading answers")
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    connect_when_listening(args.port, client)
    if args.gap is None:
        for line in args.lines:
            client.send((line + "\n").encode())
            print(client.recv(1024))
    else:
        for index, line in enumerate(args.lines):
            if index > 0:
                time.sleep(args.gap)
            client.sendall((line + "\n").encode())
        expected = sum(len(line) + 1 for line in args.lines)
        answer = b""
        while len(answer) < expected:  # the answers may come in any number of pieces
            piece = client.recv(1024)
            if not piece:
                break
            answer += piece
        print(answer)
    client.close()


if __name__ == "__main__":
    main()
