/* SPDX-License-Identifier: Apache-2.0 */
/* policy.c - bucket policy statements after the shared TLS-only one:
 * KMS-only writes on the data buckets; log delivery by ELB and S3 on the
 * access-logs bucket. */
#include "storage.h"

/* Writes that ask for another encryption, or another key, are refused;
 * writes that ask for none get the bucket's default (the storage key). */
static void deny_other_encryption(pg_out *out, cJSON *doc, const bucket *b)
{
    const char *objects = pg_printf(out, "%s/*", pg_ref(out, b->made.bucket, "arn"));
    pg_block(out, doc, "statement",
             PG_STR("sid", "DenyNonKmsEncryption"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", "aws:kms"));
    pg_block(out, doc, "statement",
             PG_STR("sid", "DenyOtherKmsKey"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption-aws-kms-key-id",
                          b->key_arn));
}

static void log_delivery(const pg_ctx *ctx, pg_out *out, cJSON *doc, const bucket *b,
                         const bucket *logged, size_t logged_count)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *arn = pg_ref(out, b->made.bucket, "arn");
    const char *elb_logs = pg_printf(out, "%s/AWSLogs/%s/*", arn, account);
    const char *elb_prefixed_logs = pg_printf(out, "%s/*/AWSLogs/%s/*", arn, account);

    /* ELB: the log-delivery service principal, and the regional ELB account
     * that regions older than August 2022 (us-east-1, us-east-2) still use. */
    cJSON *elb_account = pg_data(out, b->region, "aws_elb_service_account", "access_logs");
    pg_block(out, doc, "statement",
             PG_STR("sid", "ElbLogDelivery"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", elb_logs, elb_prefixed_logs),
             PG_PRINCIPALS("Service", "logdelivery.elasticloadbalancing.amazonaws.com"));
    pg_block(out, doc, "statement",
             PG_STR("sid", "ElbAccountLogDelivery"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", elb_logs, elb_prefixed_logs),
             PG_PRINCIPALS("AWS", pg_ref(out, elb_account, "arn")));

    /* S3 server access logs of this region's data buckets. */
    const char *sources[BUCKET_KINDS];
    size_t source_count = 0;
    for (size_t i = 0; i < logged_count && i < BUCKET_KINDS; i++)
        sources[source_count++] = pg_ref(out, logged[i].made.bucket, "arn");
    pg_block(out, doc, "statement",
             PG_STR("sid", "S3ServerAccessLogs"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", pg_printf(out, "%s/s3/*", arn)),
             PG_PRINCIPALS("Service", "logging.s3.amazonaws.com"),
             PG_BLOCK("condition",
                      PG_STR("test", "ArnLike"),
                      PG_STR("variable", "aws:SourceArn"),
                      PG_STRV("values", sources, source_count)),
             PG_CONDITION("StringEquals", "aws:SourceAccount", account));
}

void storage_policy(const pg_ctx *ctx, pg_out *out, bucket *b, const bucket *logged,
                    size_t logged_count)
{
    cJSON *doc = b->made.policy_document;
    if (b->key_arn)
        deny_other_encryption(out, doc, b);
    else
        log_delivery(ctx, out, doc, b, logged, logged_count);
}
