/*
 * The library's start in each process. The constructor runs in every program image the library is loaded
 * into (the traced program, and each child that execs with LD_PRELOAD still set): it resolves the real
 * functions, attaches to the ring by name and announces the process (SEAM_FN_PROCESS_START, with its
 * executable and command name). A forked child keeps the library without running the constructor again: the
 * fork() wrapper announces it from the parent as soon as fork returns (SEAM_FN_PROCESS_FORK about the child),
 * so the recorder knows of the child even when the parent exits at once; pthread_atfork's child handler
 * refreshes the cached pid and announces it again from the child (which also covers forks made inside libc,
 * such as daemon()'s).
 *
 * The recorder uses these records to name processes and to notice those that exec'd without the library
 * (see exec.c): a static or Go program is reported, never silently missing.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

SEAM_HIDDEN char seam_library_path[4096];

SEAM_HIDDEN void seam_emit_process(uint8_t function, uint32_t pid, int32_t subject, int32_t flags, int err,
                                   const char *path, const char *command) {
    if (!seam_tracing()) return;
    struct seam_record r;
    memset(&r, 0, sizeof r);
    r.length = sizeof r;
    r.version = SEAM_RECORD_VERSION;
    r.op = SEAM_OP_PROCESS;
    r.function = function;
    r.pid = pid;
    r.tid = (uint32_t)gettid();
    r.start_ns = r.end_ns = seam_now();
    r.asked = -1;
    r.result = subject;
    r.fd = -1;
    r.err = err;
    r.flags = flags;
    r.opt_value = (int32_t)getppid();
    /* payload: path, then (START) a NUL and the command name */
    char text[4096 + 1 + 16];
    size_t length = 0;
    if (path) {
        size_t n = strnlen(path, 4096);
        memcpy(text, path, n);
        length = n;
    }
    if (command) {
        text[length++] = '\0';
        size_t n = strnlen(command, 16);
        memcpy(text + length, command, n);
        length += n;
    }
    struct iovec iov = {text, length};
    seam_emit(&r, &iov, 1, length, 1);
}

static void announce_fork(void) {
    seam_identity_forked();
    int saved = errno;
    seam_emit_process(SEAM_FN_PROCESS_FORK, seam_pid(), (int32_t)seam_pid(), 0, 0, NULL, NULL);
    errno = saved;
}

SEAM_EXPORT pid_t fork(void) {
    seam_resolve();
    pid_t pid = seam_real.fork();
    if (pid > 0) {
        int saved = errno;
        seam_emit_process(SEAM_FN_PROCESS_FORK, seam_pid(), (int32_t)pid, 0, 0, NULL, NULL);
        errno = saved;
    }
    return pid;
}

__attribute__((constructor)) static void seam_preload_start(void) {
    int saved = errno;
    seam_resolve();
    Dl_info info;
    if (dladdr((void *)seam_preload_start, &info) && info.dli_fname) {
        strncpy(seam_library_path, info.dli_fname, sizeof seam_library_path - 1);
    }
    if (seam_ring_attach()) {
        char executable[4096];
        ssize_t n = readlink("/proc/self/exe", executable, sizeof executable - 1);
        executable[n > 0 ? n : 0] = '\0';
        char command[17] = {0};
        prctl(PR_GET_NAME, command, 0, 0, 0);
        seam_emit_process(SEAM_FN_PROCESS_START, seam_pid(), (int32_t)seam_pid(), 0, 0, executable, command);
        pthread_atfork(NULL, NULL, announce_fork);
    }
    errno = saved;
}
