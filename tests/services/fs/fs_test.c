/*
 * Filesystem namespace: every bad path is refused with its own reason,
 * directories and files behave (create, replace, append, rename with
 * descendants, delete, rmdir), errors change nothing, quotas are enforced,
 * the encoding round-trips and refuses bad bytes, a node's proof verifies
 * against the root of its own state only, and a namespace committed in a
 * store comes back after a remount with its files, garbage collected, and
 * a data block damaged on the disk fails the reads of exactly the files
 * that use it, with an error naming the file and the chunk.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/fs/fs.h"
#include "services/store/store.h"
#include "tap.h"

#define DISK (8u << 20)
#define CAP 256

static uint8_t disk[DISK];
static struct store st;
static struct blk dev;
static struct store_mem mem;
static struct fs fs;
static struct fs_node *nodes;
static uint8_t (*leaves)[32];
static uint8_t scratch[1u << 20];

static void open_store(void)
{
    const uint8_t *app;
    size_t app_len;

    blk_open_mem(&dev, disk, NULL, DISK);
    ok(store_open(&st, &dev, 0, DISK, &mem, &app, &app_len) == 0, "store opens");
    fs_init(&fs, &st.cas, nodes, leaves, CAP, scratch, sizeof(scratch));
    if (app_len > 0) {
        is_int(fs_decode(&fs, app, app_len), 0, "namespace decodes");
    }
}

static void test_paths(void)
{
    static const struct {
        const char *path;
        size_t n;
        const char *why;
    } bad[] = {
        {"", 0, "empty path"},
        {"a/b", 3, "path must start with /"},
        {"/a//b", 5, "empty path component"},
        {"/a/", 3, "empty path component"},
        {"/a/../b", 7, "'.' and '..' are not allowed in a path"},
        {"/./b", 4, "'.' and '..' are not allowed in a path"},
        {"/a\0b", 4, "NUL byte in path"},
    };
    char long_name[300], long_path[600];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *why = fs_path_problem(bad[i].path, bad[i].n);
        ok(why != NULL && strcmp(why, bad[i].why) == 0, "refused: %s", bad[i].why);
    }
    memset(long_name, 'x', sizeof(long_name));
    long_name[0] = '/';
    is_str(fs_path_problem(long_name, 257), "path component longer than 255 bytes", "long name");
    ok(fs_path_problem(long_name, 256) == NULL, "a 255-byte name is fine");
    for (size_t i = 0; i < sizeof(long_path); i++) {
        long_path[i] = i % 100 == 0 ? '/' : 'y';
    }
    is_str(fs_path_problem(long_path, 512), "path longer than 511 bytes", "long path");
    ok(fs_path_problem("/", 1) == NULL && fs_path_problem("/a/b.c/..d", 10) == NULL,
       "good paths pass");
    is_int(fs_mkdir(&fs, "/a/../b", "alice", 0755), ZERR_INVAL, "mkdir refuses a bad path");
    is_int(fs_write(&fs, "/x//y", "alice", 0644, "z", 1, false), ZERR_INVAL,
           "write refuses a bad path");
}

static int names_seen;
static char names[8][64];

static void collect(void *ctx, const struct fs_node *n)
{
    (void)ctx;
    if (names_seen < 8) {
        strcpy(names[names_seen], n->path);
    }
    names_seen++;
}

static void test_ops(void)
{
    struct fs_node n;
    uint8_t h[32], buf[64];
    size_t got;

    is_int(fs_mkdir(&fs, "/home", "node", 0755), 0, "mkdir /home");
    is_int(fs_mkdir(&fs, "/home/alice", "alice", 0700), 0, "mkdir /home/alice");
    is_int(fs_mkdir(&fs, "/home", "node", 0755), ZERR_EXIST, "mkdir twice");
    is_int(fs_mkdir(&fs, "/nope/x", "node", 0755), ZERR_NOENT, "mkdir under a missing parent");
    is_int(fs_write(&fs, "/home/alice/notes", "alice", 0644, "hello ", 6, false), 0, "create");
    is_int(fs_write(&fs, "/home/alice/notes", "alice", 0644, "world", 5, true), 0, "append");
    ok(fs_stat(&fs, "/home/alice/notes", &n) == 0 && n.size == 11 && n.kind == FS_FILE &&
           strcmp(n.owner, "alice") == 0,
       "stat: 11 bytes, a file of alice");
    blake3_hash("hello world", 11, h);
    is_mem(n.hash, h, 32, "its hash is BLAKE3 of the content");
    ok(cas_read(&st.cas, n.hash, 0, buf, sizeof(buf), &got, NULL) == 0 && got == 11 &&
           memcmp(buf, "hello world", 11) == 0,
       "the content is in the store");
    is_int(fs_write(&fs, "/home/alice/notes/x", "alice", 0644, "a", 1, false), ZERR_PERM,
           "a file is not a directory");
    is_int(fs_write(&fs, "/home", "node", 0644, "a", 1, false), ZERR_PERM,
           "a directory is not a file");
    is_int(fs_write(&fs, "/home/alice/notes", "alice", 0644, "bye", 3, false), 0, "replace");
    ok(fs_stat(&fs, "/home/alice/notes", &n) == 0 && n.size == 3, "replaced: 3 bytes");
    ok(fs_mkdir(&fs, "/home/alice.b", "node", 0755) == 0 &&
           fs_write(&fs, "/home/alice/z", "alice", 0644, "", 0, false) == 0,
       "a sibling that sorts between, an empty file");
    names_seen = 0;
    ok(fs_list(&fs, "/home/alice", collect, NULL) == 0 && names_seen == 2 &&
           strcmp(names[0], "/home/alice/notes") == 0 && strcmp(names[1], "/home/alice/z") == 0,
       "ls /home/alice lists its two files (%d)", names_seen);
    names_seen = 0;
    ok(fs_list(&fs, "/", collect, NULL) == 0 && names_seen == 1, "ls / lists /home");
    is_int(fs_rmdir(&fs, "/home/alice"), ZERR_PERM, "rmdir of a directory that is not empty");
    is_int(fs_rename(&fs, "/home/alice", "/home/alice/sub"), ZERR_PERM, "move into itself");
    is_int(fs_rename(&fs, "/home/alice", "/home/bob"), 0, "rename a directory");
    ok(fs_stat(&fs, "/home/bob/notes", &n) == 0 &&
           fs_stat(&fs, "/home/alice/notes", &n) == ZERR_NOENT,
       "its files moved with it");
    is_int(fs_rename(&fs, "/home/bob/z", "/home/bob/notes"), ZERR_EXIST, "rename onto a file");
    is_int(fs_delete(&fs, "/home/bob"), ZERR_PERM, "delete of a directory");
    is_int(fs_delete(&fs, "/home/bob/z"), 0, "delete a file");
    is_int(fs_delete(&fs, "/home/bob/z"), ZERR_NOENT, "delete it again");
    is_int(fs_rmdir(&fs, "/home/alice.b"), 0, "rmdir an empty directory");
    is_int(fs_rmdir(&fs, "/"), ZERR_PERM, "rmdir /");
}

static void test_quota(void)
{
    static uint8_t big[6000];
    uint8_t before[32], after[32];

    is_int(fs_set_quota(&fs, "carol", 6000), 0, "carol gets 6000 bytes");
    is_int(fs_write(&fs, "/home/c1", "carol", 0644, big, 5000, false), 0, "5000 bytes fit");
    fs_root(&fs, before);
    is_int(fs_write(&fs, "/home/c2", "carol", 0644, big, 1001, false), ZERR_LIMIT,
           "1001 more bytes pass the quota");
    is_int(fs_write(&fs, "/home/c1", "carol", 0644, big, 1001, true), ZERR_LIMIT,
           "so does an append");
    fs_root(&fs, after);
    is_mem(after, before, 32, "a refused write changes nothing");
    is_int(fs_write(&fs, "/home/c1", "carol", 0644, big, 6000, false), 0,
           "a replacement is charged its new size only");
    is_int(fs_used(&fs, "carol"), 6000, "carol uses 6000 bytes");
}

static void test_encoding_and_proofs(void)
{
    static uint8_t enc[64 * 1024], enc2[64 * 1024];
    static struct fs_proof pr, old;
    static struct fs copy;
    static struct fs_node cn[CAP];
    static uint8_t cl[CAP][32];
    struct fs_node n;
    uint8_t root[32], root2[32], old_root[32];
    size_t len, len2;

    fs_root(&fs, root);
    ok(fs_encode(&fs, enc, sizeof(enc), &len) == 0, "encode the namespace");
    fs_init(&copy, &st.cas, cn, cl, CAP, NULL, 0);
    ok(fs_decode(&copy, enc, len) == 0 && fs_encode(&copy, enc2, sizeof(enc2), &len2) == 0 &&
           len2 == len && memcmp(enc, enc2, len) == 0,
       "decode and encode again: the same bytes");
    fs_root(&copy, root2);
    is_mem(root2, root, 32, "the same root");
    is_int(fs_decode(&copy, enc, len - 1), ZERR_TRUNCATED, "a truncated namespace");
    enc2[0] ^= 1;
    is_int(fs_decode(&copy, enc2, len), ZERR_CORRUPT, "bad magic");

    ok(fs_prove(&fs, "/home/bob/notes", &pr) == 0, "prove /home/bob/notes");
    ok(fs_verify(&pr, root, &n) && strcmp(n.path, "/home/bob/notes") == 0 && n.size == 3,
       "the proof verifies and names the node");
    old = pr;
    memcpy(old_root, root, 32);
    pr.node[pr.node_len - 1] ^= 1;
    ok(!fs_verify(&pr, root, &n), "a proof with another content hash fails");
    pr = old;
    pr.path[0][3] ^= 1;
    ok(!fs_verify(&pr, root, &n), "a proof with a damaged audit path fails");
    ok(fs_write(&fs, "/home/bob/notes", "alice", 0644, "new", 3, false) == 0, "change the file");
    fs_root(&fs, root2);
    ok(!fs_verify(&old, root2, &n), "the old proof fails against the new root");
    ok(fs_verify(&old, old_root, &n), "and still verifies against its own root");
}

static void test_persist(void)
{
    static uint8_t enc[64 * 1024];
    uint8_t root[32], root2[32];
    struct fs_node n;
    size_t len;
    static uint8_t big[100000];

    memset(big, 7, sizeof(big));
    ok(fs_write(&fs, "/home/big", "node", 0644, big, sizeof(big), false) == 0, "a 100 KB file");
    ok(fs_encode(&fs, enc, sizeof(enc), &len) == 0 && store_commit(&st, enc, len) == 0,
       "commit the namespace to the store");
    fs_root(&fs, root);
    uint64_t free_before = space_free_blocks(&st.sp);
    open_store();
    fs_root(&fs, root2);
    is_mem(root2, root, 32, "after a remount the namespace has the same root");
    ok(fs_stat(&fs, "/home/big", &n) == 0 && n.size == sizeof(big), "and its files");
    is_int(fs_delete(&fs, "/home/big"), 0, "delete the big file");
    ok(fs_gc(&fs) > 0, "garbage collection drops its content");
    ok(fs_encode(&fs, enc, sizeof(enc), &len) == 0 && store_commit(&st, enc, len) == 0, "commit");
    ok(space_free_blocks(&st.sp) > free_before, "its blocks are free again");
}

struct damage_seen {
    int n;
    char paths[4][64];
};

static void on_path_damage(void *ctx, const char *path, const uint8_t object[32])
{
    struct damage_seen *d = ctx;

    (void)object;
    if (d->n < 4) {
        strcpy(d->paths[d->n], path);
    }
    d->n++;
}

/* Flips a byte inside the disk copy of the second chunk of data. */
static int corrupt_on_disk(const uint8_t *data, size_t n)
{
    size_t first = cas_chunk_cut(data, n);
    size_t second = cas_chunk_cut(data + first, n - first);

    for (size_t b = 0; b + second <= DISK; b += SPACE_BLOCK) {
        if (memcmp(disk + b, data + first, second) == 0) {
            disk[b + 100] ^= 0x20;
            return 1;
        }
    }
    return 0;
}

static void test_damage(void)
{
    static uint8_t big[300000], back[300000];
    static uint8_t enc[64 * 1024];
    struct damage_seen seen = {0};
    struct fs_fault f;
    char text[256];
    size_t got, len;
    uint64_t paths = 0;

    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 2654435761u >> 11);
    }
    ok(fs_mkdir(&fs, "/d", "node", 0755) == 0 &&
           fs_write(&fs, "/d/big", "node", 0644, big, sizeof(big), false) == 0 &&
           fs_write(&fs, "/d/same", "node", 0644, big, sizeof(big), false) == 0 &&
           fs_write(&fs, "/d/small", "node", 0644, "fine", 4, false) == 0,
       "two files with the same content and a small one");
    ok(fs_encode(&fs, enc, sizeof(enc), &len) == 0 && store_commit(&st, enc, len) == 0, "commit");
    ok(corrupt_on_disk(big, sizeof(big)), "flip a byte of a data block on the disk");
    is_int(fs_read(&fs, "/d/big", 0, back, sizeof(back), &got, &f), ZERR_CORRUPT,
           "reading the file fails");
    fs_fault_text(&f, text, sizeof(text));
    ok(strncmp(text, "/d/big: chunk 1 at offset ", 26) == 0,
       "the error names the file and the chunk: %s", text);
    ok(fs_read(&fs, "/d/small", 0, back, 4, &got, NULL) == 0 && memcmp(back, "fine", 4) == 0,
       "the other file reads fine");
    ok(fs_read(&fs, "/d/big", 0, back, 1000, &got, NULL) == 0 && memcmp(back, big, 1000) == 0,
       "a range of the damaged file before the chunk reads fine");
    is_int(fs_scrub(&fs, on_path_damage, &seen, &paths), ZERR_CORRUPT, "the scrub finds damage");
    ok(seen.n == 2 && strcmp(seen.paths[0], "/d/big") == 0 && strcmp(seen.paths[1], "/d/same") == 0,
       "and names both paths that use the chunk (%d)", seen.n);
    is_int(fs_read(&fs, "/d", 0, back, 1, &got, NULL), ZERR_PERM, "a directory is not read");
}

int main(void)
{
    nodes = calloc(CAP, sizeof(*nodes));
    leaves = calloc(CAP, 32);
    mem.tab = calloc(1024, sizeof(*mem.tab));
    mem.tab_cap = 1024;
    mem.chunk_buf = malloc(CAS_CHUNK_MAX);
    mem.list_cap = 64 * 1024;
    mem.list_buf = malloc(mem.list_cap);
    mem.used = malloc(SPACE_MAP_BYTES(DISK / SPACE_BLOCK));
    mem.freed = malloc(SPACE_MAP_BYTES(DISK / SPACE_BLOCK));
    mem.root_cap = 512 * 1024;
    mem.root = malloc(mem.root_cap);
    tap_no_plan();
    open_store();
    test_paths();
    test_ops();
    test_quota();
    test_encoding_and_proofs();
    test_persist();
    test_damage();
    free(nodes);
    free(leaves);
    free(mem.tab);
    free(mem.chunk_buf);
    free(mem.list_buf);
    free(mem.used);
    free(mem.freed);
    free(mem.root);
    return tap_done();
}
