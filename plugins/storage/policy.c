/* SPDX-License-Identifier: Apache-2.0 */
/* policy.c - bucket policy statements after the shared TLS-only one:
 * KMS-only writes on the data buckets; CloudTrail delivery on the primary's
 * audit-trail bucket; log delivery by ELB and S3 on the access-logs bucket. */
#include "storage.h"

/* Writes that ask for another encryption, or another key, are refused;
 * writes that ask for none get the bucket's default (the storage key). A
 * client may name the key by its ARN or by its id (PutObject's
 * SSEKMSKeyId takes either), so both are accepted (review m11); an alias is
 * not: who may move an alias is not who may use the key. digests, when not
 * NULL, are the objects exempt from the KMS-only rule. */
static void deny_other_encryption(pg_out *out, cJSON *doc, const bucket *b, const char *digests)
{
    const char *objects = pg_printf(out, "%s/*", pg_ref(out, b->made.bucket, "arn"));
    pg_block(out, doc, "statement",
             PG_STR("sid", "DenyNonKmsEncryption"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS(digests ? "not_resources" : "resources", digests ? digests : objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", "aws:kms"));
    pg_block(out, doc, "statement",
             PG_STR("sid", "DenyOtherKmsKey"),
             PG_STR("effect", "Deny"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", objects),
             PG_PRINCIPALS("*", "*"),
             PG_CONDITION("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption-aws-kms-key-id",
                          b->key_arn, b->key_id));
}

/* The account's trail writes its log files here (CloudTrail UG
 * create-s3-bucket-policy-for-cloudtrail.html): the ACL check and the write
 * under AWSLogs/<account>/, each for this trail only (aws:SourceArn), the
 * write with the bucket-owner-full-control ACL. The trail encrypts its log
 * files with this bucket's storage key (SSE-KMS, so DenyOtherKmsKey holds);
 * its digest files are SSE-S3 whatever the trail's key (CloudTrail UG
 * best-practices-security.html: a KMS-only bucket policy must allow AES256
 * for them), hence the exemption of CloudTrail-Digest/ from
 * DenyNonKmsEncryption. The bucket's default retention locks the files (S3
 * applies it to every new version that sets none), and they replicate with
 * everything else in the bucket. Returns the digest objects. */
static const char *cloudtrail_delivery(const pg_ctx *ctx, pg_out *out, cJSON *doc, const bucket *b)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *trail = storage_trail_arn(ctx, out);
    const char *arn = pg_ref(out, b->made.bucket, "arn");
    pg_block(out, doc, "statement",
             PG_STR("sid", "AWSCloudTrailAclCheck"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:GetBucketAcl"),
             PG_STRS("resources", arn),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"),
             PG_CONDITION("StringEquals", "aws:SourceArn", trail));
    pg_block(out, doc, "statement",
             PG_STR("sid", "AWSCloudTrailWrite"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:PutObject"),
             PG_STRS("resources", pg_printf(out, "%s/AWSLogs/%s/*", arn, account)),
             PG_PRINCIPALS("Service", "cloudtrail.amazonaws.com"),
             PG_CONDITION("StringEquals", "aws:SourceArn", trail),
             PG_CONDITION("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"));
    return pg_printf(out, "%s/AWSLogs/%s/CloudTrail-Digest/*", arn, account);
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
    const char *digests = NULL;
    if (b->region->primary && b->spec == &storage_buckets[BUCKET_AUDIT_TRAIL])
        digests = cloudtrail_delivery(ctx, out, doc, b);
    if (b->key_arn)
        deny_other_encryption(out, doc, b, digests);
    else
        log_delivery(ctx, out, doc, b, logged, logged_count);
}
