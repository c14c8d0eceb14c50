/* Two threads exchange ROUNDS (argv[1], default 200) numbered UDP datagrams over loopback: the main thread
 * sendto()s "ping N" and waits for "pong N"; a reader thread, blocked in recvfrom(), answers each at once.
 * On two cores the reader often returns from recvfrom before the writer returns from sendto: a trace that
 * stamped calls at return would show some pings read before they were sent. Prints "ok". */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int rounds = 200;
static int server;

static void *answer(void *unused) {
    (void)unused;
    char buffer[64];
    for (int i = 0; i < rounds; i++) {
        struct sockaddr_in peer;
        socklen_t length = sizeof peer;
        ssize_t n = recvfrom(server, buffer, sizeof buffer - 1, 0, (struct sockaddr *)&peer, &length);
        if (n <= 0) exit(3);
        buffer[n] = 0;
        char reply[64];
        int size = snprintf(reply, sizeof reply, "pong %d", atoi(buffer + 5));
        sendto(server, reply, (size_t)size, 0, (struct sockaddr *)&peer, length);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    server = socket(AF_INET, SOCK_DGRAM, 0);
    if (bind(server, (struct sockaddr *)&address, sizeof address)) return 2;
    getsockname(server, (struct sockaddr *)&address, &length);
    int client = socket(AF_INET, SOCK_DGRAM, 0);
    pthread_t reader;
    pthread_create(&reader, NULL, answer, NULL);
    char buffer[64];
    for (int i = 0; i < rounds; i++) {
        char ping[64];
        int size = snprintf(ping, sizeof ping, "ping %d", i);
        sendto(client, ping, (size_t)size, 0, (struct sockaddr *)&address, sizeof address);
        if (recvfrom(client, buffer, sizeof buffer, 0, NULL, NULL) <= 0) return 4;
    }
    pthread_join(reader, NULL);
    close(client);
    close(server);
    puts("ok");
    return 0;
}
