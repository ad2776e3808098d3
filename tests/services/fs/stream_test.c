/*
 * Puts larger than one message: the content streams to the filesystem
 * service in parts (FSSVC_OP_PART) and one FSSVC_OP_PUT_STAGED commits
 * it as one entry; the file's hash is the BLAKE3 of all of it.  A part out
 * of order, a stream another replaced, a staged put before all its bytes
 * came, and hostile part headers are refused and commit nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/init/node.h"
#include "tap.h"

#define DISK (32u * 1024u * 1024u)
#define BIG (3u * 1024u * 1024u + 12345u)

static struct node node;
static struct blk dev;

static int put(const char *path, const void *data, size_t len, bool append,
               struct axiom_result *res)
{
    static struct fssvc_put rq;

    memset(&rq, 0, sizeof(rq));
    strcpy(rq.proposer, "root");
    strcpy(rq.path, path);
    rq.mode = 0644;
    rq.append = append;
    rq.data = data;
    rq.len = len;
    return fssvc_put_call(&node.rt, node.sid_term, node.shell.h_fs, &rq, res);
}

/* Sends one part; *token gets the reply. */
static int part(uint64_t token, uint64_t total, uint64_t off, const void *p, uint32_t n,
                uint64_t *got)
{
    static uint8_t in[FSSVC_MSG_MAX];
    uint8_t out[8] = {0};
    struct fssvc_part pt = {token, total, off, p, n};
    size_t len = 0;

    if (fssvc_part_encode(&pt, in, sizeof(in), &len) != 0) {
        return ZERR_RANGE;
    }
    struct rt_msg m = {FSSVC_OP_PART, in, len, out, sizeof(out), 0};
    int err = rt_call(&node.rt, node.sid_term, node.shell.h_fs, &m);
    if (err == 0 && got != NULL) {
        memcpy(got, out, 8);
    }
    return err;
}

static int staged(uint64_t token, const char *path)
{
    static struct fssvc_put rq;
    uint8_t in[FSSVC_STAGED_LEN], out[AXIOM_RESULT_LEN];
    size_t len = 0;

    memset(&rq, 0, sizeof(rq));
    strcpy(rq.proposer, "root");
    strcpy(rq.path, path);
    rq.mode = 0644;
    fssvc_staged_encode(token, &rq, in, sizeof(in), &len);
    struct rt_msg m = {FSSVC_OP_PUT_STAGED, in, len, out, sizeof(out), 0};
    return rt_call(&node.rt, node.sid_term, node.shell.h_fs, &m);
}

/* Reads all of path back and compares it with want. */
static bool reads_back(const char *path, const uint8_t *want, size_t n)
{
    static uint8_t buf[65536];
    char why[FSSVC_WHY_MAX];
    size_t got = 0;

    for (size_t off = 0; off < n; off += got) {
        if (fssvc_read_call(&node.rt, node.sid_term, node.shell.h_fs, path, off, buf, sizeof(buf),
                            &got, why) != 0 ||
            got == 0 || got > n - off || memcmp(buf, want + off, got) != 0) {
            return false;
        }
    }
    return true;
}

static void test_big_put(const uint8_t *big)
{
    struct axiom_result res;
    struct fs_node st;
    uint8_t want[32];
    uint64_t before = axiom_durable(&node.axiom.ax);

    is_int(put("/big", big, BIG, false, &res), 0, "a_put_of_3MiB_commits");
    is_int(axiom_durable(&node.axiom.ax), before + 1, "as_one_entry");
    is_int(axiom_fs_stat(&node.rt, node.sid_term, node.shell.h_axiom, "/big", &st), 0,
           "the_file_is_there");
    blake3_hash(big, BIG, want);
    is_mem(st.hash, want, 32, "its_hash_is_the_blake3_of_all_its_bytes");
    is_int(st.size, BIG, "its_size_is_all_of_them");
    ok(reads_back("/big", big, BIG), "it_reads_back_byte_for_byte");
    is_int(put("/big", big, 100, true, &res), 0, "a_small_append_to_it_commits");
    is_int(put("/big", big, BIG, true, &res), 0, "a_large_append_to_it_commits");
    is_int(axiom_fs_stat(&node.rt, node.sid_term, node.shell.h_axiom, "/big", &st), 0,
           "stat_after_the_appends");
    is_int(st.size, 2 * (uint64_t)BIG + 100, "the_appends_added_their_bytes");
    is_int(put("/big", big, 20000, false, &res), 0, "a_put_just_over_one_message_commits");
    ok(reads_back("/big", big, 20000), "and_reads_back");
    is_int(put("/nodir/big", big, BIG, false, &res), ZERR_NOENT,
           "a_large_put_under_a_missing_directory_is_refused");
    ok(strstr(res.why, "/nodir") != NULL || res.why[0] != '\0', "with_a_reason (%s)", res.why);
}

static void test_hostile_streams(const uint8_t *big)
{
    uint64_t t1 = 0, t2 = 0, before = axiom_durable(&node.axiom.ax);

    is_int(part(0, 40000, 0, big, 16000, &t1), 0, "a_stream_starts");
    ok(t1 != 0, "with_a_token");
    is_int(part(t1, 40000, 20000, big, 100, NULL), ZERR_INVAL, "a_part_after_a_gap_is_refused");
    is_int(part(t1, 40000, 0 + 16000, big, 16000, NULL), 0, "the_next_part_is_taken");
    is_int(staged(t1, "/half"), ZERR_INVAL, "a_staged_put_before_all_bytes_came_is_refused");
    is_int(part(t1, 40001, 32000, big, 100, NULL), ZERR_INVAL,
           "a_part_with_another_total_is_refused");
    is_int(part(0, 100, 0, big, 100, &t2), 0, "another_stream_replaces_it");
    is_int(part(t1, 40000, 32000, big, 8000, NULL), ZERR_AGAIN, "the_old_stream_is_gone");
    is_int(staged(t1, "/old"), ZERR_AGAIN, "and_cannot_be_put");
    is_int(part(0, 100, 0, big, 101, NULL), ZERR_INVAL, "a_part_past_its_total_is_refused");
    is_int(part(7, 100, 0, big, 10, NULL), ZERR_INVAL, "a_token_at_offset_0_is_refused");
    is_int(part(0, FSSVC_PUT_MAX + 1ull, 0, big, 10, NULL), ZERR_INVAL,
           "a_total_over_the_put_limit_is_refused");
    is_int(staged(0, "/zero"), ZERR_INVAL, "a_staged_put_without_a_token_is_refused");
    is_int(axiom_durable(&node.axiom.ax), before, "nothing_was_committed");
    is_int(staged(t2, "/small"), 0, "the_live_stream_commits");
    ok(reads_back("/small", big, 100), "and_reads_back");
    is_int(staged(t2, "/again"), ZERR_AGAIN, "a_stream_is_put_once");
}

int main(void)
{
    char why[200] = "";
    uint8_t *big = malloc(BIG);
    uint8_t *mem = calloc(1, DISK);

    tap_no_plan();
    for (size_t i = 0; i < BIG; i++) {
        big[i] = (uint8_t)((i * 2654435761u) >> 13);
    }
    blk_open_mem(&dev, mem, NULL, DISK);
    ok(node_start(&node, &dev, "root", why, sizeof(why)) == 0, "a_node_starts (%s)", why);
    test_big_put(big);
    test_hostile_streams(big);
    node_stop(&node);
    free(big);
    free(mem);
    return tap_done();
}
