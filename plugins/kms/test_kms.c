/* SPDX-License-Identifier: Apache-2.0 */
/* KMS plugin: keys per active region and purpose, rotation, aliases, and key
 * policies that name exactly the services of each purpose. */
#include <string.h>

#include "harness.h"

static const char *const purposes[] = {"database", "storage", "logs", "notifications"};

static void test_keys_per_region_in_migration(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_kms_key"), 10);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_kms_alias"), 10);
    for (size_t i = 0; i < 4; i++) {
        char label[64];
        snprintf(label, sizeof label, "%s_use1", purposes[i]);
        const cJSON *k1 = th_resource(r, "payment", "aws_kms_key", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k1);
        CU_ASSERT_EQUAL(th_bool(k1, "enable_key_rotation"), 1);
        CU_ASSERT_EQUAL(th_num(k1, "deletion_window_in_days"), 30);
        CU_ASSERT_PTR_NULL(th_path(k1, "provider"));
        CU_ASSERT_EQUAL(th_bool(k1, "lifecycle.prevent_destroy"), 1);
        char expect[128];
        snprintf(expect, sizeof expect, "${data.aws_iam_policy_document.kms_%s_use1.json}", purposes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(k1, "policy"), expect);

        snprintf(label, sizeof label, "%s_use2", purposes[i]);
        const cJSON *k2 = th_resource(r, "payment", "aws_kms_key", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k2);
        CU_ASSERT_STRING_EQUAL(th_str(k2, "provider"), "aws.use2");
        const cJSON *alias = th_resource(r, "payment", "aws_kms_alias", label);
        snprintf(expect, sizeof expect, "alias/payment-%s-use2-production-abc123", purposes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(alias, "name"), expect);
        snprintf(expect, sizeof expect, "${aws_kms_key.%s.key_id}", label);
        CU_ASSERT_STRING_EQUAL(th_str(alias, "target_key_id"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(alias, "provider"), "aws.use2");
    }
    th_free(r);
}

static void test_legacy_has_primary_keys_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_kms_key"), 5);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_kms_key", "database_use2"));
    /* the images key lets ECR grant itself use, and nothing else */
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "kms_images_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_TRUE(th_list_has(th_path(th_statement(doc, "EcrGrants"), "condition.0.values"),
                               "ecr.us-east-1.amazonaws.com"));
    th_free(r);
}

static void test_logs_key_policy_is_scoped_to_regional_logs(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "kms_logs_use2");
    const cJSON *st = th_statement(doc, "CloudWatchLogsUse");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "principals.0.identifiers.0"), "logs.us-east-2.amazonaws.com");
    CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.variable"), "kms:EncryptionContext:aws:logs:arn");
    CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.values.0"),
                           "arn:${data.aws_partition.current.partition}:logs:us-east-2:"
                           "${data.aws_caller_identity.current.account_id}:log-group:*");
    /* the logs key must not serve S3 or RDS */
    CU_ASSERT_PTR_NULL(th_statement(doc, "S3Use"));
    CU_ASSERT_PTR_NULL(th_statement(doc, "RdsGrants"));
    th_free(r);
}

static void test_notifications_key_lets_cloudwatch_publish(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "kms_notifications_use1");
    const cJSON *st = th_statement(doc, "AlarmsAndSnsUse");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "principals.0.identifiers"), "cloudwatch.amazonaws.com"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "principals.0.identifiers"), "sns.amazonaws.com"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "kms:GenerateDataKey*"));
    th_free(r);
}

static void test_no_wildcard_admin_and_grants_for_rds(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "kms_database_use1");
    const cJSON *admin = th_statement(doc, "KeyAdministration");
    CU_ASSERT_PTR_NOT_NULL_FATAL(admin);
    CU_ASSERT_FALSE(th_list_has(th_path(admin, "actions"), "kms:*"));
    const cJSON *grants = th_statement(doc, "RdsGrants");
    CU_ASSERT_PTR_NOT_NULL_FATAL(grants);
    CU_ASSERT_STRING_EQUAL(th_str(grants, "condition.0.variable"), "kms:GrantIsForAWSResource");
    CU_ASSERT_TRUE(th_list_has(th_path(grants, "condition.1.values"), "rds.us-east-1.amazonaws.com"));
    /* DMS may use the key only while it moves today's instance */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(grants, "condition.1.values")), 2);
    th_free(r);

    r = th_generate("profiles/examples/from-rds-postgresql-dms.yaml", NULL);
    TH_ASSERT_OK(r);
    doc = th_data(r, "payment", "aws_iam_policy_document", "kms_database_use1");
    static const char *const sids[] = {"RdsGrants", "RdsAndSecretsUse"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *via = th_path(th_statement(doc, sids[i]), i ? "condition.0.values" : "condition.1.values");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(via), 3);
        CU_ASSERT_TRUE(th_list_has(via, "dms.us-east-1.amazonaws.com"));
    }
    th_free(r);
}

static void test_unprotected_keys_and_short_window(void)
{
    const char *sets[] = {"protection=false", "kms.deletion_window_days=7", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *k = th_resource(r, "payment", "aws_kms_key", "storage_use1");
    CU_ASSERT_PTR_NULL(th_path(k, "lifecycle"));
    CU_ASSERT_EQUAL(th_num(k, "deletion_window_in_days"), 7);
    th_free(r);
}

static void test_deletion_window_out_of_range(void)
{
    const char *sets[] = {"kms.deletion_window_days=3", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "kms.deletion_window_days = 3 is out of range 7..30"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"keys per region in migration", test_keys_per_region_in_migration},
        {"legacy has primary keys only", test_legacy_has_primary_keys_only},
        {"logs key policy scoped to regional logs", test_logs_key_policy_is_scoped_to_regional_logs},
        {"notifications key lets CloudWatch publish", test_notifications_key_lets_cloudwatch_publish},
        {"no kms:* admin, grants for RDS", test_no_wildcard_admin_and_grants_for_rds},
        {"unprotected keys, short window", test_unprotected_keys_and_short_window},
        {"deletion window out of range", test_deletion_window_out_of_range},
        CU_TEST_INFO_NULL,
    };
    return th_main("kms", tests);
}
