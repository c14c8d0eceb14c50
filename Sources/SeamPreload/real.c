/*
 * The real libc functions behind the wrappers: the next definition after SeamPreload's own in the lookup
 * order (dlsym RTLD_NEXT), resolved once. Wrappers call seam_resolve() first: a wrapper may run before the
 * library's constructor (another library's constructor can make socket calls), and resolving is idempotent.
 */
#include "seam_internal.h"

#include <dlfcn.h>

SEAM_HIDDEN struct seam_real seam_real;
static _Atomic int resolved;

#define RESOLVE(name) \
    do { \
        if (!seam_real.name) seam_real.name = (__typeof__(seam_real.name))dlsym(RTLD_NEXT, #name); \
    } while (0)

SEAM_HIDDEN void seam_resolve(void) {
    if (atomic_load_explicit(&resolved, memory_order_acquire)) return;
    RESOLVE(send); RESOLVE(sendto); RESOLVE(sendmsg); RESOLVE(sendmmsg); RESOLVE(write); RESOLVE(writev);
    RESOLVE(recv); RESOLVE(recvfrom); RESOLVE(recvmsg); RESOLVE(recvmmsg); RESOLVE(read); RESOLVE(readv);
    RESOLVE(sendfile); RESOLVE(sendfile64); RESOLVE(splice);
    RESOLVE(connect); RESOLVE(accept); RESOLVE(accept4); RESOLVE(shutdown); RESOLVE(close); RESOLVE(close_range);
    RESOLVE(setsockopt); RESOLVE(socket); RESOLVE(socketpair); RESOLVE(dup); RESOLVE(dup2); RESOLVE(dup3);
    RESOLVE(execve); RESOLVE(execveat); RESOLVE(fexecve); RESOLVE(execvpe); RESOLVE(posix_spawn);
    RESOLVE(posix_spawnp); RESOLVE(syscall); RESOLVE(fork);
    atomic_store_explicit(&resolved, 1, memory_order_release);
}
