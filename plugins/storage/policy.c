/* policy.c - bucket policies: TLS only everywhere; KMS-only writes on the
 * data buckets; log delivery by ELB and S3 on the access-logs bucket. */
#include "storage.h"

static void deny_insecure_transport(pg_out *out, cJSON *doc, const bucket *b)
{
    const char *arn = pg_ref(out, b->bucket, "arn");
    cJSON *st = pg_statement(doc, "DenyInsecureTransport", "Deny", pg_strings("s3:*", NULL),
                             pg_strings(arn, pg_printf(out, "%s/*", arn), NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "Bool", "aws:SecureTransport", pg_strings("false", NULL));
}

/* Writes that ask for another encryption, or another key, are refused;
 * writes that ask for none get the bucket's default (the storage key). */
static void deny_other_encryption(pg_out *out, cJSON *doc, const bucket *b)
{
    const char *objects = pg_printf(out, "%s/*", pg_ref(out, b->bucket, "arn"));
    cJSON *st = pg_statement(doc, "DenyNonKmsEncryption", "Deny", pg_strings("s3:PutObject", NULL),
                             pg_strings(objects, NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption",
                           pg_strings("aws:kms", NULL));
    st = pg_statement(doc, "DenyOtherKmsKey", "Deny", pg_strings("s3:PutObject", NULL),
                      pg_strings(objects, NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "StringNotEqualsIfExists",
                           "s3:x-amz-server-side-encryption-aws-kms-key-id",
                           pg_strings(b->key_arn, NULL));
}

static void log_delivery(const pg_ctx *ctx, pg_out *out, cJSON *doc, const bucket *b,
                         const bucket *logged, size_t logged_count)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *arn = pg_ref(out, b->bucket, "arn");
    const pg_region *r = b->region;

    /* ELB: the log-delivery service principal, and the regional ELB account
     * that regions older than August 2022 (us-east-1, us-east-2) still use. */
    cJSON *elb_account = pg_data(out, r, "aws_elb_service_account", "access_logs");
    cJSON *st = pg_statement(doc, "ElbLogDelivery", "Allow", pg_strings("s3:PutObject", NULL),
                             pg_strings(pg_printf(out, "%s/AWSLogs/%s/*", arn, account),
                                        pg_printf(out, "%s/*/AWSLogs/%s/*", arn, account), NULL));
    pg_statement_principal(st, "Service",
                           pg_strings("logdelivery.elasticloadbalancing.amazonaws.com", NULL));
    st = pg_statement(doc, "ElbAccountLogDelivery", "Allow", pg_strings("s3:PutObject", NULL),
                      pg_strings(pg_printf(out, "%s/AWSLogs/%s/*", arn, account),
                                 pg_printf(out, "%s/*/AWSLogs/%s/*", arn, account), NULL));
    pg_statement_principal(st, "AWS", pg_strings(pg_ref(out, elb_account, "arn"), NULL));

    /* S3 server access logs of this region's data buckets. */
    cJSON *sources = cJSON_CreateArray();
    for (size_t i = 0; i < logged_count; i++)
        cJSON_AddItemToArray(sources, cJSON_CreateString(pg_ref(out, logged[i].bucket, "arn")));
    st = pg_statement(doc, "S3ServerAccessLogs", "Allow", pg_strings("s3:PutObject", NULL),
                      pg_strings(pg_printf(out, "%s/s3/*", arn), NULL));
    pg_statement_principal(st, "Service", pg_strings("logging.s3.amazonaws.com", NULL));
    pg_statement_condition(st, "ArnLike", "aws:SourceArn", sources);
    pg_statement_condition(st, "StringEquals", "aws:SourceAccount", pg_strings(account, NULL));
}

void storage_policy(const pg_ctx *ctx, pg_out *out, bucket *b, const bucket *logged,
                    size_t logged_count)
{
    const pg_region *r = b->region;
    cJSON *doc =
        pg_data(out, r, "aws_iam_policy_document", pg_printf(out, "bucket_%s", b->spec->label));
    deny_insecure_transport(out, doc, b);
    if (b->key_arn)
        deny_other_encryption(out, doc, b);
    else
        log_delivery(ctx, out, doc, b, logged, logged_count);

    cJSON *policy = pg_resource(out, r, "aws_s3_bucket_policy", b->spec->label);
    cJSON_AddStringToObject(policy, "bucket", pg_ref(out, b->bucket, "id"));
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));
    /* S3 rejects a policy put concurrently with the public access block. */
    cJSON_AddItemToObject(policy, "depends_on",
                          pg_strings(pg_address(out, b->public_access_block), NULL));
    b->policy = policy;
}
