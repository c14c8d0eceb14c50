/*
 * The calls that read from a socket: recv, recvfrom, recvmsg, recvmmsg, read, readv, and the forms that
 * _FORTIFY_SOURCE builds call instead (__read_chk, __recv_chk, __recvfrom_chk: Debian's packages are built
 * so). recv and recvfrom on a datagram socket go through recvmsg, which returns the same value and also says
 * whether the datagram was cut (MSG_TRUNC in msg_flags) and where it came from. recvmmsg records one recv per
 * datagram it returned.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static void record_recv(uint8_t function, int fd, struct seam_slot *s, int64_t start, ssize_t result, int err,
                        const struct iovec *iov, int iovcnt, int flags, int out_flags,
                        const struct seam_address *peer) {
    struct seam_data_call call = {
        .op = SEAM_OP_RECV, .function = function, .start = start, .result = result, .err = err,
        .asked = seam_iov_total(iov, iovcnt), .flags = flags, .out_flags = out_flags, .iov = iov,
        .iovcnt = iovcnt, .peer = peer,
    };
    seam_record_data(fd, s, &call);
}

static ssize_t datagram_recv(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *addrlen,
                             int *out_flags, struct seam_address *from) {
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
    ssize_t result = seam_real.recvmsg(fd, &message, flags);
    if (result >= 0) {
        if (addr && addrlen) *addrlen = message.msg_namelen;
        *out_flags = message.msg_flags;
        seam_address_from((struct sockaddr *)message.msg_name, message.msg_namelen, from);
    }
    return result;
}

static ssize_t untraced(uint8_t function, int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
                        socklen_t *addrlen) {
    if (function == SEAM_FN_RECVFROM) return seam_real.recvfrom(fd, buf, len, flags, addr, addrlen);
    if (function == SEAM_FN_READ) return seam_real.read(fd, buf, len);
    return seam_real.recv(fd, buf, len, flags);
}

static ssize_t traced_recv(uint8_t function, int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
                           socklen_t *addrlen) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return untraced(function, fd, buf, len, flags, addr, addrlen);
    int64_t start = seam_now();
    ssize_t result;
    int out_flags = 0;
    struct seam_address from = {{0}, 0, 0};
    if (s->socktype == 2 && function != SEAM_FN_READ) {
        result = datagram_recv(fd, buf, len, flags, addr, addrlen, &out_flags, &from);
    } else {
        result = untraced(function, fd, buf, len, flags, addr, addrlen);
    }
    int err = errno;
    struct iovec iov = {buf, len};
    record_recv(function, fd, s, start, result, err, &iov, 1, flags, out_flags, &from);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags) {
    return traced_recv(SEAM_FN_RECV, fd, buf, len, flags, NULL, NULL);
}

SEAM_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *addrlen) {
    return traced_recv(SEAM_FN_RECVFROM, fd, buf, len, flags, addr, addrlen);
}

SEAM_EXPORT ssize_t read(int fd, void *buf, size_t count) {
    return traced_recv(SEAM_FN_READ, fd, buf, count, 0, NULL, NULL);
}

extern void __chk_fail(void) __attribute__((noreturn));

/* The fortified forms check that the buffer holds what is asked, failing as glibc does, then read. */
SEAM_EXPORT ssize_t __read_chk(int fd, void *buf, size_t count, size_t buflen) {
    if (count > buflen) __chk_fail();
    return traced_recv(SEAM_FN_READ, fd, buf, count, 0, NULL, NULL);
}

SEAM_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags) {
    if (len > buflen) __chk_fail();
    return traced_recv(SEAM_FN_RECV, fd, buf, len, flags, NULL, NULL);
}

SEAM_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags, struct sockaddr *addr,
                                   socklen_t *addrlen) {
    if (len > buflen) __chk_fail();
    return traced_recv(SEAM_FN_RECVFROM, fd, buf, len, flags, addr, addrlen);
}

SEAM_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.recvmsg(fd, msg, flags);
    int64_t start = seam_now();
    /* A datagram's sender tells its flow apart: when the program does not ask for it, ask on a copy. */
    struct sockaddr_storage storage;
    struct msghdr copy;
    int asks = msg && !msg->msg_name && s->socktype == 2;
    if (asks) {
        copy = *msg;
        copy.msg_name = &storage;
        copy.msg_namelen = sizeof storage;
    }
    ssize_t result = seam_real.recvmsg(fd, asks ? &copy : msg, flags);
    int err = errno;
    if (asks) {
        msg->msg_controllen = copy.msg_controllen;
        msg->msg_flags = copy.msg_flags;
    }
    const struct msghdr *seen = asks ? &copy : msg;
    struct seam_address from = {{0}, 0, 0};
    if (result >= 0 && seen) seam_address_from((struct sockaddr *)seen->msg_name, seen->msg_namelen, &from);
    record_recv(SEAM_FN_RECVMSG, fd, s, start, result, err, msg ? msg->msg_iov : NULL, msg ? (int)msg->msg_iovlen : 0,
                flags, result >= 0 && msg ? msg->msg_flags : 0, &from);
    errno = err;
    return result;
}

/* At most this many messages of a recvmmsg get a sender address of SeamPreload's own (see below). */
#define NAMED_MESSAGES 64

SEAM_HIDDEN int seam_recvmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags,
                              struct timespec *timeout) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.recvmmsg(fd, messages, count, flags, timeout);
    int64_t start = seam_now();
    /* As recvmsg: messages whose sender the program does not ask for are received into a copy that asks. */
    struct sockaddr_storage names[NAMED_MESSAGES];
    struct mmsghdr copies[NAMED_MESSAGES];
    int asks = 0;
    if (messages && s->socktype == 2 && count <= NAMED_MESSAGES) {
        for (unsigned int i = 0; i < count && !asks; i++) asks = messages[i].msg_hdr.msg_name == NULL;
    }
    if (asks) {
        for (unsigned int i = 0; i < count; i++) {
            copies[i] = messages[i];
            if (!copies[i].msg_hdr.msg_name) {
                copies[i].msg_hdr.msg_name = &names[i];
                copies[i].msg_hdr.msg_namelen = sizeof names[i];
            }
        }
    }
    int result = seam_real.recvmmsg(fd, asks ? copies : messages, count, flags, timeout);
    int err = errno;
    int64_t end = seam_now();
    if (asks) {
        for (int i = 0; i < result; i++) {
            messages[i].msg_len = copies[i].msg_len;
            messages[i].msg_hdr.msg_flags = copies[i].msg_hdr.msg_flags;
            messages[i].msg_hdr.msg_controllen = copies[i].msg_hdr.msg_controllen;
            if (messages[i].msg_hdr.msg_name) messages[i].msg_hdr.msg_namelen = copies[i].msg_hdr.msg_namelen;
        }
    }
    struct mmsghdr *seen = asks ? copies : messages;
    if (result < 0) {
        const struct msghdr *first = count && messages ? &messages[0].msg_hdr : NULL;
        record_recv(SEAM_FN_RECVMMSG, fd, s, start, result, err, first ? first->msg_iov : NULL,
                    first ? (int)first->msg_iovlen : 0, flags, 0, NULL);
    } else if (messages) {
        for (int i = 0; i < result; i++) {
            const struct msghdr *message = &seen[i].msg_hdr;
            struct seam_address from = {{0}, 0, 0};
            seam_address_from((const struct sockaddr *)message->msg_name, message->msg_namelen, &from);
            struct seam_data_call call = {
                .op = SEAM_OP_RECV, .function = SEAM_FN_RECVMMSG, .start = start, .end = end,
                .result = seen[i].msg_len, .asked = seam_iov_total(message->msg_iov, (int)message->msg_iovlen),
                .flags = flags, .out_flags = message->msg_flags, .iov = message->msg_iov,
                .iovcnt = (int)message->msg_iovlen, .peer = &from, .batch_index = (uint16_t)i,
                .batch_count = (uint16_t)result,
            };
            seam_record_data(fd, s, &call);
        }
    }
    errno = err;
    return result;
}

SEAM_EXPORT int recvmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags, struct timespec *timeout) {
    return seam_recvmmsg(fd, messages, count, flags, timeout);
}

SEAM_EXPORT ssize_t readv(int fd, const struct iovec *iov, int iovcnt) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.readv(fd, iov, iovcnt);
    int64_t start = seam_now();
    ssize_t result = seam_real.readv(fd, iov, iovcnt);
    int err = errno;
    record_recv(SEAM_FN_READV, fd, s, start, result, err, iov, iovcnt, 0, 0, NULL);
    errno = err;
    return result;
}
