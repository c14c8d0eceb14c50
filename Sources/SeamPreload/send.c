/*
 * The calls that write to a socket: send, sendto, sendmsg, sendmmsg, write, writev. Each makes the real call
 * between two clock readings and records it on the socket's send axis; sendmmsg records one send per message
 * the kernel took (a UDP client such as dig sends its query with it).
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* Records one send: the common tail of the single-buffer wrappers. */
static void record_send(uint8_t function, int fd, struct seam_slot *s, int64_t start, ssize_t result, int err,
                        const struct iovec *iov, int iovcnt, int flags, const struct seam_address *peer) {
    struct seam_data_call call = {
        .op = SEAM_OP_SEND, .function = function, .start = start, .result = result, .err = err,
        .asked = seam_iov_total(iov, iovcnt), .flags = flags, .iov = iov, .iovcnt = iovcnt, .peer = peer,
    };
    seam_record_data(fd, s, &call);
}

SEAM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.send(fd, buf, len, flags);
    int64_t start = seam_now();
    ssize_t result = seam_real.send(fd, buf, len, flags);
    int err = errno;
    struct iovec iov = {(void *)buf, len};
    record_send(SEAM_FN_SEND, fd, s, start, result, err, &iov, 1, flags, NULL);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
                           socklen_t addrlen) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.sendto(fd, buf, len, flags, addr, addrlen);
    int64_t start = seam_now();
    ssize_t result = seam_real.sendto(fd, buf, len, flags, addr, addrlen);
    int err = errno;
    struct seam_address peer = {{0}, 0, 0};
    seam_address_from(addr, addrlen, &peer);
    struct iovec iov = {(void *)buf, len};
    record_send(SEAM_FN_SENDTO, fd, s, start, result, err, &iov, 1, flags, &peer);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.sendmsg(fd, msg, flags);
    int64_t start = seam_now();
    ssize_t result = seam_real.sendmsg(fd, msg, flags);
    int err = errno;
    struct seam_address peer = {{0}, 0, 0};
    if (msg) seam_address_from((const struct sockaddr *)msg->msg_name, msg->msg_namelen, &peer);
    record_send(SEAM_FN_SENDMSG, fd, s, start, result, err, msg ? msg->msg_iov : NULL,
                msg ? (int)msg->msg_iovlen : 0, flags, &peer);
    errno = err;
    return result;
}

SEAM_HIDDEN int seam_sendmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.sendmmsg(fd, messages, count, flags);
    int64_t start = seam_now();
    int result = seam_real.sendmmsg(fd, messages, count, flags);
    int err = errno;
    int64_t end = seam_now();
    if (result < 0) {
        /* Nothing was sent: one record says what the first message asked and why it failed. */
        const struct msghdr *first = count && messages ? &messages[0].msg_hdr : NULL;
        record_send(SEAM_FN_SENDMMSG, fd, s, start, result, err, first ? first->msg_iov : NULL,
                    first ? (int)first->msg_iovlen : 0, flags, NULL);
    } else if (messages) {
        for (int i = 0; i < result; i++) { /* 0 messages (a probe for the call's support): nothing moved */
            const struct msghdr *message = &messages[i].msg_hdr;
            struct seam_address peer = {{0}, 0, 0};
            seam_address_from((const struct sockaddr *)message->msg_name, message->msg_namelen, &peer);
            struct seam_data_call call = {
                .op = SEAM_OP_SEND, .function = SEAM_FN_SENDMMSG, .start = start, .end = end,
                .result = messages[i].msg_len, .asked = seam_iov_total(message->msg_iov, (int)message->msg_iovlen),
                .flags = flags, .iov = message->msg_iov, .iovcnt = (int)message->msg_iovlen, .peer = &peer,
                .batch_index = (uint16_t)i, .batch_count = (uint16_t)result,
            };
            seam_record_data(fd, s, &call);
        }
    }
    errno = err;
    return result;
}

SEAM_EXPORT int sendmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags) {
    return seam_sendmmsg(fd, messages, count, flags);
}

SEAM_EXPORT ssize_t write(int fd, const void *buf, size_t count) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.write(fd, buf, count);
    int64_t start = seam_now();
    ssize_t result = seam_real.write(fd, buf, count);
    int err = errno;
    struct iovec iov = {(void *)buf, count};
    record_send(SEAM_FN_WRITE, fd, s, start, result, err, &iov, 1, 0, NULL);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    seam_resolve();
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(fd, &scratch);
    if (!s) return seam_real.writev(fd, iov, iovcnt);
    int64_t start = seam_now();
    ssize_t result = seam_real.writev(fd, iov, iovcnt);
    int err = errno;
    record_send(SEAM_FN_WRITEV, fd, s, start, result, err, iov, iovcnt, 0, NULL);
    errno = err;
    return result;
}
