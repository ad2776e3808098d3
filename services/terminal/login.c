/*
 * Who the console acts as (docs/identity.md, "Logging in at the console"):
 * login proves a principal with the node operator's passphrase (keys the
 * node derives) or a signature over a fresh challenge (keys held outside),
 * and `as` acts as another principal through an act_as entry, which the
 * policy allows or not and the log records.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "hal/hal.h"
#include "services/terminal/internal/shell.h"

#define LOGIN_PASS_MAX 1024

static void login_as(struct term *t, const char *name)
{
    struct shell *sh = shell_of(t);

    memcpy(sh->acting, name, strlen(name) + 1);
    sh->challenge_for[0] = '\0';
    term_printf(t, "logged in as %s\n", name);
}

/* Reads the principal to log in as into p: it exists and is not revoked;
 * otherwise why says why (a line without "denied:") and the code is returned. */
static int login_target(struct term *t, const char *name, struct id_principal *p, char *why,
                        size_t cap)
{
    struct shell *sh = shell_of(t);
    int err = axiom_get_principal(sh->rt, sh->self, sh->h_axiom, name, p);

    if (err == ZERR_NOENT) {
        zfmt_snprintf(why, cap, "denied: no principal %s", name);
        return ZERR_NOPRINCIPAL;
    }
    if (err != 0) {
        zfmt_snprintf(why, cap, "error: the Axiom is not reachable: %s", zerr_text(err));
        return err;
    }
    if (p->revoked) {
        zfmt_snprintf(why, cap, "denied: principal %s is revoked", name);
        return ZERR_PERM;
    }
    return 0;
}

/* A principal whose key the node derives: the operator's passphrase proves it. */
static int login_passphrase(struct term *t, const char *name)
{
    struct shell *sh = shell_of(t);
    static char pass[LOGIN_PASS_MAX];

    if (sh->check_pass == NULL) {
        term_printf(t, "denied: this console has no operator passphrase to check\n");
        return ZERR_PERM;
    }
    /* Without a passphrase the check says whether the slot is sealed at all. */
    int err = sh->check_pass(sh->pass_ctx, NULL, 0);
    if (err == ZERR_PERM) {
        long len = term_read_secret(t, "passphrase: ", pass, sizeof(pass));
        err = len > 0 ? sh->check_pass(sh->pass_ctx, pass, (size_t)len) : ZERR_INVAL;
        secure_zero(pass, sizeof(pass));
    }
    if (err == 0) {
        login_as(t, name);
    } else if (err == ZERR_UNSUPPORTED) {
        term_printf(t,
                    "denied: the key slot is not sealed, so there is no passphrase to log in "
                    "as %s with (zero key seal)\n",
                    name);
    } else if (err == ZERR_BADSIG || err == ZERR_INVAL) {
        term_printf(t, "denied: wrong passphrase\n");
    } else {
        term_printf(t, "error: cannot check the passphrase: %s\n", zerr_text(err));
    }
    return err == ZERR_INVAL ? ZERR_BADSIG : err;
}

/* A principal holding its own key: a fresh challenge, signed outside. */
static int login_challenge(struct term *t, const char *name)
{
    struct shell *sh = shell_of(t);
    char hex[2 * ID_CHALLENGE_LEN + 1];

    if (hal_entropy(sh->challenge, sizeof(sh->challenge)) != 0) {
        term_printf(t, "error: no entropy for a challenge\n");
        return ZERR_IO;
    }
    memcpy(sh->challenge_for, name, strlen(name) + 1);
    zfmt_hex(hex, sh->challenge, ID_CHALLENGE_LEN);
    term_printf(t, "challenge %s\n", hex);
    term_printf(t, "sign it with: zero login --key FILE %s %s\n", name, hex);
    term_printf(
        t, "then type: login %s SIGNATURE (or send it: zero login --key FILE --submit SOCKET)\n",
        name);
    return 0;
}

/* Checks the answer to the challenge outstanding for p (one answer per
 * challenge) and logs in on success; why gets the outcome's line. */
static int login_answer(struct term *t, const struct id_principal *p, const char *sighex, char *why,
                        size_t cap)
{
    struct shell *sh = shell_of(t);
    uint8_t sig[ED25519_SIG_LEN];
    uint8_t msg[ID_LOGIN_MSG_MAX];
    bool pending = strcmp(sh->challenge_for, p->name) == 0;

    sh->challenge_for[0] = '\0';
    if (!pending) {
        zfmt_snprintf(why, cap, "denied: no challenge outstanding for %s (type: login %s)", p->name,
                      p->name);
        return ZERR_PERM;
    }
    size_t len = id_login_message(p->name, sh->challenge, msg);
    if (strlen(sighex) != 2 * ED25519_SIG_LEN ||
        zfmt_unhex(sig, sizeof(sig), sighex, strlen(sighex)) != 0 || len == 0 ||
        ed25519_verify(sig, msg, len, p->pub) != 0) {
        zfmt_snprintf(why, cap, "denied: bad signature of %s over the challenge", p->name);
        return ZERR_BADSIG;
    }
    memcpy(sh->acting, p->name, strlen(p->name) + 1);
    zfmt_snprintf(why, cap, "logged in as %s", p->name);
    return 0;
}

int shell_login_answer(struct term *t, const char *name, const char *sighex, char *why, size_t cap)
{
    struct id_principal p;
    int err = ZERR_INVAL;

    if (!id_name_valid(name, strlen(name))) {
        zfmt_snprintf(why, cap, "error: invalid principal name");
    } else if ((err = login_target(t, name, &p, why, cap)) == 0 && !p.external) {
        zfmt_snprintf(why, cap, "denied: %s has no key of its own: log in at the console", name);
        err = ZERR_PERM;
    } else if (err == 0) {
        err = login_answer(t, &p, sighex, why, cap);
    }
    term_printf(t, "%s\n", why); /* the console sees every answer, wherever it came from */
    return err;
}

int shell_cmd_login(struct term *t, int argc, char **argv)
{
    char name[ID_NAME_MAX + 1];
    char why[160];

    if (argc != 2 && argc != 3) {
        return shell_usage(t, "login NAME [SIGNATURE]");
    }
    if (!shell_copy_name(t, name, argv[1])) {
        return ZERR_INVAL;
    }
    if (argc == 3) {
        return shell_login_answer(t, name, argv[2], why, sizeof(why));
    }
    struct id_principal p;
    int err = login_target(t, name, &p, why, sizeof(why));
    if (err != 0) {
        term_printf(t, "%s\n", why);
        return err == ZERR_PERM ? ZERR_NOPRINCIPAL : err;
    }
    return p.external ? login_challenge(t, name) : login_passphrase(t, name);
}

int shell_cmd_logout(struct term *t, int argc, char **argv)
{
    struct shell *sh = shell_of(t);

    (void)argv;
    if (argc != 1) {
        return shell_usage(t, "logout");
    }
    sh->acting[0] = '\0';
    sh->challenge_for[0] = '\0';
    term_printf(t, "logged out\n");
    return 0;
}

int shell_cmd_whoami(struct term *t, int argc, char **argv)
{
    const char *who = shell_of(t)->acting;

    (void)argc;
    (void)argv;
    term_printf(t, "%s\n", who[0] != '\0' ? who : "nobody (login NAME)");
    return 0;
}

/* Commits the act_as entry: the principal acting proposes to act as name. */
static int shell_act_as(struct term *t, const char *name)
{
    struct shell *sh = shell_of(t);
    struct ax_action a;
    struct axiom_result res;

    memset(&a, 0, sizeof(a));
    memset(&res, 0, sizeof(res));
    a.kind = AX_ACT_AS;
    memcpy(a.proposer, sh->acting, sizeof(a.proposer));
    memcpy(a.name, name, strlen(name) + 1);
    int err = axiom_submit(sh->rt, sh->self, sh->h_axiom, &a, &res);
    return err == 0 ? 0 : shell_report(t, err, &res);
}

int shell_cmd_as(struct term *t, int argc, char **argv)
{
    struct shell *sh = shell_of(t);
    char saved[ID_NAME_MAX + 1];
    char name[ID_NAME_MAX + 1];

    if (argc < 3) {
        return shell_usage(t, "as PRINCIPAL COMMAND...");
    }
    if (!shell_copy_name(t, name, argv[1])) {
        return ZERR_INVAL;
    }
    const struct term_cmd *cmd = NULL;
    for (size_t i = 0; i < shell_ncmds && cmd == NULL; i++) {
        cmd = strcmp(argv[2], shell_cmds[i].name) == 0 ? &shell_cmds[i] : NULL;
    }
    if (cmd == NULL || cmd->run == shell_cmd_as || cmd->run == shell_cmd_login ||
        cmd->run == shell_cmd_logout) {
        term_printf(t, "error: '%s' cannot run under as\n", argv[2]);
        return ZERR_NOENT;
    }
    int err = shell_act_as(t, name);
    if (err != 0) {
        return err;
    }
    memcpy(saved, sh->acting, sizeof(saved));
    memcpy(sh->acting, name, sizeof(name));
    err = cmd->run(t, argc - 2, argv + 2);
    memcpy(sh->acting, saved, sizeof(saved));
    return err;
}
