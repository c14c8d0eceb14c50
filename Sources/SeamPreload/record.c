/*
 * Times, identities and records: what every record says about who made the call and when, and how a data
 * call (send or recv) becomes a record on its socket's byte axis.
 *
 * pid and tid are cached (getpid and gettid are system calls, and the hot path makes none): the pid per
 * process, reset in a forked child by process.c; the tid per thread, tagged with the fork generation so a
 * forked child's thread (which inherits the forking thread's TLS) looks its tid up again.
 */
#include "seam_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Atomic uint32_t process_pid;
static _Atomic uint32_t fork_generation = 1;
static __thread uint32_t thread_tid;
static __thread uint32_t thread_generation;

SEAM_HIDDEN int64_t seam_now(void) {
    struct timespec spec;
    clock_gettime(CLOCK_REALTIME, &spec);
    return (int64_t)spec.tv_sec * 1000000000 + spec.tv_nsec;
}

SEAM_HIDDEN uint32_t seam_pid(void) {
    uint32_t pid = atomic_load_explicit(&process_pid, memory_order_relaxed);
    if (!pid) {
        pid = (uint32_t)getpid();
        atomic_store_explicit(&process_pid, pid, memory_order_relaxed);
    }
    return pid;
}

SEAM_HIDDEN uint32_t seam_tid(void) {
    uint32_t generation = atomic_load_explicit(&fork_generation, memory_order_relaxed);
    if (thread_generation != generation) {
        thread_tid = (uint32_t)gettid();
        thread_generation = generation;
    }
    return thread_tid;
}

SEAM_HIDDEN void seam_identity_forked(void) {
    atomic_store(&process_pid, (uint32_t)getpid());
    atomic_fetch_add(&fork_generation, 1);
}

SEAM_HIDDEN int seam_in_vfork_child(void) {
    uint32_t cached = atomic_load_explicit(&process_pid, memory_order_relaxed);
    return cached != 0 && cached != (uint32_t)getpid();
}

SEAM_HIDDEN void seam_fill_record(struct seam_record *r, uint16_t op, uint8_t function, int fd,
                                  struct seam_slot *s, int64_t start, int64_t result, int err) {
    memset(r, 0, sizeof *r);
    r->length = sizeof *r;
    r->version = SEAM_RECORD_VERSION;
    r->op = op;
    r->function = function;
    r->pid = seam_pid();
    r->tid = seam_tid();
    r->socket_id = s->id;
    r->start_ns = start;
    r->end_ns = seam_now();
    r->asked = -1;
    r->result = result;
    r->err = result < 0 ? err : 0;
    r->fd = fd;
    r->role = atomic_load(&s->role);
    r->socktype = s->socktype;
    r->family = s->family;
    struct seam_address local, peer;
    seam_load_addresses(s, &local, &peer);
    memcpy(r->local_addr, local.bytes, 16);
    r->local_port = local.port;
    memcpy(r->peer_addr, peer.bytes, 16);
    r->peer_port = peer.port;
}

SEAM_HIDDEN void seam_use_peer(struct seam_record *r, const struct seam_address *peer) {
    memcpy(r->peer_addr, peer->bytes, 16);
    r->peer_port = peer->port;
}

SEAM_HIDDEN size_t seam_iov_total(const struct iovec *iov, int count) {
    size_t total = 0;
    for (int i = 0; iov && i < count; i++) total += iov[i].iov_len;
    return total;
}

SEAM_HIDDEN void seam_record_data(int fd, struct seam_slot *s, const struct seam_data_call *call) {
    int sends = call->op == SEAM_OP_SEND;
    seam_settle_role(s, sends ? SEAM_ROLE_CLIENT : SEAM_ROLE_SERVER);
    if (call->result >= 0) seam_refresh_addresses(fd, s);
    struct seam_record r;
    seam_fill_record(&r, call->op, call->function, fd, s, call->start, call->result, call->err);
    if (call->end) r.end_ns = call->end;
    r.asked = (int64_t)call->asked;
    r.flags = call->flags;
    r.out_flags = call->out_flags;
    r.data_source = call->source;
    r.batch_index = call->batch_index;
    r.batch_count = call->batch_count;
    if (call->peer && call->peer->family) seam_use_peer(&r, call->peer);
    _Atomic uint64_t *counter = sends ? &s->sent : &s->received;
    if (call->result > 0 && !(call->flags & MSG_PEEK)) {
        /* A datagram read with MSG_TRUNC reports its full length; only the bytes delivered count. */
        uint64_t delivered = !sends && (size_t)call->result > call->asked ? call->asked : (uint64_t)call->result;
        r.offset = (int64_t)atomic_fetch_add(counter, delivered);
    } else {
        r.offset = (int64_t)atomic_load(counter);
    }
    size_t moved = call->result > 0 ? (size_t)call->result : 0;
    if (moved > call->asked) moved = call->asked;
    if (call->source == SEAM_DATA_KERNEL) moved = 0; /* the program never held these bytes */
    seam_emit(&r, call->iov, call->iovcnt, moved, 0);
}
