/* Policy Engine: parsing, normal form, default deny, deny precedence, conditions. */
#include <string.h>

#include "base/errors.h"
#include "services/policy/policy.h"
#include "tap.h"

static struct policy_set set;

static uint32_t add(const char *text, uint8_t effect)
{
    struct policy_rule r;
    char err[96];

    if (policy_parse(text, strlen(text), effect, &r, err, sizeof(err)) != 0) {
        return 0;
    }
    return policy_do_add(&set, &r);
}

static struct policy_subject subj(const char *name, uint8_t kind, const char *parent)
{
    struct policy_subject s;

    memset(&s, 0, sizeof(s));
    s.name = name;
    s.kind = kind;
    s.parent = parent;
    return s;
}

static struct policy_decision decide(const char *who, uint8_t kind, const char *parent,
                                     const char *action, const char *res, uint8_t rkind,
                                     const char *rparent)
{
    struct policy_request rq = {subj(who, kind, parent),
                                action,
                                subj(res, rkind, rparent),
                                NULL,
                                0,
                                NULL,
                                NULL,
                                {0},
                                false,
                                0};
    struct policy_decision d;

    policy_eval(&set, &rq, &d);
    return d;
}

static void test_parse(void)
{
    struct policy_rule r;
    char err[96];

    is_int(policy_parse("  alice   id.create  *  ", 24, POLICY_ALLOW, &r, err, sizeof(err)), 0,
           "policy_parse_accepts_extra_blanks");
    is_str(r.text, "alice id.create *", "policy_parse_normalises_blanks");
    is_int(policy_parse("alice id.create", 15, POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL,
           "policy_parse_rejects_two_words");
    is_int(policy_parse("Alice * *", 9, POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL,
           "policy_parse_rejects_upper_case_name");
    is_int(policy_parse("kind:robot * *", 14, POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL,
           "policy_parse_rejects_unknown_kind");
    const char *c = "* * * if resource.kind == agent and resource.parent == proposer";
    is_int(policy_parse(c, strlen(c), POLICY_ALLOW, &r, err, sizeof(err)), 0,
           "policy_parse_accepts_two_conditions");
    is_int(r.ncond, 2, "policy_parse_counts_conditions");
    const char *bad = "* * * if resource.kind = agent";
    is_int(policy_parse(bad, strlen(bad), POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL,
           "policy_parse_rejects_bad_operator");
    const char *dangling = "* * * if resource.kind == agent and";
    is_int(policy_parse(dangling, strlen(dangling), POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL,
           "policy_parse_rejects_dangling_and");
    const char *many = "* * * if resource == a and resource == a and resource == a and resource "
                       "== a and resource == a";
    ok(policy_parse(many, strlen(many), POLICY_ALLOW, &r, err, sizeof(err)) != 0,
       "policy_parse_rejects_five_conditions");
    char big[400];
    memset(big, 'a', sizeof(big));
    ok(policy_parse(big, sizeof(big), POLICY_ALLOW, &r, err, sizeof(err)) != 0,
       "policy_parse_rejects_oversized_text");
}

static void test_eval(void)
{
    struct policy_decision d;

    policy_set_init(&set);
    d = decide("alice", ID_KIND_USER, "root", "note", "note", ID_KIND_NONE, "");
    ok(!d.allow && d.rule == POLICY_DEFAULT_RULE, "policy_empty_set_denies_by_default");
    is_int(add("root * *", POLICY_ALLOW), 1, "policy_first_rule_gets_id_1");
    d = decide("root", ID_KIND_NODE, "", "id.create", "bob", ID_KIND_USER, "root");
    ok(d.allow && d.rule == 1, "policy_allow_rule_names_itself");
    is_int(add("kind:user id.create * if resource.kind == agent and resource.parent == proposer",
               POLICY_ALLOW),
           2, "policy_conditional_rule_added");
    d = decide("alice", ID_KIND_USER, "root", "id.create", "bot", ID_KIND_AGENT, "alice");
    ok(d.allow && d.rule == 2, "policy_condition_holds_allows");
    d = decide("alice", ID_KIND_USER, "root", "id.create", "eve", ID_KIND_USER, "alice");
    ok(!d.allow && d.rule == 0, "policy_condition_fails_default_deny");
    is_int(add("alice id.* *", POLICY_DENY), 3, "policy_deny_rule_added");
    d = decide("alice", ID_KIND_USER, "root", "id.create", "bot", ID_KIND_AGENT, "alice");
    ok(!d.allow && d.rule == 3, "policy_deny_beats_earlier_allow");
    d = decide("alicex", ID_KIND_USER, "root", "id.create", "bot", ID_KIND_AGENT, "alicex");
    ok(d.allow && d.rule == 2, "policy_exact_name_does_not_match_longer_name");
    is_int(add("svc-* note *", POLICY_ALLOW), 4, "policy_prefix_rule_added");
    d = decide("svc-log", ID_KIND_SERVICE, "root", "note", "note", ID_KIND_NONE, "");
    ok(d.allow && d.rule == 4, "policy_prefix_pattern_matches");
    is_int(policy_check_remove(&set, 9), ZERR_NOENT, "policy_remove_unknown_rule_refused");
    policy_do_remove(&set, 3);
    d = decide("alice", ID_KIND_USER, "root", "id.create", "bot", ID_KIND_AGENT, "alice");
    ok(d.allow && d.rule == 2, "policy_removed_deny_no_longer_applies");
    is_int(add("* * *", POLICY_ALLOW), 5, "policy_ids_are_never_reused");
    struct policy_rule deny_all;
    char err[96];
    policy_parse("* * *", 5, POLICY_DENY, &deny_all, err, sizeof(err));
    struct policy_request rq = {subj("svc-log", ID_KIND_SERVICE, "root"),
                                "note",
                                subj("note", 0, ""),
                                NULL,
                                0,
                                NULL,
                                NULL,
                                {0},
                                false,
                                0};
    policy_eval_with(&set, 0, &deny_all, &rq, &d);
    ok(!d.allow && d.rule == set.next_id, "policy_preview_with_added_deny_names_its_future_id");
    policy_eval_with(&set, 4, NULL, &rq, &d);
    ok(d.allow && d.rule == 5, "policy_preview_without_a_rule_skips_it");
    policy_eval(&set, &rq, &d);
    ok(d.allow && d.rule == 4, "policy_preview_leaves_the_set_unchanged");

    policy_set_init(&set);
    is_int(add("kind:user id.revoke * if resource.under == proposer and resource != proposer",
               POLICY_ALLOW),
           1, "policy_under_rule_added");
    struct policy_request deep = {subj("alice", ID_KIND_USER, "root"),
                                  "id.revoke",
                                  subj("bot2", ID_KIND_AGENT, "bot1"),
                                  NULL,
                                  0,
                                  NULL,
                                  NULL,
                                  {0},
                                  false,
                                  0};
    deep.resource.issuers[0] = "bot1";
    deep.resource.issuers[1] = "alice";
    deep.resource.issuers[2] = "root";
    deep.resource.nissuers = 3;
    policy_eval(&set, &deep, &d);
    ok(d.allow && d.rule == 1, "policy_resource_under_reaches_indirect_issuers");
    deep.proposer.name = "bob";
    policy_eval(&set, &deep, &d);
    ok(!d.allow, "policy_resource_under_other_issuer_denied");
    deep.proposer.name = "bot2";
    deep.proposer.kind = ID_KIND_USER;
    policy_eval(&set, &deep, &d);
    ok(!d.allow, "policy_resource_under_itself_excluded_by_second_condition");
}

/* policy_parse refuses text as a bad rule. */
static void refuses(const char *text, const char *name)
{
    struct policy_rule r;
    char err[96];

    is_int(policy_parse(text, strlen(text), POLICY_ALLOW, &r, err, sizeof(err)), ZERR_INVAL, name);
}

/* A resource pattern starting with "/" names filesystem paths. */
static void test_paths(void)
{
    struct policy_decision d;

    policy_set_init(&set);
    is_int(add("kind:user fs.write /home/alice/*", POLICY_ALLOW), 1, "policy_path_prefix_parses");
    is_int(add("alice fs.write /etc/Motd.txt", POLICY_ALLOW), 2, "policy_path_exact_parses");
    d = decide("alice", ID_KIND_USER, "root", "fs.write", "/home/alice/notes/a", 0, "");
    ok(d.allow && d.rule == 1, "policy_path_prefix_matches_deeper_paths");
    d = decide("alice", ID_KIND_USER, "root", "fs.write", "/home/alicex", 0, "");
    ok(!d.allow, "policy_path_prefix_is_bytewise_and_needs_its_slash");
    d = decide("alice", ID_KIND_USER, "root", "fs.write", "/etc/Motd.txt", 0, "");
    ok(d.allow && d.rule == 2, "policy_path_exact_matches_upper_case");
    d = decide("alice", ID_KIND_USER, "root", "fs.write", "/etc/Motd.txt2", 0, "");
    ok(!d.allow, "policy_path_exact_does_not_match_longer_path");
    refuses("alice fs.write Home", "policy_upper_case_only_in_paths");
    refuses("/alice fs.write *", "policy_path_pattern_not_a_principal");
    refuses("alice /fs *", "policy_path_pattern_not_an_action");
    refuses("alice fs.write /a$b", "policy_path_pattern_rejects_other_bytes");
    refuses("alice fs.write /0123456789/0123456789/0123456789/*",
            "policy_path_pattern_at_most_32_bytes");
}

/* job.result: who may run which program (program ==) with how much fuel (fuel <=). */
static void test_jobs(void)
{
    static const char prog[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    uint8_t hash[32];
    uint8_t other[32];
    char rule[200];
    struct policy_decision d;
    struct policy_request rq = {subj("alice", ID_KIND_USER, "root"),
                                "job.result",
                                subj("job", 0, ""),
                                hash,
                                1000,
                                NULL,
                                NULL,
                                {0},
                                false,
                                0};

    for (int i = 0; i < 32; i++) {
        hash[i] = (uint8_t)(0x11 * (i % 16));
        other[i] = 0;
    }
    policy_set_init(&set);
    strcpy(rule, "alice job.result job if program == ");
    strcat(rule, prog);
    strcat(rule, " and fuel <= 1000");
    is_int(add(rule, POLICY_ALLOW), 1, "policy_job_rule_parses");
    policy_eval(&set, &rq, &d);
    ok(d.allow && d.rule == 1, "policy_job_allows_the_program_within_its_fuel");
    rq.fuel = 1001;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_job_refuses_more_fuel_than_granted");
    rq.fuel = 10;
    rq.program = other;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_job_refuses_another_program");
    rq.program = NULL;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_job_conditions_are_false_without_a_job");
    refuses("alice job.result job if fuel == 5", "policy_fuel_compares_only_with_le");
    refuses("alice job.result job if fuel <= 05", "policy_fuel_no_leading_zero");
    refuses("alice job.result job if fuel <= 18446744073709551616", "policy_fuel_fits_64_bits");
    refuses("alice job.result job if program == 00112233", "policy_program_is_64_hex");
    refuses("alice job.result job if program <= 1", "policy_program_compares_with_eq");
}

/* proc.spawn and cap.*: images by name or hash prefix, limits, the principal, rights. */
static void test_procs(void)
{
    uint8_t image[32];
    struct policy_decision d;
    struct policy_request rq;

    for (int i = 0; i < 32; i++) {
        image[i] = (uint8_t)(0xa0 + i);
    }
    memset(&rq, 0, sizeof(rq));
    rq.proposer = subj("alice", ID_KIND_USER, "root");
    rq.action = "proc.spawn";
    rq.resource = subj("image:echo", 0, "");
    rq.image = image;
    rq.run_as = "alice";
    rq.limit[0] = 256;
    rq.limit[1] = 2;
    rq.limit[2] = 32;
    policy_set_init(&set);
    is_int(add("kind:user proc.spawn image:echo if limit.frames <= 256 and as == proposer",
               POLICY_ALLOW),
           1, "policy_spawn_rule_parses");
    policy_eval(&set, &rq, &d);
    ok(d.allow && d.rule == 1, "policy_spawn_allows_within_limit_as_itself");
    rq.limit[0] = 257;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_spawn_refuses_more_frames_than_the_rule");
    rq.limit[0] = 10;
    rq.run_as = "bob";
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_spawn_refuses_another_principal");
    rq.run_as = "alice";
    rq.resource = subj("image:shell", 0, "");
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_spawn_refuses_another_image");
    is_int(add("kind:user proc.spawn * if image == a0a1a2a3a and limit.threads <= 4", POLICY_ALLOW),
           2, "policy_image_prefix_rule_parses");
    policy_eval(&set, &rq, &d);
    ok(d.allow && d.rule == 2, "policy_spawn_allows_image_by_hash_prefix");
    image[4] = 0xb0;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_image_prefix_checks_the_odd_half_byte");
    refuses("alice proc.spawn * if image == a0a1a2", "policy_image_prefix_at_least_8_digits");
    refuses("alice proc.spawn * if limit.frames == 4", "policy_limit_compares_with_le_only");
    refuses("alice proc.spawn * if image == A0A1A2A3", "policy_image_prefix_is_lower_case_hex");

    memset(&rq, 0, sizeof(rq));
    rq.proposer = subj("alice", ID_KIND_USER, "root");
    rq.action = "cap.grant";
    rq.resource = subj("fs", 0, "");
    rq.run_as = "alice";
    rq.has_rights = true;
    rq.rights = 3;
    policy_set_init(&set);
    is_int(add("kind:user cap.grant fs if rights <= 3 and as == proposer", POLICY_ALLOW), 1,
           "policy_cap_rule_parses");
    policy_eval(&set, &rq, &d);
    ok(d.allow, "policy_cap_allows_rights_within_mask");
    rq.rights = 8;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_cap_refuses_rights_beyond_mask");
    rq.rights = 1;
    rq.has_rights = false;
    policy_eval(&set, &rq, &d);
    ok(!d.allow, "policy_rights_condition_needs_rights");
}

int main(void)
{
    tap_no_plan();
    test_parse();
    test_eval();
    test_paths();
    test_jobs();
    test_procs();
    return tap_done();
}
