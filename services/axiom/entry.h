/*
 * Axiom entries and checkpoints: what an entry records (a proposal, the
 * policy decision, the state root after it), and their deterministic CBOR
 * encoding (docs/formats.md).
 */
#ifndef ZERO_SERVICES_AXIOM_ENTRY_H
#define ZERO_SERVICES_AXIOM_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/fs/fs.h"
#include "cbor/cbor.h"
#include "services/identity/identity.h"
#include "services/policy/policy.h"

#define AX_HASH_LEN 32
#define AX_SIG_LEN 64
#define AX_NOTE_MAX 1024
#define AX_ENTRY_MAX 2048    /* largest encoded entry */
#define AX_SVC_REASON_MAX 63 /* svc.hold's reason */
#define AX_VERSION 1
/* Entry format written by this code: 2 adds signed-proposal numbers
 * (docs/formats.md); version-1 entries are still read. */
#define AX_ENTRY_VERSION 2

/* Action kinds.  The numbers are internal; the encoding uses the names. */
enum ax_kind {
    AX_GENESIS = 1,
    AX_ID_CREATE,
    AX_ID_ROTATE,
    AX_ID_REVOKE,
    AX_POLICY_ADD,
    AX_POLICY_REMOVE,
    AX_NOTE,
    AX_JOB_RESULT,
    AX_BOOT,   /* services/axiom/boot.h */
    AX_FS_PUT, /* the filesystem's kinds: services/axiom/fs.c, docs/formats.md */
    AX_FS_MKDIR,
    AX_FS_RM,
    AX_FS_RMDIR,
    AX_FS_MV,
    AX_FS_QUOTA,
    AX_ACT_AS,      /* the console acts as another principal (act_as.c) */
    AX_NET_CONNECT, /* net.connect, net.listen, net.accept: services/axiom/net.h */
    AX_NET_LISTEN,
    AX_NET_ACCEPT,
    AX_SVC_START, /* svc.start, svc.exit, svc.hold, svc.restart, svc.kill: services/axiom/svc.h */
    AX_SVC_EXIT,
    AX_SVC_HOLD,
    AX_SVC_RESTART,
    AX_SVC_KILL,
    AX_PROC_SPAWN, /* proc.spawn, proc.exit, cap.grant, cap.revoke: services/axiom/proc.h */
    AX_PROC_EXIT,
    AX_CAP_GRANT,
    AX_CAP_REVOKE,
    AX_KIND_END
};

/* A proposal: who wants which state transition. */
struct ax_action {
    uint8_t kind; /* enum ax_kind */
    char proposer[ID_NAME_MAX + 1];
    /* id.create, id.rotate, id.revoke, genesis, act_as (the principal acted as) */
    char name[ID_NAME_MAX + 1];
    uint8_t id_kind;
    uint8_t pub[ID_PUB_LEN];
    /* id.create, id.rotate: the key is held outside the node (format 2) */
    bool external;
    /* policy.add, policy.remove */
    uint8_t effect;
    uint32_t rule_id;
    char rule[POLICY_TEXT_MAX + 1];
    /* net.connect, net.accept: the remote end (ip in host order); net.listen,
     * net.accept: our port (services/axiom/net.h) */
    struct ax_net_end {
        uint32_t ip;
        uint16_t port, local_port;
    } net;
    /* job.result: the spec hash, the program and fuel limit it names (what
     * policy decides on), and the result's bytes in data/data_len */
    uint8_t job_spec[AX_HASH_LEN];
    uint8_t job_program[AX_HASH_LEN];
    uint64_t job_fuel;
    /* fs.*: paths (from and, for fs.mv, to), content hash and size (fs.put),
     * mode (fs.put, fs.mkdir), owner and limit (fs.quota; owner in name) */
    struct {
        char path[FS_PATH_MAX + 1];
        char to[FS_PATH_MAX + 1];
        uint8_t hash[CAS_HASH];
        uint64_t size;
        uint32_t mode;
    } fs;
    /* svc.*: the service in name; its process, the delay before a start,
     * how it ended, the reason of a hold (services/axiom/svc.h) */
    struct ax_svc_fields {
        uint64_t pid, delay_ms, status, fault_addr;
        uint32_t fault_kind;
        uint8_t how;
        char reason[AX_SVC_REASON_MAX + 1];
    } svc;
    /* proc.spawn: image, its name, the principal it runs as (as), limits
     * (frames, threads, slots), parent process; proc.exit: process id, how,
     * code; cap.grant, cap.revoke: process id, object, rights */
    struct ax_proc_fields {
        uint8_t image[AX_HASH_LEN];
        char image_name[ID_NAME_MAX + 1];
        char as[ID_NAME_MAX + 1];
        uint64_t limit[3];
        uint64_t parent;
        uint64_t id;
        uint8_t how;
        uint32_t code;
        char object[ID_NAME_MAX + 1];
        uint32_t rights;
    } proc;
    /* note, job.result, boot (the encoded payload): points into caller memory (or into the decoded
     * buffer) */
    const uint8_t *data;
    size_t data_len;
    /* a proposal from outside the node carries its proposer's signature */
    bool has_sig;
    uint8_t sig[AX_SIG_LEN];
    /* and, in entry format 2, the proposer's next signed-proposal number
     * (1, 2, ...), which the signature covers: a replay is refused */
    bool has_nonce;
    uint64_t nonce;
    /* entry format it is (to be) written in: 1 or 2; 0 when proposing (the
     * sequencer writes AX_ENTRY_VERSION) */
    uint8_t format;
};

struct ax_entry {
    uint64_t seq;
    uint8_t prev[AX_HASH_LEN];
    struct ax_action a;
    struct policy_decision dec;
    uint8_t state_root[AX_HASH_LEN];
};

struct ax_checkpoint {
    uint64_t batch;
    uint64_t size; /* entries in the log: last seq + 1 */
    uint8_t head[AX_HASH_LEN];
    uint8_t state_root[AX_HASH_LEN];
    uint8_t tree_root[AX_HASH_LEN];
    uint8_t sig[AX_SIG_LEN];
};

/* job.result's payload (services/axiom/job.c): encode, decode (after the
 * map head), and the shape check of a proposal. */
void ax_job_put_payload(cbor_enc *e, const struct ax_action *a);
int ax_job_decode_payload(cbor_dec *d, struct ax_action *a);
int ax_job_check(const struct ax_action *a);

/* Name of an action kind ("id.create"), or "?" */
const char *ax_kind_name(uint8_t kind);

/* Encodes e; returns 0 with *len, or ZERR_FULL / ZERR_INVAL. */
int ax_entry_encode(const struct ax_entry *e, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decodes one canonical entry occupying exactly len bytes.  Returns 0, or
 * ZERR_NONCANONICAL / ZERR_CORRUPT / ZERR_TRUNCATED / ZERR_INVAL.  A note's
 * data points into buf.
 */
int ax_entry_decode(const uint8_t *buf, size_t len, struct ax_entry *out);

/* The bytes a proposer signs: "Zero OS proposal v1" NUL, CBOR [proposer, action, payload];
 * with a proposal number, "Zero OS proposal v2" NUL, CBOR [proposer, action, payload, number]. */
int ax_proposal_message(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len);

/*
 * A signed proposal as it travels from outside the node (docs/formats.md):
 * CBOR {0: 1, 1: proposer, 2: action, 3: payload, 4: number, 5: signature}.
 * Encode needs a->has_sig and a->has_nonce.  Decode accepts exactly one
 * canonical encoding and fills a (a note's data points into buf); returns
 * 0 or ZERR_NONCANONICAL / ZERR_CORRUPT / ZERR_TRUNCATED / ZERR_INVAL.
 */
#define AX_PROPOSAL_MAX 1400
int ax_proposal_encode(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len);
int ax_proposal_decode(const uint8_t *buf, size_t len, struct ax_action *a);

/* The entry format a is (to be) written in: a->format, or AX_ENTRY_VERSION when 0. */
unsigned ax_action_format(const struct ax_action *a);

int ax_checkpoint_encode(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len);
int ax_checkpoint_decode(const uint8_t *buf, size_t len, struct ax_checkpoint *out);

/* The bytes the node signs: "Zero OS checkpoint v1" NUL, then the checkpoint without its signature.
 */
int ax_checkpoint_message(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len);

#endif
