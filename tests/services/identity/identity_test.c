/*
 * The identity table: names, kinds and who may issue whom, the checks a
 * change must pass (hostile names, unknown and revoked parents, a full
 * table), sorted order whatever the insertion order, revocation of a whole
 * subtree, and the canonical encoding of a principal.
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "cbor/cbor.h"
#include "services/identity/identity.h"
#include "tap.h"

static struct id_table t;
static const uint8_t pub[ID_PUB_LEN] = {1, 2, 3};

static bool name_ok(const char *s)
{
    return id_name_valid(s, strlen(s));
}

static void test_names_and_kinds(void)
{
    ok(name_ok("alice") && name_ok("a") && name_ok("0day") && name_ok("svc.web_1-b"),
       "identity_accepts_lower_case_digits_and_inner_punctuation");
    ok(name_ok("abcdefghijklmnopqrstuvwxyz012345"), "identity_accepts_a_32_byte_name");
    ok(!name_ok("abcdefghijklmnopqrstuvwxyz0123456"), "identity_rejects_a_33_byte_name");
    ok(!name_ok(""), "identity_rejects_the_empty_name");
    ok(!name_ok("Alice") && !name_ok("al ice") && !name_ok("al/ice") && !name_ok("al\xc3\xa9"),
       "identity_rejects_upper_case_blanks_slashes_and_non_ascii");
    ok(!name_ok(".x") && !name_ok("-x") && !name_ok("_x"),
       "identity_rejects_punctuation_at_the_start");
    ok(!id_name_valid("a\0b", 3), "identity_rejects_a_nul_byte_inside_the_length");

    is_int(id_kind_parse("user", 4), ID_KIND_USER, "identity_parses_a_kind_name");
    is_int(id_kind_parse("use", 3), ID_KIND_NONE, "identity_rejects_a_kind_prefix");
    is_int(id_kind_parse("users", 5), ID_KIND_NONE, "identity_rejects_a_longer_kind_name");
    is_int(id_kind_parse("none", 4), ID_KIND_NONE, "identity_none_is_not_a_kind_to_create");
    is_str(id_kind_name(ID_KIND_AGENT), "agent", "identity_names_a_kind");
    is_str(id_kind_name(200), "none", "identity_names_an_unknown_kind_none");

    ok(id_kind_may_issue(ID_KIND_NODE, ID_KIND_NODE) &&
           id_kind_may_issue(ID_KIND_NODE, ID_KIND_SERVICE) &&
           id_kind_may_issue(ID_KIND_NODE, ID_KIND_USER) &&
           id_kind_may_issue(ID_KIND_USER, ID_KIND_AGENT),
       "identity_nodes_issue_nodes_services_users_and_users_issue_agents");
    ok(!id_kind_may_issue(ID_KIND_NODE, ID_KIND_AGENT) &&
           !id_kind_may_issue(ID_KIND_USER, ID_KIND_USER) &&
           !id_kind_may_issue(ID_KIND_SERVICE, ID_KIND_USER) &&
           !id_kind_may_issue(ID_KIND_AGENT, ID_KIND_AGENT),
       "identity_no_other_kind_may_issue");
}

static void test_create_checks(void)
{
    id_table_init(&t);
    is_int(id_check_create(&t, "", "root", ID_KIND_USER), ZERR_INVAL,
           "identity_genesis_principal_must_be_a_node");
    is_int(id_check_create(&t, "", "root", ID_KIND_NODE), 0, "identity_first_node_needs_no_parent");
    id_do_create(&t, "", "root", ID_KIND_NODE, pub, 0);
    is_int(id_check_create(&t, "", "second", ID_KIND_NODE), ZERR_INVAL,
           "identity_only_the_first_principal_has_no_parent");
    is_int(id_check_create(&t, "root", "root", ID_KIND_USER), ZERR_EXIST,
           "identity_refuses_a_taken_name");
    is_int(id_check_create(&t, "nobody", "x", ID_KIND_USER), ZERR_NOENT,
           "identity_refuses_an_unknown_parent");
    is_int(id_check_create(&t, "root", "x", ID_KIND_NONE), ZERR_INVAL,
           "identity_refuses_kind_none");
    is_int(id_check_create(&t, "root", "x", ID_KIND_COUNT), ZERR_INVAL,
           "identity_refuses_a_kind_out_of_range");
    is_int(id_check_create(&t, "root", "Bad", ID_KIND_USER), ZERR_INVAL,
           "identity_refuses_an_invalid_name");
    is_int(id_check_create(&t, "root", "bot", ID_KIND_AGENT), ZERR_PERM,
           "identity_node_may_not_issue_an_agent");
    id_do_create(&t, "root", "alice", ID_KIND_USER, pub, 1);
    is_int(id_check_live(&t, "alice"), 0, "identity_new_principal_is_live");
    is_int(id_check_live(&t, "zed"), ZERR_NOENT, "identity_unknown_principal_is_not_live");
    (void)id_do_revoke(&t, "alice");
    is_int(id_check_create(&t, "alice", "bot", ID_KIND_AGENT), ZERR_PERM,
           "identity_revoked_parent_may_not_issue");
    is_int(id_check_create(&t, "root", "alice", ID_KIND_USER), ZERR_EXIST,
           "identity_revoked_name_is_never_reused");
    is_int(id_check_live(&t, "alice"), ZERR_PERM, "identity_revoked_principal_is_not_live");
}

static void test_order_and_revocation(void)
{
    const char *names[] = {"mallory", "bob", "zoe", "carol", "alice"};

    id_table_init(&t);
    id_do_create(&t, "", "root", ID_KIND_NODE, pub, 0);
    for (unsigned i = 0; i < 5; i++) {
        id_do_create(&t, "root", names[i], ID_KIND_USER, pub, i + 1);
    }
    bool sorted = true;
    for (uint32_t i = 1; i < t.n; i++) {
        sorted = sorted && strcmp(t.p[i - 1].name, t.p[i].name) < 0;
    }
    ok(sorted && t.n == 6, "identity_table_is_sorted_by_name_whatever_the_insertion_order");
    ok(id_find(&t, "carol") != NULL && id_find(&t, "carol")->created_seq == 4,
       "identity_find_returns_the_principal");
    ok(id_find(&t, "car") == NULL && id_find(&t, "") == NULL, "identity_find_misses_prefixes");

    id_do_create(&t, "alice", "bot", ID_KIND_AGENT, pub, 6);
    id_do_create(&t, "alice", "bot2", ID_KIND_AGENT, pub, 7);
    ok(id_descends_from(&t, "bot", "root") && id_descends_from(&t, "bot", "alice") &&
           id_descends_from(&t, "bot", "bot") && !id_descends_from(&t, "bot", "bob"),
       "identity_descent_follows_the_issuers");
    is_int(id_do_revoke(&t, "alice"), 3, "identity_revocation_takes_the_whole_subtree");
    ok(id_find(&t, "bot2")->revoked && !id_find(&t, "bob")->revoked &&
           !id_find(&t, "root")->revoked,
       "identity_revocation_spares_everyone_else");
    is_int(id_do_revoke(&t, "alice"), 0, "identity_revoking_again_revokes_nobody_new");

    uint8_t pub2[ID_PUB_LEN] = {9};
    id_do_rotate(&t, "bob", pub2);
    ok(id_find(&t, "bob")->key_gen == 1 && id_find(&t, "bob")->pub[0] == 9,
       "identity_rotation_installs_the_key_and_counts_the_generation");
    id_do_rotate(&t, "nobody", pub2);
    id_do_proposal(&t, "bob", 5);
    is_int((int64_t)id_find(&t, "bob")->proposals, 5, "identity_records_the_last_proposal_number");
}

static void test_full_table(void)
{
    char name[16];
    static struct id_table big;

    id_table_init(&big);
    id_do_create(&big, "", "root", ID_KIND_NODE, pub, 0);
    for (uint32_t i = 1; i < ID_MAX_PRINCIPALS; i++) {
        snprintf(name, sizeof(name), "u%u", (unsigned)i);
        id_do_create(&big, "root", name, ID_KIND_USER, pub, i);
    }
    is_int(big.n, ID_MAX_PRINCIPALS, "identity_table_fills_to_its_limit");
    is_int(id_check_create(&big, "root", "onemore", ID_KIND_USER), ZERR_FULL,
           "identity_refuses_a_principal_past_the_limit");
    id_do_create(&big, "root", "onemore", ID_KIND_USER, pub, 9999);
    ok(big.n == ID_MAX_PRINCIPALS && id_find(&big, "onemore") == NULL,
       "identity_perform_past_the_limit_changes_nothing");
}

static void test_encoding(void)
{
    uint8_t buf[128];
    cbor_enc e;
    size_t len1 = 0, len2 = 0;
    struct id_principal p;

    memset(&p, 0, sizeof(p));
    strcpy(p.name, "al");
    p.kind = ID_KIND_USER;
    p.proposals = 3;
    cbor_enc_init(&e, buf, sizeof(buf));
    id_encode_principal(&p, 1, &e);
    is_int(cbor_enc_finish(&e, &len1), 0, "identity_encodes_a_principal");
    is_int(buf[0], 0x87, "identity_format_1_principal_is_an_array_of_7");
    ok(cbor_validate(buf, len1, 4) == 0, "identity_encoding_is_canonical_cbor");
    cbor_enc_init(&e, buf, sizeof(buf));
    id_encode_principal(&p, 2, &e);
    is_int(cbor_enc_finish(&e, &len2), 0, "identity_encodes_a_format_2_principal");
    ok(buf[0] == 0x88 && len2 == len1 + 1 && buf[len2 - 1] == 3,
       "identity_format_2_appends_the_proposal_number");
    cbor_enc_init(&e, buf, 8);
    id_encode_principal(&p, 2, &e);
    ok(cbor_enc_finish(&e, &len2) != 0, "identity_encoding_into_a_short_buffer_fails");
}

int main(void)
{
    tap_no_plan();
    test_names_and_kinds();
    test_create_checks();
    test_order_and_revocation();
    test_full_table();
    test_encoding();
    return tap_done();
}
