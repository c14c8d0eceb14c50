/*
 * seam_watch_loader.c: see seam_watch_loader.h. Follows libbpf-bootstrap's bootstrap.c (open, set
 * read-only data, load, attach, ring_buffer__poll), without a generated skeleton: the object comes from
 * memory and its maps and programs are found by name.
 */
#include "seam_watch_loader.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define SEAM_WATCH_MAX_PROGRAMS 8

struct seam_watch {
    struct bpf_object *object;
    struct bpf_link *links[SEAM_WATCH_MAX_PROGRAMS];
    int link_count;
    struct ring_buffer *ring;
    int watched_fd;
    int counters_fd;
    seam_watch_handler handler;
    void *context;
};

/* libbpf's last warnings, for the error message of a failed open. */
static char libbpf_words[2048];

static int keep_libbpf_words(enum libbpf_print_level level, const char *format, va_list arguments)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[512];
    int length = vsnprintf(line, sizeof(line), format, arguments);
    if (length <= 0)
        return 0;
    size_t used = strlen(libbpf_words);
    size_t room = sizeof(libbpf_words) - 1;
    size_t adding = strlen(line);
    if (adding > room)
        adding = room;
    if (used + adding > room) {
        /* Keep the latest words: drop the oldest to make room. */
        size_t drop = used + adding - room;
        memmove(libbpf_words, libbpf_words + drop, used - drop + 1);
        used -= drop;
    }
    memcpy(libbpf_words + used, line, adding);
    libbpf_words[used + adding] = 0;
    return 0;
}

static void fail(char *error, size_t error_size, const char *step, int code)
{
    char *words = libbpf_words;
    while (*words == '\n')
        words++;
    size_t length = strlen(words);
    while (length > 0 && words[length - 1] == '\n')
        words[--length] = 0;
    snprintf(error, error_size, "%s: %s%s%s", step, strerror(code < 0 ? -code : code), *words ? "; libbpf: " : "",
             words);
}

static int forward_event(void *context, void *data, size_t size)
{
    struct seam_watch *watch = context;
    return watch->handler ? watch->handler(watch->context, data, size) : 0;
}

static struct bpf_map *map_ending(struct bpf_object *object, const char *suffix)
{
    struct bpf_map *map;
    size_t suffix_length = strlen(suffix);
    bpf_object__for_each_map(map, object) {
        const char *name = bpf_map__name(map);
        size_t length = strlen(name);
        if (length >= suffix_length && strcmp(name + length - suffix_length, suffix) == 0)
            return map;
    }
    return NULL;
}

struct seam_watch *seam_watch_open(const void *object, size_t object_size, const struct seam_watch_config *config,
                                   unsigned int ring_bytes, char *error, size_t error_size)
{
    libbpf_words[0] = 0;
    libbpf_set_print(keep_libbpf_words);
    struct seam_watch *watch = calloc(1, sizeof(*watch));
    if (!watch) {
        fail(error, error_size, "cannot allocate the watch", ENOMEM);
        return NULL;
    }
    LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = "seam_watch");
    watch->object = bpf_object__open_mem(object, object_size, &options);
    if (!watch->object) {
        fail(error, error_size, "cannot open the BPF object", errno);
        free(watch);
        return NULL;
    }
    int code = 0;
    struct bpf_map *settings = map_ending(watch->object, ".rodata.config");
    struct bpf_map *scratch = bpf_object__find_map_by_name(watch->object, "scratch");
    struct bpf_map *events = bpf_object__find_map_by_name(watch->object, "events");
    int cpus = libbpf_num_possible_cpus();
    if (!settings || !scratch || !events) {
        fail(error, error_size, "the BPF object lacks its maps", ENOENT);
        goto failed;
    }
    if (cpus <= 0) {
        fail(error, error_size, "cannot count the CPUs", cpus < 0 ? -cpus : EINVAL);
        goto failed;
    }
    if ((code = bpf_map__set_initial_value(settings, config, sizeof(*config))) ||
        (code = bpf_map__set_max_entries(scratch, cpus)) ||
        (code = bpf_map__set_max_entries(events, ring_bytes))) {
        fail(error, error_size, "cannot configure the BPF object", code);
        goto failed;
    }
    if ((code = bpf_object__load(watch->object))) {
        fail(error, error_size, "the kernel refused the BPF programs", code);
        goto failed;
    }
    struct bpf_program *program;
    bpf_object__for_each_program(program, watch->object) {
        if (watch->link_count == SEAM_WATCH_MAX_PROGRAMS)
            break;
        struct bpf_link *link = bpf_program__attach(program);
        if (!link) {
            char step[160];
            snprintf(step, sizeof(step), "cannot attach %s", bpf_program__section_name(program));
            fail(error, error_size, step, errno);
            goto failed;
        }
        watch->links[watch->link_count++] = link;
    }
    watch->watched_fd = bpf_object__find_map_fd_by_name(watch->object, "watched");
    watch->counters_fd = bpf_object__find_map_fd_by_name(watch->object, "counters");
    watch->ring = ring_buffer__new(bpf_map__fd(events), forward_event, watch, NULL);
    if (!watch->ring || watch->watched_fd < 0 || watch->counters_fd < 0) {
        fail(error, error_size, "cannot open the ring buffer", errno ? errno : ENOENT);
        goto failed;
    }
    return watch;
failed:
    seam_watch_close(watch);
    return NULL;
}

int seam_watch_select(struct seam_watch *watch, __u32 tgid, __u8 selection)
{
    return bpf_map_update_elem(watch->watched_fd, &tgid, &selection, BPF_ANY) ? -errno : 0;
}

int seam_watch_poll(struct seam_watch *watch, int timeout_ms, seam_watch_handler handler, void *context)
{
    watch->handler = handler;
    watch->context = context;
    /* Events are mostly submitted without a wakeup (BPF_RB_NO_WAKEUP), so epoll only returns early when
     * much is waiting: wait, then take whatever is there. */
    int result = 0;
    if (timeout_ms > 0)
        result = ring_buffer__poll(watch->ring, timeout_ms);
    if (result >= 0) {
        int more = ring_buffer__consume(watch->ring);
        result = more < 0 ? more : result + more;
    }
    watch->handler = NULL;
    watch->context = NULL;
    return result;
}

int seam_watch_counters(struct seam_watch *watch, __u64 counters[SEAM_COUNTER_COUNT])
{
    int cpus = libbpf_num_possible_cpus();
    if (cpus <= 0)
        return cpus < 0 ? cpus : -EINVAL;
    __u64 *values = calloc(cpus, sizeof(__u64));
    if (!values)
        return -ENOMEM;
    for (__u32 key = 0; key < SEAM_COUNTER_COUNT; key++) {
        counters[key] = 0;
        if (bpf_map_lookup_elem(watch->counters_fd, &key, values)) {
            int code = -errno;
            free(values);
            return code;
        }
        for (int cpu = 0; cpu < cpus; cpu++)
            counters[key] += values[cpu];
    }
    free(values);
    return 0;
}

__u64 seam_watch_missed_runs(struct seam_watch *watch)
{
    __u64 missed = 0;
    struct bpf_program *program;
    bpf_object__for_each_program(program, watch->object) {
        struct bpf_prog_info info;
        __u32 length = sizeof(info);
        memset(&info, 0, sizeof(info));
        if (bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &length) == 0)
            missed += info.recursion_misses;
    }
    return missed;
}

void seam_watch_close(struct seam_watch *watch)
{
    if (!watch)
        return;
    ring_buffer__free(watch->ring);
    for (int index = 0; index < watch->link_count; index++)
        bpf_link__destroy(watch->links[index]);
    bpf_object__close(watch->object);
    free(watch);
}

int seam_watch_effective_capabilities(__u64 *effective)
{
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capget, &header, data) != 0)
        return -errno;
    *effective = (__u64)data[0].effective | ((__u64)data[1].effective << 32);
    return 0;
}
