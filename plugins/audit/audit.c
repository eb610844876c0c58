/* audit - the account's audit trail (PCI DSS 10.2.1, 10.3.2-10.3.4, 10.5.1).
 *
 * One multi-region CloudTrail trail in the primary region, in every phase:
 * management events of every region, log file validation, log files
 * encrypted with the primary's logs key, a trail bucket of its own (CloudTrail
 * needs its own bucket policy, and the data buckets refuse any key but the
 * storage key), and a copy in a CloudWatch Logs group for the alarms.
 * Teams that already have an organization trail switch it off with
 * audit.trail: false.
 *
 * Needs kms (logs key), iam (the cloudtrail role, whose permissions this
 * plugin attaches) and monitoring (the alarm topic of the primary region, for
 * the security alarms on the trail). Publishes nothing. */
#include <paygen/paygen.h>
#include <string.h>

typedef struct trail {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const char *account, *partition, *name, *key;
    const char *trail_arn; /* built from the name: CloudTrail checks it before the trail exists */
    cJSON *role_policy;    /* the trail waits for its permission to write the log group */
} trail;

static cJSON *bucket_policy_document(trail *t, const cJSON *bucket)
{
    pg_out *out = t->out;
    cJSON *doc = pg_data(out, t->r, "aws_iam_policy_document", "audit_bucket");
    cJSON *st = pg_statement(doc, "CloudTrailAclCheck", "Allow", pg_strings("s3:GetBucketAcl", NULL),
                             pg_strings(pg_ref(out, bucket, "arn"), NULL));
    pg_statement_principal(st, "Service", pg_strings("cloudtrail.amazonaws.com", NULL));
    pg_statement_condition(st, "StringEquals", "aws:SourceArn", pg_strings(t->trail_arn, NULL));
    st = pg_statement(doc, "CloudTrailWrite", "Allow", pg_strings("s3:PutObject", NULL),
                      pg_strings(pg_printf(out, "%s/AWSLogs/%s/*", pg_ref(out, bucket, "arn"), t->account),
                                 NULL));
    pg_statement_principal(st, "Service", pg_strings("cloudtrail.amazonaws.com", NULL));
    pg_statement_condition(st, "StringEquals", "aws:SourceArn", pg_strings(t->trail_arn, NULL));
    pg_statement_condition(st, "StringEquals", "s3:x-amz-acl", pg_strings("bucket-owner-full-control", NULL));
    st = pg_statement(doc, "DenyInsecureTransport", "Deny", pg_strings("s3:*", NULL),
                      pg_strings(pg_ref(out, bucket, "arn"), pg_printf(out, "%s/*", pg_ref(out, bucket, "arn")),
                                 NULL));
    pg_statement_principal(st, "*", pg_strings("*", NULL));
    pg_statement_condition(st, "Bool", "aws:SecureTransport", pg_strings("false", NULL));
    return doc;
}

/* The bucket and its settings; returns the policy, which the trail waits for. */
static cJSON *trail_bucket(trail *t, long retention)
{
    pg_out *out = t->out;
    const pg_region *r = t->r;
    cJSON *b = pg_resource(out, r, "aws_s3_bucket", "audit_trail_logs");
    cJSON_AddStringToObject(b, "bucket", pg_name(out, r, "cloudtrail", 63));
    cJSON_AddBoolToObject(b, "force_destroy", !pg_ctx_protected(t->ctx));
    pg_tag_name(b, pg_name(out, r, "cloudtrail", 256));
    pg_protect(t->ctx, b);
    const char *id = pg_ref(out, b, "id");

    cJSON *v = pg_resource(out, r, "aws_s3_bucket_versioning", "audit_trail_logs");
    cJSON_AddStringToObject(v, "bucket", id);
    cJSON *vc = cJSON_CreateObject();
    cJSON_AddStringToObject(vc, "status", "Enabled");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(v, "versioning_configuration"), vc);

    cJSON *pab = pg_resource(out, r, "aws_s3_bucket_public_access_block", "audit_trail_logs");
    cJSON_AddStringToObject(pab, "bucket", id);
    static const char *const blocks[] = {"block_public_acls", "block_public_policy",
                                         "ignore_public_acls", "restrict_public_buckets"};
    for (size_t i = 0; i < 4; i++)
        cJSON_AddBoolToObject(pab, blocks[i], true);

    cJSON *own = pg_resource(out, r, "aws_s3_bucket_ownership_controls", "audit_trail_logs");
    cJSON_AddStringToObject(own, "bucket", id);
    cJSON *orule = cJSON_CreateObject();
    cJSON_AddStringToObject(orule, "object_ownership", "BucketOwnerEnforced");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(own, "rule"), orule);

    cJSON *sse = pg_resource(out, r, "aws_s3_bucket_server_side_encryption_configuration", "audit_trail_logs");
    cJSON_AddStringToObject(sse, "bucket", id);
    cJSON *def = cJSON_CreateObject();
    cJSON_AddStringToObject(def, "sse_algorithm", "aws:kms");
    cJSON_AddStringToObject(def, "kms_master_key_id", t->key);
    cJSON *srule = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(srule, "apply_server_side_encryption_by_default"), def);
    cJSON_AddBoolToObject(srule, "bucket_key_enabled", true);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(sse, "rule"), srule);

    cJSON *lc = pg_resource(out, r, "aws_s3_bucket_lifecycle_configuration", "audit_trail_logs");
    cJSON_AddStringToObject(lc, "bucket", id);
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddStringToObject(rule, "id", "retention");
    cJSON_AddStringToObject(rule, "status", "Enabled");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "filter"), cJSON_CreateObject());
    cJSON *exp = cJSON_CreateObject();
    cJSON_AddNumberToObject(exp, "days", (double)retention);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "expiration"), exp);
    cJSON *nce = cJSON_CreateObject();
    cJSON_AddNumberToObject(nce, "noncurrent_days", 30);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "noncurrent_version_expiration"), nce);
    cJSON *abort = cJSON_CreateObject();
    cJSON_AddNumberToObject(abort, "days_after_initiation", 7);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "abort_incomplete_multipart_upload"), abort);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(lc, "rule"), rule);
    cJSON_AddItemToObject(lc, "depends_on", pg_strings(pg_address(out, v), NULL));

    cJSON *doc = bucket_policy_document(t, b);
    cJSON *policy = pg_resource(out, r, "aws_s3_bucket_policy", "audit_trail_logs");
    cJSON_AddStringToObject(policy, "bucket", id);
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));
    cJSON_AddItemToObject(policy, "depends_on", pg_strings(pg_address(out, pab), NULL));
    return policy;
}

/* The CloudWatch Logs copy and the role's permission to write it. */
static cJSON *trail_log_group(trail *t, long retention)
{
    pg_out *out = t->out;
    cJSON *lg = pg_resource(out, t->r, "aws_cloudwatch_log_group", "cloudtrail");
    cJSON_AddStringToObject(lg, "name", pg_printf(out, "/aws/cloudtrail/%s", t->name));
    cJSON_AddNumberToObject(lg, "retention_in_days", (double)retention);
    cJSON_AddStringToObject(lg, "kms_key_id", t->key);
    pg_tag_name(lg, pg_name(out, t->r, "cloudtrail-logs", 256));
    pg_protect(t->ctx, lg);

    cJSON *doc = pg_data(out, t->r, "aws_iam_policy_document", "cloudtrail_logs");
    pg_statement(doc, "DeliverTrailEvents", "Allow",
                 pg_strings("logs:CreateLogStream", "logs:PutLogEvents", NULL),
                 pg_strings(pg_printf(out, "%s:log-stream:*", pg_ref(out, lg, "arn")), NULL));
    cJSON *rp = pg_resource(out, t->r, "aws_iam_role_policy", "cloudtrail_logs");
    cJSON_AddStringToObject(rp, "name", "cloudtrail-logs");
    cJSON_AddStringToObject(rp, "role", pg_lookup_string(t->ctx, t->r, "iam.cloudtrail.name"));
    cJSON_AddStringToObject(rp, "policy", pg_ref(out, doc, "json"));
    t->role_policy = rp;
    return lg;
}

/* Security events worth a page (CIS AWS Foundations 4.x; PCI DSS 10.4.1):
 * metric filters on the trail's log group and an alarm on each. */
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

static void security_alarms(trail *t, const cJSON *log_group)
{
    pg_out *out = t->out;
    const char *topic = pg_lookup_string(t->ctx, t->r, "monitoring.topic_arn");
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
        const security_event *e = &events[i];
        cJSON *mf = pg_resource(out, t->r, "aws_cloudwatch_log_metric_filter", e->label);
        cJSON_AddStringToObject(mf, "name", pg_name(out, NULL, e->kind, 512));
        cJSON_AddStringToObject(mf, "log_group_name", pg_ref(out, log_group, "name"));
        cJSON_AddStringToObject(mf, "pattern", e->pattern);
        cJSON *tr = cJSON_CreateObject();
        cJSON_AddStringToObject(tr, "name", e->metric);
        cJSON_AddStringToObject(tr, "namespace", AUDIT_NAMESPACE);
        cJSON_AddStringToObject(tr, "value", "1");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(mf, "metric_transformation"), tr);

        cJSON *a = pg_resource(out, t->r, "aws_cloudwatch_metric_alarm", pg_printf(out, "audit_%s", e->label));
        const char *name = pg_name(out, t->r, pg_printf(out, "alarm-%s", e->kind), 255);
        cJSON_AddStringToObject(a, "alarm_name", name);
        cJSON_AddStringToObject(a, "alarm_description", e->description);
        cJSON_AddStringToObject(a, "namespace", AUDIT_NAMESPACE);
        cJSON_AddStringToObject(a, "metric_name", e->metric);
        cJSON_AddStringToObject(a, "statistic", "Sum");
        cJSON_AddNumberToObject(a, "period", 300);
        cJSON_AddNumberToObject(a, "evaluation_periods", 1);
        cJSON_AddNumberToObject(a, "threshold", 1);
        cJSON_AddStringToObject(a, "comparison_operator", "GreaterThanOrEqualToThreshold");
        /* no matching event publishes no data point: that is the quiet case */
        cJSON_AddStringToObject(a, "treat_missing_data", "notBreaching");
        if (topic) {
            cJSON_AddItemToObject(a, "alarm_actions", pg_strings(topic, NULL));
            cJSON_AddItemToObject(a, "ok_actions", pg_strings(topic, NULL));
        }
        cJSON_AddItemToObject(a, "depends_on", pg_strings(pg_address(out, mf), NULL));
        pg_tag_name(a, name);
    }
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (!pg_ctx_bool(ctx, "audit.trail"))
        return 0;
    long retention = pg_ctx_int(ctx, "audit.retention_days");
    /* the log group copy takes only CloudWatch's retention periods */
    static const long periods[] = {365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
    bool allowed = false;
    for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
        allowed = allowed || periods[i] == retention;
    if (!allowed) {
        pg_error(out, "audit.retention_days = %ld is not a CloudWatch Logs retention period "
                      "(365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)",
                 retention);
        return -1;
    }
    const pg_region *r = pg_ctx_primary(ctx);
    trail t = {
        .ctx = ctx,
        .out = out,
        .r = r,
        .account = pg_lookup_string(ctx, NULL, "aws.account_id"),
        .partition = pg_lookup_string(ctx, NULL, "aws.partition"),
        .name = pg_name(out, NULL, "trail", 128),
        .key = pg_lookup_string(ctx, r, "kms.logs.arn"),
    };
    const char *role = pg_lookup_string(ctx, r, "iam.cloudtrail.arn");
    if (!t.key || !role) {
        pg_error(out, "needs kms.logs.arn and iam.cloudtrail.arn in %s", r->name);
        return -1;
    }
    t.trail_arn = pg_printf(out, "arn:%s:cloudtrail:%s:%s:trail/%s", t.partition, r->name, t.account, t.name);

    cJSON *policy = trail_bucket(&t, retention);
    cJSON *lg = trail_log_group(&t, retention);
    security_alarms(&t, lg);

    cJSON *ct = pg_resource(out, r, "aws_cloudtrail", "main");
    cJSON_AddStringToObject(ct, "name", t.name);
    cJSON_AddStringToObject(ct, "s3_bucket_name", pg_ref(out, policy, "bucket"));
    cJSON_AddStringToObject(ct, "kms_key_id", t.key);
    cJSON_AddBoolToObject(ct, "is_multi_region_trail", true);
    cJSON_AddBoolToObject(ct, "include_global_service_events", true);
    cJSON_AddBoolToObject(ct, "enable_log_file_validation", true);
    cJSON_AddBoolToObject(ct, "enable_logging", true);
    cJSON_AddStringToObject(ct, "cloud_watch_logs_group_arn", pg_printf(out, "%s:*", pg_ref(out, lg, "arn")));
    cJSON_AddStringToObject(ct, "cloud_watch_logs_role_arn", role);
    cJSON *sel = cJSON_CreateObject();
    cJSON_AddStringToObject(sel, "read_write_type", "All");
    cJSON_AddBoolToObject(sel, "include_management_events", true);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(ct, "event_selector"), sel);
    cJSON_AddItemToObject(ct, "depends_on",
                          pg_strings(pg_address(out, policy), pg_address(out, t.role_policy), NULL));
    pg_tag_name(ct, pg_name(out, r, "trail", 256));
    pg_output(out, "audit_trail_bucket", pg_ref(out, policy, "bucket"), "bucket of the CloudTrail audit trail");
    return 0;
}

static const char *const needs[] = {"kms", "iam", "monitoring", NULL};
static const pg_setting settings[] = {
    {"audit.trail", PG_SETTING_BOOL, "true", 0, 0,
     "write a multi-region CloudTrail trail (false when an organization trail already covers the account)"},
    {"audit.retention_days", PG_SETTING_INT, "400", 365, 3653,
     "days the trail's log files and log group are kept (PCI DSS 10.5.1: at least a year)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("audit", "1.0.0", "multi-region CloudTrail audit trail with log file validation",
                 NULL, needs, settings, contribute)
