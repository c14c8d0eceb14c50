/*
 * syscall(2) itself. Some libraries make socket calls through it rather than through their libc wrappers:
 * libuv (and so dig, node) sends and receives datagrams with syscall(__NR_sendmmsg / __NR_recvmmsg, ...) and
 * closes descriptors with syscall(__NR_close, ...). The socket calls SeamPreload records go to the same
 * wrappers as the libc functions; every other number goes straight through.
 * syscall() passes six machine words whatever the call takes, and so does this wrapper.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <stdarg.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>

int close_range(unsigned int first, unsigned int last, int flags);

SEAM_EXPORT long syscall(long number, ...) {
    va_list list;
    va_start(list, number);
    long a = va_arg(list, long), b = va_arg(list, long), c = va_arg(list, long);
    long d = va_arg(list, long), e = va_arg(list, long), f = va_arg(list, long);
    va_end(list);
    seam_resolve();
    switch (number) {
    case SYS_sendmmsg:
        return seam_sendmmsg((int)a, (struct mmsghdr *)b, (unsigned int)c, (int)d);
    case SYS_recvmmsg:
        return seam_recvmmsg((int)a, (struct mmsghdr *)b, (unsigned int)c, (int)d, (struct timespec *)e);
    case SYS_sendto:
        return sendto((int)a, (const void *)b, (size_t)c, (int)d, (const struct sockaddr *)e, (socklen_t)f);
    case SYS_recvfrom:
        return recvfrom((int)a, (void *)b, (size_t)c, (int)d, (struct sockaddr *)e, (socklen_t *)f);
    case SYS_sendmsg:
        return sendmsg((int)a, (const struct msghdr *)b, (int)c);
    case SYS_recvmsg:
        return recvmsg((int)a, (struct msghdr *)b, (int)c);
    case SYS_read:
        return read((int)a, (void *)b, (size_t)c);
    case SYS_write:
        return write((int)a, (const void *)b, (size_t)c);
    case SYS_readv:
        return readv((int)a, (const struct iovec *)b, (int)c);
    case SYS_writev:
        return writev((int)a, (const struct iovec *)b, (int)c);
    case SYS_sendfile:
        return sendfile((int)a, (int)b, (off_t *)c, (size_t)d);
    case SYS_splice:
        return splice((int)a, (off_t *)b, (int)c, (off_t *)d, (size_t)e, (unsigned int)f);
    case SYS_connect:
        return connect((int)a, (const struct sockaddr *)b, (socklen_t)c);
    case SYS_accept:
        return accept((int)a, (struct sockaddr *)b, (socklen_t *)c);
    case SYS_accept4:
        return accept4((int)a, (struct sockaddr *)b, (socklen_t *)c, (int)d);
    case SYS_shutdown:
        return shutdown((int)a, (int)b);
    case SYS_close:
        return close((int)a);
#ifdef SYS_close_range
    case SYS_close_range:
        return close_range((unsigned int)a, (unsigned int)b, (int)c);
#endif
    default:
        return seam_real.syscall(number, a, b, c, d, e, f);
    }
}
