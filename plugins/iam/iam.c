/* iam - the identities of the platform (R8).
 *
 * This plugin owns *who*: every IAM role, its trust policy and its name. The
 * plugin of the service whose resources a role touches owns *what*: it
 * attaches an aws_iam_role_policy scoped to its own resources, because only it
 * knows their ARNs (docs/references.md, "Rules that keep the graph acyclic").
 * So iam needs nothing but the core, and every service plugin may need iam.
 *
 * Every role is capped by the region's permissions boundary (boundary.c), so
 * a permission policy attached later can never reach beyond it.
 *
 * Publishes, per region where the role exists: iam.<role>.arn, iam.<role>.name. */
#include "iam.h"

#include <string.h>

/* Where a role exists. */
typedef enum scope {
    EVERY_REGION,   /* every active region         */
    PRIMARY_ONLY,   /* the primary region          */
} scope;

/* The confused-deputy guard its trusted service supports. */
typedef enum guard {
    GUARD_NONE,     /* Lambda: no source keys documented for execution roles */
    GUARD_ACCOUNT,  /* aws:SourceAccount only                                */
    GUARD_ARN,      /* aws:SourceAccount and ArnLike aws:SourceArn           */
} guard;

typedef struct role {
    const char *label;     /* address label and reference name: "ecs_task" */
    const char *kind;      /* name part: "ecs-task"                         */
    const char *service;   /* trusted service principal                     */
    scope where;
    pg_phase from;         /* first phase in which the role exists          */
    guard guard;
    const char *source;    /* ArnLike aws:SourceArn: "<service>:<resource>" */
    const char *description;
} role;

static const role roles[] = {
    {"ecs_execution", "ecs-execution", "ecs-tasks.amazonaws.com", EVERY_REGION, PG_PHASE_LEGACY,
     GUARD_ARN, "ecs:*",
     "ECS agent: pulls images, writes task logs, reads task secrets"},
    {"ecs_task", "ecs-task", "ecs-tasks.amazonaws.com", EVERY_REGION, PG_PHASE_LEGACY, GUARD_ARN,
     "ecs:*", "payment application containers"},
    {"flow_logs", "flow-logs", "vpc-flow-logs.amazonaws.com", EVERY_REGION, PG_PHASE_LEGACY,
     GUARD_ARN, "ec2:vpc-flow-log/*", "VPC flow log delivery to CloudWatch Logs"},
    {"rds_monitoring", "rds-monitoring", "monitoring.rds.amazonaws.com", EVERY_REGION,
     PG_PHASE_LEGACY, GUARD_ARN, "rds:db:*", "Aurora enhanced monitoring"},
    {"migration_lambda", "migration-lambda", "lambda.amazonaws.com", PRIMARY_ONLY, PG_PHASE_LEGACY,
     GUARD_NONE, NULL, "migration automation Lambda function"},
    {"s3_replication", "s3-replication", "s3.amazonaws.com", PRIMARY_ONLY, PG_PHASE_MIGRATION,
     GUARD_ACCOUNT, NULL, "S3 cross-region replication of the primary buckets"},
    {"cloudtrail", "cloudtrail", "cloudtrail.amazonaws.com", PRIMARY_ONLY, PG_PHASE_LEGACY,
     GUARD_ARN, "cloudtrail:trail/*", "CloudTrail delivery of the audit trail to CloudWatch Logs"},
};

static bool role_exists(const pg_ctx *ctx, const role *ro, const pg_region *r)
{
    if (pg_ctx_phase(ctx) < ro->from)
        return false;
    return ro->where == EVERY_REGION || r->primary;
}

static cJSON *trust_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r, const role *ro)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", pg_printf(out, "%s_trust", ro->label));
    cJSON *st = pg_statement(doc, "TrustedService", "Allow", pg_strings("sts:AssumeRole", NULL), NULL);
    pg_statement_principal(st, "Service", pg_strings(ro->service, NULL));
    if (ro->guard != GUARD_NONE)
        pg_statement_condition(st, "StringEquals", "aws:SourceAccount", pg_strings(account, NULL));
    if (ro->guard == GUARD_ARN) {
        const char *colon = strchr(ro->source, ':');
        const char *arn = pg_printf(out, "arn:%s:%.*s:%s:%s:%s", partition, (int)(colon - ro->source),
                                    ro->source, r->name, account, colon + 1);
        pg_statement_condition(st, "ArnLike", "aws:SourceArn", pg_strings(arn, NULL));
    }
    return doc;
}

static void add_role(const pg_ctx *ctx, pg_out *out, const pg_region *r, const role *ro,
                     const cJSON *boundary)
{
    cJSON *trust = trust_policy(ctx, out, r, ro);
    cJSON *b = pg_resource(out, r, "aws_iam_role", ro->label);
    /* Role names are global: the region code keeps the regions apart. */
    const char *name = pg_name(out, r, ro->kind, 64);
    cJSON_AddStringToObject(b, "name", name);
    cJSON_AddStringToObject(b, "path", pg_printf(out, "/%s/", pg_ctx_project(ctx)));
    cJSON_AddStringToObject(b, "description", pg_printf(out, "%s (%s)", ro->description, r->name));
    cJSON_AddStringToObject(b, "assume_role_policy", pg_ref(out, trust, "json"));
    cJSON_AddNumberToObject(b, "max_session_duration", 3600);
    cJSON_AddStringToObject(b, "permissions_boundary", pg_ref(out, boundary, "arn"));
    /* Policies are attached by the service plugins as separate resources;
     * detaching them first lets the role be replaced or removed cleanly. */
    cJSON_AddBoolToObject(b, "force_detach_policies", true);
    pg_tag_name(b, name);

    pg_publish_string(out, r, pg_printf(out, "iam.%s.arn", ro->label), pg_ref(out, b, "arn"));
    pg_publish_string(out, r, pg_printf(out, "iam.%s.name", ro->label), pg_ref(out, b, "name"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const cJSON *boundary = iam_boundary(ctx, out, r);
        for (size_t k = 0; k < sizeof roles / sizeof *roles; k++)
            if (role_exists(ctx, &roles[k], r))
                add_role(ctx, out, r, &roles[k], boundary);
    }
    return 0;
}

static const char *const provides[] = {"iam", NULL};
static const char *const needs[] = {NULL};
static const pg_setting settings[] = {
    {"iam.metric_namespaces", PG_SETTING_STRING_LIST, "Payment/*", 0, 0,
     "CloudWatch namespaces (patterns) the boundary lets roles publish metrics to"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("iam", "1.0.0",
                 "IAM roles of the platform with trust policies and a permissions boundary",
                 provides, needs, settings, contribute)
