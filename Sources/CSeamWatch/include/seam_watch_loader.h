/*
 * seam_watch_loader.h: libbpf's part of `seam watch`, in C because libbpf's API is C (option structs, a
 * va_list log callback). It opens the BPF object SeamWatch embeds, writes the configuration into it, loads
 * and attaches its programs, and hands the ring buffer's events to a callback. Policy stays in Swift.
 *
 * Not thread-safe: one thread opens, polls and closes a watch. Only one watch may be opened at a time
 * (libbpf's log callback, which the loader captures for error messages, is process-wide).
 */
#ifndef SEAM_WATCH_LOADER_H
#define SEAM_WATCH_LOADER_H

#include <stddef.h>

#include "seam_watch.h"

struct seam_watch;

/* Called for each event: `data` is a struct seam_watch_event followed by its payload, `size` bytes in all.
 * Return 0 to go on. */
typedef int (*seam_watch_handler)(void *context, const void *data, size_t size);

/*
 * Opens `object` (an ELF BPF object of `object_size` bytes), sets its configuration and its ring buffer's
 * size (`ring_bytes`, a power of two multiple of the page size), loads and attaches every program. Returns
 * NULL on failure with a message in `error`: the step that failed, the reason, and libbpf's last words.
 */
struct seam_watch *seam_watch_open(const void *object, size_t object_size, const struct seam_watch_config *config,
                                   unsigned int ring_bytes, char *error, size_t error_size);

/* Puts a process into the `watched` map (enum seam_watch_selection). Returns 0, or -errno. */
int seam_watch_select(struct seam_watch *watch, __u32 tgid, __u8 selection);

/* Waits up to `timeout_ms` (0: not at all; less when the ring is filling up), then hands every event there
 * to `handler`. Returns the number of events handled, or -errno (-EINTR when a signal arrived). */
int seam_watch_poll(struct seam_watch *watch, int timeout_ms, seam_watch_handler handler, void *context);

/* Fills `counters` with the sums over CPUs of the `counters` map (enum seam_watch_counter). Returns 0 or -errno. */
int seam_watch_counters(struct seam_watch *watch, __u64 counters[SEAM_COUNTER_COUNT]);

/* The runs of the programs the kernel skipped because one was already running on that CPU. */
__u64 seam_watch_missed_runs(struct seam_watch *watch);

/* Detaches the programs and frees everything. */
void seam_watch_close(struct seam_watch *watch);

/* The calling thread's effective capabilities (capget), as a bit set of CAP_* numbers. Returns 0 or -errno. */
int seam_watch_effective_capabilities(__u64 *effective);

#endif
