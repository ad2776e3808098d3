#include "services/init/node.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ct.h"

/* The Axiom's signer: a capability-checked call to the key service. */
static int node_sign(void *ctx, const char *name, uint32_t gen, const void *msg, size_t len,
                     uint8_t sig[AX_SIG_LEN])
{
    struct node *n = ctx;
    static uint8_t in[4 + KEYS_NAME_FIELD + 4 + KEYS_MSG_MAX];
    size_t in_len;
    int err = keys_req_encode(KEYS_OP_SIGN, name, gen, msg, len, in, sizeof(in), &in_len);
    struct rt_msg m = {KEYS_OP_SIGN, in, in_len, sig, AX_SIG_LEN, 0};

    err = err != 0 ? err : rt_call(&n->rt, n->sid_axiom, n->h_axiom_keys, &m);
    return err == 0 && m.out_len != AX_SIG_LEN ? ZERR_CORRUPT : err;
}

/* Nobody calls the terminal: it is the top of the call graph. */
static int node_term_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    (void)m;
    return ZERR_UNSUPPORTED;
}

/* Asks u for the passphrase into pass; returns its length or ZERR_PERM. */
static long node_ask(const struct node_unlock *u, bool is_new, char pass[NODE_PASS_MAX])
{
    long len =
        u != NULL && u->ask != NULL ? u->ask(u->ctx, is_new, pass, NODE_PASS_MAX) : ZERR_PERM;
    return len <= 0 || len > (long)NODE_PASS_MAX ? ZERR_PERM : len;
}

/* Formats a blank disk (sealed if u says so) and keeps its root secret. */
static int node_format(struct node *n, const char *node_name, const struct node_unlock *u,
                       uint8_t root[KEYS_SECRET_LEN], char *why, size_t whycap)
{
    uint8_t disk_id[KEYS_SECRET_LEN];
    char pass[NODE_PASS_MAX];
    long pass_len = 0;
    int err = keys_make_root(root);

    if (err == 0) {
        err = keys_make_root(disk_id);
    }
    if (err == 0 && u != NULL && u->seal_new) {
        pass_len = node_ask(u, true, pass);
        err = pass_len < 0 ? (int)pass_len : 0;
    }
    if (err == 0) {
        err = ax_format_sealed(n->dev, root, disk_id, node_name, pass_len ? pass : NULL,
                               (size_t)pass_len, u != NULL ? u->kdf : NULL);
    }
    secure_zero(pass, sizeof(pass));
    n->formatted = err == 0;
    n->sealed = err == 0 && pass_len > 0;
    if (err != 0) {
        zfmt_snprintf(why, whycap, "cannot format the disk: %s", zerr_text(err));
    }
    return err;
}

/* Reads the root secret from the key slot, asking for the passphrase when
 * it is sealed. */
static int node_open_slot(struct node *n, const struct ax_layout *lay, const struct node_unlock *u,
                          uint8_t root[KEYS_SECRET_LEN], bool *started, char *why, size_t whycap)
{
    struct blk *dev = n->dev;
    uint8_t slot[KEYSLOT_LEN];
    char pass[NODE_PASS_MAX];
    long pass_len = 0;
    int err = ax_read_keyslot(dev, lay, slot);

    n->sealed = err == 0 && keyslot_check(slot, lay->node_pub) == KEYSLOT_PASSPHRASE;
    const struct node_keys_remote *kr = n->keys_remote;
    if (n->sealed && (u == NULL || u->ask == NULL) && kr != NULL && kr->start_sealed != NULL) {
        err = kr->start_sealed(kr->self, slot, lay->node_pub); /* unlocked in the key process */
        *started = err == 0;
        goto wipe_pass;
    }
    if (n->sealed) {
        pass_len = node_ask(u, false, pass);
        err = pass_len < 0 ? (int)pass_len : 0;
    }
    if (err != 0) {
        goto wipe_pass;
    }
    err = keyslot_open(slot, pass, (size_t)pass_len, root);
wipe_pass:
    secure_zero(pass, sizeof(pass));
    secure_zero(slot, sizeof(slot));
    if (err == ZERR_PERM) {
        zfmt_snprintf(why, whycap, "%s", "the key slot is sealed: a passphrase is needed");
    } else if (err == ZERR_BADSIG) {
        zfmt_snprintf(why, whycap, "%s", "wrong passphrase (or the sealed key slot was altered)");
    } else if (err == ZERR_CORRUPT) {
        zfmt_snprintf(why, whycap, "%s", "key slot damaged");
    } else if (err != 0) {
        zfmt_snprintf(why, whycap, "cannot open the key slot: %s", zerr_text(err));
    }
    return err;
}

/* Registers the services; returns 0 or the first error. */
static int node_register(struct node *n)
{
    int ids[6];

    rt_init(&n->rt);
    if (n->keys_remote != NULL) {
        ids[0] = rt_register(&n->rt, "keys", n->keys_remote->self, n->keys_remote->handle);
    } else {
        ids[0] = rt_register(&n->rt, "keys", &n->keys, keys_handle);
    }
    ids[1] = rt_register(&n->rt, "axiom", &n->axiom, axiom_handle);
    ids[2] = rt_register(&n->rt, "identity", &n->ident, idsvc_handle);
    ids[3] = rt_register(&n->rt, "policy", &n->policy, polsvc_handle);
    ids[4] = rt_register(&n->rt, "terminal", &n->shell, node_term_handle);
    ids[5] = rt_register(&n->rt, "fs", &n->fs, fssvc_handle);
    for (int i = 0; i < 6; i++) {
        if (ids[i] < 0) {
            return ids[i];
        }
    }
    n->sid_keys = (uint32_t)ids[0];
    n->sid_axiom = (uint32_t)ids[1];
    n->sid_ident = (uint32_t)ids[2];
    n->sid_policy = (uint32_t)ids[3];
    n->sid_term = (uint32_t)ids[4];
    n->sid_fs = (uint32_t)ids[5];
    return 0;
}

/* Derives one endpoint capability; stores the client's handle. */
static int node_grant(struct node *n, uint32_t server, uint32_t client, uint64_t badge,
                      uint32_t *handle)
{
    int h = rt_grant(&n->rt, server, client, CAP_RIGHT_WRITE, badge);

    if (h < 0) {
        return h;
    }
    *handle = (uint32_t)h;
    return 0;
}

static int node_wire(struct node *n)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    /* server, client, badge, where the client keeps its handle (docs/services.md) */
    const struct {
        uint32_t server, client;
        uint64_t badge;
        uint32_t *handle;
    } grants[] = {
        {n->sid_keys, n->sid_axiom, KEYS_BADGE_SIGN, &n->h_axiom_keys},
        {n->sid_keys, n->sid_ident, KEYS_BADGE_PUBLIC, &n->ident.h_keys},
        {n->sid_axiom, n->sid_ident, rw, &n->ident.h_axiom},
        {n->sid_axiom, n->sid_policy, rw, &n->policy.h_axiom},
        {n->sid_ident, n->sid_term, 0, &n->shell.h_ident},
        {n->sid_policy, n->sid_term, 0, &n->shell.h_policy},
        {n->sid_axiom, n->sid_term, rw, &n->shell.h_axiom},
        {n->sid_axiom, n->sid_fs, rw, &n->fs.h_axiom},
        {n->sid_fs, n->sid_term, 0, &n->shell.h_fs},
    };

    for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        int err =
            node_grant(n, grants[i].server, grants[i].client, grants[i].badge, grants[i].handle);
        if (err != 0) {
            return err;
        }
    }
    n->ident.rt = &n->rt;
    n->ident.self = n->sid_ident;
    n->policy.rt = &n->rt;
    n->policy.self = n->sid_policy;
    n->shell.rt = &n->rt;
    n->shell.self = n->sid_term;
    n->fs.rt = &n->rt;
    n->fs.self = n->sid_fs;
    n->shell.check_pass = node_check_passphrase;
    n->shell.pass_ctx = n;
    return 0;
}

/* Starts the key service with the root secret, in this process or behind keys_remote. */
static int node_keys_start(struct node *n, const uint8_t root[KEYS_SECRET_LEN])
{
    if (n->keys_remote != NULL) {
        return n->keys_remote->start(n->keys_remote->self, root);
    }
    keys_init(&n->keys, root);
    return 0;
}

static void node_keys_stop(struct node *n)
{
    if (n->keys_remote != NULL) {
        n->keys_remote->stop(n->keys_remote->self);
    } else {
        keys_wipe(&n->keys);
    }
}

int node_start(struct node *n, struct blk *dev, const char *node_name, char *why, size_t whycap)
{
    return node_start_remote_keys(n, dev, node_name, NULL, why, whycap);
}

int node_start_remote_keys(struct node *n, struct blk *dev, const char *node_name,
                           const struct node_keys_remote *kr, char *why, size_t whycap)
{
    return node_start_unlock(n, dev, node_name, kr, NULL, why, whycap);
}

int node_start_unlock(struct node *n, struct blk *dev, const char *node_name,
                      const struct node_keys_remote *kr, const struct node_unlock *u, char *why,
                      size_t whycap)
{
    struct ax_layout lay;
    uint8_t root[KEYS_SECRET_LEN];
    bool started = false;
    int err;

    memset(n, 0, sizeof(*n));
    n->dev = dev;
    n->keys_remote = kr;
    err = ax_read_super(dev, &lay, NULL, why, whycap);
    if (err == ZERR_NOENT) {
        err = node_format(n, node_name, u, root, why, whycap);
        if (err == 0) {
            err = ax_read_super(dev, &lay, NULL, why, whycap);
        }
    } else if (err == 0) {
        err = node_open_slot(n, &lay, u, root, &started, why, whycap);
    }
    if (err != 0) {
        secure_zero(root, sizeof(root));
        return err;
    }
    err = started ? 0 : node_keys_start(n, root);
    secure_zero(root, sizeof(root));
    if (err != 0) {
        zfmt_snprintf(why, whycap, "cannot start the key service: %s", zerr_text(err));
        return err;
    }
    err = node_register(n);
    if (err == 0) {
        err = node_wire(n);
    }
    if (err != 0) {
        zfmt_snprintf(why, whycap, "cannot wire the services: %s", zerr_text(err));
        node_keys_stop(n);
        return err;
    }
    n->axiom.dev = dev;
    err = axiom_open(&n->axiom.ax, dev, node_sign, n, &n->rec);
    if (err != 0) {
        zfmt_snprintf(why, whycap, "%s", n->rec.why);
        node_keys_stop(n);
        return err;
    }
    err = node_jobs_start(n, &lay, why, whycap);
    if (err == 0) {
        /* the filesystem's own region: the CAS region holds the jobs' store */
        err = fssvc_open(&n->fs, dev, lay.fs_off, lay.fs_len);
        err = err == ZERR_NOMEM ? 0 : err; /* a node without memory for files still starts */
        node_jobs_drive(n);
        if (err != 0) {
            zfmt_snprintf(why, whycap, "cannot open the file store: %s", zerr_text(err));
            node_jobs_stop(n);
        }
    }
    if (err != 0) {
        axiom_close(&n->axiom.ax);
        node_keys_stop(n);
        return err;
    }
    memcpy(n->shell.acting, n->axiom.ax.st->node, sizeof(n->shell.acting));
    return 0;
}

void node_stop(struct node *n)
{
    fssvc_close(&n->fs);
    node_jobs_stop(n);
    axiom_close(&n->axiom.ax);
    node_keys_stop(n);
}
