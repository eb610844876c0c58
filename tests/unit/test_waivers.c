/* SPDX-License-Identifier: Apache-2.0 */
/* Waivers: the reviewed file (tests/data/check/waivers/) and the profile's
 * one-line form are read field by field; every bad waiver is an error at
 * FILE:LINE:COL; expiry, critical rules, the SARIF suppression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "harness.h"
#include "waivers.h"

static const pg_waiver_policy today = {.today = "2026-06-01"};

/* Loads a fixture of tests/data/check/waivers/. */
static int load_fixture(const char *name, const pg_waiver_policy *pol, pg_waivers *w, pg_errors *err)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/check/waivers/%s", name);
    return pg_waivers_load(w, th_source(rel), pol, err);
}

/* Loads yaml from a scratch file named w.yaml. */
static int load_text(const char *yaml, const pg_waiver_policy *pol, pg_waivers *w, pg_errors *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%.4000s/w.yaml", th_scratch("waivers"));
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(yaml, f);
    fclose(f);
    return pg_waivers_load(w, path, pol, err);
}

/* The first error contains text (printed when it does not). */
static void expect_error(const pg_errors *err, const char *text)
{
    bool found = err->count > 0 && strstr(err->messages[0], text);
    if (!found)
        fprintf(stderr, "\n  wanted an error with: %s\n  got: %s\n", text, err->count ? err->messages[0] : "none");
    CU_ASSERT_TRUE(found);
}

/* yaml fails to load with an error containing text. */
static void expect_bad(const char *yaml, const char *text)
{
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(load_text(yaml, &today, &w, &err), -1);
    expect_error(&err, text);
    pg_errors_free(&err);
    pg_waivers_free(&w);
}

static void test_valid_file(void)
{
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(load_fixture("valid.yaml", &today, &w, &err), 0);
    CU_ASSERT_EQUAL_FATAL(w.count, 4);
    CU_ASSERT_STRING_EQUAL(w.items[0].rule->id, "PCI-KMS-001");
    CU_ASSERT_STRING_EQUAL(w.items[0].owner, "platform-team");
    CU_ASSERT_STRING_EQUAL(w.items[0].expires, "2999-12-31");
    CU_ASSERT_STRING_EQUAL(w.items[0].reason, "HSM-backed key, rotated by hand every 90 days");
    CU_ASSERT_EQUAL(w.items[0].line, 3);
    CU_ASSERT_EQUAL(w.items[0].col, 5);
    CU_ASSERT_FALSE(w.items[0].expired);
    CU_ASSERT_STRING_EQUAL(w.items[2].expires, "2999-12-31"); /* quoted or not */
    CU_ASSERT_STRING_EQUAL(w.items[3].reason, "alerts topic carries no cardholder data | ticket SEC-42");
    CU_ASSERT_EQUAL(err.count, 0);
    pg_waivers_free(&w);
    /* none at all is fine */
    CU_ASSERT_EQUAL(load_text("waivers: []\n", &today, &w, &err), 0);
    CU_ASSERT_EQUAL(w.count, 0);
    pg_waivers_free(&w);
}

/* Each fixture's error, at the field it is about. */
static void test_bad_fixtures(void)
{
    static const struct {
        const char *file, *error;
    } cases[] = {
        {"bad-date.yaml", "bad-date.yaml:4:14: expires '2027-02-30' is not a date YYYY-MM-DD"},
        {"unknown-rule.yaml", "unknown-rule.yaml:2:11: unknown rule 'PCI-KMS-01' (did you mean PCI-KMS-001?)"},
        {"unknown-key.yaml", "unknown-key.yaml:6:5: unknown key 'approved_by' in a waiver"},
        {"missing-field.yaml", "missing-field.yaml:2:5: waiver without owner"},
        {"critical.yaml", "critical.yaml:10:11: PCI-RDS-005 is a critical rule (Database instances not publicly "
                          "accessible): waiving it needs --allow-critical-waivers"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pg_waivers w = {0};
        pg_errors err = {0};
        CU_ASSERT_EQUAL(load_fixture(cases[i].file, &today, &w, &err), -1);
        CU_ASSERT_EQUAL(err.count, 1);
        expect_error(&err, cases[i].error);
        pg_errors_free(&err);
        pg_waivers_free(&w);
    }
}

static void test_critical_needs_consent(void)
{
    pg_waiver_policy consent = today;
    consent.allow_critical = true;
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(load_fixture("critical.yaml", &consent, &w, &err), 0);
    CU_ASSERT_EQUAL_FATAL(w.count, 3);
    CU_ASSERT_STRING_EQUAL(w.items[2].rule->id, "PCI-RDS-005");
    CU_ASSERT_EQUAL(w.items[2].rule->severity, PG_SEV_CRITICAL);
    pg_waivers_free(&w);
    pg_errors_free(&err);
}

/* expires is the first day a waiver no longer applies. */
static void test_expiry(void)
{
    const char *yaml = "waivers:\n"
                       "  - {rule: PCI-KMS-001, owner: a, expires: 2026-06-02, reason: r}\n"
                       "  - {rule: PCI-KMS-002, owner: a, expires: 2026-06-01, reason: r}\n"
                       "  - {rule: PCI-SNS-001, owner: a, expires: 2001-01-01, reason: r}\n";
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(load_text(yaml, &today, &w, &err), 0); /* expired is reported, not refused */
    CU_ASSERT_EQUAL_FATAL(w.count, 3);
    CU_ASSERT_FALSE(w.items[0].expired);
    CU_ASSERT_TRUE(w.items[1].expired);
    CU_ASSERT_TRUE(w.items[2].expired);
    pg_waivers_free(&w);
    pg_errors_free(&err);
    char today_now[11];
    pg_waivers_today(today_now);
    CU_ASSERT_EQUAL(strlen(today_now), 10);
    CU_ASSERT_TRUE(strcmp(today_now, "2025-01-01") > 0 && strcmp(today_now, "2999-12-31") < 0);
}

static void test_dates(void)
{
    static const struct {
        const char *date;
        bool ok;
    } cases[] = {
        {"2028-02-29", true},  {"2000-02-29", true},  {"2027-12-31", true},  {"2027-02-29", false},
        {"2100-02-29", false}, {"2027-04-31", false}, {"2027-13-01", false}, {"2027-00-10", false},
        {"2027-3-31", false},  {"31.03.2027", false}, {"2027-03-31T00:00:00Z", false}, {"0000-01-01", false},
        {"2027-03-3a", false}, {"next year", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *yaml = pg_xasprintf("waivers:\n  - rule: PCI-KMS-001\n    owner: a\n    expires: '%s'\n    reason: r\n",
                                  cases[i].date);
        pg_waivers w = {0};
        pg_errors err = {0};
        int rc = load_text(yaml, &today, &w, &err);
        if ((rc == 0) != cases[i].ok)
            fprintf(stderr, "\n  %s: %s\n", cases[i].date, cases[i].ok ? "refused" : "accepted");
        CU_ASSERT_EQUAL(rc == 0, cases[i].ok);
        if (!cases[i].ok)
            expect_error(&err, ":4:14: expires '");
        pg_errors_free(&err);
        pg_waivers_free(&w);
        free(yaml);
    }
}

static void test_bad_structure(void)
{
    expect_bad("", "w.yaml:1:1: the waivers file is empty");
    expect_bad("- rule: PCI-KMS-001\n", "w.yaml:1:1: a waivers file is a mapping with one key, 'waivers:'");
    expect_bad("waiver: []\n", "w.yaml:1:1: unknown key (a waivers file holds one key, 'waivers:')");
    expect_bad("waivers: []\nwaivers: []\n", "w.yaml:2:1: duplicate key waivers");
    expect_bad("waivers:\n", "w.yaml:1:9: waivers must be a list");
    expect_bad("{}\n", "no 'waivers:' list");
    expect_bad("waivers:\n  - PCI-KMS-001\n", "w.yaml:2:5: a waiver is a mapping");
    expect_bad("waivers: []\n---\nwaivers: []\n", "w.yaml:2:1: a waivers file holds exactly one YAML document");
    expect_bad("waivers:\n  - rule: [PCI-KMS-001]\n", "w.yaml:2:11: a waiver's fields are text");
    expect_bad("waivers:\n  - rule: 'unterminated\n", "w.yaml:3:1: found unexpected end of stream");
    expect_bad("waivers:\n  - rule: PCI-KMS-001\n    owner: a\n    expires: 2027-01-01\n    reason: \"\\q\"\n",
               "w.yaml:5:14: found unknown escape character");
    expect_bad("waivers:\n  - &w {rule: PCI-KMS-001, owner: a, expires: 2027-01-01, reason: r}\n  - *w\n",
               "w.yaml:2:5: anchors and aliases are not allowed");
    expect_bad("waivers:\n  - rule: PCI-KMS-001\n    rule: PCI-KMS-002\n", "w.yaml:3:5: duplicate key rule");
    expect_bad("waivers:\n  - {rule: PCI-KMS-001, owner: ~, expires: 2027-01-01, reason: r}\n",
               "w.yaml:2:32: owner is empty");
    expect_bad("waivers:\n  - {rule: PCI-KMS-001, owner: \"a\\e[2Jb\", expires: 2027-01-01, reason: r}\n",
               "w.yaml:2:32: owner holds a control character or a bidirectional override");
    expect_bad("waivers:\n  - {rule: PCI-KMS-001, owner: a, expires: 2027-01-01, reason: \"ok \\u202e kO\"}\n",
               "reason holds a control character or a bidirectional override");
    expect_bad("waivers:\n  - {rule: PCI-KMS-001, owner: a, expires: 2027-01-01, reason: \"a\\0b\"}\n",
               "w.yaml:2:64: a NUL character");
    expect_bad("waivers:\n  - {rule: PCI-KMS-001, owner: a, expires: 2027-01-01, reason: r}\n"
               "  - {rule: PCI-KMS-001, owner: b, expires: 2027-01-01, reason: s}\n",
               "w.yaml:3:12: PCI-KMS-001 is waived twice (first at ");
    expect_bad("waivers:\n  - {rule: \"PCI\\nFORGED\", owner: a, expires: 2027-01-01, reason: r}\n",
               "w.yaml:2:12: rule holds a control character or a bidirectional override");
    char *long_owner =
        pg_xasprintf("waivers:\n  - {rule: PCI-KMS-001, owner: %065d, expires: 2027-01-01, reason: r}\n", 0);
    expect_bad(long_owner, "owner is longer than 64 bytes");
    free(long_owner);
    /* every problem of a file at once */
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(load_text("waivers:\n  - {rule: PCI-X, owner: a, expires: 2027-01-01, reason: r}\n"
                              "  - {rule: PCI-KMS-001, owner: a, expires: soon, reason: r}\n",
                              &today, &w, &err),
                    -1);
    CU_ASSERT_EQUAL(err.count, 2);
    pg_errors_free(&err);
    pg_waivers_free(&w);
}

/* A FIFO, a directory, a missing file and a device fail at once. */
static void test_not_a_regular_file(void)
{
    char fifo[4200];
    snprintf(fifo, sizeof fifo, "%.4000s/fifo", th_scratch("waivers-fifo"));
    CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
    const char *paths[] = {fifo, th_source("tests/data/check"), "/dev/zero", "/nonexistent/waivers.yaml"};
    const char *errors[] = {"not a regular file of at most 1 MiB", "not a regular file of at most 1 MiB",
                            "not a regular file of at most 1 MiB", "No such file or directory"};
    for (size_t i = 0; i < 4; i++) {
        pg_waivers w = {0};
        pg_errors err = {0};
        CU_ASSERT_EQUAL(pg_waivers_load(&w, paths[i], &today, &err), -1);
        expect_error(&err, errors[i]);
        pg_errors_free(&err);
        pg_waivers_free(&w);
    }
}

/* The profile's form: "RULE-ID: owner | YYYY-MM-DD | reason". */
static void test_profile_form(void)
{
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_waivers_add_text(&w, " PCI-KMS-001 :platform-team|2027-03-31 | a | b ", "p.yaml", 7, 3, 1,
                                        &today, &err),
                    0);
    CU_ASSERT_EQUAL_FATAL(w.count, 1);
    CU_ASSERT_STRING_EQUAL(w.items[0].rule->id, "PCI-KMS-001");
    CU_ASSERT_STRING_EQUAL(w.items[0].owner, "platform-team");
    CU_ASSERT_STRING_EQUAL(w.items[0].expires, "2027-03-31");
    CU_ASSERT_STRING_EQUAL(w.items[0].reason, "a | b");
    CU_ASSERT_STRING_EQUAL(w.items[0].file, "p.yaml");
    static const struct {
        const char *text, *error;
    } bad[] = {
        {"PCI-KMS-002: HSM-backed key", "p.yaml:7:3: check.waivers item 2: waiver 'PCI-KMS-002: HSM-backed key' "
                                        "must read 'RULE-ID: owner | YYYY-MM-DD | reason'"},
        {"PCI-KMS-002:  | 2027-03-31 | r", "p.yaml:7:3: check.waivers item 2: owner is empty"},
        {"PCI-KMS-002: a | 03/31/2027 | r", "check.waivers item 2: expires '03/31/2027' is not a date"},
        {"PCI-EC2-001: a | 2027-03-31 | r", "check.waivers item 2: PCI-EC2-001 is a critical rule"},
        {"PCI-KMS-001: a | 2027-03-31 | r", "check.waivers item 2: PCI-KMS-001 is waived twice (first at p.yaml:7:3)"},
        {"PCI-NOPE-001: a | 2027-03-31 | r", "check.waivers item 2: unknown rule 'PCI-NOPE-001'"},
        {"PCI-KMS-002\x1b[2J\nforged", "waiver 'PCI-KMS-002\\x1b[2J\\x0aforged' must read"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pg_errors e = {0};
        CU_ASSERT_EQUAL(pg_waivers_add_text(&w, bad[i].text, "p.yaml", 7, 3, 2, &today, &e), -1);
        expect_error(&e, bad[i].error);
        pg_errors_free(&e);
    }
    CU_ASSERT_EQUAL(w.count, 1);
    pg_waivers_free(&w);
    pg_errors_free(&err);
}

/* Waived: a SARIF suppression with its justification and where it is
 * written; expired: no suppression, the finding counts. */
static void test_findings_and_sarif(void)
{
    cJSON *doc = cJSON_Parse("{\"resource\":{\"aws_kms_key\":{\"k\":{\"enable_key_rotation\":false,"
                             "\"policy\":\"{}\"}}}}");
    pg_waivers w = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(load_fixture("valid.yaml", &today, &w, &err), 0);
    pg_findings fs = {0};
    CU_ASSERT_EQUAL_FATAL(pg_check_stack(doc, "payment", "cdk.tf.json", 1, &fs, NULL), 1);
    CU_ASSERT_EQUAL(pg_check_waive(&fs, 0, &w), 0);
    CU_ASSERT_PTR_EQUAL(fs.items[0].waiver, &w.items[0]);
    cJSON *log = pg_check_sarif(&fs);
    const cJSON *sup = th_path(log, "runs.0.results.0.suppressions.0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sup);
    TH_ASSERT_STR(sup, "kind", "external");
    TH_ASSERT_STR(sup, "status", "accepted");
    TH_ASSERT_STR(sup, "justification",
                  "HSM-backed key, rotated by hand every 90 days (owner: platform-team; expires: 2999-12-31)");
    TH_ASSERT_STR(sup, "properties.owner", "platform-team");
    TH_ASSERT_STR(sup, "properties.expires", "2999-12-31");
    CU_ASSERT_PTR_NOT_NULL(strstr(th_str(sup, "location.physicalLocation.artifactLocation.uri"), "valid.yaml"));
    CU_ASSERT_EQUAL(th_num(sup, "location.physicalLocation.region.startLine"), 3);
    CU_ASSERT_EQUAL(th_num(sup, "location.physicalLocation.region.startColumn"), 5);
    cJSON_Delete(log);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    pg_check_print_text(out, &fs);
    fclose(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "PCI-KMS-001 waived payment/aws_kms_key.k: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(waiver: HSM-backed key, rotated by hand every 90 days; owner "
                                        "platform-team, expires 2999-12-31, "));
    free(text);
    pg_findings_free(&fs);
    pg_waivers_free(&w);

    /* the same waiver on its expiry date */
    pg_waiver_policy late = {.today = "2999-12-31"};
    CU_ASSERT_EQUAL_FATAL(load_fixture("valid.yaml", &late, &w, &err), 0);
    CU_ASSERT_EQUAL_FATAL(pg_check_stack(doc, "payment", "cdk.tf.json", 1, &fs, NULL), 1);
    CU_ASSERT_EQUAL(pg_check_waive(&fs, 0, &w), 1);
    CU_ASSERT_FALSE(pg_finding_waived(&fs.items[0]));
    log = pg_check_sarif(&fs);
    CU_ASSERT_PTR_NULL(th_path(log, "runs.0.results.0.suppressions"));
    TH_ASSERT_STR(log, "runs.0.results.0.properties.expiredWaiver.expires", "2999-12-31");
    cJSON_Delete(log);
    out = open_memstream(&text, &len);
    pg_check_print_text(out, &fs);
    fclose(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "PCI-KMS-001 medium payment/aws_kms_key.k: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(waiver expired 2999-12-31: HSM-backed key"));
    free(text);
    pg_findings_free(&fs);
    pg_waivers_free(&w);
    pg_errors_free(&err);
    cJSON_Delete(doc);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"a valid file", test_valid_file},
        {"each bad fixture at FILE:LINE:COL", test_bad_fixtures},
        {"critical rules need consent", test_critical_needs_consent},
        {"expiry", test_expiry},
        {"dates", test_dates},
        {"bad structure", test_bad_structure},
        {"not a regular file", test_not_a_regular_file},
        {"the profile's form", test_profile_form},
        {"findings, text and SARIF", test_findings_and_sarif},
        CU_TEST_INFO_NULL,
    };
    return th_main("waivers", tests);
}
