/* SPDX-License-Identifier: Apache-2.0 */
/* audit plugin: one multi-region trail in the primary writing into storage's
 * locked, replicated audit-trail bucket with that bucket's key, its log
 * group and the role permission, in every phase. */
#include <string.h>

#include "harness.h"

static void test_trail_in_every_phase(void)
{
    static const char *const phases[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                                         "profiles/production.yaml"};
    for (size_t i = 0; i < 3; i++) {
        th_run *r = th_generate(phases[i], NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_cloudtrail"), 1);
        const cJSON *ct = th_resource(r, "payment", "aws_cloudtrail", "main_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(ct);
        CU_ASSERT_PTR_NULL(th_path(ct, "provider"));
        CU_ASSERT_STRING_EQUAL(th_str(ct, "name"), "payment-trail-production-abc123");
        CU_ASSERT_EQUAL(th_bool(ct, "is_multi_region_trail"), 1);
        CU_ASSERT_EQUAL(th_bool(ct, "enable_log_file_validation"), 1);
        CU_ASSERT_EQUAL(th_bool(ct, "include_global_service_events"), 1);
        TH_ASSERT_STR(ct, "kms_key_id", "${aws_kms_key.storage_use1.arn}");
        TH_ASSERT_STR(ct, "s3_bucket_name", "${aws_s3_bucket_policy.audit_trail_use1.bucket}");
        /* the unlocked, unreplicated bucket of its own is gone */
        CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_s3_bucket", "audit_trail_logs_use1"));
        CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_iam_policy_document", "audit_bucket_use1"));
        TH_ASSERT_STR(th_stack(r, "payment"), "output.audit_trail_bucket.value",
                      "${aws_s3_bucket_policy.audit_trail_use1.bucket}");
        CU_ASSERT_STRING_EQUAL(th_str(ct, "cloud_watch_logs_group_arn"), "${aws_cloudwatch_log_group.cloudtrail_use1.arn}:*");
        CU_ASSERT_STRING_EQUAL(th_str(ct, "cloud_watch_logs_role_arn"), "${aws_iam_role.cloudtrail_use1.arn}");
        CU_ASSERT_TRUE(th_list_has(th_path(ct, "depends_on"), "aws_iam_role_policy.cloudtrail_logs_use1"));
        /* management events, and who read or wrote the transaction logs of every region
         * that has them (legacy: the primary's only); never the trail's own bucket */
        CU_ASSERT_EQUAL(th_bool(ct, "event_selector.0.include_management_events"), 1);
        TH_ASSERT_STR(ct, "event_selector.0.read_write_type", "All");
        TH_ASSERT_STR(ct, "event_selector.0.data_resource.0.type", "AWS::S3::Object");
        const cJSON *values = th_path(ct, "event_selector.0.data_resource.0.values");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(values), i == 0 ? 1 : 2);
        TH_ASSERT_STR(ct, "event_selector.0.data_resource.0.values.0", "${aws_s3_bucket.transaction_logs_use1.arn}/");
        if (i > 0)
            TH_ASSERT_STR(ct, "event_selector.0.data_resource.0.values.1",
                          "${aws_s3_bucket.transaction_logs_use2.arn}/");
        CU_ASSERT_FALSE(th_list_has(values, "${aws_s3_bucket.audit_trail_use1.arn}/"));
        th_free(r);
    }
}

/* The trail's bucket is the locked, replicated audit-trail bucket, and its
 * policy admits this trail by its ARN. */
static void test_trail_bucket_is_locked_and_replicated(void)
{
    static const char *const phases[] = {"profiles/migration.yaml", "profiles/production.yaml"};
    for (size_t p = 0; p < 2; p++) {
        th_run *r = th_generate(phases[p], NULL);
        TH_ASSERT_OK(r);
        const cJSON *ct = th_resource(r, "payment", "aws_cloudtrail", "main_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(ct);
        const cJSON *policy = th_target(r, th_str(ct, "s3_bucket_name"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
        TH_ASSERT_STR(policy, "bucket", "${aws_s3_bucket.audit_trail_use1.id}");
        const cJSON *bucket = th_target(r, th_str(policy, "bucket"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(bucket);
        CU_ASSERT_EQUAL(th_bool(bucket, "object_lock_enabled"), 1);
        CU_ASSERT_EQUAL(th_bool(bucket, "lifecycle.prevent_destroy"), 1);
        TH_ASSERT_STR(th_resource(r, "payment", "aws_s3_bucket_object_lock_configuration", "audit_trail_use1"),
                      "rule.0.default_retention.0.mode", "COMPLIANCE");
        TH_ASSERT_STR(th_resource(r, "payment", "aws_s3_bucket_versioning", "audit_trail_use1"),
                      "versioning_configuration.0.status", "Enabled");
        /* replicated to the secondary, into a locked bucket, with its key */
        const cJSON *rc = th_resource(r, "payment", "aws_s3_bucket_replication_configuration", "audit_trail_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
        TH_ASSERT_STR(rc, "bucket", "${aws_s3_bucket.audit_trail_use1.id}");
        TH_ASSERT_STR(rc, "rule.0.destination.0.bucket", "${aws_s3_bucket.audit_trail_use2.arn}");
        TH_ASSERT_STR(rc, "rule.0.status", "Enabled");
        CU_ASSERT_EQUAL(th_bool(th_resource(r, "payment", "aws_s3_bucket", "audit_trail_use2"), "object_lock_enabled"), 1);
        /* the log files are encrypted with the key the bucket demands */
        TH_ASSERT_STR(th_resource(r, "payment", "aws_s3_bucket_server_side_encryption_configuration", "audit_trail_use1"),
                      "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id", th_str(ct, "kms_key_id"));
        /* the policy admits this trail: the ARN of the trail's own name */
        char arn[256];
        snprintf(arn, sizeof arn,
                 "arn:${data.aws_partition.current.partition}:cloudtrail:us-east-1:"
                 "${data.aws_caller_identity.current.account_id}:trail/%s", th_str(ct, "name"));
        TH_ASSERT_STR(policy, "policy", "${data.aws_iam_policy_document.bucket_audit_trail_use1.json}");
        const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "bucket_audit_trail_use1");
        const cJSON *check = th_statement(doc, "AWSCloudTrailAclCheck");
        const cJSON *write = th_statement(doc, "AWSCloudTrailWrite");
        CU_ASSERT_PTR_NOT_NULL_FATAL(check);
        CU_ASSERT_PTR_NOT_NULL_FATAL(write);
        TH_ASSERT_STR(check, "condition.0.variable", "aws:SourceArn");
        TH_ASSERT_STR(check, "condition.0.values.0", arn);
        TH_ASSERT_STR(write, "condition.0.variable", "aws:SourceArn");
        TH_ASSERT_STR(write, "condition.0.values.0", arn);
        TH_ASSERT_STR(write, "condition.1.variable", "s3:x-amz-acl");
        TH_ASSERT_STR(write, "condition.1.values.0", "bucket-owner-full-control");
        TH_ASSERT_STR(write, "principals.0.identifiers.0", "cloudtrail.amazonaws.com");
        TH_ASSERT_STR(write, "resources.0",
                      "${aws_s3_bucket.audit_trail_use1.arn}/AWSLogs/"
                      "${data.aws_caller_identity.current.account_id}/*");
        /* the role may write only its own log group, encrypted with the logs key */
        const cJSON *rp = th_data(r, "payment", "aws_iam_policy_document", "cloudtrail_logs_use1");
        TH_ASSERT_STR(rp, "statement.0.resources.0", "${aws_cloudwatch_log_group.cloudtrail_use1.arn}:log-stream:*");
        TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudwatch_log_group", "cloudtrail_use1"), "kms_key_id",
                      "${aws_kms_key.logs_use1.arn}");
        th_free(r);
    }
}

/* CloudTrail may use the key it encrypts the log files with: GenerateDataKey
 * for trails of this account, DescribeKey, and kms:Decrypt, which it needs on
 * a bucket with an S3 Bucket Key (CloudTrail UG
 * create-kms-key-policy-for-cloudtrail.html). The key policy is the kms
 * plugin's: this fails until its CloudTrail statements follow the trail to
 * the primary's storage key. */
static void test_trail_key_admits_cloudtrail(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudtrail", "main_use1"), "kms_key_id",
                  "${aws_kms_key.storage_use1.arn}");
    const cJSON *kp = th_data(r, "payment", "aws_iam_policy_document", "kms_storage_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(kp);
    const cJSON *enc = th_statement(kp, "CloudTrailEncrypt");
    CU_ASSERT_PTR_NOT_NULL(enc);
    TH_ASSERT_STR(enc, "principals.0.identifiers.0", "cloudtrail.amazonaws.com");
    TH_ASSERT_STR(enc, "condition.0.variable", "kms:EncryptionContext:aws:cloudtrail:arn");
    CU_ASSERT_PTR_NOT_NULL(th_statement(kp, "CloudTrailDescribe"));
    /* only the primary's key: the trail lives there */
    CU_ASSERT_PTR_NULL(th_statement(th_data(r, "payment", "aws_iam_policy_document", "kms_storage_use2"),
                                    "CloudTrailEncrypt"));
    th_free(r);
}

static void test_security_alarms_on_the_trail(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_cloudwatch_log_metric_filter", "audit"), 5);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_cloudwatch_metric_alarm", "audit"), 5);
    const cJSON *mf = th_resource(r, "payment", "aws_cloudwatch_log_metric_filter", "root_usage_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mf);
    CU_ASSERT_STRING_EQUAL(th_str(mf, "log_group_name"), "${aws_cloudwatch_log_group.cloudtrail_use1.name}");
    CU_ASSERT_PTR_NOT_NULL(strstr(th_str(mf, "pattern"), "$.userIdentity.type = \"Root\""));
    CU_ASSERT_STRING_EQUAL(th_str(mf, "metric_transformation.0.namespace"), "Payment/Audit");
    const cJSON *a = th_resource(r, "payment", "aws_cloudwatch_metric_alarm", "audit_root_usage_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_name"), th_str(mf, "metric_transformation.0.name"));
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"), "${aws_sns_topic.alarms_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(a, "ok_actions.0"), "${aws_sns_topic.alarms_use1.arn}");
    CU_ASSERT_EQUAL(th_num(a, "threshold"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(a, "treat_missing_data"), "notBreaching");
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_name"), "payment-alarm-root-usage-use1-production-abc123");
    th_free(r);
}

static void test_switch_and_retention(void)
{
    const char *off[] = {"audit.trail=false", NULL};
    th_run *r = th_generate("profiles/migration.yaml", off);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_cloudtrail"), 0);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_cloudwatch_log_group", "cloudtrail_use1"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.audit_trail_bucket"));
    /* the audit-trail buckets stay: they hold the evidence written so far */
    CU_ASSERT_PTR_NOT_NULL(th_resource(r, "payment", "aws_s3_bucket", "audit_trail_use1"));
    th_free(r);
    const char *keep[] = {"audit.retention_days=731", "protection=false", NULL};
    r = th_generate("profiles/migration.yaml", keep);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(th_resource(r, "payment", "aws_cloudwatch_log_group", "cloudtrail_use1"),
                           "retention_in_days"), 731);
    /* a rehearsal's trail bucket is destroyable: governance lock, force_destroy */
    const cJSON *b = th_resource(r, "payment", "aws_s3_bucket", "audit_trail_use1");
    CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(b, "lifecycle"));
    TH_ASSERT_STR(th_resource(r, "payment", "aws_s3_bucket_object_lock_configuration", "audit_trail_use1"),
                  "rule.0.default_retention.0.mode", "GOVERNANCE");
    th_free(r);
    th_expect_error("profiles/migration.yaml", "audit.retention_days=500",
                    "audit.retention_days = '500' is not one of "
                    "365|400|545|731|1096|1827|2192|2557|2922|3288|3653");
    th_expect_error("profiles/migration.yaml", "audit.retention_days=90",
                    "audit.retention_days = '90' is not one of 365|");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"trail in every phase", test_trail_in_every_phase},
        {"trail bucket is locked and replicated", test_trail_bucket_is_locked_and_replicated},
        {"trail key admits CloudTrail (kms)", test_trail_key_admits_cloudtrail},
        {"security alarms on the trail", test_security_alarms_on_the_trail},
        {"switch and retention", test_switch_and_retention},
        CU_TEST_INFO_NULL,
    };
    return th_main("audit", tests);
}
