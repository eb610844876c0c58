/* SPDX-License-Identifier: Apache-2.0 */
/* migration plugin: the automation Lambda, its encrypted log group, its
 * schedule and invoke permission, the scoped role policy, the phase variable
 * and parameter, per phase, and the settings it refuses. */
#include "harness.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static bool starts_ends(const char *s, const char *prefix, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, p = strlen(prefix), q = strlen(suffix);
    return s && n >= p + q && !strncmp(s, prefix, p) && !strcmp(s + n - q, suffix);
}

static void test_function_in_primary(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_lambda_function", "migration"), 1);
    const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "migration_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
    CU_ASSERT_PTR_NULL(th_path(fn, "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(fn, "function_name"), "payment-migration-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(fn, "runtime"), "python3.12");
    CU_ASSERT_STRING_EQUAL(th_str(fn, "handler"), "app.handler");
    CU_ASSERT_TRUE(starts_ends(th_str(fn, "role"), "${aws_iam_role.", "_use1.arn}"));
    /* the shipped package, no bucket */
    CU_ASSERT_STRING_EQUAL(th_str(fn, "filename"), "${path.module}/functions/phase_reporter.zip");
    CU_ASSERT_PTR_NULL(th_path(fn, "s3_bucket"));
    CU_ASSERT_PTR_NULL(th_path(fn, "s3_key"));
    char *dir = pg_xasprintf("%s", th_source("functions/phase_reporter"));
    unsigned char *zip;
    size_t size;
    pg_errors err = {0};
    CU_ASSERT_EQUAL_FATAL(pg_package_zip(dir, &zip, &size, &err), 0);
    char *hash = pg_package_hash(zip, size);
    CU_ASSERT_STRING_EQUAL(th_str(fn, "source_code_hash"), hash);
    free(hash);
    free(zip);
    free(dir);
    CU_ASSERT_EQUAL(th_num(fn, "timeout"), 60);
    CU_ASSERT_EQUAL(th_num(fn, "memory_size"), 256);
    CU_ASSERT_EQUAL(th_num(fn, "reserved_concurrent_executions"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(fn, "tracing_config.0.mode"), "Active");
    CU_ASSERT_PTR_NULL(th_path(fn, "kms_key_arn"));
    const cJSON *vars = th_path(fn, "environment.0.variables");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "ZONE_ID"), "${aws_route53_zone.main.zone_id}");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "RECORD_NAME"), "api.payments.example.com");
    CU_ASSERT_PTR_NOT_NULL(th_str(vars, "METRIC_NAMESPACE"));
    CU_ASSERT_STRING_EQUAL(th_str(vars, "METRIC_NAME"), "MigrationPhase");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "ENVIRONMENT"), "production");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "PHASE"), "${var.migration_phase}");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "PHASE_NUMBER"), "2");
    CU_ASSERT_STRING_EQUAL(th_str(vars, "PHASE_PARAMETER"),
                           "${aws_ssm_parameter.migration_phase_use1.name}");
    /* log group and permissions exist before the function */
    CU_ASSERT_TRUE(th_list_has(th_path(fn, "depends_on"), "aws_cloudwatch_log_group.migration_use1"));
    CU_ASSERT_TRUE(
        th_list_has(th_path(fn, "depends_on"), "aws_iam_role_policy.migration_lambda_use1"));
    th_free(r);
}

/* Same address and name in every phase (D7); only the phase values change. */
static void test_phase_number_per_phase(void)
{
    const char *profiles[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                              "profiles/production.yaml"};
    const char *numbers[] = {"1", "2", "3"};
    const char *phases[] = {"legacy", "migration", "production"};
    for (size_t i = 0; i < 3; i++) {
        th_run *r = th_generate(profiles[i], NULL);
        TH_ASSERT_OK(r);
        const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "migration_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
        CU_ASSERT_STRING_EQUAL(th_str(fn, "function_name"), "payment-migration-production-abc123");
        CU_ASSERT_STRING_EQUAL(th_str(fn, "environment.0.variables.PHASE_NUMBER"), numbers[i]);
        CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "variable.migration_phase.default"),
                               phases[i]);
        th_free(r);
    }
}

static void test_log_group_encrypted_and_retained(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *lg = th_resource(r, "payment", "aws_cloudwatch_log_group", "migration_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lg);
    CU_ASSERT_STRING_EQUAL(th_str(lg, "name"), "/aws/lambda/payment-migration-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(lg, "kms_key_id"), "${aws_kms_key.logs_use1.arn}");
    CU_ASSERT_EQUAL(th_num(lg, "retention_in_days"), 365);
    th_free(r);

    const char *sets[] = {"migration.log_retention_days=731", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    lg = th_resource(r, "payment", "aws_cloudwatch_log_group", "migration_use1");
    CU_ASSERT_EQUAL(th_num(lg, "retention_in_days"), 731);
    th_free(r);
}

static void test_schedule_and_permission(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *rule =
        th_resource(r, "payment", "aws_cloudwatch_event_rule", "migration_phase_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
    CU_ASSERT_STRING_EQUAL(th_str(rule, "schedule_expression"), "rate(5 minutes)");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "state"), "ENABLED");
    const cJSON *target =
        th_resource(r, "payment", "aws_cloudwatch_event_target", "migration_phase_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(target);
    CU_ASSERT_STRING_EQUAL(th_str(target, "rule"),
                           "${aws_cloudwatch_event_rule.migration_phase_use1.name}");
    CU_ASSERT_STRING_EQUAL(th_str(target, "arn"), "${aws_lambda_function.migration_use1.arn}");
    const cJSON *perm =
        th_resource(r, "payment", "aws_lambda_permission", "migration_schedule_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
    CU_ASSERT_STRING_EQUAL(th_str(perm, "action"), "lambda:InvokeFunction");
    CU_ASSERT_STRING_EQUAL(th_str(perm, "principal"), "events.amazonaws.com");
    CU_ASSERT_STRING_EQUAL(th_str(perm, "source_arn"),
                           "${aws_cloudwatch_event_rule.migration_phase_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(perm, "function_name"),
                           "${aws_lambda_function.migration_use1.function_name}");
    th_free(r);

    const char *sets[] = {"migration.schedule_minutes=1", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    rule = th_resource(r, "payment", "aws_cloudwatch_event_rule", "migration_phase_use1");
    CU_ASSERT_STRING_EQUAL(th_str(rule, "schedule_expression"), "rate(1 minute)");
    th_free(r);
}

/* No wildcard action anywhere; "*" resources only where AWS has no resource
 * type: PutMetricData (bound to the namespace) and X-Ray trace upload. */
static void check_policy(const th_run *r, bool tracing)
{
    const cJSON *pol = th_resource(r, "payment", "aws_iam_role_policy", "migration_lambda_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
    CU_ASSERT_TRUE(starts_ends(th_str(pol, "role"), "${aws_iam_role.", "_use1.name}"));
    CU_ASSERT_STRING_EQUAL(th_str(pol, "policy"),
                           "${data.aws_iam_policy_document.migration_lambda_use1.json}");
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "migration_lambda_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);

    const cJSON *st, *item;
    size_t star_statements = 0;
    cJSON_ArrayForEach(st, th_path(doc, "statement"))
    {
        cJSON_ArrayForEach(item, th_path(st, "actions"))
        {
            size_t n = strlen(item->valuestring);
            CU_ASSERT_FALSE(n == 0 || item->valuestring[n - 1] == '*');
        }
        if (th_list_has(th_path(st, "resources"), "*")) {
            star_statements++;
            const char *sid = th_str(st, "sid");
            CU_ASSERT_TRUE(!strcmp(sid, "PublishPhaseMetric") ||
                           (tracing && !strcmp(sid, "UploadTraces")));
        }
    }
    CU_ASSERT_EQUAL(star_statements, tracing ? 2 : 1);

    const char *ns = th_str(th_resource(r, "payment", "aws_lambda_function", "migration_use1"),
                            "environment.0.variables.METRIC_NAMESPACE");
    st = th_statement(doc, "PublishPhaseMetric");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "actions.0"), "cloudwatch:PutMetricData");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "actions")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.test"), "StringEquals");
    CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.variable"), "cloudwatch:namespace");
    CU_ASSERT_STRING_EQUAL(th_str(st, "condition.0.values.0"), ns);
}

static void test_role_policy_is_scoped(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    check_policy(r, true);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "migration_lambda_use1");

    /* One owner for the weights: Terraform variables. The function never
     * writes DNS: no Route 53 action but the read of the record's weights
     * (functions/phase_reporter logs them; it calls nothing else there). */
    CU_ASSERT_PTR_NULL(th_statement(doc, "ShiftServiceRecordWeights"));
    CU_ASSERT_PTR_NULL(th_statement(doc, "FollowChanges"));
    const cJSON *stmt;
    cJSON_ArrayForEach(stmt, th_path(doc, "statement"))
    {
        const cJSON *action;
        cJSON_ArrayForEach(action, th_path(stmt, "actions"))
        {
            CU_ASSERT_TRUE(strncmp(action->valuestring, "route53:", 8) != 0 ||
                           strcmp(action->valuestring, "route53:ListResourceRecordSets") == 0);
        }
    }
    const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "migration_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
    CU_ASSERT_STRING_EQUAL(th_str(fn, "description"), "Publishes the migration phase metric");

    const cJSON *st = th_statement(doc, "ReadServiceZone");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "actions")), 1);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "route53:ListResourceRecordSets"));
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"), "${aws_route53_zone.main.arn}");

    st = th_statement(doc, "WriteOwnLogs");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"),
                           "${aws_cloudwatch_log_group.migration_use1.arn}:*");
    CU_ASSERT_FALSE(th_list_has(th_path(st, "actions"), "logs:CreateLogGroup"));

    st = th_statement(doc, "ReadPhaseParameter");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"),
                           "${aws_ssm_parameter.migration_phase_use1.arn}");
    th_free(r);

    const char *sets[] = {"migration.tracing=false", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    check_policy(r, false);
    CU_ASSERT_STRING_EQUAL(
        th_str(th_resource(r, "payment", "aws_lambda_function", "migration_use1"),
               "tracing_config.0.mode"),
        "PassThrough");
    th_free(r);
}

static void test_phase_variable_and_parameter(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *v = th_path(th_stack(r, "payment"), "variable.migration_phase");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(th_str(v, "type"), "string");
    CU_ASSERT_STRING_EQUAL(th_str(v, "default"), "production");
    CU_ASSERT_STRING_EQUAL(th_str(v, "validation.0.condition"),
                           "${var.migration_phase == \"production\"}");
    CU_ASSERT_PTR_NOT_NULL(strstr(th_str(v, "validation.0.error_message"), "production phase"));

    const cJSON *p = th_resource(r, "payment", "aws_ssm_parameter", "migration_phase_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(th_str(p, "name"), "/payment/production-abc123/migration/phase");
    CU_ASSERT_STRING_EQUAL(th_str(p, "type"), "String");
    CU_ASSERT_STRING_EQUAL(th_str(p, "value"), "${var.migration_phase}");
    th_free(r);

    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(
        th_str(th_stack(r, "payment"), "variable.migration_phase.validation.0.condition"),
        "${var.migration_phase == \"legacy\"}");
    th_free(r);
}

/* The package is written beside the stack, byte for byte what was hashed. */
static void test_package_written_with_the_stack(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *dir = th_scratch("migration-package");
    CU_ASSERT_EQUAL_FATAL(pg_generation_write(&r->g, dir, &r->err), 0);
    char *path = pg_xasprintf("%s/stacks/payment/functions/phase_reporter.zip", dir);
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    unsigned char buf[1 << 16];
    size_t size = fread(buf, 1, sizeof buf, f);
    CU_ASSERT_TRUE(feof(f)); /* the reporter is small */
    fclose(f);
    char *hash = pg_package_hash(buf, size);
    const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "migration_use1");
    CU_ASSERT_STRING_EQUAL(th_str(fn, "source_code_hash"), hash);
    free(hash);
    free(path);
    th_free(r);
}

/* The bucket, key and handler settings are gone with the bucket. */
static void test_artifact_settings_are_gone(void)
{
    th_expect_error("profiles/migration.yaml", "migration.artifact_bucket=ops", "migration.artifact_bucket");
    th_expect_error("profiles/migration.yaml", "migration.artifact_key=lambda/v2.zip", "migration.artifact_key");
    th_expect_error("profiles/migration.yaml", "migration.handler=reporter.main", "migration.handler");
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "migration.log_retention_days=500",
                    "migration.log_retention_days = '500' is not one of "
                    "365|400|545|731|1096|1827|2192|2557|2922|3288|3653");
    th_expect_error("profiles/migration.yaml", "migration.log_retention_days=90",
                    "migration.log_retention_days = '90' is not one of 365|400|");
    th_expect_error("profiles/migration.yaml", "migration.schedule_minutes=0",
                 "migration.schedule_minutes = 0 is out of range 1..5");
    th_expect_error("profiles/migration.yaml", "migration.schedule_minutes=10",
                 "migration.schedule_minutes = 10 is out of range 1..5");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"function in the primary region", test_function_in_primary},
        {"phase number per phase, stable identity", test_phase_number_per_phase},
        {"log group encrypted and retained", test_log_group_encrypted_and_retained},
        {"schedule and invoke permission", test_schedule_and_permission},
        {"role policy is scoped", test_role_policy_is_scoped},
        {"phase variable and parameter", test_phase_variable_and_parameter},
        {"package written with the stack", test_package_written_with_the_stack},
        {"artifact settings are gone", test_artifact_settings_are_gone},
        {"settings errors", test_settings_errors},
        CU_TEST_INFO_NULL,
    };
    return th_main("migration", tests);
}
