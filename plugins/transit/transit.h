/* SPDX-License-Identifier: Apache-2.0 */
/* transit.h - the regional hubs of transit.c and the connection of the
 * legacy VPC to the primary hub (link.c). Neither file calls back into the
 * other's internals. */
#ifndef TRANSIT_H
#define TRANSIT_H

#include <paygen/paygen.h>

typedef struct hub {
    const pg_region *r;
    const char *cidr;
    cJSON *tgw, *rt, *vpc_attachment;
    /* secondaries: the accepted peering with the primary, once made */
    cJSON *accepter;
} hub;

/* The legacy VPC as the legacy plugin publishes it in the primary region.
 * connected: the phase attaches it (legacy.subnet_ids is published). */
typedef struct legacy_link {
    bool connected;
    bool references; /* connected, and legacy.security_group_references is "true" */
    const char *vpc_id, *cidr, *subnet_ids;
    const cJSON *route_table_ids; /* NULL: none listed */
} legacy_link;

/* link.c */
int transit_legacy_read(const pg_ctx *ctx, legacy_link *link);
/* The attachment on the primary hub, the TGW routes of every hub and the
 * routes of the legacy and new VPC route tables. hubs[0] is the primary. */
int transit_legacy_connect(const pg_ctx *ctx, pg_out *out, const legacy_link *link,
                           const hub *hubs, size_t count);
/* The peer's CIDR in every private route table of a hub's VPC; to names the
 * peer in the labels ("use2", "legacy"). */
int transit_vpc_routes(const pg_ctx *ctx, pg_out *out, const hub *local, const char *cidr,
                       const char *to);

#endif
