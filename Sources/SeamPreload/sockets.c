/*
 * Per-descriptor bookkeeping: a fixed table indexed by descriptor number that says whether the descriptor is
 * a TCP or UDP socket worth recording (classified once, on first sight), and for those the socket's number,
 * role, byte counts per direction and cached addresses.
 *
 * A slot's state goes UNKNOWN → BUSY (one thread classifies) → TRACED or UNTRACED, and back to UNKNOWN when
 * the descriptor is closed or its number reused (seam_forget). Addresses are a cache written by whoever wins
 * the slot's try-lock and read under its sequence counter.
 */
#include "seam_internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

enum slot_state { SLOT_UNKNOWN = 0, SLOT_UNTRACED = 1, SLOT_BUSY = 2, SLOT_TRACED = 3 };

static struct seam_slot slots[SEAM_SLOT_COUNT];
static _Atomic uint64_t next_socket_id = 1;

SEAM_HIDDEN void seam_forget(int fd) {
    if (fd >= 0 && fd < SEAM_SLOT_COUNT) {
        atomic_store_explicit(&slots[fd].state, SLOT_UNKNOWN, memory_order_release);
    }
}

SEAM_HIDDEN struct seam_slot *seam_known_slot(int fd) {
    if (fd < 0 || fd >= SEAM_SLOT_COUNT) return NULL;
    return atomic_load_explicit(&slots[fd].state, memory_order_acquire) == SLOT_TRACED ? &slots[fd] : NULL;
}

SEAM_HIDDEN int seam_address_from(const struct sockaddr *sa, socklen_t length, struct seam_address *out) {
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

SEAM_HIDDEN int seam_query_address(int fd, int peer, struct seam_address *out) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    int saved = errno;
    int rc = peer ? getpeername(fd, (struct sockaddr *)&storage, &length)
                  : getsockname(fd, (struct sockaddr *)&storage, &length);
    errno = saved;
    return rc == 0 && seam_address_from((struct sockaddr *)&storage, length, out);
}

SEAM_HIDDEN void seam_store_addresses(struct seam_slot *s, const struct seam_address *local,
                                      const struct seam_address *peer) {
    uint32_t expected = 0;
    if (!atomic_compare_exchange_strong(&s->writing, &expected, 1)) return; /* losing the race is harmless */
    atomic_fetch_add_explicit(&s->sequence, 1, memory_order_acq_rel);
    if (local) s->local = *local;
    if (peer) s->peer = *peer;
    atomic_fetch_add_explicit(&s->sequence, 1, memory_order_acq_rel);
    atomic_store(&s->writing, 0);
}

SEAM_HIDDEN void seam_load_addresses(struct seam_slot *s, struct seam_address *local, struct seam_address *peer) {
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

/* Whether `fd` is an AF_INET/AF_INET6 stream or datagram socket; its domain and type when it is. */
static int is_inet_socket(int fd, int *domain, int *type) {
    int saved = errno;
    socklen_t length = sizeof *domain;
    int inet = getsockopt(fd, SOL_SOCKET, SO_DOMAIN, domain, &length) == 0
        && (*domain == AF_INET || *domain == AF_INET6);
    length = sizeof *type;
    if (inet) inet = getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &length) == 0
        && (*type == SOCK_STREAM || *type == SOCK_DGRAM);
    errno = saved;
    return inet;
}

SEAM_HIDDEN struct seam_slot *seam_traced_slot(int fd, struct seam_slot *scratch) {
    if (fd < 0 || !seam_tracing()) return NULL;
    struct seam_slot *s = &slots[fd < SEAM_SLOT_COUNT ? fd : 0];
    if (fd >= SEAM_SLOT_COUNT) {
        s = scratch;
        memset(s, 0, sizeof *s);
    }
    for (;;) {
        uint32_t state = atomic_load_explicit(&s->state, memory_order_acquire);
        if (state == SLOT_TRACED) return s;
        if (state == SLOT_UNTRACED) return NULL;
        if (state == SLOT_BUSY) continue; /* another thread classifies: a few system calls at most */
        if (atomic_compare_exchange_weak(&s->state, &state, SLOT_BUSY)) break;
    }
    int domain = 0, type = 0;
    if (!is_inet_socket(fd, &domain, &type)) {
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
    struct seam_address local, peer;
    if (seam_query_address(fd, 0, &local)) s->local = local;
    if (type == SOCK_STREAM && seam_query_address(fd, 1, &peer)) s->peer = peer;
    atomic_store_explicit(&s->state, SLOT_TRACED, memory_order_release);
    return s;
}

SEAM_HIDDEN void seam_settle_role(struct seam_slot *s, uint8_t role) {
    uint8_t expected = SEAM_ROLE_UNKNOWN;
    atomic_compare_exchange_strong(&s->role, &expected, role);
}

SEAM_HIDDEN void seam_refresh_addresses(int fd, struct seam_slot *s) {
    struct seam_address local, peer;
    seam_load_addresses(s, &local, &peer);
    struct seam_address *new_local = NULL, *new_peer = NULL;
    if (local.port == 0 && seam_query_address(fd, 0, &local) && local.port != 0) new_local = &local;
    if (peer.port == 0 && (s->socktype == 1 || atomic_load(&s->connected)) && seam_query_address(fd, 1, &peer))
        new_peer = &peer;
    if (new_local || new_peer) seam_store_addresses(s, new_local, new_peer);
}
