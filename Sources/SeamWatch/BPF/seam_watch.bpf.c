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
 *
 * Parts: seam_watch_maps.bpf.h (the configuration and maps), seam_watch_sockets.bpf.h (what is read of the
 * process and its sockets), seam_watch_payload.bpf.h (the bytes, and the event's submission); the kernel's
 * types in kernel_types.h, the event in ../../CSeamWatch/include/seam_watch.h.
 */
#include "seam_watch.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#include "seam_watch_maps.bpf.h"
#include "seam_watch_sockets.bpf.h"
#include "seam_watch_payload.bpf.h"

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
