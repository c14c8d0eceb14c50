/*
 * seam_watch.h: what the BPF program of `seam watch` (Sources/SeamWatch/BPF/seam_watch.bpf.c) and its user
 * side (SeamWatch, through this header) share: the configuration written into the program before it is
 * loaded, and the event it puts into the ring buffer for every socket call it saw.
 *
 * Everything is in host byte order except where a field says otherwise; addresses are network order bytes.
 * The BPF side stays small: it selects the calls (process, socket type, port) and copies what the kernel
 * knows at the call; the user side decides what the calls mean (SeamWatch's WatchEvent and WatchSockets).
 */
#ifndef SEAM_WATCH_H
#define SEAM_WATCH_H

#ifdef __bpf__
#include "kernel_types.h"
#else
#include <linux/types.h>
#endif

/* Limits. SEAM_WATCH_SNAPLEN_MAX is a power of two: the BPF side masks offsets with it. */
#define SEAM_WATCH_SNAPLEN_MAX 65536
#define SEAM_WATCH_MAX_PORTS 16
#define SEAM_WATCH_MAX_COMMS 8
#define SEAM_WATCH_COMM_LEN 16
/* Iovecs whose bytes are copied per call (the bytes of later ones are counted, never copied: payload_cut). */
#define SEAM_WATCH_MAX_IOV 16
/* Iovecs summed for the bytes asked of a readv/writev/sendmsg/recvmsg; with more, `asked` is unknown (-1). */
#define SEAM_WATCH_MAX_IOV_SUM 64
/* Messages of one sendmmsg/recvmmsg recorded one event each; later ones are counted as not recorded. */
#define SEAM_WATCH_MAX_MMSG 16

/* The system call an event is about (the user side names it). */
enum seam_watch_syscall {
    SEAM_SYS_READ = 1,
    SEAM_SYS_WRITE = 2,
    SEAM_SYS_READV = 3,
    SEAM_SYS_WRITEV = 4,
    SEAM_SYS_SENDTO = 5,
    SEAM_SYS_RECVFROM = 6,
    SEAM_SYS_SENDMSG = 7,
    SEAM_SYS_RECVMSG = 8,
    SEAM_SYS_SENDMMSG = 9,
    SEAM_SYS_RECVMMSG = 10,
    SEAM_SYS_SENDFILE = 11,
    SEAM_SYS_SPLICE = 12,
    SEAM_SYS_CONNECT = 13,
    SEAM_SYS_ACCEPT = 14,
    SEAM_SYS_ACCEPT4 = 15,
    SEAM_SYS_SHUTDOWN = 16,
    SEAM_SYS_CLOSE = 17,
};

/* What a call did with bytes: sent them, received them, or none (connect, accept, shutdown, close). */
enum seam_watch_way {
    SEAM_WAY_NONE = 0,
    SEAM_WAY_SEND = 1,
    SEAM_WAY_RECV = 2,
};

/* Bits of seam_watch_event.details. */
enum seam_watch_detail {
    /* The payload holds only the first bytes the call moved (snaplen, or more iovecs than copied). */
    SEAM_DETAIL_PAYLOAD_CUT = 1 << 0,
    /* The bytes were not in a user buffer (sendfile, splice): none are copied. */
    SEAM_DETAIL_NO_USER_BUFFER = 1 << 1,
    /* The tcp_* fields hold the socket's TCP state at the call's entry. */
    SEAM_DETAIL_TCP_STATE = 1 << 2,
    /* The peer address came from the call (sendto/recvfrom/sendmsg/recvmsg name), not the socket. */
    SEAM_DETAIL_PEER_FROM_CALL = 1 << 3,
    /* The iovecs were more than SEAM_WATCH_MAX_IOV_SUM: `asked` is unknown. */
    SEAM_DETAIL_ASKED_UNKNOWN = 1 << 4,
    /* The call was given an address (sendto's dest_addr, recvfrom's src_addr, a msghdr's msg_name): without
     * one, sendto and recvfrom are what libc's send() and recv() call. */
    SEAM_DETAIL_ADDRESS_GIVEN = 1 << 5,
};

/* The configuration, in its own read-only section (.rodata.config), set before the program is loaded. */
struct seam_watch_config {
    /* seam's own process: never recorded. */
    __u32 self_tgid;
    /* 1: every process is selected (only ports were given); 0: only those in the `watched` map or of a comm. */
    __u32 all_processes;
    /* Bytes of payload copied per call (0: none), at most SEAM_WATCH_SNAPLEN_MAX. */
    __u32 snaplen;
    __u32 port_count;
    __u32 comm_count;
    /* Events are submitted without waking the reader (it polls) until this many bytes wait in the ring. */
    __u32 wakeup_bytes;
    __u32 reserved;
    /* --port: a call is kept when its socket's local or remote port is one of these. */
    __u16 ports[SEAM_WATCH_MAX_PORTS];
    /* --comm: processes whose command (the thread group leader's comm) is one of these are selected. */
    char comms[SEAM_WATCH_MAX_COMMS][SEAM_WATCH_COMM_LEN];
};

/* Values of the `watched` map (key: tgid). */
enum seam_watch_selection {
    /* Record the process's calls, and follow its children. */
    SEAM_SELECT_RECORD = 1,
    /* Do not record it; follow its children (seam itself, when it starts the watched program). */
    SEAM_SELECT_FOLLOW = 2,
};

/* Indexes of the `counters` map (per CPU, summed by the user side). */
enum seam_watch_counter {
    /* Events the ring buffer had no room for. */
    SEAM_COUNTER_RING_FULL = 0,
    /* Calls not followed because no storage could be had for the thread's call in progress. */
    SEAM_COUNTER_CALLS_FULL = 1,
    /* Messages of a sendmmsg/recvmmsg beyond SEAM_WATCH_MAX_MMSG. */
    SEAM_COUNTER_MMSG_BEYOND = 2,
    /* Processes not followed because the `watched` map was full. */
    SEAM_COUNTER_WATCHED_FULL = 3,
    SEAM_COUNTER_COUNT = 4,
};

/*
 * One socket call (for sendmmsg/recvmmsg: one message of it), then `payload_length` bytes of payload.
 * 168 bytes; fields ordered so that there is no padding.
 */
struct seam_watch_event {
    /* Entry and return time (CLOCK_MONOTONIC, bpf_ktime_get_ns). */
    __u64 start_ns;
    __u64 end_ns;
    /* The return value (bytes, a new fd for accept, or -errno); sendmmsg/recvmmsg: the message's msg_len. */
    __s64 result;
    /* Bytes asked for (count, the iovecs' sum); -1 when the call moves none or it is unknown. */
    __s64 asked;
    /* The socket's inode number (the N of socket:[N] in /proc/PID/fd): its identity while it is open. */
    __u64 socket;
    __u32 pid;
    __u32 tid;
    __s32 fd;
    /* MSG_* flags passed (accept4: its SOCK_* flags; shutdown: how). */
    __s32 flags;
    /* msg_flags returned by recvmsg/recvmmsg (MSG_TRUNC, MSG_CTRUNC). */
    __s32 msg_flags;
    __u32 payload_length;
    /* Bytes the call moved beyond the payload copied (snaplen, iovecs not copied, sendfile, splice). */
    __u32 uncopied;
    /* sendmmsg/recvmmsg: the message's index in the call, and the count the call returned. */
    __u16 message_index;
    __u16 message_count;
    /* enum seam_watch_syscall, enum seam_watch_way, SOCK_STREAM (1) or SOCK_DGRAM (2), AF_INET or AF_INET6. */
    __u8 syscall;
    __u8 way;
    __u8 socket_type;
    __u8 family;
    /* enum seam_watch_detail bits. */
    __u32 details;
    /* The socket's own port and the peer's (host order); 0 when unknown. */
    __u16 local_port;
    __u16 peer_port;
    /* Addresses, network order: IPv4 in the first 4 bytes. For AF_INET6, v4-mapped addresses stay mapped. */
    __u8 local_addr[16];
    __u8 peer_addr[16];
    /*
     * TCP (details & SEAM_DETAIL_TCP_STATE), read at the call's entry:
     * tcp_seq: write_seq (a send: the sequence number of its first byte), copied_seq (a recv: of the first
     * byte it will read); connect/accept: write_seq at return, and tcp_seq_other copied_seq at return (0 when
     * the handshake has not finished), the bases of both directions' byte axes.
     */
    __u32 tcp_seq;
    __u32 tcp_seq_other;
    /* nonagle: TCP_NAGLE_OFF (1, TCP_NODELAY), TCP_NAGLE_CORK (2), TCP_NAGLE_PUSH (4). */
    __u32 tcp_nonagle;
    /* packets_out: segments sent and not yet acknowledged. */
    __u32 tcp_packets_out;
    /* mss_cache: the current MSS. */
    __u32 tcp_mss;
    /* snd_cwnd: the congestion window, in segments. */
    __u32 tcp_cwnd;
    /* write_seq - snd_nxt: bytes written before and not yet sent. */
    __u32 tcp_unsent;
    /* rcv_nxt - copied_seq: bytes arrived and not yet read. */
    __u32 tcp_unread;
    __u32 reserved;
    /* The process's command (the thread group leader's comm). */
    char comm[SEAM_WATCH_COMM_LEN];
};

#endif
