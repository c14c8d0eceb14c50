"""Real servers from Debian's packages, each started privately on a loopback port for one recording.

Every server runs in its own temporary directory with its own configuration, never the system's service, and
is stopped by its process id when the recording ends. `start(protocol, port, workdir)` returns the server's
process (or None when the server is not installed: the recording is then skipped).
"""
import os
import shutil
import socket
import subprocess
import time


class Skip(Exception):
    """The server cannot run here; the message says why (the test prints it and skips)."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise Skip(f"the server exited with status {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise Skip(f"the server did not listen on port {port} within {seconds} s")


def need(*programs):
    for program in programs:
        if shutil.which(program) is None and not os.path.exists(program):
            raise Skip(f"{program} is not installed")


def certificate(workdir, owner=None):
    """A self-signed certificate and key in workdir (for TLS servers)."""
    need("openssl")
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-keyout", key, "-out", cert], check=True, capture_output=True)
    os.chmod(key, 0o600)
    if owner:
        shutil.chown(cert, owner)
        shutil.chown(key, owner)
    return cert, key


def log(workdir, name):
    return open(os.path.join(workdir, name + ".log"), "wb")


def postgres(port, workdir):
    bins = sorted(p for p in os.listdir("/usr/lib/postgresql") if os.path.isdir(f"/usr/lib/postgresql/{p}/bin")) \
        if os.path.isdir("/usr/lib/postgresql") else []
    if not bins:
        raise Skip("postgresql is not installed")
    bindir = f"/usr/lib/postgresql/{bins[-1]}/bin"
    data = os.path.join(workdir, "pgdata")
    os.makedirs(data)
    shutil.chown(workdir, "postgres")
    shutil.chown(data, "postgres")
    os.chmod(workdir, 0o755)
    cert, key = certificate(workdir, owner="postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_postgres + [f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    return subprocess.Popen(
        as_postgres + [f"{bindir}/postgres", "-D", data, "-p", str(port), "-k", workdir, "-c",
                       "listen_addresses=127.0.0.1", "-c", "ssl=on", "-c", f"ssl_cert_file={cert}", "-c",
                       f"ssl_key_file={key}", "-c", "fsync=off"],
        stdout=log(workdir, "postgres"), stderr=subprocess.STDOUT)


def mosquitto(port, workdir):
    need("mosquitto")
    config = os.path.join(workdir, "mosquitto.conf")
    with open(config, "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    os.chmod(workdir, 0o755)
    return subprocess.Popen(["mosquitto", "-c", config], stdout=log(workdir, "mosquitto"), stderr=subprocess.STDOUT)


def openssl(port, workdir):
    need("openssl")
    cert, key = certificate(workdir)
    with open(os.path.join(workdir, "big.txt"), "w") as f:
        f.write(("0123456789abcdef" * 64 + "\n") * 80)  # 82 000 bytes
    return subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", key, "-WWW", "-quiet"],
        cwd=workdir, stdout=log(workdir, "s_server"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def memcached(port, workdir):
    need("memcached")
    return subprocess.Popen(["memcached", "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-u", "nobody", "-m", "16"],
                            stdout=log(workdir, "memcached"), stderr=subprocess.STDOUT)


def redis(port, workdir):
    need("redis-server")
    os.chmod(workdir, 0o777)
    return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir, "--daemonize", "no"],
                            stdout=log(workdir, "redis"), stderr=subprocess.STDOUT)


def nginx(port, workdir):
    need("nginx", "nghttp")
    root = os.path.join(workdir, "www")
    os.makedirs(root)
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.write(bytes(range(256)) * 300)  # 76 800 bytes
    with open(os.path.join(root, "small.txt"), "w") as f:
        f.write("hello from nginx over h2c\n")
    os.chmod(workdir, 0o755)
    os.chmod(root, 0o755)
    config = os.path.join(workdir, "nginx.conf")
    with open(config, "w") as f:
        f.write(f"""daemon off;
master_process off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    server {{
        listen 127.0.0.1:{port} http2;
        root {root};
        location /upload {{ client_max_body_size 1m; return 200 "uploaded\\n"; }}
    }}
}}
""")
    return subprocess.Popen(["nginx", "-c", config, "-p", workdir], stdout=log(workdir, "nginx"),
                            stderr=subprocess.STDOUT)


def mariadb(port, workdir):
    need("mariadbd", "mariadb-install-db")
    data = os.path.join(workdir, "data")
    cert, key = certificate(workdir)
    subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True)
    return subprocess.Popen(
        ["mariadbd", "--no-defaults", f"--datadir={data}", "--user=root", f"--port={port}",
         "--bind-address=127.0.0.1", f"--socket={workdir}/mysqld.sock", "--skip-grant-tables",
         f"--ssl-cert={cert}", f"--ssl-key={key}", "--skip-log-bin", "--innodb-buffer-pool-size=16M"],
        stdout=log(workdir, "mariadb"), stderr=subprocess.STDOUT)


def websocket(port, workdir):
    code = f"""
import asyncio, websockets
async def echo(ws):
    async for message in ws:
        await ws.send(message)
async def main():
    async with websockets.serve(echo, "127.0.0.1", {port}, max_size=1 << 20, compression=None):
        await asyncio.Future()
asyncio.run(main())
"""
    check = subprocess.run(["/usr/bin/python3", "-c", "import websockets"], capture_output=True)
    if check.returncode != 0:
        raise Skip("python3-websockets is not installed")
    return subprocess.Popen(["/usr/bin/python3", "-c", code], stdout=log(workdir, "websockets"),
                            stderr=subprocess.STDOUT)


def grpc(port, workdir):
    code = f"""
import grpc, time
from concurrent import futures
def unary(request, context):
    return request[::-1]
def stream(request, context):
    for index in range(3):
        yield bytes([index]) * (10 + index)
handler = grpc.method_handlers_generic_handler("seam.Echo", {{
    "Reverse": grpc.unary_unary_rpc_method_handler(unary),
    "Count": grpc.unary_stream_rpc_method_handler(stream),
}})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=2),
                     options=[("grpc.max_receive_message_length", 1 << 20)])
server.add_generic_rpc_handlers((handler,))
server.add_insecure_port("127.0.0.1:{port}")
server.start()
server.wait_for_termination()
"""
    check = subprocess.run(["/usr/bin/python3", "-c", "import grpc"], capture_output=True)
    if check.returncode != 0:
        raise Skip("python3-grpcio is not installed")
    return subprocess.Popen(["/usr/bin/python3", "-c", code], stdout=log(workdir, "grpc"), stderr=subprocess.STDOUT)


SERVERS = {
    "pgsql": postgres, "mqtt": mosquitto, "tls": openssl, "memcache": memcached, "resp": redis, "http2": nginx,
    "mysql": mariadb, "websocket": websocket, "grpc": grpc,
}
