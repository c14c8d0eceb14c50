/* 64-byte ping-pong over loopback TCP for Benchmarks/trace.sh: the parent is the client, a forked child the
 * server. The client sends 64 bytes and waits for the 64-byte echo, ROUNDS times (argv[1], default 20000).
 * Prints "rounds R seconds S us-per-round U". Each round is 4 socket calls: send+recv on each side. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void exact_recv(int fd, char *buffer, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t n = recv(fd, buffer + got, size - got, 0);
        if (n <= 0) exit(3);
        got += (size_t)n;
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1)) return 2;
    getsockname(listener, (struct sockaddr *)&address, &length);
    int one = 1;
    char buffer[64] = {0};
    pid_t child = fork();
    if (child == 0) {
        int fd = accept(listener, NULL, NULL);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        for (int i = 0; i < rounds; i++) {
            exact_recv(fd, buffer, sizeof buffer);
            if (send(fd, buffer, sizeof buffer, 0) != sizeof buffer) return 4;
        }
        close(fd);
        return 0;
    }
    close(listener);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&address, sizeof address)) return 5;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < rounds; i++) {
        if (send(fd, buffer, sizeof buffer, 0) != sizeof buffer) return 6;
        exact_recv(fd, buffer, sizeof buffer);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    close(fd);
    int status = 0;
    waitpid(child, &status, 0);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("rounds %d seconds %.4f us-per-round %.2f\n", rounds, seconds, seconds * 1e6 / rounds);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 7;
}
