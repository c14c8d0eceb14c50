/*
 * syscall(2) itself. Some libraries make socket calls through it rather than through their libc wrappers:
 * libuv (and so dig, node) sends and receives datagrams with syscall(__NR_sendmmsg / __NR_recvmmsg, ...).
 * Those numbers go to the same wrappers as the libc functions; every other number goes straight through.
 * syscall() passes six machine words whatever the call takes, and so does this wrapper.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

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
    default:
        return seam_real.syscall(number, a, b, c, d, e, f);
    }
}
