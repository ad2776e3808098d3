/*
 * Job spec and result codec (job.h): deterministic CBOR maps with keys
 * 0, 1, ... in order, layouts in docs/formats.md.  Decoders validate the
 * whole item first (canonical heads, sorted keys, UTF-8), then read every
 * key in order and check each value's range, so a record that decodes
 * re-encodes to the same bytes.
 */
#include "job/job.h"

#include "base/errors.h"
#include "base/string.h"
#include "cbor/cbor.h"
#include "crypto/blake3.h"

#define JOB_SPEC_KEYS 10
#define JOB_RESULT_KEYS 7

bool job_path_valid(const char *s, size_t n)
{
    size_t start = 0;

    if (n == 0 || n > JOB_STR_MAX) {
        return false;
    }
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '\0') {
            return false;
        }
        if (i < n && s[i] != '/') {
            continue;
        }
        size_t len = i - start;
        if (len == 0 || (len == 1 && s[start] == '.') ||
            (len == 2 && s[start] == '.' && s[start + 1] == '.')) {
            return false;
        }
        start = i + 1;
    }
    return true;
}

/* A text field of at most max bytes without NUL. */
static bool job_text_ok(const char *s, size_t max)
{
    return strlen(s) <= max;
}

static bool job_files_ok(const struct job_file *f, uint32_t n)
{
    if (n > JOB_MAX_FILES) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!job_path_valid(f[i].path, strlen(f[i].path))) {
            return false;
        }
        if (i > 0 && strcmp(f[i - 1].path, f[i].path) >= 0) {
            return false;
        }
    }
    return true;
}

static bool job_env_ok(const char *s)
{
    return job_text_ok(s, JOB_STR_MAX) && s[0] != '=' && strchr(s, '=') != NULL;
}

static bool job_spec_ok(const struct job_spec *s)
{
    if (s->argc == 0 || s->argc > JOB_MAX_ARGS || s->envc > JOB_MAX_ENV || s->fuel == 0 ||
        s->mem_pages == 0 || s->mem_pages > JOB_MAX_PAGES ||
        !job_text_ok(s->outdir, JOB_OUTDIR_MAX) || (s->outdir[0] != '\0' && s->outdir[0] != '/')) {
        return false;
    }
    for (uint32_t i = 0; i < s->argc; i++) {
        if (!job_text_ok(s->argv[i], JOB_STR_MAX)) {
            return false;
        }
    }
    for (uint32_t i = 0; i < s->envc; i++) {
        if (!job_env_ok(s->env[i])) {
            return false;
        }
    }
    return job_files_ok(s->inputs, s->ninputs);
}

static void job_put_files(cbor_enc *e, const struct job_file *f, uint32_t n)
{
    cbor_put_array(e, n);
    for (uint32_t i = 0; i < n; i++) {
        cbor_put_array(e, 2);
        cbor_put_cstr(e, f[i].path);
        cbor_put_bytes(e, f[i].hash, JOB_HASH);
    }
}

int job_spec_encode(const struct job_spec *s, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (!job_spec_ok(s)) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, JOB_SPEC_KEYS);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, JOB_FORMAT);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, s->program, JOB_HASH);
    cbor_put_uint(&e, 2);
    cbor_put_array(&e, s->argc);
    for (uint32_t i = 0; i < s->argc; i++) {
        cbor_put_cstr(&e, s->argv[i]);
    }
    cbor_put_uint(&e, 3);
    cbor_put_array(&e, s->envc);
    for (uint32_t i = 0; i < s->envc; i++) {
        cbor_put_cstr(&e, s->env[i]);
    }
    cbor_put_uint(&e, 4);
    job_put_files(&e, s->inputs, s->ninputs);
    cbor_put_uint(&e, 5);
    cbor_put_uint(&e, s->time_ns);
    cbor_put_uint(&e, 6);
    cbor_put_uint(&e, s->seed);
    cbor_put_uint(&e, 7);
    cbor_put_uint(&e, s->fuel);
    cbor_put_uint(&e, 8);
    cbor_put_uint(&e, s->mem_pages);
    cbor_put_uint(&e, 9);
    cbor_put_cstr(&e, s->outdir);
    return cbor_enc_finish(&e, len);
}

int job_result_encode(const struct job_result *r, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (r->end > JOB_END_REFUSED || !job_files_ok(r->outputs, r->noutputs)) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap < JOB_RESULT_MAX ? cap : JOB_RESULT_MAX);
    cbor_put_map(&e, JOB_RESULT_KEYS);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, JOB_FORMAT);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, r->end);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, r->code);
    cbor_put_uint(&e, 3);
    cbor_put_uint(&e, r->fuel_used);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, r->stdout_hash, JOB_HASH);
    cbor_put_uint(&e, 5);
    cbor_put_bytes(&e, r->stderr_hash, JOB_HASH);
    cbor_put_uint(&e, 6);
    job_put_files(&e, r->outputs, r->noutputs);
    return cbor_enc_finish(&e, len);
}

int job_spec_hash(const struct job_spec *s, uint8_t hash[JOB_HASH])
{
    static const size_t cap = JOB_SPEC_MAX;
    uint8_t buf[JOB_SPEC_MAX];
    size_t len = 0;
    int err = job_spec_encode(s, buf, cap, &len);

    if (err == 0) {
        blake3_hash(buf, len, hash);
    }
    return err;
}

/* ---- decoding: each helper reads one key and its value ---- */

static int job_key(cbor_dec *d, uint64_t want)
{
    uint64_t k = 0;
    int err = cbor_get_uint(d, &k);

    return err != 0 ? err : (k == want ? 0 : ZERR_CORRUPT);
}

static int job_get_uint(cbor_dec *d, uint64_t key, uint64_t *v, uint64_t min, uint64_t max)
{
    int err = job_key(d, key);

    if (err == 0) {
        err = cbor_get_uint(d, v);
    }
    return err != 0 ? err : (*v < min || *v > max ? ZERR_CORRUPT : 0);
}

static int job_get_hash(cbor_dec *d, uint8_t out[JOB_HASH])
{
    const uint8_t *p = NULL;
    size_t n = 0;
    int err = cbor_get_bytes(d, &p, &n);

    if (err != 0) {
        return err;
    }
    if (n != JOB_HASH) {
        return ZERR_CORRUPT;
    }
    memcpy(out, p, JOB_HASH);
    return 0;
}

/* A text item of at most max bytes, without NUL, into out (max + 1 bytes). */
static int job_get_text(cbor_dec *d, char *out, size_t max)
{
    const char *s = NULL;
    size_t n = 0;
    int err = cbor_get_text(d, &s, &n);

    if (err != 0) {
        return err;
    }
    if (n > max) {
        return ZERR_CORRUPT;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            return ZERR_CORRUPT;
        }
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* An array head of at most max items. */
static int job_get_count(cbor_dec *d, uint32_t *n, uint32_t max)
{
    uint64_t v = 0;
    int err = cbor_get_array(d, &v);

    if (err != 0) {
        return err;
    }
    if (v > max) {
        return ZERR_LIMIT;
    }
    *n = (uint32_t)v;
    return 0;
}

/* An array of text items, each at most JOB_STR_MAX bytes. */
static int job_get_strings(cbor_dec *d, uint64_t key, char (*out)[JOB_STR_MAX + 1], uint32_t *n,
                           uint32_t max)
{
    int err = job_key(d, key);

    if (err == 0) {
        err = job_get_count(d, n, max);
    }
    for (uint32_t i = 0; err == 0 && i < *n; i++) {
        err = job_get_text(d, out[i], JOB_STR_MAX);
    }
    return err;
}

static int job_get_files(cbor_dec *d, uint64_t key, struct job_file *f, uint32_t *n)
{
    uint32_t pair = 0;
    int err = job_key(d, key);

    if (err == 0) {
        err = job_get_count(d, n, JOB_MAX_FILES);
    }
    for (uint32_t i = 0; err == 0 && i < *n; i++) {
        err = job_get_count(d, &pair, 2);
        if (err == 0 && pair != 2) {
            err = ZERR_CORRUPT;
        }
        if (err == 0) {
            err = job_get_text(d, f[i].path, JOB_STR_MAX);
        }
        if (err == 0) {
            err = job_get_hash(d, f[i].hash);
        }
    }
    return err != 0 ? err : (job_files_ok(f, *n) ? 0 : ZERR_CORRUPT);
}

/* A map of exactly n keys whose key 0 is the format. */
static int job_get_head(cbor_dec *d, uint64_t n)
{
    uint64_t got = 0;
    uint64_t v = 0;
    int err = cbor_get_map(d, &got);

    if (err != 0) {
        return err;
    }
    if (got != n) {
        return ZERR_CORRUPT;
    }
    return job_get_uint(d, 0, &v, JOB_FORMAT, JOB_FORMAT);
}

/* Spec keys 1 to 4: program, arguments, environment, inputs. */
static int job_spec_decode_lists(cbor_dec *d, struct job_spec *s)
{
    int err = job_key(d, 1);

    if (err == 0) {
        err = job_get_hash(d, s->program);
    }
    if (err == 0) {
        err = job_get_strings(d, 2, s->argv, &s->argc, JOB_MAX_ARGS);
    }
    if (err == 0) {
        err = job_get_strings(d, 3, s->env, &s->envc, JOB_MAX_ENV);
    }
    if (err == 0) {
        err = job_get_files(d, 4, s->inputs, &s->ninputs);
    }
    return err;
}

/* Spec keys 5 to 9: time, seed, fuel, memory, output directory. */
static int job_spec_decode_env(cbor_dec *d, struct job_spec *s)
{
    uint64_t pages = 0;
    int err = job_get_uint(d, 5, &s->time_ns, 0, UINT64_MAX);

    if (err == 0) {
        err = job_get_uint(d, 6, &s->seed, 0, UINT64_MAX);
    }
    if (err == 0) {
        err = job_get_uint(d, 7, &s->fuel, 1, UINT64_MAX);
    }
    if (err == 0) {
        err = job_get_uint(d, 8, &pages, 1, JOB_MAX_PAGES);
        s->mem_pages = (uint32_t)pages;
    }
    if (err == 0) {
        err = job_key(d, 9);
    }
    if (err == 0) {
        err = job_get_text(d, s->outdir, JOB_OUTDIR_MAX);
    }
    return err;
}

int job_spec_decode(const uint8_t *buf, size_t len, struct job_spec *out)
{
    cbor_dec d;
    int err = len > JOB_SPEC_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 3);

    if (err != 0) {
        return err;
    }
    memset(out, 0, sizeof(*out));
    cbor_dec_init(&d, buf, len);
    err = job_get_head(&d, JOB_SPEC_KEYS);
    if (err == 0) {
        err = job_spec_decode_lists(&d, out);
    }
    if (err == 0) {
        err = job_spec_decode_env(&d, out);
    }
    if (err == 0) {
        err = cbor_dec_finish(&d);
    }
    return err != 0 ? err : (job_spec_ok(out) ? 0 : ZERR_CORRUPT);
}

int job_result_decode(const uint8_t *buf, size_t len, struct job_result *out)
{
    cbor_dec d;
    uint64_t end = 0;
    uint64_t code = 0;
    int err = len > JOB_RESULT_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 3);

    if (err != 0) {
        return err;
    }
    memset(out, 0, sizeof(*out));
    cbor_dec_init(&d, buf, len);
    err = job_get_head(&d, JOB_RESULT_KEYS);
    if (err == 0) {
        err = job_get_uint(&d, 1, &end, 0, JOB_END_REFUSED);
    }
    if (err == 0) {
        err = job_get_uint(&d, 2, &code, 0, UINT32_MAX);
    }
    if (err == 0) {
        err = job_get_uint(&d, 3, &out->fuel_used, 0, UINT64_MAX);
    }
    if (err == 0) {
        err = job_key(&d, 4);
    }
    if (err == 0) {
        err = job_get_hash(&d, out->stdout_hash);
    }
    if (err == 0) {
        err = job_key(&d, 5);
    }
    if (err == 0) {
        err = job_get_hash(&d, out->stderr_hash);
    }
    if (err == 0) {
        err = job_get_files(&d, 6, out->outputs, &out->noutputs);
    }
    out->end = (uint8_t)end;
    out->code = (uint32_t)code;
    return err != 0 ? err : cbor_dec_finish(&d);
}

const char *job_end_name(uint8_t end)
{
    static const char *const names[] = {"exit", "trap", "refused"};

    return end <= JOB_END_REFUSED ? names[end] : "?";
}

const char *job_refusal_text(uint32_t code)
{
    static const char *const texts[] = {"?",
                                        "not a valid module",
                                        "imports something not granted",
                                        "no _start or no memory export",
                                        "needs more memory than the limit",
                                        "instantiation failed"};

    return code < sizeof(texts) / sizeof(texts[0]) ? texts[code] : "?";
}
