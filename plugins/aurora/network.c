/* SPDX-License-Identifier: Apache-2.0 */
/* network.c - one region's database network: subnet group on the data tier,
 * a security group that admits 5432 only from the application tier (and,
 * while they exist, the legacy application groups), and the cluster
 * parameter group that makes TLS mandatory. */
#include "aurora.h"

/* Published by the legacy plugin in the primary region of the legacy and
 * migration phases only: one list expression ("${data.aws_security_groups.x.ids}")
 * whose length is known at plan time, hence for_each. */
static void legacy_ingress(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *sg)
{
    const char *ids = pg_lookup(ctx, r, "legacy.security_group_ids");
    if (!ids)
        return;
    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_legacy",
                PG_STR("for_each", pg_printf(out, "${toset(%s)}", aurora_inner(out, ids))),
                PG_REF("security_group_id", sg, "id"),
                PG_STR("description", "PostgreSQL from the legacy application tier"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", AURORA_PORT),
                PG_INT("to_port", AURORA_PORT),
                PG_STR("referenced_security_group_id", "${each.value}"),
                PG_NAME("db-from-legacy"));
}

static cJSON *parameter_group(pg_out *out, const pg_region *r, const aurora_config *cfg)
{
    static const struct {
        const char *name, *value;
    } params[] = {
        {"rds.force_ssl", "1"}, /* Aurora PostgreSQL defaults to 0 */
        {"ssl_min_protocol_version", "TLSv1.2"},
        {"log_connections", "1"},
        {"log_disconnections", "1"},
        {"log_statement", "ddl"},
        {"log_min_duration_statement", "1000"},
    };
    const char *family = aurora_family(out, cfg->engine_version);
    /* The family is part of the name so that a major upgrade can create the
     * new group next to the old one. */
    const char *kind = pg_printf(out, "db-pg%s", family + sizeof "aurora-postgresql" - 1);
    cJSON *pg = pg_resource(out, r, "aws_rds_cluster_parameter_group", "main",
                            PG_STR("name", pg_name(out, r, kind, 255)),
                            PG_STR("family", family),
                            PG_STR("description", "TLS-only connections and audit logging"),
                            PG_NAME(kind),
                            PG_CREATE_BEFORE_DESTROY);
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        /* pending-reboot is accepted for static and dynamic parameters alike;
         * a new cluster starts with the group's values in force. */
        pg_block(out, pg, "parameter",
                 PG_STR("name", params[i].name),
                 PG_STR("value", params[i].value),
                 PG_STR("apply_method", "pending-reboot"));
    return pg;
}

int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                   aurora_net *net)
{
    const cJSON *subnets = pg_need_list(ctx, r, "vpc.data_subnet_ids");
    const char *vpc_id = pg_need(ctx, r, "vpc.id");
    const char *app_sg = pg_need(ctx, r, "vpc.app_security_group_id");
    if (!subnets || !vpc_id || !app_sg)
        return -1;

    net->subnet_group = pg_resource(out, r, "aws_db_subnet_group", "main",
                                    PG_STR("name", pg_name(out, r, "db-subnets", 255)),
                                    PG_STR("description", "Aurora on the data-tier subnets"),
                                    PG_JSON("subnet_ids", cJSON_Duplicate(subnets, true)),
                                    PG_NAME("db-subnets"));

    /* No inline rules: every rule is its own resource, so adding one never
     * rewrites the others. No egress: the database initiates nothing. */
    net->security_group = pg_resource(
        out, r, "aws_security_group", "database",
        PG_STR("name", pg_name(out, r, "db-sg", 255)),
        PG_STR("description", "Aurora PostgreSQL: 5432 from the application tier only"),
        PG_STR("vpc_id", vpc_id),
        PG_NAME("db-sg"));

    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_app",
                PG_REF("security_group_id", net->security_group, "id"),
                PG_STR("description", "PostgreSQL from the application tier"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", AURORA_PORT),
                PG_INT("to_port", AURORA_PORT),
                PG_STR("referenced_security_group_id", app_sg),
                PG_NAME("db-from-app"));
    legacy_ingress(ctx, out, r, net->security_group);

    net->parameter_group = parameter_group(out, r, cfg);
    return 0;
}
