/*
 * What the boot manifest grants, enforced by init (docs/boot.md, "What
 * the manifest grants"): each program is spawned with a kernel quota of
 * the manifest's memory and thread limits (SYS_SPAWN_LIMITED), and init
 * hands a program a capability only if the program's manifest entry names
 * it.  A development boot (no manifest) is not limited.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_GRANT_H
#define ZERO_SERVICES_INIT_X86_64_GRANT_H

#include <stdint.h>

#include "services/init/x86_64/boot_plan.h"

/* Notes that prog (of plan p) is the program about to be spawned in its role. */
void grant_bind(const struct boot_plan *p, const struct mf_program *prog);

/*
 * Spawns the program bound to role from module with its manifest limits,
 * and remembers ep as its endpoint (a restart: the same entry, its new
 * set-up endpoint).  Thread capability or ZERR_*.
 */
int64_t grant_spawn(uint64_t module, uint64_t role, uint64_t ep, uint64_t ntfn);

/*
 * 0 if the program whose endpoint is ep may receive what the GIVE_* op
 * (with arg: the slot of GIVE_SLOT) hands over, or ZERR_PERM with a
 * console line naming the capability its manifest entry does not list.
 */
int64_t grant_check(uint64_t ep, uint64_t op, uint64_t arg);

/* The manifest's name of what op/arg hands over ("console", "axiom", ...), or NULL. */
const char *grant_cap_name(uint64_t op, uint64_t arg);

#endif
