/* network.c - one region's database network: subnet group on the data tier,
 * a security group that admits 5432 only from the application tier (and,
 * while they exist, the legacy application groups), and the cluster
 * parameter group that makes TLS mandatory. */
#include "aurora.h"

static cJSON *ingress(pg_out *out, const pg_region *r, const cJSON *sg, const char *label,
                      const char *kind, const char *source, const char *description)
{
    cJSON *rule = pg_resource(out, r, "aws_vpc_security_group_ingress_rule", label);
    cJSON_AddStringToObject(rule, "security_group_id", pg_ref(out, sg, "id"));
    cJSON_AddStringToObject(rule, "description", description);
    cJSON_AddStringToObject(rule, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(rule, "from_port", AURORA_PORT);
    cJSON_AddNumberToObject(rule, "to_port", AURORA_PORT);
    cJSON_AddStringToObject(rule, "referenced_security_group_id", source);
    pg_tag_name(rule, pg_name(out, r, kind, 256));
    return rule;
}

/* legacy.security_group_ids is a JSON array of expressions; a single
 * expression (a list-valued attribute) is handled with for_each. */
static void legacy_ingress(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *sg)
{
    const cJSON *ids = pg_lookup(ctx, r, "legacy.security_group_ids");
    if (cJSON_IsString(ids)) {
        cJSON *rule = ingress(out, r, sg, "postgres_legacy", "db-from-legacy", "${each.value}",
                              "PostgreSQL from the legacy application tier");
        cJSON_AddStringToObject(
            rule, "for_each", pg_printf(out, "${toset(%s)}", aurora_inner(out, ids->valuestring)));
        return;
    }
    size_t n = 0;
    const cJSON *id;
    cJSON_ArrayForEach(id, ids)
    {
        if (!cJSON_IsString(id))
            continue;
        n++;
        ingress(out, r, sg, pg_printf(out, "postgres_legacy_%zu", n),
                pg_printf(out, "db-from-legacy-%zu", n), id->valuestring,
                "PostgreSQL from the legacy application tier");
    }
}

static cJSON *parameter_group(const pg_ctx *ctx, pg_out *out, const pg_region *r,
                              const aurora_cfg *cfg)
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
    (void)ctx;
    /* The family is part of the name so that a major upgrade can create the
     * new group next to the old one. */
    const char *major = cfg->family + sizeof "aurora-postgresql" - 1;
    cJSON *pg = pg_resource(out, r, "aws_rds_cluster_parameter_group", "main");
    cJSON_AddStringToObject(pg, "name", pg_name(out, r, pg_printf(out, "db-pg%s", major), 255));
    cJSON_AddStringToObject(pg, "family", cfg->family);
    cJSON_AddStringToObject(pg, "description", "TLS-only connections and audit logging");
    cJSON *list = cJSON_AddArrayToObject(pg, "parameter");
    for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", params[i].name);
        cJSON_AddStringToObject(p, "value", params[i].value);
        /* pending-reboot is accepted for static and dynamic parameters alike;
         * a new cluster starts with the group's values in force. */
        cJSON_AddStringToObject(p, "apply_method", "pending-reboot");
        cJSON_AddItemToArray(list, p);
    }
    pg_tag_name(pg, pg_name(out, r, pg_printf(out, "db-pg%s", major), 256));
    cJSON *lc = cJSON_AddObjectToObject(pg, "lifecycle");
    cJSON_AddBoolToObject(lc, "create_before_destroy", true);
    return pg;
}

int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_cfg *cfg,
                   aurora_net *net)
{
    const cJSON *subnets = pg_lookup(ctx, r, "vpc.data_subnet_ids");
    const char *vpc_id = pg_lookup_string(ctx, r, "vpc.id");
    const char *app_sg = pg_lookup_string(ctx, r, "vpc.app_security_group_id");
    if (!cJSON_IsArray(subnets) || !vpc_id || !app_sg) {
        pg_error(out,
                 "region %s: vpc.id, vpc.data_subnet_ids and vpc.app_security_group_id must "
                 "be published by the vpc plugin",
                 r->name);
        return -1;
    }

    net->subnet_group = pg_resource(out, r, "aws_db_subnet_group", "main");
    cJSON_AddStringToObject(net->subnet_group, "name", pg_name(out, r, "db-subnets", 255));
    cJSON_AddStringToObject(net->subnet_group, "description", "Aurora on the data-tier subnets");
    cJSON_AddItemToObject(net->subnet_group, "subnet_ids", cJSON_Duplicate(subnets, true));
    pg_tag_name(net->subnet_group, pg_name(out, r, "db-subnets", 256));

    /* No inline rules: every rule is its own resource, so adding one never
     * rewrites the others. No egress: the database initiates nothing. */
    net->security_group = pg_resource(out, r, "aws_security_group", "database");
    cJSON_AddStringToObject(net->security_group, "name", pg_name(out, r, "db-sg", 255));
    cJSON_AddStringToObject(net->security_group, "description",
                            "Aurora PostgreSQL: 5432 from the application tier only");
    cJSON_AddStringToObject(net->security_group, "vpc_id", vpc_id);
    pg_tag_name(net->security_group, pg_name(out, r, "db-sg", 256));

    ingress(out, r, net->security_group, "postgres_app", "db-from-app", app_sg,
            "PostgreSQL from the application tier");
    legacy_ingress(ctx, out, r, net->security_group);

    net->parameter_group = parameter_group(ctx, out, r, cfg);
    return 0;
}
