// libpcap for Swift: the one header SeamCapture needs (pcap_create, pcap_compile, pcap_stats, ...).
#ifndef SEAM_CPCAP_SHIM_H
#define SEAM_CPCAP_SHIM_H

#include <pcap/pcap.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

/// Names the calling thread (at most 15 bytes show) so `top -H` and gdb tell the capture thread apart.
/// Glibc's Swift module hides pthread_setname_np and prctl, hence this shim.
static inline void seam_name_current_thread(const char *name) {
#ifdef __linux__
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
#elif defined(__APPLE__)
    extern int pthread_setname_np(const char *);
    pthread_setname_np(name);
#else
    (void)name;
#endif
}

#endif
