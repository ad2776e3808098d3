/*
 * The forged cases: for each rule docs/formats.md states, a log or disk
 * that breaks it alone, and controls that break nothing.  Verdicts are the
 * documents' (forge.h says how to add one).
 */
#include <string.h>

#include "services/axiom/internal/disk.h"
#include "services/axiom/internal/log.h"
#include "tests/tools/forge.h"

#define KIB 1024u

/* A case that appends one entry (action, options) to the base log in a new batch. */
#define ONE(fn, action, ...)                   \
    static void fn(struct forge *f)            \
    {                                          \
        const struct fg_opt o = {__VA_ARGS__}; \
        fg_base(f);                            \
        fg_put(f, action, &o);                 \
        fg_seal(f, NULL);                      \
    }

/* A case that appends a valid entry first, then one entry as above. */
#define TWO(fn, first, action, ...)            \
    static void fn(struct forge *f)            \
    {                                          \
        const struct fg_opt o = {__VA_ARGS__}; \
        fg_base(f);                            \
        fg_put(f, first, NULL);                \
        fg_put(f, action, &o);                 \
        fg_seal(f, NULL);                      \
    }

/* ---- boot entries (docs/axiom.md, "Boots") ---- */

static uint8_t boot_payloads[4][AX_BOOT_PAYLOAD_MAX];

/* by's record of boot number (payload in slot; a development boot when dev). */
static struct ax_action fg_boot(const char *by, uint64_t number, unsigned slot, bool dev)
{
    struct ax_boot b;
    struct ax_action a;
    const char *names[3] = {"init", "keys", "node"};

    memset(&b, 0, sizeof(b));
    b.number = number;
    b.cpus = 2;
    memset(b.kernel, dev ? 0 : 0x4b, sizeof(b.kernel));
    memset(b.manifest, dev ? 0 : 0x6d, sizeof(b.manifest));
    b.nimages = 3;
    for (uint32_t i = 0; i < 3; i++) {
        memcpy(b.images[i].name, names[i], strlen(names[i]) + 1);
        memset(b.images[i].hash, (int)(i + slot + 1), 32);
    }
    int err = ax_boot_action(&b, by, boot_payloads[slot], sizeof(boot_payloads[slot]), &a);
    if (err != 0) {
        memset(&a, 0, sizeof(a));
    }
    return a;
}

static void c_boots(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_boot(FG_NODE, 1, 0, false), NULL);
    fg_put(f, fg_note("alice", "between boots"), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_boot(FG_NODE, 2, 1, true), NULL);
    fg_seal(f, NULL);
}

static void c_boot_number_skipped(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_boot(FG_NODE, 2, 0, false), NULL);
    fg_seal(f, NULL);
}

static void c_boot_number_repeated(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_boot(FG_NODE, 1, 0, false), NULL);
    fg_put(f, fg_boot(FG_NODE, 1, 1, false), NULL);
    fg_seal(f, NULL);
}

static void c_boot_by_user(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_boot("alice", 1, 0, false), NULL);
    fg_seal(f, NULL);
}

static void c_boot_signed(struct forge *f)
{
    const struct fg_opt o = {.signer = FG_NODE};

    fg_base(f);
    fg_put(f, fg_boot(FG_NODE, 1, 0, false), &o);
    fg_seal(f, NULL);
}

/* ---- service entries (docs/formats.md, "Service entries") ---- */

static struct ax_action fg_svc(uint8_t kind, const char *by, const char *name, uint64_t pid)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = kind;
    memcpy(a.proposer, by, strlen(by) + 1);
    memcpy(a.name, name, strlen(name) + 1);
    a.svc.pid = pid;
    a.svc.how = AX_SVC_FAULTED;
    a.svc.fault_kind = 14;
    a.svc.fault_addr = 0x1000;
    a.svc.delay_ms = 100;
    memcpy(a.svc.reason, "5 restarts in 60 s", 19);
    return a;
}

/* terminal started as pid 5, and (held) ended and held when the flag says. */
static void fg_svc_base(struct forge *f, bool held)
{
    fg_base(f);
    fg_put(f, fg_svc(AX_SVC_START, FG_NODE, "terminal", 5), NULL);
    fg_put(f, fg_svc(AX_SVC_START, FG_NODE, "axiom", 2), NULL);
    if (held) {
        fg_put(f, fg_svc(AX_SVC_EXIT, FG_NODE, "terminal", 5), NULL);
        fg_put(f, fg_svc(AX_SVC_HOLD, FG_NODE, "terminal", 0), NULL);
    }
}

static void c_svc_life(struct forge *f)
{
    fg_svc_base(f, true);
    fg_put(f, fg_svc(AX_SVC_RESTART, FG_NODE, "terminal", 0), NULL);
    fg_put(f, fg_svc(AX_SVC_START, FG_NODE, "terminal", 8), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_svc(AX_SVC_KILL, FG_NODE, "terminal", 0), NULL);
    fg_put(f, fg_svc(AX_SVC_EXIT, FG_NODE, "terminal", 8), NULL);
    fg_put(f, fg_svc(AX_SVC_START, FG_NODE, "terminal", 9), NULL);
    fg_seal(f, NULL);
}

static void c_svc_exit_wrong_pid(struct forge *f)
{
    fg_svc_base(f, false);
    fg_put(f, fg_svc(AX_SVC_EXIT, FG_NODE, "terminal", 6), NULL);
    fg_seal(f, NULL);
}

static void c_svc_start_held(struct forge *f)
{
    fg_svc_base(f, true);
    fg_put(f, fg_svc(AX_SVC_START, FG_NODE, "terminal", 8), NULL);
    fg_seal(f, NULL);
}

static void c_svc_start_by_user(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_svc(AX_SVC_START, "alice", "terminal", 5), NULL);
    fg_seal(f, NULL);
}

static void c_svc_hold_running(struct forge *f)
{
    fg_svc_base(f, false);
    fg_put(f, fg_svc(AX_SVC_HOLD, FG_NODE, "terminal", 0), NULL);
    fg_seal(f, NULL);
}

static void c_svc_kill_unknown(struct forge *f)
{
    fg_svc_base(f, false);
    fg_put(f, fg_svc(AX_SVC_KILL, FG_NODE, "fs", 0), NULL);
    fg_seal(f, NULL);
}

/* ---- controls ---- */

static void c_base(struct forge *f)
{
    fg_base(f);
}

static void c_genesis_only(struct forge *f)
{
    fg_put(f, fg_genesis(f, FG_NODE), NULL);
    fg_seal(f, NULL);
}

static void c_signed(struct forge *f)
{
    const struct fg_opt alice = {.signer = "alice"};
    const struct fg_opt svc = {.signer = "svc"};
    const struct fg_opt root = {.signer = FG_NODE};

    fg_base(f);
    fg_put(f, fg_note("alice", "signed 1"), &alice);
    fg_put(f, fg_note("alice", "signed 2"), &alice);
    fg_seal(f, NULL);
    fg_put(f, fg_note("svc", "signed"), &svc);
    fg_put(f, fg_note(FG_NODE, "signed by the node"), &root);
    fg_seal(f, NULL);
}

/* The genesis batch is signed by the key genesis installs, even when a
 * rotation of it follows in the same batch. */
static void c_genesis_batch_rotation(struct forge *f)
{
    fg_put(f, fg_genesis(f, FG_NODE), NULL);
    fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_note(FG_NODE, "after"), NULL);
    fg_seal(f, NULL);
}

static void c_genesis_batch_signed_by_rotation(struct forge *f)
{
    const struct fg_cpopt cp = {.set_gen = true, .gen = 1};

    fg_put(f, fg_genesis(f, FG_NODE), NULL);
    fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
    fg_seal(f, &cp);
}

static void c_rotation_next_batch(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_note(FG_NODE, "under the new key"), NULL);
    fg_seal(f, NULL);
}

static void c_rotation_batch_signed_by_new_key(struct forge *f)
{
    const struct fg_cpopt cp = {.set_gen = true, .gen = 1};

    fg_base(f);
    fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
    fg_seal(f, &cp);
}

static void c_next_batch_signed_by_old_key(struct forge *f)
{
    const struct fg_cpopt cp = {.set_gen = true, .gen = 0};

    fg_base(f);
    fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_note(FG_NODE, "old key"), NULL);
    fg_seal(f, &cp);
}

static void c_cp_signed_by_user(struct forge *f)
{
    const struct fg_cpopt cp = {.sign_name = "alice"};

    fg_base(f);
    fg_put(f, fg_note("alice", "x"), NULL);
    fg_seal(f, &cp);
}

static void c_cp_sig_flipped(struct forge *f)
{
    const struct fg_cpopt cp = {.flip_sig = true};

    fg_base(f);
    fg_put(f, fg_note("alice", "x"), NULL);
    fg_seal(f, &cp);
}

static void c_note_empty(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_note(FG_NODE, ""), NULL);
    fg_seal(f, NULL);
}

static char note1024[1025];
static char note1025[1026];

static void c_note_1024(struct forge *f)
{
    memset(note1024, 'a', 1024);
    fg_base(f);
    fg_put(f, fg_note(FG_NODE, note1024), NULL);
    fg_seal(f, NULL);
}

static void c_format_1_signed_twice(struct forge *f)
{
    const struct fg_opt v1 = {.format = 1};
    const struct fg_opt v1s = {.format = 1, .signer = "alice"};

    fg_put(f, fg_genesis(f, FG_NODE), &v1);
    fg_seal(f, NULL);
    fg_put(f, fg_create(f, FG_NODE, "alice", ID_KIND_USER), &v1);
    fg_put(f, fg_add(FG_NODE, POLICY_ALLOW, "alice note *"), &v1);
    fg_put(f, fg_note("alice", "twice"), &v1s);
    fg_put(f, fg_note("alice", "twice"), &v1s);
    fg_seal(f, NULL);
}

static void c_format_1_then_2(struct forge *f)
{
    const struct fg_opt v1 = {.format = 1};

    fg_put(f, fg_genesis(f, FG_NODE), &v1);
    fg_seal(f, NULL);
    fg_put(f, fg_note(FG_NODE, "format 2"), NULL);
    fg_seal(f, NULL);
}

/* ---- identity structure ---- */

ONE(c_name_reused, fg_create(f, FG_NODE, "alice", ID_KIND_USER), 0)
ONE(c_bad_name, fg_create(f, FG_NODE, "Alice", ID_KIND_USER), 0)
ONE(c_bad_kind, fg_create(f, FG_NODE, "carol", 5), 0)
ONE(c_node_issues_agent, fg_create(f, FG_NODE, "agent7", ID_KIND_AGENT), 0)
TWO(c_service_issues, fg_add(FG_NODE, POLICY_ALLOW, "svc id.create *"),
    fg_create(f, "svc", "svc2", ID_KIND_SERVICE), .rule = 5)
TWO(c_user_issues_user, fg_add(FG_NODE, POLICY_ALLOW, "alice id.create *"),
    fg_create(f, "alice", "carol", ID_KIND_USER), .rule = 5)
ONE(c_rotate_unknown, fg_rotate(f, FG_NODE, "nobody", 1), 0)
ONE(c_revoke_unknown, fg_revoke(FG_NODE, "nobody"), 0)
ONE(c_revoke_node, fg_revoke(FG_NODE, FG_NODE), 0)
TWO(c_rotate_revoked, fg_revoke(FG_NODE, "bob"), fg_rotate(f, FG_NODE, "bob", 1), 0)
TWO(c_revoke_revoked, fg_revoke(FG_NODE, "bob"), fg_revoke(FG_NODE, "bob"), 0)
ONE(c_proposer_unknown, fg_note("nobody", "x"), 0)
TWO(c_proposer_revoked, fg_revoke(FG_NODE, "bob"), fg_note("bob", "x"), .rule = 2)
TWO(c_revoked_with_issuer, fg_add(FG_NODE, POLICY_ALLOW, "bot note *"), fg_revoke(FG_NODE, "alice"),
    0)
TWO(c_revoke_user_control, fg_revoke(FG_NODE, "bob"), fg_note("alice", "still here"), 0)

static void c_agent_of_revoked_user(struct forge *f)
{
    const struct fg_opt o = {.rule = 5};

    fg_base(f);
    fg_put(f, fg_add(FG_NODE, POLICY_ALLOW, "bot note *"), NULL);
    fg_put(f, fg_revoke(FG_NODE, "alice"), NULL);
    fg_seal(f, NULL);
    fg_put(f, fg_note("bot", "my issuer is revoked"), &o);
    fg_seal(f, NULL);
}

static void c_genesis_not_first(struct forge *f)
{
    fg_put(f, fg_note(FG_NODE, "first"), NULL);
    fg_seal(f, NULL);
}

ONE(c_genesis_again, fg_genesis(f, FG_NODE), 0)

static void c_genesis_by_other(struct forge *f)
{
    struct ax_action a = fg_genesis(f, FG_NODE);

    memcpy(a.proposer, "alice", 6);
    fg_put(f, a, NULL);
    fg_seal(f, NULL);
}

static void c_genesis_signed(struct forge *f)
{
    const struct fg_opt o = {.format = 1, .signer = FG_NODE};

    fg_put(f, fg_genesis(f, FG_NODE), &o);
    fg_seal(f, NULL);
}

static void c_genesis_signed_numbered(struct forge *f)
{
    const struct fg_opt o = {.signer = FG_NODE, .number = UINT64_MAX};

    fg_put(f, fg_genesis(f, FG_NODE), &o);
    fg_seal(f, NULL);
}

/* ---- policy decisions and lock-out ---- */

ONE(c_decision_other_rule, fg_note("alice", "x"), .rule_delta = 1)
ONE(c_decision_rule_0, fg_note("alice", "x"), .rule_delta = -2)
ONE(c_decision_deny, fg_note("alice", "x"), .record_deny = true)
ONE(c_default_deny, fg_note("bot", "no rule"), .rule = 2)
TWO(c_deny_wins, fg_add(FG_NODE, POLICY_DENY, "bob note *"), fg_note("bob", "x"), .rule = 2)
ONE(c_rule_bad_kind, fg_add(FG_NODE, POLICY_ALLOW, "kind:robot note *"), 0)
ONE(c_rule_not_normal, fg_add(FG_NODE, POLICY_ALLOW, "kind:user  note *"), 0)
ONE(c_rule_effect_2, fg_add(FG_NODE, 2, "bob note *"), 0)
ONE(c_remove_missing, fg_remove(FG_NODE, 9), 0)
ONE(c_remove_control, fg_remove(FG_NODE, 3), 0)
ONE(c_lockout_remove, fg_remove(FG_NODE, 1), 0)
ONE(c_lockout_deny, fg_add(FG_NODE, POLICY_DENY, "root * *"), 0)
ONE(c_lockout_deny_remove, fg_add(FG_NODE, POLICY_DENY, "* policy.remove policy"), 0)
ONE(c_lockout_control, fg_add(FG_NODE, POLICY_DENY, "root note *"), 0)
/* a resource starting with "/" is a path pattern: upper case and "/" allowed there alone */
ONE(c_rule_path, fg_add(FG_NODE, POLICY_ALLOW, "kind:user fs.write /home/Alice/*"), 0)
ONE(c_rule_path_bad_byte, fg_add(FG_NODE, POLICY_ALLOW, "kind:user fs.write /home/a+b/*"), 0)
ONE(c_rule_upper_not_path, fg_add(FG_NODE, POLICY_ALLOW, "kind:user fs.write Home"), 0)
ONE(c_rule_path_principal, fg_add(FG_NODE, POLICY_ALLOW, "/home fs.write *"), 0)

/* ---- proposer signatures and proposal numbers ---- */

ONE(c_sig_flipped, fg_note("alice", "x"), .signer = "alice", .flip_sig = true)
ONE(c_sig_by_other, fg_note("alice", "x"), .signer = "bob")
ONE(c_number_skips, fg_note("alice", "x"), .signer = "alice", .number = 2)
ONE(c_sig_without_number, fg_note("alice", "x"), .signer = "alice", .no_number = true)
ONE(c_format_goes_down, fg_note("alice", "x"), .format = 1)
TWO(c_signed_rotated_out, fg_rotate(f, FG_NODE, "alice", 1), fg_note("alice", "x"),
    .signer = "alice", .gen = 0)
TWO(c_signed_new_key, fg_rotate(f, FG_NODE, "alice", 1), fg_note("alice", "x"), .signer = "alice",
    .gen = 1)

static void c_number_replayed(struct forge *f)
{
    const struct fg_opt o = {.signer = "alice", .number = 1};

    fg_base(f);
    fg_put(f, fg_note("alice", "once"), &o);
    fg_seal(f, NULL);
    fg_put(f, fg_note("alice", "once"), &o);
    fg_seal(f, NULL);
}

/* number carries on across a rotation (control), and does not restart */
static void numbers_around_rotation(struct forge *f, uint64_t second)
{
    const struct fg_opt one = {.signer = "alice"};
    const struct fg_opt two = {.signer = "alice", .gen = 1, .number = second};

    fg_base(f);
    fg_put(f, fg_note("alice", "before"), &one);
    fg_put(f, fg_rotate(f, FG_NODE, "alice", 1), NULL);
    fg_put(f, fg_note("alice", "after"), &two);
    fg_seal(f, NULL);
}

static void c_number_across_rotation(struct forge *f)
{
    numbers_around_rotation(f, 2);
}

static void c_number_restarts(struct forge *f)
{
    numbers_around_rotation(f, 1);
}

/* ---- sequencing and checkpoints ---- */

ONE(c_entry_seq, fg_note("alice", "x"), .seq_delta = 1)
ONE(c_prev_broken, fg_note("alice", "x"), .bad_prev = true)
ONE(c_root_wrong, fg_note("alice", "x"), .bad_root = true)

static void cp_head(struct ax_checkpoint *c)
{
    c->head[0] ^= 1;
}
static void cp_root(struct ax_checkpoint *c)
{
    c->state_root[0] ^= 1;
}
static void cp_tree(struct ax_checkpoint *c)
{
    c->tree_root[0] ^= 1;
}
static void cp_size(struct ax_checkpoint *c)
{
    c->size++;
}
static void cp_batch(struct ax_checkpoint *c)
{
    c->batch++;
}

#define CP(fn, editor)                                 \
    static void fn(struct forge *f)                    \
    {                                                  \
        const struct fg_cpopt cp = {.edit = (editor)}; \
        fg_base(f);                                    \
        fg_put(f, fg_note("alice", "x"), NULL);        \
        fg_seal(f, &cp);                               \
    }
CP(c_cp_head, cp_head)
CP(c_cp_root, cp_root)
CP(c_cp_tree, cp_tree)
CP(c_cp_size, cp_size)
CP(c_cp_batch, cp_batch)

/* ---- encodings (the entry's bytes, re-framed and re-chained) ---- */

static void ed_trailing(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[(*n)++] = 0x00;
}

static void ed_map_long_head(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    memmove(b + 2, b + 1, *n - 1);
    b[1] = b[0] & 0x1f;
    b[0] = 0xb8;
    (*n)++;
}

static void ed_indefinite(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[0] = 0xbf;
    b[(*n)++] = 0xff;
}

/* Finds pat in b; the case knows it is there. */
static size_t ed_find(const uint8_t *b, size_t n, const char *pat, size_t m)
{
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(b + i, pat, m) == 0) {
            return i;
        }
    }
    return 0;
}

static void ed_action(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[ed_find(b, *n, "\x64note", 5) + 4] = 'z';
}

static void ed_format_3(uint8_t *b, size_t *n, size_t cap)
{
    (void)n;
    (void)cap;
    b[2] = 3;
}

static void ed_note_1025(uint8_t *b, size_t *n, size_t cap)
{
    size_t at = ed_find(b, *n, "\x59\x04\x00", 3);

    (void)cap;
    b[at + 2] = 1;
    memmove(b + at + 4, b + at + 3, *n - at - 3);
    (*n)++;
}

static void ed_payload_extra_key(uint8_t *b, size_t *n, size_t cap)
{
    size_t at = ed_find(b, *n, "\xa1\x00\x41x", 4);

    (void)cap;
    b[at] = 0xa2;
    memmove(b + at + 6, b + at + 4, *n - at - 4);
    b[at + 4] = 0x01;
    b[at + 5] = 0x40;
    *n += 2;
}

static void ed_text_not_utf8(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[ed_find(b, *n,
              "\x65"
              "alice",
              6) +
      3] = 0xff;
}

static void ed_seq_long(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap; /* b = map, 0, format, 1, seq (< 24) */
    memmove(b + 5, b + 4, *n - 4);
    b[4] = 0x18;
    (*n)++;
}

static void ed_extra_key(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[0]++;
    b[(*n)++] = 0x0a;
    b[(*n)++] = 0x00;
}

static void ed_decision_int(uint8_t *b, size_t *n, size_t cap)
{
    (void)cap;
    b[ed_find(b, *n, "\x06\x82\xf5", 3) + 2] = 0x01;
}

ONE(c_enc_trailing, fg_note("alice", "x"), .edit = ed_trailing)
ONE(c_enc_long_head, fg_note("alice", "x"), .edit = ed_map_long_head)
ONE(c_enc_indefinite, fg_note("alice", "x"), .edit = ed_indefinite)
ONE(c_enc_action, fg_note("alice", "x"), .edit = ed_action)
ONE(c_enc_format_3, fg_note("alice", "x"), .edit = ed_format_3)
ONE(c_enc_payload_key, fg_note("alice", "x"), .edit = ed_payload_extra_key)
ONE(c_enc_not_utf8, fg_note("alice", "x"), .edit = ed_text_not_utf8)
ONE(c_enc_seq_long, fg_note("alice", "x"), .edit = ed_seq_long)
ONE(c_enc_extra_key, fg_note("alice", "x"), .edit = ed_extra_key)
ONE(c_enc_decision_int, fg_note("alice", "x"), .edit = ed_decision_int)

static void c_enc_note_1025(struct forge *f)
{
    const struct fg_opt o = {.edit = ed_note_1025};

    memset(note1025, 'a', 1024);
    fg_base(f);
    fg_put(f, fg_note(FG_NODE, note1025), &o);
    fg_seal(f, NULL);
}

/* ---- framing: a record of batch 3 broken, batch 4 intact behind it ---- */

/* Builds batch 3 (one note), lets brk damage it, then batch 4. */
static void framed(struct forge *f, void (*brk)(struct forge *f, size_t rec), bool later)
{
    fg_base(f);
    if (!later) {
        fg_keep(f);
    }
    fg_put(f, fg_note("alice", "in batch 3"), NULL);
    size_t rec = f->last;
    fg_seal(f, NULL);
    brk(f, rec);
    if (later) {
        fg_put(f, fg_note("alice", "in batch 4"), NULL);
        fg_seal(f, NULL);
    }
}

static void br_magic(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 0, 1, true);
}
static void br_type(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 4, 2, true); /* 1 -> 3 */
}
static void br_reserved_5(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 5, 1, true);
}
static void br_reserved_12(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 12, 1, true);
}
static void br_checksum(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 33, 1, false);
}
static void br_payload(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, AXLOG_HEADER + 3, 1, false);
}
static void br_record_seq(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 24, 1, true);
}
static void br_record_batch(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 16, 4, true); /* batch 3 -> 7 */
}
static void br_record_batch_earlier(struct forge *f, size_t rec)
{
    fg_rec_xor(f, rec, 16, 1, true); /* batch 3 -> 2 */
}
static void br_padding(struct forge *f, size_t rec)
{
    uint32_t n = axlog_get32(f->log + rec + 8);

    f->log[rec + axlog_rec_size(n) - 1] = 1; /* the notes here leave padding */
}
static void br_after_checkpoint(struct forge *f, size_t rec)
{
    (void)rec;
    f->log[f->end - 1] = 1;
}
static void br_len_big(struct forge *f, size_t rec)
{
    uint32_t n = axlog_get32(f->log + rec + 8);

    axlog_le32(f->log + rec + 8, n + 8); /* runs into the next record */
    fg_rec_resum(f, rec);
}
static void br_len_over(struct forge *f, size_t rec)
{
    axlog_le32(f->log + rec + 8, AX_ENTRY_MAX + 1);
    fg_rec_resum(f, rec);
}

#define FRAMED(mid, last, brk)        \
    static void mid(struct forge *f)  \
    {                                 \
        framed(f, brk, true);         \
    }                                 \
    static void last(struct forge *f) \
    {                                 \
        framed(f, brk, false);        \
    }
FRAMED(c_fr_magic, c_fr_magic_last, br_magic)
FRAMED(c_fr_type, c_fr_type_last, br_type)
FRAMED(c_fr_res5, c_fr_res5_last, br_reserved_5)
FRAMED(c_fr_res12, c_fr_res12_last, br_reserved_12)
FRAMED(c_fr_sum, c_fr_sum_last, br_checksum)
FRAMED(c_fr_payload, c_fr_payload_last, br_payload)
FRAMED(c_fr_seq, c_fr_seq_last, br_record_seq)
FRAMED(c_fr_batch, c_fr_batch_last, br_record_batch)
FRAMED(c_fr_batch_earlier, c_fr_batch_earlier_last, br_record_batch_earlier)
FRAMED(c_fr_padding, c_fr_padding_last, br_padding)
FRAMED(c_fr_after_cp, c_fr_after_cp_last, br_after_checkpoint)
FRAMED(c_fr_len_big, c_fr_len_big_last, br_len_big)
FRAMED(c_fr_len_over, c_fr_len_over_last, br_len_over)

/* A zero-length entry record: out of bounds, like a torn one. */
static void zero_length(struct forge *f, bool later)
{
    fg_base(f);
    if (!later) {
        fg_keep(f);
    }
    fg_record(f, AXLOG_ENTRY, f->batch, f->seq, NULL, 0);
    fg_seal(f, NULL); /* a checkpoint of the entries before */
    if (later) {
        fg_put(f, fg_note("alice", "after"), NULL);
        fg_seal(f, NULL);
    }
}

static void c_zero_length_mid(struct forge *f)
{
    zero_length(f, true);
}

static void c_zero_length_last(struct forge *f)
{
    zero_length(f, false);
}

static void c_batch_without_entries(struct forge *f)
{
    fg_base(f);
    fg_seal(f, NULL);
    fg_put(f, fg_note("alice", "after"), NULL);
    fg_seal(f, NULL);
}

static void c_batch_number_skips(struct forge *f)
{
    fg_base(f);
    f->batch++;
    fg_put(f, fg_note("alice", "x"), NULL);
    fg_seal(f, NULL);
}

static char big_note[AX_NOTE_MAX + 1];

static void c_batch_over_256k(struct forge *f)
{
    memset(big_note, 'b', AX_NOTE_MAX);
    fg_base(f);
    for (int i = 0; i < 250; i++) {
        fg_put(f, fg_note(FG_NODE, big_note), NULL);
    }
    fg_seal(f, NULL);
    fg_put(f, fg_note(FG_NODE, "after"), NULL);
    fg_seal(f, NULL);
}

/* ---- tails of a disk ---- */

/* a torn record header: its checksum is not the one of its bytes */
static const uint8_t garbage[AXLOG_HEADER] = {'Z', 'L', 'R', '1', 1, 0, 0, 0, 9, 0, 0,
                                              0,   0,   0,   0,   0, 3, 0, 0, 0, 0, 0,
                                              0,   0,   10,  0,   0, 0, 0, 0, 0, 0, 0x77};

/* Base log, torn bytes after it, and an intact record of batch `batch` at
 * log offset end + at (batch 3 is the next one; 2 is an earlier one). */
static void tail_with_record(struct forge *f, size_t at, uint64_t batch, size_t len)
{
    static const uint8_t payload[AX_ENTRY_MAX] = {0xa0};
    size_t ok = 0;

    fg_base(f);
    ok = f->end;
    fg_raw(f, 0, garbage, sizeof(garbage));
    /* a record made where it is wanted, then the sealed end put back */
    f->end = ok + at;
    f->open = 0;
    fg_record(f, AXLOG_ENTRY, batch, 99, payload, len);
    f->end = ok;
    f->open = 0;
}

static void c_tail_plain(struct forge *f)
{
    fg_base(f);
    fg_put(f, fg_note("alice", "never sealed"), NULL);
}

static void c_tail_garbage(struct forge *f)
{
    fg_base(f);
    fg_raw(f, 0, garbage, sizeof(garbage));
}

static void c_tail_later_at_sector(struct forge *f)
{
    tail_with_record(f, 512, 4, 16);
}
static void c_tail_same_batch(struct forge *f)
{
    tail_with_record(f, 512, 3, 16);
}
static void c_tail_later_8_past(struct forge *f)
{
    tail_with_record(f, 8 + sizeof(garbage), 4, 16);
}
static void c_tail_later_window_end(struct forge *f)
{
    tail_with_record(f, 512 * KIB - 512, 4, 2000); /* ends past the window */
}
static void c_tail_later_past_window(struct forge *f)
{
    tail_with_record(f, 512 * KIB, 4, 16);
}
static void c_tail_earlier_batch(struct forge *f)
{
    tail_with_record(f, 512, 2, 16);
}
static void c_tail_later_zero_length(struct forge *f)
{
    tail_with_record(f, 512, 4, 0);
}
static void c_tail_zero_sector_then_later(struct forge *f)
{
    tail_with_record(f, 1024, 4, 16);
    memset(f->log + f->end, 0, sizeof(garbage));
}

static void c_torn_genesis(struct forge *f)
{
    fg_base(f);
    f->log[33] ^= 1; /* the genesis record's checksum */
}

static void c_log_starts_ff(struct forge *f)
{
    static const uint8_t ff[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

    fg_raw(f, 0, ff, sizeof(ff));
}

static void c_nothing(struct forge *f)
{
    (void)f;
}

/* ---- containers: export header and size ---- */

static void ex_trailing_1(uint8_t *img, size_t *len)
{
    img[(*len)++] = 0;
}
static void ex_trailing_511(uint8_t *img, size_t *len)
{
    memset(img + *len, 0, 511);
    *len += 511;
}
static void ex_trailing_512(uint8_t *img, size_t *len)
{
    memset(img + *len, 0, 512);
    *len += 512;
}
static void ex_missing_sector(uint8_t *img, size_t *len)
{
    (void)img;
    *len -= 512;
}
static void ex_length_more(uint8_t *img, size_t *len)
{
    (void)len;
    img[9] += 2; /* + 512 */
}
static void ex_length_odd(uint8_t *img, size_t *len)
{
    (void)len;
    img[8] += 1;
}
static void ex_reserved(uint8_t *img, size_t *len)
{
    (void)len;
    img[100] = 1;
}
static void ex_magic(uint8_t *img, size_t *len)
{
    (void)len;
    img[0] = 'X';
}

/* ---- containers: superblock and key slot ---- */

#define KS AX_BLOCK

static void sb_set_size(uint8_t *img, uint64_t size)
{
    struct ax_layout lay;

    ax_layout_for(size, &lay);
    lay.seg_size = 0; /* the forged log fills its region: format 1 */
    memcpy(lay.disk_id, img + 88, 16);
    memcpy(lay.node_pub, img + 104, ID_PUB_LEN);
    ax_super_encode(&lay, img);
}

static void sb_checksum(uint8_t *img, size_t *len)
{
    (void)len;
    img[20] ^= 1;
}
static void sb_magic_version(uint8_t *img, size_t *len)
{
    (void)len;
    img[7] = 2;
    fg_reseal(img);
}
static void sb_format(uint8_t *img, size_t *len)
{
    (void)len;
    img[8] = 2;
    fg_reseal(img);
}
static void sb_block_size(uint8_t *img, size_t *len)
{
    (void)len;
    img[13] = 0x20; /* 8192 */
    fg_reseal(img);
}
static void sb_size_not_block(uint8_t *img, size_t *len)
{
    (void)len;
    sb_set_size(img, FG_DISK - 512);
    axlog_le64(img + 16, FG_DISK - 512);
    fg_reseal(img);
}
static void sb_size_not_sector(uint8_t *img, size_t *len)
{
    (void)len;
    axlog_le64(img + 16, FG_DISK - 100);
    fg_reseal(img);
}
static void sb_size_past_image(uint8_t *img, size_t *len)
{
    (void)len;
    sb_set_size(img, FG_DISK + AX_BLOCK);
    fg_reseal(img);
}
static void sb_size_small(uint8_t *img, size_t *len)
{
    (void)len;
    sb_set_size(img, 512 * KIB);
    fg_reseal(img);
}
static void sb_smaller_disk(uint8_t *img, size_t *len)
{
    (void)len;
    sb_set_size(img, AX_MIN_DISK);
    fg_reseal(img);
}
static void sb_table(uint8_t *img, size_t *len)
{
    (void)len;
    img[49] ^= 0x10; /* log length */
    fg_reseal(img);
}
static void sb_reserved(uint8_t *img, size_t *len)
{
    (void)len;
    img[200] = 1;
    fg_reseal(img);
}
static void sb_block_tail(uint8_t *img, size_t *len)
{
    (void)len;
    img[600] = 1;
}
static void sb_node_key(uint8_t *img, size_t *len)
{
    (void)len;
    img[104] ^= 1;
    img[KS + 48] ^= 1;
    fg_reseal(img);
    fg_reseal(img + KS);
}
static void im_partial_sector(uint8_t *img, size_t *len)
{
    memset(img + *len, 0, 100);
    *len += 100;
}
static void im_longer(uint8_t *img, size_t *len)
{
    memset(img + *len, 0, 4096);
    *len += 4096;
}
static void im_zero(uint8_t *img, size_t *len)
{
    memset(img, 0, *len);
}
static void ks_magic(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 3] ^= 1;
    fg_reseal(img + KS);
}
static void ks_checksum(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 20] ^= 1;
}
static void ks_version(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 8] = 2;
    fg_reseal(img + KS);
}
static void ks_protection(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 12] = 1;
    fg_reseal(img + KS);
}
static void ks_reserved(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 100] = 1;
    fg_reseal(img + KS);
}
static void ks_block_tail(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 1000] = 1;
}
static void ks_pub(uint8_t *img, size_t *len)
{
    (void)len;
    img[KS + 48] ^= 1;
    fg_reseal(img + KS);
}

#define B FG_OUT_BOTH
#define E FG_OUT_EXPORT
#define D FG_OUT_DISK

const struct fg_case fg_cases[] = {
    /* controls */
    {"base", "accept", B, c_base, NULL},
    {"boots", "accept", B, c_boots, NULL},
    {"boot-number-skipped", "reject", B, c_boot_number_skipped, NULL},
    {"boot-number-repeated", "reject", B, c_boot_number_repeated, NULL},
    {"boot-by-user", "reject", B, c_boot_by_user, NULL},
    {"boot-signed", "reject", B, c_boot_signed, NULL},
    {"svc-life", "accept", B, c_svc_life, NULL},
    {"svc-exit-wrong-pid", "reject", B, c_svc_exit_wrong_pid, NULL},
    {"svc-start-held", "reject", B, c_svc_start_held, NULL},
    {"svc-start-by-user", "reject", B, c_svc_start_by_user, NULL},
    {"svc-hold-running", "reject", B, c_svc_hold_running, NULL},
    {"svc-kill-unknown", "reject", B, c_svc_kill_unknown, NULL},
    {"genesis-only", "accept", B, c_genesis_only, NULL},
    {"signed-proposals", "accept", B, c_signed, NULL},
    {"genesis-batch-with-rotation", "accept", B, c_genesis_batch_rotation, NULL},
    {"rotation-then-next-batch", "accept", B, c_rotation_next_batch, NULL},
    {"note-of-0-bytes", "accept", B, c_note_empty, NULL},
    {"note-of-1024-bytes", "accept", B, c_note_1024, NULL},
    {"format-1-signed-twice", "accept", B, c_format_1_signed_twice, NULL},
    {"format-1-then-2", "accept", B, c_format_1_then_2, NULL},
    {"revoke-user", "accept", B, c_revoke_user_control, NULL},
    {"remove-a-rule", "accept", B, c_remove_control, NULL},
    {"deny-that-keeps-admin", "accept", B, c_lockout_control, NULL},
    {"rule-path-resource", "accept", B, c_rule_path, NULL},
    {"signed-with-new-key", "accept", B, c_signed_new_key, NULL},
    {"number-across-rotation", "accept", B, c_number_across_rotation, NULL},
    {"revoke-with-issued", "accept", B, c_revoked_with_issuer, NULL},
    /* identity structure */
    {"id-name-reused", "reject", B, c_name_reused, NULL},
    {"id-bad-name", "reject", B, c_bad_name, NULL},
    {"id-bad-kind", "reject", B, c_bad_kind, NULL},
    {"id-node-issues-agent", "reject", B, c_node_issues_agent, NULL},
    {"id-service-issues", "reject", B, c_service_issues, NULL},
    {"id-user-issues-user", "reject", B, c_user_issues_user, NULL},
    {"id-rotate-unknown", "reject", B, c_rotate_unknown, NULL},
    {"id-revoke-unknown", "reject", B, c_revoke_unknown, NULL},
    {"id-revoke-node", "reject", B, c_revoke_node, NULL},
    {"id-rotate-revoked", "reject", B, c_rotate_revoked, NULL},
    {"id-revoke-revoked", "reject", B, c_revoke_revoked, NULL},
    {"id-proposer-unknown", "reject", B, c_proposer_unknown, NULL},
    {"id-proposer-revoked", "reject", B, c_proposer_revoked, NULL},
    {"id-agent-of-revoked-user", "reject", B, c_agent_of_revoked_user, NULL},
    {"genesis-not-first", "reject", B, c_genesis_not_first, NULL},
    {"genesis-again", "reject", B, c_genesis_again, NULL},
    {"genesis-by-another", "reject", B, c_genesis_by_other, NULL},
    {"genesis-signed", "reject", B, c_genesis_signed, NULL},
    {"genesis-signed-with-number", "reject", B, c_genesis_signed_numbered, NULL},
    /* policy decisions and lock-out */
    {"decision-names-another-rule", "reject", B, c_decision_other_rule, NULL},
    {"decision-names-rule-0", "reject", B, c_decision_rule_0, NULL},
    {"decision-recorded-deny", "reject", B, c_decision_deny, NULL},
    {"default-deny", "reject", B, c_default_deny, NULL},
    {"deny-rule-wins", "reject", B, c_deny_wins, NULL},
    {"rule-bad-kind", "reject", B, c_rule_bad_kind, NULL},
    {"rule-not-normal-form", "reject", B, c_rule_not_normal, NULL},
    {"rule-effect-2", "reject", B, c_rule_effect_2, NULL},
    {"rule-path-bad-byte", "reject", B, c_rule_path_bad_byte, NULL},
    {"rule-upper-case-not-path", "reject", B, c_rule_upper_not_path, NULL},
    {"rule-path-as-principal", "reject", B, c_rule_path_principal, NULL},
    {"remove-missing-rule", "reject", B, c_remove_missing, NULL},
    {"lockout-remove-rule-1", "reject", B, c_lockout_remove, NULL},
    {"lockout-deny-node", "reject", B, c_lockout_deny, NULL},
    {"lockout-deny-policy-remove", "reject", B, c_lockout_deny_remove, NULL},
    /* signatures, key generations, proposal numbers */
    {"genesis-batch-signed-by-rotation", "reject", B, c_genesis_batch_signed_by_rotation, NULL},
    {"batch-signed-by-its-rotation", "reject", B, c_rotation_batch_signed_by_new_key, NULL},
    {"batch-signed-by-rotated-out-key", "reject", B, c_next_batch_signed_by_old_key, NULL},
    {"checkpoint-signed-by-user", "reject", B, c_cp_signed_by_user, NULL},
    {"checkpoint-signature-flipped", "reject", B, c_cp_sig_flipped, NULL},
    {"proposal-signature-flipped", "reject", B, c_sig_flipped, NULL},
    {"proposal-signed-by-another", "reject", B, c_sig_by_other, NULL},
    {"proposal-signed-rotated-out", "reject", B, c_signed_rotated_out, NULL},
    {"number-skips", "reject", B, c_number_skips, NULL},
    {"number-replayed", "reject", B, c_number_replayed, NULL},
    {"number-restarts-after-rotation", "reject", B, c_number_restarts, NULL},
    {"signature-without-number", "reject", B, c_sig_without_number, NULL},
    {"format-goes-down", "reject", B, c_format_goes_down, NULL},
    /* sequencing and checkpoints */
    {"entry-seq-differs", "reject", B, c_entry_seq, NULL},
    {"prev-link-broken", "reject", B, c_prev_broken, NULL},
    {"state-root-wrong", "reject", B, c_root_wrong, NULL},
    {"checkpoint-head", "reject", B, c_cp_head, NULL},
    {"checkpoint-state-root", "reject", B, c_cp_root, NULL},
    {"checkpoint-tree-root", "reject", B, c_cp_tree, NULL},
    {"checkpoint-tree-size", "reject", B, c_cp_size, NULL},
    {"checkpoint-batch", "reject", B, c_cp_batch, NULL},
    {"batch-without-entries", "reject", B, c_batch_without_entries, NULL},
    {"batch-number-skips", "reject", B, c_batch_number_skips, NULL},
    {"batch-over-256k", "reject", B, c_batch_over_256k, NULL},
    /* encodings */
    {"cbor-trailing-byte", "reject", B, c_enc_trailing, NULL},
    {"cbor-long-head", "reject", B, c_enc_long_head, NULL},
    {"cbor-indefinite-map", "reject", B, c_enc_indefinite, NULL},
    {"cbor-text-not-utf8", "reject", B, c_enc_not_utf8, NULL},
    {"cbor-seq-not-shortest", "reject", B, c_enc_seq_long, NULL},
    {"entry-unknown-action", "reject", B, c_enc_action, NULL},
    {"entry-format-3", "reject", B, c_enc_format_3, NULL},
    {"entry-extra-key", "reject", B, c_enc_extra_key, NULL},
    {"entry-decision-not-bool", "reject", B, c_enc_decision_int, NULL},
    {"payload-extra-key", "reject", B, c_enc_payload_key, NULL},
    {"note-of-1025-bytes", "reject", B, c_enc_note_1025, NULL},
    /* framing: broken in the middle (refused) or in the last batch (a torn tail) */
    {"record-magic", "reject", B, c_fr_magic, NULL},
    {"record-magic-last", "torn", D, c_fr_magic_last, NULL},
    {"record-type", "reject", B, c_fr_type, NULL},
    {"record-type-last", "torn", D, c_fr_type_last, NULL},
    {"record-reserved-5", "reject", B, c_fr_res5, NULL},
    {"record-reserved-5-last", "torn", D, c_fr_res5_last, NULL},
    {"record-reserved-12", "reject", B, c_fr_res12, NULL},
    {"record-reserved-12-last", "torn", D, c_fr_res12_last, NULL},
    {"record-checksum", "reject", B, c_fr_sum, NULL},
    {"record-checksum-last", "torn", D, c_fr_sum_last, NULL},
    {"record-payload", "reject", B, c_fr_payload, NULL},
    {"record-payload-last", "torn", D, c_fr_payload_last, NULL},
    {"record-seq", "reject", B, c_fr_seq, NULL},
    {"record-seq-last", "torn", D, c_fr_seq_last, NULL},
    {"record-later-batch", "reject", B, c_fr_batch, NULL},
    {"record-later-batch-last", "reject", B, c_fr_batch_last, NULL},
    {"record-earlier-batch", "reject", B, c_fr_batch_earlier, NULL},
    {"record-earlier-batch-last", "torn", D, c_fr_batch_earlier_last, NULL},
    {"record-padding", "reject", B, c_fr_padding, NULL},
    {"record-padding-last", "torn", D, c_fr_padding_last, NULL},
    {"batch-padding", "reject", B, c_fr_after_cp, NULL},
    {"batch-padding-last", "torn", D, c_fr_after_cp_last, NULL},
    {"record-length-long", "reject", B, c_fr_len_big, NULL},
    {"record-length-long-last", "torn", D, c_fr_len_big_last, NULL},
    {"record-length-over-bound", "reject", B, c_fr_len_over, NULL},
    {"record-length-over-bound-last", "torn", D, c_fr_len_over_last, NULL},
    {"record-length-0", "reject", B, c_zero_length_mid, NULL},
    {"record-length-0-last", "torn", D, c_zero_length_last, NULL},
    {"record-length-0-last-export", "reject", E, c_zero_length_last, NULL},
    /* tails of a disk */
    {"tail-unsealed-batch", "torn", D, c_tail_plain, NULL},
    {"tail-garbage", "torn", D, c_tail_garbage, NULL},
    {"tail-later-batch-at-sector", "reject", D, c_tail_later_at_sector, NULL},
    {"tail-later-batch-8-bytes-past", "torn", D, c_tail_later_8_past, NULL},
    {"tail-later-batch-ending-past-window", "reject", D, c_tail_later_window_end, NULL},
    {"tail-later-batch-past-window", "torn", D, c_tail_later_past_window, NULL},
    {"tail-earlier-batch", "torn", D, c_tail_earlier_batch, NULL},
    {"tail-same-batch", "torn", D, c_tail_same_batch, NULL},
    {"tail-later-zero-length-record", "torn", D, c_tail_later_zero_length, NULL},
    {"tail-zero-sector-then-later-batch", "reject", D, c_tail_zero_sector_then_later, NULL},
    {"torn-genesis-batch", "reject", B, c_torn_genesis, NULL},
    {"log-starts-with-ff", "reject", D, c_log_starts_ff, NULL},
    {"log-empty", "reject", B, c_nothing, NULL},
    /* export container */
    {"export-trailing-1-byte", "reject", E, c_base, ex_trailing_1},
    {"export-trailing-511-bytes", "reject", E, c_base, ex_trailing_511},
    {"export-trailing-sector", "reject", E, c_base, ex_trailing_512},
    {"export-missing-sector", "reject", E, c_base, ex_missing_sector},
    {"export-length-more", "reject", E, c_base, ex_length_more},
    {"export-length-not-sectors", "reject", E, c_base, ex_length_odd},
    {"export-reserved-byte", "reject", E, c_base, ex_reserved},
    {"export-magic", "unusable", E, c_base, ex_magic},
    /* superblock, key slot, image */
    {"super-checksum", "reject", D, c_base, sb_checksum},
    {"super-magic-version", "reject", D, c_base, sb_magic_version},
    {"super-format-version", "reject", D, c_base, sb_format},
    {"super-block-size", "reject", D, c_base, sb_block_size},
    {"super-size-not-blocks", "reject", D, c_base, sb_size_not_block},
    {"super-size-not-sectors", "reject", D, c_base, sb_size_not_sector},
    {"super-size-past-image", "reject", D, c_base, sb_size_past_image},
    {"super-size-below-1mib", "reject", D, c_base, sb_size_small},
    {"super-region-table", "reject", D, c_base, sb_table},
    {"super-reserved-byte", "reject", D, c_base, sb_reserved},
    {"super-block-tail", "reject", D, c_base, sb_block_tail},
    {"super-smaller-disk-in-image", "accept", D, c_base, sb_smaller_disk},
    {"super-node-key-not-genesis", "accept", D, c_base, sb_node_key},
    {"image-partial-sector", "reject", D, c_base, im_partial_sector},
    {"image-longer-than-disk", "accept", D, c_base, im_longer},
    {"image-never-formatted", "unusable", D, c_base, im_zero},
    {"keyslot-magic", "reject", D, c_base, ks_magic},
    {"keyslot-checksum", "reject", D, c_base, ks_checksum},
    {"keyslot-version", "reject", D, c_base, ks_version},
    {"keyslot-protection", "reject", D, c_base, ks_protection},
    {"keyslot-reserved-byte", "reject", D, c_base, ks_reserved},
    {"keyslot-block-tail", "reject", D, c_base, ks_block_tail},
    {"keyslot-node-key", "reject", D, c_base, ks_pub},
};
const size_t fg_ncases = sizeof(fg_cases) / sizeof(fg_cases[0]);
