/* SPDX-License-Identifier: Apache-2.0 */
/* endpoints.c - egress without an internet path: interface endpoints in the
 * app subnets with private DNS, behind their own security group, and the S3
 * gateway endpoint on every private route table.
 *
 * The gateway endpoint carries all of the region's S3 traffic from those
 * subnets, so its policy is where the cardholder data environment is kept
 * from writing to buckets of other accounts (review m7): this account's
 * buckets, and reading ECR's image layers, which live in an AWS-owned bucket
 * ("Minimum Amazon S3 bucket permissions for Amazon ECR",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
 * A gateway endpoint's policy names principal "*" only; who may act is for
 * the roles' own policies. */
#include "vpc.h"

/* Interface endpoints a private Fargate workload needs with no internet path:
 * image pulls (ecr.api, ecr.dkr; layers come through the S3 gateway), task
 * logs, KMS, secrets, STS for the task role, CloudWatch metrics. */
static const struct {
    const char *label;
    const char *service;
    const char *kind; /* name part */
} interface_endpoints[] = {
    {"ecr_api", "ecr.api", "vpce-ecr-api"},
    {"ecr_dkr", "ecr.dkr", "vpce-ecr-dkr"},
    {"logs", "logs", "vpce-logs"},
    {"kms", "kms", "vpce-kms"},
    {"secretsmanager", "secretsmanager", "vpce-secretsmanager"},
    {"sts", "sts", "vpce-sts"},
    {"monitoring", "monitoring", "vpce-monitoring"},
};

/* This account's buckets; ECR's layers of the region. */
static const char *s3_endpoint_policy(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    if (!account || !partition)
        return NULL;
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "s3_endpoint",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "ThisAccountsBuckets"),
                                  PG_STR("effect", "Allow"),
                                  PG_PRINCIPALS("*", "*"),
                                  PG_STRS("actions", "s3:*"),
                                  PG_STRS("resources", "*"),
                                  PG_CONDITION("StringEquals", "aws:ResourceAccount", account)),
                         PG_BLOCK("statement",
                                  PG_STR("sid", "EcrImageLayers"),
                                  PG_STR("effect", "Allow"),
                                  PG_PRINCIPALS("*", "*"),
                                  PG_STRS("actions", "s3:GetObject"),
                                  PG_STRS("resources",
                                          pg_printf(out, "arn:%s:s3:::prod-%s-starport-layer-bucket/*",
                                                    partition, r->name))));
    return pg_ref(out, doc, "json");
}

int vpc_add_endpoints(const pg_ctx *ctx, pg_out *out, network *n)
{
    const pg_region *r = n->r;
    const char *s3_policy = s3_endpoint_policy(ctx, out, r);
    if (!s3_policy)
        return -1;
    cJSON *sg = pg_resource(out, r, "aws_security_group", "endpoints",
                            PG_STR("name", pg_name(out, NULL, "sg-endpoints", 255)),
                            PG_STR("description", "Interface VPC endpoints: HTTPS from inside the VPC"),
                            PG_REF("vpc_id", n->vpc, "id"),
                            PG_NAME("sg-endpoints"));
    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "endpoints_https",
                PG_REF("security_group_id", sg, "id"),
                PG_STR("description", "HTTPS to AWS APIs from the VPC"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", 443),
                PG_INT("to_port", 443),
                PG_STR("cidr_ipv4", r->cidr),
                PG_NAME("sgr-endpoints-https"));

    id_list app_subnets = vpc_ids(out, n->subnets[TIER_APP], AZS);
    for (size_t i = 0; i < sizeof interface_endpoints / sizeof *interface_endpoints; i++)
        pg_resource(out, r, "aws_vpc_endpoint", interface_endpoints[i].label,
                    PG_REF("vpc_id", n->vpc, "id"),
                    PG_STR("service_name", pg_printf(out, "com.amazonaws.%s.%s", r->name,
                                                     interface_endpoints[i].service)),
                    PG_STR("vpc_endpoint_type", "Interface"),
                    PG_BOOL("private_dns_enabled", true),
                    PG_STRV("subnet_ids", app_subnets.items, app_subnets.count),
                    PG_STRS("security_group_ids", pg_ref(out, sg, "id")),
                    PG_NAME(interface_endpoints[i].kind));

    /* S3 (ECR image layers, buckets) through the gateway endpoint, on every
     * private route table: a prefix-list route, not a route to the internet. */
    cJSON *private_rts[2 * AZS];
    for (size_t a = 0; a < AZS; a++) {
        private_rts[a] = n->app_rt[a];
        private_rts[AZS + a] = n->data_rt[a];
    }
    id_list rts = vpc_ids(out, private_rts, 2 * AZS);
    n->s3_endpoint = pg_resource(out, r, "aws_vpc_endpoint", "s3",
                PG_REF("vpc_id", n->vpc, "id"),
                PG_STR("service_name", pg_printf(out, "com.amazonaws.%s.s3", r->name)),
                PG_STR("vpc_endpoint_type", "Gateway"),
                PG_STRV("route_table_ids", rts.items, rts.count),
                PG_STR("policy", s3_policy),
                PG_NAME("vpce-s3"));
    return 0;
}
