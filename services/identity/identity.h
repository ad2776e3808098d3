/*
 * Identity service: principals and their hierarchy.
 *
 * A principal is a node, a service, a user or an agent, named by a short
 * lower-case name and holding an Ed25519 public key.  Every principal except
 * the genesis node has a parent, the principal that issued it: a node issues
 * nodes, services and users; a user issues agents.  Creation, key rotation
 * and revocation are Axiom entries; this module holds the table that the
 * Axiom's state machine keeps and the rules each change must satisfy
 * (checked first, then performed, so a performed change cannot fail).
 *
 * The table is kept sorted by name (bytewise), so iteration order and the
 * canonical encoding never depend on insertion order.
 */
#ifndef ZERO_SERVICES_IDENTITY_H
#define ZERO_SERVICES_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"

#define ID_NAME_MAX 32
#define ID_MAX_PRINCIPALS 1024
#define ID_PUB_LEN 32

/* Principal kinds.  The numbers are part of the Axiom encoding: never renumber. */
enum id_kind {
    ID_KIND_NONE = 0, /* not a principal (a resource such as "policy") */
    ID_KIND_NODE = 1,
    ID_KIND_SERVICE = 2,
    ID_KIND_USER = 3,
    ID_KIND_AGENT = 4,
    ID_KIND_COUNT
};

struct id_principal {
    char name[ID_NAME_MAX + 1];
    char parent[ID_NAME_MAX + 1]; /* "" for the genesis node */
    uint8_t kind;                 /* enum id_kind */
    uint8_t revoked;              /* 1 once revoked (never reused) */
    uint32_t key_gen;             /* 0 at creation, +1 per rotation */
    uint8_t pub[ID_PUB_LEN];
    uint64_t created_seq;
    uint64_t proposals; /* number of the last signed proposal accepted (0: none) */
    uint8_t external;   /* 1: its private key is held outside the node */
};

struct id_table {
    uint32_t n;
    struct id_principal p[ID_MAX_PRINCIPALS];
};

/* True if s (n bytes) is a valid principal name: [a-z0-9][a-z0-9._-]{0,31}. */
bool id_name_valid(const char *s, size_t n);

/* Kind from its name ("user"); returns ID_KIND_NONE for an unknown name. */
uint8_t id_kind_parse(const char *s, size_t n);

/* Name of a kind ("user"), or "none". */
const char *id_kind_name(uint8_t kind);

/* True if a principal of kind parent may issue one of kind child. */
bool id_kind_may_issue(uint8_t parent, uint8_t child);

/* Empties t. */
void id_table_init(struct id_table *t);

/* Returns the principal called name, or NULL. */
const struct id_principal *id_find(const struct id_table *t, const char *name);

/*
 * Checks that parent may create name of kind with a key: returns 0, or
 * ZERR_INVAL (bad name or kind), ZERR_EXIST (name taken, even if revoked),
 * ZERR_NOENT (no parent), ZERR_PERM (parent revoked or may not issue that
 * kind), ZERR_FULL (table full).  parent "" is allowed only for the first
 * principal (genesis).
 */
int id_check_create(const struct id_table *t, const char *parent, const char *name, uint8_t kind);

/* Performs a create that id_check_create accepted. */
void id_do_create(struct id_table *t, const char *parent, const char *name, uint8_t kind,
                  const uint8_t pub[ID_PUB_LEN], uint64_t seq);

/* Checks a rotation or revocation of name: 0, ZERR_NOENT or ZERR_PERM (revoked). */
int id_check_live(const struct id_table *t, const char *name);

/* Records that name's signed proposal number n was accepted. */
void id_do_proposal(struct id_table *t, const char *name, uint64_t n);

/* Records whether name's current key is held outside the node. */
void id_set_external(struct id_table *t, const char *name, bool external);

/* Performs a checked rotation: new key, key_gen + 1. */
void id_do_rotate(struct id_table *t, const char *name, const uint8_t pub[ID_PUB_LEN]);

/*
 * Performs a checked revocation of name and of every principal it issued,
 * directly or not.  Returns the number of principals newly revoked.
 */
uint32_t id_do_revoke(struct id_table *t, const char *name);

/* True if anc is name itself or one of its issuers. */
bool id_descends_from(const struct id_table *t, const char *name, const char *anc);

/*
 * Appends the canonical encoding of one principal to e:
 * [name, parent, kind, revoked, key_gen, pub, created_seq], followed by
 * proposals in state format 2 and later (format: 1 or 2), and by true when
 * the key is external (only ever in format 2).  The table's
 * encoding is the array of its principals in name order.
 */
void id_encode_principal(const struct id_principal *p, unsigned format, cbor_enc *e);

#endif
