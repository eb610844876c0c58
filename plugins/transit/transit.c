/* SPDX-License-Identifier: Apache-2.0 */
/* transit - inter-region connectivity through Transit Gateways (R3), from the
 * migration phase on, and the connection of the legacy VPC to the primary
 * Transit Gateway in the phases the legacy plugin marks connected (then the
 * primary's gateway exists in the legacy phase too). See docs/network.md.
 *
 * Per active region: a Transit Gateway that accepts nothing on its own
 * (auto_accept_shared_attachments, default route table association and
 * propagation all "disable"), one route table of our own, and the VPC
 * attached on its app subnets (a TGW attachment takes one subnet per AZ; the
 * app subnets are that one subnet, and the attachment reaches every subnet of
 * the VPC, the data tier included), associated with that route table.
 *
 * The primary peers with every secondary: the peering attachment is requested
 * in the primary (peer_region, peer_transit_gateway_id) and accepted under the
 * secondary's provider, otherwise it waits in pendingAcceptance forever. The
 * peering attachment is associated with the route tables on both sides, and
 * static routes (peering attachments do not propagate) send the peer's VPC
 * CIDR to the peering attachment and the local VPC CIDR to the VPC attachment.
 * Every private (app and data) route table of each VPC gets the peer's CIDR
 * via its Transit Gateway. Secondaries are not peered with each other.
 *
 * The legacy VPC: link.c.
 *
 * Publishes, per region: transit.gateway_id; in the primary, while the
 * legacy VPC is attached with security group referencing,
 * transit.referencing_attachments. */
#include <string.h>

#include "transit.h"

#define MAX_REGIONS 8

/* references: security group referencing on the gateway and the VPC
 * attachment (the primary's, when the legacy VPC is attached with it). */
static int add_hub(const pg_ctx *ctx, pg_out *out, hub *h, size_t index, bool references)
{
    const pg_region *r = h->r;
    const char *vpc_id = pg_need(ctx, r, "vpc.id");
    const cJSON *subnets = pg_need_list(ctx, r, "vpc.app_subnet_ids");
    h->cidr = pg_need(ctx, r, "vpc.cidr");
    if (!vpc_id || !subnets || !h->cidr)
        return -1;

    h->tgw = pg_resource(out, r, "aws_ec2_transit_gateway", "main",
                         PG_STR("description", pg_printf(out, "%s %s transit gateway (%s)",
                                                         pg_ctx_project(ctx),
                                                         pg_ctx_environment(ctx), r->name)),
                         /* A private ASN per region: distinct, so a later move to
                          * dynamic routing does not collide. */
                         PG_INT("amazon_side_asn", 64512 + index),
                         PG_STR("auto_accept_shared_attachments", "disable"),
                         PG_STR("default_route_table_association", "disable"),
                         PG_STR("default_route_table_propagation", "disable"),
                         PG_STR("dns_support", "enable"),
                         PG_STR("vpn_ecmp_support", "enable"),
                         PG_IF(references, PG_STR("security_group_referencing_support", "enable")),
                         PG_NAME("tgw"));

    h->rt = pg_resource(out, r, "aws_ec2_transit_gateway_route_table", "main",
                        PG_REF("transit_gateway_id", h->tgw, "id"),
                        PG_NAME("tgw-rt"));

    h->vpc_attachment = pg_resource(out, r, "aws_ec2_transit_gateway_vpc_attachment", "main",
                                    PG_REF("transit_gateway_id", h->tgw, "id"),
                                    PG_STR("vpc_id", vpc_id),
                                    PG_JSON("subnet_ids", cJSON_Duplicate(subnets, true)),
                                    PG_STR("dns_support", "enable"),
                                    PG_BOOL("transit_gateway_default_route_table_association", false),
                                    PG_BOOL("transit_gateway_default_route_table_propagation", false),
                                    PG_IF(references,
                                          PG_STR("security_group_referencing_support", "enable")),
                                    PG_NAME("tgw-attach-vpc"));

    pg_resource(out, r, "aws_ec2_transit_gateway_route_table_association", "vpc",
                PG_REF("transit_gateway_attachment_id", h->vpc_attachment, "id"),
                PG_REF("transit_gateway_route_table_id", h->rt, "id"));

    pg_resource(out, r, "aws_ec2_transit_gateway_route", "local_vpc",
                PG_STR("destination_cidr_block", h->cidr),
                PG_REF("transit_gateway_attachment_id", h->vpc_attachment, "id"),
                PG_REF("transit_gateway_route_table_id", h->rt, "id"));

    pg_publish_string(out, r, "transit.gateway_id", pg_ref(out, h->tgw, "id"));
    pg_output(out, pg_printf(out, "transit_gateway_id_%s", r->code), pg_ref(out, h->tgw, "id"),
              pg_printf(out, "Transit Gateway id in %s", r->name));
    return 0;
}

int transit_vpc_routes(const pg_ctx *ctx, pg_out *out, const hub *local, const char *cidr,
                       const char *to)
{
    static const char *const tiers[] = {"app", "data"};
    for (size_t t = 0; t < 2; t++) {
        const cJSON *list =
            pg_need_list(ctx, local->r, pg_printf(out, "vpc.%s_route_table_ids", tiers[t]));
        if (!list)
            return -1;
        /* vpc publishes the tables in AZ order: label them like vpc does */
        size_t i = 0;
        const cJSON *rt;
        cJSON_ArrayForEach(rt, list) {
            if (i >= local->r->az_count)
                break;
            const char *az = local->r->azs[i++];
            size_t len = strlen(az);
            if (!len || !cJSON_IsString(rt))
                continue;
            pg_resource(out, local->r, "aws_route",
                        pg_printf(out, "tgw_%s_%c_to_%s", tiers[t], az[len - 1], to),
                        PG_STR("route_table_id", rt->valuestring),
                        PG_STR("destination_cidr_block", cidr),
                        PG_REF("transit_gateway_id", local->tgw, "id"),
                        PG_DEPENDS_ON(local->vpc_attachment));
        }
    }
    return 0;
}

static void add_peering(pg_out *out, const hub *p, hub *s)
{
    const char *to = pg_printf(out, "peering_to_%s", s->r->code);
    const char *from = pg_printf(out, "peering_from_%s", p->r->code);

    cJSON *req = pg_resource(out, p->r, "aws_ec2_transit_gateway_peering_attachment", to,
                             PG_REF("transit_gateway_id", p->tgw, "id"),
                             PG_STR("peer_region", s->r->name),
                             PG_REF("peer_transit_gateway_id", s->tgw, "id"),
                             PG_NAME(pg_printf(out, "tgw-peering-%s", s->r->code)));

    cJSON *acc = pg_resource(out, s->r, "aws_ec2_transit_gateway_peering_attachment_accepter", from,
                             PG_REF("transit_gateway_attachment_id", req, "id"),
                             PG_NAME(pg_printf(out, "tgw-peering-%s", p->r->code)));
    s->accepter = acc;

    /* Both sides: associate the peering attachment with the region's route
     * table, then route the peer's CIDR to it. Only once accepted. */
    const struct {
        const hub *local, *remote;
        const char *label, *attachment;
    } sides[] = {
        {p, s, to, pg_ref(out, req, "id")},
        {s, p, from, pg_ref(out, acc, "transit_gateway_attachment_id")},
    };
    for (size_t i = 0; i < 2; i++) {
        pg_resource(out, sides[i].local->r, "aws_ec2_transit_gateway_route_table_association",
                    sides[i].label,
                    PG_STR("transit_gateway_attachment_id", sides[i].attachment),
                    PG_REF("transit_gateway_route_table_id", sides[i].local->rt, "id"),
                    PG_DEPENDS_ON(acc));

        pg_resource(out, sides[i].local->r, "aws_ec2_transit_gateway_route", sides[i].label,
                    PG_STR("destination_cidr_block", sides[i].remote->cidr),
                    PG_STR("transit_gateway_attachment_id", sides[i].attachment),
                    PG_REF("transit_gateway_route_table_id", sides[i].local->rt, "id"),
                    PG_DEPENDS_ON(acc));
    }
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    legacy_link link;
    if (transit_legacy_read(ctx, &link) < 0)
        return -1;
    /* The legacy phase has one region: a hub only to attach the legacy VPC. */
    if (pg_ctx_phase(ctx) == PG_PHASE_LEGACY && !link.connected)
        return 0;
    size_t n = pg_ctx_region_count(ctx);
    if (n > MAX_REGIONS)
        return pg_fail(out, "at most %d regions are supported", MAX_REGIONS);
    hub hubs[MAX_REGIONS] = {{0}};
    for (size_t i = 0; i < n; i++) {
        hubs[i].r = pg_ctx_region(ctx, i);
        /* Referencing works between attachments of one gateway, in one
         * region: the primary's, where the legacy VPC is attached. */
        if (add_hub(ctx, out, &hubs[i], i, link.references && hubs[i].r->primary) < 0)
            return -1;
    }
    /* hubs[0] is the primary: the core lists it first. */
    for (size_t i = 1; i < n; i++) {
        add_peering(out, &hubs[0], &hubs[i]);
        if (transit_vpc_routes(ctx, out, &hubs[0], hubs[i].cidr, hubs[i].r->code) < 0 ||
            transit_vpc_routes(ctx, out, &hubs[i], hubs[0].cidr, hubs[0].r->code) < 0)
            return -1;
    }
    return link.connected ? transit_legacy_connect(ctx, out, &link, hubs, n) : 0;
}

static const pg_publication publishes[] = {
    {"transit.gateway_id", PG_REGIONAL, PG_KIND_STRING},
    /* primary, only while the legacy VPC is attached with security group
     * referencing: the addresses of the attachments that carry it */
    {"transit.referencing_attachments", PG_REGIONAL, PG_KIND_LIST},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"vpc", "legacy", NULL};

PG_PLUGIN_DEFINE("transit", "1.1.0", "Apache-2.0",
                 "Transit Gateway per region, VPC attachments, inter-region peering and routes, "
                 "and the legacy VPC attached to the primary",
                 publishes, needs, NULL, 0, contribute)
