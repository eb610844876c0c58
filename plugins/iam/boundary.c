/* boundary.c - the permissions boundary that caps every role of a region.
 *
 * A boundary grants nothing by itself; a role can do only what both its own
 * policies and the boundary allow. So the service plugins stay free to attach
 * their least-privilege policies, and a mistake in one of them cannot reach
 * beyond this list: the service actions the platform's roles may ever need,
 * each named explicitly (never "*" or "service:*" in an Allow), on resources
 * of this account, these regions and this environment's buckets. Resource "*"
 * appears only for actions AWS cannot scope to a resource: reads, and writes
 * narrowed by a condition (metric namespace, region). */
#include "iam.h"

#include <string.h>

/* One Allow statement: exact actions on resources of this account, one set
 * per active region. A resource is "<service>:<resource part of the ARN>". */
typedef struct grant {
    const char *sid;
    const char *const *actions;
    const char *const *resources;
} grant;

static const char *const logs_actions[] = {
    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
    "logs:PutRetentionPolicy", "logs:DescribeLogStreams", "logs:GetLogEvents", NULL};
static const char *const logs_arns[] = {"logs:log-group:*",
                                        "logs:log-group:*:log-stream:*", NULL};

static const char *const ecr_actions[] = {"ecr:BatchCheckLayerAvailability",
                                          "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", NULL};
static const char *const ecr_arns[] = {"ecr:repository/*", NULL};

static const char *const secrets_actions[] = {"secretsmanager:GetSecretValue",
                                              "secretsmanager:DescribeSecret", NULL};
static const char *const secrets_arns[] = {"secretsmanager:secret:*", NULL};

static const char *const ssm_actions[] = {"ssm:GetParameter", "ssm:GetParameters", NULL};
static const char *const ssm_arns[] = {"ssm:parameter/*", NULL};

static const char *const kms_actions[] = {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                                          "kms:ReEncryptFrom", "kms:ReEncryptTo",
                                          "kms:DescribeKey", NULL};
static const char *const kms_arns[] = {"kms:key/*", NULL};

static const grant grants[] = {
    {"LogsDelivery", logs_actions, logs_arns},
    {"EcrPull", ecr_actions, ecr_arns},
    {"SecretsRead", secrets_actions, secrets_arns},
    {"ParametersRead", ssm_actions, ssm_arns},
    {"KmsUse", kms_actions, kms_arns},
};

/* Route 53 is global: its ARNs carry neither region nor account, and its
 * calls are exempt from the region deny. */
static const char *const route53_zone_actions[] = {"route53:ChangeResourceRecordSets",
                                                   "route53:GetHostedZone",
                                                   "route53:ListResourceRecordSets", NULL};
static const char *const route53_change_actions[] = {"route53:GetChange", NULL};

static cJSON *list(const char *const *items)
{
    cJSON *l = cJSON_CreateArray();
    for (; *items; items++)
        cJSON_AddItemToArray(l, cJSON_CreateString(*items));
    return l;
}

/* arn:<partition>:<service>:<region>:<account>:<resource>, per active region. */
static cJSON *arns(const pg_ctx *ctx, pg_out *out, const char *const *resources)
{
    const char *account = pg_lookup_string(ctx, NULL, "aws.account_id");
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    cJSON *l = cJSON_CreateArray();
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        for (const char *const *p = resources; *p; p++) {
            const char *colon = strchr(*p, ':');
            cJSON_AddItemToArray(l, cJSON_CreateString(pg_printf(
                                        out, "arn:%s:%.*s:%s:%s:%s", partition, (int)(colon - *p), *p,
                                        pg_ctx_region(ctx, i)->name, account, colon + 1)));
        }
    return l;
}

static void add_s3(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    /* Bucket names are <project>-<kind>-<environment>-<suffix>-<code>: only
     * this environment's buckets match. */
    const char *buckets = pg_printf(out, "arn:%s:s3:::%s-*-%s-%s-*", partition, pg_ctx_project(ctx),
                                    pg_ctx_environment(ctx), pg_ctx_suffix(ctx));
    pg_statement(doc, "S3Buckets", "Allow",
                 pg_strings("s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning",
                            "s3:GetReplicationConfiguration", NULL),
                 pg_strings(buckets, NULL));
    pg_statement(doc, "S3Objects", "Allow",
                 pg_strings("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                            "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                            "s3:GetObjectVersionTagging", "s3:GetObjectRetention",
                            "s3:GetObjectLegalHold", "s3:ReplicateObject", "s3:ReplicateDelete",
                            "s3:ReplicateTags", NULL),
                 pg_strings(pg_printf(out, "%s/*", buckets), NULL));
}

static void add_route53(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    const char *partition = pg_lookup_string(ctx, NULL, "aws.partition");
    pg_statement(doc, "Route53Weights", "Allow", list(route53_zone_actions),
                 pg_strings(pg_printf(out, "arn:%s:route53:::hostedzone/*", partition), NULL));
    pg_statement(doc, "Route53Changes", "Allow", list(route53_change_actions),
                 pg_strings(pg_printf(out, "arn:%s:route53:::change/*", partition), NULL));
}

static cJSON *active_region_names(const pg_ctx *ctx)
{
    cJSON *regions = cJSON_CreateArray();
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        cJSON_AddItemToArray(regions, cJSON_CreateString(pg_ctx_region(ctx, i)->name));
    return regions;
}

/* Actions AWS authorises on resource "*" only. Reads stand alone; each write
 * carries a condition that narrows it instead of a resource. */
static void add_unscoped(const pg_ctx *ctx, cJSON *doc)
{
    pg_statement(doc, "ReadWithoutResourceScope", "Allow",
                 pg_strings("ecr:GetAuthorizationToken", "logs:DescribeLogGroups", NULL),
                 pg_strings("*", NULL));

    size_t n = pg_ctx_list_count(ctx, "iam.metric_namespaces");
    if (n) {
        cJSON *namespaces = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(namespaces, cJSON_CreateString(pg_ctx_list_item(
                                                 ctx, "iam.metric_namespaces", i)));
        cJSON *st = pg_statement(doc, "MetricsInPlatformNamespaces", "Allow",
                                 pg_strings("cloudwatch:PutMetricData", NULL), pg_strings("*", NULL));
        pg_statement_condition(st, "StringLike", "cloudwatch:namespace", namespaces);
    }

    /* Trace upload of the migration function (active tracing). */
    cJSON *st = pg_statement(doc, "TracesInProfileRegions", "Allow",
                             pg_strings("xray:PutTraceSegments", "xray:PutTelemetryRecords", NULL),
                             pg_strings("*", NULL));
    pg_statement_condition(st, "StringEquals", "aws:RequestedRegion", active_region_names(ctx));
}

static cJSON *boundary_document(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "boundary");

    /* Nothing outside the profile's regions, except global calls. */
    cJSON *st = pg_statement(doc, "DenyOutsideProfileRegions", "Deny", NULL, pg_strings("*", NULL));
    cJSON *global = list(route53_zone_actions);
    cJSON_AddItemToArray(global, cJSON_CreateString("route53:GetChange"));
    cJSON_AddItemToArray(global, cJSON_CreateString("sts:GetCallerIdentity"));
    cJSON_AddItemToObject(st, "not_actions", global);
    pg_statement_condition(st, "StringNotEquals", "aws:RequestedRegion", active_region_names(ctx));

    /* No workload may change identities or the organisation, nor destroy or
     * disable a key: those belong to the platform team's pipeline. */
    pg_statement(doc, "DenyIdentityAndKeyDestruction", "Deny",
                 pg_strings("iam:*", "organizations:*", "kms:ScheduleKeyDeletion", "kms:DisableKey",
                            "kms:DisableKeyRotation", "kms:PutKeyPolicy", NULL),
                 pg_strings("*", NULL));

    for (size_t i = 0; i < sizeof grants / sizeof *grants; i++)
        pg_statement(doc, grants[i].sid, "Allow", list(grants[i].actions),
                     arns(ctx, out, grants[i].resources));
    add_route53(ctx, out, doc);
    add_s3(ctx, out, doc);

    add_unscoped(ctx, doc);
    return doc;
}

cJSON *iam_boundary(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    cJSON *doc = boundary_document(ctx, out, r);
    cJSON *p = pg_resource(out, r, "aws_iam_policy", "boundary");
    /* Policy names are global like role names. */
    const char *name = pg_name(out, r, "boundary", 128);
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "path", pg_printf(out, "/%s/", pg_ctx_project(ctx)));
    cJSON_AddStringToObject(p, "description",
                            pg_printf(out, "Permissions boundary of every %s role in %s",
                                      pg_ctx_project(ctx), r->name));
    cJSON_AddStringToObject(p, "policy", pg_ref(out, doc, "json"));
    pg_tag_name(p, name);
    return p;
}
