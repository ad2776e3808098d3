/*
 * init's boot plan (docs/boot.md, "The boot manifest"): before it starts
 * anything, init reads the boot manifest module, checks its signature
 * under the release key built into init and the BLAKE3 hash of the kernel
 * and of every image, and orders the programs by their dependencies.  A
 * program starts only if its image matched and every dependency started;
 * each refusal and each start is one console line.  A boot without a
 * manifest module (qemu -kernel -initrd: a development boot) runs every
 * program from module 0, unverified, says so, and records no boot entry
 * (it is a test harness's start, not a boot of an image).  What init measured goes
 * to the node as a boot record, which the node commits as a `boot` entry.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_BOOT_PLAN_H
#define ZERO_SERVICES_INIT_X86_64_BOOT_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "services/axiom/boot.h"
#include "services/init/manifest/manifest.h"

struct boot_plan {
    bool measured; /* a manifest module was there (false: development boot) */
    bool trusted;  /* its signature verified under the release key */
    struct mf_manifest m;
    int32_t module[MF_PROGRAMS_MAX]; /* boot module of each program's image, or ZERR_* */
    bool started[MF_PROGRAMS_MAX];
    struct ax_boot rec;   /* what the node records: hashes of what init started */
    int64_t record_frame; /* init's capability to the frame holding rec, or ZERR_* */
};

struct init_roles;

/*
 * Loads and checks the manifest and every image (console lines say what
 * failed).  Returns 0 if programs may start, or ZERR_BADSIG / ZERR_CORRUPT
 * when the manifest itself cannot be trusted (then nothing starts).
 */
int boot_plan_load(struct boot_plan *p, const struct init_roles *roles);

/*
 * Whether the program of role (spawn argument) is restarted when it ends:
 * its manifest entry's restart=yes|no, or on a development boot init's own
 * choice (plan_dev).  False for a role the plan does not list.
 */
bool boot_plan_restartable(const struct boot_plan *p, uint64_t role);

/* The k-th program to start (dependencies first), or NULL after the last. */
const struct mf_program *boot_plan_next(const struct boot_plan *p, uint32_t k);

/* The boot module to spawn prog from, or ZERR_PERM with a console line saying why not. */
int64_t boot_plan_module(const struct boot_plan *p, const struct mf_program *prog);

/* Notes that prog started as thread th (ZERO_CAP_NONE: init itself, pid 1): one
 * boot-log line, and its image in the record. */
void boot_plan_started(struct boot_plan *p, const struct mf_program *prog, uint64_t th);

/*
 * A read-only frame capability holding p's boot record with prog (the node,
 * about to start) as its last image, for the node, or
 * ZERR_*; boot_plan_end frees the frame once the node is gone.
 * boot_record_take reads it back in the node (0 or ZERR_*).
 */
int64_t boot_plan_record_cap(struct boot_plan *p, const struct mf_program *prog);
void boot_plan_end(struct boot_plan *p);
int boot_record_take(uint64_t cap, struct ax_boot *out);

#endif
