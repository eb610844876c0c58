/* bootstrap.c - the state key, bucket and lock table (bootstrap stack).
 *
 * All three live in the primary region and are protected from destroy by the
 * profile's switch: losing the state bucket or its key loses track of every
 * resource of the platform. */
#include "state.h"

static cJSON *list_of(cJSON *item)
{
    cJSON *l = cJSON_CreateArray();
    cJSON_AddItemToArray(l, item);
    return l;
}

/* Root administers the key without kms:*, and the account may use it through
 * IAM policies, only by way of S3 and DynamoDB in this region. */
static cJSON *key_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    const char *root = pg_printf(out, "arn:%s:iam::%s:root", partition, account);
    const char *via_s3 = pg_printf(out, "s3.%s.amazonaws.com", r->name);
    const char *via_dynamodb = pg_printf(out, "dynamodb.%s.amazonaws.com", r->name);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "state_key");

    /* In a key policy, resource "*" means this key. */
    cJSON *st = pg_statement(
        doc, "KeyAdministration", "Allow",
        pg_strings("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                   "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                   "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                   "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand", NULL),
        pg_strings("*", NULL));
    pg_statement_principal(st, "AWS", pg_strings(root, NULL));

    st = pg_statement(doc, "AccountUseViaS3AndDynamoDb", "Allow",
                      pg_strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                 "kms:GenerateDataKey*", "kms:DescribeKey", NULL),
                      pg_strings("*", NULL));
    pg_statement_principal(st, "AWS", pg_strings(root, NULL));
    pg_statement_condition(st, "StringEquals", "kms:ViaService",
                           pg_strings(via_s3, via_dynamodb, NULL));
    pg_statement_condition(st, "StringEquals", "kms:CallerAccount", pg_strings(account, NULL));

    /* DynamoDB encrypts the table through grants it creates for itself. */
    st = pg_statement(doc, "DynamoDbGrants", "Allow", pg_strings("kms:CreateGrant", NULL),
                      pg_strings("*", NULL));
    pg_statement_principal(st, "AWS", pg_strings(root, NULL));
    pg_statement_condition(st, "StringEquals", "kms:ViaService", pg_strings(via_dynamodb, NULL));
    pg_statement_condition(st, "Bool", "kms:GrantIsForAWSResource", pg_strings("true", NULL));
    return doc;
}

static cJSON *state_key(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n)
{
    cJSON *policy = key_policy(ctx, out, r);
    cJSON *key = pg_resource(out, r, "aws_kms_key", "state");
    cJSON_AddStringToObject(key, "description", "Terraform state bucket and lock table");
    cJSON_AddStringToObject(key, "key_usage", "ENCRYPT_DECRYPT");
    cJSON_AddStringToObject(key, "customer_master_key_spec", "SYMMETRIC_DEFAULT");
    cJSON_AddBoolToObject(key, "enable_key_rotation", true);
    cJSON_AddNumberToObject(key, "deletion_window_in_days",
                            (double)pg_ctx_int(ctx, "state.key_deletion_window_days"));
    cJSON_AddBoolToObject(key, "multi_region", false);
    cJSON_AddStringToObject(key, "policy", pg_ref(out, policy, "json"));
    pg_tag_name(key, pg_name(out, r, "kms-tfstate", 256));
    pg_protect(ctx, key);

    cJSON *alias = pg_resource(out, r, "aws_kms_alias", "state");
    cJSON_AddStringToObject(alias, "name", n->key_alias);
    cJSON_AddStringToObject(alias, "target_key_id", pg_ref(out, key, "key_id"));
    return key;
}

/* TLS only, and every object encrypted with KMS. */
static cJSON *bucket_policy(pg_out *out, const pg_region *r, const cJSON *bucket)
{
    const char *arn = pg_ref(out, bucket, "arn");
    const char *objects = pg_printf(out, "%s/*", arn);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "state_bucket");

    cJSON *st = pg_statement(doc, "DenyInsecureTransport", "Deny", pg_strings("s3:*", NULL),
                             pg_strings(arn, objects, NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "Bool", "aws:SecureTransport", pg_strings("false", NULL));

    st = pg_statement(doc, "DenyUnencryptedUploads", "Deny", pg_strings("s3:PutObject", NULL),
                      pg_strings(objects, NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "Null", "s3:x-amz-server-side-encryption", pg_strings("true", NULL));

    st = pg_statement(doc, "DenyOtherEncryption", "Deny", pg_strings("s3:PutObject", NULL),
                      pg_strings(objects, NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption",
                           pg_strings("aws:kms", NULL));
    return doc;
}

static void bucket_settings(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *bucket,
                            const cJSON *key)
{
    const char *id = pg_ref(out, bucket, "id");

    cJSON *ver = pg_resource(out, r, "aws_s3_bucket_versioning", "state");
    cJSON_AddStringToObject(ver, "bucket", id);
    cJSON *vc = cJSON_CreateObject();
    cJSON_AddStringToObject(vc, "status", "Enabled");
    cJSON_AddItemToObject(ver, "versioning_configuration", list_of(vc));

    cJSON *sse = pg_resource(out, r, "aws_s3_bucket_server_side_encryption_configuration", "state");
    cJSON_AddStringToObject(sse, "bucket", id);
    cJSON *by_default = cJSON_CreateObject();
    cJSON_AddStringToObject(by_default, "sse_algorithm", "aws:kms");
    cJSON_AddStringToObject(by_default, "kms_master_key_id", pg_ref(out, key, "arn"));
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddItemToObject(rule, "apply_server_side_encryption_by_default", list_of(by_default));
    cJSON_AddBoolToObject(rule, "bucket_key_enabled", true);
    cJSON_AddItemToObject(sse, "rule", list_of(rule));

    cJSON *pab = pg_resource(out, r, "aws_s3_bucket_public_access_block", "state");
    cJSON_AddStringToObject(pab, "bucket", id);
    cJSON_AddBoolToObject(pab, "block_public_acls", true);
    cJSON_AddBoolToObject(pab, "block_public_policy", true);
    cJSON_AddBoolToObject(pab, "ignore_public_acls", true);
    cJSON_AddBoolToObject(pab, "restrict_public_buckets", true);

    cJSON *own = pg_resource(out, r, "aws_s3_bucket_ownership_controls", "state");
    cJSON_AddStringToObject(own, "bucket", id);
    cJSON *orule = cJSON_CreateObject();
    cJSON_AddStringToObject(orule, "object_ownership", "BucketOwnerEnforced");
    cJSON_AddItemToObject(own, "rule", list_of(orule));

    cJSON *pol = pg_resource(out, r, "aws_s3_bucket_policy", "state");
    cJSON_AddStringToObject(pol, "bucket", id);
    cJSON_AddStringToObject(pol, "policy", pg_ref(out, bucket_policy(out, r, bucket), "json"));
    /* S3 rejects a bucket policy while the public access block is changing. */
    cJSON_AddItemToObject(pol, "depends_on", pg_strings(pg_address(out, pab), NULL));

    cJSON *lc = pg_resource(out, r, "aws_s3_bucket_lifecycle_configuration", "state");
    cJSON_AddStringToObject(lc, "bucket", id);
    cJSON *lr = cJSON_CreateObject();
    cJSON_AddStringToObject(lr, "id", "expire-old-state-versions");
    cJSON_AddStringToObject(lr, "status", "Enabled");
    cJSON *filter = cJSON_CreateObject();
    cJSON_AddStringToObject(filter, "prefix", "");
    cJSON_AddItemToObject(lr, "filter", list_of(filter));
    cJSON *nve = cJSON_CreateObject();
    cJSON_AddNumberToObject(nve, "noncurrent_days",
                            (double)pg_ctx_int(ctx, "state.noncurrent_version_days"));
    cJSON_AddItemToObject(lr, "noncurrent_version_expiration", list_of(nve));
    cJSON *abort = cJSON_CreateObject();
    cJSON_AddNumberToObject(abort, "days_after_initiation",
                            (double)pg_ctx_int(ctx, "state.abort_incomplete_upload_days"));
    cJSON_AddItemToObject(lr, "abort_incomplete_multipart_upload", list_of(abort));
    cJSON_AddItemToObject(lc, "rule", list_of(lr));
    /* Noncurrent-version rules need versioning in place first. */
    cJSON_AddItemToObject(lc, "depends_on", pg_strings(pg_address(out, ver), NULL));
}

static cJSON *state_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n,
                           const cJSON *key)
{
    cJSON *bucket = pg_resource(out, r, "aws_s3_bucket", "state");
    cJSON_AddStringToObject(bucket, "bucket", n->bucket);
    /* Unprotected (test) profiles must stay destroyable, versions and all. */
    cJSON_AddBoolToObject(bucket, "force_destroy", !pg_ctx_protected(ctx));
    pg_tag_name(bucket, n->bucket);
    pg_protect(ctx, bucket);
    bucket_settings(ctx, out, r, bucket, key);
    return bucket;
}

static cJSON *lock_table(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n,
                         const cJSON *key)
{
    cJSON *t = pg_resource(out, r, "aws_dynamodb_table", "lock");
    cJSON_AddStringToObject(t, "name", n->table);
    cJSON_AddStringToObject(t, "billing_mode", "PAY_PER_REQUEST");
    cJSON_AddStringToObject(t, "hash_key", "LockID");
    cJSON *attr = cJSON_CreateObject();
    cJSON_AddStringToObject(attr, "name", "LockID");
    cJSON_AddStringToObject(attr, "type", "S");
    cJSON_AddItemToObject(t, "attribute", list_of(attr));
    cJSON *pitr = cJSON_CreateObject();
    cJSON_AddBoolToObject(pitr, "enabled", true);
    cJSON_AddItemToObject(t, "point_in_time_recovery", list_of(pitr));
    cJSON *sse = cJSON_CreateObject();
    cJSON_AddBoolToObject(sse, "enabled", true);
    cJSON_AddStringToObject(sse, "kms_key_arn", pg_ref(out, key, "arn"));
    cJSON_AddItemToObject(t, "server_side_encryption", list_of(sse));
    cJSON_AddBoolToObject(t, "deletion_protection_enabled", pg_ctx_protected(ctx));
    pg_tag_name(t, n->table);
    pg_protect(ctx, t);
    return t;
}

void state_bootstrap(const pg_ctx *ctx, pg_out *out, const pg_region *r, const state_names *n)
{
    cJSON *key = state_key(ctx, out, r, n);
    cJSON *bucket = state_bucket(ctx, out, r, n, key);
    cJSON *table = lock_table(ctx, out, r, n, key);

    pg_output(out, "state_bucket", pg_ref(out, bucket, "bucket"),
              "S3 bucket of the Terraform state (backend \"bucket\")");
    pg_output(out, "state_lock_table", pg_ref(out, table, "name"),
              "DynamoDB lock table (backend \"dynamodb_table\")");
    pg_output(out, "state_key_arn", pg_ref(out, key, "arn"),
              "KMS key of the state bucket and lock table");
    pg_output(out, "state_key_alias", n->key_alias, "alias of the state key (backend \"kms_key_id\")");
}
