/*
 * The Zero OS command set of the terminal: identities, policy, the Axiom.
 * Commands reach the services only through capabilities in the terminal's
 * own capability space (service runtime), never by calling them directly.
 */
#ifndef ZERO_SERVICES_TERMINAL_SHELL_H
#define ZERO_SERVICES_TERMINAL_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/service.h"
#include "services/identity/identity.h"
#include "services/identity/login.h"
#include "svcrt/runtime.h"
#include "services/terminal/terminal.h"

struct shell {
    struct rt *rt;
    uint32_t self;     /* the terminal's service id */
    uint32_t h_ident;  /* capability to the identity service */
    uint32_t h_policy; /* capability to the policy service */
    uint32_t h_axiom;  /* capability to the Axiom (read) */
    uint32_t h_jobs;   /* capability to the jobs service, if has_jobs */
    bool has_jobs;
    uint32_t h_fs;                /* capability to the filesystem service */
    char acting[ID_NAME_MAX + 1]; /* principal commands act as ("": nobody) */
    /* log-in (services/terminal/login.c): the challenge outstanding, for whom */
    uint8_t challenge[ID_CHALLENGE_LEN];
    char challenge_for[ID_NAME_MAX + 1]; /* "": none outstanding */
    /* Checks the node operator's passphrase against the sealed key slot:
     * 0, ZERR_BADSIG, ZERR_UNSUPPORTED when the slot is not sealed, ZERR_PERM
     * when it is and pass is NULL (so callers can ask before prompting).
     * NULL: the embedding system has no passphrase to check. */
    int (*check_pass)(void *ctx, const char *pass, size_t len);
    void *pass_ctx;
};

/* Prints "committed #SEQ HASH", "denied: REASON" or "error: REASON" for
 * the outcome err of a state change; returns err. */
int shell_report(struct term *t, int err, const struct axiom_result *res);

/*
 * Answers the log-in challenge outstanding for name with sighex (128 hex
 * digits: the signature of services/identity/login.h's message), as typed
 * `login NAME SIGNATURE` does, for an answer that came from outside the
 * console (zero-hosted --listen, the x86_64 COM2 server).  The console
 * prints the outcome, which why also gets (one line, no newline: "logged
 * in as NAME", "denied: ...", "error: ...").  0, or the refusal's code.
 * The caller keeps the console's commands out meanwhile.
 */
int shell_login_answer(struct term *t, const char *name, const char *sighex, char *why, size_t cap);

/* The command table to hand to term_init, with a struct shell as ctx. */
extern const struct term_cmd shell_cmds[];
extern const size_t shell_ncmds;

#endif
