/* SPDX-License-Identifier: Apache-2.0 */
/* security_groups.c - the VPC's default group, emptied, and the application
 * tier's group with its egress rules. Groups are written without inline
 * rules, so Terraform removes AWS's default allow-all egress. */
#include "vpc.h"

/* Adopting the default security group empties it: no ingress, no egress
 * (PCI 1.2.8 / FSBP EC2.2). Nothing may use it. */
void vpc_add_default_security_group(pg_out *out, network *n)
{
    pg_resource(out, n->r, "aws_default_security_group", "main",
                PG_REF("vpc_id", n->vpc, "id"),
                PG_STRS("ingress"),
                PG_STRS("egress"),
                PG_NAME("sg-default-denied"));
}

/* The application tier's group: no ingress here (ecs admits the load
 * balancer, aurora admits this group on the database port); egress only to
 * AWS APIs over HTTPS and to the database port inside the VPC, and in every
 * other active region: the applications write to the global database's
 * writer, wherever a switchover or failover has put it (docs/failover.md).
 * With endpoints only (no NAT), HTTPS goes to the VPC, where the interface
 * endpoints are, and to S3's prefix list, where the gateway endpoint
 * leads: nothing else could answer (PCI DSS 1.3.2). With NAT, the
 * application may call out, and the rule says so. */
void vpc_add_app_security_group(const pg_ctx *ctx, pg_out *out, network *n, long db_port,
                                bool nat)
{
    const pg_region *r = n->r;
    n->app_sg = pg_resource(out, r, "aws_security_group", "app",
                            PG_STR("name", pg_name(out, NULL, "sg-app", 255)),
                            PG_STR("description", "Application tier (ECS tasks)"),
                            PG_REF("vpc_id", n->vpc, "id"),
                            PG_NAME("sg-app"));

    pg_resource(out, r, "aws_vpc_security_group_egress_rule", "app_https",
                PG_REF("security_group_id", n->app_sg, "id"),
                PG_STR("description", nat ? "HTTPS to AWS APIs and the internet (NAT)"
                                          : "HTTPS to the interface endpoints in the VPC"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", 443),
                PG_INT("to_port", 443),
                PG_STR("cidr_ipv4", nat ? "0.0.0.0/0" : r->cidr),
                PG_NAME("sgr-app-https"));
    if (!nat && n->s3_endpoint)
        pg_resource(out, r, "aws_vpc_security_group_egress_rule", "app_s3",
                    PG_REF("security_group_id", n->app_sg, "id"),
                    PG_STR("description", "HTTPS to S3 through the gateway endpoint (image layers)"),
                    PG_STR("ip_protocol", "tcp"),
                    PG_INT("from_port", 443),
                    PG_INT("to_port", 443),
                    PG_REF("prefix_list_id", n->s3_endpoint, "prefix_list_id"),
                    PG_NAME("sgr-app-s3"));

    pg_resource(out, r, "aws_vpc_security_group_egress_rule", "app_postgres",
                PG_REF("security_group_id", n->app_sg, "id"),
                PG_STR("description", "PostgreSQL to the database tier"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", db_port),
                PG_INT("to_port", db_port),
                PG_STR("cidr_ipv4", r->cidr),
                PG_NAME("sgr-app-postgres"));

    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *other = pg_ctx_region(ctx, i);
        if (other == r)
            continue;
        pg_resource(out, r, "aws_vpc_security_group_egress_rule",
                    pg_printf(out, "app_postgres_to_%s", other->code),
                    PG_REF("security_group_id", n->app_sg, "id"),
                    PG_STR("description",
                           pg_printf(out, "PostgreSQL to the database tier in %s (the writer, "
                                          "after a switchover)",
                                     other->name)),
                    PG_STR("ip_protocol", "tcp"),
                    PG_INT("from_port", db_port),
                    PG_INT("to_port", db_port),
                    PG_STR("cidr_ipv4", other->cidr),
                    PG_NAME(pg_printf(out, "sgr-app-postgres-%s", other->code)));
    }
}
