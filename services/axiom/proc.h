/*
 * Processes and capabilities as Axiom entries (docs/formats.md, "Process
 * and capability entries"; docs/axiom.md, "Processes"):
 *
 *   proc.spawn  {0: image hash, 1: image name, 2: principal it runs as,
 *                3: frames, 4: threads, 5: slots, 6: parent process}
 *   proc.exit   {0: process, 1: how (0 exit, 1 fault, 2 killed), 2: code}
 *   cap.grant   {0: process, 1: object, 2: rights}
 *   cap.revoke  {0: process, 1: object, 2: rights}
 *
 * A process is numbered by the state: the n-th proc.spawn applied creates
 * process n.  The state keeps the live processes (number and principal)
 * and, under root keys 12 and 13, counts and chained hashes of the
 * entries.  Payload codec, checks, policy request and perform live here,
 * hooked into entry.c and state.c by one call each.
 */
#ifndef ZERO_SERVICES_AXIOM_PROC_H
#define ZERO_SERVICES_AXIOM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/axiom/entry.h"

#define AX_PROC_ROOT_KEY 12
#define AX_CAP_ROOT_KEY 13
#define AX_PROCS_LIVE 64        /* live processes the state tracks */
#define AX_IMAGE_NAME_MAX 24    /* so that "image:NAME" fits a policy word */
#define AX_PROC_RESOURCE_MAX 40 /* "image:" and the name */
#define AX_PROC_PAYLOAD_MAX 192 /* largest payload map of these kinds */

enum ax_proc_how { AX_PROC_EXITED = 0, AX_PROC_FAULTED = 1, AX_PROC_KILLED = 2 };

/* The processes' part of the state (struct ax_state.procs). */
struct ax_procs {
    uint64_t spawned, exited, grants, revokes;
    uint8_t procs_hash[AX_HASH_LEN];
    uint8_t caps_hash[AX_HASH_LEN];
    uint32_t nlive;
    struct ax_proc_live {
        uint64_t id;
        char as[ID_NAME_MAX + 1];
    } live[AX_PROCS_LIVE]; /* in ascending id order */
};

/* True for proc.spawn, proc.exit, cap.grant, cap.revoke. */
bool ax_proc_kind(uint8_t kind);

/* Fills a (zeroed first) as a proc.spawn by proposer.  0 or ZERR_INVAL. */
int ax_proc_spawn_action(struct ax_action *a, const char *proposer, const uint8_t image[32],
                         const char *image_name, const char *as, const uint64_t limit[3],
                         uint64_t parent);

/* Fills a as a proc.exit of process id.  0 or ZERR_INVAL. */
int ax_proc_exit_action(struct ax_action *a, const char *proposer, uint64_t id, uint8_t how,
                        uint32_t code);

/* Fills a as a cap.grant or cap.revoke (kind) on process id.  0 or ZERR_INVAL. */
int ax_cap_action(struct ax_action *a, uint8_t kind, const char *proposer, uint64_t id,
                  const char *object, uint32_t rights);

/* The payload map of one of these entries; its decoder, the map of n keys read. */
void ax_proc_put_payload(cbor_enc *e, const struct ax_action *a);
int ax_proc_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n);

/* 0 if the fields of a are in range (names, limits, how, rights), else ZERR_INVAL. */
int ax_proc_check(const struct ax_action *a);

/* One line for the log: "echo as alice (frames 64 ...)", "process 3 exited 0". */
void ax_proc_describe(const struct ax_action *a, char *out, size_t cap);

#endif
