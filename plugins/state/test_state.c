/* SPDX-License-Identifier: Apache-2.0 */
/* State plugin: the bootstrap stack's key, bucket (with its six settings
 * resources) and lock table; the payment stack's S3 backend repeating the
 * bootstrap's names as literals; protection on and off; settings. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const cJSON *boot(const th_run *r, const char *type)
{
    const char *label = !strcmp(type, "aws_dynamodb_table") ? "lock_use1" : "state_use1";
    return th_resource(r, "bootstrap", type, label);
}

static const cJSON *backend(const th_run *r)
{
    return th_path(th_stack(r, "payment"), "terraform.backend.s3");
}

static void test_bootstrap_bucket_and_settings(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *bucket = boot(r, "aws_s3_bucket");
    CU_ASSERT_PTR_NOT_NULL_FATAL(bucket);
    CU_ASSERT_STRING_EQUAL(th_str(bucket, "bucket"), "payment-tfstate-use1-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(bucket, "provider"));
    CU_ASSERT_EQUAL(th_count(r, "bootstrap", "aws_s3_bucket"), 2); /* the state and its copy */
    /* the platform stack holds no state resources */
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_s3_bucket", "state_use1"));
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_dynamodb_table", "lock_use1"));

    static const char *const parts[] = {
        "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy", "aws_s3_bucket_lifecycle_configuration"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const cJSON *p = boot(r, parts[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(th_str(p, "bucket"), "${aws_s3_bucket.state_use1.id}");
    }
    CU_ASSERT_STRING_EQUAL(th_str(boot(r, parts[0]), "versioning_configuration.0.status"), "Enabled");

    const cJSON *sse = boot(r, parts[1]);
    CU_ASSERT_STRING_EQUAL(th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"),
                           "aws:kms");
    CU_ASSERT_STRING_EQUAL(
        th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        "${aws_kms_key.state_use1.arn}");
    CU_ASSERT_EQUAL(th_bool(sse, "rule.0.bucket_key_enabled"), 1);

    const cJSON *pab = boot(r, parts[2]);
    CU_ASSERT_EQUAL(th_bool(pab, "block_public_acls"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "block_public_policy"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "ignore_public_acls"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "restrict_public_buckets"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(boot(r, parts[3]), "rule.0.object_ownership"), "BucketOwnerEnforced");

    const cJSON *lc = boot(r, parts[5]);
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.noncurrent_version_expiration.0.noncurrent_days"), 90);
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.abort_incomplete_multipart_upload.0.days_after_initiation"), 7);
    CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.status"), "Enabled");
    CU_ASSERT_STRING_EQUAL(th_str(lc, "depends_on.0"), "aws_s3_bucket_versioning.state_use1");
    th_free(r);
}

static void test_bucket_policy_denies_plain_transport_and_unencrypted_puts(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(th_str(boot(r, "aws_s3_bucket_policy"), "policy"),
                           "${data.aws_iam_policy_document.state_bucket_use1.json}");
    const cJSON *doc = th_data(r, "bootstrap", "aws_iam_policy_document", "state_bucket_use1");
    const cJSON *tls = th_statement(doc, "DenyInsecureTransport");
    CU_ASSERT_PTR_NOT_NULL_FATAL(tls);
    CU_ASSERT_STRING_EQUAL(th_str(tls, "effect"), "Deny");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "condition.0.variable"), "aws:SecureTransport");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "condition.0.values.0"), "false");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "resources.1"), "${aws_s3_bucket.state_use1.arn}/*");
    const cJSON *put = th_statement(doc, "DenyUnencryptedUploads");
    CU_ASSERT_PTR_NOT_NULL_FATAL(put);
    CU_ASSERT_STRING_EQUAL(th_str(put, "actions.0"), "s3:PutObject");
    CU_ASSERT_STRING_EQUAL(th_str(put, "condition.0.variable"), "s3:x-amz-server-side-encryption");
    const cJSON *other = th_statement(doc, "DenyOtherEncryption");
    CU_ASSERT_STRING_EQUAL(th_str(other, "condition.0.values.0"), "aws:kms");
    th_free(r);
}

static void test_lock_table_and_key(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *t = boot(r, "aws_dynamodb_table");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(th_str(t, "name"), "payment-tflock-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(t, "hash_key"), "LockID");
    CU_ASSERT_STRING_EQUAL(th_str(t, "attribute.0.name"), "LockID");
    CU_ASSERT_STRING_EQUAL(th_str(t, "attribute.0.type"), "S");
    CU_ASSERT_PTR_NULL(th_path(t, "attribute.1"));
    CU_ASSERT_STRING_EQUAL(th_str(t, "billing_mode"), "PAY_PER_REQUEST");
    CU_ASSERT_EQUAL(th_bool(t, "point_in_time_recovery.0.enabled"), 1);
    CU_ASSERT_EQUAL(th_bool(t, "server_side_encryption.0.enabled"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(t, "server_side_encryption.0.kms_key_arn"),
                           "${aws_kms_key.state_use1.arn}");

    const cJSON *key = boot(r, "aws_kms_key");
    CU_ASSERT_EQUAL(th_bool(key, "enable_key_rotation"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(key, "policy"), "${data.aws_iam_policy_document.state_key_use1.json}");
    const cJSON *doc = th_data(r, "bootstrap", "aws_iam_policy_document", "state_key_use1");
    const cJSON *admin = th_statement(doc, "KeyAdministration");
    CU_ASSERT_PTR_NOT_NULL_FATAL(admin);
    const cJSON *a;
    cJSON_ArrayForEach(a, th_path(admin, "actions")) CU_ASSERT_STRING_NOT_EQUAL(a->valuestring, "kms:*");
    const cJSON *use = th_statement(doc, "AccountUseViaS3AndDynamoDb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(use);
    CU_ASSERT_STRING_EQUAL(th_str(use, "condition.0.values.0"), "s3.us-east-1.amazonaws.com");
    CU_ASSERT_STRING_EQUAL(th_str(use, "condition.0.values.1"), "dynamodb.us-east-1.amazonaws.com");
    CU_ASSERT_STRING_EQUAL(th_str(boot(r, "aws_kms_alias"), "target_key_id"),
                           "${aws_kms_key.state_use1.key_id}");

    const cJSON *out = th_path(th_stack(r, "bootstrap"), "output");
    CU_ASSERT_STRING_EQUAL(th_str(out, "state_bucket.value"), "${aws_s3_bucket.state_use1.bucket}");
    CU_ASSERT_STRING_EQUAL(th_str(out, "state_lock_table.value"), "${aws_dynamodb_table.lock_use1.name}");
    CU_ASSERT_STRING_EQUAL(th_str(out, "state_key_arn.value"), "${aws_kms_key.state_use1.arn}");
    th_free(r);
}

/* The backend may hold only literals, and they must name what bootstrap makes. */
static void assert_backend_matches_bootstrap(const th_run *r)
{
    const cJSON *b = backend(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(th_str(b, "bucket"), th_str(boot(r, "aws_s3_bucket"), "bucket"));
    CU_ASSERT_STRING_EQUAL(th_str(b, "dynamodb_table"), th_str(boot(r, "aws_dynamodb_table"), "name"));
    CU_ASSERT_STRING_EQUAL(th_str(b, "kms_key_id"), th_str(boot(r, "aws_kms_alias"), "name"));
    CU_ASSERT_STRING_EQUAL(th_str(b, "region"), "us-east-1");
    const cJSON *v;
    cJSON_ArrayForEach(v, b) if (cJSON_IsString(v)) CU_ASSERT_PTR_NULL(strstr(v->valuestring, "${"));
}

static void test_payment_backend_uses_bootstrap_names(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_backend_matches_bootstrap(r);
    const cJSON *b = backend(r);
    CU_ASSERT_STRING_EQUAL(th_str(b, "key"), "payment/terraform.tfstate");
    CU_ASSERT_EQUAL(th_bool(b, "encrypt"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(b, "workspace_key_prefix"), "env");
    CU_ASSERT_STRING_EQUAL(th_str(b, "kms_key_id"), "alias/payment-tfstate-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(b, "use_lockfile")); /* unknown to Terraform 1.5 */
    /* bootstrap itself starts on local state */
    CU_ASSERT_PTR_NOT_NULL(th_path(th_stack(r, "bootstrap"), "terraform.backend.local"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "bootstrap"), "terraform.backend.s3"));
    th_free(r);
}

static void test_names_stable_across_phases(void)
{
    th_run *legacy = th_generate("profiles/legacy.yaml", NULL);
    th_run *production = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(legacy);
    TH_ASSERT_OK(production);
    CU_ASSERT_STRING_EQUAL(th_str(boot(legacy, "aws_s3_bucket"), "bucket"),
                           th_str(boot(production, "aws_s3_bucket"), "bucket"));
    CU_ASSERT_STRING_EQUAL(th_str(backend(legacy), "dynamodb_table"),
                           th_str(backend(production), "dynamodb_table"));
    th_free(legacy);
    th_free(production);
}

static void test_protection_on(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_kms_key"), "lifecycle.prevent_destroy"), 1);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_s3_bucket"), "lifecycle.prevent_destroy"), 1);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_dynamodb_table"), "lifecycle.prevent_destroy"), 1);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_dynamodb_table"), "deletion_protection_enabled"), 1);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_s3_bucket"), "force_destroy"), 0);
    th_free(r);
}

static void test_protection_off_stays_destroyable(void)
{
    th_run *r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_path(boot(r, "aws_kms_key"), "lifecycle"));
    CU_ASSERT_PTR_NULL(th_path(boot(r, "aws_s3_bucket"), "lifecycle"));
    CU_ASSERT_PTR_NULL(th_path(boot(r, "aws_dynamodb_table"), "lifecycle"));
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_dynamodb_table"), "deletion_protection_enabled"), 0);
    CU_ASSERT_EQUAL(th_bool(boot(r, "aws_s3_bucket"), "force_destroy"), 1);
    /* the rehearsal environment has state of its own */
    CU_ASSERT_STRING_EQUAL(th_str(backend(r), "bucket"), "payment-tfstate-use1-staging-xyz789");
    assert_backend_matches_bootstrap(r);
    th_free(r);
}

/* The longest names the profile allows (project and environment 12, suffix 8)
 * still fit S3's 63: no limit of this plugin can be broken, so check the
 * longest case (with this plugin alone: ALB names are tighter). */
static void test_longest_names_fit(void)
{
    const char *sets[] = {"project=paymentplatf", "environment=stagingrehea", "suffix=abcd1234",
                          NULL};
    /* state alone, on a profile of core keys: the load balancer's tighter
     * name limit would refuse these values first */
    th_run *r = th_generate_only("tests/data/profiles/core-only.yaml", sets, "state");
    TH_ASSERT_OK(r);
    const char *bucket = th_str(backend(r), "bucket");
    CU_ASSERT_STRING_EQUAL(bucket, "paymentplatf-tfstate-use1-stagingrehea-abcd1234");
    CU_ASSERT_TRUE(strlen(bucket) <= 63);
    CU_ASSERT_STRING_EQUAL(th_str(backend(r), "key"), "paymentplatf/terraform.tfstate");
    assert_backend_matches_bootstrap(r);
    th_free(r);
}

static void test_settings(void)
{
    const char *sets[] = {"state.noncurrent_version_days=30", "state.abort_incomplete_upload_days=2",
                          NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *lc = boot(r, "aws_s3_bucket_lifecycle_configuration");
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.noncurrent_version_expiration.0.noncurrent_days"), 30);
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.abort_incomplete_multipart_upload.0.days_after_initiation"), 2);
    th_free(r);

    const char *bad[] = {"state.noncurrent_version_days=0", NULL};
    r = th_generate("profiles/migration.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "state.noncurrent_version_days = 0 is out of range 1..3650"));
    th_free(r);
}

/* From the migration phase on, the state has a copy in the secondary: a
 * bucket of its own key filled by replication, and the lock table a global
 * table with a replica there. The legacy phase has one region and no copy. */
static void test_state_copy_in_the_secondary(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *copy = th_resource(r, "bootstrap", "aws_s3_bucket", "state_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    TH_ASSERT_STR(copy, "bucket", "payment-tfstate-use2-production-abc123");
    TH_ASSERT_STR(copy, "provider", "aws.use2");
    TH_ASSERT_STR(th_resource(r, "bootstrap", "aws_s3_bucket_server_side_encryption_configuration",
                              "state_use2"),
                  "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                  "${aws_kms_key.state_use2.arn}");
    const cJSON *rc = th_resource(r, "bootstrap", "aws_s3_bucket_replication_configuration", "state_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    TH_ASSERT_STR(rc, "bucket", "${aws_s3_bucket.state_use1.id}");
    TH_ASSERT_STR(rc, "role", "${aws_iam_role.state_replication_use1.arn}");
    TH_ASSERT_STR(rc, "rule.0.destination.0.bucket", "${aws_s3_bucket.state_use2.arn}");
    TH_ASSERT_STR(rc, "rule.0.destination.0.encryption_configuration.0.replica_kms_key_id",
                  "${aws_kms_key.state_use2.arn}");
    TH_ASSERT_STR(rc, "rule.0.delete_marker_replication.0.status", "Enabled");
    CU_ASSERT_TRUE(th_list_has(th_path(rc, "depends_on"), "aws_s3_bucket_versioning.state_use2"));
    /* the role reads the source and writes the copy, each with its key */
    const cJSON *doc = th_data(r, "bootstrap", "aws_iam_policy_document", "state_replication_use1");
    TH_ASSERT_STR(th_statement(doc, "SourceKeyDecrypt"), "resources.0", "${aws_kms_key.state_use1.arn}");
    TH_ASSERT_STR(th_statement(doc, "DestinationKeyEncrypt"), "resources.0", "${aws_kms_key.state_use2.arn}");
    TH_ASSERT_STR(th_statement(doc, "DestinationWrites"), "resources.0", "${aws_s3_bucket.state_use2.arn}/*");
    const cJSON *table = th_resource(r, "bootstrap", "aws_dynamodb_table", "lock_use1");
    CU_ASSERT_EQUAL(th_bool(table, "stream_enabled"), 1);
    TH_ASSERT_STR(table, "stream_view_type", "NEW_AND_OLD_IMAGES");
    TH_ASSERT_STR(table, "replica.0.region_name", "us-east-2");
    TH_ASSERT_STR(table, "replica.0.kms_key_arn", "${aws_kms_key.state_use2.arn}");
    th_free(r);

    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_resource(r, "bootstrap", "aws_s3_bucket", "state_use2"));
    CU_ASSERT_PTR_NULL(th_path(th_resource(r, "bootstrap", "aws_dynamodb_table", "lock_use1"), "replica"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"bootstrap bucket and its six settings resources", test_bootstrap_bucket_and_settings},
        {"bucket policy: TLS only, encrypted uploads only",
         test_bucket_policy_denies_plain_transport_and_unencrypted_puts},
        {"lock table, key and outputs", test_lock_table_and_key},
        {"payment backend repeats the bootstrap names", test_payment_backend_uses_bootstrap_names},
        {"names stable across phases", test_names_stable_across_phases},
        {"protection on", test_protection_on},
        {"protection off stays destroyable", test_protection_off_stays_destroyable},
        {"longest names fit", test_longest_names_fit},
        {"settings", test_settings},
        {"a copy of the state in the secondary", test_state_copy_in_the_secondary},
        CU_TEST_INFO_NULL,
    };
    return th_main("state", tests);
}
