/*
 * mmsg: one sendmmsg of three UDP datagrams ("one", "three", "fifteen") from a client socket to a server
 * socket on 127.0.0.1, then one recvmmsg of up to 8 on the server (each buffer 16 bytes), for seam watch's
 * tests. Prints the lengths received. Build: cc -O2 -o mmsg mmsg.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int server = socket(AF_INET, SOCK_DGRAM, 0), client = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(server, (struct sockaddr *)&address, sizeof address) || getsockname(server, (struct sockaddr *)&address, &length)) {
        perror("mmsg: bind");
        return 1;
    }
    const char *texts[3] = {"one", "three", "fifteen"};
    struct iovec out[3];
    struct mmsghdr sent[3];
    memset(sent, 0, sizeof sent);
    for (int i = 0; i < 3; i++) {
        out[i].iov_base = (void *)texts[i];
        out[i].iov_len = strlen(texts[i]);
        sent[i].msg_hdr.msg_iov = &out[i];
        sent[i].msg_hdr.msg_iovlen = 1;
        sent[i].msg_hdr.msg_name = &address;
        sent[i].msg_hdr.msg_namelen = sizeof address;
    }
    if (sendmmsg(client, sent, 3, 0) != 3) {
        perror("mmsg: sendmmsg");
        return 1;
    }
    char buffers[8][16];
    struct iovec in[8];
    struct mmsghdr received[8];
    memset(received, 0, sizeof received);
    for (int i = 0; i < 8; i++) {
        in[i].iov_base = buffers[i];
        in[i].iov_len = sizeof buffers[i];
        received[i].msg_hdr.msg_iov = &in[i];
        received[i].msg_hdr.msg_iovlen = 1;
    }
    int count = recvmmsg(server, received, 8, MSG_WAITFORONE, NULL);
    for (int i = 0; i < count; i++) printf("%u\n", received[i].msg_len);
    close(client);
    close(server);
    return count == 3 ? 0 : 1;
}
