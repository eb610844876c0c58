/* SPDX-License-Identifier: Apache-2.0 */
/* network.c - where the replication instance sits and whom it may reach.
 *
 * A replication subnet group on the new VPC's data subnets, beside Aurora:
 * those subnets have no internet route, and their route tables carry the
 * legacy CIDR through the Transit Gateway in the phases the legacy VPC is
 * connected (docs/network.md). DMS creates the group's network interfaces
 * through the account's dms-vpc-role, so the group waits for that role's
 * check (access.c).
 *
 * A security group of its own, without ingress (DMS initiates every
 * connection) and with three egress rules: today's database port in the
 * legacy CIDR, Aurora's group on its port, and HTTPS inside the VPC for the
 * Secrets Manager interface endpoint (a replication instance in a private
 * subnet reads endpoint secrets through it from DMS 3.4.7 on: "Configuring
 * VPC endpoints for AWS DMS", CHAP_VPC_Endpoints; the vpc plugin creates it
 * unless network.egress is nat alone, docs/dms.md). Aurora's group admits
 * this one on its port. Every rule is its own resource, as in vpc and
 * aurora, so adding one never rewrites the others. */
#include "dms.h"

#include <stdlib.h>

static cJSON *egress(pg_out *out, const dms_inputs *in, const cJSON *sg, const char *label,
                     const char *kind, const char *description, long port, const char *cidr,
                     const char *group)
{
    return pg_resource(out, in->r, "aws_vpc_security_group_egress_rule", label,
                       PG_REF("security_group_id", sg, "id"),
                       PG_STR("description", description),
                       PG_STR("ip_protocol", "tcp"),
                       PG_INT("from_port", port),
                       PG_INT("to_port", port),
                       PG_IF(cidr, PG_STR("cidr_ipv4", cidr)),
                       PG_IF(group, PG_STR("referenced_security_group_id", group)),
                       PG_NAME(kind));
}

void dms_network(pg_out *out, const dms_inputs *in, const dms_access *a, dms_net *net)
{
    const pg_region *r = in->r;
    long source_port = strtol(in->source_port, NULL, 10);
    long aurora_port = strtol(in->aurora_port, NULL, 10);

    net->subnet_group = pg_resource(
        out, r, "aws_dms_replication_subnet_group", "main",
        PG_STR("replication_subnet_group_id", pg_name(out, r, "dms-subnets", 255)),
        PG_STR("replication_subnet_group_description",
               "DMS replication instance on the data-tier subnets"),
        PG_JSON("subnet_ids", cJSON_Duplicate(in->subnet_ids, true)),
        PG_MAP("lifecycle",
               PG_BLOCK("precondition",
                        PG_STR("condition", dms_trusts_dms(out, a->vpc_role)),
                        PG_STR("error_message",
                               "The account role dms-vpc-role does not trust dms.amazonaws.com: "
                               "DMS cannot create the replication subnet group. Create it once "
                               "per account as docs/dms.md (prerequisites) shows."))),
        PG_NAME("dms-subnets"));

    net->security_group = pg_resource(
        out, r, "aws_security_group", "dms",
        PG_STR("name", pg_name(out, r, "dms-sg", 255)),
        PG_STR("description", "DMS replication instance: egress to today's database and Aurora"),
        PG_STR("vpc_id", in->vpc_id),
        PG_NAME("dms-sg"));

    egress(out, in, net->security_group, "dms_to_legacy_db", "sgr-dms-to-legacy-db",
           "PostgreSQL to today's database in the legacy VPC", source_port, in->legacy_cidr, NULL);
    egress(out, in, net->security_group, "dms_to_aurora", "sgr-dms-to-aurora",
           "PostgreSQL to the Aurora writer", aurora_port, NULL, in->aurora_sg);
    egress(out, in, net->security_group, "dms_to_endpoints", "sgr-dms-to-endpoints",
           "HTTPS to the Secrets Manager interface endpoint", 443, in->vpc_cidr, NULL);

    pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "aurora_from_dms",
                PG_STR("security_group_id", in->aurora_sg),
                PG_STR("description", "PostgreSQL from the DMS replication instance"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", aurora_port),
                PG_INT("to_port", aurora_port),
                PG_REF("referenced_security_group_id", net->security_group, "id"),
                PG_NAME("db-from-dms"));
}
