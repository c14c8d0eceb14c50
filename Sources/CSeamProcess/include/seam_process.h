/*
 * CSeamProcess: what SeamTrace's ChildProcess needs from C: a pidfd for the child (so its end is seen by
 * poll(2), never by a signal another thread could take), and signal handlers that pass SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT on to the children being run (a handler runs on whichever thread the kernel picks, so no signal
 * is ever lost to a thread that does not wait for it, and async-signal-safety needs C).
 */
#ifndef SEAM_PROCESS_H
#define SEAM_PROCESS_H

#include <stdint.h>
#include <sys/types.h>

/* pidfd_open(2): a descriptor that becomes readable when `pid` exits; -1 (errno) when the kernel has none. */
int seam_pidfd_open(pid_t pid);

/* Installs the handlers of SIGINT, SIGTERM, SIGHUP and SIGQUIT (each signal whose disposition is SIG_IGN, as
 * under nohup, is left ignored: a child inherits that), and makes SIGCHLD reapable (not SIG_IGN, no
 * SA_NOCLDWAIT). Holders nest: the handlers stay until the last seam_signals_release. While they are
 * installed, these signals are counted (seam_forwarding_received) and passed on to the children added
 * below; they no longer end this process. */
void seam_signals_hold(void);

/* Restores the dispositions the first seam_signals_hold found, when this is the last holder. */
void seam_signals_release(void);

/* Starts passing the held signals on to `pid` (through `pidfd` when >= 0, so a reused pid is never
 * signalled). A signal the kernel sent to the whole foreground process group (si_code SI_KERNEL: ^C, ^\, a
 * hangup) is not passed on: the child, in the same group, got it too. A signal that came after the last
 * seam_signals_hold while no child was added (between the spawn and this call) is passed on now. Returns 0,
 * or -1 when 16 children already receive them. */
int seam_forwarding_add(pid_t pid, int pidfd);

/* Stops passing signals to `pid`: call it before reaping the child. */
void seam_forwarding_remove(pid_t pid);

/* How many of the forwarded signals this process has received, ever (a recorder that drains after its program
 * exited stops at a further one). */
uint64_t seam_forwarding_received(void);

/* The last of them, or 0. */
int seam_forwarding_last_signal(void);

#endif
