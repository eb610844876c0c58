/* SPDX-License-Identifier: Apache-2.0 */
/* Storage plugin: buckets per region with the region's key, replication out
 * of every serving region from the migration phase on, the trail's bucket
 * admitting the trail, TLS-only policies, Object Lock following the
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
    /* the trail writes into the audit-trail bucket from the first phase on */
    CU_ASSERT_PTR_NOT_NULL(th_statement(th_data(r, "payment", "aws_iam_policy_document",
                                                "bucket_audit_trail_use1"),
                                        "AWSCloudTrailWrite"));
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

/* One replication configuration per source bucket, its rules to every
 * other region, with the destination's key, RTC and delete markers. */
static void check_rule(const cJSON *rc, const char *label, const char *to, bool two_way)
{
    char expect[128];
    snprintf(expect, sizeof expect, "${aws_s3_bucket.%s_%s.arn}", label, to);
    TH_ASSERT_STR(rc, "rule.0.destination.0.bucket", expect);
    snprintf(expect, sizeof expect, "${aws_kms_key.storage_%s.arn}", to);
    TH_ASSERT_STR(rc, "rule.0.destination.0.encryption_configuration.0.replica_kms_key_id", expect);
    TH_ASSERT_STR(rc, "rule.0.source_selection_criteria.0.sse_kms_encrypted_objects.0.status",
                  "Enabled");
    /* replica modification sync on both buckets of a two-way pair */
    TH_ASSERT_STR(rc, "rule.0.source_selection_criteria.0.replica_modifications.0.status",
                  two_way ? "Enabled" : NULL);
    CU_ASSERT_PTR_NULL(th_path(rc, "rule.0.existing_object_replication"));
    /* RTC and metrics come as a pair, both 15 minutes */
    TH_ASSERT_STR(rc, "rule.0.destination.0.replication_time.0.status", "Enabled");
    CU_ASSERT_EQUAL(th_num(rc, "rule.0.destination.0.replication_time.0.time.0.minutes"), 15);
    TH_ASSERT_STR(rc, "rule.0.destination.0.metrics.0.status", "Enabled");
    CU_ASSERT_EQUAL(th_num(rc, "rule.0.destination.0.metrics.0.event_threshold.0.minutes"), 15);
    CU_ASSERT_PTR_NOT_NULL(th_path(rc, "rule.0.filter"));
    TH_ASSERT_STR(rc, "rule.0.delete_marker_replication.0.status", "Enabled");
    TH_ASSERT_STR(rc, "rule.0.status", "Enabled");
    CU_ASSERT_EQUAL(th_num(rc, "rule.0.priority"), 1);
    CU_ASSERT_PTR_NULL(th_path(rc, "rule.1"));
    snprintf(expect, sizeof expect, "aws_s3_bucket_object_lock_configuration.%s_%s", label, to);
    CU_ASSERT_TRUE(th_list_has(th_path(rc, "depends_on"), expect));
}

static void test_every_serving_region_replicates_out(void)
{
    static const char *const phases[] = {"profiles/migration.yaml", "profiles/production.yaml"};
    for (size_t p = 0; p < 2; p++) {
        th_run *r = th_generate(phases[p], NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_replication_configuration"), 3);
        /* transaction logs: both regions serve, both copy out, each to the other */
        const cJSON *out1 = th_regional(r, "aws_s3_bucket_replication_configuration", "transaction_logs", "use1");
        const cJSON *out2 = th_regional(r, "aws_s3_bucket_replication_configuration", "transaction_logs", "use2");
        CU_ASSERT_PTR_NOT_NULL_FATAL(out1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out2);
        CU_ASSERT_PTR_NULL(th_path(out1, "provider"));
        TH_ASSERT_STR(out2, "provider", "aws.use2");
        TH_ASSERT_STR(out1, "bucket", "${aws_s3_bucket.transaction_logs_use1.id}");
        TH_ASSERT_STR(out2, "bucket", "${aws_s3_bucket.transaction_logs_use2.id}");
        check_rule(out1, "transaction_logs", "use2", true);
        check_rule(out2, "transaction_logs", "use1", true);
        TH_ASSERT_STR(out1, "rule.0.id", "transaction-logs-to-use2");
        TH_ASSERT_STR(out2, "rule.0.id", "transaction-logs-to-use1");
        CU_ASSERT_TRUE(th_list_has(th_path(out2, "depends_on"), "aws_s3_bucket_versioning.transaction_logs_use2"));
        CU_ASSERT_TRUE(th_list_has(th_path(out2, "depends_on"), "aws_iam_role_policy.s3_replication_use2"));
        /* the audit trail has one writer, in the primary: one way */
        const cJSON *audit = th_regional(r, "aws_s3_bucket_replication_configuration", "audit_trail", "use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(audit);
        check_rule(audit, "audit_trail", "use2", false);
        CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket_replication_configuration", "audit_trail", "use2"));
        CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket_replication_configuration", "access_logs", "use1"));
        /* a locked source replicates only into a locked destination */
        CU_ASSERT_EQUAL(th_bool(th_regional(r, "aws_s3_bucket", "audit_trail", "use2"), "object_lock_enabled"), 1);
        CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_s3_bucket_object_lock_configuration", "transaction_logs", "use1"));
        /* the role: the source region's own when iam makes one there, else the primary's */
        const char *role2 = th_resource(r, "payment", "aws_iam_role", "s3_replication_use2")
                                ? "${aws_iam_role.s3_replication_use2" : "${aws_iam_role.s3_replication_use1";
        char want[96];
        snprintf(want, sizeof want, "%s.arn}", role2);
        TH_ASSERT_STR(out2, "role", want);
        TH_ASSERT_STR(out1, "role", "${aws_iam_role.s3_replication_use1.arn}");
        th_free(r);
    }
}

/* The statement sid of doc names exactly the one resource want. */
static void assert_only(const cJSON *doc, const char *sid, const char *want)
{
    const cJSON *st = th_statement(doc, sid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "resources")), 1);
    TH_ASSERT_STR(st, "resources.0", want);
}

/* Each source region's policy reads and decrypts its own buckets and
 * replicates into and encrypts for the others' - nothing more. */
static void test_replication_roles_exactly_scoped(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *p1 = th_resource(r, "payment", "aws_iam_role_policy", "s3_replication_use1");
    const cJSON *p2 = th_resource(r, "payment", "aws_iam_role_policy", "s3_replication_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p2);
    TH_ASSERT_STR(p1, "role", "${aws_iam_role.s3_replication_use1.name}");
    TH_ASSERT_STR(p1, "name", "payment-s3-replication-production-abc123"); /* unchanged: not replaced */
    TH_ASSERT_STR(p2, "name", "payment-s3-replication-use2-production-abc123");
    TH_ASSERT_STR(p2, "policy", "${data.aws_iam_policy_document.s3_replication_use2.json}");

    /* out of us-east-1: both data buckets to us-east-2 */
    const cJSON *d1 = th_data(r, "payment", "aws_iam_policy_document", "s3_replication_use1");
    const cJSON *st = th_statement(d1, "SourceBuckets");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "resources")), 2);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "resources"), "${aws_s3_bucket.transaction_logs_use1.arn}"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "resources"), "${aws_s3_bucket.audit_trail_use1.arn}"));
    st = th_statement(d1, "DestinationObjects");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "resources")), 2);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "resources"), "${aws_s3_bucket.transaction_logs_use2.arn}/*"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "resources"), "${aws_s3_bucket.audit_trail_use2.arn}/*"));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(th_statement(d1, "SourceObjectLock"), "resources")), 2);
    assert_only(d1, "DecryptSource", "${aws_kms_key.storage_use1.arn}");
    assert_only(d1, "EncryptReplicaUse2", "${aws_kms_key.storage_use2.arn}");
    CU_ASSERT_PTR_NULL(th_statement(d1, "EncryptReplicaUse1"));

    /* out of us-east-2: its transaction logs only, to us-east-1 */
    const cJSON *d2 = th_data(r, "payment", "aws_iam_policy_document", "s3_replication_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
    TH_ASSERT_STR(d2, "provider", "aws.use2");
    assert_only(d2, "SourceBuckets", "${aws_s3_bucket.transaction_logs_use2.arn}");
    assert_only(d2, "SourceObjects", "${aws_s3_bucket.transaction_logs_use2.arn}/*");
    assert_only(d2, "SourceObjectLock", "${aws_s3_bucket.transaction_logs_use2.arn}/*");
    assert_only(d2, "DestinationObjects", "${aws_s3_bucket.transaction_logs_use1.arn}/*");
    const cJSON *replicate = th_statement(d2, "DestinationObjects");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(replicate, "actions")), 3);
    CU_ASSERT_TRUE(th_list_has(th_path(replicate, "actions"), "s3:ReplicateObject"));
    CU_ASSERT_TRUE(th_list_has(th_path(replicate, "actions"), "s3:ReplicateDelete"));
    CU_ASSERT_TRUE(th_list_has(th_path(replicate, "actions"), "s3:ReplicateTags"));
    /* kms:Decrypt on the source key, through S3 of its region, for its bucket */
    const cJSON *dec = th_statement(d2, "DecryptSource");
    assert_only(d2, "DecryptSource", "${aws_kms_key.storage_use2.arn}");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(dec, "actions")), 1);
    TH_ASSERT_STR(dec, "actions.0", "kms:Decrypt");
    TH_ASSERT_STR(dec, "condition.0.variable", "kms:ViaService");
    TH_ASSERT_STR(dec, "condition.0.values.0", "s3.us-east-2.amazonaws.com");
    TH_ASSERT_STR(dec, "condition.1.variable", "kms:EncryptionContext:aws:s3:arn");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(dec, "condition.1.values")), 2);
    CU_ASSERT_TRUE(th_list_has(th_path(dec, "condition.1.values"), "${aws_s3_bucket.transaction_logs_use2.arn}"));
    /* kms:Encrypt on the destination key, through S3 of the destination's region */
    const cJSON *enc = th_statement(d2, "EncryptReplicaUse1");
    assert_only(d2, "EncryptReplicaUse1", "${aws_kms_key.storage_use1.arn}");
    CU_ASSERT_TRUE(th_list_has(th_path(enc, "actions"), "kms:Encrypt"));
    CU_ASSERT_FALSE(th_list_has(th_path(enc, "actions"), "kms:Decrypt"));
    TH_ASSERT_STR(enc, "condition.0.values.0", "s3.us-east-1.amazonaws.com");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(enc, "condition.1.values")), 2);
    CU_ASSERT_TRUE(th_list_has(th_path(enc, "condition.1.values"), "${aws_s3_bucket.transaction_logs_use1.arn}/*"));
    CU_ASSERT_PTR_NULL(th_statement(d2, "EncryptReplicaUse2"));
    /* six statements, no wildcard resource anywhere */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(d2, "statement")), 6);
    const cJSON *s;
    cJSON_ArrayForEach(s, th_path(d2, "statement")) CU_ASSERT_FALSE(th_list_has(th_path(s, "resources"), "*"));
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

/* The primary's audit-trail bucket admits the account's trail, and only it:
 * the ACL check and the write under AWSLogs/<account>/ with the owner's ACL;
 * its digest files (SSE-S3) are exempt from the KMS-only rule, nothing else. */
static void test_trail_bucket_admits_the_trail(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *trail = "arn:${data.aws_partition.current.partition}:cloudtrail:us-east-1:"
                        "${data.aws_caller_identity.current.account_id}:trail/payment-trail-production-abc123";
    const char *logs = "${aws_s3_bucket.audit_trail_use1.arn}/AWSLogs/"
                       "${data.aws_caller_identity.current.account_id}/";
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "bucket_audit_trail_use1");
    const cJSON *acl = th_statement(doc, "AWSCloudTrailAclCheck");
    CU_ASSERT_PTR_NOT_NULL_FATAL(acl);
    TH_ASSERT_STR(acl, "effect", "Allow");
    TH_ASSERT_STR(acl, "actions.0", "s3:GetBucketAcl");
    TH_ASSERT_STR(acl, "resources.0", "${aws_s3_bucket.audit_trail_use1.arn}");
    TH_ASSERT_STR(acl, "principals.0.type", "Service");
    TH_ASSERT_STR(acl, "principals.0.identifiers.0", "cloudtrail.amazonaws.com");
    TH_ASSERT_STR(acl, "condition.0.test", "StringEquals");
    TH_ASSERT_STR(acl, "condition.0.variable", "aws:SourceArn");
    TH_ASSERT_STR(acl, "condition.0.values.0", trail);
    const cJSON *write = th_statement(doc, "AWSCloudTrailWrite");
    CU_ASSERT_PTR_NOT_NULL_FATAL(write);
    TH_ASSERT_STR(write, "actions.0", "s3:PutObject");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(write, "actions")), 1);
    char want[256];
    snprintf(want, sizeof want, "%s*", logs);
    TH_ASSERT_STR(write, "resources.0", want);
    TH_ASSERT_STR(write, "principals.0.identifiers.0", "cloudtrail.amazonaws.com");
    TH_ASSERT_STR(write, "condition.0.variable", "aws:SourceArn");
    TH_ASSERT_STR(write, "condition.0.values.0", trail);
    TH_ASSERT_STR(write, "condition.1.test", "StringEquals");
    TH_ASSERT_STR(write, "condition.1.variable", "s3:x-amz-acl");
    TH_ASSERT_STR(write, "condition.1.values.0", "bucket-owner-full-control");
    const cJSON *kms_only = th_statement(doc, "DenyNonKmsEncryption");
    snprintf(want, sizeof want, "%sCloudTrail-Digest/*", logs);
    TH_ASSERT_STR(kms_only, "not_resources.0", want);
    CU_ASSERT_PTR_NULL(th_path(kms_only, "resources"));
    TH_ASSERT_STR(th_statement(doc, "DenyOtherKmsKey"), "condition.0.values.0", "${aws_kms_key.storage_use1.arn}");
    TH_ASSERT_STR(th_statement(doc, "DenyOtherKmsKey"), "condition.0.values.1", "${aws_kms_key.storage_use1.key_id}");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(th_statement(doc, "DenyOtherKmsKey"), "condition.0.values")), 2);
    /* the trail waits for this policy: it reads the bucket through it */
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudtrail", "main_use1"), "s3_bucket_name",
                  "${aws_s3_bucket_policy.audit_trail_use1.bucket}");
    /* no other bucket admits CloudTrail, and the others stay KMS-only everywhere */
    const char *others[] = {"bucket_audit_trail_use2", "bucket_transaction_logs_use1",
                            "bucket_transaction_logs_use2"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *o = th_data(r, "payment", "aws_iam_policy_document", others[i]);
        CU_ASSERT_PTR_NULL(th_statement(o, "AWSCloudTrailWrite"));
        CU_ASSERT_PTR_NULL(th_statement(o, "AWSCloudTrailAclCheck"));
        CU_ASSERT_PTR_NULL(th_path(th_statement(o, "DenyNonKmsEncryption"), "not_resources"));
    }
    th_free(r);
}

/* Transaction logs are protected like the audit trail: Object Lock for their
 * whole retention, turned on without replacing the bucket, prevent_destroy. */
static void test_object_lock_follows_protection(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t c = 0; c < 2; c++) {
        const char *code = c ? "use2" : "use1";
        const cJSON *lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "audit_trail", code);
        TH_ASSERT_STR(lock, "rule.0.default_retention.0.mode", "COMPLIANCE");
        CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 365);
        const cJSON *b = th_regional(r, "aws_s3_bucket", "audit_trail", code);
        CU_ASSERT_EQUAL(th_bool(b, "lifecycle.prevent_destroy"), 1);
        CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);

        lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "transaction_logs", code);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lock);
        TH_ASSERT_STR(lock, "object_lock_enabled", "Enabled");
        TH_ASSERT_STR(lock, "rule.0.default_retention.0.mode", "COMPLIANCE");
        CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 400);
        char versioning[96];
        snprintf(versioning, sizeof versioning, "aws_s3_bucket_versioning.transaction_logs_%s", code);
        CU_ASSERT_TRUE(th_list_has(th_path(lock, "depends_on"), versioning));
        b = th_regional(r, "aws_s3_bucket", "transaction_logs", code);
        /* object_lock_enabled on the bucket would replace today's bucket */
        CU_ASSERT_PTR_NULL(th_path(b, "object_lock_enabled"));
        CU_ASSERT_EQUAL(th_bool(b, "lifecycle.prevent_destroy"), 1);
        CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);
        /* versioning, public access block and TLS-only, as for the audit trail */
        TH_ASSERT_STR(th_regional(r, "aws_s3_bucket_versioning", "transaction_logs", code),
                      "versioning_configuration.0.status", "Enabled");
        CU_ASSERT_EQUAL(th_bool(th_regional(r, "aws_s3_bucket_public_access_block", "transaction_logs", code),
                                "restrict_public_buckets"), 1);
        char doc[64];
        snprintf(doc, sizeof doc, "bucket_transaction_logs_%s", code);
        CU_ASSERT_PTR_NOT_NULL(th_statement(th_data(r, "payment", "aws_iam_policy_document", doc),
                                            "DenyInsecureTransport"));
    }
    th_free(r);

    const char *sets[] = {"protection=false", "storage.audit_lock_days=30",
                          "storage.transaction_log_retention_days=200", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "audit_trail", "use1");
    TH_ASSERT_STR(lock, "rule.0.default_retention.0.mode", "GOVERNANCE");
    CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 30);
    lock = th_regional(r, "aws_s3_bucket_object_lock_configuration", "transaction_logs", "use2");
    TH_ASSERT_STR(lock, "rule.0.default_retention.0.mode", "GOVERNANCE");
    CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 200);
    CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_s3_bucket_lifecycle_configuration", "transaction_logs", "use2"),
                           "rule.0.expiration.0.days"), 200);
    const char *labels[] = {"transaction_logs", "audit_trail", "access_logs"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *b = th_regional(r, "aws_s3_bucket", labels[i], "use2");
        CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 1);
        CU_ASSERT_PTR_NULL(th_path(b, "lifecycle"));
    }
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_s3_bucket_object_lock_configuration", "access_logs", "use1"));
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
                           "paymentplatf-transaction-logs-use2-rehearsal202-abcd1234");
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
        {"every serving region replicates out", test_every_serving_region_replicates_out},
        {"replication roles exactly scoped", test_replication_roles_exactly_scoped},
        {"policies deny plain transport", test_policies_deny_plain_transport},
        {"trail bucket admits the trail", test_trail_bucket_admits_the_trail},
        {"object lock follows protection", test_object_lock_follows_protection},
        {"names fit the S3 limit", test_names_fit_s3_limit},
        {"settings errors", test_settings_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("storage", tests);
}
