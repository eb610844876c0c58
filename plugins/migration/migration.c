/* migration - the migration automation Lambda and the phase itself (R11, R8).
 *
 * In the primary region, in every phase: a Python function that publishes
 * the current phase as a CloudWatch metric every few minutes (EventBridge
 * schedule) and may shift the service record's weights; its KMS-encrypted
 * log group; the role policy scoped to exactly those resources
 * (migration_policy.c); an SSM parameter holding the phase for operators and
 * the function; and var.migration_phase, whose validation only accepts the
 * phase this file was generated for, so `-var migration_phase=...` cannot
 * make a file claim another phase than the resources it describes.
 *
 * The function's environment is not encrypted with a customer key: it holds
 * identifiers only (zone id, record name, namespace, phase), the Lambda
 * default key encrypts it at rest, and the only key that would fit, the
 * logs key, admits CloudWatch Logs alone in its key policy. */
#include "migration.h"

#include <string.h>

/* Retention values CloudWatch Logs accepts from a year on. */
static const long retentions[] = {365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

typedef struct inputs {
    const pg_region *primary;
    const char *role_arn, *role_name;
    const char *zone_id, *zone_arn, *record_name;
    const char *namespace_name;
    const char *logs_key_arn;
} inputs;

static const char *need(const pg_ctx *ctx, pg_out *out, const pg_region *r, const char *name,
                        bool *ok)
{
    const char *v = pg_lookup_string(ctx, r, name);
    if (!v) {
        pg_error(out, "%s is not published%s%s", name, r ? " for " : "", r ? r->name : "");
        *ok = false;
    }
    return v;
}

static int read_inputs(const pg_ctx *ctx, pg_out *out, inputs *in)
{
    bool ok = true;
    in->primary = pg_ctx_primary(ctx);
    in->role_arn = need(ctx, out, in->primary, "iam.migration_lambda.arn", &ok);
    in->role_name = need(ctx, out, in->primary, "iam.migration_lambda.name", &ok);
    in->zone_id = need(ctx, out, NULL, "dns.zone_id", &ok);
    in->zone_arn = need(ctx, out, NULL, "dns.zone_arn", &ok);
    in->record_name = need(ctx, out, NULL, "dns.record_name", &ok);
    in->namespace_name = need(ctx, out, NULL, "monitoring.namespace", &ok);
    in->logs_key_arn = need(ctx, out, in->primary, "kms.logs.arn", &ok);
    return ok ? 0 : -1;
}

static int check_settings(const pg_ctx *ctx, pg_out *out)
{
    const char *key = pg_ctx_string(ctx, "migration.artifact_key");
    const char *handler = pg_ctx_string(ctx, "migration.handler");
    long days = pg_ctx_int(ctx, "migration.log_retention_days");
    size_t n = strlen(key);

    if (n < 5 || key[0] == '/' || strcmp(key + n - 4, ".zip") != 0) {
        pg_error(out,
                 "migration.artifact_key '%s' must be an S3 key of a .zip package, "
                 "without a leading '/'",
                 key);
        return -1;
    }
    const char *dot = strchr(handler, '.');
    if (!dot || dot == handler || !dot[1] || strpbrk(handler, " /")) {
        pg_error(out, "migration.handler '%s' must be module.function, e.g. app.handler", handler);
        return -1;
    }
    for (size_t i = 0; i < sizeof retentions / sizeof *retentions; i++)
        if (days == retentions[i])
            return 0;
    pg_error(out,
             "migration.log_retention_days = %ld is not a CloudWatch Logs retention; use 365, "
             "400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
             days);
    return -1;
}

/* var.migration_phase: defaults to, and only accepts, the generated phase. */
static void phase_variable(const pg_ctx *ctx, pg_out *out)
{
    const char *phase = pg_ctx_phase_name(ctx);
    cJSON *v = pg_variable(out, "migration_phase", "string",
                           "Migration phase this configuration was generated for (fixed)");
    cJSON_AddStringToObject(v, "default", phase);
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddStringToObject(rule, "condition",
                            pg_printf(out, "${var.migration_phase == \"%s\"}", phase));
    cJSON_AddStringToObject(
        rule, "error_message",
        pg_printf(out,
                  "This configuration describes the %s phase. To change phase, apply the file "
                  "paygen generates from that phase's profile instead of overriding "
                  "migration_phase.",
                  phase));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(v, "validation"), rule);
}

static cJSON *phase_parameter(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    cJSON *p = pg_resource(out, r, "aws_ssm_parameter", "migration_phase");
    cJSON_AddStringToObject(
        p, "name",
        pg_printf(out, "/%s/%s-%s/migration/phase", pg_ctx_project(ctx), pg_ctx_environment(ctx),
                  pg_ctx_suffix(ctx)));
    cJSON_AddStringToObject(p, "description", "Current migration phase of the payment platform");
    cJSON_AddStringToObject(p, "type", "String");
    cJSON_AddStringToObject(p, "tier", "Standard");
    cJSON_AddStringToObject(p, "value", "${var.migration_phase}");
    pg_tag_name(p, pg_name(out, r, "migration-phase", 256));
    return p;
}

static cJSON *function(const pg_ctx *ctx, pg_out *out, const inputs *in, const char *name,
                       const cJSON *param)
{
    const pg_region *r = in->primary;
    const char *bucket = pg_ctx_string(ctx, "migration.artifact_bucket");
    cJSON *fn = pg_resource(out, r, "aws_lambda_function", "migration");
    cJSON_AddStringToObject(fn, "function_name", name);
    cJSON_AddStringToObject(fn, "description",
                            "Publishes the migration phase metric and shifts Route 53 weights");
    cJSON_AddStringToObject(fn, "runtime", "python3.12");
    cJSON_AddStringToObject(fn, "handler", pg_ctx_string(ctx, "migration.handler"));
    cJSON_AddStringToObject(fn, "role", in->role_arn);
    cJSON_AddStringToObject(fn, "s3_bucket", *bucket ? bucket : pg_name(out, r, "artifacts", 63));
    cJSON_AddStringToObject(fn, "s3_key", pg_ctx_string(ctx, "migration.artifact_key"));
    cJSON_AddNumberToObject(fn, "timeout", 60);
    cJSON_AddNumberToObject(fn, "memory_size", 256);
    /* One run at a time: two concurrent weight shifts would race. */
    cJSON_AddNumberToObject(fn, "reserved_concurrent_executions", 1);

    cJSON *tracing = cJSON_CreateObject();
    cJSON_AddStringToObject(tracing, "mode",
                            pg_ctx_bool(ctx, "migration.tracing") ? "Active" : "PassThrough");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(fn, "tracing_config"), tracing);

    cJSON *vars = cJSON_CreateObject();
    cJSON_AddStringToObject(vars, "ZONE_ID", in->zone_id);
    cJSON_AddStringToObject(vars, "RECORD_NAME", in->record_name);
    /* The metric the monitoring plugin's phase alarm watches. */
    cJSON_AddStringToObject(vars, "METRIC_NAMESPACE", in->namespace_name);
    cJSON_AddStringToObject(vars, "METRIC_NAME", "MigrationPhase");
    cJSON_AddStringToObject(vars, "ENVIRONMENT", pg_ctx_environment(ctx));
    cJSON_AddStringToObject(vars, "PHASE", "${var.migration_phase}");
    cJSON_AddStringToObject(vars, "PHASE_NUMBER", pg_printf(out, "%d", (int)pg_ctx_phase(ctx) + 1));
    cJSON_AddStringToObject(vars, "PHASE_PARAMETER", pg_ref(out, param, "name"));
    cJSON *env = cJSON_CreateObject();
    cJSON_AddItemToObject(env, "variables", vars);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(fn, "environment"), env);

    pg_tag_name(fn, pg_name(out, r, "migration", 256));
    return fn;
}

static void schedule(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *fn)
{
    long minutes = pg_ctx_int(ctx, "migration.schedule_minutes");
    cJSON *rule = pg_resource(out, r, "aws_cloudwatch_event_rule", "migration_phase");
    cJSON_AddStringToObject(rule, "name", pg_name(out, NULL, "migration-phase", 64));
    cJSON_AddStringToObject(rule, "description", "Runs the migration Lambda to publish the phase");
    cJSON_AddStringToObject(rule, "schedule_expression",
                            minutes == 1 ? "rate(1 minute)"
                                         : pg_printf(out, "rate(%ld minutes)", minutes));
    cJSON_AddStringToObject(rule, "state", "ENABLED");
    pg_tag_name(rule, pg_name(out, r, "migration-phase", 256));

    cJSON *target = pg_resource(out, r, "aws_cloudwatch_event_target", "migration_phase");
    cJSON_AddStringToObject(target, "rule", pg_ref(out, rule, "name"));
    cJSON_AddStringToObject(target, "target_id", "migration-lambda");
    cJSON_AddStringToObject(target, "arn", pg_ref(out, fn, "arn"));

    cJSON *perm = pg_resource(out, r, "aws_lambda_permission", "migration_schedule");
    cJSON_AddStringToObject(perm, "statement_id", "AllowEventBridgeSchedule");
    cJSON_AddStringToObject(perm, "action", "lambda:InvokeFunction");
    cJSON_AddStringToObject(perm, "function_name", pg_ref(out, fn, "function_name"));
    cJSON_AddStringToObject(perm, "principal", "events.amazonaws.com");
    cJSON_AddStringToObject(perm, "source_arn", pg_ref(out, rule, "arn"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    inputs in;
    if (read_inputs(ctx, out, &in) != 0 || check_settings(ctx, out) != 0)
        return -1;
    const pg_region *r = in.primary;
    const char *name = pg_name(out, NULL, "migration", 64);

    phase_variable(ctx, out);
    cJSON *param = phase_parameter(ctx, out, r);

    /* Created before the function, or Lambda creates it unencrypted and
     * without retention on the first run. */
    cJSON *logs = pg_resource(out, r, "aws_cloudwatch_log_group", "migration");
    cJSON_AddStringToObject(logs, "name", pg_printf(out, "/aws/lambda/%s", name));
    cJSON_AddStringToObject(logs, "kms_key_id", in.logs_key_arn);
    cJSON_AddNumberToObject(logs, "retention_in_days",
                            (double)pg_ctx_int(ctx, "migration.log_retention_days"));
    pg_tag_name(logs, pg_name(out, r, "migration-logs", 256));

    migration_scope scope = {
        .zone_arn = in.zone_arn,
        .record_name = in.record_name,
        .namespace_name = in.namespace_name,
        .log_group_arn = pg_ref(out, logs, "arn"),
        .parameter_arn = pg_ref(out, param, "arn"),
        .tracing = pg_ctx_bool(ctx, "migration.tracing"),
    };
    cJSON *policy = migration_role_policy(ctx, out, r, in.role_name, &scope);

    cJSON *fn = function(ctx, out, &in, name, param);
    /* The role must already carry its permissions: Lambda checks the X-Ray
     * ones when tracing is active. */
    cJSON_AddItemToObject(fn, "depends_on",
                          pg_strings(pg_address(out, logs), pg_address(out, policy), NULL));
    schedule(ctx, out, r, fn);

    pg_output(out, "migration_function_name", pg_ref(out, fn, "function_name"),
              "Migration automation Lambda (primary region)");
    pg_output(out, "migration_phase_parameter", pg_ref(out, param, "name"),
              "SSM parameter holding the migration phase");
    return 0;
}

static const char *const provides[] = {"migration", NULL};
static const char *const needs[] = {"iam", "dns", "kms", "monitoring", NULL};
static const pg_setting settings[] = {
    {"migration.artifact_bucket", PG_SETTING_STRING, "", 0, 0,
     "S3 bucket (primary region) with the function package; empty: "
     "payment-artifacts-<environment>-<suffix>-<region code>"},
    {"migration.artifact_key", PG_SETTING_STRING, "migration/phase-reporter.zip", 0, 0,
     "S3 key of the function's .zip package"},
    {"migration.handler", PG_SETTING_STRING, "app.handler", 0, 0,
     "Python entry point of the function, module.function"},
    /* The phase alarm treats a 5-minute period without data as breaching. */
    {"migration.schedule_minutes", PG_SETTING_INT, "5", 1, 5,
     "minutes between scheduled runs that publish the phase metric (at most the alarm's 5)"},
    {"migration.log_retention_days", PG_SETTING_INT, "365", 365, 3653,
     "retention of the function's log group (a CloudWatch Logs value, at least a year)"},
    {"migration.tracing", PG_SETTING_BOOL, "true", 0, 0,
     "X-Ray active tracing (grants the role trace upload, which has no resource scope)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("migration", "1.0.0",
                 "migration automation Lambda, its schedule and the phase parameter",
                 provides, needs, settings, contribute)
