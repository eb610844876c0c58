/* SPDX-License-Identifier: Apache-2.0 */
/* network.c - one region's database network: subnet group on the data tier,
 * a security group that admits the database port only from the application
 * tier (and, while today's VPC is connected, from today's application), and
 * the cluster parameter group that makes TLS mandatory (and carries the
 * logging and audit parameters of logs.c).
 *
 * When today's Aurora cluster is adopted (legacy.database.move "adopt") the
 * primary's cluster stays in today's VPC with today's subnet group: the
 * primary then gets no subnet group and no group in the new VPC, but one
 * group in today's VPC that admits the new platform, which the adopted
 * cluster wears beside today's groups.
 *
 * Groups are referenced across VPCs only where AWS allows it: across the
 * primary Transit Gateway, in one region, with security group referencing on
 * at the gateway and both attachments (transit does that when
 * legacy.security_group_references is true); everything else is admitted by
 * CIDR. https://aws.amazon.com/blogs/networking-and-content-delivery/introducing-security-group-referencing-for-aws-transit-gateway/ */
#include "aurora.h"

#include <string.h>

/* Today's VPC as the legacy plugin publishes it in the primary region. */
typedef struct legacy_net {
    const char *vpc_id, *cidr; /* NULL: no legacy VPC described */
    bool connected;            /* attached in this phase (legacy.subnet_ids published) */
    bool references;           /* legacy.security_group_references is "true" */
} legacy_net;

static legacy_net legacy_read(const pg_ctx *ctx)
{
    const pg_region *p = pg_ctx_primary(ctx);
    const char *refs = pg_lookup(ctx, p, "legacy.security_group_references");
    legacy_net l = {
        .vpc_id = pg_lookup(ctx, p, "legacy.vpc_id"),
        .cidr = pg_lookup(ctx, p, "legacy.cidr"),
        .connected = pg_lookup(ctx, p, "legacy.subnet_ids") != NULL,
        .references = refs && !strcmp(refs, "true"),
    };
    return l;
}

static bool adopts(const pg_ctx *ctx)
{
    const char *move = pg_lookup(ctx, NULL, "legacy.database.move");
    return move && !strcmp(move, "adopt");
}

/* A rule of region r that references a group across the primary Transit
 * Gateway may exist only where transit enabled security group referencing
 * (the primary, while today's VPC is attached); it waits for the attachments
 * that carry the option, or EC2 refuses the group as being in another
 * network. NULL after reporting why the reference is not possible. */
static cJSON *referencing_attachments(const pg_ctx *ctx, pg_out *out, const pg_region *r)
{
    const cJSON *atts = r->primary ? pg_lookup_list(ctx, r, "transit.referencing_attachments")
                                   : NULL;
    if (!atts) {
        pg_fail_at(out, "legacy.security_group_references",
                   "a rule in %s would reference a security group across networks that are "
                   "not connected in the %s phase: Transit Gateway security group referencing "
                   "works only between VPCs attached to one gateway in one region with the "
                   "option on (today's VPC and the primary's); set it to false to admit by CIDR",
                   r->name, pg_ctx_phase_name(ctx));
        return NULL;
    }
    return cJSON_Duplicate(atts, true);
}

/* The new cluster in the new VPC admits today's application while today's
 * VPC is connected: from legacy.cidr, or by its groups with references (a
 * list expression whose length is known at plan time, hence for_each). */
static int legacy_ingress(const pg_ctx *ctx, pg_out *out, const pg_region *r, const cJSON *sg,
                          const legacy_net *l, long port)
{
    if (!r->primary || !l->vpc_id || !l->connected)
        return 0;
    if (!l->references) {
        pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_legacy",
                    PG_REF("security_group_id", sg, "id"),
                    PG_STR("description", "PostgreSQL from today's VPC across the Transit Gateway"),
                    PG_STR("ip_protocol", "tcp"),
                    PG_INT("from_port", port),
                    PG_INT("to_port", port),
                    PG_STR("cidr_ipv4", l->cidr),
                    PG_NAME("db-from-legacy"));
        return 0;
    }
    const char *ids = pg_need(ctx, r, "legacy.security_group_ids");
    cJSON *wait = ids ? referencing_attachments(ctx, out, r) : NULL;
    if (!wait)
        return -1;
    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_legacy",
                PG_STR("for_each", pg_printf(out, "${toset(%s)}", aurora_inner(out, ids))),
                PG_REF("security_group_id", sg, "id"),
                PG_STR("description", "PostgreSQL from today's application tier"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_STR("referenced_security_group_id", "${each.value}"),
                PG_JSON("depends_on", wait),
                PG_NAME("db-from-legacy"));
    return 0;
}

/* The adopted cluster's one new group, in today's VPC: the port from every
 * active region's VPC, by the primary's application group when references
 * are on (same region, across the gateway) and by CIDR otherwise (never
 * across the inter-region peering). */
static cJSON *adopted_group(const pg_ctx *ctx, pg_out *out, const pg_region *p,
                            const legacy_net *l, long port)
{
    if (!l->vpc_id || !l->cidr) {
        pg_fail_at(out, "legacy.vpc_id", "is empty, but the adopted cluster lives in today's VPC");
        return NULL;
    }
    cJSON *sg = pg_resource(
        out, p, "aws_security_group", "database_legacy",
        PG_STR("name", pg_name(out, p, "db-legacy-sg", 255)),
        PG_STR("description",
               pg_printf(out, "Adopted Aurora PostgreSQL: %ld from the new platform's VPCs", port)),
        PG_STR("vpc_id", l->vpc_id),
        PG_NAME("db-legacy-sg"));
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        bool by_group = l->references && r->primary;
        const char *source = pg_need(ctx, r, by_group ? "vpc.app_security_group_id" : "vpc.cidr");
        cJSON *wait = by_group && source ? referencing_attachments(ctx, out, r) : NULL;
        if (!source || (by_group && !wait))
            return NULL;
        pg_resource(out, p, "aws_vpc_security_group_ingress_rule",
                    pg_printf(out, "database_legacy_from_%s", r->code),
                    PG_REF("security_group_id", sg, "id"),
                    PG_STR("description",
                           pg_printf(out, "PostgreSQL from the application tier in %s", r->name)),
                    PG_STR("ip_protocol", "tcp"),
                    PG_INT("from_port", port),
                    PG_INT("to_port", port),
                    PG_IF(by_group, PG_STR("referenced_security_group_id", source)),
                    PG_IF(!by_group, PG_STR("cidr_ipv4", source)),
                    PG_IF(by_group, PG_JSON("depends_on", wait)),
                    PG_NAME(pg_printf(out, "db-legacy-from-%s", r->code)));
    }
    /* The primary's application group allows the database port only inside
     * its VPC; the adopted cluster is in today's. An egress rule cannot
     * reference a group across a Transit Gateway, hence the CIDR. */
    const char *app_sg = pg_need(ctx, p, "vpc.app_security_group_id");
    if (!app_sg)
        return NULL;
    pg_resource(out, p, "aws_vpc_security_group_egress_rule", "app_postgres_legacy",
                PG_STR("security_group_id", app_sg),
                PG_STR("description", "PostgreSQL to the adopted cluster in today's VPC"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_STR("cidr_ipv4", l->cidr),
                PG_NAME("app-to-legacy-db"));
    return sg;
}

static cJSON *parameter_group(pg_out *out, const pg_region *r, const aurora_config *cfg)
{
    static const struct {
        const char *name, *value;
    } params[] = {
        {"rds.force_ssl", "1"}, /* Aurora PostgreSQL defaults to 0 */
        {"ssl_min_protocol_version", "TLSv1.2"},
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
    aurora_log_parameters(out, cfg, pg);
    return pg;
}

int aurora_network(const pg_ctx *ctx, pg_out *out, const pg_region *r, const aurora_config *cfg,
                   aurora_net *net)
{
    *net = (aurora_net){0};
    const legacy_net l = legacy_read(ctx);
    long port = aurora_port(ctx);

    if (r->primary && adopts(ctx)) {
        net->legacy_security_group = adopted_group(ctx, out, r, &l, port);
        if (!net->legacy_security_group)
            return -1;
        net->security_group = net->legacy_security_group;
        net->parameter_group = parameter_group(out, r, cfg);
        return 0;
    }

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
        PG_STR("description",
               pg_printf(out, "Aurora PostgreSQL: %ld from the application tier only", port)),
        PG_STR("vpc_id", vpc_id),
        PG_NAME("db-sg"));

    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "postgres_app",
                PG_REF("security_group_id", net->security_group, "id"),
                PG_STR("description", "PostgreSQL from the application tier"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_STR("referenced_security_group_id", app_sg),
                PG_NAME("db-from-app"));
    /* The applications of every region write to the global database's
     * writer, which a switchover or failover may put in this region: their
     * VPCs reach it across the Transit Gateway, by CIDR (security groups
     * cannot be referenced across regions). */
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *other = pg_ctx_region(ctx, i);
        if (other == r)
            continue;
        pg_resource(out, r, "aws_vpc_security_group_ingress_rule",
                    pg_printf(out, "postgres_from_%s", other->code),
                    PG_REF("security_group_id", net->security_group, "id"),
                    PG_STR("description",
                           pg_printf(out, "PostgreSQL from the application tier in %s",
                                     other->name)),
                    PG_STR("ip_protocol", "tcp"),
                    PG_INT("from_port", port),
                    PG_INT("to_port", port),
                    PG_STR("cidr_ipv4", other->cidr),
                    PG_NAME(pg_printf(out, "db-from-%s", other->code)));
    }
    if (legacy_ingress(ctx, out, r, net->security_group, &l, port) < 0)
        return -1;

    net->parameter_group = parameter_group(out, r, cfg);
    return 0;
}
