/*
 * The node's side of a measured boot (docs/boot.md): what init measured
 * (struct ax_boot, without its number) becomes the first entry the node
 * commits at this start, a `boot` entry numbered after the log's last boot.
 * Hosted and wasm have no boot manifest and record no boots.
 */
#ifndef ZERO_SERVICES_INIT_BOOT_ENTRY_H
#define ZERO_SERVICES_INIT_BOOT_ENTRY_H

#include <stddef.h>

#include "services/axiom/boot.h"
#include "services/init/node.h"

/* Sets the boot the next node_console_run records (NULL: none; b must outlive the run). */
void node_console_set_boot(const struct ax_boot *b);

/*
 * Commits boot b as the next entry of n's Axiom (b->number is ignored: the
 * next boot number).  0 with *seq, or ZERR_* with a reason in why.
 */
int node_record_boot(struct node *n, const struct ax_boot *b, uint64_t *seq, char *why,
                     size_t whycap);

/* In node_console_run: records the boot set by node_console_set_boot, with a console line. */
void node_console_record_boot(struct node *n);

#endif
