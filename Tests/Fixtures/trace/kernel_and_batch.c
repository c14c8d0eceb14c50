/* The calls that move several datagrams or move bytes inside the kernel, for the trace tests:
 *  - UDP: sendmmsg of "one" and "three" from a client to a server, recvmmsg of both; then sendmmsg of
 *    "via-syscall" made through syscall(SYS_sendmmsg) (as libuv does), read with recvfrom;
 *  - TCP: sendfile of a 10000-byte file from the client, splice from the server's socket into a pipe until
 *    all 10000 bytes are in (then read from the pipe: not a socket).
 * Exits 0 when every byte arrived; prints "ok". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct sockaddr_in loopback(void) {
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

static int bound(int type, struct sockaddr_in *address) {
    int fd = socket(AF_INET, type, 0);
    *address = loopback();
    socklen_t length = sizeof *address;
    if (fd < 0 || bind(fd, (struct sockaddr *)address, sizeof *address)) exit(2);
    getsockname(fd, (struct sockaddr *)address, &length);
    return fd;
}

static void datagrams(void) {
    struct sockaddr_in server_address, client_address;
    int server = bound(SOCK_DGRAM, &server_address), client = bound(SOCK_DGRAM, &client_address);
    const char *texts[2] = {"one", "three"};
    struct iovec out[2];
    struct mmsghdr messages[2];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < 2; i++) {
        out[i].iov_base = (void *)texts[i];
        out[i].iov_len = strlen(texts[i]);
        messages[i].msg_hdr.msg_iov = &out[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &server_address;
        messages[i].msg_hdr.msg_namelen = sizeof server_address;
    }
    if (sendmmsg(client, messages, 2, 0) != 2) exit(3);
    char buffers[2][16];
    struct iovec in[2];
    struct mmsghdr received[2];
    memset(received, 0, sizeof received);
    for (int i = 0; i < 2; i++) {
        in[i].iov_base = buffers[i];
        in[i].iov_len = sizeof buffers[i];
        received[i].msg_hdr.msg_iov = &in[i];
        received[i].msg_hdr.msg_iovlen = 1;
    }
    if (recvmmsg(server, received, 2, 0, NULL) != 2) exit(4);
    if (received[0].msg_len != 3 || received[1].msg_len != 5) exit(5);
    struct iovec one = {(void *)"via-syscall", 11};
    struct mmsghdr single;
    memset(&single, 0, sizeof single);
    single.msg_hdr.msg_iov = &one;
    single.msg_hdr.msg_iovlen = 1;
    single.msg_hdr.msg_name = &server_address;
    single.msg_hdr.msg_namelen = sizeof server_address;
    if (syscall(SYS_sendmmsg, client, &single, 1, 0) != 1) exit(6);
    char buffer[64];
    if (recvfrom(server, buffer, sizeof buffer, 0, NULL, NULL) != 11) exit(7);
    close(client);
    close(server);
}

static void kernel_copies(void) {
    char path[] = "/tmp/seam-kernel-copy-XXXXXX";
    int file = mkstemp(path);
    unlink(path);
    char block[10000];
    memset(block, 'k', sizeof block);
    if (file < 0 || write(file, block, sizeof block) != (ssize_t)sizeof block) exit(8);
    struct sockaddr_in address;
    int listener = bound(SOCK_STREAM, &address);
    listen(listener, 1);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&address, sizeof address)) exit(9);
    int server = accept(listener, NULL, NULL);
    off_t offset = 0;
    if (sendfile(client, file, &offset, sizeof block) != (ssize_t)sizeof block) exit(10);
    int pipes[2];
    if (pipe(pipes)) exit(11);
    size_t moved = 0;
    while (moved < sizeof block) {
        ssize_t n = splice(server, NULL, pipes[1], NULL, sizeof block - moved, 0);
        if (n <= 0) exit(12);
        moved += (size_t)n;
        char sink[10000];
        if (read(pipes[0], sink, (size_t)n) != n) exit(13);
    }
    close(client);
    close(server);
    close(listener);
    close(file);
}

int main(void) {
    datagrams();
    kernel_copies();
    puts("ok");
    return 0;
}
