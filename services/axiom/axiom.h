/*
 * The Axiom: one totally ordered, append-only, hash-chained log, and the
 * control-plane state that is a pure function of it.
 *
 * Execution proposes; the Policy Engine authorizes; the Axiom commits.
 * axiom_propose() checks a proposal against the current state and policy,
 * and if allowed applies it and appends the entry to the open batch;
 * axiom_seal/axiom_write/axiom_complete make the batch durable with one
 * write and one flush (group commit) and close it with a checkpoint signed
 * by the node key.  Nothing is acknowledged before that flush returns.
 *
 * Byte layouts (entries, checkpoints, records, superblock, key slot) are in
 * docs/formats.md; the state machine and the verification rules in
 * docs/axiom.md.
 */
#ifndef ZERO_SERVICES_AXIOM_H
#define ZERO_SERVICES_AXIOM_H

/* One header per part; a caller may include just the part it uses. */
#include "services/axiom/entry.h"     /* entries, checkpoints, their encoding */
#include "services/axiom/log.h"       /* disk layout, replay, verification, export */
#include "services/axiom/merkle.h"    /* the Merkle tree and its proofs */
#include "services/axiom/receipt.h"   /* receipts and consistency proofs */
#include "services/axiom/sequencer.h" /* propose, seal, write, complete */
#include "services/axiom/state.h"     /* the state machine: decide, perform, apply */

#endif
