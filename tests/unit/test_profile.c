/* SPDX-License-Identifier: Apache-2.0 */
/* Profile loader and core validation: good profiles load with their base,
 * bad ones fail with FILE:LINE:COL and a message that says what to fix. */
#include <string.h>

#include "harness.h"

/* A minimal valid profile; tests replace one line of it. */
#define REGIONS                                                                                    \
    "regions:\n"                                                                                   \
    "  - name: us-east-1\n"                                                                        \
    "    cidr: 10.10.0.0/16\n"                                                                     \
    "    azs: [us-east-1a, us-east-1b, us-east-1c]\n"                                              \
    "  - name: us-east-2\n"                                                                        \
    "    cidr: 10.20.0.0/16\n"                                                                     \
    "    azs: [us-east-2a, us-east-2b, us-east-2c]\n"
#define HEAD                                                                                       \
    "environment: staging\n"                                                                       \
    "suffix: xyz789\n"                                                                             \
    "cutover: \"2026-12-01T06:00:00Z\"\n"

static void expect_error(const char *yaml, const char *message)
{
    th_run *r = th_generate_text(yaml, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    if (!th_has_error(r, message)) {
        fprintf(stderr, "\n  expected an error containing: %s\n", message);
        th_dump_errors(r);
        CU_FAIL("error message not found");
    }
    th_free(r);
}

static void test_phase_profiles_extend_base(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const pg_ctx *c = &r->g.ctx;
    CU_ASSERT_STRING_EQUAL(pg_ctx_environment(c), "production");   /* from base.yaml */
    CU_ASSERT_STRING_EQUAL(pg_ctx_phase_name(c), "migration");     /* from migration.yaml */
    CU_ASSERT_EQUAL(pg_ctx_phase(c), PG_PHASE_MIGRATION);
    CU_ASSERT_EQUAL(pg_ctx_region_count(c), 2);
    CU_ASSERT_STRING_EQUAL(pg_ctx_region(c, 1)->code, "use2");
    CU_ASSERT_STRING_EQUAL(pg_ctx_region(c, 1)->provider, "aws.use2");
    CU_ASSERT_TRUE(pg_ctx_region(c, 0)->primary);
    th_free(r);
}

static void test_legacy_has_one_active_region(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(pg_ctx_region_count(&r->g.ctx), 1);
    CU_ASSERT_EQUAL(pg_ctx_all_region_count(&r->g.ctx), 2);
    th_free(r);
}

static void test_rehearsal_example_overrides_base(void)
{
    th_run *r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(pg_ctx_environment(&r->g.ctx), "staging");
    CU_ASSERT_FALSE(pg_ctx_protected(&r->g.ctx));
    CU_ASSERT_STRING_EQUAL(pg_ctx_region(&r->g.ctx, 0)->cidr, "10.110.0.0/16");
    th_free(r);
}

static void test_set_overrides_and_rejects(void)
{
    const char *sets[] = {"suffix=zz9", "phase=production", NULL};
    th_run *r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(pg_ctx_suffix(&r->g.ctx), "zz9");
    CU_ASSERT_EQUAL(pg_ctx_phase(&r->g.ctx), PG_PHASE_PRODUCTION);
    th_free(r);

    const char *bad[] = {"sufix=abc", NULL};
    r = th_generate("profiles/legacy.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "--set: unknown key 'sufix' (did you mean 'suffix'?)"));
    th_free(r);

    const char *malformed[] = {"novalue", NULL};
    r = th_generate("profiles/legacy.yaml", malformed);
    CU_ASSERT_TRUE(th_has_error(r, "--set 'novalue': expected KEY=VALUE"));
    th_free(r);
}

static void test_unknown_key_with_position_and_hint(void)
{
    expect_error(HEAD "phase: migration\nsufix: abc123\n" REGIONS,
                 "profile.yaml:5:1: unknown key 'sufix' (did you mean 'suffix'?)");
    expect_error(HEAD "phase: migration\nkms:\n  deletion_window: 7\n" REGIONS,
                 "profile.yaml:6:3: unknown key 'kms.deletion_window' (did you mean "
                 "'kms.deletion_window_days'?)");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cdir: 10.0.0.0/16\n",
                 "profile.yaml:7:5: unknown region key 'cdir' (did you mean 'cidr'?)");
}

static void test_wrong_types(void)
{
    expect_error(HEAD "phase: migration\nprotection: \"true\"\n" REGIONS,
                 "profile.yaml:5:1: 'protection' must be true or false, not 'true'");
    expect_error(HEAD "phase: migration\nkms:\n  deletion_window_days: ten\n" REGIONS,
                 "'kms.deletion_window_days' must be an integer, not 'ten'");
    expect_error(HEAD "phase: [migration]\n" REGIONS,
                 "'phase' must be a single value, not a list");
    expect_error(HEAD "phase: migration\nregions: us-east-1\n", "regions must be a list");
}

static void test_bad_core_values(void)
{
    expect_error("environment: staging\nsuffix: ABC_1\ncutover: \"2026-12-01T06:00:00Z\"\n"
                 "phase: migration\n" REGIONS,
                 "profile.yaml:2:1: suffix 'ABC_1' must be 3-8 lowercase letters or digits");
    expect_error(HEAD "phase: migrate\n" REGIONS,
                 "profile.yaml:4:1: unknown phase 'migrate' (did you mean 'migration'?)");
    expect_error("environment: staging\nsuffix: xyz789\ncutover: tomorrow\nphase: legacy\n" REGIONS,
                 "cutover 'tomorrow' must be a UTC time like 2026-12-01T06:00:00Z");
    expect_error(HEAD "phase: legacy\n", "the profile needs 'regions'");
    expect_error(HEAD, "missing required key 'phase'");
}

static void test_bad_regions_and_cidrs(void)
{
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 10.10.0.0/16\n"
                      "    azs: [us-east-1a, us-east-1b, us-east-1c]\n  - name: us-east-2\n"
                      "    cidr: 10.10.128.0/17\n    azs: [us-east-2a, us-east-2b, us-east-2c]\n",
                 "profile.yaml:10:11: CIDR 10.10.128.0/17 of us-east-2 overlaps 10.10.0.0/16 of "
                 "us-east-1");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 10.10.0.300/16\n"
                      "    azs: [us-east-1a, us-east-1b, us-east-1c]\n",
                 "'10.10.0.300/16' is not a CIDR block");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 10.10.0.1/16\n"
                      "    azs: [us-east-1a, us-east-1b, us-east-1c]\n",
                 "CIDR 10.10.0.1/16 has host bits set");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 8.8.0.0/16\n"
                      "    azs: [us-east-1a, us-east-1b, us-east-1c]\n",
                 "CIDR 8.8.0.0/16 is not a private (RFC 1918) range");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-middle-1\n    cidr: 10.1.0.0/16\n"
                      "    azs: [us-middle-1a, us-middle-1b, us-middle-1c]\n",
                 "profile.yaml:6:11: unknown AWS region 'us-middle-1'");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 10.1.0.0/16\n"
                      "    azs: [us-east-1a, us-east-2b, us-east-1c]\n",
                 "availability zone 'us-east-2b' is not a zone of us-east-1");
    expect_error(HEAD "phase: migration\nregions:\n  - name: us-east-1\n    cidr: 10.1.0.0/16\n"
                      "    azs: [us-east-1a, us-east-1b]\n",
                 "region us-east-1 needs exactly 3 availability zones, got 2");
}

static void test_malformed_and_hostile_yaml(void)
{
    expect_error(HEAD "phase: [migration\n", "profile.yaml:");
    expect_error(HEAD "base: &b {a: 1}\nphase: *b\n", "anchors are not allowed in a profile");
    expect_error("a: &a [x]\nb: [*a, *a, *a]\n", "anchors are not allowed in a profile");
    expect_error(HEAD "phase: migration\nphase: legacy\n" REGIONS,
                 "profile.yaml:5:1: duplicate key 'phase'");
    expect_error("- just\n- a list\n", "a profile must be a mapping of keys");
    expect_error("", "the profile is empty");
    expect_error(HEAD "phase: migration\n" REGIONS "---\nphase: legacy\n",
                 "a profile holds exactly one YAML document");
    expect_error("a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n         j: 1\n",
                 "mappings nested too deeply");
}

static void test_extends_errors(void)
{
    expect_error("extends: does-not-exist.yaml\n", "does-not-exist.yaml: No such file or directory");
    expect_error("extends: profile.yaml\n", "extends chain longer than 8 files (a cycle?)");
    th_run *r = th_generate("profiles", NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "is a directory, not a profile"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"phase profiles extend base", test_phase_profiles_extend_base},
        {"legacy has one active region", test_legacy_has_one_active_region},
        {"rehearsal example overrides base", test_rehearsal_example_overrides_base},
        {"--set overrides and rejects", test_set_overrides_and_rejects},
        {"unknown key with position and hint", test_unknown_key_with_position_and_hint},
        {"wrong types", test_wrong_types},
        {"bad core values", test_bad_core_values},
        {"bad regions and CIDRs", test_bad_regions_and_cidrs},
        {"malformed and hostile YAML", test_malformed_and_hostile_yaml},
        {"extends errors", test_extends_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("profile", tests);
}
