/*
 * pingpong: a 64-byte request/response benchmark over TCP or UDP, for Benchmarks/proxy.sh.
 *
 *   pingpong server tcp|udp PORT            echo every message back (127.0.0.1), until killed
 *   pingpong client tcp|udp HOST PORT N     N round trips of SIZE bytes, then one line of results
 *
 * The client sends one message, waits for the whole reply, and measures each round trip with
 * CLOCK_MONOTONIC. It prints
 *
 *   rtt/s=12345 p50_us=70.1 p99_us=120.4 n=20000
 *
 * (percentiles from the sorted samples, nearest rank). The first 1 % of round trips are a warm-up and are not
 * measured. SIZE is 64 unless the environment sets PINGPONG_SIZE. TCP sockets use TCP_NODELAY. A UDP client
 * that waits more than a second for a reply counts the round trip as lost and sends again; lost round trips are
 * reported as lost=K and make the exit status 1.
 *
 * Build: cc -O2 -o pingpong pingpong.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int message_size = 64;

static void die(const char *what) {
    fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
    exit(2);
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static struct sockaddr_in address(const char *host, int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "pingpong: bad IPv4 address %s\n", host);
        exit(2);
    }
    return a;
}

/* Reads exactly n bytes from a stream socket; 0 at EOF, -1 on error. */
static ssize_t read_exactly(int fd, char *buffer, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buffer + got, n - got, 0);
        if (r == 0) return 0;
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int write_all(int fd, const char *buffer, size_t n) {
    size_t sent = 0;
    while (sent < n) {
        ssize_t w = send(fd, buffer + sent, n - sent, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        sent += (size_t)w;
    }
    return 0;
}

static void serve_tcp_connection(int fd) {
    char buffer[65536];
    for (;;) {
        ssize_t r = recv(fd, buffer, sizeof buffer, 0);
        if (r <= 0) break;
        if (write_all(fd, buffer, (size_t)r) < 0) break;
    }
    close(fd);
}

static void server(int udp, int port) {
    struct sockaddr_in a = address("127.0.0.1", port);
    int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (udp) {
        char buffer[65536];
        for (;;) {
            struct sockaddr_in peer;
            socklen_t length = sizeof peer;
            ssize_t r = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&peer, &length);
            if (r < 0) {
                if (errno == EINTR) continue;
                die("recvfrom");
            }
            sendto(fd, buffer, (size_t)r, 0, (struct sockaddr *)&peer, length);
        }
    }
    if (listen(fd, 16) < 0) die("listen");
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) continue;
            die("accept");
        }
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        /* One connection at a time is all the benchmark needs; a child per connection keeps it simple. */
        if (fork() == 0) {
            close(fd);
            serve_tcp_connection(c);
            _exit(0);
        }
        close(c);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int client(int udp, const char *host, int port, long count) {
    struct sockaddr_in a = address(host, port);
    int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (!udp) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");

    long warmup = count / 100;
    double *samples = malloc(sizeof(double) * (size_t)count);
    char *out = malloc((size_t)message_size);
    char *in = malloc((size_t)message_size + 1);
    if (!samples || !out || !in) die("malloc");
    memset(out, 'x', (size_t)message_size);
    long lost = 0;
    double started = 0;
    for (long i = -warmup; i < count; i++) {
        if (i == 0) started = now_us();
        double t0 = now_us();
        if (udp) {
            for (;;) {
                if (send(fd, out, (size_t)message_size, 0) < 0) die("send");
                struct pollfd p = {fd, POLLIN, 0};
                int ready = poll(&p, 1, 1000);
                if (ready > 0) {
                    if (recv(fd, in, (size_t)message_size + 1, 0) < 0) die("recv");
                    break;
                }
                lost++;
                if (lost > 10) {
                    fprintf(stderr, "pingpong: more than 10 UDP round trips lost\n");
                    return 1;
                }
            }
        } else {
            if (write_all(fd, out, (size_t)message_size) < 0) die("send");
            ssize_t r = read_exactly(fd, in, (size_t)message_size);
            if (r <= 0) {
                fprintf(stderr, "pingpong: the server closed after %ld round trips\n", i + warmup);
                return 1;
            }
        }
        if (i >= 0) samples[i] = now_us() - t0;
    }
    double elapsed = now_us() - started;
    close(fd);
    qsort(samples, (size_t)count, sizeof(double), compare);
    long p50 = (long)(0.50 * (double)count + 0.5) - 1, p99 = (long)(0.99 * (double)count + 0.5) - 1;
    if (p50 < 0) p50 = 0;
    if (p99 < 0) p99 = 0;
    printf("rtt/s=%.0f p50_us=%.1f p99_us=%.1f n=%ld", (double)count / (elapsed / 1e6), samples[p50],
           samples[p99], count);
    if (lost) printf(" lost=%ld", lost);
    printf("\n");
    return lost ? 1 : 0;
}

int main(int argc, char **argv) {
    const char *size = getenv("PINGPONG_SIZE");
    if (size) message_size = atoi(size);
    if (message_size < 1 || message_size > 65000) {
        fprintf(stderr, "pingpong: PINGPONG_SIZE must be 1..65000\n");
        return 2;
    }
    if (argc == 4 && strcmp(argv[1], "server") == 0) {
        server(strcmp(argv[2], "udp") == 0, atoi(argv[3]));
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "client") == 0) {
        return client(strcmp(argv[2], "udp") == 0, argv[3], atoi(argv[4]), atol(argv[5]));
    }
    fprintf(stderr, "usage: pingpong server tcp|udp PORT | pingpong client tcp|udp HOST PORT N\n");
    return 2;
}
