/* SPDX-License-Identifier: Apache-2.0 */
/* failover plugin: off unless the profile switches it on; then the function
 * in the first secondary region with its package, environment, encrypted
 * log group, role, exactly scoped policy, schedule and error alarm; the
 * settings it refuses, with nothing written. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const on[] = {"failover.enabled=true", NULL};

#define PARTITION "${data.aws_partition.current.partition}"
#define ACCOUNT "${data.aws_caller_identity.current.account_id}"
#define GLOBAL_ARN "${aws_rds_global_cluster.main.arn}"
#define CLUSTER_ARN(region, code)                                                   \
    "arn:" PARTITION ":rds:" region ":" ACCOUNT ":cluster:${aws_rds_cluster.main_" code \
    ".cluster_identifier}"
#define CHECK_ARN(code) \
    "arn:" PARTITION ":route53:::healthcheck/${aws_route53_health_check.alb_" code ".id}"

static size_t count_failover(const th_run *r)
{
    const char *types[] = {"aws_lambda_function", "aws_iam_role", "aws_iam_role_policy",
                           "aws_cloudwatch_log_group", "aws_cloudwatch_event_rule",
                           "aws_cloudwatch_event_target", "aws_lambda_permission",
                           "aws_cloudwatch_metric_alarm",
                           "aws_lambda_function_event_invoke_config"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        n += th_count_by(r, "payment", types[i], "failover");
    return n;
}

/* Off unless a profile turns it on: the shipped legacy phase (one region)
 * leaves it off, migration and production turn it on. */
static void test_off_by_default(void)
{
    static const char *const off[] = {"failover.enabled=false", NULL};
    for (size_t i = 0; i < TH_PHASES; i++) {
        th_run *r = th_generate(th_phases[i], i ? off : NULL);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL(count_failover(r), 0);
        CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.failover_function_name"));
        th_free(r);
    }
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_TRUE(count_failover(r) > 0);
    th_free(r);
}

/* In the secondary, never the primary: it must outlive the primary region. */
static void test_function_in_secondary(void)
{
    th_run *r = th_generate("profiles/migration.yaml", on);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_lambda_function", "failover"), 1);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_lambda_function", "failover_use1"));
    const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
    TH_ASSERT_STR(fn, "provider", "aws.use2");
    TH_ASSERT_STR(fn, "function_name", "payment-failover-production-abc123");
    TH_ASSERT_STR(fn, "runtime", "python3.12");
    TH_ASSERT_STR(fn, "handler", "app.handler");
    TH_ASSERT_STR(fn, "role", "${aws_iam_role.failover_use2.arn}");
    /* The package paygen ships, no bucket. */
    TH_ASSERT_STR(fn, "filename", "${path.module}/functions/failover.zip");
    const char *hash = th_str(fn, "source_code_hash");
    CU_ASSERT_TRUE(hash && strlen(hash) == 44 && hash[43] == '=');
    CU_ASSERT_PTR_NULL(th_path(fn, "s3_bucket"));
    CU_ASSERT_PTR_NULL(th_path(fn, "s3_key"));
    CU_ASSERT_EQUAL(th_num(fn, "reserved_concurrent_executions"), 1);
    CU_ASSERT_EQUAL(th_num(fn, "timeout"), 120);
    const cJSON *deps = th_path(fn, "depends_on");
    CU_ASSERT_TRUE(th_list_has(deps, "aws_cloudwatch_log_group.failover_use2"));
    CU_ASSERT_TRUE(th_list_has(deps, "aws_iam_role_policy.failover_use2"));

    const cJSON *v = th_path(fn, "environment.0.variables");
    TH_ASSERT_STR(v, "GLOBAL_CLUSTER_ID", "${aws_rds_global_cluster.main.id}");
    TH_ASSERT_STR(v, "TARGET_CLUSTER_ID", "${aws_rds_cluster.main_use2.cluster_identifier}");
    TH_ASSERT_STR(v, "TARGET_CLUSTER_ARN", CLUSTER_ARN("us-east-2", "use2"));
    TH_ASSERT_STR(v, "TARGET_REGION", "us-east-2");
    TH_ASSERT_STR(v, "HEALTH_CHECKS",
                  "${jsonencode({\"us-east-1\" = aws_route53_health_check.alb_use1.id})}");
    TH_ASSERT_STR(v, "TOPIC_ARN", "${aws_sns_topic.alarms_use2.arn}");
    TH_ASSERT_STR(v, "ALLOW_DATA_LOSS", "false");
    TH_ASSERT_STR(v, "MAX_LAG_MS", "1000");
    TH_ASSERT_STR(v, "LAG_WINDOW_SECONDS", "300");
    TH_ASSERT_STR(v, "UNHEALTHY_MINUTES", "3");
    TH_ASSERT_STR(v, "ENVIRONMENT", "production");
    /* Every reference points at a resource of the stack. */
    CU_ASSERT_PTR_NOT_NULL(th_target(r, th_str(v, "TOPIC_ARN")));
    CU_ASSERT_PTR_NOT_NULL(th_target(r, th_str(v, "TARGET_CLUSTER_ID")));
    TH_ASSERT_STR(th_stack(r, "payment"), "output.failover_function_name.value",
                  "${aws_lambda_function.failover_use2.function_name}");
    th_free(r);
}

static void test_data_loss_settings(void)
{
    const char *sets[] = {"failover.enabled=true", "failover.allow_data_loss=true",
                          "failover.max_lag_ms=250", "failover.unhealthy_minutes=5", NULL};
    th_run *r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *v = th_path(th_resource(r, "payment", "aws_lambda_function", "failover_use2"),
                             "environment.0.variables");
    TH_ASSERT_STR(v, "ALLOW_DATA_LOSS", "true");
    TH_ASSERT_STR(v, "MAX_LAG_MS", "250");
    TH_ASSERT_STR(v, "UNHEALTHY_MINUTES", "5");
    th_free(r);
}

/* Three regions: still one function (the first secondary), and it watches
 * both other regions' health checks and may act on all three clusters. */
static void test_three_regions(void)
{
    th_run *r = th_generate("tests/data/profiles/three-regions.yaml", on);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_lambda_function", "failover"), 1);
    const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
    const char *checks = th_str(fn, "environment.0.variables.HEALTH_CHECKS");
    CU_ASSERT_PTR_NOT_NULL_FATAL(checks);
    CU_ASSERT_PTR_NOT_NULL(strstr(checks, "\"us-east-1\" = aws_route53_health_check.alb_use1.id"));
    CU_ASSERT_PTR_NULL(strstr(checks, "alb_use2"));
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "failover_use2");
    const cJSON *move = th_statement(doc, "MoveGlobalWriter");
    const cJSON *health = th_statement(doc, "ReadRegionHealth");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(move, "resources")), 4);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(health, "resources")), 2);
    th_free(r);
}

static void test_log_group(void)
{
    th_run *r = th_generate("profiles/migration.yaml", on);
    TH_ASSERT_OK(r);
    const cJSON *lg = th_resource(r, "payment", "aws_cloudwatch_log_group", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lg);
    TH_ASSERT_STR(lg, "provider", "aws.use2");
    TH_ASSERT_STR(lg, "name", "/aws/lambda/payment-failover-production-abc123");
    TH_ASSERT_STR(lg, "kms_key_id", "${aws_kms_key.logs_use2.arn}");
    CU_ASSERT_EQUAL(th_num(lg, "retention_in_days"), 365);
    th_free(r);

    const char *sets[] = {"failover.enabled=true", "failover.log_retention_days=731", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    lg = th_resource(r, "payment", "aws_cloudwatch_log_group", "failover_use2");
    CU_ASSERT_EQUAL(th_num(lg, "retention_in_days"), 731);
    th_free(r);
}

static void test_role(void)
{
    th_run *r = th_generate("profiles/migration.yaml", on);
    TH_ASSERT_OK(r);
    const cJSON *role = th_resource(r, "payment", "aws_iam_role", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(role);
    TH_ASSERT_STR(role, "name", "payment-failover-use2-production-abc123");
    TH_ASSERT_STR(role, "path", "/payment/");
    TH_ASSERT_STR(role, "assume_role_policy",
                  "${data.aws_iam_policy_document.failover_trust_use2.json}");
    const cJSON *trust = th_data(r, "payment", "aws_iam_policy_document", "failover_trust_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(trust);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(trust, "statement")), 1);
    TH_ASSERT_STR(trust, "statement.0.actions.0", "sts:AssumeRole");
    TH_ASSERT_STR(trust, "statement.0.principals.0.type", "Service");
    TH_ASSERT_STR(trust, "statement.0.principals.0.identifiers.0", "lambda.amazonaws.com");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(trust, "statement.0.principals.0.identifiers")), 1);

    const cJSON *pol = th_resource(r, "payment", "aws_iam_role_policy", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
    TH_ASSERT_STR(pol, "role", "${aws_iam_role.failover_use2.name}");
    TH_ASSERT_STR(pol, "policy", "${data.aws_iam_policy_document.failover_use2.json}");
    th_free(r);
}

/* A statement's actions and resources, exactly (order included). */
static void expect_statement(const cJSON *doc, const char *sid, const char *const *actions,
                             const char *const *resources)
{
    const cJSON *st = th_statement(doc, sid);
    if (!st)
        fprintf(stderr, "\n  no statement %s\n", sid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    TH_ASSERT_STR(st, "effect", "Allow");
    CU_ASSERT_PTR_NULL(th_path(st, "condition"));
    size_t n = 0;
    for (; actions[n]; n++) {
        char path[32];
        snprintf(path, sizeof path, "actions.%zu", n);
        TH_ASSERT_STR(st, path, actions[n]);
    }
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "actions")), (int)n);
    for (n = 0; resources[n]; n++) {
        char path[32];
        snprintf(path, sizeof path, "resources.%zu", n);
        TH_ASSERT_STR(st, path, resources[n]);
    }
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(st, "resources")), (int)n);
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Exactly what the function calls, on exactly its resources; "*" only for
 * GetMetricData, which has no resource type. */
static void test_policy_is_exact(void)
{
    th_run *r = th_generate("profiles/migration.yaml", on);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement")), 8);

    expect_statement(doc, "ReadGlobalCluster", L("rds:DescribeGlobalClusters"), L(GLOBAL_ARN));
    expect_statement(doc, "ReadMemberClusters", L("rds:DescribeDBClusters"),
                     L(CLUSTER_ARN("us-east-1", "use1"), CLUSTER_ARN("us-east-2", "use2")));
    expect_statement(doc, "MoveGlobalWriter",
                     L("rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"),
                     L(GLOBAL_ARN, CLUSTER_ARN("us-east-1", "use1"),
                       CLUSTER_ARN("us-east-2", "use2")));
    expect_statement(doc, "ReadRegionHealth", L("route53:GetHealthCheckStatus"),
                     L(CHECK_ARN("use1")));
    expect_statement(doc, "ReadMetrics", L("cloudwatch:GetMetricData"), L("*"));
    expect_statement(doc, "Notify", L("sns:Publish"), L("${aws_sns_topic.alarms_use2.arn}"));
    expect_statement(doc, "EncryptNotifications", L("kms:GenerateDataKey", "kms:Decrypt"),
                     L("${aws_kms_key.notifications_use2.arn}"));
    expect_statement(doc, "WriteOwnLogs", L("logs:CreateLogStream", "logs:PutLogEvents"),
                     L("${aws_cloudwatch_log_group.failover_use2.arn}:*"));

    /* No wildcard action, no Deny needed, one "*" resource. */
    const cJSON *st, *item;
    size_t stars = 0;
    cJSON_ArrayForEach(st, th_path(doc, "statement"))
    {
        cJSON_ArrayForEach(item, th_path(st, "actions"))
            CU_ASSERT_PTR_NULL(strchr(item->valuestring, '*'));
        stars += th_list_has(th_path(st, "resources"), "*");
        CU_ASSERT_PTR_NULL(th_path(st, "not_actions"));
        CU_ASSERT_PTR_NULL(th_path(st, "not_resources"));
    }
    CU_ASSERT_EQUAL(stars, 1);
    /* capped by the region's permissions boundary, like every role */
    TH_ASSERT_STR(th_resource(r, "payment", "aws_iam_role", "failover_use2"),
                  "permissions_boundary", "${aws_iam_policy.boundary_use2.arn}");
    th_free(r);
}

/* The function gets the aurora plugin's global cluster by reference,
 * whatever the profile (new, adopted, replica, DMS). */
static void test_global_cluster_id_matches_aurora(void)
{
    const char *profiles[] = {"profiles/migration.yaml", "profiles/production.yaml",
                              "profiles/examples/staging-rehearsal.yaml",
                              "tests/data/profiles/three-regions.yaml",
                              "profiles/examples/from-rds-postgresql.yaml",
                              "profiles/examples/from-rds-postgresql-dms.yaml"};
    const char *sets[] = {"failover.enabled=true", "phase=migration", NULL};
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        th_run *r = th_generate(profiles[i], sets);
        TH_ASSERT_OK(r);
        const cJSON *gc = th_resource(r, "payment", "aws_rds_global_cluster", "main");
        const cJSON *fn = th_resource(r, "payment", "aws_lambda_function", "failover_use2");
        CU_ASSERT_PTR_NOT_NULL_FATAL(gc);
        CU_ASSERT_PTR_NOT_NULL_FATAL(fn);
        TH_ASSERT_STR(fn, "environment.0.variables.GLOBAL_CLUSTER_ID",
                      "${aws_rds_global_cluster.main.id}");
        th_free(r);
    }
}

static void test_trigger(void)
{
    th_run *r = th_generate("profiles/production.yaml", on);
    TH_ASSERT_OK(r);
    const cJSON *rule = th_resource(r, "payment", "aws_cloudwatch_event_rule", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
    TH_ASSERT_STR(rule, "provider", "aws.use2");
    TH_ASSERT_STR(rule, "schedule_expression", "rate(1 minute)");
    TH_ASSERT_STR(rule, "state", "ENABLED");
    CU_ASSERT_PTR_NULL(th_path(rule, "event_pattern"));
    const cJSON *target = th_resource(r, "payment", "aws_cloudwatch_event_target", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(target);
    TH_ASSERT_STR(target, "provider", "aws.use2");
    TH_ASSERT_STR(target, "rule", "${aws_cloudwatch_event_rule.failover_use2.name}");
    TH_ASSERT_STR(target, "arn", "${aws_lambda_function.failover_use2.arn}");
    const cJSON *inv =
        th_resource(r, "payment", "aws_lambda_function_event_invoke_config", "failover_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    TH_ASSERT_STR(inv, "provider", "aws.use2");
    TH_ASSERT_STR(inv, "function_name", "${aws_lambda_function.failover_use2.function_name}");
    CU_ASSERT_EQUAL(th_num(inv, "maximum_retry_attempts"), 0);
    CU_ASSERT_EQUAL(th_num(inv, "maximum_event_age_in_seconds"), 60);
    const cJSON *perm =
        th_resource(r, "payment", "aws_lambda_permission", "failover_schedule_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
    TH_ASSERT_STR(perm, "provider", "aws.use2");
    TH_ASSERT_STR(perm, "action", "lambda:InvokeFunction");
    TH_ASSERT_STR(perm, "principal", "events.amazonaws.com");
    TH_ASSERT_STR(perm, "function_name", "${aws_lambda_function.failover_use2.function_name}");
    TH_ASSERT_STR(perm, "source_arn", "${aws_cloudwatch_event_rule.failover_use2.arn}");
    th_free(r);

    const char *sets[] = {"failover.enabled=true", "failover.schedule_minutes=5", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudwatch_event_rule", "failover_use2"),
                  "schedule_expression", "rate(5 minutes)");
    th_free(r);
}

static void test_errors_alarm(void)
{
    th_run *r = th_generate("profiles/migration.yaml", on);
    TH_ASSERT_OK(r);
    const cJSON *a =
        th_resource(r, "payment", "aws_cloudwatch_metric_alarm", "failover_errors_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    TH_ASSERT_STR(a, "provider", "aws.use2");
    TH_ASSERT_STR(a, "namespace", "AWS/Lambda");
    TH_ASSERT_STR(a, "metric_name", "Errors");
    TH_ASSERT_STR(a, "dimensions.FunctionName",
                  "${aws_lambda_function.failover_use2.function_name}");
    TH_ASSERT_STR(a, "comparison_operator", "GreaterThanThreshold");
    CU_ASSERT_EQUAL(th_num(a, "threshold"), 0);
    TH_ASSERT_STR(a, "alarm_actions.0", "${aws_sns_topic.alarms_use2.arn}");
    TH_ASSERT_STR(a, "ok_actions.0", "${aws_sns_topic.alarms_use2.arn}");
    th_free(r);
}

static void test_deterministic(void)
{
    th_run *a = th_generate("profiles/production.yaml", on);
    th_run *b = th_generate("profiles/production.yaml", on);
    TH_ASSERT_OK(a);
    TH_ASSERT_OK(b);
    char *x = cJSON_PrintUnformatted(th_stack(a, "payment"));
    char *y = cJSON_PrintUnformatted(th_stack(b, "payment"));
    CU_ASSERT_STRING_EQUAL(x, y);
    free(x);
    free(y);
    th_free(a);
    th_free(b);
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "failover.max_lag_ms=0",
                    "failover.max_lag_ms = 0 is out of range 1..900000");
    th_expect_error("profiles/migration.yaml", "failover.unhealthy_minutes=0",
                    "failover.unhealthy_minutes = 0 is out of range 1..30");
    th_expect_error("profiles/migration.yaml", "failover.schedule_minutes=6",
                    "failover.schedule_minutes = 6 is out of range 1..5");
    th_expect_error("profiles/migration.yaml", "failover.log_retention_days=30",
                    "failover.log_retention_days = '30' is not one of 365|400|");
    th_expect_error("profiles/migration.yaml", "failover.allow_data_loss=maybe",
                    "failover.allow_data_loss");
}

/* A settings error on the command line: non-zero, nothing written. The
 * legacy phase, with one region, gets nothing even when failover is on. */
static void test_error_writes_nothing(void)
{
    static const char *const on_in_legacy[] = {"failover.enabled=true", NULL};
    th_run *r = th_generate("profiles/legacy.yaml", on_in_legacy);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(count_failover(r), 0);
    th_free(r);

    const char *dir = th_scratch("failover-bad-setting");
    char args[1024];
    snprintf(args, sizeof args,
             "--profile profiles/migration.yaml --set failover.max_lag_ms=0 -o '%s'", dir);
    th_cli_result res = th_cli(args);
    CU_ASSERT_NOT_EQUAL(res.status, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.output, "failover.max_lag_ms"));
    free(res.output);
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/stacks", dir);
    CU_ASSERT_NOT_EQUAL(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    CU_ASSERT_NOT_EQUAL(stat(path, &st), 0);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"off by default in every phase", test_off_by_default},
        {"function in the secondary region", test_function_in_secondary},
        {"data-loss settings reach the function", test_data_loss_settings},
        {"three regions: one function, every other region watched", test_three_regions},
        {"log group encrypted and retained", test_log_group},
        {"role trusted by Lambda only", test_role},
        {"policy is exact", test_policy_is_exact},
        {"global cluster id matches aurora's", test_global_cluster_id_matches_aurora},
        {"schedule trigger and invoke permission", test_trigger},
        {"errors alarm on the topic", test_errors_alarm},
        {"deterministic", test_deterministic},
        {"settings errors", test_settings_errors},
        {"an error writes nothing", test_error_writes_nothing},
        CU_TEST_INFO_NULL,
    };
    return th_main("failover", tests);
}
