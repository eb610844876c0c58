/* SPDX-License-Identifier: Apache-2.0 */
/* bootstrap.c - the state key, bucket and lock table (bootstrap stack).
 *
 * All three live in the primary region and are protected from destroy by the
 * profile's switch: losing the state bucket or its key loses track of every
 * resource of the platform. */
#include "state.h"

#include <paygen/aws.h>

/* Root administers the key without kms:*, and the account may use it through
 * IAM policies, only by way of S3 and DynamoDB in this region. */
static cJSON *key_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    const char *root = pg_printf(out, "arn:%s:iam::%s:root", partition, account);
    const char *via_s3 = pg_printf(out, "s3.%s.amazonaws.com", r->name);
    const char *via_dynamodb = pg_printf(out, "dynamodb.%s.amazonaws.com", r->name);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "state_key");
    pg_aws_key_administration(out, doc, root);
    pg_set(out, doc,
           PG_BLOCK("statement",
                    PG_STR("sid", "AccountUseViaS3AndDynamoDb"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                            "kms:GenerateDataKey*", "kms:DescribeKey"),
                    PG_STRS("resources", "*"),
                    PG_PRINCIPALS("AWS", root),
                    PG_CONDITION("StringEquals", "kms:ViaService", via_s3, via_dynamodb),
                    PG_CONDITION("StringEquals", "kms:CallerAccount", account)),
           /* DynamoDB encrypts the table through grants it creates for itself. */
           PG_BLOCK("statement",
                    PG_STR("sid", "DynamoDbGrants"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "kms:CreateGrant"),
                    PG_STRS("resources", "*"),
                    PG_PRINCIPALS("AWS", root),
                    PG_CONDITION("StringEquals", "kms:ViaService", via_dynamodb),
                    PG_CONDITION("Bool", "kms:GrantIsForAWSResource", "true")));
    return doc;
}

cJSON *state_key(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n)
{
    const state_cfg *cfg = pg_config(ctx);
    cJSON *key = pg_resource(out, r, "aws_kms_key", "state",
                             PG_STR("description", "Terraform state bucket and lock table"),
                             PG_STR("key_usage", "ENCRYPT_DECRYPT"),
                             PG_STR("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
                             PG_BOOL("enable_key_rotation", true),
                             PG_INT("deletion_window_in_days", cfg->key_deletion_window_days),
                             PG_BOOL("multi_region", false),
                             PG_REF("policy", key_policy(ctx, out, r), "json"),
                             PG_NAME("kms-tfstate"),
                             PG_PROTECT);
    pg_resource(out, r, "aws_kms_alias", "state",
                PG_STR("name", n->key_alias),
                PG_REF("target_key_id", key, "key_id"));
    return key;
}

/* After TLS only: every object encrypted with KMS. */
static void state_deny_unencrypted_uploads(pg_out *out, const pg_aws_bucket *made)
{
    const char *objects = pg_printf(out, "%s/*", pg_ref(out, made->bucket, "arn"));
    pg_block(out, made->policy_document, "statement",
             PG_STR("sid", "DenyUnencryptedUploads"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("Null", "s3:x-amz-server-side-encryption", "true"));
    pg_block(out, made->policy_document, "statement",
             PG_STR("sid", "DenyOtherEncryption"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", "aws:kms"));
}

int state_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const char *name,
                 const cJSON *key, pg_aws_bucket *made)
{
    const state_cfg *cfg = pg_config(ctx);
    /* Noncurrent versions only: the current state object never expires. */
    const pg_aws_lifecycle_rule rule = {
        .id = "expire-old-state-versions",
        .prefix = "",
        .noncurrent_days = cfg->noncurrent_version_days,
        .abort_multipart_days = cfg->abort_incomplete_upload_days,
    };
    const pg_aws_bucket_spec spec = {
        .region = r,
        .label = "state",
        .name = name,
        .kms_key_arn = pg_ref(out, key, "arn"),
        /* Unprotected (test) profiles must stay destroyable, versions and all. */
        .force_destroy = !pg_ctx_protected(ctx),
        .protect = true,
        .versioning = true,
        .lifecycle = &rule,
        .lifecycle_count = 1,
        .policy_label = "state_bucket",
    };
    if (!*name || pg_aws_hardened_bucket(out, &spec, made) < 0)
        return -1;
    state_deny_unencrypted_uploads(out, made);
    return 0;
}

static cJSON *lock_table(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n,
                         const cJSON *key)
{
    return pg_resource(out, r, "aws_dynamodb_table", "lock",
                       PG_STR("name", n->table),
                       PG_STR("billing_mode", "PAY_PER_REQUEST"),
                       PG_STR("hash_key", "LockID"),
                       PG_BLOCK("attribute",
                                PG_STR("name", "LockID"),
                                PG_STR("type", "S")),
                       PG_BLOCK("point_in_time_recovery", PG_BOOL("enabled", true)),
                       PG_BLOCK("server_side_encryption",
                                PG_BOOL("enabled", true),
                                PG_REF("kms_key_arn", key, "arn")),
                       PG_BOOL("deletion_protection_enabled", pg_ctx_protected(ctx)),
                       /* the table's name has no region code: no PG_NAME */
                       PG_MAP("tags", PG_STR("Name", n->table)),
                       PG_PROTECT);
}

int state_bootstrap(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n,
                    state_made *made)
{
    cJSON *key = state_key(ctx, out, r, n);
    pg_aws_bucket b;
    if (state_bucket(ctx, out, r, n->bucket, key, &b) < 0)
        return -1;
    cJSON *bucket = b.bucket;
    cJSON *table = lock_table(ctx, out, r, n, key);
    *made = (state_made){.key = key, .bucket = bucket, .versioning = b.versioning, .table = table};

    pg_output(out, "state_bucket", pg_ref(out, bucket, "bucket"),
              "S3 bucket of the Terraform state (backend \"bucket\")");
    pg_output(out, "state_lock_table", pg_ref(out, table, "name"),
              "DynamoDB lock table (backend \"dynamodb_table\")");
    pg_output(out, "state_key_arn", pg_ref(out, key, "arn"),
              "KMS key of the state bucket and lock table");
    pg_output(out, "state_key_alias", n->key_alias, "alias of the state key (backend \"kms_key_id\")");
    return 0;
}
