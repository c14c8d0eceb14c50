// libbpf (Debian: libbpf-dev), found through pkg-config; CSeamWatch's loader is its only user.
#ifndef SEAM_CBPF_SHIM_H
#define SEAM_CBPF_SHIM_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#endif
