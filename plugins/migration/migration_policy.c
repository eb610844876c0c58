/* SPDX-License-Identifier: Apache-2.0 */
/* migration_policy.c - what the migration Lambda's role may do (R8).
 *
 * The iam plugin owns the role and its trust; this plugin attaches the
 * permissions, because only it knows the resources the function touches.
 * Every statement names its resources, with two exceptions AWS forces:
 * cloudwatch:PutMetricData has no resource type (so "*", narrowed by the
 * mandatory cloudwatch:namespace condition), and X-Ray trace upload has
 * none either (needed only with active tracing; Lambda refuses to enable
 * tracing for a role without it). */
#include "migration.h"

cJSON *migration_role_policy(pg_out *out, const pg_region *primary, const char *role_name,
                             const migration_scope *scope)
{
    /* No Route 53 write: Terraform variables are the only owner of the
     * weights (a change made here would be reverted by the next apply). The
     * function reports the phase and logs the record's weights: listing the
     * zone's records is all it may do there (functions/phase_reporter). */
    cJSON *doc = pg_data(
        out, primary, "aws_iam_policy_document", "migration_lambda",
        PG_BLOCK("statement",
                 PG_STR("sid", "ReadServiceZone"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "route53:ListResourceRecordSets"),
                 PG_STRS("resources", scope->zone_arn)),
        PG_BLOCK("statement",
                 PG_STR("sid", "PublishPhaseMetric"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "cloudwatch:PutMetricData"),
                 PG_STRS("resources", "*"),
                 PG_CONDITION("StringEquals", "cloudwatch:namespace", scope->namespace_name)),
        PG_BLOCK("statement",
                 PG_STR("sid", "WriteOwnLogs"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                 PG_STRS("resources", pg_printf(out, "%s:*", scope->log_group_arn))),
        PG_BLOCK("statement",
                 PG_STR("sid", "ReadPhaseParameter"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "ssm:GetParameter"),
                 PG_STRS("resources", scope->parameter_arn)),
        PG_IF(scope->tracing,
              PG_BLOCK("statement",
                       PG_STR("sid", "UploadTraces"),
                       PG_STR("effect", "Allow"),
                       PG_STRS("actions", "xray:PutTraceSegments", "xray:PutTelemetryRecords"),
                       PG_STRS("resources", "*"))));

    return pg_resource(out, primary, "aws_iam_role_policy", "migration_lambda",
                       PG_STR("name", pg_name(out, NULL, "migration-lambda", 128)),
                       PG_STR("role", role_name),
                       PG_REF("policy", doc, "json"));
}
