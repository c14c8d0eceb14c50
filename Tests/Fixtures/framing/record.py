#!/usr/bin/python3
"""Records one protocol's traffic with a real server: `record.py PROTOCOL OUT.pcap`.

Starts the server from Debian's packages on a free loopback port (servers.py), captures that port on `lo`
with tcpdump, runs the client side (clients.py: a message over 64 KiB and some pipelining), and stops
everything it started, by process id. Needs root (tcpdump, and starting servers as their users).

Exit status: 0 recorded; 77 skipped (a server or tool is missing or did not start; the reason is on stderr);
1 failed. Protocols: pgsql mqtt tls memcache resp http2 mysql websocket grpc.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clients  # noqa: E402
import servers  # noqa: E402


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in servers.SERVERS:
        print(__doc__, file=sys.stderr)
        return 2
    protocol, output = sys.argv[1], os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("skipped: recording needs root (tcpdump on lo, servers run as their own users)", file=sys.stderr)
        return 77
    if shutil.which("tcpdump") is None:
        print("skipped: tcpdump is not installed", file=sys.stderr)
        return 77
    workdir = tempfile.mkdtemp(prefix=f"seam-record-{protocol}-")
    port = servers.free_port()
    server = capture = None
    try:
        try:
            server = servers.SERVERS[protocol](port, workdir)
            servers.wait_for_port(port, server)
        except servers.Skip as reason:
            print(f"skipped: {protocol}: {reason}", file=sys.stderr)
            return 77
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"skipped: {protocol}: the server could not start: {error}", file=sys.stderr)
            return 77
        capture = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-B", "32768", "-s", "0", "-w", output, f"tcp port {port}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # tcpdump says "listening on lo" once its filter is in place.
        line = capture.stderr.readline().decode(errors="replace")
        if "listening" not in line:
            print(f"skipped: tcpdump did not start: {line.strip()}", file=sys.stderr)
            return 77
        time.sleep(0.2)
        clients.CLIENTS[protocol](port, workdir)
        # Packets still in the capture's ring buffer when tcpdump is interrupted are lost: let them drain.
        time.sleep(1)
        return 0
    except Exception as error:  # the client failed against a running server: a real failure
        print(f"{protocol}: recording failed: {error!r}", file=sys.stderr)
        return 1
    finally:
        if capture:
            capture.send_signal(signal.SIGINT)
            try:
                capture.wait(timeout=10)
            except subprocess.TimeoutExpired:
                capture.kill()
            if os.environ.get("SEAM_RECORD_DEBUG"):
                sys.stderr.write(capture.stderr.read().decode(errors="replace"))
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
