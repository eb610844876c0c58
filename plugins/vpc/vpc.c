/* SPDX-License-Identifier: Apache-2.0 */
/* vpc - one VPC per active region, its subnets, routing, egress, flow logs and
 * the shared application security group (R2). See docs/network.md.
 *
 * Subnet layout. The region's CIDR (/16../24, checked by the core) is split
 * into 16 equal blocks of /(prefix+4); block number tier*4 + az holds the
 * subnet of that tier in that availability zone:
 *
 *     block  0  1  2  3 | 4  5  6  7 | 8  9 10 11 | 12 13 14 15
 *     tier   public   - | app      - | data     - | spare
 *
 * For 10.10.0.0/16 that is public 10.10.0.0/20, 10.10.16.0/20, 10.10.32.0/20;
 * app 10.10.64.0/20, .80.0/20, .96.0/20; data 10.10.128.0/20, .144.0/20,
 * .160.0/20. Blocks 3, 7, 11 (a fourth AZ) and 12-15 (a new tier, e.g.
 * dedicated Transit Gateway subnets) stay free, so growing never renumbers an
 * existing subnet. The smallest VPC (/24) gets /28 subnets, the AWS minimum.
 *
 * Routing. One public route table (default route to the internet gateway: the
 * public tier exists only for the load balancers). One route table per AZ for
 * the app tier and one per AZ for the data tier, whatever the egress mode, so
 * switching network.egress never replaces a route table or an association.
 * Data route tables never get a route to the internet.
 *
 * Egress of private workloads (network.egress):
 *   endpoints (default)  interface endpoints (ecr.api, ecr.dkr, logs, kms,
 *                        secretsmanager, sts, monitoring) in the app subnets
 *                        with private DNS, and the S3 gateway endpoint on
 *                        every private route table; no path to the internet
 *                        from the cardholder data environment.
 *   nat                  an EIP and a NAT gateway in each AZ's public
 *                        subnet; each app route table's default route goes
 *                        to its own AZ's NAT gateway (an AZ outage does not
 *                        cut the others off).
 *   both                 both of the above.
 *
 * Publishes, per region: vpc.id, vpc.cidr, vpc.public_subnet_ids,
 * vpc.app_subnet_ids, vpc.data_subnet_ids, vpc.app_route_table_ids,
 * vpc.data_route_table_ids, vpc.app_security_group_id.
 *
 * One file per part: subnets.c (the VPC and the layout above), routing.c,
 * endpoints.c, security_groups.c, flow_logs.c; this one reads the settings,
 * calls them region by region and publishes. */
#include "vpc.h"

#include <stdlib.h>
#include <string.h>

typedef struct vpc_config {
    const char *egress;                  /* endpoints | nat | both */
    const char *flow_log_retention_days; /* a CloudWatch Logs period */
} vpc_config;

/* A list of ids in AZ order (transit labels its routes by that order). */
static void publish_ids(pg_out *out, const pg_region *r, const char *name, cJSON *const *blocks)
{
    id_list ids = vpc_ids(out, blocks, AZS);
    pg_publish(out, r, name, cJSON_CreateStringArray(ids.items, (int)ids.count));
}

static void publish(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    pg_publish_refs(out, r, "vpc", n->vpc, "id");
    pg_publish_string(out, r, "vpc.cidr", r->cidr);
    publish_ids(out, r, "vpc.public_subnet_ids", n->subnets[TIER_PUBLIC]);
    publish_ids(out, r, "vpc.app_subnet_ids", n->subnets[TIER_APP]);
    publish_ids(out, r, "vpc.data_subnet_ids", n->subnets[TIER_DATA]);
    publish_ids(out, r, "vpc.app_route_table_ids", n->app_rt);
    publish_ids(out, r, "vpc.data_route_table_ids", n->data_rt);
    pg_publish_string(out, r, "vpc.app_security_group_id", pg_ref(out, n->app_sg, "id"));

    pg_output(out, pg_printf(out, "vpc_id_%s", r->code), pg_ref(out, n->vpc, "id"),
              pg_printf(out, "VPC id in %s", r->name));
}

/* The port the application reaches its database on: an adopted cluster
 * keeps today's (every member of its global database listens on it), a new
 * one listens on PostgreSQL's 5432. */
static long database_port(const pg_ctx *ctx)
{
    const char *move = pg_lookup(ctx, NULL, "legacy.database.move");
    const char *port = pg_lookup(ctx, NULL, "legacy.database.port");
    return move && port && !strcmp(move, "adopt") ? strtol(port, NULL, 10) : 5432;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const vpc_config *cfg = pg_config(ctx);
    long db_port = database_port(ctx);
    long retention_days = strtol(cfg->flow_log_retention_days, NULL, 10);
    bool nat = strcmp(cfg->egress, "endpoints") != 0; /* nat, both */
    bool endpoints = strcmp(cfg->egress, "nat") != 0; /* endpoints, both */

    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        network n = {.r = pg_ctx_region(ctx, i)};
        if (n.r->az_count != AZS)
            return pg_fail(out, "region %s has %zu availability zones; the subnet layout needs %d",
                           n.r->name, n.r->az_count, AZS);
        vpc_add_vpc(out, &n);
        vpc_add_default_security_group(out, &n);
        vpc_add_subnets(out, &n);
        vpc_add_routing(out, &n, nat);
        if (endpoints && vpc_add_endpoints(ctx, out, &n) < 0)
            return -1;
        vpc_add_app_security_group(ctx, out, &n, db_port, nat);
        if (vpc_add_flow_logs(ctx, out, &n, retention_days) < 0)
            return -1;
        publish(out, &n);
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"vpc.id", PG_REGIONAL, PG_KIND_STRING},
    {"vpc.cidr", PG_REGIONAL, PG_KIND_STRING},
    {"vpc.public_subnet_ids", PG_REGIONAL, PG_KIND_LIST},
    {"vpc.app_subnet_ids", PG_REGIONAL, PG_KIND_LIST},
    {"vpc.data_subnet_ids", PG_REGIONAL, PG_KIND_LIST},
    {"vpc.app_route_table_ids", PG_REGIONAL, PG_KIND_LIST},
    {"vpc.data_route_table_ids", PG_REGIONAL, PG_KIND_LIST},
    {"vpc.app_security_group_id", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"kms", "iam", "legacy", NULL};

static const pg_setting settings[] = {
    PG_SETTING_CHOICE("network.egress", vpc_config, egress, "endpoints", "endpoints|nat|both",
                      "egress of private workloads: endpoints (no internet path), nat, or both"),
    /* CloudWatch Logs accepts only these retention periods (days). */
    PG_SETTING_CHOICE("network.flow_log_retention_days", vpc_config, flow_log_retention_days, "365",
                      "1|3|5|7|14|30|60|90|120|150|180|365|400|545|731|1096|1827|2192|2557|2922|"
                      "3288|3653",
                      "days VPC flow logs are kept (a CloudWatch Logs period; PCI 10.5.1 wants 365 "
                      "or more)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("vpc", "1.0.0", "Apache-2.0",
                 "VPC per region: 3-AZ public/app/data subnets, routing, NAT or endpoints, flow logs",
                 publishes, needs, settings, sizeof(vpc_config), contribute)
