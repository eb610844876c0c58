/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_deploy_net.c - deployability of what the network and the
 * alarms mean: an alarm whose metric can exist, an internet route only from
 * subnets meant to be public, and a security group reference the VPCs can
 * resolve. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_rules.h"
#include "check_rules_deploy.h"

/* ----- PG-DEPLOY-005: alarms on metrics that cannot exist */

/* A secondary cluster of an Aurora global database has no writer instance
 * until a switchover or failover makes it the primary, so its Role=WRITER
 * metrics have no data ("Secondary clusters ... are read-only", Aurora User
 * Guide, Amazon Aurora global databases). Secondary: it joins a global
 * cluster with source_region (a cross-region replica), or its global
 * cluster's source_db_cluster_identifier is another cluster. */
static bool secondary_cluster(const pg_check_ctx *c, const cJSON *cluster)
{
    const cJSON *gid = pg_c_path(cluster, "global_cluster_identifier");
    if (!gid || cJSON_IsNull(gid))
        return false;
    if (pg_c_str(cluster, "source_region") || pg_c_str(cluster, "replication_source_identifier"))
        return true;
    const cJSON *global = pg_d_target(c, gid, "aws_rds_global_cluster");
    const cJSON *primary = global ? pg_d_target(c, pg_c_path(global, "source_db_cluster_identifier"),
                                                "aws_rds_cluster") : NULL;
    return primary && primary != cluster;
}

/* The dimensions of the alarm's metric and of each metric of its queries. */
static void check_dimensions(pg_check_ctx *c, const cJSON *alarm, const cJSON *dims)
{
    const char *role = pg_c_str(dims, "Role");
    const cJSON *cluster = pg_d_target(c, pg_c_path(dims, "DBClusterIdentifier"), "aws_rds_cluster");
    if (!cluster)
        return;
    if (strcmp(pg_d_provider(alarm), pg_d_provider(cluster)))
        VIOLATION(c, "aws_cloudwatch_metric_alarm", alarm,
                  "watches aws_rds_cluster.%s (provider %s) from provider %s: CloudWatch metrics stay in their "
                  "region", cluster->string, pg_d_provider(cluster), pg_d_provider(alarm));
    else if (role && !strcmp(role, "WRITER") && secondary_cluster(c, cluster))
        VIOLATION(c, "aws_cloudwatch_metric_alarm", alarm,
                  "Role=WRITER on aws_rds_cluster.%s, a secondary of a global database, which has no writer",
                  cluster->string);
}

void pg_rule_deploy_alarm_data(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudwatch_metric_alarm", a)
    {
        check_dimensions(c, a, pg_c_path(a, "dimensions"));
        const cJSON *queries = cJSON_GetObjectItemCaseSensitive(a, "metric_query"), *q;
        cJSON_ArrayForEach(q, (cJSON_IsArray(queries) ? queries : NULL))
            check_dimensions(c, a, pg_c_path(q, "metric.dimensions"));
    }
}

/* ----- PG-DEPLOY-006: internet gateways and private subnets */

/* Whether a word of text (split at anything not a letter or digit) is one
 * of words. */
static bool has_word(const char *text, const char *const *words)
{
    for (const char *p = text; p && *p;) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        size_t n = 0;
        while (isalnum((unsigned char)p[n]))
            n++;
        for (size_t i = 0; n && words[i]; i++)
            if (strlen(words[i]) == n && !strncasecmp(p, words[i], n))
                return true;
        p += n;
    }
    return false;
}

/* A subnet named or tagged (label, tags.Name, tags.Tier) private, app or
 * data, and not public. */
static bool private_subnet(const cJSON *subnet)
{
    static const char *const priv[] = {"private", "app", "data", "database", "db", "isolated", NULL};
    static const char *const pub[] = {"public", NULL};
    const char *texts[] = {subnet->string, pg_c_str(subnet, "tags.Name"), pg_c_str(subnet, "tags.Tier")};
    bool is_private = false;
    for (size_t i = 0; i < 3; i++) {
        if (has_word(texts[i], pub))
            return false;
        is_private |= has_word(texts[i], priv);
    }
    return is_private && !pg_c_true(subnet, "map_public_ip_on_launch");
}

static void flag(pg_check_ctx *c, const char *type, const cJSON *block, const cJSON *igw, const cJSON *subnet,
                 const char *how)
{
    if (subnet && private_subnet(subnet))
        VIOLATION(c, type, block, "routes to aws_internet_gateway.%s from the private subnet aws_subnet.%s%s",
                  igw->string, subnet->string, how);
}

/* The VPC whose main route table the table (ttype.table) is: named by an
 * aws_main_route_table_association, or an aws_default_route_table. */
static const cJSON *main_of(const pg_check_ctx *c, const char *ttype, const cJSON *table)
{
    if (!strcmp(ttype, "aws_default_route_table")) {
        char vpc[128];
        return pg_d_ref(pg_c_path(table, "default_route_table_id"), "aws_vpc", vpc, sizeof vpc)
                   ? cJSON_GetObjectItemCaseSensitive(pg_c_type(c, false, "aws_vpc"), vpc)
                   : NULL;
    }
    PG_FOR_RES(c, "aws_main_route_table_association", m)
    {
        if (pg_d_target(c, pg_c_path(m, "route_table_id"), "aws_route_table") == table)
            return pg_d_target(c, pg_c_path(m, "vpc_id"), "aws_vpc");
    }
    return NULL;
}

/* A route of table (ttype) reaches the subnets associated with the table
 * and, when it is its VPC's main table, the VPC's subnets associated with
 * none (VPC User Guide, "Subnet route tables"). */
static void check_route(pg_check_ctx *c, const char *type, const cJSON *block, const cJSON *route,
                        const char *ttype, const cJSON *table)
{
    const cJSON *igw = pg_d_target(c, pg_c_path(route, "gateway_id"), "aws_internet_gateway");
    if (!igw || !table)
        return;
    PG_FOR_RES(c, "aws_route_table_association", assoc)
    {
        if (pg_d_target(c, pg_c_path(assoc, "route_table_id"), ttype) == table)
            flag(c, type, block, igw, pg_d_target(c, pg_c_path(assoc, "subnet_id"), "aws_subnet"), "");
    }
    const cJSON *vpc = main_of(c, ttype, table);
    PG_FOR_RES(c, "aws_subnet", s)
    {
        if (!vpc || pg_d_target(c, pg_c_path(s, "vpc_id"), "aws_vpc") != vpc ||
            pg_c_referrer(c, "aws_route_table_association", "subnet_id", "aws_subnet", s->string))
            continue;
        flag(c, type, block, igw, s, " (through the main route table)");
    }
}

void pg_rule_deploy_private_routes(pg_check_ctx *c)
{
    static const char *const tables[] = {"aws_route_table", "aws_default_route_table"};
    PG_FOR_RES(c, "aws_route", r)
    {
        const cJSON *id = pg_c_path(r, "route_table_id");
        const cJSON *table = pg_d_target(c, id, "aws_route_table");
        if (table)
            check_route(c, "aws_route", r, r, "aws_route_table", table);
        else
            check_route(c, "aws_route", r, r, "aws_default_route_table", pg_d_target(c, id, "aws_default_route_table"));
    }
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, tables[i], t)
        {
            const cJSON *routes = cJSON_GetObjectItemCaseSensitive(t, "route"), *r;
            cJSON_ArrayForEach(r, (cJSON_IsArray(routes) ? routes : NULL))
                check_route(c, tables[i], t, r, tables[i], t);
        }
    /* a gateway in a VPC whose subnets are all private serves nobody */
    PG_FOR_RES(c, "aws_internet_gateway", igw)
    {
        const cJSON *vpc = pg_d_target(c, pg_c_path(igw, "vpc_id"), "aws_vpc");
        if (!vpc)
            continue;
        size_t subnets = 0, private = 0;
        PG_FOR_RES(c, "aws_subnet", s)
        {
            if (pg_d_target(c, pg_c_path(s, "vpc_id"), "aws_vpc") != vpc)
                continue;
            subnets++;
            private += private_subnet(s);
        }
        if (subnets && subnets == private)
            VIOLATION(c, "aws_internet_gateway", igw, "every subnet of aws_vpc.%s is private", vpc->string);
    }
}

/* ----- PG-DEPLOY-007: security group references across VPCs */

/* The VPC of a security group of the stack, or NULL when it is not one. */
static const cJSON *group_vpc(const pg_check_ctx *c, const cJSON *group)
{
    return group ? pg_d_target(c, pg_c_path(group, "vpc_id"), "aws_vpc") : NULL;
}

/* Peered in the same region: security group references work across a
 * peering connection only between VPCs of one region (VPC Peering Guide,
 * "Update your security groups to reference peer security groups"). */
static bool peered(const pg_check_ctx *c, const cJSON *a, const cJSON *b)
{
    PG_FOR_RES(c, "aws_vpc_peering_connection", p)
    {
        const cJSON *x = pg_d_target(c, pg_c_path(p, "vpc_id"), "aws_vpc");
        const cJSON *y = pg_d_target(c, pg_c_path(p, "peer_vpc_id"), "aws_vpc");
        if (((x == a && y == b) || (x == b && y == a)) && !pg_c_str(p, "peer_region"))
            return true;
    }
    return false;
}

/* Both attached to one transit gateway that has security group referencing
 * on: "enable" at the gateway (its default is disable) and not "disable" on
 * either attachment (their default is enable): EC2 API reference,
 * TransitGatewayRequestOptions and CreateTransitGatewayVpcAttachmentRequestOptions
 * SecurityGroupReferencingSupport. */
static bool same_gateway(const pg_check_ctx *c, const cJSON *a, const cJSON *b)
{
    PG_FOR_RES(c, "aws_ec2_transit_gateway_vpc_attachment", x)
    {
        const char *xs = pg_c_str(x, "security_group_referencing_support");
        const cJSON *tgw = pg_d_target(c, pg_c_path(x, "transit_gateway_id"), "aws_ec2_transit_gateway");
        const char *ts = tgw ? pg_c_str(tgw, "security_group_referencing_support") : NULL;
        if (pg_d_target(c, pg_c_path(x, "vpc_id"), "aws_vpc") != a || !ts || strcmp(ts, "enable") ||
            (xs && !strcmp(xs, "disable")))
            continue;
        PG_FOR_RES(c, "aws_ec2_transit_gateway_vpc_attachment", y)
        {
            const char *ys = pg_c_str(y, "security_group_referencing_support");
            if (pg_d_target(c, pg_c_path(y, "vpc_id"), "aws_vpc") == b &&
                pg_d_target(c, pg_c_path(y, "transit_gateway_id"), "aws_ec2_transit_gateway") == tgw &&
                !(ys && !strcmp(ys, "disable")))
                return true;
        }
    }
    return false;
}

static void check_reference(pg_check_ctx *c, const char *type, const cJSON *rule, const cJSON *own,
                            const cJSON *ref)
{
    const cJSON *group = pg_d_target(c, own, "aws_security_group");
    const cJSON *other = pg_d_target(c, ref, "aws_security_group");
    if (!group || !other || group == other)
        return;
    if (strcmp(pg_d_provider(group), pg_d_provider(other))) {
        VIOLATION(c, type, rule, "aws_security_group.%s (provider %s) references aws_security_group.%s of "
                  "another region (provider %s)", group->string, pg_d_provider(group), other->string,
                  pg_d_provider(other));
        return;
    }
    const cJSON *va = group_vpc(c, group), *vb = group_vpc(c, other);
    if (va && vb && va != vb && !peered(c, va, vb) && !same_gateway(c, va, vb))
        VIOLATION(c, type, rule, "aws_security_group.%s (aws_vpc.%s) references aws_security_group.%s of "
                  "aws_vpc.%s, which no peering or referencing transit gateway connects", group->string,
                  va->string, other->string, vb->string);
}

void pg_rule_deploy_sg_reference(pg_check_ctx *c)
{
    static const char *const vpc_rules[] = {"aws_vpc_security_group_ingress_rule",
                                            "aws_vpc_security_group_egress_rule"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, vpc_rules[i], r)
        {
            check_reference(c, vpc_rules[i], r, pg_c_path(r, "security_group_id"),
                            pg_c_path(r, "referenced_security_group_id"));
        }
    PG_FOR_RES(c, "aws_security_group_rule", r)
    {
        check_reference(c, "aws_security_group_rule", r, pg_c_path(r, "security_group_id"),
                        pg_c_path(r, "source_security_group_id"));
    }
    PG_FOR_RES(c, "aws_security_group", sg)
    {
        static const char *const dirs[] = {"ingress", "egress"};
        char *self = pg_xasprintf("${aws_security_group.%s.id}", sg->string);
        cJSON *own = cJSON_CreateString(self);
        for (size_t d = 0; d < 2; d++) {
            const cJSON *list = cJSON_GetObjectItemCaseSensitive(sg, dirs[d]), *item, *ref;
            cJSON_ArrayForEach(item, (cJSON_IsArray(list) ? list : NULL))
            {
                const cJSON *groups = cJSON_GetObjectItemCaseSensitive(item, "security_groups");
                cJSON_ArrayForEach(ref, (cJSON_IsArray(groups) ? groups : NULL))
                    check_reference(c, "aws_security_group", sg, own, ref);
            }
        }
        cJSON_Delete(own);
        free(self);
    }
}
