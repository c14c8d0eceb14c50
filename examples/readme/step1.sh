#!/bin/sh
# The README's tutorial step 1, as it is run there: an echo server, Seam's proxy in front of it as a slow
# reader, and a client sending `hello\n` and, 50 ms later, `feng\n`. Writes echo.pcapng in the current
# directory and prints the proxy's output (its call lines on stdout, its summary on stderr).
#
#   examples/readme/step1.sh [LISTEN_PORT [SERVER_PORT]]      (defaults 9200 and 9201)
#
# SEAM names the binary (default: seam on the PATH, else .build/release/seam, else .build/debug/seam).
# Run it as root or with the capture capability (see the README) to capture the kernel's segments too.
set -eu
listen=${1:-9200}
upstream=${2:-9201}
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SEAM:-}" ]; then
    if command -v seam >/dev/null 2>&1; then SEAM=seam
    elif [ -x "$here/.build/release/seam" ]; then SEAM="$here/.build/release/seam"
    else SEAM="$here/.build/debug/seam"; fi
fi

# the interpreter itself, not a wrapper (pyenv's shim forks it), so that $server is the server to stop
python=$(python3 -c 'import sys; print(sys.executable)')
"$python" "$here/examples/python/tcp_echo_server.py" --port "$upstream" >/dev/null 2>&1 &
server=$!
# SIGKILL: a parent (a test runner) may have left SIGTERM blocked, and the server has nothing to clean up
trap 'kill -KILL $server 2>/dev/null || true' EXIT
# wait until the server listens (a refused upstream connect would end the proxy's one connection)
"$python" -c "import sys; sys.path.insert(0, '$here/examples/python')
from lesson_net import connect_when_listening; connect_when_listening($upstream).close()"
"$SEAM" proxy --listen "127.0.0.1:$listen" --to "127.0.0.1:$upstream" \
     --record echo.pcapng --framing line --recv-delay 300 --connections 1 &
proxy=$!
# wait until the proxy listens (the client's connect would otherwise be refused once, a flow in the capture)
"$python" -c "import time
port = ':%04X' % $listen
for _ in range(200):
    rows = [line.split() for line in open('/proc/net/tcp').readlines()[1:]]
    if any(row[1].endswith(port) and row[3] == '0A' for row in rows):
        break
    time.sleep(0.05)"
"$python" "$here/examples/python/tcp_echo_client.py" --port "$listen" --gap 0.05 hello feng
wait $proxy
