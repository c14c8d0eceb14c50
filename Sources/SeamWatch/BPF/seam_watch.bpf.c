// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * seam_watch.bpf.c: the kernel half of `seam watch`. It sees every socket system call of the selected
 * processes and puts one event per call (struct seam_watch_event, then the bytes it moved) into a ring buffer.
 *
 * Probes (BTF raw tracepoints: no kprobes, no tracefs needed):
 *   tp_btf/sys_enter  a watched syscall of a selected process on a TCP or UDP socket: its arguments, the
 *                     entry time and the socket's TCP state go into `calls` (key: thread id);
 *   tp_btf/sys_exit   the same call returning: the event, with the result, the 4-tuple, msg_flags, and up
 *                     to `snaplen` bytes of payload copied from the user buffers;
 *   tp_btf/sched_process_fork, sched_process_exit   children of a watched process are watched (`watched`).
 *
 * Selection happens here, before anything is stored: the process (the `watched` map: the started program
 * and its descendants, --pid and theirs; or a --comm name; or every process when only ports were given),
 * then the file (a socket: inode mode S_IFSOCK), its kind (AF_INET/AF_INET6; SOCK_STREAM+TCP or
 * SOCK_DGRAM+UDP), then the port (--port: local or remote; for an unconnected UDP socket, the address of
 * the call, known at exit). Nothing else is decided here; SeamWatch turns the events into session calls.
 *
 * Not recorded: accept and recv-side calls that fail with EAGAIN (a non-blocking poll loop would flood the
 * ring; a send's EAGAIN is kept: the send buffer was full), calls the kernel restarts (ERESTART*), and a
 * sendmmsg/recvmmsg that moved no message. What cannot be recorded is counted (`counters`).
 */
#include "seam_watch.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

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

/* The architecture's syscall numbers, as enum seam_watch_syscall. */
static __always_inline __u8 syscall_of(long id)
{
    switch (id) {
#if defined(__TARGET_ARCH_x86)
    case 0: return SEAM_SYS_READ;
    case 1: return SEAM_SYS_WRITE;
    case 3: return SEAM_SYS_CLOSE;
    case 19: return SEAM_SYS_READV;
    case 20: return SEAM_SYS_WRITEV;
    case 40: return SEAM_SYS_SENDFILE;
    case 42: return SEAM_SYS_CONNECT;
    case 43: return SEAM_SYS_ACCEPT;
    case 44: return SEAM_SYS_SENDTO;
    case 45: return SEAM_SYS_RECVFROM;
    case 46: return SEAM_SYS_SENDMSG;
    case 47: return SEAM_SYS_RECVMSG;
    case 48: return SEAM_SYS_SHUTDOWN;
    case 275: return SEAM_SYS_SPLICE;
    case 288: return SEAM_SYS_ACCEPT4;
    case 299: return SEAM_SYS_RECVMMSG;
    case 307: return SEAM_SYS_SENDMMSG;
#elif defined(__TARGET_ARCH_arm64)
    case 57: return SEAM_SYS_CLOSE;
    case 63: return SEAM_SYS_READ;
    case 64: return SEAM_SYS_WRITE;
    case 65: return SEAM_SYS_READV;
    case 66: return SEAM_SYS_WRITEV;
    case 71: return SEAM_SYS_SENDFILE;
    case 76: return SEAM_SYS_SPLICE;
    case 202: return SEAM_SYS_ACCEPT;
    case 203: return SEAM_SYS_CONNECT;
    case 206: return SEAM_SYS_SENDTO;
    case 207: return SEAM_SYS_RECVFROM;
    case 210: return SEAM_SYS_SHUTDOWN;
    case 211: return SEAM_SYS_SENDMSG;
    case 212: return SEAM_SYS_RECVMSG;
    case 242: return SEAM_SYS_ACCEPT4;
    case 243: return SEAM_SYS_RECVMMSG;
    case 269: return SEAM_SYS_SENDMMSG;
#endif
    default: return 0;
    }
}

/* The user registers of the system call: tp_btf hands a trusted pt_regs pointer, read with plain loads. */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_ARG(regs, n) \
    ((n) == 0 ? (regs)->di : (n) == 1 ? (regs)->si : (n) == 2 ? (regs)->dx : (n) == 3 ? (regs)->r10 \
     : (n) == 4 ? (regs)->r8 : (regs)->r9)
#define SYSCALL_NUMBER(regs) ((long)(regs)->orig_ax)
#else
#define SYSCALL_ARG(regs, n) ((unsigned long)(regs)->regs[n])
#define SYSCALL_NUMBER(regs) ((long)(regs)->syscallno)
#endif

static __always_inline enum seam_watch_way way_of(__u8 syscall)
{
    switch (syscall) {
    case SEAM_SYS_WRITE:
    case SEAM_SYS_WRITEV:
    case SEAM_SYS_SENDTO:
    case SEAM_SYS_SENDMSG:
    case SEAM_SYS_SENDMMSG:
    case SEAM_SYS_SENDFILE:
        return SEAM_WAY_SEND;
    case SEAM_SYS_READ:
    case SEAM_SYS_READV:
    case SEAM_SYS_RECVFROM:
    case SEAM_SYS_RECVMSG:
    case SEAM_SYS_RECVMMSG:
        return SEAM_WAY_RECV;
    default:
        return SEAM_WAY_NONE;
    }
}

/* The thread group leader's comm (what ps shows for the process), SEAM_WATCH_COMM_LEN bytes. */
static __always_inline void leader_comm(char *comm)
{
    struct task_struct *leader = bpf_get_current_task_btf()->group_leader;
    bpf_core_read(comm, SEAM_WATCH_COMM_LEN, &leader->comm);
}

static __always_inline int process_selected(__u32 tgid)
{
    if (tgid == seam_config.self_tgid)
        return 0;
    __u8 *selection = bpf_map_lookup_elem(&watched, &tgid);
    if (selection)
        return *selection == SEAM_SELECT_RECORD;
    if (seam_config.all_processes)
        return 1;
    if (seam_config.comm_count == 0)
        return 0;
    __u64 comm[2] = {};
    leader_comm((char *)comm);
    for (int i = 0; i < SEAM_WATCH_MAX_COMMS; i++) {
        if (i >= seam_config.comm_count)
            break;
        const volatile __u64 *name = (const volatile __u64 *)seam_config.comms[i];
        if (name[0] == comm[0] && name[1] == comm[1])
            return 1;
    }
    return 0;
}

static __always_inline int port_selected(__u16 local, __u16 peer)
{
    if (seam_config.port_count == 0)
        return 1;
    for (int i = 0; i < SEAM_WATCH_MAX_PORTS; i++) {
        if (i >= seam_config.port_count)
            break;
        if (seam_config.ports[i] == local || (peer != 0 && seam_config.ports[i] == peer))
            return 1;
    }
    return 0;
}

/* The TCP or UDP socket behind `fd` of the current process, or NULL. */
static __always_inline struct sock *socket_of(int fd, __u64 *inode, __u8 *type, __u8 *family)
{
    if (fd < 0)
        return NULL;
    /* Plain loads through the trusted task pointer (the JIT makes them fault-safe), probe reads after. */
    struct task_struct *task = bpf_get_current_task_btf();
    struct fdtable *fdt = task->files->fdt;
    if (!fdt || (unsigned int)fd >= fdt->max_fds)
        return NULL;
    struct file **fds = fdt->fd;
    struct file *file = NULL;
    if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
        return NULL;
    struct inode *node = BPF_CORE_READ(file, f_inode);
    if ((BPF_CORE_READ(node, i_mode) & S_IFMT) != S_IFSOCK)
        return NULL;
    struct socket *socket = BPF_CORE_READ(file, private_data);
    struct sock *sk = BPF_CORE_READ(socket, sk);
    if (!sk)
        return NULL;
    short kind = BPF_CORE_READ(socket, type);
    __u16 protocol = BPF_CORE_READ(sk, sk_protocol);
    __u16 domain = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (domain != AF_INET && domain != AF_INET6)
        return NULL;
    if (!((kind == SOCK_STREAM && protocol == IPPROTO_TCP) || (kind == SOCK_DGRAM && protocol == IPPROTO_UDP)))
        return NULL;
    *inode = BPF_CORE_READ(node, i_ino);
    *type = kind;
    *family = domain;
    return sk;
}

static __always_inline void read_tuple(struct sock *sk, __u8 family, __u16 *local_port, __u16 *peer_port,
                                       __u8 *local_addr, __u8 *peer_addr)
{
    *local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
    *peer_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    if (family == AF_INET) {
        BPF_CORE_READ_INTO((__u32 *)local_addr, sk, __sk_common.skc_rcv_saddr);
        BPF_CORE_READ_INTO((__u32 *)peer_addr, sk, __sk_common.skc_daddr);
    } else {
        BPF_CORE_READ_INTO((struct in6_addr *)local_addr, sk, __sk_common.skc_v6_rcv_saddr);
        BPF_CORE_READ_INTO((struct in6_addr *)peer_addr, sk, __sk_common.skc_v6_daddr);
    }
}

static __always_inline void read_tcp_state(struct sock *sk, struct call_entry *entry)
{
    struct tcp_sock *tcp = (struct tcp_sock *)sk;
    __u32 write_seq = BPF_CORE_READ(tcp, write_seq);
    __u32 copied_seq = BPF_CORE_READ(tcp, copied_seq);
    entry->tcp_seq = entry->way == SEAM_WAY_RECV ? copied_seq : write_seq;
    entry->tcp_nonagle = BPF_CORE_READ_BITFIELD_PROBED(tcp, nonagle);
    entry->tcp_packets_out = BPF_CORE_READ(tcp, packets_out);
    entry->tcp_mss = BPF_CORE_READ(tcp, mss_cache);
    entry->tcp_cwnd = BPF_CORE_READ(tcp, snd_cwnd);
    entry->tcp_unsent = write_seq - BPF_CORE_READ(tcp, snd_nxt);
    entry->tcp_unread = BPF_CORE_READ(tcp, rcv_nxt) - copied_seq;
    entry->details |= SEAM_DETAIL_TCP_STATE;
}

/* The sum of the lengths of `count` iovecs, or -1 when there are more than SEAM_WATCH_MAX_IOV_SUM.
 * Global functions (here and below) are verified once each, not once per call site and loop round. */
__noinline __s64 iovec_sum(__u64 iov, __u64 count)
{
    if (count > SEAM_WATCH_MAX_IOV_SUM)
        return -1;
    __s64 sum = 0;
    for (int i = 0; i < SEAM_WATCH_MAX_IOV_SUM; i++) {
        if (i >= count)
            break;
        struct seam_iovec vector;
        if (bpf_probe_read_user(&vector, sizeof(vector), (void *)(iov + i * sizeof(vector))))
            return -1;
        sum += vector.iov_len;
    }
    return sum;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(seam_sys_enter, struct pt_regs *regs, long id)
{
    __u8 syscall = syscall_of(id);
    if (!syscall)
        return 0;
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    if (!process_selected(pid_tgid >> 32))
        return 0;

    struct call_entry entry = {};
    entry.syscall = syscall;
    entry.way = way_of(syscall);
    entry.asked = -1;
    int fd = SYSCALL_ARG(regs, 0);
    switch (syscall) {
    case SEAM_SYS_READ:
    case SEAM_SYS_WRITE:
        entry.buffer = SYSCALL_ARG(regs, 1);
        entry.asked = SYSCALL_ARG(regs, 2);
        break;
    case SEAM_SYS_READV:
    case SEAM_SYS_WRITEV:
        entry.iov = SYSCALL_ARG(regs, 1);
        entry.iov_count = SYSCALL_ARG(regs, 2);
        break;
    case SEAM_SYS_SENDTO:
    case SEAM_SYS_RECVFROM:
        entry.buffer = SYSCALL_ARG(regs, 1);
        entry.asked = SYSCALL_ARG(regs, 2);
        entry.flags = SYSCALL_ARG(regs, 3);
        entry.address = SYSCALL_ARG(regs, 4);
        break;
    case SEAM_SYS_SENDMSG:
    case SEAM_SYS_RECVMSG: {
        entry.buffer = SYSCALL_ARG(regs, 1);
        entry.flags = SYSCALL_ARG(regs, 2);
        struct seam_msghdr message;
        if (bpf_probe_read_user(&message, sizeof(message), (void *)entry.buffer))
            return 0;
        entry.iov = message.msg_iov;
        entry.iov_count = message.msg_iovlen;
        entry.address = message.msg_name;
        break;
    }
    case SEAM_SYS_SENDMMSG:
    case SEAM_SYS_RECVMMSG:
        entry.buffer = SYSCALL_ARG(regs, 1);
        entry.iov_count = SYSCALL_ARG(regs, 2);
        entry.flags = SYSCALL_ARG(regs, 3);
        break;
    case SEAM_SYS_SENDFILE:
        entry.asked = SYSCALL_ARG(regs, 3);
        entry.details = SEAM_DETAIL_NO_USER_BUFFER;
        break;
    case SEAM_SYS_SPLICE: {
        /* splice(fd_in, off_in, fd_out, off_out, len, flags): into a socket is a send, out of one a recv. */
        __u64 inode;
        __u8 type, family;
        int out = SYSCALL_ARG(regs, 2);
        if (socket_of(out, &inode, &type, &family)) {
            fd = out;
            entry.way = SEAM_WAY_SEND;
        } else {
            entry.way = SEAM_WAY_RECV;
        }
        entry.asked = SYSCALL_ARG(regs, 4);
        entry.details = SEAM_DETAIL_NO_USER_BUFFER;
        break;
    }
    case SEAM_SYS_CONNECT:
        entry.address = SYSCALL_ARG(regs, 1);
        break;
    case SEAM_SYS_ACCEPT4:
        entry.flags = SYSCALL_ARG(regs, 3);
        break;
    case SEAM_SYS_SHUTDOWN:
        entry.flags = SYSCALL_ARG(regs, 1);
        break;
    default:
        break;
    }
    if (entry.iov_count && syscall != SEAM_SYS_SENDMMSG && syscall != SEAM_SYS_RECVMMSG) {
        entry.asked = iovec_sum(entry.iov, entry.iov_count);
        if (entry.asked < 0)
            entry.details |= SEAM_DETAIL_ASKED_UNKNOWN;
    }

    struct sock *sk = socket_of(fd, &entry.socket, &entry.socket_type, &entry.family);
    if (!sk)
        return 0;
    entry.fd = fd;
    entry.sk = (__u64)sk;
    if (seam_config.port_count) {
        __u16 local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
        __u16 peer_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
        if (!port_selected(local_port, peer_port)) {
            /* A connect (its ports are set during the call) or an unconnected UDP socket's data call (its peer
             * is the call's address): decided at exit. */
            int unconnected_datagram = entry.socket_type == SOCK_DGRAM && peer_port == 0 && entry.way != SEAM_WAY_NONE;
            if (syscall != SEAM_SYS_CONNECT && !unconnected_datagram)
                return 0;
            entry.port_pending = 1;
        }
    }
    if (syscall == SEAM_SYS_CLOSE || syscall == SEAM_SYS_SHUTDOWN)
        read_tuple(sk, entry.family, &entry.local_port, &entry.peer_port, entry.local_addr, entry.peer_addr);
    if (entry.socket_type == SOCK_STREAM && entry.way != SEAM_WAY_NONE)
        read_tcp_state(sk, &entry);
    entry.start_ns = bpf_ktime_get_ns();
    struct call_entry *stored =
        bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (stored)
        *stored = entry;
    else
        count(SEAM_COUNTER_CALLS_FULL, 1);
    return 0;
}

/* Reads the sockaddr at `address` (sendto's destination, recvfrom's source) into the event's peer. */
static __always_inline void read_call_address(struct seam_watch_event *event, __u64 address)
{
    struct seam_sockaddr_in6 name = {};
    if (!address || bpf_probe_read_user(&name, sizeof(name), (void *)address))
        return;
    if (name.family == AF_INET) {
        event->peer_port = bpf_ntohs(name.port);
        __builtin_memset(event->peer_addr, 0, sizeof(event->peer_addr));
        if (event->family == AF_INET6) {
            /* An IPv4 address given to a dual-stack socket: IPv4-mapped, as the socket holds it. */
            event->peer_addr[10] = 0xff;
            event->peer_addr[11] = 0xff;
            __builtin_memcpy(&event->peer_addr[12], &name.v4_or_flowinfo, 4);
        } else {
            __builtin_memcpy(event->peer_addr, &name.v4_or_flowinfo, 4);
        }
    } else if (name.family == AF_INET6) {
        event->peer_port = bpf_ntohs(name.port);
        __builtin_memcpy(event->peer_addr, name.v6, 16);
    } else {
        return;
    }
    event->details |= SEAM_DETAIL_PEER_FROM_CALL;
}

/* Copies up to `want` bytes (≤ snaplen) from the user buffer at `buffer` into the payload; returns the count. */
static __always_inline __u32 copy_buffer(struct scratch *s, __u64 buffer, __u64 want)
{
    __u32 length = want > SEAM_WATCH_SNAPLEN_MAX ? SEAM_WATCH_SNAPLEN_MAX : want;
    barrier_var(length);
    if (length > SEAM_WATCH_SNAPLEN_MAX)
        return 0;
    if (bpf_probe_read_user(s->payload, length, (void *)buffer))
        return 0;
    return length;
}

/* Copies up to `want` bytes (≤ snaplen) from `count` iovecs at `iov` into the payload; returns the count. */
__noinline __u32 copy_iovecs(struct scratch *s, __u64 iov, __u64 count, __u64 want)
{
    __u32 copied = 0;
    if (!s)
        return 0;
    for (int i = 0; i < SEAM_WATCH_MAX_IOV; i++) {
        if (i >= count || copied >= want || copied >= SEAM_WATCH_SNAPLEN_MAX)
            break;
        struct seam_iovec vector;
        if (bpf_probe_read_user(&vector, sizeof(vector), (void *)(iov + i * sizeof(vector))))
            break;
        __u64 left = want - copied;
        __u32 length = vector.iov_len < left ? vector.iov_len : left;
        __u32 offset = copied & (SEAM_WATCH_SNAPLEN_MAX - 1);
        barrier_var(length);
        if (length > SEAM_WATCH_SNAPLEN_MAX)
            break;
        if (bpf_probe_read_user(&s->payload[offset], length, (void *)vector.iov_base))
            break;
        copied += length;
    }
    return copied;
}

static __always_inline void submit(struct scratch *s, __u32 copied, __u64 moved)
{
    if (copied > SEAM_WATCH_SNAPLEN_MAX)
        copied = SEAM_WATCH_SNAPLEN_MAX;
    barrier_var(copied);
    if (copied > SEAM_WATCH_SNAPLEN_MAX)
        return;
    s->event.payload_length = copied;
    s->event.uncopied = moved > copied ? moved - copied : 0;
    if (s->event.uncopied && !(s->event.details & SEAM_DETAIL_NO_USER_BUFFER) && seam_config.snaplen)
        s->event.details |= SEAM_DETAIL_PAYLOAD_CUT;
    /* The reader polls (every 10 ms); it is woken only when this event makes the waiting data cross
     * wakeup_bytes, once, not at every event after: a wakeup is an interrupt (an APIC write, in a VM an exit). */
    __u64 size = sizeof(struct seam_watch_event) + copied;
    __u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
    __u64 flags = waiting < seam_config.wakeup_bytes && waiting + size >= seam_config.wakeup_bytes
                      ? BPF_RB_FORCE_WAKEUP
                      : BPF_RB_NO_WAKEUP;
    if (bpf_ringbuf_output(&events, s, size, flags))
        count(SEAM_COUNTER_RING_FULL, 1);
}

/* The bytes a call moved that it makes sense to copy: a recv's result may exceed its buffer (MSG_TRUNC). */
static __always_inline __u64 copy_want(struct seam_watch_event *event, __u64 moved)
{
    __u64 want = moved;
    if (event->asked >= 0 && want > (__u64)event->asked)
        want = event->asked;
    if (want > seam_config.snaplen)
        want = seam_config.snaplen;
    return want;
}

/* One message of a sendmmsg/recvmmsg: its own event, with its msg_len as the result; returns the msg_len. */
__noinline __u32 submit_message(struct scratch *s, struct call_entry *entry, __u32 index, __u32 seq)
{
    struct seam_mmsghdr message;
    if (!s || !entry)
        return 0;
    if (bpf_probe_read_user(&message, sizeof(message), (void *)(entry->buffer + index * sizeof(message))))
        return 0;
    struct seam_watch_event *event = &s->event;
    event->details = entry->details;
    event->message_index = index;
    event->result = message.msg_len;
    event->asked = iovec_sum(message.msg_hdr.msg_iov, message.msg_hdr.msg_iovlen);
    event->msg_flags = entry->way == SEAM_WAY_RECV ? message.msg_hdr.msg_flags : 0;
    event->tcp_seq = seq;
    if (event->asked < 0)
        event->details |= SEAM_DETAIL_ASKED_UNKNOWN;
    if (message.msg_hdr.msg_name)
        event->details |= SEAM_DETAIL_ADDRESS_GIVEN;
    if (event->socket_type == SOCK_DGRAM)
        read_call_address(event, message.msg_hdr.msg_name);
    if (entry->port_pending && !port_selected(event->local_port, event->peer_port))
        return message.msg_len;
    __u32 copied = 0;
    if (seam_config.snaplen)
        copied = copy_iovecs(s, message.msg_hdr.msg_iov, message.msg_hdr.msg_iovlen,
                             copy_want(event, message.msg_len));
    __u64 moved = message.msg_len;
    if (entry->way == SEAM_WAY_RECV && event->asked >= 0 && moved > (__u64)event->asked)
        moved = event->asked;
    submit(s, copied, moved);
    return message.msg_len;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(seam_sys_exit, struct pt_regs *regs, long ret)
{
    __u8 syscall = syscall_of(SYSCALL_NUMBER(regs));
    if (!syscall)
        return 0;
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u32 tid = (__u32)pid_tgid;
    struct call_entry *stored = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, 0);
    struct call_entry entry = {};
    if (stored && stored->syscall) {
        entry = *stored;
        stored->syscall = 0;
        if (entry.syscall != syscall)
            return 0;
    } else if ((syscall == SEAM_SYS_ACCEPT || syscall == SEAM_SYS_ACCEPT4) && ret >= 0 &&
               process_selected(pid_tgid >> 32)) {
        /* An accept already waiting when the watch began (a server attached with --pid): seen at its return
         * only, so it has no entry time (start_ns 0). The registers still hold its arguments. */
        entry.syscall = syscall;
        entry.fd = SYSCALL_ARG(regs, 0);
        entry.flags = syscall == SEAM_SYS_ACCEPT4 ? SYSCALL_ARG(regs, 3) : 0;
        entry.asked = -1;
        entry.port_pending = seam_config.port_count != 0;
    } else {
        return 0;
    }
    if (ret == -EAGAIN && (entry.way == SEAM_WAY_RECV || syscall == SEAM_SYS_ACCEPT || syscall == SEAM_SYS_ACCEPT4))
        return 0;
    /* ERESTARTSYS .. ERESTART_RESTARTBLOCK: the kernel restarts the call (or the process is dying); the
     * program never sees these. */
    if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK)
        return 0;

    __u32 cpu = bpf_get_smp_processor_id();
    struct scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
    if (!s)
        return 0;
    struct seam_watch_event *event = &s->event;
    __builtin_memset(event, 0, sizeof(*event));
    event->start_ns = entry.start_ns;
    event->end_ns = bpf_ktime_get_ns();
    event->result = ret;
    event->asked = entry.asked;
    event->socket = entry.socket;
    event->pid = pid_tgid >> 32;
    event->tid = tid;
    event->fd = entry.fd;
    event->flags = entry.flags;
    event->syscall = syscall;
    event->way = entry.way;
    event->socket_type = entry.socket_type;
    event->family = entry.family;
    event->details = entry.details;
    event->tcp_seq = entry.tcp_seq;
    event->tcp_nonagle = entry.tcp_nonagle;
    event->tcp_packets_out = entry.tcp_packets_out;
    event->tcp_mss = entry.tcp_mss;
    event->tcp_cwnd = entry.tcp_cwnd;
    event->tcp_unsent = entry.tcp_unsent;
    event->tcp_unread = entry.tcp_unread;
    leader_comm(event->comm);

    struct sock *sk = (struct sock *)entry.sk;
    if (syscall == SEAM_SYS_CLOSE || syscall == SEAM_SYS_SHUTDOWN) {
        event->local_port = entry.local_port;
        event->peer_port = entry.peer_port;
        __builtin_memcpy(event->local_addr, entry.local_addr, 16);
        __builtin_memcpy(event->peer_addr, entry.peer_addr, 16);
        submit(s, 0, 0);
        return 0;
    }
    if (syscall == SEAM_SYS_ACCEPT || syscall == SEAM_SYS_ACCEPT4) {
        if (ret < 0)
            return 0;
        sk = socket_of(ret, &event->socket, &event->socket_type, &event->family);
        if (!sk)
            return 0;
        event->fd = ret;
    }
    read_tuple(sk, event->family, &event->local_port, &event->peer_port, event->local_addr, event->peer_addr);
    if (entry.port_pending && way_of(syscall) == SEAM_WAY_NONE && syscall != SEAM_SYS_CONNECT &&
        !port_selected(event->local_port, event->peer_port))
        return 0; /* an accept seen at its return only */
    if (syscall == SEAM_SYS_CONNECT || syscall == SEAM_SYS_ACCEPT || syscall == SEAM_SYS_ACCEPT4) {
        if (event->socket_type == SOCK_STREAM) {
            struct tcp_sock *tcp = (struct tcp_sock *)sk;
            event->tcp_seq = BPF_CORE_READ(tcp, write_seq);
            event->tcp_seq_other = BPF_CORE_READ(tcp, copied_seq);
            event->details |= SEAM_DETAIL_TCP_STATE;
        } else if (syscall == SEAM_SYS_CONNECT && event->peer_port == 0) {
            read_call_address(event, entry.address);
        }
        if (entry.port_pending && !port_selected(event->local_port, event->peer_port))
            return 0;
        submit(s, 0, 0);
        return 0;
    }

    /* A data call. */
    if (syscall == SEAM_SYS_SENDMMSG || syscall == SEAM_SYS_RECVMMSG) {
        if (ret == 0)
            return 0; /* no message (libuv probes sendmmsg with none) */
        if (ret < 0) {
            submit(s, 0, 0);
            return 0;
        }
        event->message_count = ret;
        __u32 seq = entry.tcp_seq;
        for (__u32 index = 0; index < SEAM_WATCH_MAX_MMSG; index++) {
            if (index >= ret)
                break;
            seq += submit_message(s, &entry, index, seq);
        }
        if (ret > SEAM_WATCH_MAX_MMSG)
            count(SEAM_COUNTER_MMSG_BEYOND, ret - SEAM_WATCH_MAX_MMSG);
        return 0;
    }
    if (syscall == SEAM_SYS_RECVMSG && ret >= 0) {
        struct seam_msghdr message;
        if (!bpf_probe_read_user(&message, sizeof(message), (void *)entry.buffer))
            event->msg_flags = message.msg_flags;
    }
    if (entry.address)
        event->details |= SEAM_DETAIL_ADDRESS_GIVEN;
    if (entry.socket_type == SOCK_DGRAM && event->peer_port == 0 && ret >= 0)
        read_call_address(event, entry.address);
    if (entry.port_pending && !port_selected(event->local_port, event->peer_port))
        return 0;
    /* A recv's result may exceed its buffer (MSG_TRUNC): the call moved only what fit. */
    __u64 moved = ret > 0 ? ret : 0;
    if (entry.way == SEAM_WAY_RECV && entry.asked >= 0 && moved > (__u64)entry.asked)
        moved = entry.asked;
    __u32 copied = 0;
    if (moved && seam_config.snaplen && !(entry.details & SEAM_DETAIL_NO_USER_BUFFER)) {
        __u64 want = copy_want(event, moved);
        if (entry.iov)
            copied = copy_iovecs(s, entry.iov, entry.iov_count, want);
        else
            copied = copy_buffer(s, entry.buffer, want);
    }
    submit(s, copied, moved);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(seam_process_fork, struct task_struct *parent, struct task_struct *child)
{
    __u32 parent_tgid = BPF_CORE_READ(parent, tgid);
    if (!bpf_map_lookup_elem(&watched, &parent_tgid))
        return 0;
    __u32 pid = BPF_CORE_READ(child, pid);
    __u32 tgid = BPF_CORE_READ(child, tgid);
    if (pid != tgid)
        return 0; /* a thread */
    __u8 record = SEAM_SELECT_RECORD;
    if (bpf_map_update_elem(&watched, &tgid, &record, BPF_ANY))
        count(SEAM_COUNTER_WATCHED_FULL, 1);
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(seam_process_exit, struct task_struct *task)
{
    __u32 pid = BPF_CORE_READ(task, pid);
    __u32 tgid = BPF_CORE_READ(task, tgid);
    if (pid == tgid && tgid != seam_config.self_tgid)
        bpf_map_delete_elem(&watched, &tgid);
    return 0;
}
