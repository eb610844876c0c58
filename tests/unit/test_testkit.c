/* SPDX-License-Identifier: Apache-2.0 */
/* The SDK's test kit (paygen/testkit.h) in the build tree: a generation with
 * the build's plugins, NULL-safe reads, and the exact messages of its checks
 * (what an out-of-tree plugin's failing test prints). */
#include <math.h>
#include <paygen/testkit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static pgt_run *generate(const char *set)
{
    const char *const dirs[] = {getenv("PAYGEN_TEST_PLUGIN_DIR"), NULL};
    const char *const sets[] = {set, NULL};
    char profile[4096];
    snprintf(profile, sizeof profile, "%s", th_source("profiles/migration.yaml"));
    return pgt_generate_only(profile, sets, dirs);
}

static void test_generation_and_reads(void)
{
    pgt_run *run = generate(NULL);
    CU_ASSERT_PTR_NULL(pgt_check_ok(run));
    CU_ASSERT_TRUE_FATAL(pgt_ok(run));
    CU_ASSERT_STRING_EQUAL(pgt_errors(run), "");
    CU_ASSERT_EQUAL(pgt_error_count(run), 0);
    const cJSON *key = pgt_resource(run, "payment", "aws_kms_key", "database_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    CU_ASSERT_STRING_EQUAL(pgt_str(key, "key_usage"), "ENCRYPT_DECRYPT");
    CU_ASSERT_EQUAL(pgt_num(key, "deletion_window_in_days"), 30);
    CU_ASSERT_EQUAL(pgt_bool(key, "enable_key_rotation"), 1);
    CU_ASSERT_EQUAL(pgt_bool(key, "key_usage"), -1);
    CU_ASSERT_TRUE(isnan(pgt_num(key, "key_usage")));
    CU_ASSERT_PTR_NULL(pgt_str(key, "nothing.0.here"));
    CU_ASSERT_EQUAL(pgt_count(run, "payment", "aws_kms_key"), 10); /* 5 purposes, 2 regions */
    CU_ASSERT_STRING_EQUAL(pgt_plugin_version(run, "kms"), "1.0.0");
    CU_ASSERT_PTR_NULL(pgt_plugin_version(run, "nonesuch"));
    const cJSON *doc = pgt_data(run, "payment", "aws_iam_policy_document", "kms_logs_use1");
    CU_ASSERT_TRUE(pgt_has(doc, "statement.0.actions", "kms:Create*"));
    CU_ASSERT_FALSE(pgt_has(doc, "statement.0.actions", "kms:*"));
    CU_ASSERT_TRUE(pgt_size(doc, "statement") > 1);
    CU_ASSERT_STRING_EQUAL(pgt_str(pgt_manifest(run), "profile.phase"), "migration");
    CU_ASSERT_PTR_NULL(pgt_resource(run, "nonesuch", "aws_kms_key", "database_use2"));

    char *dir = pg_xstrdup(th_scratch("testkit-write"));
    CU_ASSERT_EQUAL(pgt_write(run, dir), 0);
    char *file = pg_xasprintf("%s/stacks/payment/cdk.tf.json", dir);
    struct stat st;
    CU_ASSERT_EQUAL(stat(file, &st), 0);
    free(file);
    free(dir);
    pgt_free(run);
}

static void test_check_messages(void)
{
    pgt_run *run = generate(NULL);
    const cJSON *key = pgt_resource(run, "payment", "aws_kms_key", "database_use1");
    CU_ASSERT_PTR_NULL(pgt_check_str(key, "key_usage", "ENCRYPT_DECRYPT"));
    CU_ASSERT_PTR_NULL(pgt_check_num(key, "deletion_window_in_days", 30));
    CU_ASSERT_PTR_NULL(pgt_check_bool(key, "multi_region", false));
    CU_ASSERT_PTR_NULL(pgt_check_str(key, "nothing", NULL));
    CU_ASSERT_PTR_NULL(pgt_check_present(key, "lifecycle.prevent_destroy"));
    CU_ASSERT_STRING_EQUAL(pgt_check_str(key, "key_usage", "SIGN_VERIFY"),
                           "key_usage is \"ENCRYPT_DECRYPT\", expected \"SIGN_VERIFY\"");
    CU_ASSERT_STRING_EQUAL(pgt_check_str(key, "rotation", "x"), "rotation is absent, expected \"x\"");
    CU_ASSERT_STRING_EQUAL(pgt_check_num(key, "deletion_window_in_days", 7),
                           "deletion_window_in_days is 30, expected 7");
    CU_ASSERT_STRING_EQUAL(pgt_check_bool(key, "key_usage", true),
                           "key_usage is \"ENCRYPT_DECRYPT\", expected true");
    CU_ASSERT_STRING_EQUAL(pgt_check_str(key, "lifecycle", NULL),
                           "lifecycle is an object with 1 key, expected absent");
    CU_ASSERT_STRING_EQUAL(pgt_check_present(key, "policy.0"), "policy.0 is absent, expected present");
    CU_ASSERT_STRING_EQUAL(pgt_check_error(run, "boom"),
                           "generation succeeded, expected an error containing \"boom\"");
    pgt_free(run);
}

static void test_failed_generation(void)
{
    pgt_run *run = generate("kms.deletion_window_days=3");
    CU_ASSERT_FALSE(pgt_ok(run));
    CU_ASSERT_EQUAL(pgt_error_count(run), 1);
    CU_ASSERT_TRUE(pgt_has_error(run, "kms.deletion_window_days = 3 is out of range 7..30"));
    CU_ASSERT_PTR_NULL(pgt_check_error(run, "is out of range 7..30"));
    const char *why = pgt_check_ok(run);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    CU_ASSERT_EQUAL(strncmp(why, "generation failed:\n", 19), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "--set: kms.deletion_window_days = 3 is out of range 7..30\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(pgt_check_error(run, "boom"), "no error contains \"boom\"; the errors:\n"));
    /* nothing to read or write, and no crash asking */
    CU_ASSERT_PTR_NULL(pgt_stack(run, "payment"));
    CU_ASSERT_PTR_NULL(pgt_resource(run, "payment", "aws_kms_key", "database_use1"));
    CU_ASSERT_PTR_NULL(pgt_manifest(run));
    CU_ASSERT_EQUAL(pgt_count(run, "payment", "aws_kms_key"), 0);
    CU_ASSERT_EQUAL(pgt_write(run, th_scratch("testkit-failed")), -1);
    pgt_free(run);
    pgt_free(NULL);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"generation and reads", test_generation_and_reads},
        {"check messages", test_check_messages},
        {"failed generation", test_failed_generation},
        CU_TEST_INFO_NULL,
    };
    return th_main("testkit", tests);
}
