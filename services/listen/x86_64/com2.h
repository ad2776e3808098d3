/*
 * The signed-proposal server on the second serial port (COM2) of x86_64,
 * a process of its own (docs/formats.md, "Over a serial port"): the
 * protocol of zero-hosted --listen, framed by services/listen/frame.h,
 * each request handed to the Axiom process over IPC.  Under QEMU,
 * `-chardev socket,id=c2,path=PATH,server=on,wait=off -serial chardev:c2`
 * (after the console's -serial) makes PATH a Unix socket that the host's
 * `zero submit PATH ...` talks to unchanged.
 */
#ifndef ZERO_SERVICES_LISTEN_X86_64_COM2_H
#define ZERO_SERVICES_LISTEN_X86_64_COM2_H

#include <stdint.h>

/*
 * Serves COM2 through the ioport capability in slot port and the IRQ
 * capability in slot irq, proposing to the Axiom's endpoint axiom (its
 * channel buffer at chan_va); ready() is called once the channel is open,
 * before the port is touched.  Returns only when the port is missing
 * (after saying so) or the Axiom is gone: 0, or 2 for a start failure.
 */
/*
 * The terminal's endpoint (badged LSN_TERM_BADGE_LOGIN), for the log-in
 * answers of request type 5, and where to map the channel to it; called
 * before lsn_com2_main.  Without it a log-in answer gets an error.
 */
void lsn_com2_terminal(uint64_t ep, uint64_t chan_va);

int lsn_com2_main(uint64_t port, uint64_t irq, uint64_t axiom, uint64_t chan_va,
                  void (*ready)(void));

#endif
