/* transit - inter-region connectivity through Transit Gateways (R3), from the
 * migration phase on; the legacy phase has one region and nothing to connect.
 * See docs/network.md.
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
 * Publishes, per region: transit.gateway_id. */
#include <paygen/paygen.h>
#include <string.h>

#define MAX_REGIONS 8

typedef struct hub {
    const pg_region *r;
    const char *cidr;
    cJSON *tgw, *rt, *vpc_attachment;
} hub;

static cJSON *depends_on(pg_out *out, const cJSON *block)
{
    return pg_strings(pg_address(out, block), NULL);
}

static int add_hub(const pg_ctx *ctx, pg_out *out, hub *h, size_t index)
{
    const pg_region *r = h->r;
    const char *vpc_id = pg_lookup_string(ctx, r, "vpc.id");
    const cJSON *subnets = pg_lookup(ctx, r, "vpc.app_subnet_ids");
    h->cidr = pg_lookup_string(ctx, r, "vpc.cidr");
    if (!vpc_id || !h->cidr || !cJSON_IsArray(subnets) || cJSON_GetArraySize(subnets) == 0) {
        pg_error(out, "the vpc plugin published no vpc.id, vpc.cidr or vpc.app_subnet_ids for %s",
                 r->name);
        return -1;
    }

    h->tgw = pg_resource(out, r, "aws_ec2_transit_gateway", "main");
    cJSON_AddStringToObject(h->tgw, "description",
                            pg_printf(out, "%s %s transit gateway (%s)", pg_ctx_project(ctx),
                                      pg_ctx_environment(ctx), r->name));
    /* A private ASN per region: distinct, so a later move to dynamic routing
     * does not collide. */
    cJSON_AddNumberToObject(h->tgw, "amazon_side_asn", 64512 + (double)index);
    cJSON_AddStringToObject(h->tgw, "auto_accept_shared_attachments", "disable");
    cJSON_AddStringToObject(h->tgw, "default_route_table_association", "disable");
    cJSON_AddStringToObject(h->tgw, "default_route_table_propagation", "disable");
    cJSON_AddStringToObject(h->tgw, "dns_support", "enable");
    cJSON_AddStringToObject(h->tgw, "vpn_ecmp_support", "enable");
    pg_tag_name(h->tgw, pg_name(out, r, "tgw", 256));

    h->rt = pg_resource(out, r, "aws_ec2_transit_gateway_route_table", "main");
    cJSON_AddStringToObject(h->rt, "transit_gateway_id", pg_ref(out, h->tgw, "id"));
    pg_tag_name(h->rt, pg_name(out, r, "tgw-rt", 256));

    h->vpc_attachment = pg_resource(out, r, "aws_ec2_transit_gateway_vpc_attachment", "main");
    cJSON_AddStringToObject(h->vpc_attachment, "transit_gateway_id", pg_ref(out, h->tgw, "id"));
    cJSON_AddStringToObject(h->vpc_attachment, "vpc_id", vpc_id);
    cJSON_AddItemToObject(h->vpc_attachment, "subnet_ids", cJSON_Duplicate(subnets, true));
    cJSON_AddStringToObject(h->vpc_attachment, "dns_support", "enable");
    cJSON_AddBoolToObject(h->vpc_attachment, "transit_gateway_default_route_table_association",
                          false);
    cJSON_AddBoolToObject(h->vpc_attachment, "transit_gateway_default_route_table_propagation",
                          false);
    pg_tag_name(h->vpc_attachment, pg_name(out, r, "tgw-attach-vpc", 256));

    cJSON *assoc = pg_resource(out, r, "aws_ec2_transit_gateway_route_table_association", "vpc");
    cJSON_AddStringToObject(assoc, "transit_gateway_attachment_id",
                            pg_ref(out, h->vpc_attachment, "id"));
    cJSON_AddStringToObject(assoc, "transit_gateway_route_table_id", pg_ref(out, h->rt, "id"));

    cJSON *local = pg_resource(out, r, "aws_ec2_transit_gateway_route", "local_vpc");
    cJSON_AddStringToObject(local, "destination_cidr_block", h->cidr);
    cJSON_AddStringToObject(local, "transit_gateway_attachment_id",
                            pg_ref(out, h->vpc_attachment, "id"));
    cJSON_AddStringToObject(local, "transit_gateway_route_table_id", pg_ref(out, h->rt, "id"));

    pg_publish_string(out, r, "transit.gateway_id", pg_ref(out, h->tgw, "id"));
    pg_output(out, pg_printf(out, "transit_gateway_id_%s", r->code), pg_ref(out, h->tgw, "id"),
              pg_printf(out, "Transit Gateway id in %s", r->name));
    return 0;
}

/* The peer's CIDR in every private route table of the local VPC. */
static int add_vpc_routes(const pg_ctx *ctx, pg_out *out, const hub *local, const hub *peer)
{
    static const char *const tiers[] = {"app", "data"};
    for (size_t t = 0; t < 2; t++) {
        const cJSON *rts = pg_lookup(ctx, local->r, pg_printf(out, "vpc.%s_route_table_ids", tiers[t]));
        if (!cJSON_IsArray(rts)) {
            pg_error(out, "the vpc plugin published no vpc.%s_route_table_ids for %s", tiers[t],
                     local->r->name);
            return -1;
        }
        size_t i = 0;
        const cJSON *rt;
        cJSON_ArrayForEach(rt, rts)
        {
            /* vpc publishes the tables in AZ order: label them like vpc does */
            const char *az = i < local->r->az_count ? local->r->azs[i] : "";
            size_t len = strlen(az);
            i++;
            if (!cJSON_IsString(rt) || !len)
                continue;
            cJSON *route = pg_resource(out, local->r, "aws_route",
                                       pg_printf(out, "tgw_%s_%c_to_%s", tiers[t], az[len - 1],
                                                 peer->r->code));
            cJSON_AddStringToObject(route, "route_table_id", rt->valuestring);
            cJSON_AddStringToObject(route, "destination_cidr_block", peer->cidr);
            cJSON_AddStringToObject(route, "transit_gateway_id", pg_ref(out, local->tgw, "id"));
            cJSON_AddItemToObject(route, "depends_on", depends_on(out, local->vpc_attachment));
        }
    }
    return 0;
}

static void add_peering(pg_out *out, const hub *p, const hub *s)
{
    const char *to = pg_printf(out, "peering_to_%s", s->r->code);
    const char *from = pg_printf(out, "peering_from_%s", p->r->code);

    cJSON *req = pg_resource(out, p->r, "aws_ec2_transit_gateway_peering_attachment", to);
    cJSON_AddStringToObject(req, "transit_gateway_id", pg_ref(out, p->tgw, "id"));
    cJSON_AddStringToObject(req, "peer_region", s->r->name);
    cJSON_AddStringToObject(req, "peer_transit_gateway_id", pg_ref(out, s->tgw, "id"));
    pg_tag_name(req, pg_name(out, p->r, pg_printf(out, "tgw-peering-%s", s->r->code), 256));

    cJSON *acc = pg_resource(out, s->r, "aws_ec2_transit_gateway_peering_attachment_accepter", from);
    cJSON_AddStringToObject(acc, "transit_gateway_attachment_id", pg_ref(out, req, "id"));
    pg_tag_name(acc, pg_name(out, s->r, pg_printf(out, "tgw-peering-%s", p->r->code), 256));

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
        cJSON *assoc = pg_resource(out, sides[i].local->r,
                                   "aws_ec2_transit_gateway_route_table_association", sides[i].label);
        cJSON_AddStringToObject(assoc, "transit_gateway_attachment_id", sides[i].attachment);
        cJSON_AddStringToObject(assoc, "transit_gateway_route_table_id",
                                pg_ref(out, sides[i].local->rt, "id"));
        cJSON_AddItemToObject(assoc, "depends_on", depends_on(out, acc));

        cJSON *route = pg_resource(out, sides[i].local->r, "aws_ec2_transit_gateway_route",
                                   sides[i].label);
        cJSON_AddStringToObject(route, "destination_cidr_block", sides[i].remote->cidr);
        cJSON_AddStringToObject(route, "transit_gateway_attachment_id", sides[i].attachment);
        cJSON_AddStringToObject(route, "transit_gateway_route_table_id",
                                pg_ref(out, sides[i].local->rt, "id"));
        cJSON_AddItemToObject(route, "depends_on", depends_on(out, acc));
    }
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (pg_ctx_phase(ctx) == PG_PHASE_LEGACY)
        return 0;
    size_t n = pg_ctx_region_count(ctx);
    if (n > MAX_REGIONS) {
        pg_error(out, "at most %d regions are supported", MAX_REGIONS);
        return -1;
    }
    hub hubs[MAX_REGIONS] = {{0}};
    for (size_t i = 0; i < n; i++) {
        hubs[i].r = pg_ctx_region(ctx, i);
        if (add_hub(ctx, out, &hubs[i], i) < 0)
            return -1;
    }
    /* hubs[0] is the primary: the core lists it first. */
    for (size_t i = 1; i < n; i++) {
        add_peering(out, &hubs[0], &hubs[i]);
        if (add_vpc_routes(ctx, out, &hubs[0], &hubs[i]) < 0 ||
            add_vpc_routes(ctx, out, &hubs[i], &hubs[0]) < 0)
            return -1;
    }
    return 0;
}

static const char *const provides[] = {"transit", NULL};
static const char *const needs[] = {"vpc", NULL};
static const pg_setting settings[] = {
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("transit", "1.0.0",
                 "Transit Gateway per region, VPC attachments, inter-region peering and routes",
                 provides, needs, settings, contribute)
