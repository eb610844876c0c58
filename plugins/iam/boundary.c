/* SPDX-License-Identifier: Apache-2.0 */
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

#include <stdarg.h>

/* Route 53 is global: its ARNs carry neither region nor account, and its
 * calls are exempt from the region deny. Reads only: the weights have one
 * owner, Terraform, so no workload role may change a record set. */
#define ROUTE53_ZONE_ACTIONS "route53:GetHostedZone", "route53:ListResourceRecordSets"

/* A list built at run time: the per-region ARNs and the region names. */
typedef struct strings {
    const char *items[64];
    size_t count;
} strings;

static void add(strings *l, const char *item)
{
    if (l->count < sizeof l->items / sizeof *l->items)
        l->items[l->count++] = item;
}

/* iam_arn() of each resource given, in every active region. */
#define arns(ctx, out, ...) arns_(ctx, out, __VA_ARGS__, (const char *)0)
static strings arns_(const pg_ctx *ctx, pg_out *out, ...) PG_SENTINEL;
static strings arns_(const pg_ctx *ctx, pg_out *out, ...)
{
    strings l = {.count = 0};
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        va_list ap;
        va_start(ap, out);
        for (const char *p = va_arg(ap, const char *); p; p = va_arg(ap, const char *))
            add(&l, iam_arn(ctx, out, pg_ctx_region(ctx, i), p));
        va_end(ap);
    }
    return l;
}

static strings active_region_names(const pg_ctx *ctx)
{
    strings l = {.count = 0};
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        add(&l, pg_ctx_region(ctx, i)->name);
    return l;
}

/* Exact actions on resources of this account, in every active region. */
static void add_grants(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    strings logs = arns(ctx, out, "logs:log-group:*", "logs:log-group:*:log-stream:*");
    strings ecr = arns(ctx, out, "ecr:repository/*");
    strings secrets = arns(ctx, out, "secretsmanager:secret:*");
    strings ssm = arns(ctx, out, "ssm:parameter/*");
    strings kms = arns(ctx, out, "kms:key/*");
    pg_block(out, doc, "statement",
             PG_STR("sid", "LogsDelivery"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                     "logs:PutRetentionPolicy", "logs:DescribeLogStreams", "logs:GetLogEvents"),
             PG_STRV("resources", logs.items, logs.count));
    pg_block(out, doc, "statement",
             PG_STR("sid", "EcrPull"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                     "ecr:BatchGetImage"),
             PG_STRV("resources", ecr.items, ecr.count));
    pg_block(out, doc, "statement",
             PG_STR("sid", "SecretsRead"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
             PG_STRV("resources", secrets.items, secrets.count));
    pg_block(out, doc, "statement",
             PG_STR("sid", "ParametersRead"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "ssm:GetParameter", "ssm:GetParameters"),
             PG_STRV("resources", ssm.items, ssm.count));
    /* IAM database authentication of the application user (rds-db:connect
     * names the cluster by its resource id and the user). */
    strings dbusers = arns(ctx, out, "rds-db:dbuser:*/*");
    pg_block(out, doc, "statement",
             PG_STR("sid", "DatabaseConnect"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "rds-db:connect"),
             PG_STRV("resources", dbusers.items, dbusers.count));
    pg_block(out, doc, "statement",
             PG_STR("sid", "KmsUse"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                     "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"),
             PG_STRV("resources", kms.items, kms.count));
}

static void add_route53(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    pg_block(out, doc, "statement",
             PG_STR("sid", "Route53ReadZones"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", ROUTE53_ZONE_ACTIONS),
             PG_STRS("resources", pg_printf(out, "arn:%s:route53:::hostedzone/*", partition)));
    pg_block(out, doc, "statement",
             PG_STR("sid", "Route53Changes"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "route53:GetChange"),
             PG_STRS("resources", pg_printf(out, "arn:%s:route53:::change/*", partition)));
}

static void add_s3(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    /* Bucket names are <project>-<kind>-<code>-<environment>-<suffix>: only
     * this environment's buckets match. */
    const char *buckets = pg_printf(out, "arn:%s:s3:::%s-*-%s-%s", partition, pg_ctx_project(ctx),
                                    pg_ctx_environment(ctx), pg_ctx_suffix(ctx));
    pg_block(out, doc, "statement",
             PG_STR("sid", "S3Buckets"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning",
                     "s3:GetReplicationConfiguration"),
             PG_STRS("resources", buckets));
    pg_block(out, doc, "statement",
             PG_STR("sid", "S3Objects"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                     "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                     "s3:GetObjectVersionTagging", "s3:GetObjectRetention",
                     "s3:GetObjectLegalHold", "s3:ReplicateObject", "s3:ReplicateDelete",
                     "s3:ReplicateTags"),
             PG_STRS("resources", pg_printf(out, "%s/*", buckets)));
}

/* The regional failover function (plugins/failover, docs/failover.md):
 * read the global database and move its writer, read the Route 53 health
 * checks, notify. Only where a global database has secondaries. */
static void add_failover(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    if (pg_ctx_region_count(ctx) < 2)
        return;
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    strings clusters = arns(ctx, out, "rds:cluster:*");
    add(&clusters, pg_printf(out, "arn:%s:rds::%s:global-cluster:*", partition, account));
    strings topics = arns(ctx, out, "sns:*");
    pg_block(out, doc, "statement",
             PG_STR("sid", "GlobalDatabaseWriterMoves"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "rds:DescribeGlobalClusters", "rds:DescribeDBClusters",
                     "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"),
             PG_STRV("resources", clusters.items, clusters.count));
    pg_block(out, doc, "statement",
             PG_STR("sid", "Route53HealthChecksRead"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "route53:GetHealthCheckStatus"),
             PG_STRS("resources", pg_printf(out, "arn:%s:route53:::healthcheck/*", partition)));
    pg_block(out, doc, "statement",
             PG_STR("sid", "NotificationsPublish"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "sns:Publish"),
             PG_STRV("resources", topics.items, topics.count));
}

/* Actions AWS authorises on resource "*" only. Reads stand alone; each write
 * carries a condition that narrows it instead of a resource. */
static void add_unscoped(const pg_ctx *ctx, pg_out *out, cJSON *doc)
{
    const iam_config *cfg = pg_config(ctx);
    strings regions = active_region_names(ctx);
    pg_block(out, doc, "statement",
             PG_STR("sid", "ReadWithoutResourceScope"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "ecr:GetAuthorizationToken", "logs:DescribeLogGroups",
                     "cloudwatch:GetMetricData"),
             PG_STRS("resources", "*"));

    if (cfg->metric_namespaces.count)
        pg_block(out, doc, "statement",
                 PG_STR("sid", "MetricsInPlatformNamespaces"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "cloudwatch:PutMetricData"),
                 PG_STRS("resources", "*"),
                 PG_BLOCK("condition",
                          PG_STR("test", "StringLike"),
                          PG_STR("variable", "cloudwatch:namespace"),
                          PG_STRV("values", cfg->metric_namespaces.items,
                                  cfg->metric_namespaces.count)));

    /* Trace upload of the migration function (active tracing). */
    pg_block(out, doc, "statement",
             PG_STR("sid", "TracesInProfileRegions"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "xray:PutTraceSegments", "xray:PutTelemetryRecords"),
             PG_STRS("resources", "*"),
             PG_BLOCK("condition",
                      PG_STR("test", "StringEquals"),
                      PG_STR("variable", "aws:RequestedRegion"),
                      PG_STRV("values", regions.items, regions.count)));
}

static cJSON *boundary_document(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    strings regions = active_region_names(ctx);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "boundary",
                         /* Nothing outside the profile's regions, except global
                          * calls. */
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DenyOutsideProfileRegions"),
                                  PG_STR("effect", "Deny"),
                                  PG_STRS("resources", "*"),
                                  PG_STRS("not_actions", ROUTE53_ZONE_ACTIONS, "route53:GetChange",
                                          "route53:GetHealthCheckStatus", "sts:GetCallerIdentity"),
                                  PG_BLOCK("condition",
                                           PG_STR("test", "StringNotEquals"),
                                           PG_STR("variable", "aws:RequestedRegion"),
                                           PG_STRV("values", regions.items, regions.count))),
                         /* No workload may change identities or the organisation,
                          * nor destroy or disable a key: those belong to the
                          * platform team's pipeline. */
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DenyIdentityAndKeyDestruction"),
                                  PG_STR("effect", "Deny"),
                                  PG_STRS("actions", "iam:*", "organizations:*",
                                          "kms:ScheduleKeyDeletion", "kms:DisableKey",
                                          "kms:DisableKeyRotation", "kms:PutKeyPolicy"),
                                  PG_STRS("resources", "*")));
    add_grants(ctx, out, doc);
    add_route53(ctx, out, doc);
    add_s3(ctx, out, doc);
    add_failover(ctx, out, doc);
    add_unscoped(ctx, out, doc);
    return doc;
}

cJSON *iam_boundary(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    cJSON *doc = boundary_document(ctx, out, r);
    /* Policy names are global like role names. */
    cJSON *b = pg_resource(out, r, "aws_iam_policy", "boundary",
                           PG_STR("name", pg_name(out, r, "boundary", 128)),
                           PG_STR("path", pg_printf(out, "/%s/", pg_ctx_project(ctx))),
                           PG_STR("description",
                                  pg_printf(out, "Permissions boundary of every %s role in %s",
                                            pg_ctx_project(ctx), r->name)),
                           PG_REF("policy", doc, "json"),
                           PG_NAME("boundary"));
    /* for the roles other plugins make (the failover function's) */
    pg_publish_refs(out, r, "iam.boundary", b, "arn", "name");
    return b;
}
