/* SPDX-License-Identifier: Apache-2.0 */
/* failover_policy.c - the failover function's role and what it may do.
 *
 * Every statement names its resources, except cloudwatch:GetMetricData,
 * which AWS authorises on "*" only (Service Authorization Reference,
 * Amazon CloudWatch: no resource type for GetMetricData); the function reads
 * two metrics with it, the replication lag and the health check's history.
 * The global-cluster calls name the global cluster and its member clusters,
 * the two resource types a switchover or failover involves (the global
 * cluster, the cluster promoted and the one demoted), so the grant reaches
 * no other global database. */
#include "failover.h"

static cJSON *trust(pg_out *out, const pg_region *r)
{
    /* Lambda documents no source keys for execution roles (the iam
     * plugin's migration role has none either). */
    return pg_data(out, r, "aws_iam_policy_document", "failover_trust",
                   PG_BLOCK("statement",
                            PG_STR("sid", "TrustedService"),
                            PG_STR("effect", "Allow"),
                            PG_STRS("actions", "sts:AssumeRole"),
                            PG_PRINCIPALS("Service", "lambda.amazonaws.com")));
}

cJSON *failover_role(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                     const failover_scope *s, cJSON **role)
{
    /* Named and placed like the iam plugin's roles: role names are global,
     * the region code keeps regions apart. */
    cJSON *trust_doc = trust(out, r);
    *role = pg_resource(out, r, "aws_iam_role", "failover",
                        PG_STR("name", pg_name(out, r, "failover", 64)),
                        PG_STR("path", pg_printf(out, "/%s/", pg_ctx_project(ctx))),
                        PG_STR("description",
                               pg_printf(out, "Aurora global database failover function (%s)",
                                         r->name)),
                        PG_REF("assume_role_policy", trust_doc, "json"),
                        PG_INT("max_session_duration", 3600),
                        /* capped like every role of the platform */
                        PG_STR("permissions_boundary", s->boundary_arn),
                        PG_BOOL("force_detach_policies", true),
                        PG_NAME("failover"));

    cJSON *doc = pg_data(
        out, r, "aws_iam_policy_document", "failover",
        PG_BLOCK("statement",
                 PG_STR("sid", "ReadGlobalCluster"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "rds:DescribeGlobalClusters"),
                 PG_STRS("resources", s->global_cluster_arn)),
        PG_BLOCK("statement",
                 PG_STR("sid", "ReadMemberClusters"),
                 PG_STR("effect", "Allow"),
                 PG_STRS("actions", "rds:DescribeDBClusters"),
                 PG_STRV("resources", s->cluster_arns, s->cluster_count)));
    /* The writer moves only inside this global cluster. */
    const char *members[FAILOVER_MAX_REGIONS + 1] = {s->global_cluster_arn};
    size_t n = 1;
    for (size_t i = 0; i < s->cluster_count && n < sizeof members / sizeof *members; i++)
        members[n++] = s->cluster_arns[i];
    pg_block(out, doc, "statement",
             PG_STR("sid", "MoveGlobalWriter"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"),
             PG_STRV("resources", members, n));

    pg_set(out, doc,
           PG_BLOCK("statement",
                    PG_STR("sid", "ReadRegionHealth"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "route53:GetHealthCheckStatus"),
                    PG_STRV("resources", s->health_check_arns, s->health_check_count)),
           PG_BLOCK("statement",
                    PG_STR("sid", "ReadMetrics"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "cloudwatch:GetMetricData"),
                    PG_STRS("resources", "*")),
           PG_BLOCK("statement",
                    PG_STR("sid", "Notify"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "sns:Publish"),
                    PG_STRS("resources", s->topic_arn)),
           /* A publisher to an encrypted topic needs both on the topic's key
            * (SNS Developer Guide, "Encryption at rest"). */
           PG_BLOCK("statement",
                    PG_STR("sid", "EncryptNotifications"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "kms:GenerateDataKey", "kms:Decrypt"),
                    PG_STRS("resources", s->topic_key_arn)),
           PG_BLOCK("statement",
                    PG_STR("sid", "WriteOwnLogs"),
                    PG_STR("effect", "Allow"),
                    PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                    PG_STRS("resources", pg_printf(out, "%s:*", s->log_group_arn))));

    return pg_resource(out, r, "aws_iam_role_policy", "failover",
                       PG_STR("name", pg_name(out, r, "failover", 128)),
                       PG_REF("role", *role, "name"),
                       PG_REF("policy", doc, "json"));
}
