/*
 * seam_watch_sockets.bpf.h: what the probes read of the calling process and its sockets: the system call
 * and its arguments, whether the process and the socket are selected, the socket behind an fd, its 4-tuple
 * and its TCP state. All reads are CO-RE (kernel_types.h).
 */
#ifndef SEAM_WATCH_SOCKETS_BPF_H
#define SEAM_WATCH_SOCKETS_BPF_H

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

#endif
