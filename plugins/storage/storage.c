/* SPDX-License-Identifier: Apache-2.0 */
/* storage - S3 buckets for transaction logs, audit trails and access logs in
 * every active region (R7).
 *
 * Transaction-log and audit-trail buckets: versioned, SSE-KMS with the
 * region's storage key, public access blocked, TLS-only and KMS-only policy,
 * lifecycle from the settings, server access logs to the region's access-logs
 * bucket, Object Lock, prevent_destroy when protected. The primary's
 * audit-trail bucket is where the account's CloudTrail trail (plugin audit)
 * writes. From the migration phase on, every serving region writes
 * transaction logs and copies them to every other region (two-way
 * replication, replication.c); the audit trail is written in the primary
 * only and copied to every secondary. The access-logs bucket is SSE-S3
 * because ELB cannot deliver to SSE-KMS buckets. The hardening every bucket
 * shares comes from pg_aws_hardened_bucket().
 *
 * Publishes per region storage.<bucket>.bucket / .arn and, from migration on,
 * storage.replication.<bucket>.rule_id in each region that copies <bucket>
 * out (the rule to the first other region); in the primary
 * storage.cloudtrail.bucket, the trail's bucket named through its policy. */
#include "storage.h"

#include <stdlib.h>

/* The transaction-log buckets predate their Object Lock: it is turned on by
 * the lock configuration (S3 allows it on an existing versioned bucket since
 * November 2023, S3 UG object-lock-configure.html, "Enable Object Lock on an
 * existing S3 bucket"), because object_lock_enabled on aws_s3_bucket forces a
 * new bucket (hashicorp/terraform-provider-aws#36529). */
const bucket_spec storage_buckets[BUCKET_KINDS] = {
    [BUCKET_TRANSACTION_LOGS] = {"transaction_logs", "transaction-logs", true, true, false,
                                 REPLICATE_EVERY_REGION},
    [BUCKET_AUDIT_TRAIL] = {"audit_trail", "audit-trail", true, true, true, REPLICATE_FROM_PRIMARY},
    [BUCKET_ACCESS_LOGS] = {"access_logs", "access-logs", false, false, false, REPLICATE_NONE},
};

bool storage_replicates_from(const bucket_spec *spec, size_t source)
{
    return spec->replication == REPLICATE_EVERY_REGION ||
           (spec->replication == REPLICATE_FROM_PRIMARY && source == 0);
}

/* The audit plugin names its trail pg_name(NULL, "trail") in the primary. */
const char *storage_trail_arn(const pg_ctx *ctx, pg_out *out)
{
    return pg_printf(out, "arn:%s:cloudtrail:%s:%s:trail/%s", pg_need(ctx, NULL, "aws.partition"),
                     pg_ctx_primary(ctx)->name, pg_need(ctx, NULL, "aws.account_id"),
                     pg_name(out, NULL, "trail", 128));
}

/* What the settings table cannot say: how the settings relate. */
static int check_cfg(pg_out *out, const storage_cfg *cfg)
{
    /* S3 keeps objects 30 days in STANDARD_IA before GLACIER, and expires
     * only after the last transition. */
    if (cfg->glacier_days < cfg->ia_days + 30)
        return pg_fail(out,
                       "storage.transition_glacier_days = %ld must be at least "
                       "storage.transition_ia_days + 30 = %ld",
                       cfg->glacier_days, cfg->ia_days + 30);
    long shortest =
        cfg->transaction_log_days < cfg->audit_days ? cfg->transaction_log_days : cfg->audit_days;
    if (shortest <= cfg->glacier_days)
        return pg_fail(out,
                       "retention of %ld days must be longer than storage.transition_glacier_days = %ld",
                       shortest, cfg->glacier_days);
    if (cfg->access_log_days <= cfg->ia_days)
        return pg_fail(out,
                       "storage.access_log_retention_days = %ld must be longer than "
                       "storage.transition_ia_days = %ld",
                       cfg->access_log_days, cfg->ia_days);
    if (cfg->lock_days > cfg->audit_days)
        return pg_fail(out,
                       "storage.audit_lock_days = %ld is longer than storage.audit_retention_days = %ld",
                       cfg->lock_days, cfg->audit_days);
    return 0;
}

static void publish(pg_out *out, const bucket *b)
{
    const pg_region *r = b->region;
    const char *label = b->spec->label;
    /* The access-logs bucket is named through its policy: a load balancer
     * that writes logs there must wait until ELB may deliver, or AWS refuses
     * to create it. */
    const cJSON *named = b->key_arn ? b->made.bucket : b->made.policy;
    pg_publish_string(out, r, pg_printf(out, "storage.%s.bucket", label),
                      pg_ref(out, named, "bucket"));
    pg_publish_refs(out, r, pg_printf(out, "storage.%s", label), b->made.bucket, "arn");
    pg_output(out, pg_printf(out, "storage_%s_bucket_%s", label, r->code),
              pg_ref(out, b->made.bucket, "bucket"),
              pg_printf(out, "%s bucket in %s", b->spec->kind, r->name));
    /* CloudTrail checks the bucket policy when the trail is created or
     * changed: the trail reads the name through the policy and waits for it. */
    if (r->primary && b->spec == &storage_buckets[BUCKET_AUDIT_TRAIL])
        pg_publish_string(out, r, "storage.cloudtrail.bucket", pg_ref(out, b->made.policy, "bucket"));
}

/* The buckets of one region: access logs first, the others log into it. */
static int region(const pg_ctx *ctx, pg_out *out, const pg_region *r, const storage_cfg *cfg,
                  bucket *b)
{
    bucket *logs = &b[BUCKET_ACCESS_LOGS];
    if (storage_bucket(ctx, out, r, cfg, &storage_buckets[BUCKET_ACCESS_LOGS], NULL, logs) < 0)
        return -1;
    for (size_t k = 0; k < BUCKET_ACCESS_LOGS; k++)
        if (storage_bucket(ctx, out, r, cfg, &storage_buckets[k], logs, &b[k]) < 0)
            return -1;
    for (size_t k = 0; k < BUCKET_KINDS; k++) {
        storage_policy(ctx, out, &b[k], b, BUCKET_ACCESS_LOGS);
        publish(out, &b[k]);
    }
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const storage_cfg *cfg = pg_config(ctx);
    if (check_cfg(out, cfg) < 0)
        return -1;
    size_t n = pg_ctx_region_count(ctx);
    bucket(*regions)[BUCKET_KINDS] = calloc(n, sizeof *regions);
    if (!regions)
        return pg_fail(out, "out of memory");
    /* The primary first: replication reads regions[0] as the source. */
    size_t count = 0;
    int rc = region(ctx, out, pg_ctx_primary(ctx), cfg, regions[count++]);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (!r->primary)
            rc = region(ctx, out, r, cfg, regions[count++]);
    }
    if (rc == 0)
        rc = storage_replication(ctx, out, cfg, regions, count);
    free(regions);
    return rc;
}

static const pg_publication publishes[] = {
    {"storage.*.bucket", PG_REGIONAL, PG_KIND_STRING},
    {"storage.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"storage.replication.*.rule_id", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};
static const char *const needs[] = {"kms", "iam", NULL};
static const pg_setting settings[] = {
    PG_SETTING_INT("storage.transaction_log_retention_days", storage_cfg, transaction_log_days,
                   "400", 90, 36500,
                   "days a transaction-log object is kept, under Object Lock, before it expires"),
    PG_SETTING_INT("storage.audit_retention_days", storage_cfg, audit_days, "2555", 365, 36500,
                   "days an audit-trail object is kept (2555: seven years)"),
    PG_SETTING_INT("storage.access_log_retention_days", storage_cfg, access_log_days, "365", 365,
                   36500,
                   "days an ELB or S3 access-log object is kept (PCI DSS 10.5.1: at least a year)"),
    PG_SETTING_INT("storage.transition_ia_days", storage_cfg, ia_days, "30", 30, 36500,
                   "days before objects move to STANDARD_IA"),
    PG_SETTING_INT("storage.transition_glacier_days", storage_cfg, glacier_days, "90", 60, 36500,
                   "days before transaction-log and audit-trail objects move to GLACIER"),
    PG_SETTING_INT("storage.noncurrent_version_days", storage_cfg, noncurrent_days, "90", 1, 36500,
                   "days a superseded object version is kept"),
    PG_SETTING_INT("storage.audit_lock_days", storage_cfg, lock_days, "365", 1, 36500,
                   "Object Lock default retention of audit-trail objects (COMPLIANCE when protected)"),
    PG_SETTING_CHOICE("storage.replica_storage_class", storage_cfg, replica_storage_class,
                      "STANDARD", "STANDARD|STANDARD_IA|ONEZONE_IA|INTELLIGENT_TIERING|GLACIER_IR",
                      "storage class of the replicas in the secondary regions"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("storage", "1.0.0", "Apache-2.0",
                 "S3 transaction-log, audit-trail and access-log buckets with cross-region replication",
                 publishes, needs, settings, sizeof(storage_cfg), contribute)
