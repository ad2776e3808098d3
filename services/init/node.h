/*
 * A Zero OS node: the authority services of one disk, wired through the
 * service runtime.  The node owns no platform code: the caller opens the
 * block device (a file on hosted, virtio-blk on x86_64) and runs the
 * terminal.
 *
 * Capabilities handed out at start (badges in brackets):
 *   terminal -> identity, policy, axiom [propose, read]
 *   identity -> keys [public], axiom [propose, read]
 *   policy   -> axiom [propose, read]
 *   terminal -> fs; fs -> axiom [propose, read]
 *   axiom    -> keys [sign]
 * Only the Axiom may ask the key service for signatures.
 */
#ifndef ZERO_SERVICES_INIT_NODE_H
#define ZERO_SERVICES_INIT_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/service.h"
#include "services/fs/service.h"
#include "block/block.h"
#include "services/identity/service.h"
#include "services/keys/keys.h"
#include "services/policy/service.h"
#include "svcrt/runtime.h"
#include "services/terminal/shell.h"

/*
 * A key service outside the node's process (x86_64: its own process).  The
 * node registers handle as the key service, hands the root secret to start
 * once (and wipes its own copy), and calls stop at the end.
 */
struct node_keys_remote {
    void *self;
    rt_handler handle;
    int (*start)(void *self, const uint8_t root[KEYS_SECRET_LEN]);
    void (*stop)(void *self);
    /* A sealed key slot (NULL: none can be opened): hands the slot to the
     * key service and returns once it has been unlocked there (the
     * passphrase comes by another way), or a ZERR_* code. */
    int (*start_sealed)(void *self, const uint8_t *slot, const uint8_t node_pub[KEYS_PUB_LEN]);
};

struct node_jobs;
struct jobs_svc;

struct node {
    struct blk *dev;
    const struct node_keys_remote *keys_remote; /* NULL: the key service is n->keys */
    struct rt rt;
    struct keys keys;
    struct axiom_svc axiom;
    struct idsvc ident;
    struct polsvc policy;
    struct shell shell;
    struct fssvc fs;
    uint32_t sid_keys, sid_axiom, sid_ident, sid_policy, sid_term, sid_fs;
    uint32_t h_axiom_keys; /* the Axiom's capability to the key service */
    bool formatted;        /* this start formatted the disk */
    bool sealed;           /* the key slot is sealed under a passphrase */
    struct ax_recovery rec;
    struct node_jobs *jobs; /* the jobs service and its store (node_jobs.c); NULL: none */
};

/* Starts the jobs service over the disk's CAS region, or does nothing where
 * the node has no jobs; 0 or a ZERR_* code with why.  node_jobs_stop undoes it. */
int node_jobs_start(struct node *n, const struct ax_layout *lay, char *why, size_t whycap);
void node_jobs_stop(struct node *n);
/* Once the filesystem is open: lets the jobs service place outputs, and
 * re-drives the placements of jobs committed past its cursor. */
void node_jobs_drive(struct node *n);
/* The jobs service of n (tests), or NULL where the node runs no jobs. */
struct jobs_svc *node_jobs_svc(struct node *n);

/*
 * Starts the node on dev: formats it first if it is blank (a fresh root
 * secret from platform entropy, genesis for node_name), then opens the
 * Axiom (recovery) and wires the services.  Returns 0 or a ZERR_* code
 * with a reason in why.
 */
int node_start(struct node *n, struct blk *dev, const char *node_name, char *why, size_t whycap);

/* node_start with the key service behind kr instead of in this process. */
int node_start_remote_keys(struct node *n, struct blk *dev, const char *node_name,
                           const struct node_keys_remote *kr, char *why, size_t whycap);

#define NODE_PASS_MAX KEYSLOT_PASS_MAX

/*
 * The operator's passphrase, for a sealed key slot (docs/identity.md).
 * ask writes it into buf (at most cap bytes, not NUL-terminated) and
 * returns its length, or a negative ZERR_* when there is none; is_new says
 * it is a new passphrase (for a blank disk formatted sealed), which an
 * interactive ask confirms by asking twice.
 */
struct node_unlock {
    long (*ask)(void *ctx, bool is_new, char *buf, size_t cap);
    void *ctx;
    bool seal_new;                 /* format a blank disk with a sealed key slot */
    const struct keyslot_kdf *kdf; /* for seal_new; NULL: the defaults */
};

/*
 * node_start_remote_keys that opens a sealed key slot with u->ask (u may
 * be NULL: then a sealed slot is refused with ZERR_PERM).  A wrong
 * passphrase is ZERR_BADSIG and changes nothing on the disk.
 */
int node_start_unlock(struct node *n, struct blk *dev, const char *node_name,
                      const struct node_keys_remote *kr, const struct node_unlock *u, char *why,
                      size_t whycap);

/*
 * The terminal's check of the operator's passphrase (struct shell's
 * check_pass, ctx a started node): opens the sealed key slot with it.
 * Returns 0, ZERR_BADSIG for a wrong one, ZERR_UNSUPPORTED when the slot
 * is not sealed, ZERR_PERM when it is and pass is NULL (services/init/login.c).
 */
int node_check_passphrase(void *ctx, const char *pass, size_t len);

/* Stops the services and wipes key material. */
void node_stop(struct node *n);

/*
 * Runs a node on dev (opened by the caller; disk_label names it in the
 * banner) with the terminal on the console until "exit" or the end of
 * input; returns the exit status (2 if the node cannot start).  kr: the key
 * service outside this process, or NULL.
 */
int node_console_run(struct blk *dev, const char *disk_label, const char *node_name,
                     const struct node_keys_remote *kr);

/*
 * Runs a node on a blank in-memory disk of disk_bytes with the terminal on
 * the console until "exit" or the end of input; returns the exit status
 * (2 if the node cannot start, e.g. without an entropy source).
 */
int node_console_main(uint64_t disk_bytes, const char *node_name);

#endif
