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

cJSON *migration_role_policy(const pg_ctx *ctx, pg_out *out, const pg_region *primary,
                             const char *role_name, const migration_scope *scope)
{
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    cJSON *doc = pg_data(out, primary, "aws_iam_policy_document", "migration_lambda");
    cJSON *st;

    /* Only UPSERTs of the service record's A/AAAA sets: weights shift, the
     * rest of the zone is out of reach. Names are normalized (lowercase, no
     * trailing dot), which the record name already is. */
    st = pg_statement(doc, "ShiftServiceRecordWeights", "Allow",
                      pg_strings("route53:ChangeResourceRecordSets", NULL),
                      pg_strings(scope->zone_arn, NULL));
    pg_statement_condition(st, "ForAllValues:StringEquals",
                           "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                           pg_strings(scope->record_name, NULL));
    pg_statement_condition(st, "ForAllValues:StringEquals",
                           "route53:ChangeResourceRecordSetsRecordTypes",
                           pg_strings("A", "AAAA", NULL));
    pg_statement_condition(st, "ForAllValues:StringEquals",
                           "route53:ChangeResourceRecordSetsActions", pg_strings("UPSERT", NULL));

    pg_statement(doc, "ReadServiceZone", "Allow",
                 pg_strings("route53:GetHostedZone", "route53:ListResourceRecordSets", NULL),
                 pg_strings(scope->zone_arn, NULL));
    pg_statement(doc, "FollowChanges", "Allow", pg_strings("route53:GetChange", NULL),
                 pg_strings(pg_printf(out, "arn:%s:route53:::change/*", partition), NULL));

    st = pg_statement(doc, "PublishPhaseMetric", "Allow",
                      pg_strings("cloudwatch:PutMetricData", NULL), pg_strings("*", NULL));
    pg_statement_condition(st, "StringEquals", "cloudwatch:namespace",
                           pg_strings(scope->namespace_name, NULL));

    pg_statement(doc, "WriteOwnLogs", "Allow",
                 pg_strings("logs:CreateLogStream", "logs:PutLogEvents", NULL),
                 pg_strings(pg_printf(out, "%s:*", scope->log_group_arn), NULL));
    pg_statement(doc, "ReadPhaseParameter", "Allow", pg_strings("ssm:GetParameter", NULL),
                 pg_strings(scope->parameter_arn, NULL));

    if (scope->tracing)
        pg_statement(doc, "UploadTraces", "Allow",
                     pg_strings("xray:PutTraceSegments", "xray:PutTelemetryRecords", NULL),
                     pg_strings("*", NULL));

    cJSON *policy = pg_resource(out, primary, "aws_iam_role_policy", "migration_lambda");
    cJSON_AddStringToObject(policy, "name", pg_name(out, NULL, "migration-lambda", 128));
    cJSON_AddStringToObject(policy, "role", role_name);
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));
    return policy;
}
