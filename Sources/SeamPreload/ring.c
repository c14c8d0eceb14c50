/*
 * The channel to the recorder: the shared ring of include/seam_preload.h, reached by its name in
 * SEAM_TRACE_RING. Each process opens and maps it once when the library starts in it (forked children keep
 * the parent's mapping), so no descriptor has to survive from the recorder to the process: a child that closed
 * every inherited descriptor is traced all the same. The data part is mapped twice in a row, so a record that
 * wraps around the end is still contiguous in memory.
 */
#include "seam_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

SEAM_HIDDEN int seam_keep_payload;

static uint8_t *ring_base;
static uint8_t *ring_data;
static uint64_t ring_capacity;
static _Atomic int ring_dead;

static struct seam_ring_header *ring_header(void) { return (struct seam_ring_header *)ring_base; }

/* Maps the ring file open at `fd`: only a regular file that starts with the ring's magic and whose size
 * matches its capacity is the ring. */
static int map_ring(int fd) {
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size <= SEAM_RING_HEADER_SIZE) return 0;
    struct seam_ring_header header;
    if (pread(fd, &header, sizeof header, 0) != (ssize_t)sizeof header || header.magic != SEAM_RING_MAGIC) return 0;
    uint64_t capacity = header.capacity;
    if (capacity == 0 || capacity % 4096 != 0 || (uint64_t)status.st_size != SEAM_RING_HEADER_SIZE + capacity) return 0;
    size_t span = SEAM_RING_HEADER_SIZE + 2 * capacity;
    uint8_t *base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 0;
    int shared = MAP_SHARED | MAP_FIXED, access = PROT_READ | PROT_WRITE;
    uint8_t *second = base + SEAM_RING_HEADER_SIZE + capacity;
    if (mmap(base, SEAM_RING_HEADER_SIZE + capacity, access, shared, fd, 0) == MAP_FAILED
        || mmap(second, capacity, access, shared, fd, SEAM_RING_HEADER_SIZE) == MAP_FAILED) {
        munmap(base, span);
        return 0;
    }
    ring_capacity = capacity;
    ring_data = base + SEAM_RING_HEADER_SIZE;
    ring_base = base;
    return 1;
}

SEAM_HIDDEN int seam_ring_attach(void) {
    if (ring_base) return 1;
    const char *path = getenv(SEAM_TRACE_RING_ENV);
    if (!path || path[0] != '/') return 0;
    seam_resolve();
    int saved = errno;
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    int mapped = 0;
    if (fd >= 0) {
        mapped = map_ring(fd);
        seam_real.close(fd); /* the mapping stays; the descriptor is not needed */
    }
    errno = saved;
    if (!mapped) return 0;
    const char *payload = getenv(SEAM_TRACE_PAYLOAD_ENV);
    seam_keep_payload = payload && payload[0] == '1';
    return 1;
}

SEAM_HIDDEN int seam_tracing(void) {
    return ring_base != NULL && !atomic_load_explicit(&ring_dead, memory_order_relaxed);
}

static void pause_briefly(void) {
    struct timespec pause = {0, 50000};
    nanosleep(&pause, NULL);
}

/* Reserves space with a compare-and-swap, writes, then publishes the entry's header with a release store.
 * When the ring stays full for a second (the recorder stopped reading), tracing stops for good: the program
 * must never hang on its recorder. */
SEAM_HIDDEN void seam_emit(struct seam_record *r, const struct iovec *iov, int iovcnt, size_t moved,
                           int always_payload) {
    if (!seam_tracing()) return;
    size_t taken = 0;
    if ((seam_keep_payload || always_payload) && iov && moved > 0) {
        taken = moved < SEAM_PAYLOAD_LIMIT ? moved : SEAM_PAYLOAD_LIMIT;
        r->payload_length = (uint32_t)taken;
        r->payload_cut = taken < moved;
        r->length += (uint32_t)taken;
    }
    struct seam_ring_header *header = ring_header();
    uint64_t total = (4 + (uint64_t)r->length + 7) & ~(uint64_t)7;
    uint64_t position = atomic_load_explicit(&header->reserve, memory_order_relaxed);
    int64_t full_since = 0;
    for (;;) {
        uint64_t read = atomic_load_explicit(&header->read, memory_order_acquire);
        if (position + total - read <= ring_capacity) {
            if (atomic_compare_exchange_weak_explicit(&header->reserve, &position, position + total,
                                                      memory_order_acq_rel, memory_order_relaxed)) break;
            continue;
        }
        int64_t now = seam_now();
        if (!full_since) full_since = now;
        if (now - full_since > 1000000000) {
            atomic_fetch_add(&header->dropped, 1);
            atomic_store(&ring_dead, 1);
            return;
        }
        pause_briefly();
        position = atomic_load_explicit(&header->reserve, memory_order_relaxed);
    }
    uint8_t *entry = ring_data + position % ring_capacity;
    _Atomic uint32_t *word = (_Atomic uint32_t *)entry;
    atomic_store_explicit(word, r->length | SEAM_ENTRY_PENDING, memory_order_relaxed);
    memcpy(entry + 4, r, sizeof *r);
    uint8_t *out = entry + 4 + sizeof *r;
    for (int i = 0; i < iovcnt && taken > 0; i++) {
        size_t piece = iov[i].iov_len < taken ? iov[i].iov_len : taken;
        memcpy(out, iov[i].iov_base, piece);
        out += piece;
        taken -= piece;
    }
    atomic_store_explicit(word, r->length | SEAM_ENTRY_COMMITTED, memory_order_release);
}
