/* SPDX-License-Identifier: Apache-2.0 */
/* IAM plugin: which roles exist per phase and region, whom they trust and on
 * which confused-deputy conditions, their names, and the permissions boundary
 * on every role. The boundary's content: test_iam_boundary.c. */
#include <string.h>

#include "harness.h"

#define ACCOUNT "${data.aws_caller_identity.current.account_id}"
#define PARTITION "${data.aws_partition.current.partition}"

typedef struct expected_role {
    const char *label;
    const char *kind;
    const char *service;
    const char *arn_service;  /* ArnLike aws:SourceArn; NULL: no such condition */
    const char *arn_resource;
    bool account_guard;
} expected_role;

static const expected_role regional_roles[] = {
    {"ecs_execution", "ecs-execution", "ecs-tasks.amazonaws.com", "ecs", "*", true},
    {"ecs_task", "ecs-task", "ecs-tasks.amazonaws.com", "ecs", "*", true},
    {"flow_logs", "flow-logs", "vpc-flow-logs.amazonaws.com", "ec2", "vpc-flow-log/*", true},
    {"rds_monitoring", "rds-monitoring", "monitoring.rds.amazonaws.com", "rds", "db:*", true},
};
static const expected_role lambda_role = {"migration_lambda", "migration-lambda",
                                          "lambda.amazonaws.com", NULL, NULL, false};
static const expected_role replication_role = {"s3_replication", "s3-replication",
                                               "s3.amazonaws.com", NULL, NULL, true};

static const cJSON *role(const th_run *r, const char *label, const char *code)
{
    char full[64];
    snprintf(full, sizeof full, "%s_%s", label, code);
    return th_resource(r, "payment", "aws_iam_role", full);
}

static const cJSON *condition(const cJSON *statement, const char *variable)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, th_path(statement, "condition"))
    {
        const char *v = th_str(c, "variable");
        if (v && !strcmp(v, variable))
            return c;
    }
    return NULL;
}

/* The role exists in the region with its trust policy, name and boundary. */
static void assert_role(const th_run *r, const expected_role *e, const char *region,
                        const char *code)
{
    const cJSON *b = role(r, e->label, code);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    char expect[256];
    snprintf(expect, sizeof expect, "payment-%s-%s-production-abc123", e->kind, code);
    CU_ASSERT_STRING_EQUAL(th_str(b, "name"), expect);
    CU_ASSERT_STRING_EQUAL(th_str(b, "tags.Name"), expect);
    CU_ASSERT_STRING_EQUAL(th_str(b, "path"), "/payment/");
    CU_ASSERT_EQUAL(th_num(b, "max_session_duration"), 3600);
    snprintf(expect, sizeof expect, "${aws_iam_policy.boundary_%s.arn}", code);
    CU_ASSERT_STRING_EQUAL(th_str(b, "permissions_boundary"), expect);
    snprintf(expect, sizeof expect, "${data.aws_iam_policy_document.%s_trust_%s.json}", e->label, code);
    CU_ASSERT_STRING_EQUAL(th_str(b, "assume_role_policy"), expect);
    if (strcmp(code, "use1"))
        CU_ASSERT_STRING_EQUAL(th_str(b, "provider"), "aws.use2");

    char label[64];
    snprintf(label, sizeof label, "%s_trust_%s", e->label, code);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", label);
    const cJSON *st = th_path(doc, "statement.0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_PTR_NULL(th_path(doc, "statement.1"));
    CU_ASSERT_STRING_EQUAL(th_str(st, "effect"), "Allow");
    CU_ASSERT_STRING_EQUAL(th_str(st, "actions.0"), "sts:AssumeRole");
    CU_ASSERT_STRING_EQUAL(th_str(st, "principals.0.type"), "Service");
    CU_ASSERT_STRING_EQUAL(th_str(st, "principals.0.identifiers.0"), e->service);

    const cJSON *account = condition(st, "aws:SourceAccount");
    if (e->account_guard) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(account);
        CU_ASSERT_STRING_EQUAL(th_str(account, "test"), "StringEquals");
        CU_ASSERT_STRING_EQUAL(th_str(account, "values.0"), ACCOUNT);
    } else {
        CU_ASSERT_PTR_NULL(account);
    }
    const cJSON *arn = condition(st, "aws:SourceArn");
    if (e->arn_service) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(arn);
        CU_ASSERT_STRING_EQUAL(th_str(arn, "test"), "ArnLike");
        snprintf(expect, sizeof expect, "arn:" PARTITION ":%s:%s:" ACCOUNT ":%s", e->arn_service,
                 region, e->arn_resource);
        CU_ASSERT_STRING_EQUAL(th_str(arn, "values.0"), expect);
    } else {
        CU_ASSERT_PTR_NULL(arn);
    }
}

static void test_legacy_roles_primary_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 4; i++)
        assert_role(r, &regional_roles[i], "us-east-1", "use1");
    assert_role(r, &lambda_role, "us-east-1", "use1");
    CU_ASSERT_PTR_NULL(role(r, "s3_replication", "use1"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_iam_role"), 6); /* + cloudtrail */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_iam_policy"), 1);
    th_free(r);
}

static void test_migration_roles_both_regions(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 4; i++) {
        assert_role(r, &regional_roles[i], "us-east-1", "use1");
        assert_role(r, &regional_roles[i], "us-east-2", "use2");
    }
    assert_role(r, &lambda_role, "us-east-1", "use1");
    assert_role(r, &replication_role, "us-east-1", "use1");
    CU_ASSERT_PTR_NULL(role(r, "migration_lambda", "use2"));
    CU_ASSERT_PTR_NULL(role(r, "s3_replication", "use2"));
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_iam_role", "iam"), 11);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_iam_policy"), 2);
    th_free(r);
}

static void test_production_keeps_migration_roles(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_role(r, &replication_role, "us-east-1", "use1");
    assert_role(r, &regional_roles[1], "us-east-2", "use2");
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_iam_role", "iam"), 11);
    th_free(r);
}

static void test_execution_and_task_roles_are_distinct(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const pg_region *use2 = pg_ctx_region(&r->g.ctx, 1);
    const char *exec = pg_lookup(&r->g.ctx, use2, "iam.ecs_execution.arn");
    const char *task = pg_lookup(&r->g.ctx, use2, "iam.ecs_task.arn");
    CU_ASSERT_PTR_NOT_NULL_FATAL(exec);
    CU_ASSERT_PTR_NOT_NULL_FATAL(task);
    CU_ASSERT_STRING_EQUAL(exec, "${aws_iam_role.ecs_execution_use2.arn}");
    CU_ASSERT_STRING_EQUAL(task, "${aws_iam_role.ecs_task_use2.arn}");
    CU_ASSERT_STRING_NOT_EQUAL(th_str(role(r, "ecs_execution", "use2"), "name"),
                               th_str(role(r, "ecs_task", "use2"), "name"));
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, use2, "iam.flow_logs.name"),
                           "${aws_iam_role.flow_logs_use2.name}");
    /* per-region references only where the role exists */
    CU_ASSERT_PTR_NULL(pg_lookup(&r->g.ctx, use2, "iam.s3_replication.arn"));
    CU_ASSERT_PTR_NOT_NULL(pg_lookup(&r->g.ctx, pg_ctx_primary(&r->g.ctx),
                                            "iam.s3_replication.arn"));
    th_free(r);
}

static void test_names_follow_environment_and_suffix(void)
{
    const char *sets[] = {"environment=staging", "suffix=xyz789", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(th_str(role(r, "s3_replication", "use1"), "name"),
                           "payment-s3-replication-use1-staging-xyz789");
    CU_ASSERT_STRING_EQUAL(th_str(role(r, "rds_monitoring", "use2"), "name"),
                           "payment-rds-monitoring-use2-staging-xyz789");
    CU_ASSERT_STRING_EQUAL(th_str(th_resource(r, "payment", "aws_iam_policy", "boundary_use2"), "name"),
                           "payment-boundary-use2-staging-xyz789");
    th_free(r);
}
static void test_every_role_has_a_boundary(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *b;
    size_t n = 0;
    cJSON_ArrayForEach(b, th_path(th_stack(r, "payment"), "resource.aws_iam_role"))
    {
        const char *code = strrchr(b->string, '_') + 1;
        char expect[128];
        snprintf(expect, sizeof expect, "${aws_iam_policy.boundary_%s.arn}", code);
        CU_ASSERT_STRING_EQUAL(th_str(b, "permissions_boundary"), expect);
        n++;
    }
    CU_ASSERT_EQUAL(n, 12); /* iam's 11 and the failover function's */
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"legacy: roles in the primary only, no replication role", test_legacy_roles_primary_only},
        {"migration: regional roles in both, lambda and replication in the primary",
         test_migration_roles_both_regions},
        {"production keeps the migration roles", test_production_keeps_migration_roles},
        {"execution and task roles are distinct", test_execution_and_task_roles_are_distinct},
        {"names follow environment and suffix", test_names_follow_environment_and_suffix},
        {"every role has the region's boundary", test_every_role_has_a_boundary},
        CU_TEST_INFO_NULL,
    };
    return th_main("iam", tests);
}
