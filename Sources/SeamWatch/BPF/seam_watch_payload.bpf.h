/*
 * seam_watch_payload.bpf.h: the bytes of a call: the iovecs' lengths, the payload copied from the user
 * buffers (at most snaplen) into the CPU's scratch event, and the event's submission to the ring buffer.
 */
#ifndef SEAM_WATCH_PAYLOAD_BPF_H
#define SEAM_WATCH_PAYLOAD_BPF_H

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

#endif
