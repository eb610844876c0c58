/* SPDX-License-Identifier: Apache-2.0 */
/* test_waf - the example plugin's tests, against the installed paygen SDK:
 * each test generates a shipped profile with the installed plugins and the
 * freshly built waf.so, then asserts on the Terraform JSON (paygen/testkit.h).
 * Built and run by `ctest` (CMake) or `make check`. */
#include <CUnit/Basic.h>
#include <paygen/testkit.h>
#include <stdio.h>
#include <string.h>

#ifndef WAF_PLUGIN_DIR
#define WAF_PLUGIN_DIR "." /* where waf.so was built */
#endif

/* alb attaches a web ACL of its own unless told not to (see waf.c). */
static pgt_run *generate(const char *profile, const char *set1, const char *set2)
{
    const char *const dirs[] = {WAF_PLUGIN_DIR, NULL};
    const char *const sets[] = {"alb.waf=false", set1, set2, NULL};
    const char *path = pgt_profile(profile);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    return pgt_generate(path, sets, dirs);
}

static void test_web_acl_per_active_region(void)
{
    pgt_run *run = generate("migration.yaml", NULL, NULL);
    PGT_ASSERT_OK(run);
    static const char *const codes[] = {"use1", "use2"};
    for (size_t i = 0; i < 2; i++) {
        char label[32], tag[64], ref[64];
        snprintf(label, sizeof label, "edge_%s", codes[i]);
        snprintf(tag, sizeof tag, "payment-waf-edge-%s-production-abc123", codes[i]);
        snprintf(ref, sizeof ref, "${aws_wafv2_web_acl.edge_%s.arn}", codes[i]);
        const cJSON *acl = pgt_resource(run, "payment", "aws_wafv2_web_acl", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(acl);
        PGT_ASSERT_STR(acl, "name", "payment-waf-edge-production-abc123");
        PGT_ASSERT_STR(acl, "scope", "REGIONAL");
        PGT_ASSERT_PRESENT(acl, "default_action.0.allow.0");
        PGT_ASSERT_STR(acl, "visibility_config.0.metric_name", "payment-waf-edge-production-abc123");
        PGT_ASSERT_STR(acl, "tags.Name", tag);
        PGT_ASSERT_BOOL(acl, "lifecycle.prevent_destroy", true);
        PGT_ASSERT_STR(acl, "provider", i ? "aws.use2" : NULL);

        const cJSON *assoc = pgt_resource(run, "payment", "aws_wafv2_web_acl_association", label);
        PGT_ASSERT_STR(assoc, "web_acl_arn", ref);
        const char *lb = pgt_str(assoc, "resource_arn");
        CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
        CU_ASSERT_EQUAL(strncmp(lb, "${aws_lb.", 9), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(lb, codes[i]));
    }
    CU_ASSERT_EQUAL(pgt_count(run, "payment", "aws_wafv2_web_acl"), 2);
    PGT_ASSERT_STR(pgt_manifest(run), "plugins.waf.version", "0.1.0");
    pgt_free(run);
}

static void test_rules_block_by_default(void)
{
    pgt_run *run = generate("migration.yaml", NULL, NULL);
    PGT_ASSERT_OK(run);
    const cJSON *acl = pgt_resource(run, "payment", "aws_wafv2_web_acl", "edge_use1");
    CU_ASSERT_EQUAL(pgt_size(acl, "rule"), 4);
    PGT_ASSERT_STR(acl, "rule.0.name", "AWSManagedRulesCommonRuleSet");
    PGT_ASSERT_NUM(acl, "rule.0.priority", 10);
    PGT_ASSERT_PRESENT(acl, "rule.0.override_action.0.none.0");
    PGT_ASSERT_STR(acl, "rule.2.statement.0.managed_rule_group_statement.0.name",
                   "AWSManagedRulesSQLiRuleSet");
    PGT_ASSERT_STR(acl, "rule.2.statement.0.managed_rule_group_statement.0.vendor_name", "AWS");
    PGT_ASSERT_STR(acl, "rule.3.name", "RatePerIp");
    PGT_ASSERT_NUM(acl, "rule.3.priority", 100);
    PGT_ASSERT_PRESENT(acl, "rule.3.action.0.block.0");
    PGT_ASSERT_NUM(acl, "rule.3.statement.0.rate_based_statement.0.limit", 2000);
    PGT_ASSERT_STR(acl, "rule.3.statement.0.rate_based_statement.0.aggregate_key_type", "IP");
    PGT_ASSERT_BOOL(acl, "rule.3.visibility_config.0.sampled_requests_enabled", true);
    pgt_free(run);
}

static void test_count_mode_only_counts(void)
{
    pgt_run *run = generate("migration.yaml", "waf.mode=count", "waf.rate_limit=500");
    PGT_ASSERT_OK(run);
    const cJSON *acl = pgt_resource(run, "payment", "aws_wafv2_web_acl", "edge_use2");
    for (int i = 0; i < 3; i++) {
        char count[64], none[64];
        snprintf(count, sizeof count, "rule.%d.override_action.0.count", i);
        snprintf(none, sizeof none, "rule.%d.override_action.0.none", i);
        PGT_ASSERT_PRESENT(acl, count);
        PGT_ASSERT_ABSENT(acl, none);
    }
    PGT_ASSERT_PRESENT(acl, "rule.3.action.0.count");
    PGT_ASSERT_ABSENT(acl, "rule.3.action.0.block");
    PGT_ASSERT_NUM(acl, "rule.3.statement.0.rate_based_statement.0.limit", 500);
    pgt_free(run);
}

static void test_legacy_has_one_region(void)
{
    pgt_run *run = generate("legacy.yaml", NULL, NULL);
    PGT_ASSERT_OK(run);
    CU_ASSERT_PTR_NOT_NULL(pgt_resource(run, "payment", "aws_wafv2_web_acl", "edge_use1"));
    CU_ASSERT_PTR_NULL(pgt_resource(run, "payment", "aws_wafv2_web_acl", "edge_use2"));
    CU_ASSERT_EQUAL(pgt_count(run, "payment", "aws_wafv2_web_acl_association"), 1);
    pgt_free(run);
}

static void test_settings_are_checked(void)
{
    pgt_run *run = generate("migration.yaml", "waf.mode=log", NULL);
    PGT_ASSERT_ERROR(run, "waf.mode = 'log' is not one of block|count");
    pgt_free(run);
    run = generate("migration.yaml", "waf.rate_limit=50", NULL);
    PGT_ASSERT_ERROR(run, "waf.rate_limit = 50 is out of range 100..2000000000");
    pgt_free(run);
}

static void test_refuses_alb_own_web_acl(void)
{
    const char *const dirs[] = {WAF_PLUGIN_DIR, NULL};
    pgt_run *run = pgt_generate(pgt_profile("migration.yaml"), NULL, dirs);
    PGT_ASSERT_ERROR(run, "plugin waf: the alb plugin already attaches a web ACL in us-east-1 "
                          "(alb.web_acl_arn)");
    PGT_ASSERT_ERROR(run, "set alb.waf: false to use the waf plugin");
    pgt_free(run);
}

int main(void)
{
    static CU_TestInfo tests[] = {
        {"a web ACL per active region", test_web_acl_per_active_region},
        {"rules block by default", test_rules_block_by_default},
        {"count mode only counts", test_count_mode_only_counts},
        {"legacy has one region", test_legacy_has_one_region},
        {"settings are checked", test_settings_are_checked},
        {"refuses alb's own web ACL", test_refuses_alb_own_web_acl},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {{"waf", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    if (CU_initialize_registry() != CUE_SUCCESS || CU_register_suites(suites) != CUE_SUCCESS)
        return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    /* a test that could not run, or none at all, fails too */
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed || ran == 0 ? 1 : 0;
}
