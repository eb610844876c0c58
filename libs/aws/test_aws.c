/* SPDX-License-Identifier: Apache-2.0 */
/* libpaygen_aws: pg_aws_hardened_bucket() from an in-process plugin - every
 * block of a fully specified bucket, the defaults of a minimal one, and the
 * errors of a spec that cannot work. The storage, audit and state plugin
 * tests cover the buckets they make with it. */
#include <string.h>

#include <paygen/aws.h>

#include "harness.h"

static void leading_statement(pg_out *out, cJSON *doc, const pg_aws_bucket *made, void *arg)
{
    pg_block(out, doc, "statement",
             PG_STR("sid", (const char *)arg),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:GetBucketAcl"),
             PG_STRS("resources", pg_ref(out, made->bucket, "arn")),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"));
}

static int full_bucket(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_primary(ctx);
    pg_aws_bucket logs;
    if (pg_aws_hardened_bucket(out, &(pg_aws_bucket_spec){.region = r, .label = "logs",
                                                           .name = "test-logs", .versioning = true},
                               &logs) < 0)
        return -1;
    static const pg_aws_transition transitions[] = {{30, "STANDARD_IA"}, {90, "GLACIER"}};
    const pg_aws_lifecycle_rule rule = {.id = "retention",
                                        .transitions = transitions,
                                        .transition_count = 2,
                                        .expiration_days = 400,
                                        .noncurrent_days = 60,
                                        .abort_multipart_days = 7};
    pg_aws_bucket made;
    if (pg_aws_hardened_bucket(out,
                               &(pg_aws_bucket_spec){
                                   .region = r,
                                   .label = "data",
                                   .name = "test-data.example",
                                   .kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/k",
                                   .force_destroy = false,
                                   .protect = true,
                                   .versioning = true,
                                   .object_lock = {"GOVERNANCE", 30},
                                   .lifecycle = &rule,
                                   .lifecycle_count = 1,
                                   .log_bucket = logs.bucket,
                                   .log_prefix = "s3/data/",
                                   .statements = leading_statement,
                                   .statements_arg = "First",
                               },
                               &made) < 0)
        return -1;
    pg_block(out, made.policy_document, "statement", PG_STR("sid", "Last"),
             PG_STR("effect", "Deny"), PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", "*"), PG_PRINCIPALS("*", "*"));
    return made.policy && made.object_lock && made.logging && made.lifecycle ? 0 : -1;
}

static int minimal_bucket(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_region(ctx, 1);
    pg_aws_bucket made;
    if (pg_aws_hardened_bucket(out,
                               &(pg_aws_bucket_spec){.region = r, .label = "plain",
                                                     .name = "test-plain", .force_destroy = true,
                                                     .policy_label = "plain_policy"},
                               &made) < 0)
        return -1;
    return made.versioning || made.lifecycle || made.logging || made.object_lock ? -1 : 0;
}

static int uppercase_name(const pg_ctx *ctx, pg_out *out)
{
    pg_aws_bucket made;
    return pg_aws_hardened_bucket(out,
                                  &(pg_aws_bucket_spec){.region = pg_ctx_primary(ctx),
                                                        .label = "bad", .name = "Test-Bad"},
                                  &made);
}

static int lock_without_versioning(const pg_ctx *ctx, pg_out *out)
{
    pg_aws_bucket made;
    return pg_aws_hardened_bucket(out,
                                  &(pg_aws_bucket_spec){.region = pg_ctx_primary(ctx),
                                                        .label = "bad", .name = "test-bad",
                                                        .object_lock = {"COMPLIANCE", 1}},
                                  &made);
}

TH_PLUGIN(full_plugin, "awstest", NULL, NULL, NULL, 0, full_bucket);
TH_PLUGIN(minimal_plugin, "awstest", NULL, NULL, NULL, 0, minimal_bucket);
TH_PLUGIN(uppercase_plugin, "awstest", NULL, NULL, NULL, 0, uppercase_name);
TH_PLUGIN(lock_plugin, "awstest", NULL, NULL, NULL, 0, lock_without_versioning);

/* Runs the plugin alone on the core-only profile; the caller frees. */
static th_run *run(const pg_plugin *plugin, const char *const *sets)
{
    return th_core_only(sets, &plugin, 1);
}

static const cJSON *res(const th_run *r, const char *type, const char *label)
{
    const cJSON *b = th_resource(r, "payment", type, label);
    CU_ASSERT_PTR_NOT_NULL(b);
    return b;
}

static void test_full_bucket(void)
{
    const char *sets[] = {"protection=true", NULL};
    th_run *r = run(&full_plugin, sets);
    TH_ASSERT_OK(r);
    const cJSON *b = res(r, "aws_s3_bucket", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(b, "bucket"), "test-data.example");
    CU_ASSERT_STRING_EQUAL(th_str(b, "tags.Name"), "test-data.example");
    CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 0);
    CU_ASSERT_EQUAL(th_bool(b, "object_lock_enabled"), 1);
    CU_ASSERT_EQUAL(th_bool(b, "lifecycle.prevent_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(b, "provider"));

    const char *id = "${aws_s3_bucket.data_use1.id}";
    const cJSON *v = res(r, "aws_s3_bucket_versioning", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(v, "bucket"), id);
    CU_ASSERT_STRING_EQUAL(th_str(v, "versioning_configuration.0.status"), "Enabled");

    const cJSON *sse = res(r, "aws_s3_bucket_server_side_encryption_configuration", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"),
                           "aws:kms");
    CU_ASSERT_STRING_EQUAL(
        th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        "arn:aws:kms:us-east-1:111122223333:key/k");
    CU_ASSERT_EQUAL(th_bool(sse, "rule.0.bucket_key_enabled"), 1);

    const cJSON *pab = res(r, "aws_s3_bucket_public_access_block", "data_use1");
    CU_ASSERT_EQUAL(th_bool(pab, "block_public_acls"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "block_public_policy"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "ignore_public_acls"), 1);
    CU_ASSERT_EQUAL(th_bool(pab, "restrict_public_buckets"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(res(r, "aws_s3_bucket_ownership_controls", "data_use1"),
                                  "rule.0.object_ownership"),
                           "BucketOwnerEnforced");

    const cJSON *lc = res(r, "aws_s3_bucket_lifecycle_configuration", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.id"), "retention");
    CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.status"), "Enabled");
    CU_ASSERT_TRUE(cJSON_IsObject(th_path(lc, "rule.0.filter.0")));
    CU_ASSERT_PTR_NULL(th_path(lc, "rule.0.filter.0.prefix"));
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.transition.0.days"), 30);
    CU_ASSERT_STRING_EQUAL(th_str(lc, "rule.0.transition.1.storage_class"), "GLACIER");
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.expiration.0.days"), 400);
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.noncurrent_version_expiration.0.noncurrent_days"), 60);
    CU_ASSERT_EQUAL(th_num(lc, "rule.0.abort_incomplete_multipart_upload.0.days_after_initiation"), 7);
    CU_ASSERT_STRING_EQUAL(th_str(lc, "depends_on.0"), "aws_s3_bucket_versioning.data_use1");

    const cJSON *log = res(r, "aws_s3_bucket_logging", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(log, "target_bucket"), "${aws_s3_bucket.logs_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(log, "target_prefix"), "s3/data/");

    const cJSON *lock = res(r, "aws_s3_bucket_object_lock_configuration", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(lock, "rule.0.default_retention.0.mode"), "GOVERNANCE");
    CU_ASSERT_EQUAL(th_num(lock, "rule.0.default_retention.0.days"), 30);
    CU_ASSERT_STRING_EQUAL(th_str(lock, "depends_on.0"), "aws_s3_bucket_versioning.data_use1");

    const cJSON *policy = res(r, "aws_s3_bucket_policy", "data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(policy, "policy"),
                           "${data.aws_iam_policy_document.bucket_data_use1.json}");
    CU_ASSERT_STRING_EQUAL(th_str(policy, "depends_on.0"),
                           "aws_s3_bucket_public_access_block.data_use1");
    /* the caller's leading statement, TLS only, then what it appended */
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "bucket_data_use1");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.sid"), "First");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.1.sid"), "DenyInsecureTransport");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.2.sid"), "Last");
    const cJSON *tls = th_statement(doc, "DenyInsecureTransport");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "effect"), "Deny");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "actions.0"), "s3:*");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "resources.0"), "${aws_s3_bucket.data_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "resources.1"), "${aws_s3_bucket.data_use1.arn}/*");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "principals.0.type"), "*");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "condition.0.test"), "Bool");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "condition.0.variable"), "aws:SecureTransport");
    CU_ASSERT_STRING_EQUAL(th_str(tls, "condition.0.values.0"), "false");

    /* the minimal access-log target: SSE-S3, no lifecycle, no logging of its own */
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_s3_bucket_logging", "logs_use1"));
    CU_ASSERT_PTR_NULL(th_path(res(r, "aws_s3_bucket", "logs_use1"), "lifecycle"));
    th_free(r);
}

static void test_minimal_bucket(void)
{
    th_run *r = run(&minimal_plugin, NULL);
    TH_ASSERT_OK(r);
    const cJSON *b = res(r, "aws_s3_bucket", "plain_use2");
    CU_ASSERT_STRING_EQUAL(th_str(b, "provider"), "aws.use2");
    CU_ASSERT_EQUAL(th_bool(b, "force_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(b, "object_lock_enabled"));
    CU_ASSERT_PTR_NULL(th_path(b, "lifecycle"));
    const cJSON *sse = res(r, "aws_s3_bucket_server_side_encryption_configuration", "plain_use2");
    CU_ASSERT_STRING_EQUAL(th_str(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"),
                           "AES256");
    CU_ASSERT_PTR_NULL(th_path(sse, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"));
    CU_ASSERT_PTR_NULL(th_path(sse, "rule.0.bucket_key_enabled"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_versioning"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_lifecycle_configuration"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_object_lock_configuration"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_s3_bucket_public_access_block"), 1);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "plain_policy_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.sid"), "DenyInsecureTransport");
    CU_ASSERT_PTR_NULL(th_path(doc, "statement.1"));
    th_free(r);
}

static void test_errors(void)
{
    th_run *r = run(&uppercase_plugin, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "bucket name 'Test-Bad' must be lowercase letters, digits"));
    th_free(r);
    r = run(&lock_plugin, NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "bucket test-bad: Object Lock needs versioning"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"full bucket: every block", test_full_bucket},
        {"minimal bucket: SSE-S3, nothing optional", test_minimal_bucket},
        {"errors", test_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("paygen_aws", tests);
}
