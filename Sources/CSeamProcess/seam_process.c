/*
 * Signal forwarding and pidfds for SeamTrace's ChildProcess (see include/seam_process.h).
 *
 * The handler only reads the table of children (atomics) and makes async-signal-safe calls (kill, the
 * pidfd_send_signal system call); adding and removing children, and installing or restoring the handlers,
 * happen under a mutex on ordinary threads. A recorder holds the handlers from before it starts its program
 * until it has finished its file, and forwards to the program only until it reaps it.
 */
#define _GNU_SOURCE
#include "seam_process.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#define CHILDREN 16

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define FORWARDED (int)(sizeof forwarded / sizeof forwarded[0])

static _Atomic pid_t child_pid[CHILDREN];
static _Atomic int child_pidfd[CHILDREN];
static _Atomic uint64_t received;
static _Atomic int last_signal;
/* A signal that came while no child was registered yet (between the spawn and seam_forwarding_add). */
static _Atomic int unforwarded;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int holders;
static struct sigaction previous[FORWARDED];
static int installed[FORWARDED];

int seam_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static void send_to(pid_t pid, int pidfd, int signal) {
    if (pidfd >= 0) {
        syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0); /* never a reused pid */
    } else {
        kill(pid, signal);
    }
}

static void forward(int signal, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    atomic_fetch_add(&received, 1);
    atomic_store(&last_signal, signal);
    if (!info || info->si_code != SI_KERNEL) {
        int sent = 0;
        for (int i = 0; i < CHILDREN; i++) {
            pid_t pid = atomic_load(&child_pid[i]);
            if (pid <= 0) continue;
            send_to(pid, atomic_load(&child_pidfd[i]), signal);
            sent = 1;
        }
        if (!sent) atomic_store(&unforwarded, signal);
    }
    errno = saved;
}

static void make_children_reapable(void) {
    struct sigaction current;
    if (sigaction(SIGCHLD, NULL, &current) != 0) return;
    if (current.sa_handler == SIG_IGN || (current.sa_flags & SA_NOCLDWAIT)) {
        struct sigaction fallback;
        memset(&fallback, 0, sizeof fallback);
        fallback.sa_handler = SIG_DFL;
        sigemptyset(&fallback.sa_mask);
        sigaction(SIGCHLD, &fallback, NULL);
    }
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = forward;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < FORWARDED; i++) {
        installed[i] = 0;
        if (sigaction(forwarded[i], NULL, &previous[i]) != 0) continue;
        if (!(previous[i].sa_flags & SA_SIGINFO) && previous[i].sa_handler == SIG_IGN) continue;
        installed[i] = sigaction(forwarded[i], &action, NULL) == 0;
    }
    make_children_reapable();
}

static void restore(void) {
    for (int i = 0; i < FORWARDED; i++) {
        if (installed[i]) sigaction(forwarded[i], &previous[i], NULL);
        installed[i] = 0;
    }
}

void seam_signals_hold(void) {
    pthread_mutex_lock(&lock);
    atomic_store(&unforwarded, 0); /* what came before is not for the child about to start */
    if (holders++ == 0) install();
    pthread_mutex_unlock(&lock);
}

void seam_signals_release(void) {
    pthread_mutex_lock(&lock);
    if (holders > 0 && --holders == 0) restore();
    pthread_mutex_unlock(&lock);
}

int seam_forwarding_add(pid_t pid, int pidfd) {
    pthread_mutex_lock(&lock);
    int slot = -1;
    for (int i = 0; i < CHILDREN && slot < 0; i++) {
        if (atomic_load(&child_pid[i]) == 0) slot = i;
    }
    if (slot >= 0) {
        atomic_store(&child_pidfd[slot], pidfd);
        atomic_store(&child_pid[slot], pid);
        /* A signal that came after the spawn, before this, is the child's too. */
        int pending = atomic_exchange(&unforwarded, 0);
        if (pending) send_to(pid, pidfd, pending);
    }
    pthread_mutex_unlock(&lock);
    return slot >= 0 ? 0 : -1;
}

void seam_forwarding_remove(pid_t pid) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CHILDREN; i++) {
        if (atomic_load(&child_pid[i]) != pid) continue;
        atomic_store(&child_pid[i], 0);
        atomic_store(&child_pidfd[i], -1);
    }
    pthread_mutex_unlock(&lock);
}

uint64_t seam_forwarding_received(void) { return atomic_load(&received); }

int seam_forwarding_last_signal(void) { return atomic_load(&last_signal); }
