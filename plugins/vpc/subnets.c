/* SPDX-License-Identifier: Apache-2.0 */
/* subnets.c - the VPC and its subnets: block tier*4 + az of the region's CIDR
 * split into 16 (see the layout in vpc.c). */
#include "vpc.h"

#include <stdio.h>
#include <string.h>

static const char *const tier_names[TIER_COUNT] = {"public", "app", "data"};

/* "10.10.0.0/16" -> address and prefix; the core validated the text. */
static bool parse_cidr(const char *text, unsigned *addr, unsigned *prefix)
{
    unsigned a, b, c, d, n;
    if (!text || sscanf(text, "%3u.%3u.%3u.%3u/%2u", &a, &b, &c, &d, &n) != 5 || a > 255 ||
        b > 255 || c > 255 || d > 255 || n > 28)
        return false;
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    *prefix = n;
    return true;
}

/* The subnet of a tier in an AZ: block tier*4 + az of the /(prefix+4) split. */
static const char *subnet_cidr(pg_out *out, const pg_region *r, int tier, size_t az)
{
    unsigned addr, prefix;
    if (!parse_cidr(r->cidr, &addr, &prefix))
        return "";
    unsigned sub = prefix + 4;
    unsigned a = addr + ((unsigned)(tier * 4 + (int)az) << (32 - sub));
    return pg_printf(out, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, sub);
}

const char *vpc_az_letter(pg_out *out, const char *az)
{
    size_t n = strlen(az);
    return pg_printf(out, "%c", n ? az[n - 1] : 'x');
}

id_list vpc_ids(pg_out *out, cJSON *const *blocks, size_t count)
{
    id_list ids = {.count = 0};
    for (size_t i = 0; i < count && ids.count < sizeof ids.items / sizeof *ids.items; i++)
        ids.items[ids.count++] = pg_ref(out, blocks[i], "id");
    return ids;
}

void vpc_add_vpc(pg_out *out, network *n)
{
    n->vpc = pg_resource(out, n->r, "aws_vpc", "main",
                         PG_STR("cidr_block", n->r->cidr),
                         PG_BOOL("enable_dns_support", true),
                         PG_BOOL("enable_dns_hostnames", true),
                         PG_STR("instance_tenancy", "default"),
                         PG_NAME("vpc"));
}

void vpc_add_subnets(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    for (int t = 0; t < TIER_COUNT; t++)
        for (size_t a = 0; a < AZS; a++) {
            const char *letter = vpc_az_letter(out, r->azs[a]);
            n->subnets[t][a] =
                pg_resource(out, r, "aws_subnet", pg_printf(out, "%s_%s", tier_names[t], letter),
                            PG_REF("vpc_id", n->vpc, "id"),
                            PG_STR("cidr_block", subnet_cidr(out, r, t, a)),
                            PG_STR("availability_zone", r->azs[a]),
                            /* Nothing gets a public address by accident, not even
                             * in the public tier: only load balancers live there. */
                            PG_BOOL("map_public_ip_on_launch", false),
                            PG_NAME(pg_printf(out, "subnet-%s-%s", tier_names[t], letter)));
        }
}
