/*
 * The network service as a process on x86_64: lib/net behind the
 * virtio-net driver process, an HTTP server and an HTTP client on its
 * sockets, serving the terminal's requests (netsvc.h).  One thread runs the
 * stack; a second takes the terminal's calls and hands them over.
 */
#ifndef ZERO_SERVICES_NET_X86_64_NETPROC_H
#define ZERO_SERVICES_NET_X86_64_NETPROC_H

#include <stdint.h>

/*
 * Runs the service: drv is the endpoint of the virtio-net driver process
 * (shared buffer at drv_va), the terminal's calls arrive on ep (shared buffer
 * at ep_va), axiom is the Axiom process's endpoint with the read badge only
 * (httpd reads the filesystem through it; channel buffer at axiom_va) or
 * ZERO_CAP_NONE.  Does not return unless the driver is unreachable.
 */
int netproc_main(uint64_t drv, uint64_t drv_va, uint64_t ep, uint64_t ep_va, uint64_t axiom,
                 uint64_t axiom_va);

#endif
