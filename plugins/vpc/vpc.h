/* SPDX-License-Identifier: Apache-2.0 */
/* vpc.h - what vpc.c hands down to the files that write one part of a
 * region's network each. The helpers include only this header, never vpc.c's
 * settings: what they need (egress mode, retention) comes as arguments. */
#ifndef PG_VPC_H
#define PG_VPC_H

#include <paygen/paygen.h>

#define AZS 3

enum tier { TIER_PUBLIC = 0, TIER_APP = 1, TIER_DATA = 2, TIER_COUNT = 3 };

/* One region's network, filled in the order vpc.c calls the helpers. */
typedef struct network {
    const pg_region *r;
    cJSON *vpc;
    cJSON *subnets[TIER_COUNT][AZS];
    cJSON *public_rt;
    cJSON *app_rt[AZS], *data_rt[AZS];
    cJSON *igw;
    cJSON *app_sg;
    cJSON *s3_endpoint; /* the S3 gateway endpoint, NULL without endpoints */
} network;

/* subnets.c: the VPC and its nine subnets (the layout of vpc.c's comment). */
void vpc_add_vpc(pg_out *out, network *n);
void vpc_add_subnets(pg_out *out, network *n);
/* "${<block>.id}" of up to 2 * AZS blocks, in the order given: for list
 * arguments (PG_STRV) and the lists vpc.c publishes. */
typedef struct id_list {
    const char *items[2 * AZS];
    size_t count;
} id_list;
id_list vpc_ids(pg_out *out, cJSON *const *blocks, size_t count);
/* "us-east-1b" -> "b": labels follow the zone, not its position. */
const char *vpc_az_letter(pg_out *out, const char *az);

/* routing.c: internet gateway, route tables and associations; with nat, an EIP,
 * a NAT gateway and a default route per AZ. */
void vpc_add_routing(pg_out *out, network *n, bool nat);

/* endpoints.c: interface endpoints in the app subnets, the S3 gateway. */
int vpc_add_endpoints(const pg_ctx *ctx, pg_out *out, network *n);

/* security_groups.c: the emptied default group, the application group. */
void vpc_add_default_security_group(pg_out *out, network *n);
/* db_port: the port every database cluster listens on; nat: the private
 * subnets reach the internet (network.egress nat or both). After
 * vpc_add_endpoints. */
void vpc_add_app_security_group(const pg_ctx *ctx, pg_out *out, network *n, long db_port,
                                bool nat);

/* flow_logs.c: an encrypted log group, the role's policy, the flow log;
 * -1 when kms or iam did not publish what it needs. */
int vpc_add_flow_logs(const pg_ctx *ctx, pg_out *out, network *n, long retention_days);

#endif
