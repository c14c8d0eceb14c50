/*
 * SeamPreload: interposes the socket calls of libc, forwards each to the real function (dlsym(RTLD_NEXT))
 * and, for TCP and UDP sockets, sends one record per call to `seam trace` (see include/seam_preload.h).
 *
 * Rules kept in every wrapper:
 *  - the real call is made first, exactly as asked; its result and errno are returned unchanged;
 *  - no allocation: records are built on the stack, per-descriptor state lives in a fixed table;
 *  - no locks a signal handler could deadlock on: the table is published with atomics, addresses are read
 *    under a sequence counter and written only by whoever wins a try-lock (they are a cache);
 *  - a descriptor is classified once (getsockopt SO_DOMAIN and SO_TYPE) and the answer cached until the
 *    descriptor is closed, or reused by socket(), accept(), dup*();
 *  - when the channel to `seam trace` fails, tracing stops and the program goes on untraced.
 */
#define _DEFAULT_SOURCE
#include "seam_preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int dup3(int old, int new, int flags);

_Static_assert(sizeof(struct seam_record) == 144, "record layout is fixed by seam_preload.h");

#define SEAM_EXPORT __attribute__((visibility("default")))
#define SLOT_COUNT 65536

enum slot_state { SLOT_UNKNOWN = 0, SLOT_UNTRACED = 1, SLOT_BUSY = 2, SLOT_TRACED = 3 };

struct address {
    uint8_t bytes[16];
    uint16_t port;
    uint8_t family; /* 4, 6, 0 unknown */
};

struct slot {
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
    struct address local;
    struct address peer;
};

static struct slot slots[SLOT_COUNT];
static _Atomic int trace_fd = -1;
static int keep_payload;
static _Atomic uint64_t next_socket_id = 1;

/* The real functions. */
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_readv)(int, const struct iovec *, int);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static int (*real_accept)(int, struct sockaddr *, socklen_t *);
static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);
static int (*real_shutdown)(int, int);
static int (*real_close)(int);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_socket)(int, int, int);
static int (*real_socketpair)(int, int, int, int[2]);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);

#define RESOLVE(name) \
    do { \
        if (!real_##name) real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name); \
    } while (0)

static void resolve_all(void) {
    RESOLVE(send); RESOLVE(sendto); RESOLVE(sendmsg); RESOLVE(write); RESOLVE(writev);
    RESOLVE(recv); RESOLVE(recvfrom); RESOLVE(recvmsg); RESOLVE(read); RESOLVE(readv);
    RESOLVE(connect); RESOLVE(accept); RESOLVE(accept4); RESOLVE(shutdown); RESOLVE(close);
    RESOLVE(setsockopt); RESOLVE(socket); RESOLVE(socketpair); RESOLVE(dup); RESOLVE(dup2); RESOLVE(dup3);
}

/* The ring: a shared file mapped as header page + data, the data mapped twice in a row so a record that
 * wraps around the end is still contiguous in memory. */
static uint8_t *ring_base;
static uint8_t *ring_data;
static uint64_t ring_capacity;
static _Atomic int ring_dead;

static struct seam_ring_header *ring_header(void) { return (struct seam_ring_header *)ring_base; }

static int map_ring(int fd) {
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size <= SEAM_RING_HEADER_SIZE) return 0;
    struct seam_ring_header header;
    if (pread(fd, &header, sizeof header, 0) != (ssize_t)sizeof header || header.magic != SEAM_RING_MAGIC) return 0;
    uint64_t capacity = header.capacity;
    if (capacity == 0 || capacity % 4096 != 0 || (uint64_t)status.st_size != SEAM_RING_HEADER_SIZE + capacity) return 0;
    size_t span = SEAM_RING_HEADER_SIZE + 2 * capacity;
    uint8_t *base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 0;
    int shared = MAP_SHARED | MAP_FIXED, access = PROT_READ | PROT_WRITE;
    uint8_t *second = base + SEAM_RING_HEADER_SIZE + capacity;
    if (mmap(base, SEAM_RING_HEADER_SIZE + capacity, access, shared, fd, 0) == MAP_FAILED
        || mmap(second, capacity, access, shared, fd, SEAM_RING_HEADER_SIZE) == MAP_FAILED) {
        munmap(base, span);
        return 0;
    }
    ring_capacity = capacity;
    ring_data = base + SEAM_RING_HEADER_SIZE;
    ring_base = base;
    return 1;
}

__attribute__((constructor)) static void seam_preload_init(void) {
    resolve_all();
    const char *fd_text = getenv(SEAM_TRACE_FD_ENV);
    if (!fd_text || !*fd_text) return;
    char *end = NULL;
    long fd = strtol(fd_text, &end, 10);
    if (*end != '\0' || fd < 0 || fd > 1 << 20) return;
    /* Only a file that starts with the ring's magic is the ring: a descriptor a child process reused for
     * something else is never written to. Once mapped, the descriptor is not needed any more. */
    int saved = errno;
    int mapped = map_ring((int)fd);
    errno = saved;
    if (!mapped) return;
    const char *payload = getenv(SEAM_TRACE_PAYLOAD_ENV);
    keep_payload = payload && payload[0] == '1';
    atomic_store(&trace_fd, (int)fd);
}

static int64_t now_ns(void) {
    struct timespec spec;
    clock_gettime(CLOCK_REALTIME, &spec);
    return (int64_t)spec.tv_sec * 1000000000 + spec.tv_nsec;
}

static int tracing(void) { return ring_base != NULL && !atomic_load_explicit(&ring_dead, memory_order_relaxed); }

/* Forget what is known about `fd` (closed, or a new descriptor with that number). */
static void forget(int fd) {
    if (fd >= 0 && fd < SLOT_COUNT) {
        atomic_store_explicit(&slots[fd].state, SLOT_UNKNOWN, memory_order_release);
    }
}

static int address_from(const struct sockaddr *sa, socklen_t length, struct address *out) {
    if (!sa) return 0;
    if (sa->sa_family == AF_INET && length >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memset(out->bytes, 0, sizeof out->bytes);
        memcpy(out->bytes, &in->sin_addr, 4);
        out->port = ntohs(in->sin_port);
        out->family = 4;
        return 1;
    }
    if (sa->sa_family == AF_INET6 && length >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        memcpy(out->bytes, &in6->sin6_addr, 16);
        out->port = ntohs(in6->sin6_port);
        out->family = 6;
        return 1;
    }
    return 0;
}

static int query_address(int fd, int peer, struct address *out) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    int saved = errno;
    int rc = peer ? getpeername(fd, (struct sockaddr *)&storage, &length)
                  : getsockname(fd, (struct sockaddr *)&storage, &length);
    errno = saved;
    return rc == 0 && address_from((struct sockaddr *)&storage, length, out);
}

/* Writes the slot's addresses when nobody else is (they are a cache: losing the race is harmless). */
static void store_addresses(struct slot *s, const struct address *local, const struct address *peer) {
    uint32_t expected = 0;
    if (!atomic_compare_exchange_strong(&s->writing, &expected, 1)) return;
    atomic_fetch_add_explicit(&s->sequence, 1, memory_order_acq_rel);
    if (local) s->local = *local;
    if (peer) s->peer = *peer;
    atomic_fetch_add_explicit(&s->sequence, 1, memory_order_acq_rel);
    atomic_store(&s->writing, 0);
}

static void load_addresses(struct slot *s, struct address *local, struct address *peer) {
    for (int attempt = 0; attempt < 100; attempt++) {
        uint32_t before = atomic_load_explicit(&s->sequence, memory_order_acquire);
        if (before & 1) continue;
        *local = s->local;
        *peer = s->peer;
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&s->sequence, memory_order_relaxed) == before) return;
    }
    memset(local, 0, sizeof *local);
    memset(peer, 0, sizeof *peer);
}

/* The slot of a traced TCP or UDP socket, classifying `fd` on first sight; NULL for anything else.
 * Descriptors beyond the table use `scratch` and are classified on every call. */
static struct slot *traced_slot(int fd, struct slot *scratch) {
    if (fd < 0 || !tracing()) return NULL;
    struct slot *s = &slots[fd < SLOT_COUNT ? fd : 0];
    if (fd >= SLOT_COUNT) {
        s = scratch;
        memset(s, 0, sizeof *s);
    }
    for (;;) {
        uint32_t state = atomic_load_explicit(&s->state, memory_order_acquire);
        if (state == SLOT_TRACED) return s;
        if (state == SLOT_UNTRACED) return NULL;
        if (state == SLOT_BUSY) continue; /* another thread classifies: a few syscalls at most */
        if (atomic_compare_exchange_weak(&s->state, &state, SLOT_BUSY)) break;
    }
    int saved = errno;
    int domain = 0, type = 0;
    socklen_t length = sizeof domain;
    int is_inet = getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) == 0
        && (domain == AF_INET || domain == AF_INET6);
    length = sizeof type;
    if (is_inet) is_inet = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0
        && (type == SOCK_STREAM || type == SOCK_DGRAM);
    errno = saved;
    if (!is_inet) {
        atomic_store_explicit(&s->state, SLOT_UNTRACED, memory_order_release);
        return NULL;
    }
    s->socktype = type == SOCK_STREAM ? 1 : 2;
    s->family = domain == AF_INET ? 4 : 6;
    s->id = atomic_fetch_add(&next_socket_id, 1);
    atomic_store(&s->role, SEAM_ROLE_UNKNOWN);
    atomic_store(&s->connected, 0);
    atomic_store(&s->sent, 0);
    atomic_store(&s->received, 0);
    atomic_store(&s->writing, 0);
    memset(&s->local, 0, sizeof s->local);
    memset(&s->peer, 0, sizeof s->peer);
    struct address local, peer;
    if (query_address(fd, 0, &local)) s->local = local;
    if (type == SOCK_STREAM && query_address(fd, 1, &peer)) s->peer = peer;
    atomic_store_explicit(&s->state, SLOT_TRACED, memory_order_release);
    return s;
}

/* The first data call decides the role of a socket neither connect()ed nor accept()ed. */
static void settle_role(struct slot *s, uint8_t role) {
    uint8_t expected = SEAM_ROLE_UNKNOWN;
    atomic_compare_exchange_strong(&s->role, &expected, role);
}

/* Refreshes the cached addresses that can still change: the local port until bound, the peer of a
 * stream (or connected datagram socket) until known. Costs a syscall only while they are unknown. */
static void refresh_addresses(int fd, struct slot *s) {
    struct address local, peer;
    load_addresses(s, &local, &peer);
    struct address *new_local = NULL, *new_peer = NULL;
    if (local.port == 0 && query_address(fd, 0, &local) && local.port != 0) new_local = &local;
    if (peer.port == 0 && (s->socktype == 1 || atomic_load(&s->connected)) && query_address(fd, 1, &peer))
        new_peer = &peer;
    if (new_local || new_peer) store_addresses(s, new_local, new_peer);
}

static void fill_record(struct seam_record *r, uint16_t op, uint8_t function, int fd, struct slot *s,
                        int64_t start, int64_t result, int err) {
    memset(r, 0, sizeof *r);
    r->length = sizeof *r;
    r->version = SEAM_RECORD_VERSION;
    r->op = op;
    r->function = function;
    r->pid = (uint32_t)getpid();
    r->tid = (uint32_t)syscall(SYS_gettid);
    r->socket_id = s->id;
    r->start_ns = start;
    r->end_ns = now_ns();
    r->asked = -1;
    r->result = result;
    r->err = result < 0 ? err : 0;
    r->fd = fd;
    r->role = atomic_load(&s->role);
    r->socktype = s->socktype;
    r->family = s->family;
    struct address local, peer;
    load_addresses(s, &local, &peer);
    memcpy(r->local_addr, local.bytes, 16);
    r->local_port = local.port;
    memcpy(r->peer_addr, peer.bytes, 16);
    r->peer_port = peer.port;
}

static void use_peer(struct seam_record *r, const struct address *peer) {
    memcpy(r->peer_addr, peer->bytes, 16);
    r->peer_port = peer->port;
}

static void pause_briefly(void) {
    struct timespec pause = {0, 50000};
    nanosleep(&pause, NULL);
}

/* Copies the record and up to SEAM_PAYLOAD_LIMIT bytes of `iov` (clipped to `moved` bytes) into the ring:
 * reserve space with a compare-and-swap, write, then publish the entry's header with a release store.
 * When the ring stays full for a second (seam trace stopped reading), tracing stops for good: the
 * program must never hang on its tracer. */
static void emit(struct seam_record *r, const struct iovec *iov, int iovcnt, size_t moved) {
    if (!tracing()) return;
    size_t taken = 0;
    if (keep_payload && iov && moved > 0) {
        taken = moved < SEAM_PAYLOAD_LIMIT ? moved : SEAM_PAYLOAD_LIMIT;
        r->payload_length = (uint32_t)taken;
        r->payload_cut = taken < moved;
        r->length += (uint32_t)taken;
    }
    struct seam_ring_header *header = ring_header();
    uint64_t total = (4 + (uint64_t)r->length + 7) & ~(uint64_t)7;
    uint64_t position = atomic_load_explicit(&header->reserve, memory_order_relaxed);
    int64_t full_since = 0;
    for (;;) {
        uint64_t read = atomic_load_explicit(&header->read, memory_order_acquire);
        if (position + total - read <= ring_capacity) {
            if (atomic_compare_exchange_weak_explicit(&header->reserve, &position, position + total,
                                                      memory_order_acq_rel, memory_order_relaxed)) break;
            continue;
        }
        int64_t now = now_ns();
        if (!full_since) full_since = now;
        if (now - full_since > 1000000000) {
            atomic_fetch_add(&header->dropped, 1);
            atomic_store(&ring_dead, 1);
            return;
        }
        pause_briefly();
        position = atomic_load_explicit(&header->reserve, memory_order_relaxed);
    }
    uint8_t *entry = ring_data + position % ring_capacity;
    _Atomic uint32_t *word = (_Atomic uint32_t *)entry;
    atomic_store_explicit(word, r->length | SEAM_ENTRY_PENDING, memory_order_relaxed);
    memcpy(entry + 4, r, sizeof *r);
    uint8_t *out = entry + 4 + sizeof *r;
    for (int i = 0; i < iovcnt && taken > 0; i++) {
        size_t piece = iov[i].iov_len < taken ? iov[i].iov_len : taken;
        memcpy(out, iov[i].iov_base, piece);
        out += piece;
        taken -= piece;
    }
    atomic_store_explicit(word, r->length | SEAM_ENTRY_COMMITTED, memory_order_release);
}

static size_t iov_total(const struct iovec *iov, int count) {
    size_t total = 0;
    for (int i = 0; iov && i < count; i++) total += iov[i].iov_len;
    return total;
}

/* --- data calls --------------------------------------------------------------------------------------- */

static void record_data(uint16_t op, uint8_t function, int fd, struct slot *s, int64_t start, ssize_t result,
                        int err, size_t asked, int flags, int out_flags, const struct iovec *iov, int iovcnt,
                        const struct address *call_peer) {
    settle_role(s, op == SEAM_OP_SEND ? SEAM_ROLE_CLIENT : SEAM_ROLE_SERVER);
    if (result >= 0) refresh_addresses(fd, s);
    struct seam_record r;
    fill_record(&r, op, function, fd, s, start, result, err);
    r.asked = (int64_t)asked;
    r.flags = flags;
    r.out_flags = out_flags;
    if (call_peer && call_peer->family) use_peer(&r, call_peer);
    if (result > 0 && !(flags & MSG_PEEK)) {
        _Atomic uint64_t *counter = op == SEAM_OP_SEND ? &s->sent : &s->received;
        /* A datagram read with MSG_TRUNC reports its full length; only the bytes delivered count. */
        uint64_t delivered = op == SEAM_OP_RECV && (size_t)result > asked ? asked : (uint64_t)result;
        r.offset = (int64_t)atomic_fetch_add(counter, delivered);
    } else {
        r.offset = (int64_t)atomic_load(op == SEAM_OP_SEND ? &s->sent : &s->received);
    }
    size_t moved = result > 0 ? (size_t)result : 0;
    if (moved > asked) moved = asked;
    emit(&r, iov, iovcnt, moved);
}

SEAM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags) {
    RESOLVE(send);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_send(fd, buf, len, flags);
    int64_t start = now_ns();
    ssize_t result = real_send(fd, buf, len, flags);
    int err = errno;
    struct iovec iov = {(void *)buf, len};
    record_data(SEAM_OP_SEND, SEAM_FN_SEND, fd, s, start, result, err, len, flags, 0, &iov, 1, NULL);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
                           socklen_t addrlen) {
    RESOLVE(sendto);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_sendto(fd, buf, len, flags, addr, addrlen);
    int64_t start = now_ns();
    ssize_t result = real_sendto(fd, buf, len, flags, addr, addrlen);
    int err = errno;
    struct address peer = {{0}, 0, 0};
    address_from(addr, addrlen, &peer);
    struct iovec iov = {(void *)buf, len};
    record_data(SEAM_OP_SEND, SEAM_FN_SENDTO, fd, s, start, result, err, len, flags, 0, &iov, 1, &peer);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
    RESOLVE(sendmsg);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_sendmsg(fd, msg, flags);
    int64_t start = now_ns();
    ssize_t result = real_sendmsg(fd, msg, flags);
    int err = errno;
    struct address peer = {{0}, 0, 0};
    if (msg) address_from((const struct sockaddr *)msg->msg_name, msg->msg_namelen, &peer);
    record_data(SEAM_OP_SEND, SEAM_FN_SENDMSG, fd, s, start, result, err,
                msg ? iov_total(msg->msg_iov, (int)msg->msg_iovlen) : 0, flags, 0, msg ? msg->msg_iov : NULL,
                msg ? (int)msg->msg_iovlen : 0, &peer);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t write(int fd, const void *buf, size_t count) {
    RESOLVE(write);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_write(fd, buf, count);
    int64_t start = now_ns();
    ssize_t result = real_write(fd, buf, count);
    int err = errno;
    struct iovec iov = {(void *)buf, count};
    record_data(SEAM_OP_SEND, SEAM_FN_WRITE, fd, s, start, result, err, count, 0, 0, &iov, 1, NULL);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    RESOLVE(writev);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_writev(fd, iov, iovcnt);
    int64_t start = now_ns();
    ssize_t result = real_writev(fd, iov, iovcnt);
    int err = errno;
    record_data(SEAM_OP_SEND, SEAM_FN_WRITEV, fd, s, start, result, err, iov_total(iov, iovcnt), 0, 0, iov,
                iovcnt, NULL);
    errno = err;
    return result;
}

/* recv and recvfrom on a datagram socket go through recvmsg, which returns the same value and also says
 * whether the datagram was cut (MSG_TRUNC in msg_flags) and where it came from. */
static ssize_t datagram_recv(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *addrlen,
                             int *out_flags, struct address *from) {
    struct sockaddr_storage storage;
    struct iovec iov = {buf, len};
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    if (addr && addrlen) {
        message.msg_name = addr;
        message.msg_namelen = *addrlen;
    } else {
        message.msg_name = &storage;
        message.msg_namelen = sizeof storage;
    }
    ssize_t result = real_recvmsg(fd, &message, flags);
    if (result >= 0) {
        if (addr && addrlen) *addrlen = message.msg_namelen;
        *out_flags = message.msg_flags;
        address_from((struct sockaddr *)message.msg_name, message.msg_namelen, from);
    }
    return result;
}

static ssize_t traced_recv(uint8_t function, int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
                           socklen_t *addrlen) {
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) {
        if (function == SEAM_FN_RECVFROM) return real_recvfrom(fd, buf, len, flags, addr, addrlen);
        if (function == SEAM_FN_READ) return real_read(fd, buf, len);
        return real_recv(fd, buf, len, flags);
    }
    int64_t start = now_ns();
    ssize_t result;
    int out_flags = 0;
    struct address from = {{0}, 0, 0};
    if (s->socktype == 2 && function != SEAM_FN_READ) {
        result = datagram_recv(fd, buf, len, flags, addr, addrlen, &out_flags, &from);
    } else if (function == SEAM_FN_RECVFROM) {
        result = real_recvfrom(fd, buf, len, flags, addr, addrlen);
    } else if (function == SEAM_FN_READ) {
        result = real_read(fd, buf, len);
    } else {
        result = real_recv(fd, buf, len, flags);
    }
    int err = errno;
    struct iovec iov = {buf, len};
    record_data(SEAM_OP_RECV, function, fd, s, start, result, err, len, flags, out_flags, &iov, 1, &from);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags) {
    resolve_all();
    return traced_recv(SEAM_FN_RECV, fd, buf, len, flags, NULL, NULL);
}

SEAM_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *addrlen) {
    resolve_all();
    return traced_recv(SEAM_FN_RECVFROM, fd, buf, len, flags, addr, addrlen);
}

SEAM_EXPORT ssize_t read(int fd, void *buf, size_t count) {
    resolve_all();
    return traced_recv(SEAM_FN_READ, fd, buf, count, 0, NULL, NULL);
}

SEAM_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
    RESOLVE(recvmsg);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_recvmsg(fd, msg, flags);
    int64_t start = now_ns();
    ssize_t result = real_recvmsg(fd, msg, flags);
    int err = errno;
    struct address from = {{0}, 0, 0};
    if (result >= 0 && msg) address_from((struct sockaddr *)msg->msg_name, msg->msg_namelen, &from);
    record_data(SEAM_OP_RECV, SEAM_FN_RECVMSG, fd, s, start, result, err,
                msg ? iov_total(msg->msg_iov, (int)msg->msg_iovlen) : 0, flags,
                result >= 0 && msg ? msg->msg_flags : 0, msg ? msg->msg_iov : NULL, msg ? (int)msg->msg_iovlen : 0,
                &from);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t readv(int fd, const struct iovec *iov, int iovcnt) {
    RESOLVE(readv);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_readv(fd, iov, iovcnt);
    int64_t start = now_ns();
    ssize_t result = real_readv(fd, iov, iovcnt);
    int err = errno;
    record_data(SEAM_OP_RECV, SEAM_FN_READV, fd, s, start, result, err, iov_total(iov, iovcnt), 0, 0, iov, iovcnt,
                NULL);
    errno = err;
    return result;
}

/* --- connection calls --------------------------------------------------------------------------------- */

SEAM_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t addrlen) {
    RESOLVE(connect);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_connect(fd, addr, addrlen);
    int64_t start = now_ns();
    int result = real_connect(fd, addr, addrlen);
    int err = errno;
    struct address peer = {{0}, 0, 0}, local = {{0}, 0, 0};
    int has_peer = address_from(addr, addrlen, &peer);
    if (result == 0 || err == EINPROGRESS) {
        atomic_store(&s->role, SEAM_ROLE_CLIENT);
        atomic_store(&s->connected, has_peer);
        query_address(fd, 0, &local);
        store_addresses(s, &local, has_peer ? &peer : NULL);
    }
    struct seam_record r;
    fill_record(&r, SEAM_OP_CONNECT, SEAM_FN_CONNECT, fd, s, start, result, err);
    if (has_peer) use_peer(&r, &peer);
    emit(&r, NULL, 0, 0);
    errno = err;
    return result;
}

static int traced_accept(uint8_t function, int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    int64_t start = now_ns();
    int result = function == SEAM_FN_ACCEPT4 ? real_accept4(fd, addr, addrlen, flags) : real_accept(fd, addr, addrlen);
    int err = errno;
    if (result < 0 || !tracing()) {
        errno = err;
        return result;
    }
    forget(result);
    struct slot scratch;
    struct slot *s = traced_slot(result, &scratch);
    if (s) {
        atomic_store(&s->role, SEAM_ROLE_SERVER);
        atomic_store(&s->connected, 1);
        struct seam_record r;
        fill_record(&r, SEAM_OP_ACCEPT, function, result, s, start, result, 0);
        r.flags = flags;
        emit(&r, NULL, 0, 0);
    }
    errno = err;
    return result;
}

SEAM_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *addrlen) {
    resolve_all();
    return traced_accept(SEAM_FN_ACCEPT, fd, addr, addrlen, 0);
}

SEAM_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    resolve_all();
    return traced_accept(SEAM_FN_ACCEPT4, fd, addr, addrlen, flags);
}

SEAM_EXPORT int shutdown(int fd, int how) {
    RESOLVE(shutdown);
    struct slot scratch;
    struct slot *s = traced_slot(fd, &scratch);
    if (!s) return real_shutdown(fd, how);
    int64_t start = now_ns();
    int result = real_shutdown(fd, how);
    int err = errno;
    struct seam_record r;
    fill_record(&r, SEAM_OP_SHUTDOWN, SEAM_FN_SHUTDOWN, fd, s, start, result, err);
    r.opt_level = how;
    emit(&r, NULL, 0, 0);
    errno = err;
    return result;
}

SEAM_EXPORT int close(int fd) {
    RESOLVE(close);
    /* Only a socket already seen is recorded: closing one never used for a call has nothing to say. */
    struct slot *s = fd >= 0 && fd < SLOT_COUNT && atomic_load(&slots[fd].state) == SLOT_TRACED ? &slots[fd] : NULL;
    if (!s) {
        forget(fd);
        return real_close(fd);
    }
    int64_t start = now_ns();
    struct seam_record r;
    fill_record(&r, SEAM_OP_CLOSE, SEAM_FN_CLOSE, fd, s, start, 0, 0);
    forget(fd); /* before the real close: the number may be reused by another thread right after it */
    int result = real_close(fd);
    int err = errno;
    r.end_ns = now_ns();
    r.result = result;
    r.err = result < 0 ? err : 0;
    emit(&r, NULL, 0, 0);
    errno = err;
    return result;
}

SEAM_EXPORT int setsockopt(int fd, int level, int name, const void *value, socklen_t length) {
    RESOLVE(setsockopt);
    int interesting = (level == IPPROTO_TCP && (name == TCP_NODELAY || name == TCP_CORK))
        || (level == SOL_SOCKET && (name == SO_RCVBUF || name == SO_SNDBUF));
    struct slot scratch;
    struct slot *s = interesting ? traced_slot(fd, &scratch) : NULL;
    if (!s) return real_setsockopt(fd, level, name, value, length);
    int64_t start = now_ns();
    int result = real_setsockopt(fd, level, name, value, length);
    int err = errno;
    struct seam_record r;
    fill_record(&r, SEAM_OP_SETSOCKOPT, SEAM_FN_SETSOCKOPT, fd, s, start, result, err);
    r.opt_level = level;
    r.opt_name = name;
    if (value && length >= (socklen_t)sizeof(int)) memcpy(&r.opt_value, value, sizeof(int));
    emit(&r, NULL, 0, 0);
    errno = err;
    return result;
}

/* --- descriptors that (re)appear: forget what the number meant before ------------------------------- */

SEAM_EXPORT int socket(int domain, int type, int protocol) {
    RESOLVE(socket);
    int fd = real_socket(domain, type, protocol);
    if (fd >= 0) forget(fd);
    return fd;
}

SEAM_EXPORT int socketpair(int domain, int type, int protocol, int fds[2]) {
    RESOLVE(socketpair);
    int result = real_socketpair(domain, type, protocol, fds);
    if (result == 0) {
        forget(fds[0]);
        forget(fds[1]);
    }
    return result;
}

SEAM_EXPORT int dup(int old) {
    RESOLVE(dup);
    int fd = real_dup(old);
    if (fd >= 0) forget(fd);
    return fd;
}

static void replaced(int fd) {
    if (fd >= 0 && fd < SLOT_COUNT) atomic_store(&slots[fd].state, SLOT_UNKNOWN);
}

SEAM_EXPORT int dup2(int old, int new) {
    RESOLVE(dup2);
    int fd = real_dup2(old, new);
    if (fd >= 0 && old != new) replaced(fd);
    return fd;
}

SEAM_EXPORT int dup3(int old, int new, int flags) {
    RESOLVE(dup3);
    int fd = real_dup3(old, new, flags);
    if (fd >= 0) replaced(fd);
    return fd;
}
