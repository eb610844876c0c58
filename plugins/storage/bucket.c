/* SPDX-License-Identifier: Apache-2.0 */
/* bucket.c - one bucket of a region, hardened by pg_aws_hardened_bucket():
 * versioning, default encryption, public access block, ownership, the
 * retention lifecycle from the settings, server access logging and, for the
 * transaction logs and the audit trail, Object Lock. */
#include "storage.h"

/* Days an object of this bucket is kept. */
static long retention(const storage_cfg *cfg, const bucket_spec *spec)
{
    switch ((bucket_kind)(spec - storage_buckets)) {
    case BUCKET_TRANSACTION_LOGS:
        return cfg->transaction_log_days;
    case BUCKET_AUDIT_TRAIL:
        return cfg->audit_days;
    default:
        return cfg->access_log_days;
    }
}

/* Days an object stays locked: an audit-trail object storage.audit_lock_days,
 * a transaction log its whole retention. */
static long lock_days(const storage_cfg *cfg, const bucket_spec *spec)
{
    return spec == &storage_buckets[BUCKET_AUDIT_TRAIL] ? cfg->lock_days : cfg->transaction_log_days;
}

/* Object Lock turned on by the configuration resource, for a bucket created
 * without it: PutObjectLockConfiguration with ObjectLockEnabled on a
 * versioned bucket. */
static void lock_existing(pg_out *out, const pg_region *r, bucket *b, const char *mode, long days)
{
    b->made.object_lock =
        pg_resource(out, r, "aws_s3_bucket_object_lock_configuration", b->spec->label,
                    PG_REF("bucket", b->made.bucket, "id"),
                    PG_STR("object_lock_enabled", "Enabled"),
                    PG_BLOCK("rule",
                             PG_BLOCK("default_retention",
                                      PG_STR("mode", mode),
                                      PG_INT("days", days))),
                    PG_DEPENDS_ON(b->made.versioning));
}

int storage_bucket(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                   const bucket_spec *spec, const bucket *logs_target, bucket *b)
{
    *b = (bucket){.spec = spec, .region = r};
    if (spec->kms && (!(b->key_arn = pg_need(ctx, r, "kms.storage.arn")) ||
                      !(b->key_id = pg_need(ctx, r, "kms.storage.id"))))
        return -1;
    const bool rehearsal = !pg_ctx_protected(ctx);
    /* COMPLIANCE cannot be lifted by anyone: only where protection is on, so
     * a rehearsal stays destroyable. */
    const char *lock_mode = spec->locked ? (rehearsal ? "GOVERNANCE" : "COMPLIANCE") : NULL;

    const pg_aws_transition transitions[] = {
        {cfg->ia_days, "STANDARD_IA"},
        {cfg->glacier_days, "GLACIER"}, /* the data buckets only */
    };
    const pg_aws_lifecycle_rule rule = {
        .id = "retention",
        .transitions = transitions,
        .transition_count = spec->kms ? 2 : 1,
        .expiration_days = retention(cfg, spec),
        .noncurrent_days = cfg->noncurrent_days,
        .abort_multipart_days = 7,
    };
    const pg_aws_bucket_spec s = {
        .region = r,
        .label = spec->label,
        .name = pg_name(out, r, spec->kind, 63),
        /* ELB access-log delivery cannot write with SSE-KMS. */
        .kms_key_arn = b->key_arn,
        /* A rehearsal (protection off) must be destroyable with its objects. */
        .force_destroy = rehearsal,
        .protect = spec->locked, /* evidence: prevent_destroy when protected */
        .versioning = true,
        .object_lock = {spec->locked_at_creation ? lock_mode : NULL, lock_days(cfg, spec)},
        .lifecycle = &rule,
        .lifecycle_count = 1,
        .log_bucket = logs_target ? logs_target->made.bucket : NULL,
        .log_prefix = pg_printf(out, "s3/%s/", spec->kind),
    };
    if (pg_aws_hardened_bucket(out, &s, &b->made) < 0)
        return -1;
    if (spec->locked && !spec->locked_at_creation)
        lock_existing(out, r, b, lock_mode, lock_days(cfg, spec));
    if (!spec->kms) /* lets the PCI check accept its SSE-S3 */
        pg_set(out, b->made.bucket, PG_MAP("tags", PG_STR("Purpose", "elb-access-logs")));
    return 0;
}
