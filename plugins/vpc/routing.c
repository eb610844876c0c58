/* SPDX-License-Identifier: Apache-2.0 */
/* routing.c - the internet gateway, one public route table, one route table
 * per AZ for the app and the data tier, and with NAT egress a NAT gateway per
 * AZ (see "Routing" and "Egress" in vpc.c). */
#include "vpc.h"

static cJSON *route_table(pg_out *out, network *n, const char *label, const char *kind)
{
    return pg_resource(out, n->r, "aws_route_table", label,
                       PG_REF("vpc_id", n->vpc, "id"),
                       PG_NAME(kind));
}

static void associate(pg_out *out, network *n, const char *label, cJSON *subnet, cJSON *rt)
{
    pg_resource(out, n->r, "aws_route_table_association", label,
                PG_REF("subnet_id", subnet, "id"),
                PG_REF("route_table_id", rt, "id"));
}

/* An EIP and a NAT gateway in the AZ's public subnet; the AZ's app tier
 * leaves through it, so an AZ outage does not cut the others off. */
static void add_nat(pg_out *out, network *n, size_t a, const char *letter)
{
    const pg_region *r = n->r;
    cJSON *eip = pg_resource(out, r, "aws_eip", pg_printf(out, "nat_%s", letter),
                             PG_STR("domain", "vpc"),
                             PG_DEPENDS_ON(n->igw),
                             PG_NAME(pg_printf(out, "eip-nat-%s", letter)));
    cJSON *nat = pg_resource(out, r, "aws_nat_gateway", letter,
                             PG_REF("allocation_id", eip, "id"),
                             PG_REF("subnet_id", n->subnets[TIER_PUBLIC][a], "id"),
                             PG_STR("connectivity_type", "public"),
                             PG_DEPENDS_ON(n->igw),
                             PG_NAME(pg_printf(out, "nat-%s", letter)));
    pg_resource(out, r, "aws_route", pg_printf(out, "app_%s_internet", letter),
                PG_REF("route_table_id", n->app_rt[a], "id"),
                PG_STR("destination_cidr_block", "0.0.0.0/0"),
                PG_REF("nat_gateway_id", nat, "id"));
}

void vpc_add_routing(pg_out *out, network *n, bool nat)
{
    const pg_region *r = n->r;
    n->igw = pg_resource(out, r, "aws_internet_gateway", "main",
                         PG_REF("vpc_id", n->vpc, "id"),
                         PG_NAME("igw"));

    n->public_rt = route_table(out, n, "public", "rt-public");
    pg_resource(out, r, "aws_route", "public_internet",
                PG_REF("route_table_id", n->public_rt, "id"),
                PG_STR("destination_cidr_block", "0.0.0.0/0"),
                PG_REF("gateway_id", n->igw, "id"));

    for (size_t a = 0; a < AZS; a++) {
        const char *letter = vpc_az_letter(out, r->azs[a]);
        associate(out, n, pg_printf(out, "public_%s", letter), n->subnets[TIER_PUBLIC][a],
                  n->public_rt);

        n->app_rt[a] = route_table(out, n, pg_printf(out, "app_%s", letter),
                                   pg_printf(out, "rt-app-%s", letter));
        associate(out, n, pg_printf(out, "app_%s", letter), n->subnets[TIER_APP][a], n->app_rt[a]);

        /* The data tier: local routes (and, from the transit plugin, the peer
         * region's CIDR) only. */
        n->data_rt[a] = route_table(out, n, pg_printf(out, "data_%s", letter),
                                    pg_printf(out, "rt-data-%s", letter));
        associate(out, n, pg_printf(out, "data_%s", letter), n->subnets[TIER_DATA][a],
                  n->data_rt[a]);

        if (nat)
            add_nat(out, n, a, letter);
    }
}
