#include "services/policy/policy.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"

/* The words of a rule, pointing into the caller's text. */
struct policy_words {
    const char *w[3 + 1 + POLICY_MAX_CONDS * 4 + 1];
    size_t len[3 + 1 + POLICY_MAX_CONDS * 4 + 1];
    size_t n;
};

static const char *const policy_attr_names[] = {
    "proposer.kind",  "proposer.parent", "resource", "resource.kind", "resource.parent",
    "resource.under", "program",         "fuel",     "limit.frames",  "limit.threads",
    "limit.slots",    "image",           "as",       "rights"};

const char *policy_effect_name(uint8_t effect)
{
    return effect == POLICY_ALLOW ? "allow" : "deny";
}

static bool policy_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

/* Splits text into words; ZERR_LIMIT if there are too many. */
static int policy_split(const char *text, size_t len, struct policy_words *ws)
{
    size_t i = 0;
    const size_t max = sizeof(ws->w) / sizeof(ws->w[0]);

    ws->n = 0;
    while (i < len) {
        while (i < len && policy_blank(text[i])) {
            i++;
        }
        if (i == len) {
            break;
        }
        if (ws->n == max) {
            return ZERR_LIMIT;
        }
        size_t start = i;
        while (i < len && !policy_blank(text[i])) {
            i++;
        }
        ws->w[ws->n] = text + start;
        ws->len[ws->n] = i - start;
        ws->n++;
    }
    return 0;
}

/* True if s (n bytes) is made of [a-z0-9._-] (an action or name fragment),
 * with path of [A-Za-z0-9._/-] (a filesystem path fragment), or with addr
 * of [a-z0-9._:-] (a network end, "10.0.2.2:80"). */
static bool policy_word_chars(const char *s, size_t n, bool path, bool addr)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || (path && ((c >= 'A' && c <= 'Z') || c == '/')) || (addr && c == ':'))) {
            return false;
        }
    }
    return true;
}

/* Parses a principal/resource (allow_kind) or action pattern; a resource
 * pattern (allow_path) may also be a path pattern, starting with "/", or
 * hold ':' (a network end). */
static int policy_parse_pat(const char *w, size_t n, bool allow_kind, bool allow_path,
                            struct policy_pat *p)
{
    memset(p, 0, sizeof(*p));
    if (n > POLICY_WORD_MAX) {
        return ZERR_INVAL;
    }
    if (n == 1 && w[0] == '*') {
        p->kind = POLICY_PAT_ANY;
        return 0;
    }
    if (allow_kind && n > 5 && memcmp(w, "kind:", 5) == 0) {
        p->kind = POLICY_PAT_KIND;
        p->id_kind = id_kind_parse(w + 5, n - 5);
        return p->id_kind == ID_KIND_NONE ? ZERR_INVAL : 0;
    }
    bool prefix = w[n - 1] == '*';
    size_t body = prefix ? n - 1 : n;
    bool path = allow_path && w[0] == '/';
    if (!policy_word_chars(w, body, path, allow_path && !path) || (!prefix && body == 0)) {
        return ZERR_INVAL;
    }
    p->kind = prefix ? POLICY_PAT_PREFIX : POLICY_PAT_EXACT;
    memcpy(p->s, w, body);
    return 0;
}

/* A program hash: 64 lower-case hex digits. */
static bool policy_parse_hash(const char *w, size_t n, uint8_t out[32])
{
    if (n != 64) {
        return false;
    }
    for (size_t i = 0; i < 64; i++) {
        char c = w[i];
        int v = c >= '0' && c <= '9' ? c - '0' : (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
        if (v < 0) {
            return false;
        }
        out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
    }
    return true;
}

/* A decimal number without leading zeros that fits 64 bits. */
static bool policy_parse_num(const char *w, size_t n, uint64_t *out)
{
    uint64_t v = 0;

    if (n == 0 || n > 20 || (n > 1 && w[0] == '0')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9' || v > (UINT64_MAX - (uint64_t)(w[i] - '0')) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(w[i] - '0');
    }
    *out = v;
    return true;
}

/* An image hash prefix: 8 to 64 lower-case hex digits, kept in c->hash. */
static bool policy_parse_prefix(const char *w, size_t n, struct policy_cond *c)
{
    if (n < 8 || n > 64) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : (ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1);
        if (v < 0) {
            return false;
        }
        c->hash[i / 2] = (uint8_t)(i % 2 ? c->hash[i / 2] | v : v << 4);
    }
    c->hex_len = (uint8_t)n;
    return true;
}

/* True for the conditions compared with "<=" against a number. */
static bool policy_attr_bound(uint8_t attr)
{
    return attr == POLICY_ATTR_FUEL || attr == POLICY_ATTR_LIMIT_FRAMES ||
           attr == POLICY_ATTR_LIMIT_THREADS || attr == POLICY_ATTR_LIMIT_SLOTS ||
           attr == POLICY_ATTR_RIGHTS;
}

/* The job and process conditions: "program ==|!= HEX64", "image ==|!= HEXPREFIX",
 * "fuel|limit.*|rights <= N". */
static int policy_parse_job_cond(const char *const *w, const size_t *len, struct policy_cond *c)
{
    if (policy_attr_bound(c->attr)) {
        return word_is(w[1], len[1], "<=") && policy_parse_num(w[2], len[2], &c->num) ? 0
                                                                                      : ZERR_INVAL;
    }
    if (word_is(w[1], len[1], "!=")) {
        c->negate = 1;
    } else if (!word_is(w[1], len[1], "==")) {
        return ZERR_INVAL;
    }
    if (c->attr == POLICY_ATTR_IMAGE) {
        return policy_parse_prefix(w[2], len[2], c) ? 0 : ZERR_INVAL;
    }
    return policy_parse_hash(w[2], len[2], c->hash) ? 0 : ZERR_INVAL;
}

static int policy_parse_cond(const char *const *w, const size_t *len, struct policy_cond *c)
{
    size_t nattr = sizeof(policy_attr_names) / sizeof(policy_attr_names[0]);

    memset(c, 0, sizeof(*c));
    c->attr = 0xff;
    for (size_t a = 0; a < nattr; a++) {
        if (word_is(w[0], len[0], policy_attr_names[a])) {
            c->attr = (uint8_t)a;
        }
    }
    if (c->attr == 0xff) {
        return ZERR_INVAL;
    }
    if (c->attr == POLICY_ATTR_PROGRAM || c->attr == POLICY_ATTR_IMAGE ||
        policy_attr_bound(c->attr)) {
        return policy_parse_job_cond(w, len, c);
    }
    if (word_is(w[1], len[1], "!=")) {
        c->negate = 1;
    } else if (!word_is(w[1], len[1], "==")) {
        return ZERR_INVAL;
    }
    if (c->attr == POLICY_ATTR_PROPOSER_KIND || c->attr == POLICY_ATTR_RESOURCE_KIND) {
        c->id_kind = id_kind_parse(w[2], len[2]);
        if (c->id_kind == ID_KIND_NONE) {
            return ZERR_INVAL;
        }
    } else if (word_is(w[2], len[2], "proposer")) {
        c->is_proposer = 1;
    } else if (!id_name_valid(w[2], len[2])) {
        return ZERR_INVAL;
    }
    memcpy(c->value, w[2], len[2]);
    return 0;
}

/* Joins the words with single spaces into r->text. */
static int policy_normalise(const struct policy_words *ws, struct policy_rule *r)
{
    size_t pos = 0;

    for (size_t i = 0; i < ws->n; i++) {
        size_t need = ws->len[i] + (i > 0 ? 1 : 0);
        if (pos + need > POLICY_TEXT_MAX) {
            return ZERR_LIMIT;
        }
        if (i > 0) {
            r->text[pos++] = ' ';
        }
        memcpy(r->text + pos, ws->w[i], ws->len[i]);
        pos += ws->len[i];
    }
    r->text[pos] = '\0';
    return 0;
}

static int policy_fail(char *err, size_t errcap, int code, const char *what)
{
    if (errcap > 0) {
        zfmt_snprintf(err, errcap, "%s", what);
    }
    return code;
}

int policy_parse(const char *text, size_t len, uint8_t effect, struct policy_rule *out, char *err,
                 size_t errcap)
{
    struct policy_words ws;

    memset(out, 0, sizeof(*out));
    out->effect = effect == POLICY_ALLOW ? POLICY_ALLOW : POLICY_DENY;
    if (len > POLICY_TEXT_MAX || policy_split(text, len, &ws) != 0) {
        return policy_fail(err, errcap, ZERR_LIMIT, "rule too long");
    }
    if (ws.n < 3) {
        return policy_fail(err, errcap, ZERR_INVAL, "a rule is PRINCIPAL ACTION RESOURCE [if ...]");
    }
    if (policy_parse_pat(ws.w[0], ws.len[0], true, false, &out->principal) != 0) {
        return policy_fail(err, errcap, ZERR_INVAL, "bad principal pattern");
    }
    if (policy_parse_pat(ws.w[1], ws.len[1], false, false, &out->action) != 0) {
        return policy_fail(err, errcap, ZERR_INVAL, "bad action pattern");
    }
    if (policy_parse_pat(ws.w[2], ws.len[2], true, true, &out->resource) != 0) {
        return policy_fail(err, errcap, ZERR_INVAL, "bad resource pattern");
    }
    if (ws.n > 3) {
        if (!word_is(ws.w[3], ws.len[3], "if") || (ws.n - 4) % 4 != 3) {
            return policy_fail(err, errcap, ZERR_INVAL,
                               "conditions are: if ATTR ==|!= VALUE {and ATTR ==|!= VALUE}");
        }
        for (size_t i = 4; i < ws.n; i += 4) {
            if (i > 4 && !word_is(ws.w[i - 1], ws.len[i - 1], "and")) {
                return policy_fail(err, errcap, ZERR_INVAL, "conditions are joined by 'and'");
            }
            if (out->ncond == POLICY_MAX_CONDS) {
                return policy_fail(err, errcap, ZERR_LIMIT, "too many conditions");
            }
            if (policy_parse_cond(&ws.w[i], &ws.len[i], &out->cond[out->ncond]) != 0) {
                return policy_fail(err, errcap, ZERR_INVAL, "bad condition");
            }
            out->ncond++;
        }
    }
    if (policy_normalise(&ws, out) != 0) {
        return policy_fail(err, errcap, ZERR_LIMIT, "rule too long");
    }
    return 0;
}

void policy_set_init(struct policy_set *s)
{
    memset(s, 0, sizeof(*s));
    s->next_id = 1;
}

int policy_check_add(const struct policy_set *s)
{
    return s->n < POLICY_MAX_RULES ? 0 : ZERR_FULL;
}

uint32_t policy_do_add(struct policy_set *s, const struct policy_rule *r)
{
    uint32_t id = s->next_id;

    if (s->n == POLICY_MAX_RULES) {
        return 0; /* policy_check_add refused this */
    }
    s->r[s->n] = *r;
    s->r[s->n].id = id;
    s->n++;
    s->next_id++;
    return id;
}

const struct policy_rule *policy_find(const struct policy_set *s, uint32_t id)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->r[i].id == id) {
            return &s->r[i];
        }
    }
    return NULL;
}

int policy_check_remove(const struct policy_set *s, uint32_t id)
{
    return policy_find(s, id) != NULL ? 0 : ZERR_NOENT;
}

void policy_do_remove(struct policy_set *s, uint32_t id)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->r[i].id == id) {
            memmove(&s->r[i], &s->r[i + 1], (size_t)(s->n - i - 1) * sizeof(s->r[0]));
            s->n--;
            return;
        }
    }
}

static bool policy_name_match(const struct policy_pat *p, const char *name)
{
    switch (p->kind) {
    case POLICY_PAT_ANY:
        return true;
    case POLICY_PAT_EXACT:
        return strcmp(p->s, name) == 0;
    case POLICY_PAT_PREFIX:
        return strncmp(p->s, name, strlen(p->s)) == 0;
    default:
        return false;
    }
}

static bool policy_pat_match(const struct policy_pat *p, const struct policy_subject *sub)
{
    return p->kind == POLICY_PAT_KIND ? sub->kind == p->id_kind : policy_name_match(p, sub->name);
}

/* True if name is the subject or one of its recorded issuers. */
static bool policy_under(const struct policy_subject *sub, const char *name)
{
    if (strcmp(sub->name, name) == 0) {
        return true;
    }
    for (uint8_t i = 0; i < sub->nissuers && i < POLICY_CHAIN_MAX; i++) {
        if (strcmp(sub->issuers[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* True if hash starts with c's hex prefix (whole bytes, then a last half byte if odd). */
static bool policy_prefix_match(const uint8_t *hash, const struct policy_cond *c)
{
    size_t whole = c->hex_len / 2u;
    if (memcmp(hash, c->hash, whole) != 0) {
        return false;
    }
    return c->hex_len % 2u == 0 || (hash[whole] & 0xf0) == c->hash[whole];
}

static bool policy_cond_holds(const struct policy_cond *c, const struct policy_request *rq)
{
    const char *value = c->is_proposer ? rq->proposer.name : c->value;
    bool eq;

    switch (c->attr) {
    case POLICY_ATTR_PROPOSER_KIND:
        eq = rq->proposer.kind == c->id_kind;
        break;
    case POLICY_ATTR_RESOURCE_KIND:
        eq = rq->resource.kind == c->id_kind;
        break;
    case POLICY_ATTR_PROPOSER_PARENT:
        eq = strcmp(rq->proposer.parent, value) == 0;
        break;
    case POLICY_ATTR_RESOURCE:
        eq = strcmp(rq->resource.name, value) == 0;
        break;
    case POLICY_ATTR_RESOURCE_PARENT:
        eq = strcmp(rq->resource.parent, value) == 0;
        break;
    case POLICY_ATTR_RESOURCE_UNDER:
        eq = policy_under(&rq->resource, value);
        break;
    case POLICY_ATTR_PROGRAM:
        eq = rq->program != NULL && memcmp(rq->program, c->hash, sizeof(c->hash)) == 0;
        break;
    case POLICY_ATTR_FUEL:
        return rq->program != NULL && rq->fuel <= c->num; /* only "<=" */
    case POLICY_ATTR_LIMIT_FRAMES:
    case POLICY_ATTR_LIMIT_THREADS:
    case POLICY_ATTR_LIMIT_SLOTS:
        return rq->image != NULL && rq->limit[c->attr - POLICY_ATTR_LIMIT_FRAMES] <= c->num;
    case POLICY_ATTR_RIGHTS:
        return rq->has_rights && (rq->rights & ~c->num) == 0;
    case POLICY_ATTR_IMAGE:
        eq = rq->image != NULL && policy_prefix_match(rq->image, c);
        break;
    case POLICY_ATTR_AS:
        eq = rq->run_as != NULL && strcmp(rq->run_as, value) == 0;
        break;
    default:
        return false;
    }
    return c->negate ? !eq : eq;
}

static bool policy_rule_matches(const struct policy_rule *r, const struct policy_request *rq)
{
    if (!policy_pat_match(&r->principal, &rq->proposer) ||
        !policy_name_match(&r->action, rq->action) ||
        !policy_pat_match(&r->resource, &rq->resource)) {
        return false;
    }
    for (uint8_t i = 0; i < r->ncond && i < POLICY_MAX_CONDS; i++) {
        if (!policy_cond_holds(&r->cond[i], rq)) {
            return false;
        }
    }
    return true;
}

/* Folds rule r (id `id`) into a running decision; returns true once a deny decided. */
static bool policy_step(const struct policy_rule *r, uint32_t id, const struct policy_request *rq,
                        struct policy_decision *d)
{
    if (!policy_rule_matches(r, rq)) {
        return false;
    }
    if (r->effect == POLICY_DENY) {
        d->allow = 0;
        d->rule = id;
        return true;
    }
    if (!d->allow) {
        d->allow = 1;
        d->rule = id;
    }
    return false;
}

void policy_eval_with(const struct policy_set *s, uint32_t without, const struct policy_rule *with,
                      const struct policy_request *rq, struct policy_decision *d)
{
    d->allow = 0;
    d->rule = POLICY_DEFAULT_RULE;
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->r[i].id != without && policy_step(&s->r[i], s->r[i].id, rq, d)) {
            return;
        }
    }
    if (with != NULL) {
        (void)policy_step(with, s->next_id, rq, d);
    }
}

void policy_eval(const struct policy_set *s, const struct policy_request *rq,
                 struct policy_decision *d)
{
    policy_eval_with(s, 0, NULL, rq, d);
}

void policy_encode_rule(const struct policy_rule *r, cbor_enc *e)
{
    cbor_put_array(e, 3);
    cbor_put_uint(e, r->id);
    cbor_put_uint(e, r->effect);
    cbor_put_cstr(e, r->text);
}
