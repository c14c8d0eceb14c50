/*
 * The calls that end a descriptor or give its number a new meaning: close and close_range (a traced socket's
 * close is recorded), socket, socketpair, dup, dup2, dup3 (the number's old classification is forgotten; a
 * traced socket that dup2/dup3 closes implicitly is recorded as closed).
 *
 * In the child of a vfork (posix_spawn, Python's subprocess closing descriptors before its exec) the table is
 * the parent's: these wrappers then only make the real call.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <unistd.h>

/* Records the close of the traced socket `fd` (its slot `s`) that `close_it` performs; returns its result. */
static int record_close(uint8_t function, int fd, struct seam_slot *s, int (*close_it)(int, void *), void *context) {
    int64_t start = seam_now();
    struct seam_record r;
    seam_fill_record(&r, SEAM_OP_CLOSE, function, fd, s, start, 0, 0);
    seam_forget(fd); /* before the real close: the number may be reused by another thread right after it */
    int result = close_it(fd, context);
    int err = errno;
    r.end_ns = seam_now();
    r.result = result;
    r.err = result < 0 ? err : 0;
    seam_emit(&r, NULL, 0, 0, 0);
    errno = err;
    return result;
}

static int real_close(int fd, void *context) {
    (void)context;
    return seam_real.close(fd);
}

SEAM_EXPORT int close(int fd) {
    seam_resolve();
    /* Only a socket already seen is recorded: closing one never used for a call has nothing to say. */
    struct seam_slot *s = seam_known_slot(fd);
    if (!s) {
        seam_forget(fd); /* harmless even in a vfork child: at worst the number is classified again */
        return seam_real.close(fd);
    }
    if (seam_in_vfork_child()) return seam_real.close(fd);
    return record_close(SEAM_FN_CLOSE, fd, s, real_close, NULL);
}

SEAM_EXPORT int close_range(unsigned int first, unsigned int last, int flags) {
    seam_resolve();
    if (!seam_real.close_range) {
        errno = ENOSYS;
        return -1;
    }
    if (flags & 4 /* CLOSE_RANGE_CLOEXEC: nothing is closed now */ || seam_in_vfork_child()) {
        return seam_real.close_range(first, last, flags);
    }
    int64_t start = seam_now();
    int result = seam_real.close_range(first, last, flags);
    int err = errno;
    if (result == 0) {
        unsigned int end = last < SEAM_SLOT_COUNT - 1 ? last : SEAM_SLOT_COUNT - 1;
        for (unsigned int fd = first; fd <= end; fd++) {
            struct seam_slot *s = seam_known_slot((int)fd);
            if (s) {
                struct seam_record r;
                seam_fill_record(&r, SEAM_OP_CLOSE, SEAM_FN_CLOSE_RANGE, (int)fd, s, start, 0, 0);
                seam_emit(&r, NULL, 0, 0, 0);
            }
            seam_forget((int)fd);
        }
    }
    errno = err;
    return result;
}

SEAM_EXPORT int socket(int domain, int type, int protocol) {
    seam_resolve();
    int fd = seam_real.socket(domain, type, protocol);
    if (fd >= 0) seam_forget(fd);
    return fd;
}

SEAM_EXPORT int socketpair(int domain, int type, int protocol, int fds[2]) {
    seam_resolve();
    int result = seam_real.socketpair(domain, type, protocol, fds);
    if (result == 0) {
        seam_forget(fds[0]);
        seam_forget(fds[1]);
    }
    return result;
}

SEAM_EXPORT int dup(int old) {
    seam_resolve();
    int fd = seam_real.dup(old);
    if (fd >= 0) seam_forget(fd);
    return fd;
}

struct dup_call {
    int old;
    int flags;
    int three;
};

static int real_dup_onto(int fd, void *context) {
    struct dup_call *call = context;
    return call->three ? seam_real.dup3(call->old, fd, call->flags) : seam_real.dup2(call->old, fd);
}

/* dup2/dup3 onto a traced socket close it first: recorded as its close. */
static int dup_onto(int old, int new, int flags, int three) {
    struct dup_call call = {old, flags, three};
    if (seam_in_vfork_child()) return real_dup_onto(new, &call);
    struct seam_slot *s = old != new ? seam_known_slot(new) : NULL;
    int fd = s ? record_close(SEAM_FN_CLOSE, new, s, real_dup_onto, &call) : real_dup_onto(new, &call);
    if (fd >= 0 && old != new) seam_forget(fd);
    return fd;
}

SEAM_EXPORT int dup2(int old, int new) {
    seam_resolve();
    return dup_onto(old, new, 0, 0);
}

SEAM_EXPORT int dup3(int old, int new, int flags) {
    seam_resolve();
    return dup_onto(old, new, flags, 1);
}
