/* SPDX-License-Identifier: Apache-2.0 */
/* audit - the account's audit trail (PCI DSS 10.2.1, 10.3.2-10.3.4, 10.5.1).
 *
 * One multi-region CloudTrail trail in the primary region, in every phase:
 * management events of every region, the S3 data events of every region's
 * transaction-log bucket (who read or wrote cardholder data, PCI DSS
 * 10.2.1.1; review m9), log file validation, and a copy in a
 * CloudWatch Logs group for the alarms (alarms.c). The log files go to the
 * primary's audit-trail bucket of plugin storage, under Object Lock and
 * replicated to every secondary region from the migration phase on, whose
 * policy admits this trail (storage/policy.c); they are encrypted with that
 * bucket's key, the primary's storage key, since the bucket refuses any
 * other. Teams that already have an organization trail switch it off with
 * audit.trail: false.
 *
 * Needs kms (storage key of the log files, logs key of the log group), iam
 * (the cloudtrail role, whose permissions this plugin attaches), storage (the
 * trail's bucket) and monitoring (the alarm topic of the primary region, for
 * the security alarms on the trail). Publishes nothing. */
#include "audit.h"

#include <stdlib.h>

typedef struct audit_cfg {
    bool trail;
    const char *retention_days; /* one of CloudWatch Logs' retention periods */
} audit_cfg;

/* The CloudWatch Logs copy and the role's permission to write it. */
static cJSON *trail_log_group(trail *t, long retention)
{
    pg_out *out = t->out;
    cJSON *lg = pg_resource(out, t->r, "aws_cloudwatch_log_group", "cloudtrail",
                            PG_STR("name", pg_printf(out, "/aws/cloudtrail/%s", t->name)),
                            PG_INT("retention_in_days", retention),
                            PG_STR("kms_key_id", t->key),
                            PG_NAME("cloudtrail-logs"),
                            PG_PROTECT);
    cJSON *doc = pg_data(out, t->r, "aws_iam_policy_document", "cloudtrail_logs",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DeliverTrailEvents"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                                  PG_STRS("resources",
                                          pg_printf(out, "%s:log-stream:*", pg_ref(out, lg, "arn")))));
    t->role_policy = pg_resource(out, t->r, "aws_iam_role_policy", "cloudtrail_logs",
                                 PG_STR("name", "cloudtrail-logs"),
                                 PG_STR("role", t->role_name),
                                 PG_REF("policy", doc, "json"));
    return lg;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const audit_cfg *cfg = pg_config(ctx);
    if (!cfg->trail)
        return 0;
    const long retention = strtol(cfg->retention_days, NULL, 10);
    const pg_region *r = pg_ctx_primary(ctx);
    trail t = {
        .ctx = ctx,
        .out = out,
        .r = r,
        .name = pg_name(out, NULL, "trail", 128),
        .key = pg_need(ctx, r, "kms.logs.arn"),
        .role_name = pg_need(ctx, r, "iam.cloudtrail.name"),
    };
    const char *role = pg_need(ctx, r, "iam.cloudtrail.arn");
    /* The bucket is named through its policy: CloudTrail refuses a bucket
     * whose policy does not admit it yet. */
    const char *bucket = pg_need(ctx, r, "storage.cloudtrail.bucket");
    const char *bucket_key = pg_need(ctx, r, "kms.storage.arn");
    if (!t.key || !t.role_name || !role || !bucket || !bucket_key)
        return -1;

    /* "arn:...:bucket/": every object of the bucket ("Logging data events",
     * CloudTrail User Guide). Not the trail's own bucket: its deliveries
     * would log themselves. */
    cJSON *data_buckets = NULL;
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const char *arn = pg_lookup(ctx, pg_ctx_region(ctx, i), "storage.transaction_logs.arn");
        if (arn) {
            if (!data_buckets)
                data_buckets = cJSON_CreateArray();
            cJSON_AddItemToArray(data_buckets, cJSON_CreateString(pg_printf(out, "%s/", arn)));
        }
    }

    cJSON *lg = trail_log_group(&t, retention);
    audit_security_alarms(&t, lg);

    pg_resource(out, r, "aws_cloudtrail", "main",
                PG_STR("name", t.name),
                PG_STR("s3_bucket_name", bucket),
                PG_STR("kms_key_id", bucket_key),
                PG_BOOL("is_multi_region_trail", true),
                PG_BOOL("include_global_service_events", true),
                PG_BOOL("enable_log_file_validation", true),
                PG_BOOL("enable_logging", true),
                PG_STR("cloud_watch_logs_group_arn", pg_printf(out, "%s:*", pg_ref(out, lg, "arn"))),
                PG_STR("cloud_watch_logs_role_arn", role),
                PG_BLOCK("event_selector",
                         PG_STR("read_write_type", "All"),
                         PG_BOOL("include_management_events", true),
                         PG_IF(data_buckets,
                               PG_BLOCK("data_resource",
                                        PG_STR("type", "AWS::S3::Object"),
                                        PG_JSON("values", data_buckets)))),
                PG_DEPENDS_ON(t.role_policy),
                PG_NAME("trail"));
    pg_output(out, "audit_trail_bucket", bucket, "bucket of the CloudTrail audit trail");
    return 0;
}

static const char *const needs[] = {"kms", "iam", "storage", "monitoring", NULL};
static const pg_setting settings[] = {
    PG_SETTING_BOOL("audit.trail", audit_cfg, trail, "true",
                    "write a multi-region CloudTrail trail (false when an organization trail "
                    "already covers the account)"),
    /* the log group copy takes only CloudWatch Logs' retention periods */
    PG_SETTING_CHOICE("audit.retention_days", audit_cfg, retention_days, "400",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "days the trail's CloudWatch Logs copy is kept (PCI DSS 10.5.1: at least a year); "
                      "the log files follow storage.audit_retention_days and storage.audit_lock_days"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("audit", "1.0.0", "Apache-2.0",
                 "multi-region CloudTrail audit trail with log file validation",
                 NULL, needs, settings, sizeof(audit_cfg), contribute)
