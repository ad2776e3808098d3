/*
 * Policy Engine: default deny, rules as data.
 *
 * A rule is one line of a small declarative language (grammar in
 * docs/policy.md):
 *
 *     PRINCIPAL ACTION RESOURCE [if COND {and COND}]
 *
 * with an effect (allow or deny) and an id given when the rule entered the
 * Axiom.  Evaluation looks at every rule once, in id order: a matching deny
 * rule decides "deny"; otherwise the first matching allow rule decides
 * "allow"; otherwise the default rule 0 denies.  Evaluation has no loops
 * over unbounded data, reads no clock and no randomness, and always names
 * the rule that decided.
 */
#ifndef ZERO_SERVICES_POLICY_H
#define ZERO_SERVICES_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/identity/identity.h"

#define POLICY_MAX_RULES 256
#define POLICY_TEXT_MAX 255
#define POLICY_MAX_CONDS 4
#define POLICY_WORD_MAX 32
#define POLICY_DEFAULT_RULE 0u

enum policy_effect { POLICY_DENY = 0, POLICY_ALLOW = 1 };

enum policy_pat_kind {
    POLICY_PAT_ANY = 0,    /* "*" */
    POLICY_PAT_EXACT = 1,  /* "alice", "id.create", "/etc/motd" (resources) */
    POLICY_PAT_PREFIX = 2, /* "svc-*", "id.*", "/home/alice/" then "*" (resources) */
    POLICY_PAT_KIND = 3,   /* "kind:user" (principals only) */
};

struct policy_pat {
    uint8_t kind;    /* enum policy_pat_kind */
    uint8_t id_kind; /* for POLICY_PAT_KIND */
    char s[POLICY_WORD_MAX + 1];
};

enum policy_attr {
    POLICY_ATTR_PROPOSER_KIND = 0,
    POLICY_ATTR_PROPOSER_PARENT = 1,
    POLICY_ATTR_RESOURCE = 2,
    POLICY_ATTR_RESOURCE_KIND = 3,
    POLICY_ATTR_RESOURCE_PARENT = 4,
    POLICY_ATTR_RESOURCE_UNDER = 5, /* the resource is VALUE or was issued under it */
    POLICY_ATTR_PROGRAM = 6,        /* job.result: the program's content hash (64 hex) */
    POLICY_ATTR_FUEL = 7,           /* job.result: the fuel limit, compared with "<=" */
    POLICY_ATTR_LIMIT_FRAMES = 8,   /* proc.spawn: the limits asked for, compared with "<=" */
    POLICY_ATTR_LIMIT_THREADS = 9,
    POLICY_ATTR_LIMIT_SLOTS = 10,
    POLICY_ATTR_IMAGE = 11,  /* proc.spawn: the image hash starts with VALUE (8-64 hex digits) */
    POLICY_ATTR_AS = 12,     /* proc.*, cap.*: the principal the process runs as */
    POLICY_ATTR_RIGHTS = 13, /* cap.*: the rights are within mask N ("<=": a subset) */
};

struct policy_cond {
    uint8_t attr;        /* enum policy_attr */
    uint8_t negate;      /* "!=" */
    uint8_t is_proposer; /* value is the word "proposer": the proposer's name */
    uint8_t id_kind;     /* value of a .kind attribute */
    char value[POLICY_WORD_MAX + 1];
    uint8_t hash[32]; /* program: the hash; image: the prefix */
    uint8_t hex_len;  /* image: hex digits in the prefix */
    uint64_t num;     /* fuel, limit.*, rights: the bound */
};

struct policy_rule {
    uint32_t id;
    uint8_t effect; /* enum policy_effect */
    uint8_t ncond;
    struct policy_pat principal, action, resource;
    struct policy_cond cond[POLICY_MAX_CONDS];
    char text[POLICY_TEXT_MAX + 1]; /* normalised source: words joined by one space */
};

struct policy_set {
    uint32_t n;
    uint32_t next_id;
    struct policy_rule r[POLICY_MAX_RULES]; /* in ascending id order */
};

/* Who or what takes part in a request.  kind ID_KIND_NONE: not a principal. */
#define POLICY_CHAIN_MAX 16

struct policy_subject {
    const char *name;
    uint8_t kind;
    const char *parent; /* "" if none */
    /* Its issuers, nearest first (parent, grandparent, ...), at most
     * POLICY_CHAIN_MAX of them: what "resource.under" looks at. */
    const char *issuers[POLICY_CHAIN_MAX];
    uint8_t nissuers;
};

struct policy_request {
    struct policy_subject proposer;
    const char *action; /* "id.create" */
    struct policy_subject resource;
    /* job.result only: the program's hash (NULL otherwise) and the fuel limit */
    const uint8_t *program;
    uint64_t fuel;
    /* proc.spawn, proc.exit, cap.*: the process's principal (NULL otherwise);
     * proc.spawn: its image hash (NULL otherwise) and limits (frames,
     * threads, slots); cap.*: the rights (has_rights) */
    const char *run_as;
    const uint8_t *image;
    uint64_t limit[3];
    bool has_rights;
    uint32_t rights;
};

struct policy_decision {
    uint8_t allow;
    uint32_t rule; /* the rule that decided; POLICY_DEFAULT_RULE for the default deny */
};

/*
 * Parses rule text (len bytes, words separated by blanks) into *out with
 * the given effect; out->id is left 0.  Returns 0, or ZERR_INVAL with a
 * one-line reason in err (errcap bytes), or ZERR_LIMIT if the text is too
 * long or has too many conditions.
 */
int policy_parse(const char *text, size_t len, uint8_t effect, struct policy_rule *out, char *err,
                 size_t errcap);

/* Empties s; the first rule added gets id 1. */
void policy_set_init(struct policy_set *s);

/* 0 if a rule can be added, ZERR_FULL otherwise. */
int policy_check_add(const struct policy_set *s);

/* Adds a parsed rule under the next id; returns that id.  Must be checked first. */
uint32_t policy_do_add(struct policy_set *s, const struct policy_rule *r);

/* 0 if rule id exists, ZERR_NOENT otherwise. */
int policy_check_remove(const struct policy_set *s, uint32_t id);

/* Removes rule id (checked first). */
void policy_do_remove(struct policy_set *s, uint32_t id);

/* Returns rule id, or NULL. */
const struct policy_rule *policy_find(const struct policy_set *s, uint32_t id);

/* Decides rq under s.  Total and deterministic. */
void policy_eval(const struct policy_set *s, const struct policy_request *rq,
                 struct policy_decision *d);

/*
 * Decides rq as s would after removing rule `without` (0: none) and adding
 * `with` (NULL: none) under the next id: the preview a policy change is
 * checked with.
 */
void policy_eval_with(const struct policy_set *s, uint32_t without, const struct policy_rule *with,
                      const struct policy_request *rq, struct policy_decision *d);

/*
 * Canonical encoding of one rule: [id, effect, text].  The set's encoding is
 * [next_id, [rule, ...]] in id order.  A rule's parsed form is a function of
 * its text, so the text suffices.
 */
void policy_encode_rule(const struct policy_rule *r, cbor_enc *e);

/* "allow" or "deny". */
const char *policy_effect_name(uint8_t effect);

#endif
