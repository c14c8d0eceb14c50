/*
 * SeamPreload: an LD_PRELOAD library that records the socket calls of an unmodified, dynamically linked
 * program and sends one fixed binary record per call (plus the bytes moved, when enabled) to the
 * `seam trace` process that started it.
 *
 * The channel is a shared ring: a file (in /dev/shm) whose descriptor is in SEAM_TRACE_FD, laid out as one
 * header page (struct seam_ring_header) then `capacity` bytes of entries. Producers (every thread of the
 * program and of its forked children) reserve an entry with a compare-and-swap on `reserve`, copy the
 * record, and publish it by storing its header word with SEAM_ENTRY_COMMITTED (release); `seam trace` reads
 * entries in order, zeroes them and advances `read`. An entry is a 4-byte header word (length of the
 * message | state bits), the message (record + payload), padded to 8 bytes. No system call on the hot path.
 * SEAM_TRACE_PAYLOAD=1 adds up to SEAM_PAYLOAD_LIMIT bytes of each call's data after the record.
 *
 * Record layout (host byte order, little-endian on every platform Seam runs on; 144 bytes):
 *
 *   off size field
 *     0    4 length          whole message: record + payload
 *     4    2 version         SEAM_RECORD_VERSION
 *     6    2 op              enum seam_op
 *     8    4 pid             getpid() of the caller
 *    12    4 tid             gettid() of the caller
 *    16    8 socket_id       per-process socket number, 1-based in order of first sight
 *    24    8 start_ns        CLOCK_REALTIME when the call was entered
 *    32    8 end_ns          CLOCK_REALTIME when the call returned
 *    40    8 asked           bytes asked (len, sum of iov_len), -1 when the call moves no data
 *    48    8 result          the call's return value
 *    56    8 offset          the socket's sent (send) or received (recv) byte count before the call
 *    64    4 fd              the descriptor
 *    68    4 err             errno when result < 0, else 0
 *    72    4 flags           flags passed (MSG_*), accept4 flags
 *    76    4 out_flags       msg_flags returned (recvmsg, and recv/recvfrom on datagram sockets)
 *    80    4 opt_level       setsockopt level; shutdown: how
 *    84    4 opt_name        setsockopt name
 *    88    4 opt_value       setsockopt value (int)
 *    92    1 role            enum seam_role
 *    93    1 socktype        1 SOCK_STREAM, 2 SOCK_DGRAM
 *    94    1 family          4 (AF_INET), 6 (AF_INET6), 0 unknown
 *    95    1 payload_cut     1 when the payload was cut at SEAM_PAYLOAD_LIMIT
 *    96    2 local_port      host order; 0 when unknown
 *    98    2 peer_port       host order; 0 when unknown
 *   100   16 local_addr      network order; IPv4 in the first 4 bytes
 *   116   16 peer_addr       network order; IPv4 in the first 4 bytes
 *   132    4 payload_length  bytes following the record
 *   136    1 function        enum seam_function: which libc function was called
 *   137    7 reserved        zero
 */
#ifndef SEAM_PRELOAD_H
#define SEAM_PRELOAD_H

#include <stdatomic.h>
#include <stdint.h>

#define SEAM_RECORD_VERSION 1
#define SEAM_PAYLOAD_LIMIT 65536
#define SEAM_TRACE_FD_ENV "SEAM_TRACE_FD"
#define SEAM_TRACE_PAYLOAD_ENV "SEAM_TRACE_PAYLOAD"

#define SEAM_RING_MAGIC 0x474E49524D414553ULL /* "SEAMRING" read as a little-endian uint64 */
#define SEAM_RING_HEADER_SIZE 4096
#define SEAM_ENTRY_PENDING 0x40000000u
#define SEAM_ENTRY_COMMITTED 0x80000000u
#define SEAM_ENTRY_LENGTH_MASK 0x3FFFFFFFu

/* The ring's first page. Offsets: magic 0, capacity 8, reserve 64, read 128, dropped 192. */
struct seam_ring_header {
    uint64_t magic;
    uint64_t capacity; /* bytes of entries, a multiple of 4096 */
    uint8_t pad0[48];
    _Atomic uint64_t reserve; /* bytes reserved by producers, ever */
    uint8_t pad1[56];
    _Atomic uint64_t read; /* bytes consumed by seam trace, ever */
    uint8_t pad2[56];
    _Atomic uint64_t dropped; /* records dropped because the ring stayed full */
};

enum seam_op {
    SEAM_OP_SEND = 1,
    SEAM_OP_RECV = 2,
    SEAM_OP_CONNECT = 3,
    SEAM_OP_ACCEPT = 4,
    SEAM_OP_SHUTDOWN = 5,
    SEAM_OP_CLOSE = 6,
    SEAM_OP_SETSOCKOPT = 7,
};

enum seam_role {
    SEAM_ROLE_UNKNOWN = 0,
    SEAM_ROLE_CLIENT = 1, /* connect()ed, or sent first */
    SEAM_ROLE_SERVER = 2, /* accept()ed, or received first */
};

enum seam_function {
    SEAM_FN_SEND = 1, SEAM_FN_SENDTO, SEAM_FN_SENDMSG, SEAM_FN_WRITE, SEAM_FN_WRITEV,
    SEAM_FN_RECV, SEAM_FN_RECVFROM, SEAM_FN_RECVMSG, SEAM_FN_READ, SEAM_FN_READV,
    SEAM_FN_CONNECT, SEAM_FN_ACCEPT, SEAM_FN_ACCEPT4, SEAM_FN_SHUTDOWN, SEAM_FN_CLOSE, SEAM_FN_SETSOCKOPT,
};

struct seam_record {
    uint32_t length;
    uint16_t version;
    uint16_t op;
    uint32_t pid;
    uint32_t tid;
    uint64_t socket_id;
    int64_t start_ns;
    int64_t end_ns;
    int64_t asked;
    int64_t result;
    int64_t offset;
    int32_t fd;
    int32_t err;
    int32_t flags;
    int32_t out_flags;
    int32_t opt_level;
    int32_t opt_name;
    int32_t opt_value;
    uint8_t role;
    uint8_t socktype;
    uint8_t family;
    uint8_t payload_cut;
    uint16_t local_port;
    uint16_t peer_port;
    uint8_t local_addr[16];
    uint8_t peer_addr[16];
    uint32_t payload_length;
    uint8_t function;
    uint8_t reserved[7];
};

#endif
