/* SPDX-License-Identifier: Apache-2.0 */
/* Storage plugin: buckets per region with the region's key, replication from
 * the migration phase on, TLS-only policies, Object Lock following the
 * protection switch, names within the S3 limit. */
#include <string.h>

#include "harness.h"

static const char *const data_buckets[] = {"transaction_logs", "audit_trail"};

static void test_legacy_primary_buckets_without_replication(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_s3_bucket", "storage"), 3);
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_s3_bucket", "transaction_logs", "use1"));
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_s3_bucket", "audit_trail", "use1"));
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_s3_bucket", "access_logs", "use1"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket", "transaction_logs", "use2"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_replication_configuration"), 0);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_iam_role_policy", "s3_replication_use1"));
    CU_ASSERT_STRING_EQUAL(
        th_str(th_stack(r, "payment"), "output.storage_audit_trail_bucket_use1.value"),
        "${aws_s3_bucket.audit_trail_use1.bucket}");
    th_free(r);
}

static void test_buckets_use_their_regions_key(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_s3_bucket", "storage"), 6);
    const char *codes[] = {"use1", "use2"};
    for (size_t c = 0; c < 2; c++) {
        char key[64];
        snprintf(key, sizeof key, "${aws_kms_key.storage_%s.arn}", codes[c]);
        for (size_t b = 0; b < 2; b++) {
            const cJSON *sse = th_regional(r, "aws_s3_bucket_server_side_encryption_configuration",
                                   data_buckets[b], codes[c]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(sse);
            CU_ASSERT_STRING_EQUAL(
                th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"),
                "aws:kms");
            CU_ASSERT_STRING_EQUAL(
                th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"), key);
            CU_ASSERT_EQUAL(th_bool(sse, "rule.0.bucket_key_enabled"), 1);
            CU_ASSERT_STRING_EQUAL(
                th_str(th_regional(r, "aws_s3_bucket_versioning", data_buckets[b], codes[c]),
                       "versioning_configuration.0.status"),
                "Enabled");
            const cJSON *pab =
                th_regional(r, "aws_s3_bucket_public_access_block", data_buckets[b], codes[c]);
            CU_ASSERT_EQUAL(th_bool(pab, "block_public_acls"), 1);
            CU_ASSERT_EQUAL(th_bool(pab, "block_public_policy"), 1);
            CU_ASSERT_EQUAL(th_bool(pab, "ignore_public_acls"), 1);
            CU_ASSERT_EQUAL(th_bool(pab, "restrict_public_buckets"), 1);
            char logs[64];
            snprintf(logs, sizeof logs, "${aws_s3_bucket.access_logs_%s.id}", codes[c]);
            CU_ASSERT_STRING_EQUAL(
                th_str(th_regional(r, "aws_s3_bucket_logging", data_buckets[b], codes[c]), "target_bucket"),
                logs);
            const cJSON *lc =
                th_regional(r, "aws_s3_bucket_lifecycle_configuration", data_buckets[b], codes[c]);
            CU_ASSERT_EQUAL(
                th_num(lc, "rule.0.abort_incomplete_multipart_upload.0.days_after_initiation"), 7);
            CU_ASSERT_EQUAL(th_num(lc, "rule.0.expiration.0.days"), b ? 2555 : 400);
        }
        /* ELB cannot deliver to SSE-KMS: the access-logs bucket is SSE-S3 */
        const cJSON *sse =
            th_regional(r, "aws_s3_bucket_server_side_encryption_configuration", "access_logs", codes[c]);
        CU_ASSERT_STRING_EQUAL(
            th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"), "AES256");
        CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket_logging", "access_logs", codes[c]));
        CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_s3_bucket", "access_logs", codes[c]),
                                      "tags.Purpose"), "elb-access-logs");
        /* access logs go to STANDARD_IA only, the data buckets on to GLACIER */
        const cJSON *lc = th_regional(r, "aws_s3_bucket_lifecycle_configuration", "access_logs", codes[c]);
        CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.transition.0.storage_class"), "STANDARD_IA");
        CU_ASSERT_PTR_NULL(th_path(lc, "rule.0.transition.1"));
        lc = th_regional(r, "aws_s3_bucket_lifecycle_configuration", "transaction_logs", codes[c]);
        CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.transition.1.storage_class"), "GLACIER");
        CU_ASSERT_EQUAL(th_num(lc, "rule.0.noncurrent_version_expiration.0.noncurrent_days"), 90);
    }
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_s3_bucket", "audit_trail", "use2"), "provider"),
                           "aws.use2");
    th_free(r);
}

static void test_replication_from_migration_on(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_replication_configuration"), 2);
    for (size_t b = 0; b < 2; b++) {
        const cJSON *rc =
            th_regional(r, "aws_s3_bucket_replication_configuration", data_buckets[b], "use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
        CU_ASSERT_PTR_NULL(th_path(rc, "provider"));
        CU_ASSERT_STRING_EQUAL(th_str(rc, "role"), "${aws_iam_role.s3_replication_use1.arn}");
        char expect[96];
        snprintf(expect, sizeof expect, "${aws_s3_bucket.%s_use2.arn}", data_buckets[b]);
        CU_ASSERT_STRING_EQUAL(th_str(rc, "rule.0.destination.0.bucket"), expect);
        CU_ASSERT_STRING_EQUAL(
            th_str(rc, "rule.0.destination.0.encryption_configuration.0.replica_kms_key_id"),
            "${aws_kms_key.storage_use2.arn}");
        CU_ASSERT_STRING_EQUAL(
            th_str(rc, "rule.0.source_selection_criteria.0.sse_kms_encrypted_objects.0.status"),
            "Enabled");
        /* RTC and metrics come as a pair, both 15 minutes */
        CU_ASSERT_STRING_EQUAL(th_str(rc, "rule.0.destination.0.replication_time.0.status"), "Enabled");
        CU_ASSERT_EQUAL(th_num(rc, "rule.0.destination.0.replication_time.0.time.0.minutes"), 15);
        CU_ASSERT_STRING_EQUAL(th_str(rc, "rule.0.destination.0.metrics.0.status"), "Enabled");
        CU_ASSERT_EQUAL(th_num(rc, "rule.0.destination.0.metrics.0.event_threshold.0.minutes"), 15);
        CU_ASSERT_PTR_NOT_NULL(th_path(rc, "rule.0.filter"));
        CU_ASSERT_STRING_EQUAL(th_str(rc, "rule.0.delete_marker_replication.0.status"), "Enabled");
        CU_ASSERT_EQUAL(th_num(rc, "rule.0.priority"), 1);
        snprintf(expect, sizeof expect, "aws_s3_bucket_versioning.%s_use1", data_buckets[b]);
        CU_ASSERT_TRUE(th_list_has(th_path(rc, "depends_on"), expect));
    }
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket_replication_configuration", "access_logs", "use1"));
    /* a locked source replicates only into a locked destination */
    CU_ASSERT_EQUAL(th_bool(th_regional(r, "aws_s3_bucket", "audit_trail", "use2"), "object_lock_enabled"),
                    1);

    const cJSON *policy = th_resource(r, "payment", "aws_iam_role_policy", "s3_replication_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
    CU_ASSERT_STRING_EQUAL(th_str(policy, "role"), "${aws_iam_role.s3_replication_use1.name}");
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "s3_replication_use1");
    const cJSON *dst = th_statement(doc, "DestinationObjects");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dst);
    CU_ASSERT_TRUE(th_list_has(th_path(dst, "resources"), "${aws_s3_bucket.audit_trail_use2.arn}/*"));
    CU_ASSERT_FALSE(th_list_has(th_path(dst, "resources"), "*"));
    const cJSON *enc = th_statement(doc, "EncryptReplicaUse2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(enc);
    CU_ASSERT_STRING_EQUAL(th_str(enc, "resources.0"), "${aws_kms_key.storage_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(enc, "condition.0.values.0"), "s3.us-east-2.amazonaws.com");
    const cJSON *dec = th_statement(doc, "DecryptSource");
    CU_ASSERT_STRING_EQUAL(th_str(dec, "resources.0"), "${aws_kms_key.storage_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(dec, "actions.0"), "kms:Decrypt");
    th_free(r);
}

static void test_policies_deny_plain_transport(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *labels[] = {"bucket_transaction_logs_use1", "bucket_audit_trail_use2",
                            "bucket_access_logs_use1", "bucket_access_logs_use2"};
    for (size_t i = 0; i < 4; i++) {
        const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", labels[i]);
        const cJSON *st = th_statement(doc, "DenyInsecureTransport");
        CU_ASSERT_PTR_NOT_NULL_FATAL(st);
        CU_ASSERT_STRING_EQUAL(th_str(st, "effect"), "Deny");
        CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.test"), "Bool");
        CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.variable"), "aws:SecureTransport");
        CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.values.0"), "false");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "resources")), 2);
    }
    const cJSON *kms_only = th_statement(th_data(r, "payment", "aws_iam_policy_document", labels[0]),
                                      "DenyNonKmsEncryption");
    CU_ASSERT_PTR_NOT_NULL_FATAL(kms_only);
    CU_ASSERT_STRING_EQUAL(th_str(kms_only, "condition.0.values.0"), "aws:kms");
    const cJSON *elb =
        th_statement(th_data(r, "payment", "aws_iam_policy_document", labels[2]), "ElbLogDelivery");
    CU_ASSERT_PTR_NOT_NULL_FATAL(elb);
    CU_ASSERT_STRING_EQUAL(th_str(elb, "principals.0.identifiers.0"),
                           "logdelivery.elasticloadbalancing.amazonaws.com");
    const cJSON *s3 = th_statement(th_data(r, "payment", "aws_iam_policy_document", labels[2]),
                                "S3ServerAccessLogs");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s3);
    CU_ASSERT_TRUE(
        th_list_has(th_path(s3, "condition.0.values"), "${aws_s3_bucket.audit_trail_use1.arn}"));
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_s3_bucket_policy", "audit_trail", "use2"), "policy"),
                           "${data.aws_iam_policy_document.bucket_audit_trail_use2.json}");
    th_free(r);
}

static void test_object_lock_follows_protection(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t c = 0; c < 2; c++) {
        const char *code = c ? "use2" : "use1";
        const cJSON *lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "audit_trail", code);
        CU_ASSERT_STRING_EQUAL(th_str(lock, "rule.0.default_retention.0.mode"), "COMPLIANCE");
        CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 365);
        const cJSON *b = th_regional(r, "aws_s3_bucket", "audit_trail", code);
        CU_ASSERT_EQUAL(th_bool(b, "lifecycle.prevent_destroy"), 1);
        CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);
        CU_ASSERT_EQUAL(th_bool(th_regional(r, "aws_s3_bucket", "transaction_logs", code), "force_destroy"),
                        0);
    }
    CU_ASSERT_PTR_NULL(
        th_regional(r, "aws_s3_bucket_object_lock_configuration", "transaction_logs", "use1"));
    th_free(r);

    const char *sets[] = {"protection=false", "storage.audit_lock_days=30", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "audit_trail", "use1");
    CU_ASSERT_STRING_EQUAL(th_str(lock, "rule.0.default_retention.0.mode"), "GOVERNANCE");
    CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 30);
    const char *labels[] = {"transaction_logs", "audit_trail", "access_logs"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *b = th_regional(r, "aws_s3_bucket", labels[i], "use2");
        CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 1);
        CU_ASSERT_PTR_NULL(th_path(b, "lifecycle"));
    }
    th_free(r);
}

static void test_names_fit_s3_limit(void)
{
    /* the longest project, environment and suffix the core accepts */
    const char *sets[] = {"project=paymentplatf", "environment=rehearsal202", "suffix=abcd1234",
                          NULL};
    /* only storage and what it needs: the load balancer's 32-character limit would stop
     * these names first */
    th_run *r = th_generate_only("tests/data/profiles/core-only.yaml", sets, "legacy,kms,iam,storage");
    TH_ASSERT_OK(r);
    const cJSON *b;
    size_t n = 0;
    cJSON_ArrayForEach(b, th_path(th_stack(r, "payment"), "resource.aws_s3_bucket"))
    {
        const char *name = th_str(b, "bucket");
        n++;
        CU_ASSERT_TRUE(strlen(name) <= 63);
        for (const char *c = name; *c; c++)
            CU_ASSERT_FALSE(*c >= 'A' && *c <= 'Z');
    }
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_s3_bucket", "transaction_logs", "use2"), "bucket"),
                           "paymentplatf-transaction-logs-rehearsal202-abcd1234-use2");
    th_free(r);
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "storage.transition_ia_days=61",
                 "must be at least storage.transition_ia_days + 30");
    th_expect_error("profiles/migration.yaml", "storage.audit_lock_days=3000", "storage.audit_lock_days = 3000 is longer than");
    th_expect_error("profiles/migration.yaml", "storage.replica_storage_class=DEEP_FREEZE",
                 "storage.replica_storage_class = 'DEEP_FREEZE' is not one of "
                 "STANDARD|STANDARD_IA|ONEZONE_IA|INTELLIGENT_TIERING|GLACIER_IR");
    th_expect_error("profiles/migration.yaml", "storage.audit_retention_days=100",
                 "storage.audit_retention_days = 100 is out of range");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"legacy: primary buckets, no replication",
         test_legacy_primary_buckets_without_replication},
        {"buckets use their region's key", test_buckets_use_their_regions_key},
        {"replication from migration on", test_replication_from_migration_on},
        {"policies deny plain transport", test_policies_deny_plain_transport},
        {"object lock follows protection", test_object_lock_follows_protection},
        {"names fit the S3 limit", test_names_fit_s3_limit},
        {"settings errors", test_settings_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("storage", tests);
}
