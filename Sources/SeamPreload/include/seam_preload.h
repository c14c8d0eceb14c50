/*
 * SeamPreload: an LD_PRELOAD library that records the socket calls of an unmodified, dynamically linked
 * program and sends one fixed binary record per call (plus the bytes moved, when enabled) to the recorder
 * that started it (`seam trace`). This header is the one documented source of the binary format; Swift's
 * `TraceRecord` (Sources/SeamTrace/TraceRecord.swift) decodes it and follows these offsets.
 *
 * THE CHANNEL. A shared ring: a file whose absolute path is in SEAM_TRACE_RING (in /dev/shm, mode 0600,
 * created and finally removed by the recorder), laid out as one header page (struct seam_ring_header) then
 * `capacity` bytes of entries. Every process the library loads into opens the file by that name when it
 * starts (so a child that closed every inherited descriptor, as Python's subprocess does, is still traced)
 * and maps it; forked children share the parent's mapping. Producers (every thread of every traced process)
 * reserve an entry with a compare-and-swap on `reserve`, copy the record, and publish it by storing its
 * header word with SEAM_ENTRY_COMMITTED (release); the recorder reads entries in order, zeroes them and
 * advances `read`. An entry is a 4-byte header word (length of the message | state bits), the message
 * (record + payload), padded to 8 bytes. No system call on the hot path. SEAM_TRACE_PAYLOAD=1 adds up to
 * SEAM_PAYLOAD_LIMIT bytes of each data call's bytes after the record.
 *
 * TIMES. Every record carries the call's entry time (start_ns) and return time (end_ns), CLOCK_REALTIME.
 *
 * RECORD LAYOUT (host byte order, little-endian on every platform Seam runs on; 144 bytes):
 *
 *   off size field
 *     0    4 length          whole message: record + payload
 *     4    2 version         SEAM_RECORD_VERSION
 *     6    2 op              enum seam_op
 *     8    4 pid             getpid() of the caller
 *    12    4 tid             gettid() of the caller
 *    16    8 socket_id       per-process socket number, 1-based in order of first sight; 0 for process records
 *    24    8 start_ns        CLOCK_REALTIME when the call was entered
 *    32    8 end_ns          CLOCK_REALTIME when the call returned
 *    40    8 asked           bytes asked (len, sum of iov_len, sendfile's count), -1 when the call moves no data
 *    48    8 result          the call's return value (a batch call: this message's msg_len); process records:
 *                            the pid the record is about (posix_spawn: the child's)
 *    56    8 offset          the socket's sent (send) or received (recv) byte count before the call
 *    64    4 fd              the descriptor (splice, sendfile: the socket's); -1 for process records
 *    68    4 err             errno when the call failed, else 0
 *    72    4 flags           flags passed (MSG_*), accept4 flags; process records: SEAM_PROCESS_*
 *    76    4 out_flags       msg_flags returned (recvmsg, recvmmsg, and recv/recvfrom on datagram sockets)
 *    80    4 opt_level       setsockopt level; shutdown: how
 *    84    4 opt_name        setsockopt name
 *    88    4 opt_value       setsockopt value (int); process records: the parent's pid
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
 *   137    1 data_source     enum seam_data_source: where the bytes came from or went to
 *   138    2 batch_index     sendmmsg/recvmmsg: this message's index in the call; else 0
 *   140    2 batch_count     sendmmsg/recvmmsg: messages the call moved (its return value); else 0
 *   142    2 reserved        zero
 *
 * DATA CALLS. One record per call; sendmmsg and recvmmsg give one record per message they moved (each with
 * its own length, flags, peer and offset, the same times), or one record when they failed. sendfile and
 * splice move bytes the program never holds: their records count the bytes (asked, result, offset) and never
 * carry payload (data_source SEAM_DATA_KERNEL). copy_file_range is not hooked: the kernel refuses it on
 * sockets (EINVAL).
 *
 * PROCESS RECORDS (op SEAM_OP_PROCESS; payload always present, whatever SEAM_TRACE_PAYLOAD says):
 *   SEAM_FN_PROCESS_START  the library was loaded into a new program image (after exec): payload the
 *                          executable's path (/proc/self/exe), a NUL, the command name (comm)
 *   SEAM_FN_PROCESS_FORK   a forked child (result: its pid), announced by the parent when fork() returns and
 *                          again by the child itself; no payload
 *   SEAM_FN_PROCESS_EXEC   the process is about to exec: payload the resolved path; flags
 *                          SEAM_PROCESS_TRACE_ENV when the new environment still carries LD_PRELOAD (with this
 *                          library) and SEAM_TRACE_RING. A START from the same pid follows if the new image
 *                          loaded the library; none when it is static, setuid, or the environment was dropped.
 *   SEAM_FN_PROCESS_EXEC_FAILED  the exec returned: err is its errno
 *   SEAM_FN_PROCESS_SPAWN  posix_spawn/posix_spawnp started `result` (the child's pid): payload the resolved path;
 *                          flags as for EXEC. The child's START may come before or after this record.
 */
#ifndef SEAM_PRELOAD_H
#define SEAM_PRELOAD_H

#include <stdatomic.h>
#include <stdint.h>

#define SEAM_RECORD_VERSION 2
#define SEAM_RECORD_SIZE 144
#define SEAM_PAYLOAD_LIMIT 65536
#define SEAM_TRACE_RING_ENV "SEAM_TRACE_RING"
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
    _Atomic uint64_t read; /* bytes consumed by the recorder, ever */
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
    SEAM_OP_PROCESS = 8,
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
    SEAM_FN_SENDMMSG = 17, SEAM_FN_RECVMMSG, SEAM_FN_SENDFILE, SEAM_FN_SPLICE, SEAM_FN_CLOSE_RANGE,
    SEAM_FN_PROCESS_START = 32, SEAM_FN_PROCESS_FORK, SEAM_FN_PROCESS_EXEC, SEAM_FN_PROCESS_EXEC_FAILED,
    SEAM_FN_PROCESS_SPAWN,
};

enum seam_data_source {
    SEAM_DATA_BUFFER = 0, /* the program's own buffer: payload as SEAM_TRACE_PAYLOAD says */
    SEAM_DATA_KERNEL = 1, /* moved inside the kernel (sendfile, splice): bytes counted, payload never recorded */
};

/* flags of process records */
#define SEAM_PROCESS_TRACE_ENV 1

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
    uint8_t data_source;
    uint16_t batch_index;
    uint16_t batch_count;
    uint8_t reserved[2];
};

#endif
