/*
 * The calls that make a process another program: the exec family and posix_spawn. Before an exec the process
 * announces what it is about to become (SEAM_FN_PROCESS_EXEC: the resolved path, and whether the new
 * environment still carries LD_PRELOAD with this library and SEAM_TRACE_RING); if the new image loads the
 * library, its START follows from the same pid. An exec that returns failed (SEAM_FN_PROCESS_EXEC_FAILED).
 * posix_spawn announces the child it started (SEAM_FN_PROCESS_SPAWN). The recorder matches them: an EXEC or
 * SPAWN without a START is a program the library could not enter (static, Go, setuid, or its environment
 * dropped the trace), and is reported as such.
 *
 * These wrappers may run in the child of a vfork (Python's subprocess, posix_spawn): they read the shared
 * memory and write only the ring and their own stack, and take the pid from getpid() itself.
 */
#define _GNU_SOURCE
#include "seam_internal.h"

#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* `name=` in `envp`, or NULL. */
static const char *lookup(char *const envp[], const char *name) {
    size_t length = strlen(name);
    for (int i = 0; envp && envp[i]; i++) {
        if (strncmp(envp[i], name, length) == 0 && envp[i][length] == '=') return envp[i] + length + 1;
    }
    return NULL;
}

/* Whether `envp` keeps the trace: LD_PRELOAD names this library and SEAM_TRACE_RING is this process's ring. */
static int carries_trace(char *const envp[]) {
    const char *preload = lookup(envp, "LD_PRELOAD");
    const char *ring = lookup(envp, SEAM_TRACE_RING_ENV);
    const char *mine = getenv(SEAM_TRACE_RING_ENV);
    if (!preload || !ring || !mine || strcmp(ring, mine) != 0) return 0;
    const char *library = seam_library_path[0] ? seam_library_path : "libSeamPreload.so";
    const char *slash = strrchr(library, '/');
    return strstr(preload, library) != NULL || strstr(preload, slash ? slash + 1 : library) != NULL;
}

/* Copies `a` then `b` (then `c`) into `out`, cut to `size`. */
static void join(char *out, size_t size, const char *a, const char *b, const char *c) {
    size_t n = 0;
    for (const char *part[3] = {a, b, c}, **p = part; p < part + 3; p++) {
        for (const char *t = *p; t && *t && n + 1 < size; t++) out[n++] = *t;
    }
    out[n] = '\0';
}

/* The absolute path an exec of `file` runs: searched in PATH (execvp's rule) when `search` and `file` has
 * no slash, else relative to the working directory. Best effort: `file` itself when nothing fits. */
static void resolve(const char *file, int search, char *out, size_t size) {
    if (!file) file = "";
    if (search && !strchr(file, '/')) {
        const char *path = getenv("PATH");
        if (!path) path = "/bin:/usr/bin";
        while (*path) {
            const char *end = strchr(path, ':');
            size_t length = end ? (size_t)(end - path) : strlen(path);
            char directory[4096];
            if (length == 0) {
                if (!getcwd(directory, sizeof directory)) directory[0] = '\0';
            } else {
                size_t n = length < sizeof directory - 1 ? length : sizeof directory - 1;
                memcpy(directory, path, n);
                directory[n] = '\0';
            }
            join(out, size, directory, "/", file);
            if (access(out, X_OK) == 0) return;
            path += length + (end ? 1 : 0);
        }
        join(out, size, file, NULL, NULL);
        return;
    }
    if (file[0] == '/') {
        join(out, size, file, NULL, NULL);
        return;
    }
    char directory[4096];
    if (!getcwd(directory, sizeof directory)) directory[0] = '\0';
    join(out, size, directory, "/", file);
}

static void announce(uint8_t function, int32_t subject, const char *path, char *const envp[]) {
    if (!seam_tracing()) return;
    seam_emit_process(function, (uint32_t)getpid(), subject, carries_trace(envp) ? SEAM_PROCESS_TRACE_ENV : 0, 0,
                      path, NULL);
}

static void announce_failure(int err) {
    seam_emit_process(SEAM_FN_PROCESS_EXEC_FAILED, (uint32_t)getpid(), (int32_t)getpid(), 0, err, NULL, NULL);
}

/* Announces an exec of `file`, runs `exec` (which returns only when it failed), announces the failure. */
#define TRACED_EXEC(file, search, envp, call) \
    do { \
        seam_resolve(); \
        char path[4096]; \
        resolve((file), (search), path, sizeof path); \
        announce(SEAM_FN_PROCESS_EXEC, (int32_t)getpid(), path, (envp)); \
        int result = (call); \
        int err = errno; \
        announce_failure(err); \
        errno = err; \
        return result; \
    } while (0)

SEAM_EXPORT int execve(const char *file, char *const argv[], char *const envp[]) {
    TRACED_EXEC(file, 0, envp, seam_real.execve(file, argv, envp));
}

SEAM_EXPORT int execv(const char *file, char *const argv[]) {
    TRACED_EXEC(file, 0, environ, seam_real.execve(file, argv, environ));
}

SEAM_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
    TRACED_EXEC(file, 1, envp, seam_real.execvpe(file, argv, envp));
}

SEAM_EXPORT int execvp(const char *file, char *const argv[]) {
    TRACED_EXEC(file, 1, environ, seam_real.execvpe(file, argv, environ));
}

/* What descriptor `fd` names (readlink of /proc/self/fd/N), then "/" and `file` when it is not empty. */
static void descriptor_path(int fd, const char *file, char *out, size_t size) {
    char digits[16], link[32];
    int count = 0;
    unsigned int value = fd < 0 ? 0 : (unsigned int)fd;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0 && count < 15);
    char number[16];
    for (int i = 0; i < count; i++) number[i] = digits[count - 1 - i];
    number[count] = '\0';
    join(link, sizeof link, "/proc/self/fd/", number, NULL);
    ssize_t length = fd >= 0 ? readlink(link, out, size - 1) : -1;
    out[length > 0 ? length : 0] = '\0';
    if (length > 0 && file && file[0]) join(out + length, size - (size_t)length, "/", file, NULL);
}

SEAM_EXPORT int execveat(int dirfd, const char *file, char *const argv[], char *const envp[], int flags) {
    char target[4096] = "";
    if (file[0] != '/') descriptor_path(dirfd, file, target, sizeof target);
    TRACED_EXEC(target[0] ? target : file, 0, envp, seam_real.execveat(dirfd, file, argv, envp, flags));
}

SEAM_EXPORT int fexecve(int fd, char *const argv[], char *const envp[]) {
    char target[4096];
    descriptor_path(fd, NULL, target, sizeof target);
    TRACED_EXEC(target, 0, envp, seam_real.fexecve(fd, argv, envp));
}

/* The execl forms gather their arguments into an argv on the stack, as glibc does, and go through the
 * wrappers above. */
static size_t count_arguments(va_list list) {
    va_list probe;
    va_copy(probe, list);
    size_t count = 1; /* `arg` itself */
    while (va_arg(probe, const char *)) count++;
    va_end(probe);
    return count;
}

#define GATHER(argv, arg, list) \
    size_t count = count_arguments(list); /* `arg` is never NULL (glibc declares it nonnull) */ \
    char *argv[count + 1]; \
    argv[0] = (char *)(arg); \
    for (size_t i = 1; i < count; i++) argv[i] = va_arg(list, char *); \
    argv[count] = NULL; \
    (void)va_arg(list, char *) /* the terminating NULL */

SEAM_EXPORT int execl(const char *file, const char *arg, ...) {
    va_list list;
    va_start(list, arg);
    GATHER(argv, arg, list);
    va_end(list);
    return execv(file, argv);
}

SEAM_EXPORT int execlp(const char *file, const char *arg, ...) {
    va_list list;
    va_start(list, arg);
    GATHER(argv, arg, list);
    va_end(list);
    return execvp(file, argv);
}

SEAM_EXPORT int execle(const char *file, const char *arg, ...) {
    va_list list;
    va_start(list, arg);
    GATHER(argv, arg, list);
    char *const *envp = va_arg(list, char *const *);
    va_end(list);
    return execve(file, argv, envp);
}

static int traced_spawn(int search, pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                        const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
    seam_resolve();
    pid_t child = 0;
    int (*real)(pid_t *, const char *, const void *, const void *, char *const[], char *const[]) =
        search ? seam_real.posix_spawnp : seam_real.posix_spawn;
    int result = real(&child, file, actions, attributes, argv, envp);
    if (pid) *pid = child;
    if (result == 0 && seam_tracing()) {
        char path[4096];
        resolve(file, search, path, sizeof path);
        announce(SEAM_FN_PROCESS_SPAWN, (int32_t)child, path, envp);
    }
    return result;
}

SEAM_EXPORT int posix_spawn(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                            const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
    return traced_spawn(0, pid, file, actions, attributes, argv, envp);
}

SEAM_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                             const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
    return traced_spawn(1, pid, file, actions, attributes, argv, envp);
}
