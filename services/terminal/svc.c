/*
 * svc list, svc restart NAME, svc kill NAME (see svc.h).
 */
#include "services/terminal/svc.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/service.h"
#include "services/axiom/svc.h"
#include "services/terminal/terminal.h"

/* The node's supervisor, attached at start-up (like the network service). */
static const struct shell_svc_backend *shell_svc;

void shell_svc_attach(const struct shell_svc_backend *b)
{
    shell_svc = b;
}

static int svc_list(struct term *t)
{
    struct shell_svc_row rows[SHELL_SVC_MAX];
    size_t n = 0;
    int err = shell_svc->list(shell_svc->ctx, rows, SHELL_SVC_MAX, &n);

    if (err != 0) {
        term_printf(t, "error: %s\n", zerr_text(err));
        return err;
    }
    term_printf(t, "%-12s %6s %-8s %8s  %s\n", "NAME", "PID", "STATE", "RESTARTS", "LAST EXIT");
    for (size_t i = 0; i < n; i++) {
        term_printf(t, "%-12s %6llu %-8s %8u  %s\n", rows[i].name, (unsigned long long)rows[i].pid,
                    rows[i].state, (unsigned)rows[i].restarts,
                    rows[i].last[0] != '\0' ? rows[i].last : "-");
    }
    return 0;
}

/* Commits the request as the acting principal, then lets the supervisor act. */
static int svc_request(struct term *t, uint8_t kind, const char *name)
{
    struct shell *sh = t->ctx;
    struct ax_action a;
    struct axiom_result res;
    static char out[512];
    char why[128] = "";
    size_t n = strlen(name);

    if (n == 0 || n > AX_SVC_NAME_MAX) {
        term_printf(t, "error: no service called '%s'\n", name);
        return ZERR_INVAL;
    }
    int err = shell_svc->prepare(shell_svc->ctx, name, why, sizeof(why));
    if (err != 0) {
        term_printf(t, "error: %s\n", why[0] != '\0' ? why : zerr_text(err));
        return err;
    }
    memset(&a, 0, sizeof(a));
    memset(&res, 0, sizeof(res));
    a.kind = kind;
    memcpy(a.proposer, sh->acting, sizeof(a.proposer));
    memcpy(a.name, name, n + 1);
    err = shell_report(t, axiom_submit(sh->rt, sh->self, sh->h_axiom, &a, &res), &res);
    if (err != 0) {
        return err;
    }
    out[0] = '\0';
    err = shell_svc->act(shell_svc->ctx, kind, name, out, sizeof(out));
    term_printf(t, "%s", out);
    if (err != 0) {
        term_printf(t, "error: %s\n", zerr_text(err));
    }
    return err;
}

int shell_cmd_svc(struct term *t, int argc, char **argv)
{
    if (shell_svc == NULL) {
        term_printf(t, "error: this node has no supervisor\n");
        return ZERR_UNSUPPORTED;
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        return svc_list(t);
    }
    if (argc == 3 && strcmp(argv[1], "restart") == 0) {
        return svc_request(t, AX_SVC_RESTART, argv[2]);
    }
    if (argc == 3 && strcmp(argv[1], "kill") == 0) {
        return svc_request(t, AX_SVC_KILL, argv[2]);
    }
    term_printf(t, "usage: svc list | svc restart NAME | svc kill NAME\n");
    return ZERR_INVAL;
}
