/* storage - S3 buckets for transaction logs, audit trails and access logs in
 * every active region (R7).
 *
 * Transaction-log and audit-trail buckets: versioned, SSE-KMS with the
 * region's storage key, public access blocked, TLS-only and KMS-only policy,
 * lifecycle from the settings, server access logs to the region's access-logs
 * bucket; the audit trail is under Object Lock. From the migration phase on,
 * both replicate from the primary to every secondary region. The access-logs
 * bucket is SSE-S3 because ELB cannot deliver to SSE-KMS buckets.
 *
 * Publishes per region storage.<bucket>.bucket / .arn, and in the primary
 * storage.replication.<bucket>.rule_id (migration on). */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

const bucket_spec storage_buckets[BUCKET_KINDS] = {
    [BUCKET_TRANSACTION_LOGS] = {"transaction_logs", "transaction-logs", true, false, true},
    [BUCKET_AUDIT_TRAIL] = {"audit_trail", "audit-trail", true, true, true},
    [BUCKET_ACCESS_LOGS] = {"access_logs", "access-logs", false, false, false},
};

static const char *const storage_classes[] = {
    "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", NULL};

int storage_read_cfg(const pg_ctx *ctx, pg_out *out, storage_cfg *cfg)
{
    *cfg = (storage_cfg){
        .transaction_log_days = pg_ctx_int(ctx, "storage.transaction_log_retention_days"),
        .audit_days = pg_ctx_int(ctx, "storage.audit_retention_days"),
        .access_log_days = pg_ctx_int(ctx, "storage.access_log_retention_days"),
        .ia_days = pg_ctx_int(ctx, "storage.transition_ia_days"),
        .glacier_days = pg_ctx_int(ctx, "storage.transition_glacier_days"),
        .noncurrent_days = pg_ctx_int(ctx, "storage.noncurrent_version_days"),
        .lock_days = pg_ctx_int(ctx, "storage.audit_lock_days"),
        .replica_storage_class = pg_ctx_string(ctx, "storage.replica_storage_class"),
    };
    /* S3 keeps objects 30 days in STANDARD_IA before GLACIER, and expires
     * only after the last transition. */
    if (cfg->glacier_days < cfg->ia_days + 30) {
        pg_error(out,
                 "storage.transition_glacier_days = %ld must be at least "
                 "storage.transition_ia_days + 30 = %ld",
                 cfg->glacier_days, cfg->ia_days + 30);
        return -1;
    }
    long shortest =
        cfg->transaction_log_days < cfg->audit_days ? cfg->transaction_log_days : cfg->audit_days;
    if (shortest <= cfg->glacier_days) {
        pg_error(out,
                 "retention of %ld days must be longer than storage.transition_glacier_days = %ld",
                 shortest, cfg->glacier_days);
        return -1;
    }
    if (cfg->access_log_days <= cfg->ia_days) {
        pg_error(out,
                 "storage.access_log_retention_days = %ld must be longer than "
                 "storage.transition_ia_days = %ld",
                 cfg->access_log_days, cfg->ia_days);
        return -1;
    }
    if (cfg->lock_days > cfg->audit_days) {
        pg_error(out,
                 "storage.audit_lock_days = %ld is longer than storage.audit_retention_days = %ld",
                 cfg->lock_days, cfg->audit_days);
        return -1;
    }
    for (const char *const *c = storage_classes; *c; c++)
        if (!strcmp(*c, cfg->replica_storage_class))
            return 0;
    pg_error(out,
             "storage.replica_storage_class '%s' is not one of STANDARD, STANDARD_IA, "
             "ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR",
             cfg->replica_storage_class);
    return -1;
}

static void publish(pg_out *out, const bucket *b)
{
    const pg_region *r = b->region;
    const char *label = b->spec->label;
    /* The access-logs bucket is named through its policy: a load balancer
     * that writes logs there must wait until ELB may deliver, or AWS refuses
     * to create it. */
    const cJSON *named = b->key_arn ? b->bucket : b->policy;
    pg_publish_string(out, r, pg_printf(out, "storage.%s.bucket", label),
                      pg_ref(out, named, "bucket"));
    pg_publish_string(out, r, pg_printf(out, "storage.%s.arn", label),
                      pg_ref(out, b->bucket, "arn"));
    pg_output(out, pg_printf(out, "storage_%s_bucket_%s", label, r->code),
              pg_ref(out, b->bucket, "bucket"),
              pg_printf(out, "%s bucket in %s", b->spec->kind, r->name));
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
    storage_cfg cfg;
    if (storage_read_cfg(ctx, out, &cfg) < 0)
        return -1;
    size_t n = pg_ctx_region_count(ctx);
    bucket(*regions)[BUCKET_KINDS] = calloc(n, sizeof *regions);
    if (!regions) {
        pg_error(out, "out of memory");
        return -1;
    }
    /* The primary first: replication reads regions[0] as the source. */
    size_t count = 0;
    int rc = region(ctx, out, pg_ctx_primary(ctx), &cfg, regions[count++]);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (!r->primary)
            rc = region(ctx, out, r, &cfg, regions[count++]);
    }
    if (rc == 0)
        rc = storage_replication(ctx, out, &cfg, regions, count);
    free(regions);
    return rc;
}

static const char *const provides[] = {"storage", NULL};
static const char *const needs[] = {"kms", "iam", NULL};
static const pg_setting settings[] = {
    {"storage.transaction_log_retention_days", PG_SETTING_INT, "400", 90, 36500,
     "days a transaction-log object is kept before it expires"},
    {"storage.audit_retention_days", PG_SETTING_INT, "2555", 365, 36500,
     "days an audit-trail object is kept (2555: seven years)"},
    {"storage.access_log_retention_days", PG_SETTING_INT, "365", 365, 36500,
     "days an ELB or S3 access-log object is kept (PCI DSS 10.5.1: at least a year)"},
    {"storage.transition_ia_days", PG_SETTING_INT, "30", 30, 36500,
     "days before objects move to STANDARD_IA"},
    {"storage.transition_glacier_days", PG_SETTING_INT, "90", 60, 36500,
     "days before transaction-log and audit-trail objects move to GLACIER"},
    {"storage.noncurrent_version_days", PG_SETTING_INT, "90", 1, 36500,
     "days a superseded object version is kept"},
    {"storage.audit_lock_days", PG_SETTING_INT, "365", 1, 36500,
     "Object Lock default retention of audit-trail objects (COMPLIANCE when protected)"},
    {"storage.replica_storage_class", PG_SETTING_STRING, "STANDARD", 0, 0,
     "storage class of the replicas in the secondary regions"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("storage", "1.0.0",
                 "S3 transaction-log, audit-trail and access-log buckets with cross-region replication",
                 provides, needs, settings, contribute)
