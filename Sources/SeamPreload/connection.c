/*
 * The calls that make, end or tune a connection: connect, accept, accept4, shutdown, and the setsockopt
 * calls that change how the kernel cuts a stream (TCP_NODELAY, TCP_CORK, SO_RCVBUF, SO_SNDBUF).
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

SEAM_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t addrlen) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.connect(fd, addr, addrlen);
    int64_t start = seam_now();
    int result = seam_real.connect(fd, addr, addrlen);
    int err = errno;
    struct seam_address peer = {{0}, 0, 0}, local = {{0}, 0, 0};
    int has_peer = seam_address_from(addr, addrlen, &peer);
    if (result == 0 || err == EINPROGRESS) {
        atomic_store(&s->role, SEAM_ROLE_CLIENT);
        atomic_store(&s->connected, has_peer);
        seam_query_address(fd, 0, &local);
        seam_store_addresses(s, &local, has_peer ? &peer : NULL);
    }
    struct seam_record r;
    seam_fill_record(&r, SEAM_OP_CONNECT, SEAM_FN_CONNECT, fd, s, start, result, err);
    if (has_peer) seam_use_peer(&r, &peer);
    seam_emit(&r, NULL, 0, 0, 0);
    errno = err;
    return result;
}

static int traced_accept(uint8_t function, int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    seam_resolve();
    int64_t start = seam_now();
    int result = function == SEAM_FN_ACCEPT4 ? seam_real.accept4(fd, addr, addrlen, flags)
                                             : seam_real.accept(fd, addr, addrlen);
    int err = errno;
    if (result < 0 || !seam_tracing()) {
        errno = err;
        return result;
    }
    seam_forget(result);
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(result, &scratch);
    if (s) {
        atomic_store(&s->role, SEAM_ROLE_SERVER);
        atomic_store(&s->connected, 1);
        struct seam_record r;
        seam_fill_record(&r, SEAM_OP_ACCEPT, function, result, s, start, result, 0);
        r.flags = flags;
        seam_emit(&r, NULL, 0, 0, 0);
    }
    errno = err;
    return result;
}

SEAM_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *addrlen) {
    return traced_accept(SEAM_FN_ACCEPT, fd, addr, addrlen, 0);
}

SEAM_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    return traced_accept(SEAM_FN_ACCEPT4, fd, addr, addrlen, flags);
}

SEAM_EXPORT int shutdown(int fd, int how) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.shutdown(fd, how);
    int64_t start = seam_now();
    int result = seam_real.shutdown(fd, how);
    int err = errno;
    struct seam_record r;
    seam_fill_record(&r, SEAM_OP_SHUTDOWN, SEAM_FN_SHUTDOWN, fd, s, start, result, err);
    r.opt_level = how;
    seam_emit(&r, NULL, 0, 0, 0);
    errno = err;
    return result;
}

SEAM_EXPORT int setsockopt(int fd, int level, int name, const void *value, socklen_t length) {
    seam_resolve();
    int interesting = (level == IPPROTO_TCP && (name == TCP_NODELAY || name == TCP_CORK))
        || (level == SOL_SOCKET && (name == SO_RCVBUF || name == SO_SNDBUF));
    struct seam_slot scratch;
    struct seam_slot *s = interesting ? seam_traced_slot(fd, &scratch) : NULL;
    if (!s) return seam_real.setsockopt(fd, level, name, value, length);
    int64_t start = seam_now();
    int result = seam_real.setsockopt(fd, level, name, value, length);
    int err = errno;
    struct seam_record r;
    seam_fill_record(&r, SEAM_OP_SETSOCKOPT, SEAM_FN_SETSOCKOPT, fd, s, start, result, err);
    r.opt_level = level;
    r.opt_name = name;
    if (value && length >= (socklen_t)sizeof(int)) memcpy(&r.opt_value, value, sizeof(int));
    seam_emit(&r, NULL, 0, 0, 0);
    errno = err;
    return result;
}
