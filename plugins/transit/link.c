/* SPDX-License-Identifier: Apache-2.0 */
/* link.c - today's VPC (the legacy plugin's legacy.*) attached to the
 * primary Transit Gateway, in the phases the legacy plugin marks connected
 * by publishing legacy.subnet_ids: legacy and migration, and production when
 * the adopted cluster stays in that VPC.
 *
 * - The attachment on legacy.subnet_ids (one subnet per AZ), associated with
 *   the primary's route table like the new VPC's, and the static route
 *   legacy.cidr -> that attachment.
 * - Each secondary's route table sends legacy.cidr to its peering with the
 *   primary; the primary's table already sends each secondary's CIDR there,
 *   so the legacy VPC reaches every region through the one attachment.
 * - Every legacy route table (legacy.route_table_ids) gets every active
 *   region's CIDR via the primary Transit Gateway, and every private route
 *   table of every new VPC gets legacy.cidr via its own gateway.
 *
 * Tables paygen does not own get separate aws_route resources: Terraform
 * manages those routes only, never the rest of the table. */
#include <stdio.h>
#include <string.h>

#include "transit.h"

int transit_legacy_read(const pg_ctx *ctx, legacy_link *link)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    *link = (legacy_link){0};
    link->subnet_ids = pg_lookup(ctx, primary, "legacy.subnet_ids");
    if (!link->subnet_ids)
        return 0;
    link->vpc_id = pg_need(ctx, primary, "legacy.vpc_id");
    link->cidr = pg_need(ctx, primary, "legacy.cidr");
    const char *references = pg_need(ctx, primary, "legacy.security_group_references");
    if (!link->vpc_id || !link->cidr || !references)
        return -1;
    link->route_table_ids = pg_lookup_list(ctx, primary, "legacy.route_table_ids");
    link->references = !strcmp(references, "true");
    link->connected = true;
    return 0;
}

/* "rtb-0a1b..." -> "rtb_0a1b...": the table's own id labels its routes, so
 * listing one more table never renames the routes of the others. */
static const char *id_label(pg_out *out, const char *id)
{
    char label[64]; /* rtb- and 17 hex digits: the legacy plugin checks the form */
    snprintf(label, sizeof label, "%s", id);
    for (char *c = label; *c; c++)
        if (*c == '-')
            *c = '_';
    return pg_printf(out, "%s", label);
}

int transit_legacy_connect(const pg_ctx *ctx, pg_out *out, const legacy_link *link,
                           const hub *hubs, size_t count)
{
    const hub *p = &hubs[0];
    /* Security group referencing must be on at the gateway and at both
     * attachments, and works in one region only, never across a peering:
     * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-security */
    cJSON *att = pg_resource(out, p->r, "aws_ec2_transit_gateway_vpc_attachment", "legacy",
                             PG_REF("transit_gateway_id", p->tgw, "id"),
                             PG_STR("vpc_id", link->vpc_id),
                             /* a list expression: its length is known at plan time */
                             PG_STR("subnet_ids", link->subnet_ids),
                             PG_STR("dns_support", "enable"),
                             PG_BOOL("transit_gateway_default_route_table_association", false),
                             PG_BOOL("transit_gateway_default_route_table_propagation", false),
                             PG_IF(link->references,
                                   PG_STR("security_group_referencing_support", "enable")),
                             PG_NAME("tgw-attach-legacy"));

    pg_resource(out, p->r, "aws_ec2_transit_gateway_route_table_association", "legacy",
                PG_REF("transit_gateway_attachment_id", att, "id"),
                PG_REF("transit_gateway_route_table_id", p->rt, "id"));
    pg_resource(out, p->r, "aws_ec2_transit_gateway_route", "legacy",
                PG_STR("destination_cidr_block", link->cidr),
                PG_REF("transit_gateway_attachment_id", att, "id"),
                PG_REF("transit_gateway_route_table_id", p->rt, "id"));

    for (size_t i = 1; i < count; i++) {
        const hub *s = &hubs[i];
        pg_resource(out, s->r, "aws_ec2_transit_gateway_route", "legacy",
                    PG_STR("destination_cidr_block", link->cidr),
                    PG_REF("transit_gateway_attachment_id", s->accepter,
                           "transit_gateway_attachment_id"),
                    PG_REF("transit_gateway_route_table_id", s->rt, "id"),
                    PG_DEPENDS_ON(s->accepter));
    }

    /* Today's tables: every active region through the primary gateway. A
     * route to a gateway needs the VPC attached first. */
    const cJSON *rt;
    cJSON_ArrayForEach(rt, link->route_table_ids) {
        if (!cJSON_IsString(rt))
            continue;
        for (size_t i = 0; i < count; i++)
            pg_resource(out, p->r, "aws_route",
                        pg_printf(out, "legacy_%s_to_%s", id_label(out, rt->valuestring),
                                  hubs[i].r->code),
                        PG_STR("route_table_id", rt->valuestring),
                        PG_STR("destination_cidr_block", hubs[i].cidr),
                        PG_REF("transit_gateway_id", p->tgw, "id"),
                        PG_DEPENDS_ON(att));
    }

    /* The new VPCs' private tables: today's VPC through their own gateway. */
    for (size_t i = 0; i < count; i++)
        if (transit_vpc_routes(ctx, out, &hubs[i], link->cidr, "legacy") < 0)
            return -1;

    /* A rule that references a group across the gateway is refused until
     * both attachments carry the option: its writer depends on them. */
    if (link->references)
        pg_publish(out, p->r, "transit.referencing_attachments",
                   pg_strings(pg_address(out, p->vpc_attachment), pg_address(out, att)));
    return 0;
}
