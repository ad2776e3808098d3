/*
 * zero-forge: the log builder and the command line (forge.h).
 *
 *     zero-forge cases DIR            one file per case and output, and a
 *                                     manifest line each on stdout:
 *                                     FILE VERDICT [ENTRIES HEAD ROOT TORN]
 *     zero-forge fuzz DIR SEED COUNT  COUNT mutants of the valid logs
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"
#include "services/axiom/internal/disk.h"
#include "services/axiom/internal/log.h"
#include "tests/tools/forge.h"

static const uint8_t fg_root[KEYS_SECRET_LEN] = {
    0x5a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

/* A forging step that cannot be taken is a bug of the case: stop loudly. */
static void fg_die(const char *what)
{
    fprintf(stderr, "zero-forge: %s\n", what);
    exit(3);
}

void fg_init(struct forge *f)
{
    memset(f, 0, sizeof(*f));
    keys_init(&f->keys, fg_root);
    f->st = malloc(sizeof(*f->st));
    ax_layout_for(FG_DISK, &f->lay);
    f->lay.seg_size = 0; /* format 1: the log fills its region, byte for byte as forged */
    f->log = calloc(1, (size_t)f->lay.log_len);
    if (f->st == NULL || f->log == NULL) {
        fg_die("out of memory");
    }
    ax_state_init(f->st);
    ax_merkle_init(&f->tree);
    memset(f->lay.disk_id, 0x42, sizeof(f->lay.disk_id));
    (void)keys_public(&f->keys, FG_NODE, 0, f->lay.node_pub);
    memcpy(f->ok_root, f->st->root, AX_HASH_LEN);
}

void fg_free(struct forge *f)
{
    keys_wipe(&f->keys);
    free(f->st);
    free(f->log);
}

static uint32_t fg_node_gen(const struct forge *f)
{
    const struct id_principal *node = id_find(&f->st->ids, FG_NODE);

    return node != NULL ? node->key_gen : 0;
}

void fg_record(struct forge *f, uint8_t type, uint64_t batch, uint64_t seq, const uint8_t *p,
               size_t n)
{
    size_t off = f->end + f->open;

    f->last = off;
    if (axlog_put(f->log, (size_t)f->lay.log_len, &off, type, batch, seq, p, n) != 0) {
        fg_die("the log region is full");
    }
    f->open = off - f->end;
}

/* Signs a's proposal as o says. */
static void fg_sign(struct forge *f, struct ax_action *a, const struct fg_opt *o)
{
    const struct id_principal *p = id_find(&f->st->ids, a->proposer);
    uint8_t msg[AX_ENTRY_MAX];
    size_t len = 0;

    a->has_sig = true;
    if (a->format >= 2 && !o->no_number) {
        a->has_nonce = true;
        a->nonce = o->number != 0 ? o->number : (p != NULL ? p->proposals : 0) + 1;
    }
    if (ax_proposal_message(a, msg, sizeof(msg), &len) != 0 ||
        keys_sign(&f->keys, o->signer, o->gen, msg, len, a->sig) != 0) {
        fg_die("cannot sign a proposal");
    }
    if (o->flip_sig) {
        a->sig[0] ^= 1;
    }
}

void fg_put(struct forge *f, struct ax_action a, const struct fg_opt *o)
{
    static const struct fg_opt none;
    struct ax_entry e;
    struct policy_decision d;
    uint8_t buf[AX_ENTRY_MAX + 64];
    size_t len = 0;

    o = o != NULL ? o : &none;
    if (f->count == 0 && f->open == 0) {
        f->gen0 = fg_node_gen(f); /* the key in effect when the batch begins */
    }
    a.format = o->format != 0 ? o->format : AX_ENTRY_VERSION;
    if (o->signer != NULL) {
        fg_sign(f, &a, o);
    }
    memset(&e, 0, sizeof(e));
    e.seq = f->seq + (uint64_t)o->seq_delta;
    memcpy(e.prev, f->head, AX_HASH_LEN);
    e.prev[0] ^= o->bad_prev ? 1 : 0;
    e.a = a;
    bool decided = ax_state_decide(f->st, &a, &d, NULL, 0) == 0;
    if (!decided) {
        d.allow = 1; /* the case breaks a rule: record it as if it held */
        d.rule = o->rule != 0 ? (uint32_t)o->rule : a.kind == AX_GENESIS ? 0 : 1;
    }
    d.rule = (uint32_t)((int)d.rule + o->rule_delta);
    d.allow = o->record_deny ? 0 : d.allow;
    e.dec = d;
    /* Perform is defined only on decided actions (it asserts what decide
     * checked); an entry that breaks a rule records the state it left alone,
     * and a verifier must refuse it at the decision, before any state root. */
    if (decided) {
        ax_state_perform(f->st, &a);
    }
    memcpy(e.state_root, f->st->root, AX_HASH_LEN);
    e.state_root[0] ^= o->bad_root ? 1 : 0;
    if (ax_entry_encode(&e, buf, sizeof(buf), &len) != 0) {
        fg_die("an entry does not encode");
    }
    if (o->edit != NULL) {
        o->edit(buf, &len, sizeof(buf));
    }
    fg_record(f, AXLOG_ENTRY, f->batch, f->seq, buf, len);
    f->count++;
    blake3_hash(buf, len, f->head);
    ax_merkle_append(&f->tree, f->head);
    f->seq++;
}

void fg_seal(struct forge *f, const struct fg_cpopt *o)
{
    static const struct fg_cpopt none;
    struct ax_checkpoint c;
    uint8_t msg[AXLOG_CP_MAX + 32];
    uint8_t buf[AXLOG_CP_MAX];
    size_t mlen = 0;
    size_t len = 0;

    o = o != NULL ? o : &none;
    if (f->count == 0 && f->open == 0) {
        f->gen0 = fg_node_gen(f);
    }
    memset(&c, 0, sizeof(c));
    c.batch = f->batch;
    c.size = f->seq;
    memcpy(c.head, f->head, AX_HASH_LEN);
    memcpy(c.state_root, f->st->root, AX_HASH_LEN);
    ax_merkle_root(&f->tree, c.tree_root);
    if (o->edit != NULL) {
        o->edit(&c);
    }
    if (ax_checkpoint_message(&c, msg, sizeof(msg), &mlen) != 0 ||
        keys_sign(&f->keys, o->sign_name != NULL ? o->sign_name : FG_NODE,
                  o->set_gen ? o->gen : f->gen0, msg, mlen, c.sig) != 0 ||
        ax_checkpoint_encode(&c, buf, sizeof(buf), &len) != 0) {
        fg_die("cannot make a checkpoint");
    }
    c.sig[0] ^= o->flip_sig ? 1 : 0;
    if (o->flip_sig) {
        (void)ax_checkpoint_encode(&c, buf, sizeof(buf), &len);
    }
    fg_record(f, AXLOG_CHECKPOINT, f->batch, c.size, buf, len);
    f->end += (f->open + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR;
    f->open = 0;
    f->count = 0;
    f->batch++;
    if (!f->kept) {
        f->good = f->end;
        f->ok_entries = f->seq;
        memcpy(f->ok_head, f->head, AX_HASH_LEN);
        memcpy(f->ok_root, f->st->root, AX_HASH_LEN);
    }
}

void fg_keep(struct forge *f)
{
    f->kept = true;
}

void fg_raw(struct forge *f, size_t at, const uint8_t *p, size_t n)
{
    if (f->end + at + n > f->lay.log_len) {
        fg_die("raw bytes past the log region");
    }
    memcpy(f->log + f->end + at, p, n);
}

void fg_rec_resum(struct forge *f, size_t rec)
{
    uint8_t *h = f->log + rec;
    uint32_t n = axlog_get32(h + 8);
    blake3_hasher b;

    n = n > AX_ENTRY_MAX ? AX_ENTRY_MAX : n;
    blake3_init(&b);
    blake3_update(&b, h, 32);
    blake3_update(&b, h + AXLOG_HEADER, n);
    blake3_finalize(&b, h + 32, AXLOG_SUM_LEN);
}

void fg_rec_xor(struct forge *f, size_t rec, size_t at, uint8_t xor, bool resum)
{
    f->log[rec + at] ^= xor;
    if (resum) {
        fg_rec_resum(f, rec);
    }
}

/* ---- actions ---- */

static struct ax_action fg_act(uint8_t kind, const char *by)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = kind;
    zfmt_snprintf(a.proposer, sizeof(a.proposer), "%s", by);
    return a;
}

struct ax_action fg_genesis(struct forge *f, const char *name)
{
    struct ax_action a = fg_act(AX_GENESIS, name);

    zfmt_snprintf(a.name, sizeof(a.name), "%s", name);
    a.id_kind = ID_KIND_NODE;
    (void)keys_public(&f->keys, name, 0, a.pub);
    return a;
}

struct ax_action fg_create(struct forge *f, const char *by, const char *name, uint8_t kind)
{
    struct ax_action a = fg_act(AX_ID_CREATE, by);

    zfmt_snprintf(a.name, sizeof(a.name), "%s", name);
    a.id_kind = kind;
    (void)keys_public(&f->keys, name, 0, a.pub);
    return a;
}

struct ax_action fg_rotate(struct forge *f, const char *by, const char *name, uint32_t gen)
{
    struct ax_action a = fg_act(AX_ID_ROTATE, by);

    zfmt_snprintf(a.name, sizeof(a.name), "%s", name);
    (void)keys_public(&f->keys, name, gen, a.pub);
    return a;
}

struct ax_action fg_revoke(const char *by, const char *name)
{
    struct ax_action a = fg_act(AX_ID_REVOKE, by);

    zfmt_snprintf(a.name, sizeof(a.name), "%s", name);
    return a;
}

struct ax_action fg_add(const char *by, uint8_t effect, const char *rule)
{
    struct ax_action a = fg_act(AX_POLICY_ADD, by);

    a.effect = effect;
    zfmt_snprintf(a.rule, sizeof(a.rule), "%s", rule);
    return a;
}

struct ax_action fg_remove(const char *by, uint32_t id)
{
    struct ax_action a = fg_act(AX_POLICY_REMOVE, by);

    a.rule_id = id;
    return a;
}

struct ax_action fg_note(const char *by, const char *text)
{
    struct ax_action a = fg_act(AX_NOTE, by);

    a.data = (const uint8_t *)text;
    a.data_len = strlen(text);
    return a;
}

/*
 * Batch 0: genesis of root.  Batch 1: users alice and bob, service svc,
 * rules #2 "allow kind:user note *" and #3 "allow svc note *".  Batch 2:
 * notes by alice and svc, rule #4 (users issue their own agents), alice
 * issues agent bot.
 */
void fg_base(struct forge *f)
{
    fg_put(f, fg_genesis(f, FG_NODE), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_create(f, FG_NODE, "alice", ID_KIND_USER), NULL);
    fg_put(f, fg_create(f, FG_NODE, "bob", ID_KIND_USER), NULL);
    fg_put(f, fg_create(f, FG_NODE, "svc", ID_KIND_SERVICE), NULL);
    fg_put(f, fg_add(FG_NODE, POLICY_ALLOW, "kind:user note *"), NULL);
    fg_put(f, fg_add(FG_NODE, POLICY_ALLOW, "svc note *"), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_note("alice", "hello"), NULL);
    fg_put(f, fg_note("svc", "from a service"), NULL);
    fg_put(f,
           fg_add(FG_NODE, POLICY_ALLOW,
                  "kind:user id.create * if resource.kind == agent and resource.parent == "
                  "proposer"),
           NULL);
    fg_put(f, fg_create(f, "alice", "bot", ID_KIND_AGENT), NULL);
    fg_seal(f, NULL);
}

/* ---- images ---- */

size_t fg_export_image(const struct forge *f, uint8_t *img)
{
    ax_export_header(img, f->end);
    memcpy(img + AX_EXPORT_HEADER, f->log, f->end);
    return AX_EXPORT_HEADER + f->end;
}

size_t fg_disk_image(const struct forge *f, uint8_t *img)
{
    memset(img, 0, FG_DISK);
    ax_super_encode(&f->lay, img);
    ax_keyslot_encode(fg_root, f->lay.node_pub, img + f->lay.keyslot_off);
    memcpy(img + f->lay.log_off, f->log, (size_t)f->lay.log_len);
    return FG_DISK;
}

void fg_reseal(uint8_t *block)
{
    blake3_hash(block, 480, block + 480);
}

/* ---- command line ---- */

static void fg_write(const char *path, const uint8_t *p, size_t n)
{
    FILE *out = fopen(path, "wb");

    if (out == NULL || fwrite(p, 1, n, out) != n || fclose(out) != 0) {
        fg_die("cannot write a case");
    }
}

/* Bytes of torn tail a verifier reports after the sealed batches of a disk. */
static size_t fg_torn(const struct forge *f)
{
    size_t rest = (size_t)f->lay.log_len - f->good;
    size_t lim = rest < AX_MAX_BATCH ? rest : AX_MAX_BATCH;

    while (lim > 0 && f->log[f->good + lim - 1] == 0) {
        lim--;
    }
    return lim;
}

static void fg_emit(const struct fg_case *c, uint8_t out, const char *dir, uint8_t *img)
{
    struct forge f;
    char path[512], head[65], root[65];
    size_t len;

    fg_init(&f);
    c->build(&f);
    len = out == FG_OUT_EXPORT ? fg_export_image(&f, img) : fg_disk_image(&f, img);
    if (c->edit != NULL) {
        c->edit(img, &len);
    }
    zfmt_snprintf(path, sizeof(path), "%s/%s.%s", dir, c->name,
                  out == FG_OUT_EXPORT ? "export" : "disk");
    fg_write(path, img, len);
    printf("%s %s", path, strcmp(c->verdict, "torn") == 0 ? "accept" : c->verdict);
    if (strcmp(c->verdict, "accept") == 0 || strcmp(c->verdict, "torn") == 0) {
        zfmt_hex(head, f.ok_head, AX_HASH_LEN);
        zfmt_hex(root, f.ok_root, AX_HASH_LEN);
        printf(" %llu %s %s %llu", (unsigned long long)f.ok_entries, head, root,
               (unsigned long long)(out == FG_OUT_DISK ? fg_torn(&f) : 0));
    }
    printf("\n");
    fg_free(&f);
}

int main(int argc, char **argv)
{
    uint8_t *img = malloc(FG_IMAGE_CAP);

    if (img == NULL) {
        fg_die("out of memory");
    }
    if (argc == 3 && strcmp(argv[1], "cases") == 0) {
        for (size_t i = 0; i < fg_ncases; i++) {
            for (unsigned out = FG_OUT_EXPORT; out <= FG_OUT_DISK; out++) {
                if ((fg_cases[i].outs & out) != 0) {
                    fg_emit(&fg_cases[i], (uint8_t)out, argv[2], img);
                }
            }
        }
        free(img);
        return 0;
    }
    free(img);
    if (argc == 5 && strcmp(argv[1], "fuzz") == 0) {
        return fg_fuzz(argv[2], strtoull(argv[3], NULL, 0), (unsigned)strtoul(argv[4], NULL, 0));
    }
    fprintf(stderr, "usage: zero-forge cases DIR | zero-forge fuzz DIR SEED COUNT\n");
    return 2;
}
