/* SPDX-License-Identifier: Apache-2.0 */
/* rotation.c - the master secret rotates on a schedule, always (PCI DSS
 * 8.3.9, 8.6.3). Without a rotation function of the operator's
 * (database.rotation_lambda_arn), the stack deploys AWS's own single-user
 * PostgreSQL rotation function from the Serverless Application Repository
 * ("Rotation function templates", Secrets Manager User Guide:
 * SecretsManagerRDSPostgreSQLRotationSingleUser) in the primary's data
 * subnets, with a security group that reaches the database and the Secrets
 * Manager endpoint only; the database admits that group. The application's
 * version is pinned (database.rotation_app_version): an unpinned stack takes
 * whatever is latest when it is created and never moves after. The ARN is
 * the aws partition's; aws-cn and aws-us-gov publish it under other
 * accounts. */
#include "aurora.h"

#include <string.h>

#define ROTATION_APP                                                                               \
    "arn:%s:serverlessrepo:us-east-1:297356227824:applications/"                                  \
    "SecretsManagerRDSPostgreSQLRotationSingleUser"

/* "${join(",", [a, b, c])}" of a JSON array of references. */
static const char *joined(pg_out *out, const cJSON *list)
{
    const char *items = "";
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const char *one = aurora_inner(out, it->valuestring);
        items = *items ? pg_printf(out, "%s, %s", items, one) : one;
    }
    return pg_printf(out, "${join(\",\", [%s])}", items);
}

static cJSON *rotation_group(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                             const aurora_net *net, long port)
{
    const char *vpc_id = pg_need(ctx, r, "vpc.id");
    if (!vpc_id)
        return NULL;
    cJSON *sg = pg_resource(out, r, "aws_security_group", "db_rotation",
                            PG_STR("name", pg_name(out, r, "db-rotation-sg", 255)),
                            PG_STR("description",
                                   "Secrets Manager rotation function: the database and AWS APIs"),
                            PG_STR("vpc_id", vpc_id),
                            PG_NAME("db-rotation-sg"));
    pg_resource(out, r, "aws_vpc_security_group_egress_rule", "db_rotation_https",
                PG_REF("security_group_id", sg, "id"),
                PG_STR("description", "HTTPS to Secrets Manager (endpoint or NAT)"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", 443),
                PG_INT("to_port", 443),
                PG_STR("cidr_ipv4", "0.0.0.0/0"),
                PG_NAME("sgr-db-rotation-https"));
    /* An adopted cluster lives in today's VPC, across the Transit Gateway:
     * by its CIDR (its group admits the primary's VPC already). */
    const char *legacy_cidr = net->legacy_security_group ? pg_lookup(ctx, r, "legacy.cidr") : NULL;
    pg_resource(out, r, "aws_vpc_security_group_egress_rule", "db_rotation_postgres",
                PG_REF("security_group_id", sg, "id"),
                PG_STR("description", "PostgreSQL to the primary's database"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_IF(legacy_cidr, PG_STR("cidr_ipv4", legacy_cidr)),
                PG_IF(!legacy_cidr,
                      PG_REF("referenced_security_group_id", net->security_group, "id")),
                PG_NAME("sgr-db-rotation-postgres"));
    if (legacy_cidr)
        return sg;
    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_rotation",
                PG_REF("security_group_id", net->security_group, "id"),
                PG_STR("description", "PostgreSQL from the secret's rotation function"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_REF("referenced_security_group_id", sg, "id"),
                PG_NAME("db-from-rotation"));
    return sg;
}

/* The ARN of the function that rotates: the operator's, or the one the
 * stack deploys. NULL after an error. */
static const char *rotation_function(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                                     const aurora_net *net, long port)
{
    if (*cfg->rotation_lambda)
        return cfg->rotation_lambda;
    const pg_region *r = pg_ctx_primary(ctx);
    const char *partition = pg_need(ctx, NULL, "aws.partition");
    const char *key = pg_need(ctx, r, "kms.database.arn");
    const cJSON *subnets = pg_need_list(ctx, r, "vpc.data_subnet_ids");
    if (!partition || !key || !subnets)
        return NULL;
    cJSON *sg = rotation_group(ctx, out, r, net, port);
    if (!sg)
        return NULL;
    cJSON *app = pg_resource(
        out, r, "aws_serverlessapplicationrepository_cloudformation_stack", "db_rotation",
        PG_STR("name", pg_name(out, NULL, "db-rotation", 128)),
        PG_STR("application_id", pg_printf(out, ROTATION_APP, partition)),
        PG_STR("semantic_version", cfg->rotation_app_version),
        /* the template makes the function's role and its resource policy */
        PG_STRS("capabilities", "CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"),
        PG_MAP("parameters",
               PG_STR("endpoint", pg_printf(out, "https://secretsmanager.%s.amazonaws.com",
                                            r->name)),
               PG_STR("functionName", pg_name(out, NULL, "db-rotation", 64)),
               PG_STR("vpcSubnetIds", joined(out, subnets)),
               PG_STR("vpcSecurityGroupIds", pg_ref(out, sg, "id")),
               PG_STR("kmsKeyArn", key)),
        PG_NAME("db-rotation"));
    return pg_printf(out, "${%s.outputs[\"RotationLambdaARN\"]}", pg_address(out, app));
}

int aurora_rotation(const pg_ctx *ctx, pg_out *out, const aurora_config *cfg,
                    const aurora_secret *s, const aurora_net *net, long port, const cJSON *version)
{
    const char *function = rotation_function(ctx, out, cfg, net, port);
    if (!function)
        return -1;
    /* Without a version (today's credentials go in by hand, docs/database.md)
     * the first rotation waits for its schedule instead of rotating a secret
     * that holds nothing yet. */
    cJSON *rotation =
        pg_resource(out, pg_ctx_primary(ctx), "aws_secretsmanager_secret_rotation", "db_master",
                    PG_REF("secret_id", s->secret, "id"),
                    PG_STR("rotation_lambda_arn", function),
                    PG_IF(!version, PG_BOOL("rotate_immediately", false)),
                    PG_BLOCK("rotation_rules",
                             PG_INT("automatically_after_days", cfg->rotation_days)));
    if (version)
        pg_set(out, rotation, PG_DEPENDS_ON(version));
    return 0;
}
