/*
 * The filesystem's entries in the Axiom: every kind commits, encodes and
 * decodes canonically, changes the namespace in the state and its root
 * (state root key 6), replays from the disk to the same state root; bad
 * paths, missing parents, quotas and policy denials commit nothing; a
 * namespace proof runs from a node to the state's namespace root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)

static uint8_t secret[32] = {4, 2};
static struct keys keys;
static struct axiom ax;
static struct ax_state replayed;
static uint8_t mem[DISK];
static struct blk dev;
static char why[160];

static void boot(void)
{
    uint8_t id[16] = {1};
    struct ax_recovery rec;

    memset(mem, 0, sizeof(mem));
    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    ok(ax_format(&dev, secret, id, "root") == 0 &&
           axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) == 0,
       "a fresh disk formats and opens");
}

static int propose(struct ax_action *a)
{
    struct policy_decision d;
    uint64_t seq = 0;
    uint8_t hash[AX_HASH_LEN];

    why[0] = '\0';
    int err = axiom_propose(&ax, a, &d, &seq, hash, why, sizeof(why));
    if (err == 0) {
        err = axiom_commit(&ax);
    }
    return err;
}

static struct ax_action act(uint8_t kind, const char *who, const char *path)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = kind;
    snprintf(a.proposer, sizeof(a.proposer), "%s", who);
    snprintf(a.fs.path, sizeof(a.fs.path), "%s", path);
    a.fs.mode = 0644;
    return a;
}

static int put(const char *who, const char *path, uint64_t size, uint8_t fill)
{
    struct ax_action a = act(AX_FS_PUT, who, path);

    memset(a.fs.hash, fill, sizeof(a.fs.hash));
    a.fs.size = size;
    return propose(&a);
}

static int simple(uint8_t kind, const char *who, const char *path)
{
    struct ax_action a = act(kind, who, path);
    return propose(&a);
}

static int mv(const char *who, const char *from, const char *to)
{
    struct ax_action a = act(AX_FS_MV, who, from);

    snprintf(a.fs.to, sizeof(a.fs.to), "%s", to);
    return propose(&a);
}

static int quota(const char *owner, uint64_t limit)
{
    struct ax_action a = act(AX_FS_QUOTA, "root", "");

    snprintf(a.name, sizeof(a.name), "%s", owner);
    a.fs.size = limit;
    return propose(&a);
}

static int rule(const char *text)
{
    struct ax_action a = act(AX_POLICY_ADD, "root", "");

    a.effect = POLICY_ALLOW;
    snprintf(a.rule, sizeof(a.rule), "%s", text);
    return propose(&a);
}

static int user(const char *name)
{
    struct ax_action a = act(AX_ID_CREATE, "root", "");

    snprintf(a.name, sizeof(a.name), "%s", name);
    a.id_kind = ID_KIND_USER;
    memset(a.pub, 7, sizeof(a.pub));
    return propose(&a);
}

static bool has(const char *path, struct fs_node *n)
{
    struct fs view;
    return fs_stat(ax_state_fs(ax.st, &view), path, n) == 0;
}

static void test_each_kind_round_trips(void)
{
    static const char *const names[] = {"fs.put",   "fs.mkdir", "fs.rm",
                                        "fs.rmdir", "fs.mv",    "fs.quota"};
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;
    struct ax_entry e, back;

    for (unsigned k = AX_FS_PUT; k <= AX_FS_QUOTA; k++) {
        memset(&e, 0, sizeof(e));
        e.a = act((uint8_t)k, "alice", "/home/alice/f");
        snprintf(e.a.fs.to, sizeof(e.a.fs.to), "/home/alice/g");
        snprintf(e.a.name, sizeof(e.a.name), k == AX_FS_QUOTA ? "alice" : "");
        memset(e.a.fs.hash, k == AX_FS_PUT ? 0xab : 0, sizeof(e.a.fs.hash));
        e.a.fs.size = k == AX_FS_PUT || k == AX_FS_QUOTA ? 12345 : 0;
        e.a.fs.mode = k == AX_FS_PUT || k == AX_FS_MKDIR ? 0644 : 0;
        if (k != AX_FS_MV) {
            e.a.fs.to[0] = '\0';
        }
        if (k == AX_FS_QUOTA) {
            e.a.fs.path[0] = '\0';
        }
        e.seq = 5;
        e.dec.allow = 1;
        e.dec.rule = 2;
        int err = ax_entry_encode(&e, buf, sizeof(buf), &len);
        err = err != 0 ? err : ax_entry_decode(buf, len, &back);
        e.a.format = AX_ENTRY_VERSION;
        ok(err == 0 && strcmp(back.a.fs.path, e.a.fs.path) == 0 &&
               strcmp(back.a.fs.to, e.a.fs.to) == 0 &&
               memcmp(back.a.fs.hash, e.a.fs.hash, CAS_HASH) == 0 &&
               back.a.fs.size == e.a.fs.size && back.a.fs.mode == e.a.fs.mode &&
               strcmp(back.a.name, e.a.name) == 0 && back.a.kind == k &&
               strcmp(ax_kind_name(k), names[k - AX_FS_PUT]) == 0,
           "%s encodes and decodes to the same action", names[k - AX_FS_PUT]);
        /* one byte less is never an entry */
        ok(ax_entry_decode(buf, len - 1, &back) != 0, "%s truncated is refused",
           names[k - AX_FS_PUT]);
    }
}

static void test_commits_and_state(void)
{
    struct fs_node n;
    uint8_t before[AX_HASH_LEN];

    memcpy(before, ax.st->root, AX_HASH_LEN);
    ok(!ax.st->fs.on, "no fs entry yet: the state root has no key 6");
    is_int(simple(AX_FS_MKDIR, "root", "/home"), 0, "mkdir /home commits");
    ok(ax.st->fs.on && memcmp(before, ax.st->root, AX_HASH_LEN) != 0, "the state root changed");
    is_int(put("root", "/home/motd", 5, 0x11), 0, "put /home/motd commits");
    ok(has("/home/motd", &n) && n.size == 5 && n.hash[0] == 0x11 && strcmp(n.owner, "root") == 0,
       "the namespace names the content hash, size and owner");
    is_int(put("root", "/home/motd", 9, 0x22), 0, "a second put replaces it");
    ok(has("/home/motd", &n) && n.size == 9 && n.hash[0] == 0x22, "with the new hash and size");
    is_int(mv("root", "/home/motd", "/home/motd2"), 0, "mv commits");
    ok(!has("/home/motd", &n) && has("/home/motd2", &n), "the file moved");
    is_int(simple(AX_FS_RM, "root", "/home/motd2"), 0, "rm commits");
    ok(!has("/home/motd2", &n), "the file is gone");
    is_int(simple(AX_FS_MKDIR, "root", "/tmp"), 0, "mkdir /tmp");
    is_int(simple(AX_FS_RMDIR, "root", "/tmp"), 0, "rmdir /tmp commits");
    ok(!has("/tmp", &n), "the directory is gone");
}

/* stat's entry number: the entry that last created, replaced or moved a node. */
static void test_changed_entry(void)
{
    struct fs_node d, f, g;

    memset(&d, 0, sizeof(d));
    memset(&f, 0, sizeof(f));
    is_int(simple(AX_FS_MKDIR, "root", "/w"), 0, "mkdir /w");
    uint64_t made = ax.st->applied - 1;
    is_int(put("root", "/w/f", 3, 0x33), 0, "put /w/f");
    uint64_t written = ax.st->applied - 1;
    ok(has("/w", &d) && d.changed == made && has("/w/f", &f) && f.changed == written,
       "a node names the entry that made it (%llu, %llu)", (unsigned long long)d.changed,
       (unsigned long long)f.changed);
    is_int(put("root", "/w/f", 4, 0x34), 0, "put /w/f again");
    ok(has("/w/f", &f) && f.changed == ax.st->applied - 1, "a replacement names its own entry");
    is_int(mv("root", "/w", "/v"), 0, "mv /w /v");
    uint64_t moved = ax.st->applied - 1;
    ok(has("/v", &d) && d.changed == moved && has("/v/f", &g) && g.changed == moved,
       "a move names its entry on the directory and on everything below it");
    is_int(simple(AX_FS_RM, "root", "/v/f"), 0, "rm /v/f");
    is_int(simple(AX_FS_RMDIR, "root", "/v"), 0, "rmdir /v");
}

static void test_refusals(void)
{
    uint64_t at = axiom_durable(&ax);

    is_int(put("root", "/home/../etc", 1, 1), ZERR_INVAL, "a path with .. is refused");
    ok(strstr(why, "'..'") != NULL, "naming why: %s", why);
    is_int(put("root", "/home//x", 1, 1), ZERR_INVAL, "an empty component is refused");
    is_int(put("root", "relative", 1, 1), ZERR_INVAL, "a relative path is refused");
    is_int(put("root", "/nodir/x", 1, 1), ZERR_NOENT, "a missing parent is refused");
    is_int(simple(AX_FS_RM, "root", "/home"), ZERR_PERM, "rm of a directory is refused");
    is_int(simple(AX_FS_RMDIR, "root", "/nothere"), ZERR_NOENT, "rmdir of nothing is refused");
    is_int(simple(AX_FS_MKDIR, "root", "/home"), ZERR_EXIST, "mkdir of an existing path");
    is_int(mv("root", "/home", "/home/sub"), ZERR_PERM, "a move into itself is refused");
    char longname[300];
    memset(longname, 'a', sizeof(longname));
    longname[0] = '/';
    longname[sizeof(longname) - 1] = '\0';
    is_int(put("root", longname, 1, 1), ZERR_INVAL, "a component over 255 bytes is refused");
    is_int((int)(axiom_durable(&ax) - at), 0, "nothing was committed");
}

static void test_policy_and_quota(void)
{
    uint64_t at;

    is_int(user("alice"), 0, "alice is created");
    is_int(simple(AX_FS_MKDIR, "root", "/home/alice"), 0, "root makes alice's home");
    at = axiom_durable(&ax);
    is_int(put("alice", "/home/alice/a", 10, 3), ZERR_DENIED, "alice may not write yet");
    ok(strstr(why, "fs.write /home/alice/a") != NULL, "the denial names the path: %s", why);
    is_int((int)(axiom_durable(&ax) - at), 0, "the denied write committed nothing");
    is_int(rule("alice fs.write /home/alice/*"), 0, "a rule allows alice under her home");
    is_int(put("alice", "/home/alice/a", 10, 3), 0, "now alice writes there");
    is_int(put("alice", "/home/other", 10, 3), ZERR_DENIED, "but not beside it");
    is_int(mv("alice", "/home/alice/a", "/home/b"), ZERR_DENIED, "nor move a file out of her home");
    is_int(quota("alice", 100), 0, "root gives alice a quota of 100 bytes");
    at = axiom_durable(&ax);
    is_int(put("alice", "/home/alice/big", 91, 4), ZERR_LIMIT, "a write past the quota");
    ok(strstr(why, "quota of alice") != NULL, "is refused naming the quota: %s", why);
    is_int(put("alice", "/home/alice/fits", 90, 4), 0, "a write up to the quota commits");
    is_int(put("alice", "/home/alice/a", 5, 4), 0, "a replacement is charged its new size");
    is_int((int)(axiom_durable(&ax) - at), 2, "only the allowed writes committed");
    struct fs_node n;
    ok(has("/home/alice/fits", &n) && strcmp(n.owner, "alice") == 0, "alice owns her file");
}

static void test_replay_and_proof(void)
{
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    struct fs view;
    struct fs_proof pr;
    struct fs_node n;

    ax_replay_init(&r, &replayed, NULL, NULL);
    is_int(axiom_replay_device(&dev, &r, &kind, &tail), 0, "the disk replays and verifies");
    ok(memcmp(replayed.root, ax.st->root, AX_HASH_LEN) == 0 &&
           memcmp(replayed.fs.root, ax.st->fs.root, AX_HASH_LEN) == 0,
       "to the same state root and namespace root");
    ok(fs_prove((struct fs *)ax_state_fs(&replayed, &view), "/home/alice/fits", &pr) == 0 &&
           fs_verify(&pr, replayed.fs.root, &n) && n.size == 90,
       "a node's proof verifies against the namespace root in the state");
    pr.node[pr.node_len - 1] ^= 1;
    ok(!fs_verify(&pr, replayed.fs.root, &n), "an altered proof does not");
}

int main(void)
{
    tap_no_plan();
    boot();
    test_each_kind_round_trips();
    test_commits_and_state();
    test_changed_entry();
    test_refusals();
    test_policy_and_quota();
    test_replay_and_proof();
    axiom_close(&ax);
    return tap_done();
}
