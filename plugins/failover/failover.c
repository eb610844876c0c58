/* SPDX-License-Identifier: Apache-2.0 */
/* failover - moves the Aurora global database's writer out of a failed
 * region (issue 16, docs/failover.md).
 *
 * Where it runs: in the first secondary region, never in the primary. A
 * function in the primary region would fail with it, and so would anything
 * that triggers it there: CloudWatch sends alarm state-change events to
 * EventBridge in the alarm's own region (CloudWatch User Guide, "Alarm
 * events and EventBridge"), and the Route 53 health-check alarms can only
 * live in us-east-1, where Route 53 publishes their metrics (Route 53
 * Developer Guide, "Monitoring health checks using CloudWatch"), which is
 * the primary in the shipped profiles. So an EventBridge schedule in the
 * secondary runs the function every minute or few, and the function reads
 * the writer region's health check itself (GetHealthCheckStatus), and the
 * writer cluster's state in its region, and decides (functions/failover).
 *
 * Off unless failover.enabled: the profile switches it on per phase. It
 * needs two active regions; one is a clear error, except in the legacy
 * phase, which has one by design and gets nothing.
 *
 * The function: its code from functions/failover (pg_function_package), its
 * KMS-encrypted log group, its role and scoped policy (failover_policy.c),
 * the schedule and invoke permission, and an alarm on its own errors that
 * notifies the same topic as its decisions: the region's alarm topic of the
 * monitoring plugin. */
#include "failover.h"

#include <paygen/aws.h>

#include <stdlib.h>
#include <string.h>

typedef struct failover_config {
    bool enabled;
    bool allow_data_loss;
    long max_lag_ms;
    long unhealthy_minutes;
    long schedule_minutes;
    const char *log_retention_days; /* one of the CloudWatch Logs values */
} failover_config;

/* The AuroraGlobalDBReplicationLag datapoints the function looks at before
 * a failover: the last five minutes (a dead primary stops the metric). */
#define LAG_WINDOW_SECONDS "300"

/* What the other plugins published, for the function's region r. */
typedef struct inputs {
    const pg_region *r;
    const char *partition, *account;
    const char *global_cluster_id, *global_cluster_arn;
    const char *boundary_arn; /* the region's permissions boundary (iam) */
    const char *target_cluster_id;
    const char *cluster_arns[FAILOVER_MAX_REGIONS];
    size_t cluster_count;
    const char *health_check_arns[FAILOVER_MAX_REGIONS];
    const char *health_checks; /* jsonencode({region = id, ...}) of the other regions */
    size_t health_check_count;
    const char *topic_arn, *topic_key_arn, *logs_key_arn;
} inputs;

/* "${expr}" -> "expr", to embed a reference in a larger expression. */
static const char *inner(pg_out *out, const char *ref)
{
    size_t n = strlen(ref);
    if (n >= 3 && !strncmp(ref, "${", 2) && ref[n - 1] == '}')
        return pg_printf(out, "%.*s", (int)(n - 3), ref + 2);
    return pg_printf(out, "\"%s\"", ref);
}

static const pg_region *function_region(const pg_ctx *ctx)
{
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        if (!pg_ctx_region(ctx, i)->primary)
            return pg_ctx_region(ctx, i);
    return NULL;
}

static int read_inputs(const pg_ctx *ctx, pg_out *out, const pg_region *r, inputs *in)
{
    *in = (inputs){
        .r = r,
        .partition = pg_need(ctx, NULL, "aws.partition"),
        .account = pg_need(ctx, NULL, "aws.account_id"),
        .global_cluster_id = pg_need(ctx, NULL, "aurora.global_cluster_id"),
        .global_cluster_arn = pg_need(ctx, NULL, "aurora.global_cluster_arn"),
        .boundary_arn = pg_need(ctx, r, "iam.boundary.arn"),
        .target_cluster_id = pg_need(ctx, r, "aurora.cluster_id"),
        .topic_arn = pg_need(ctx, r, "monitoring.topic_arn"),
        .topic_key_arn = pg_need(ctx, r, "kms.notifications.arn"),
        .logs_key_arn = pg_need(ctx, r, "kms.logs.arn"),
    };
    if (!in->partition || !in->account || !in->global_cluster_id || !in->global_cluster_arn ||
        !in->boundary_arn || !in->target_cluster_id || !in->topic_arn || !in->topic_key_arn ||
        !in->logs_key_arn)
        return -1;

    const char *map = "";
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *m = pg_ctx_region(ctx, i);
        const char *cluster = pg_need(ctx, m, "aurora.cluster_id");
        if (!cluster)
            return -1;
        in->cluster_arns[in->cluster_count++] =
            pg_printf(out, "arn:%s:rds:%s:%s:cluster:%s", in->partition, m->name, in->account,
                      cluster);
        if (m == r)
            continue;
        /* The primary's check is what the function acts on; it must exist. */
        const char *check = m->primary ? pg_need(ctx, m, "dns.health_check_id")
                                       : pg_lookup(ctx, m, "dns.health_check_id");
        if (m->primary && !check)
            return -1;
        if (!check)
            continue;
        in->health_check_arns[in->health_check_count++] =
            pg_printf(out, "arn:%s:route53:::healthcheck/%s", in->partition, check);
        map = pg_printf(out, "%s%s\"%s\" = %s", map, *map ? ", " : "", m->name,
                        inner(out, check));
    }
    in->health_checks = pg_printf(out, "${jsonencode({%s})}", map);
    return 0;
}

static int check_settings(const pg_ctx *ctx, pg_out *out)
{
    size_t n = pg_ctx_region_count(ctx);
    if (n < 2)
        return pg_fail_at(out, "failover.enabled",
                          "needs a secondary region to move the database writer to, and the %s "
                          "phase has only %s; switch failover off for this phase",
                          pg_ctx_phase_name(ctx), pg_ctx_primary(ctx)->name);
    if (n > FAILOVER_MAX_REGIONS)
        return pg_fail_at(out, "failover.enabled",
                          "supports at most %d regions, the profile has %zu",
                          FAILOVER_MAX_REGIONS, n);
    return 0;
}

static cJSON *function(const pg_ctx *ctx, pg_out *out, const inputs *in, const char *name,
                       const pg_package *code, const cJSON *role, const cJSON *logs,
                       const cJSON *policy)
{
    const failover_config *cfg = pg_config(ctx);
    const pg_region *r = in->r;
    return pg_resource(
        out, r, "aws_lambda_function", "failover",
        PG_STR("function_name", name),
        PG_STR("description", "Moves the Aurora global writer out of a failed region"),
        PG_STR("runtime", "python3.12"),
        PG_STR("handler", "app.handler"), /* functions/failover/app.py */
        PG_REF("role", role, "arn"),
        /* The hash makes a changed package an update of the function. */
        PG_STR("filename", code->filename),
        PG_STR("source_code_hash", code->hash),
        /* Three cross-region calls that may time out (functions/failover:
         * 3 s to connect, 10 s to read, two attempts each) fit. */
        PG_INT("timeout", 120),
        PG_INT("memory_size", 256),
        /* One run at a time: two runs could both ask for a switchover. */
        PG_INT("reserved_concurrent_executions", 1),
        PG_BLOCK("environment",
                 PG_MAP("variables",
                        PG_STR("GLOBAL_CLUSTER_ID", in->global_cluster_id),
                        PG_STR("TARGET_CLUSTER_ID", in->target_cluster_id),
                        PG_STR("TARGET_CLUSTER_ARN",
                               pg_printf(out, "arn:%s:rds:%s:%s:cluster:%s", in->partition,
                                         r->name, in->account, in->target_cluster_id)),
                        PG_STR("TARGET_REGION", r->name),
                        PG_STR("HEALTH_CHECKS", in->health_checks),
                        PG_STR("TOPIC_ARN", in->topic_arn),
                        PG_STR("ALLOW_DATA_LOSS", cfg->allow_data_loss ? "true" : "false"),
                        PG_STR("MAX_LAG_MS", pg_printf(out, "%ld", cfg->max_lag_ms)),
                        PG_STR("LAG_WINDOW_SECONDS", LAG_WINDOW_SECONDS),
                        PG_STR("UNHEALTHY_MINUTES", pg_printf(out, "%ld", cfg->unhealthy_minutes)),
                        PG_STR("ENVIRONMENT", pg_ctx_environment(ctx)))),
        /* Log group and permissions first: Lambda would otherwise create an
         * unencrypted group on the first run. */
        PG_DEPENDS_ON(logs, policy));
}

static void trigger(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *fn)
{
    pg_aws_lambda_schedule(
        out, &(pg_aws_schedule){
                 .region = r,
                 .label = "failover",
                 .permission_label = "failover_schedule",
                 .name = pg_name(out, r, "failover", 64),
                 .description = "Runs the failover function, which checks the writer region",
                 .target_id = "failover-lambda",
                 .minutes = ((const failover_config *)pg_config(ctx))->schedule_minutes,
                 .function = fn,
             });
    /* A failed or throttled run is not retried later: it would act on an
     * old view, and the schedule runs a fresh one within minutes. */
    pg_resource(out, r, "aws_lambda_function_event_invoke_config", "failover",
                PG_REF("function_name", fn, "function_name"),
                PG_INT("maximum_event_age_in_seconds", 60),
                PG_INT("maximum_retry_attempts", 0));
}

/* A run that fails (an API error, a crash) notifies like a decision does. */
static void errors_alarm(pg_out *out, const inputs *in, const cJSON *fn)
{
    const pg_region *r = in->r;
    pg_resource(out, r, "aws_cloudwatch_metric_alarm", "failover_errors",
                PG_STR("alarm_name", pg_name(out, r, "alarm-failover-errors", 255)),
                PG_STR("alarm_description",
                       "The failover function failed: the global database writer may not move "
                       "by itself (docs/failover.md)"),
                PG_STR("namespace", "AWS/Lambda"),
                PG_STR("metric_name", "Errors"),
                PG_MAP("dimensions", PG_REF("FunctionName", fn, "function_name")),
                PG_STR("statistic", "Sum"),
                PG_INT("period", 300),
                PG_INT("evaluation_periods", 1),
                PG_NUM("threshold", 0),
                PG_STR("comparison_operator", "GreaterThanThreshold"),
                PG_STR("treat_missing_data", "notBreaching"),
                PG_STRS("alarm_actions", in->topic_arn),
                PG_STRS("ok_actions", in->topic_arn));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const failover_config *cfg = pg_config(ctx);
    /* The legacy phase has one region and nothing to fail over to: a
     * profile family that turns failover on (and a rollback generated with
     * --set phase=legacy) writes nothing there. */
    if (!cfg->enabled || pg_ctx_phase(ctx) == PG_PHASE_LEGACY)
        return 0;
    if (check_settings(ctx, out) < 0)
        return -1;
    const pg_region *r = function_region(ctx);
    inputs in;
    pg_package code;
    if (read_inputs(ctx, out, r, &in) < 0 || pg_function_package(out, "failover", &code) < 0)
        return -1;
    const char *name = pg_name(out, NULL, "failover", 64);

    cJSON *logs = pg_resource(out, r, "aws_cloudwatch_log_group", "failover",
                              PG_STR("name", pg_printf(out, "/aws/lambda/%s", name)),
                              PG_STR("kms_key_id", in.logs_key_arn),
                              PG_INT("retention_in_days", atol(cfg->log_retention_days)),
                              PG_NAME("failover-logs"));

    failover_scope scope = {
        .global_cluster_arn = in.global_cluster_arn,
        .boundary_arn = in.boundary_arn,
        .cluster_arns = in.cluster_arns,
        .cluster_count = in.cluster_count,
        .health_check_arns = in.health_check_arns,
        .health_check_count = in.health_check_count,
        .topic_arn = in.topic_arn,
        .topic_key_arn = in.topic_key_arn,
        .log_group_arn = pg_ref(out, logs, "arn"),
    };
    cJSON *role = NULL;
    cJSON *policy = failover_role(ctx, out, r, &scope, &role);
    cJSON *fn = function(ctx, out, &in, name, &code, role, logs, policy);
    trigger(ctx, out, r, fn);
    errors_alarm(out, &in, fn);

    pg_output(out, "failover_function_name", pg_ref(out, fn, "function_name"),
              pg_printf(out, "Aurora global database failover function (%s)", r->name));
    return 0;
}

static const char *const needs[] = {"aurora", "dns", "kms", "monitoring", "iam", NULL};

static const pg_setting settings[] = {
    PG_SETTING_BOOL("failover.enabled", failover_config, enabled, "false",
                    "the failover function in the first secondary region (needs two active "
                    "regions)"),
    PG_SETTING_BOOL("failover.allow_data_loss", failover_config, allow_data_loss, "false",
                    "when the writer region does not answer, fail over with AllowDataLoss "
                    "(bounded by failover.max_lag_ms); off: only switchovers, which lose nothing"),
    PG_SETTING_INT("failover.max_lag_ms", failover_config, max_lag_ms, "1000", 1, 900000,
                   "highest replication lag (ms, last 5 minutes) at which a failover with data "
                   "loss may run; no datapoint means no failover"),
    PG_SETTING_INT("failover.unhealthy_minutes", failover_config, unhealthy_minutes, "3", 1, 30,
                   "minutes the writer region's health check must have been unhealthy before "
                   "the writer moves (a shorter failure is a blip)"),
    PG_SETTING_INT("failover.schedule_minutes", failover_config, schedule_minutes, "1", 1, 5,
                   "minutes between the function's checks of the writer region"),
    /* The retention values CloudWatch Logs accepts from a year on. */
    PG_SETTING_CHOICE("failover.log_retention_days", failover_config, log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "retention of the function's log group (a CloudWatch Logs value, at least a "
                      "year)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("failover", "1.0.0", "Apache-2.0",
                 "Aurora global database switchover and failover function in a secondary region",
                 NULL, needs, settings, sizeof(failover_config), contribute)
