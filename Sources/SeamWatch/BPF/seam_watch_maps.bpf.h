/*
 * seam_watch_maps.bpf.h: the configuration and the maps of seam_watch.bpf.c, and the call in progress.
 * Included once, by seam_watch.bpf.c, before the other seam_watch_*.bpf.h.
 */
#ifndef SEAM_WATCH_MAPS_BPF_H
#define SEAM_WATCH_MAPS_BPF_H

#define EAGAIN 11
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516

/* Set by the user side before loading (its own section, so it is one map with the struct at offset 0). */
const volatile struct seam_watch_config seam_config SEC(".rodata.config");

/* Processes whose calls are recorded or whose children are followed (enum seam_watch_selection). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, __u8);
} watched SEC(".maps");

/* A selected call between its entry and its return. */
struct call_entry {
    __u64 start_ns;
    __u64 socket;
    __u64 sk;
    /* The user buffer, iovec array, msghdr or mmsghdr array. */
    __u64 buffer;
    /* The user sockaddr of the call (sendto's destination, recvfrom's source), or 0. */
    __u64 address;
    /* recvmsg/sendmsg: msg_iov and msg_iovlen from the msghdr. */
    __u64 iov;
    __u64 iov_count;
    __s64 asked;
    __s32 fd;
    __s32 flags;
    __u32 details;
    __u32 tcp_seq;
    __u32 tcp_nonagle;
    __u32 tcp_packets_out;
    __u32 tcp_mss;
    __u32 tcp_cwnd;
    __u32 tcp_unsent;
    __u32 tcp_unread;
    /* Set at entry for close (at exit the socket may be gone). */
    __u16 local_port;
    __u16 peer_port;
    __u8 local_addr[16];
    __u8 peer_addr[16];
    __u8 syscall;
    __u8 way;
    __u8 socket_type;
    __u8 family;
    /* The port filter could not decide at entry (an unconnected UDP socket): decide on the call's address. */
    __u8 port_pending;
    __u8 pad[3];
};

/* The call in progress of each thread, in the thread's own storage (faster than a hash by tid; freed with
 * the thread). `syscall` 0: none. */
struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct call_entry);
} calls SEC(".maps");

/* The events. The user side may resize it before loading. */
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 32 << 20);
} events SEC(".maps");

/* One event being built per CPU (key: the CPU; the user side sets max_entries to the number of possible
 * CPUs; a per-CPU array cannot hold it, its values are at most 32 KiB). The exit program never runs twice
 * at once on a CPU: the kernel skips a nested run and counts it (recursion_misses), which the user side
 * reports with the other losses. */
struct scratch {
    struct seam_watch_event event;
    __u8 payload[2 * SEAM_WATCH_SNAPLEN_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch);
} scratch SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SEAM_COUNTER_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 which, __u64 amount)
{
    __u64 *value = bpf_map_lookup_elem(&counters, &which);
    if (value)
        *value += amount;
}

#endif
