/* SPDX-License-Identifier: Apache-2.0 */
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

const char *iam_arn(const pg_ctx *ctx, pg_out *out, const pg_region *region, const char *resource)
{
    const char *colon = strchr(resource, ':');
    return pg_printf(out, "arn:%s:%.*s:%s:%s:%s", pg_need(ctx, NULL, "aws.partition"),
                     (int)(colon - resource), resource, region->name,
                     pg_need(ctx, NULL, "aws.account_id"), colon + 1);
}

static cJSON *trust_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r, const role *ro)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *source_arn = ro->guard == GUARD_ARN ? iam_arn(ctx, out, r, ro->source) : "";
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", pg_printf(out, "%s_trust", ro->label));
    pg_block(out, doc, "statement",
             PG_STR("sid", "TrustedService"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "sts:AssumeRole"),
             PG_PRINCIPALS("Service", ro->service),
             PG_IF(ro->guard != GUARD_NONE,
                   PG_CONDITION("StringEquals", "aws:SourceAccount", account)),
             PG_IF(ro->guard == GUARD_ARN,
                   PG_CONDITION("ArnLike", "aws:SourceArn", source_arn)));
    return doc;
}

static void add_role(const pg_ctx *ctx, pg_out *out, const pg_region *r, const role *ro,
                     const cJSON *boundary)
{
    cJSON *trust = trust_policy(ctx, out, r, ro);
    cJSON *b = pg_resource(out, r, "aws_iam_role", ro->label,
                           /* Role names are global: the region code keeps the
                            * regions apart. */
                           PG_STR("name", pg_name(out, r, ro->kind, 64)),
                           PG_STR("path", pg_printf(out, "/%s/", pg_ctx_project(ctx))),
                           PG_STR("description",
                                  pg_printf(out, "%s (%s)", ro->description, r->name)),
                           PG_REF("assume_role_policy", trust, "json"),
                           PG_INT("max_session_duration", 3600),
                           PG_REF("permissions_boundary", boundary, "arn"),
                           /* Policies are attached by the service plugins as
                            * separate resources; detaching them first lets the
                            * role be replaced or removed cleanly. */
                           PG_BOOL("force_detach_policies", true),
                           PG_NAME(ro->kind));

    pg_publish_refs(out, r, pg_printf(out, "iam.%s", ro->label), b, "arn", "name");
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

static const pg_publication publishes[] = {
    {"iam.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"iam.*.name", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const pg_setting settings[] = {
    PG_SETTING_LIST("iam.metric_namespaces", iam_config, metric_namespaces, "Payment/*",
                    "CloudWatch namespaces (patterns) the boundary lets roles publish metrics to"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("iam", "1.0.0", "Apache-2.0",
                 "IAM roles of the platform with trust policies and a permissions boundary",
                 publishes, NULL, settings, sizeof(iam_config), contribute)
