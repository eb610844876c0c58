/* SPDX-License-Identifier: Apache-2.0 */
/* flow_logs.c - VPC flow logs into a CloudWatch Logs group
 * encrypted with the region's logs key, delivered by the flow_logs role of
 * the iam plugin under a policy scoped to this one group. */
#include "vpc.h"

int vpc_add_flow_logs(const pg_ctx *ctx, pg_out *out, network *n, long retention_days)
{
    const pg_region *r = n->r;
    const char *key = pg_need(ctx, r, "kms.logs.arn");
    const char *role_arn = pg_need(ctx, r, "iam.flow_logs.arn");
    const char *role_name = pg_need(ctx, r, "iam.flow_logs.name");
    if (!key || !role_arn || !role_name)
        return -1;

    cJSON *group = pg_resource(out, r, "aws_cloudwatch_log_group", "flow_logs",
                               PG_STR("name", pg_printf(out, "/aws/vpc/%s",
                                                        pg_name(out, NULL, "flow-logs", 400))),
                               PG_INT("retention_in_days", retention_days),
                               PG_STR("kms_key_id", key),
                               PG_NAME("flow-logs"),
                               /* Audit evidence (PCI 10.5.1): protected like the
                                * audit bucket. */
                               PG_PROTECT);

    /* What the flow_logs role (owned by iam) may do: write into this group
     * and nothing else. Streams are "<group arn>:log-stream:<name>". */
    const char *group_arn = pg_ref(out, group, "arn");
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "vpc_flow_logs",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "FlowLogsDelivery"),
                                  PG_STR("effect", "Allow"),
                                  PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents",
                                          "logs:DescribeLogStreams"),
                                  PG_STRS("resources", group_arn,
                                          pg_printf(out, "%s:*", group_arn))));
    cJSON *policy = pg_resource(out, r, "aws_iam_role_policy", "vpc_flow_logs",
                                PG_STR("name", pg_name(out, r, "flow-logs-delivery", 128)),
                                PG_STR("role", role_name),
                                PG_REF("policy", doc, "json"));

    pg_resource(out, r, "aws_flow_log", "main",
                PG_REF("vpc_id", n->vpc, "id"),
                PG_STR("traffic_type", "ALL"),
                PG_STR("log_destination_type", "cloud-watch-logs"),
                PG_STR("log_destination", group_arn),
                PG_STR("iam_role_arn", role_arn),
                PG_INT("max_aggregation_interval", 60),
                /* The role must be able to write before the first delivery. */
                PG_DEPENDS_ON(policy),
                PG_NAME("flow-log"));
    return 0;
}
