/*
 * init on x86_64: the first process starts the key process and the node as
 * two more processes, hands the node the devices it drives (console with
 * input, COM1's interrupt, the PCI ports) and its badged endpoints to the
 * key process, then waits.  When the node ends, by `exit` or by a fault,
 * init ends the key process and itself, and the kernel powers off.
 */
#ifndef ZERO_SERVICES_NODE_X86_64_INIT_H
#define ZERO_SERVICES_NODE_X86_64_INIT_H

#include <stdint.h>

/* Runs init; role_node and role_keys are the spawn arguments of the two. */
int node_init_main(uint64_t role_node, uint64_t role_keys);

/*
 * In the node: takes what init hands over (see above) into the slots the
 * user HAL expects.  Stores the key endpoints, or ZERO_CAP_NONE when init
 * has no key process.  0 or a ZERR_* code.
 */
int node_take_boot_caps(uint64_t *ep_public, uint64_t *ep_sign);

#endif
