/* SPDX-License-Identifier: Apache-2.0 */
/* migration - the migration automation Lambda and the phase itself (R11, R8).
 *
 * In the primary region, in every phase: a Python function that publishes
 * the current phase as a CloudWatch metric every few minutes (EventBridge
 * schedule) and never writes DNS (the weights are Terraform variables
 * only, owned by the dns plugin); its code, functions/phase_reporter,
 * shipped with paygen and zipped into the stack (pg_function_package), so
 * that no bucket has to hold it and a changed package deploys with the next
 * apply; its KMS-encrypted log group; the role policy scoped to exactly
 * those resources (migration_policy.c); an SSM parameter holding the phase
 * for operators and the function; and var.migration_phase, whose
 * validation only accepts the phase this file was generated for, so
 * `-var migration_phase=...` cannot make a file claim another phase than
 * the resources it describes.
 *
 * The function's environment is not encrypted with a customer key: it holds
 * identifiers only (zone id, record name, namespace, phase), the Lambda
 * default key encrypts it at rest, and the only key that would fit, the
 * logs key, admits CloudWatch Logs alone in its key policy. */
#include "migration.h"

#include <paygen/aws.h>

#include <stdlib.h>

typedef struct migration_config {
    long schedule_minutes;
    const char *log_retention_days; /* one of the CloudWatch Logs values */
    bool tracing;
} migration_config;

/* What the other plugins published for the function. */
typedef struct inputs {
    const pg_region *primary;
    const char *role_arn, *role_name;
    const char *zone_id, *zone_arn, *record_name;
    const char *namespace_name;
    const char *logs_key_arn;
    const char *partition;
} inputs;

static int read_inputs(const pg_ctx *ctx, inputs *in)
{
    const pg_region *p = pg_ctx_primary(ctx);
    *in = (inputs){
        .primary = p,
        .role_arn = pg_need(ctx, p, "iam.migration_lambda.arn"),
        .role_name = pg_need(ctx, p, "iam.migration_lambda.name"),
        .zone_id = pg_need(ctx, NULL, "dns.zone_id"),
        .zone_arn = pg_need(ctx, NULL, "dns.zone_arn"),
        .record_name = pg_need(ctx, NULL, "dns.record_name"),
        .namespace_name = pg_need(ctx, NULL, "monitoring.namespace"),
        .logs_key_arn = pg_need(ctx, p, "kms.logs.arn"),
        .partition = pg_need(ctx, NULL, "aws.partition"),
    };
    bool ok = in->role_arn && in->role_name && in->zone_id && in->zone_arn && in->record_name &&
              in->namespace_name && in->logs_key_arn && in->partition;
    return ok ? 0 : -1;
}

/* var.migration_phase: defaults to, and only accepts, the generated phase. */
static void phase_variable(const pg_ctx *ctx, pg_out *out)
{
    const char *phase = pg_ctx_phase_name(ctx);
    pg_variable(out, "migration_phase", "string",
                "Migration phase this configuration was generated for (fixed)",
                PG_STR("default", phase),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                pg_printf(out, "${var.migration_phase == \"%s\"}", phase)),
                         PG_STR("error_message",
                                pg_printf(out,
                                          "This configuration describes the %s phase. To change "
                                          "phase, apply the file paygen generates from that "
                                          "phase's profile instead of overriding "
                                          "migration_phase.",
                                          phase))));
}

static cJSON *function(const pg_ctx *ctx, pg_out *out, const inputs *in, const char *name,
                       const pg_package *code, const cJSON *param, const cJSON *logs,
                       const cJSON *policy)
{
    const migration_config *cfg = pg_config(ctx);
    const pg_region *r = in->primary;
    return pg_resource(
        out, r, "aws_lambda_function", "migration",
        PG_STR("function_name", name),
        PG_STR("description", "Publishes the migration phase metric"),
        PG_STR("runtime", "python3.12"),
        PG_STR("handler", "app.handler"), /* functions/phase_reporter/app.py */
        PG_STR("role", in->role_arn),
        /* The hash makes a changed package an update of the function. */
        PG_STR("filename", code->filename),
        PG_STR("source_code_hash", code->hash),
        PG_INT("timeout", 60),
        PG_INT("memory_size", 256),
        /* One run at a time: runs never overlap on the phase metric. */
        PG_INT("reserved_concurrent_executions", 1),
        PG_BLOCK("tracing_config", PG_STR("mode", cfg->tracing ? "Active" : "PassThrough")),
        PG_BLOCK("environment",
                 PG_MAP("variables",
                        PG_STR("ZONE_ID", in->zone_id),
                        PG_STR("RECORD_NAME", in->record_name),
                        /* The metric the monitoring plugin's phase alarm watches. */
                        PG_STR("METRIC_NAMESPACE", in->namespace_name),
                        PG_STR("METRIC_NAME", "MigrationPhase"),
                        PG_STR("ENVIRONMENT", pg_ctx_environment(ctx)),
                        PG_STR("PHASE", "${var.migration_phase}"),
                        PG_STR("PHASE_NUMBER", pg_printf(out, "%d", (int)pg_ctx_phase(ctx) + 1)),
                        PG_REF("PHASE_PARAMETER", param, "name"))),
        /* The role must already carry its permissions: Lambda checks the X-Ray
         * ones when tracing is active. */
        PG_DEPENDS_ON(logs, policy));
}

static void schedule(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *fn)
{
    pg_aws_lambda_schedule(
        out, &(pg_aws_schedule){
                 .region = r,
                 .label = "migration_phase",
                 .permission_label = "migration_schedule",
                 .name = pg_name(out, NULL, "migration-phase", 64),
                 .description = "Runs the migration Lambda to publish the phase",
                 .target_id = "migration-lambda",
                 .minutes = ((const migration_config *)pg_config(ctx))->schedule_minutes,
                 .function = fn,
             });
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const migration_config *cfg = pg_config(ctx);
    inputs in;
    pg_package code;
    if (read_inputs(ctx, &in) != 0 || pg_function_package(out, "phase_reporter", &code) != 0)
        return -1;
    const pg_region *r = in.primary;
    const char *name = pg_name(out, NULL, "migration", 64);

    phase_variable(ctx, out);
    cJSON *param = pg_resource(
        out, r, "aws_ssm_parameter", "migration_phase",
        PG_STR("name", pg_printf(out, "/%s/%s-%s/migration/phase", pg_ctx_project(ctx),
                                 pg_ctx_environment(ctx), pg_ctx_suffix(ctx))),
        PG_STR("description", "Current migration phase of the payment platform"),
        PG_STR("type", "String"),
        PG_STR("tier", "Standard"),
        PG_STR("value", "${var.migration_phase}"));

    /* Created before the function, or Lambda creates it unencrypted and
     * without retention on the first run. */
    cJSON *logs = pg_resource(out, r, "aws_cloudwatch_log_group", "migration",
                              PG_STR("name", pg_printf(out, "/aws/lambda/%s", name)),
                              PG_STR("kms_key_id", in.logs_key_arn),
                              PG_INT("retention_in_days", atol(cfg->log_retention_days)),
                              PG_NAME("migration-logs"));

    migration_scope scope = {
        .partition = in.partition,
        .zone_arn = in.zone_arn,
        .record_name = in.record_name,
        .namespace_name = in.namespace_name,
        .log_group_arn = pg_ref(out, logs, "arn"),
        .parameter_arn = pg_ref(out, param, "arn"),
        .tracing = cfg->tracing,
    };
    cJSON *policy = migration_role_policy(out, r, in.role_name, &scope);
    cJSON *fn = function(ctx, out, &in, name, &code, param, logs, policy);
    schedule(ctx, out, r, fn);

    pg_output(out, "migration_function_name", pg_ref(out, fn, "function_name"),
              "Migration automation Lambda (primary region)");
    pg_output(out, "migration_phase_parameter", pg_ref(out, param, "name"),
              "SSM parameter holding the migration phase");
    return 0;
}

static const char *const needs[] = {"iam", "dns", "kms", "monitoring", NULL};

static const pg_setting settings[] = {
    /* The phase alarm treats a 5-minute period without data as breaching. */
    PG_SETTING_INT("migration.schedule_minutes", migration_config, schedule_minutes, "5", 1, 5,
                   "minutes between scheduled runs that publish the phase metric (at most the "
                   "alarm's 5)"),
    /* The retention values CloudWatch Logs accepts from a year on. */
    PG_SETTING_CHOICE("migration.log_retention_days", migration_config, log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "retention of the function's log group (a CloudWatch Logs value, at least a "
                      "year)"),
    PG_SETTING_BOOL("migration.tracing", migration_config, tracing, "true",
                    "X-Ray active tracing (grants the role trace upload, which has no resource "
                    "scope)"),
    PG_SETTINGS_END,
};

/* 2.0.0: migration.artifact_bucket, .artifact_key and .handler are gone
 * with the bucket (the package ships with paygen). */
PG_PLUGIN_DEFINE("migration", "2.0.0", "Apache-2.0",
                 "migration automation Lambda, its schedule and the phase parameter", NULL, needs,
                 settings, sizeof(migration_config), contribute)
