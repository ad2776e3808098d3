/*
 * The service processes of a node with one process per service (init:
 * split.c; the table of what each holds: docs/boot.md).  Each main takes
 * what init hands over, builds its own service runtime with its own
 * service and a forwarder (svcrt/x86_64: rtx_forward) for every service
 * it may call, and serves its endpoint (rtx_serve_rt); the terminal runs
 * the terminal on the console instead.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_SPLIT_H
#define ZERO_SERVICES_INIT_X86_64_SPLIT_H

#include "svcrt/x86_64/rtx.h"

#define SPLIT_SERVE_VA 0x0000600000000000ull  /* a server's client buffers (RTX_SERVER_SPAN) */
#define SPLIT_CLIENT_VA 0x0000610000000000ull /* a client's channels, RTX_BUF_LEN apart */
#define SPLIT_DISK_VA 0x0000500000000000ull   /* the Axiom's buffer shared with the driver */

int split_axiom_main(void);
int split_identity_main(void);
int split_policy_main(void);
int split_terminal_main(void);
int split_jobs_main(void); /* jobs_proc.c */

/*
 * Prints "caps NAME: ..." on the console: every capability this process
 * holds, as docs/boot.md's table lists them (tests/system/caps.t compares
 * the two).
 */
void split_report_caps(const char *name);

#endif
