/* The read limit: libpcap's own loop over a capture, touching every captured byte.
 * Build: cc -O2 Benchmarks/pcap_read.c -lpcap -o pcap_read    Run: ./pcap_read FILE
 * Prints packets, captured bytes and a checksum (so the compiler cannot drop the reads). */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pcap = pcap_open_offline(argv[1], errbuf);
    if (pcap == NULL) {
        fprintf(stderr, "%s: %s\n", argv[1], errbuf);
        return 1;
    }
    struct pcap_pkthdr *header;
    const u_char *data;
    uint64_t packets = 0, bytes = 0, sum = 0;
    int status;
    while ((status = pcap_next_ex(pcap, &header, &data)) == 1) {
        packets++;
        bytes += header->caplen;
        for (bpf_u_int32 i = 0; i < header->caplen; i++) sum += data[i];
    }
    if (status == PCAP_ERROR) fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(pcap));
    printf("%llu packets, %llu bytes, sum %llu\n", (unsigned long long)packets, (unsigned long long)bytes,
           (unsigned long long)sum);
    pcap_close(pcap);
    return status == PCAP_ERROR ? 1 : 0;
}
