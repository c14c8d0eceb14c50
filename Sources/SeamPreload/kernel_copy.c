/*
 * The calls that move a socket's bytes inside the kernel: sendfile (and sendfile64, which 64-bit-offset
 * builds such as nginx's call) from a file to a socket, and splice between a pipe and a socket. The program
 * never holds those bytes, so their records count them (asked, result, the socket's offset) and carry no
 * payload: data_source SEAM_DATA_KERNEL says so, and the session states it on the call.
 *
 * Not hooked: copy_file_range (the kernel refuses sockets at either end: EINVAL), tee and vmsplice (pipes
 * only).
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/sendfile.h>

static void record_kernel_copy(uint16_t op, uint8_t function, int fd, struct seam_slot *s, int64_t start,
                               ssize_t result, int err, size_t asked) {
    struct seam_data_call call = {
        .op = op, .function = function, .source = SEAM_DATA_KERNEL, .start = start, .result = result, .err = err,
        .asked = asked,
    };
    seam_record_data(fd, s, &call);
}

static ssize_t traced_sendfile(ssize_t (*real)(int, int, off_t *, size_t), int out_fd, int in_fd, off_t *offset,
                               size_t count) {
    struct seam_slot scratch;
    struct seam_slot *s = seam_traced_slot(out_fd, &scratch);
    if (!s) return real(out_fd, in_fd, offset, count);
    int64_t start = seam_now();
    ssize_t result = real(out_fd, in_fd, offset, count);
    int err = errno;
    record_kernel_copy(SEAM_OP_SEND, SEAM_FN_SENDFILE, out_fd, s, start, result, err, count);
    errno = err;
    return result;
}

SEAM_EXPORT ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count) {
    seam_resolve();
    return traced_sendfile(seam_real.sendfile, out_fd, in_fd, offset, count);
}

SEAM_EXPORT ssize_t sendfile64(int out_fd, int in_fd, off_t *offset, size_t count) {
    seam_resolve();
    return traced_sendfile(seam_real.sendfile64 ? seam_real.sendfile64 : seam_real.sendfile, out_fd, in_fd, offset,
                           count);
}

SEAM_EXPORT ssize_t splice(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned int flags) {
    seam_resolve();
    struct seam_slot in_scratch, out_scratch;
    struct seam_slot *in = seam_traced_slot(fd_in, &in_scratch);
    struct seam_slot *out = seam_traced_slot(fd_out, &out_scratch);
    if (!in && !out) return seam_real.splice(fd_in, off_in, fd_out, off_out, len, flags);
    int64_t start = seam_now();
    ssize_t result = seam_real.splice(fd_in, off_in, fd_out, off_out, len, flags);
    int err = errno;
    if (in) record_kernel_copy(SEAM_OP_RECV, SEAM_FN_SPLICE, fd_in, in, start, result, err, len);
    if (out) record_kernel_copy(SEAM_OP_SEND, SEAM_FN_SPLICE, fd_out, out, start, result, err, len);
    errno = err;
    return result;
}
