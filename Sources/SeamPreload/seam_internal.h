/*
 * What the files of SeamPreload share (not part of the format: that is include/seam_preload.h).
 *
 *   real.c         the real libc functions (dlsym RTLD_NEXT)
 *   ring.c         the channel: attaching to the ring by name, publishing a record
 *   record.c       times, pid/tid, building a record, recording a data call
 *   sockets.c      per-descriptor bookkeeping: which descriptors are TCP/UDP sockets, their addresses, counts
 *   send.c         send, sendto, sendmsg, sendmmsg, write, writev
 *   recv.c         recv, recvfrom, recvmsg, recvmmsg, read, readv and their _FORTIFY_SOURCE (_chk) forms
 *   kernel_copy.c  sendfile, sendfile64, splice: bytes counted, never payload
 *   connection.c   connect, accept, accept4, shutdown, setsockopt
 *   descriptors.c  close, close_range, socket, socketpair, dup, dup2, dup3
 *   process.c      the library's start in each process (START), fork() and forked children (FORK)
 *   exec.c         the exec family and posix_spawn: which program a process is about to become (EXEC, SPAWN)
 *   syscall.c      syscall(2) itself: libraries that call sendmmsg and friends through it (libuv)
 *
 * Rules kept in every wrapper:
 *  - the real call is made first, exactly as asked; its result and errno are returned unchanged;
 *  - no allocation: records are built on the stack, per-descriptor state lives in a fixed table;
 *  - no locks a signal handler could deadlock on: the table is published with atomics, addresses are read
 *    under a sequence counter and written only by whoever wins a try-lock (they are a cache);
 *  - a descriptor is classified once (getsockopt SO_DOMAIN and SO_TYPE) and the answer cached until the
 *    descriptor is closed, or reused by socket(), accept(), dup*();
 *  - in the child of a vfork() (posix_spawn, Python's subprocess) memory is the parent's: wrappers called
 *    there change nothing of the shared state (seam_in_vfork_child);
 *  - when the channel fails, tracing stops and the program goes on untraced.
 */
#ifndef SEAM_INTERNAL_H
#define SEAM_INTERNAL_H

#define _GNU_SOURCE
#include "seam_preload.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#define SEAM_EXPORT __attribute__((visibility("default")))
#define SEAM_HIDDEN __attribute__((visibility("hidden")))
#define SEAM_SLOT_COUNT 65536

_Static_assert(sizeof(struct seam_record) == SEAM_RECORD_SIZE, "record layout is fixed by seam_preload.h");

/* --- real.c ---------------------------------------------------------------------------------------------- */

struct mmsghdr;
struct timespec;

/* The next definitions of the functions SeamPreload interposes, resolved once (seam_resolve) before use. */
struct seam_real {
    ssize_t (*send)(int, const void *, size_t, int);
    ssize_t (*sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
    ssize_t (*sendmsg)(int, const struct msghdr *, int);
    int (*sendmmsg)(int, struct mmsghdr *, unsigned int, int);
    ssize_t (*write)(int, const void *, size_t);
    ssize_t (*writev)(int, const struct iovec *, int);
    ssize_t (*recv)(int, void *, size_t, int);
    ssize_t (*recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
    ssize_t (*recvmsg)(int, struct msghdr *, int);
    int (*recvmmsg)(int, struct mmsghdr *, unsigned int, int, struct timespec *);
    ssize_t (*read)(int, void *, size_t);
    ssize_t (*readv)(int, const struct iovec *, int);
    ssize_t (*sendfile)(int, int, off_t *, size_t);
    ssize_t (*sendfile64)(int, int, off_t *, size_t);
    ssize_t (*splice)(int, off_t *, int, off_t *, size_t, unsigned int);
    int (*connect)(int, const struct sockaddr *, socklen_t);
    int (*accept)(int, struct sockaddr *, socklen_t *);
    int (*accept4)(int, struct sockaddr *, socklen_t *, int);
    int (*shutdown)(int, int);
    int (*close)(int);
    int (*close_range)(unsigned int, unsigned int, int);
    int (*setsockopt)(int, int, int, const void *, socklen_t);
    int (*socket)(int, int, int);
    int (*socketpair)(int, int, int, int[2]);
    int (*dup)(int);
    int (*dup2)(int, int);
    int (*dup3)(int, int, int);
    int (*execve)(const char *, char *const[], char *const[]);
    int (*execveat)(int, const char *, char *const[], char *const[], int);
    int (*fexecve)(int, char *const[], char *const[]);
    int (*execvpe)(const char *, char *const[], char *const[]);
    int (*posix_spawn)(pid_t *, const char *, const void *, const void *, char *const[], char *const[]);
    int (*posix_spawnp)(pid_t *, const char *, const void *, const void *, char *const[], char *const[]);
    long (*syscall)(long, long, long, long, long, long, long);
    pid_t (*fork)(void);
};

SEAM_HIDDEN extern struct seam_real seam_real;
/* Resolves every real function not resolved yet; cheap after the first call. */
SEAM_HIDDEN void seam_resolve(void);

/* --- ring.c ---------------------------------------------------------------------------------------------- */

/* Maps the ring named by SEAM_TRACE_RING; returns 1 when this process is traced. */
SEAM_HIDDEN int seam_ring_attach(void);
/* Whether records are being sent: the ring is mapped and has not failed. */
SEAM_HIDDEN int seam_tracing(void);
/* Publishes `r` followed by up to SEAM_PAYLOAD_LIMIT of the first `moved` bytes of `iov` (when payload is on,
 * or `always_payload`). */
SEAM_HIDDEN void seam_emit(struct seam_record *r, const struct iovec *iov, int iovcnt, size_t moved,
                           int always_payload);
/* Whether data calls carry payload (SEAM_TRACE_PAYLOAD=1). */
SEAM_HIDDEN extern int seam_keep_payload;

/* --- sockets.c ------------------------------------------------------------------------------------------- */

struct seam_address {
    uint8_t bytes[16];
    uint16_t port;
    uint8_t family; /* 4, 6, 0 unknown */
};

struct seam_slot {
    _Atomic uint32_t state;
    _Atomic uint32_t sequence; /* odd while the addresses are being written */
    _Atomic uint32_t writing;  /* try-lock for writers of the addresses */
    _Atomic uint8_t role;
    _Atomic uint8_t connected; /* connect() succeeded or is in progress (UDP: has a default peer) */
    uint8_t socktype;
    uint8_t family;
    uint64_t id;
    _Atomic uint64_t sent;
    _Atomic uint64_t received;
    struct seam_address local;
    struct seam_address peer;
};

/* The slot of a traced TCP or UDP socket, classifying `fd` on first sight; NULL for anything else.
 * Descriptors beyond the table use `scratch` and are classified on every call. */
SEAM_HIDDEN struct seam_slot *seam_traced_slot(int fd, struct seam_slot *scratch);
/* The slot of `fd` when it is already known to be a traced socket (no classification); else NULL. */
SEAM_HIDDEN struct seam_slot *seam_known_slot(int fd);
/* Forgets what is known about `fd` (closed, or a new descriptor with that number). */
SEAM_HIDDEN void seam_forget(int fd);
/* The first data call decides the role of a socket neither connect()ed nor accept()ed. */
SEAM_HIDDEN void seam_settle_role(struct seam_slot *s, uint8_t role);
/* Refreshes the cached addresses that can still change (local port until bound, peer until known). */
SEAM_HIDDEN void seam_refresh_addresses(int fd, struct seam_slot *s);
SEAM_HIDDEN int seam_address_from(const struct sockaddr *sa, socklen_t length, struct seam_address *out);
SEAM_HIDDEN int seam_query_address(int fd, int peer, struct seam_address *out);
SEAM_HIDDEN void seam_store_addresses(struct seam_slot *s, const struct seam_address *local,
                                      const struct seam_address *peer);
SEAM_HIDDEN void seam_load_addresses(struct seam_slot *s, struct seam_address *local, struct seam_address *peer);

/* --- record.c -------------------------------------------------------------------------------------------- */

/* CLOCK_REALTIME in nanoseconds (vDSO: no system call). */
SEAM_HIDDEN int64_t seam_now(void);
/* The caller's pid and tid, cached per process and per thread (reset in forked children). */
SEAM_HIDDEN uint32_t seam_pid(void);
SEAM_HIDDEN uint32_t seam_tid(void);
/* Notes that this is a new process (a forked child): the cached pid and tids are stale. */
SEAM_HIDDEN void seam_identity_forked(void);
/* Whether the caller runs in the child of a vfork(), between the vfork and its exec: the memory is the
 * parent's, so nothing shared may change (a system call; used only by rare wrappers). */
SEAM_HIDDEN int seam_in_vfork_child(void);

/* Zeroes `r` and fills the fields every socket record has, from the slot; the return time is now. */
SEAM_HIDDEN void seam_fill_record(struct seam_record *r, uint16_t op, uint8_t function, int fd, struct seam_slot *s,
                                  int64_t start, int64_t result, int err);
SEAM_HIDDEN void seam_use_peer(struct seam_record *r, const struct seam_address *peer);

/* What one data call (or one message of a batch call) did, for seam_record_data. */
struct seam_data_call {
    uint16_t op;             /* SEAM_OP_SEND or SEAM_OP_RECV */
    uint8_t function;        /* enum seam_function */
    uint8_t source;          /* enum seam_data_source */
    int64_t start;           /* entry time */
    int64_t end;             /* return time, 0: now */
    ssize_t result;          /* bytes moved, or -1 */
    int err;                 /* errno when result < 0 */
    size_t asked;            /* bytes asked */
    int flags;               /* MSG_* passed */
    int out_flags;           /* msg_flags returned */
    const struct iovec *iov; /* the bytes, for payload (NULL: none) */
    int iovcnt;
    const struct seam_address *peer; /* the call's own peer address (sendto, recvfrom), or NULL */
    uint16_t batch_index;
    uint16_t batch_count;
};

/* Records one data call on the traced socket `s`: settles its role, advances its byte count, emits. */
SEAM_HIDDEN void seam_record_data(int fd, struct seam_slot *s, const struct seam_data_call *call);
SEAM_HIDDEN size_t seam_iov_total(const struct iovec *iov, int count);

/* --- process.c, exec.c ----------------------------------------------------------------------------------- */

/* Emits a process record (op SEAM_OP_PROCESS) about `subject`, with `path` and optionally `command` as payload. */
SEAM_HIDDEN void seam_emit_process(uint8_t function, uint32_t pid, int32_t subject, int32_t flags, int err,
                                   const char *path, const char *command);
/* The library's own path (from dladdr), to recognise it in an exec's LD_PRELOAD. */
SEAM_HIDDEN extern char seam_library_path[4096];

/* --- send.c, recv.c (for syscall.c) ---------------------------------------------------------------------- */

SEAM_HIDDEN int seam_sendmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags);
SEAM_HIDDEN int seam_recvmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags,
                              struct timespec *timeout);

#endif
