/* Concurrent socket calls for the trace tests: CLIENTS client threads each connect to one listener, send
 * MESSAGES messages of (i % 7 + 1) * 10 bytes (send, write, writev and sendmsg in turn), shut down writing
 * and read the server's 8-byte total; a server thread per connection reads with recv, read and readv in turn
 * until EOF and sends the total back. Prints "total N" (all bytes the servers read) and exits 0. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define CLIENTS 4
#define MESSAGES 50

static int listener;
static struct sockaddr_in address;
static uint64_t totals[CLIENTS];

static void *serve(void *arg) {
    int index = (int)(intptr_t)arg;
    int fd = accept(listener, NULL, NULL);
    char buffer[100];
    uint64_t total = 0;
    for (int call = 0;; call++) {
        ssize_t n;
        if (call % 3 == 0) n = recv(fd, buffer, sizeof buffer, 0);
        else if (call % 3 == 1) n = read(fd, buffer, 33);
        else {
            struct iovec iov[2] = {{buffer, 10}, {buffer + 10, 40}};
            n = readv(fd, iov, 2);
        }
        if (n <= 0) break;
        total += (uint64_t)n;
    }
    totals[index] = total;
    send(fd, &total, sizeof total, 0);
    close(fd);
    return NULL;
}

static void *client(void *arg) {
    (void)arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return NULL;
    char message[70];
    memset(message, 'x', sizeof message);
    for (int i = 0; i < MESSAGES; i++) {
        size_t size = (size_t)(i % 7 + 1) * 10;
        if (i % 4 == 0) send(fd, message, size, 0);
        else if (i % 4 == 1) write(fd, message, size);
        else if (i % 4 == 2) {
            struct iovec iov[2] = {{message, 5}, {message + 5, size - 5}};
            writev(fd, iov, 2);
        } else {
            struct iovec iov = {message, size};
            struct msghdr header;
            memset(&header, 0, sizeof header);
            header.msg_iov = &iov;
            header.msg_iovlen = 1;
            sendmsg(fd, &header, 0);
        }
    }
    shutdown(fd, SHUT_WR);
    uint64_t total = 0;
    recv(fd, &total, sizeof total, MSG_WAITALL);
    close(fd);
    return NULL;
}

int main(void) {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 16) != 0) return 2;
    getsockname(listener, (struct sockaddr *)&address, &length);
    pthread_t servers[CLIENTS], clients[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) pthread_create(&servers[i], NULL, serve, (void *)(intptr_t)i);
    for (int i = 0; i < CLIENTS; i++) pthread_create(&clients[i], NULL, client, NULL);
    for (int i = 0; i < CLIENTS; i++) pthread_join(clients[i], NULL);
    for (int i = 0; i < CLIENTS; i++) pthread_join(servers[i], NULL);
    close(listener);
    uint64_t total = 0;
    for (int i = 0; i < CLIENTS; i++) total += totals[i];
    printf("total %llu\n", (unsigned long long)total);
    return 0;
}
