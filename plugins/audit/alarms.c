/* SPDX-License-Identifier: Apache-2.0 */
/* alarms.c - security events worth a page (CIS AWS Foundations 4.x; PCI DSS
 * 10.4.1): metric filters on the trail's log group and an alarm on each, to
 * the primary region's alarm topic. */
#include "audit.h"

typedef struct security_event {
    const char *label, *kind, *metric, *pattern, *description;
} security_event;

static const security_event events[] = {
    {"unauthorized_calls", "unauthorized-calls", "UnauthorizedApiCalls",
     "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }",
     "API calls refused for missing permissions"},
    {"root_usage", "root-usage", "RootAccountUsage",
     "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && "
     "$.eventType != \"AwsServiceEvent\" }",
     "the account's root user was used"},
    {"iam_policy_changes", "iam-policy-changes", "IamPolicyChanges",
     "{ ($.eventName = PutRolePolicy) || ($.eventName = DeleteRolePolicy) || "
     "($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || "
     "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || "
     "($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || "
     "($.eventName = PutUserPolicy) || ($.eventName = AttachUserPolicy) }",
     "an IAM policy was created, changed or attached"},
    {"security_group_changes", "sg-changes", "SecurityGroupChanges",
     "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
     "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
     "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
     "a security group was created, changed or deleted"},
    {"kms_key_disabled", "kms-key-disabled", "KmsKeyDisabledOrScheduled",
     "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
     "($.eventName = ScheduleKeyDeletion)) }",
     "a KMS key was disabled or scheduled for deletion"},
};

#define AUDIT_NAMESPACE "Payment/Audit"

void audit_security_alarms(trail *t, const cJSON *log_group)
{
    pg_out *out = t->out;
    const char *topic = pg_lookup(t->ctx, t->r, "monitoring.topic_arn");
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
        const security_event *e = &events[i];
        cJSON *mf = pg_resource(out, t->r, "aws_cloudwatch_log_metric_filter", e->label,
                                PG_STR("name", pg_name(out, NULL, e->kind, 512)),
                                PG_REF("log_group_name", log_group, "name"),
                                PG_STR("pattern", e->pattern),
                                PG_BLOCK("metric_transformation",
                                         PG_STR("name", e->metric),
                                         PG_STR("namespace", AUDIT_NAMESPACE),
                                         PG_STR("value", "1")));

        const char *kind = pg_printf(out, "alarm-%s", e->kind);
        cJSON *a = pg_resource(out, t->r, "aws_cloudwatch_metric_alarm",
                               pg_printf(out, "audit_%s", e->label),
                               PG_STR("alarm_name", pg_name(out, t->r, kind, 255)),
                               PG_STR("alarm_description", e->description),
                               PG_STR("namespace", AUDIT_NAMESPACE),
                               PG_STR("metric_name", e->metric),
                               PG_STR("statistic", "Sum"),
                               PG_INT("period", 300),
                               PG_INT("evaluation_periods", 1),
                               PG_INT("threshold", 1),
                               PG_STR("comparison_operator", "GreaterThanOrEqualToThreshold"),
                               /* no matching event publishes no data point: that is the quiet case */
                               PG_STR("treat_missing_data", "notBreaching"),
                               PG_DEPENDS_ON(mf),
                               PG_NAME(kind));
        if (topic)
            pg_set(out, a,
                   PG_STRS("alarm_actions", topic),
                   PG_STRS("ok_actions", topic));
    }
}
