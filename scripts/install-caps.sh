#!/bin/sh
# Grants the installed seam the capabilities its commands need without root, where it can, and says what it
# did and what it could not (never fails the install):
#   cap_net_raw,cap_net_admin  live capture (seam capture, the proxy's sniffer), as Wireshark's dumpcap has;
#   cap_bpf,cap_perfmon        seam watch's eBPF programs — only with WATCH_CAPS=1: they let whoever runs seam
#                              read the socket data of every process on the machine.
# SETCAP names the setcap program; SETCAP= (empty) skips this.
#   scripts/install-caps.sh /usr/local/bin/seam
set -u
seam=${1:?usage: install-caps.sh INSTALLED_SEAM}
setcap=${SETCAP-setcap}
caps=cap_net_raw,cap_net_admin
[ "${WATCH_CAPS:-}" = 1 ] && caps=$caps,cap_bpf,cap_perfmon

if [ -z "$setcap" ]; then
    echo "install: capabilities not granted (SETCAP is empty); seam capture and the proxy's sniffer need root"
    exit 0
fi
if ! command -v "$setcap" >/dev/null 2>&1; then
    echo "install: capabilities not granted: no $setcap (Debian: apt-get install libcap2-bin), then:"
    echo "  $setcap $caps+eip $seam"
    exit 0
fi
if error=$("$setcap" "$caps+eip" "$seam" 2>&1); then
    echo "install: granted $caps to $seam: capture works without root (for every user who can run it)"
else
    echo "install: could not grant $caps to $seam: ${error:-setcap failed}"
    echo "  (not root, or the file system keeps no capabilities); as root: $setcap $caps+eip $seam"
fi
[ "${WATCH_CAPS:-}" = 1 ] || echo "install: seam watch still needs root, or: make install WATCH_CAPS=1 (grants cap_bpf,cap_perfmon to every user of seam)"
exit 0
