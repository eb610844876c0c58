/* SPDX-License-Identifier: Apache-2.0 */
/* Today's VPC connected to the new platform: the attachment on the primary
 * Transit Gateway, routes both ways (today's tables to every active region,
 * every new private table and every secondary's TGW table to today's CIDR),
 * security group referencing only when the profile turns it on, and the
 * database's security group rules (aurora's network.c): no rule references a
 * group across VPCs that are not connected with referencing on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define LEGACY_VPC "vpc-0a1b2c3d4e5f60718"
#define LEGACY_CIDR "10.0.0.0/16"
#define LEGACY_ATTACHMENT "aws_ec2_transit_gateway_vpc_attachment.legacy_use1"
#define PRIMARY_ATTACHMENT "aws_ec2_transit_gateway_vpc_attachment.main_use1"
#define RDS "profiles/examples/from-rds-postgresql.yaml"

static const char *const legacy_tables[] = {"rtb-0a1b2c3d4e5f60001", "rtb-0a1b2c3d4e5f60002",
                                            "rtb-0a1b2c3d4e5f60003"};

static const cJSON *res(const th_run *r, const char *type, const char *label)
{
    return th_resource(r, "payment", type, label);
}

/* The profile in a phase, optionally with references on. */
static th_run *generate(const char *profile, const char *phase, bool references)
{
    char set_phase[64];
    snprintf(set_phase, sizeof set_phase, "phase=%s", phase);
    /* today's application groups are looked up only towards a new cluster */
    bool adopted = !strstr(profile, "rds-postgresql");
    const char *sets[] = {set_phase,
                          references ? "legacy.security_group_references=true" : NULL,
                          adopted ? NULL : "legacy.security_group_ids=[sg-0a1b2c3d4e5f60009]",
                          NULL};
    return th_generate(profile, sets);
}

static bool depends_on(const cJSON *block, const char *address)
{
    return th_list_has(th_path(block, "depends_on"), address);
}

static void test_attachment_on_the_primary(void)
{
    /* the legacy phase: one region, whose hub now exists for today's VPC */
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_vpc_attachment"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_peering_attachment"), 0);
    const cJSON *tgw = res(r, "aws_ec2_transit_gateway", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(tgw);
    CU_ASSERT_EQUAL(th_num(tgw, "amazon_side_asn"), 64512);

    const cJSON *att = res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(att);
    TH_ASSERT_STR(att, "transit_gateway_id", "${aws_ec2_transit_gateway.main_use1.id}");
    TH_ASSERT_STR(att, "vpc_id", LEGACY_VPC);
    /* the whole list from the lookup, which feeds it */
    TH_ASSERT_STR(att, "subnet_ids", "${data.aws_subnets.legacy_use1.ids}");
    CU_ASSERT_PTR_NOT_NULL(th_data(r, "payment", "aws_subnets", "legacy_use1"));
    TH_ASSERT_STR(att, "dns_support", "enable");
    CU_ASSERT_EQUAL(th_bool(att, "transit_gateway_default_route_table_association"), 0);
    CU_ASSERT_EQUAL(th_bool(att, "transit_gateway_default_route_table_propagation"), 0);
    CU_ASSERT_PTR_NULL(th_path(att, "provider"));

    const cJSON *assoc = res(r, "aws_ec2_transit_gateway_route_table_association", "legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(assoc);
    TH_ASSERT_STR(assoc, "transit_gateway_attachment_id", "${" LEGACY_ATTACHMENT ".id}");
    TH_ASSERT_STR(assoc, "transit_gateway_route_table_id",
                  "${aws_ec2_transit_gateway_route_table.main_use1.id}");

    const cJSON *route = res(r, "aws_ec2_transit_gateway_route", "legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(route);
    TH_ASSERT_STR(route, "destination_cidr_block", LEGACY_CIDR);
    TH_ASSERT_STR(route, "transit_gateway_attachment_id", "${" LEGACY_ATTACHMENT ".id}");
    TH_ASSERT_STR(route, "transit_gateway_route_table_id",
                  "${aws_ec2_transit_gateway_route_table.main_use1.id}");
    th_free(r);
}

/* Addresses do not move between phases: the diff of a step changes only
 * what the step adds. */
static void test_addresses_stable_across_phases(void)
{
    static const char *const phases[] = {"legacy", "migration", "production"};
    static const struct {
        const char *type, *label;
    } kept[] = {
        {"aws_ec2_transit_gateway", "main_use1"},
        {"aws_ec2_transit_gateway_route_table", "main_use1"},
        {"aws_ec2_transit_gateway_vpc_attachment", "main_use1"},
        {"aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"},
        {"aws_ec2_transit_gateway_route", "legacy_use1"},
        {"aws_ec2_transit_gateway_route", "local_vpc_use1"},
        {"aws_route", "tgw_data_c_to_legacy_use1"},
        {"aws_route", "legacy_rtb_0a1b2c3d4e5f60002_to_use1_use1"},
        {"aws_security_group", "database_legacy_use1"},
    };
    for (size_t p = 0; p < 3; p++) {
        /* base.yaml adopts today's Aurora cluster: connected in every phase */
        th_run *r = generate("profiles/legacy.yaml", phases[p], false);
        TH_ASSERT_OK(r);
        for (size_t k = 0; k < sizeof kept / sizeof *kept; k++)
            if (!res(r, kept[k].type, kept[k].label)) {
                fprintf(stderr, "\n  %s: no %s.%s\n", phases[p], kept[k].type, kept[k].label);
                CU_FAIL("an address moved or vanished");
            }
        const cJSON *tgw = res(r, "aws_ec2_transit_gateway", "main_use1");
        CU_ASSERT_EQUAL(th_num(tgw, "amazon_side_asn"), 64512);
        th_free(r);
    }
}

static void test_legacy_tables_reach_every_region(void)
{
    static const struct {
        const char *phase;
        size_t regions;
    } cases[] = {{"legacy", 1}, {"migration", 2}, {"production", 2}};
    static const char *const codes[] = {"use1", "use2"};
    static const char *const cidrs[] = {"10.10.0.0/16", "10.20.0.0/16"};
    for (size_t c = 0; c < 3; c++) {
        th_run *r = generate("profiles/legacy.yaml", cases[c].phase, false);
        TH_ASSERT_OK(r);
        size_t found = 0;
        for (size_t t = 0; t < 3; t++)
            for (size_t i = 0; i < 2; i++) {
                char label[96], id[64];
                snprintf(id, sizeof id, "%s", legacy_tables[t]);
                id[3] = '_';
                snprintf(label, sizeof label, "legacy_%s_to_%s_use1", id, codes[i]);
                const cJSON *route = res(r, "aws_route", label);
                if (i >= cases[c].regions) {
                    CU_ASSERT_PTR_NULL(route);
                    continue;
                }
                CU_ASSERT_PTR_NOT_NULL_FATAL(route);
                /* a table paygen does not own: one route, never the table */
                TH_ASSERT_STR(route, "route_table_id", legacy_tables[t]);
                TH_ASSERT_STR(route, "destination_cidr_block", cidrs[i]);
                /* every region through the primary gateway: the peering
                 * carries the secondary's CIDR from there */
                TH_ASSERT_STR(route, "transit_gateway_id", "${aws_ec2_transit_gateway.main_use1.id}");
                CU_ASSERT(depends_on(route, LEGACY_ATTACHMENT));
                CU_ASSERT_PTR_NULL(th_path(route, "provider"));
                found++;
            }
        CU_ASSERT_EQUAL(found, 3 * cases[c].regions);
        CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route_table"), 7 * cases[c].regions);
        th_free(r);
    }
}

static void test_new_tables_reach_legacy(void)
{
    th_run *r = generate("profiles/legacy.yaml", "migration", false);
    TH_ASSERT_OK(r);
    static const char *const codes[] = {"use1", "use2"};
    static const char *const tiers[] = {"app", "data"};
    static const char *const letters[] = {"a", "b", "c"};
    for (size_t i = 0; i < 2; i++)
        for (size_t t = 0; t < 2; t++)
            for (size_t a = 0; a < 3; a++) {
                char label[64], expect[128];
                snprintf(label, sizeof label, "tgw_%s_%s_to_legacy_%s", tiers[t], letters[a],
                         codes[i]);
                const cJSON *route = res(r, "aws_route", label);
                CU_ASSERT_PTR_NOT_NULL_FATAL(route);
                snprintf(expect, sizeof expect, "${aws_route_table.%s_%s_%s.id}", tiers[t],
                         letters[a], codes[i]);
                TH_ASSERT_STR(route, "route_table_id", expect);
                TH_ASSERT_STR(route, "destination_cidr_block", LEGACY_CIDR);
                snprintf(expect, sizeof expect, "${aws_ec2_transit_gateway.main_%s.id}", codes[i]);
                TH_ASSERT_STR(route, "transit_gateway_id", expect);
                snprintf(expect, sizeof expect, "aws_ec2_transit_gateway_vpc_attachment.main_%s",
                         codes[i]);
                CU_ASSERT(depends_on(route, expect));
                TH_ASSERT_STR(route, "provider", i ? "aws.use2" : NULL);
            }
    /* the public tables keep their internet route only */
    CU_ASSERT_PTR_NULL(res(r, "aws_route", "tgw_public_a_to_legacy_use1"));

    /* the secondary's gateway sends today's CIDR over the peering */
    const cJSON *back = res(r, "aws_ec2_transit_gateway_route", "legacy_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    TH_ASSERT_STR(back, "destination_cidr_block", LEGACY_CIDR);
    TH_ASSERT_STR(back, "transit_gateway_route_table_id",
                  "${aws_ec2_transit_gateway_route_table.main_use2.id}");
    TH_ASSERT_STR(back, "transit_gateway_attachment_id",
                  "${aws_ec2_transit_gateway_peering_attachment_accepter.peering_from_use1_use2."
                  "transit_gateway_attachment_id}");
    TH_ASSERT_STR(back, "provider", "aws.use2");
    CU_ASSERT(depends_on(back, "aws_ec2_transit_gateway_peering_attachment_accepter."
                               "peering_from_use1_use2"));
    th_free(r);
}

/* RDS today, moved into a new primary: connected during the move only. */
static void test_disconnected_in_production(void)
{
    th_run *r = generate(RDS, "production", false);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_vpc_attachment"), 2);
    CU_ASSERT_PTR_NULL(res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_ec2_transit_gateway_route", "legacy_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_ec2_transit_gateway_route", "legacy_use2"));
    CU_ASSERT_PTR_NULL(res(r, "aws_route", "tgw_app_a_to_legacy_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_route", "legacy_rtb_0a1b2c3d4e5f60001_to_use1_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_vpc_security_group_ingress_rule", "postgres_legacy_use1"));
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_subnets", "legacy_use1"));
    th_free(r);

    r = generate(RDS, "migration", false);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NOT_NULL(res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"));
    th_free(r);
}

static void test_referencing_only_when_on(void)
{
    static const char *const phases[] = {"legacy", "migration"};
    for (size_t p = 0; p < 2; p++)
        for (int on = 0; on < 2; on++) {
            th_run *r = generate("profiles/legacy.yaml", phases[p], on);
            TH_ASSERT_OK(r);
            const char *want = on ? "enable" : NULL;
            TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway", "main_use1"),
                          "security_group_referencing_support", want);
            TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway_vpc_attachment", "main_use1"),
                          "security_group_referencing_support", want);
            TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"),
                          "security_group_referencing_support", want);
            /* never in another region: referencing stops at the peering */
            const cJSON *tgw2 = res(r, "aws_ec2_transit_gateway", "main_use2");
            const cJSON *att2 = res(r, "aws_ec2_transit_gateway_vpc_attachment", "main_use2");
            CU_ASSERT_EQUAL(tgw2 != NULL, p == 1);
            CU_ASSERT_PTR_NULL(th_path(tgw2, "security_group_referencing_support"));
            CU_ASSERT_PTR_NULL(th_path(att2, "security_group_referencing_support"));

            const cJSON *published =
                pg_lookup_list(&r->g.ctx, pg_ctx_primary(&r->g.ctx), "transit.referencing_attachments");
            CU_ASSERT_EQUAL(published != NULL, on);
            if (published) {
                CU_ASSERT(th_list_has(published, PRIMARY_ATTACHMENT));
                CU_ASSERT(th_list_has(published, LEGACY_ATTACHMENT));
            }
            th_free(r);
        }
}

/* The adopted cluster stays in today's VPC: one group there admits the
 * new platform; the primary needs nothing of its own in the new VPC. */
static void test_adopted_cluster_group(void)
{
    th_run *r = generate("profiles/legacy.yaml", "migration", false);
    TH_ASSERT_OK(r);
    const cJSON *sg = res(r, "aws_security_group", "database_legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sg);
    TH_ASSERT_STR(sg, "vpc_id", LEGACY_VPC);
    TH_ASSERT_STR(sg, "name", "payment-db-legacy-sg-use1-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(sg, "ingress"));

    static const char *const codes[] = {"use1", "use2"};
    static const char *const cidrs[] = {"10.10.0.0/16", "10.20.0.0/16"};
    for (size_t i = 0; i < 2; i++) {
        char label[64];
        snprintf(label, sizeof label, "database_legacy_from_%s_use1", codes[i]);
        const cJSON *rule = res(r, "aws_vpc_security_group_ingress_rule", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
        TH_ASSERT_STR(rule, "security_group_id", "${aws_security_group.database_legacy_use1.id}");
        TH_ASSERT_STR(rule, "cidr_ipv4", cidrs[i]);
        TH_ASSERT_STR(rule, "referenced_security_group_id", NULL);
        TH_ASSERT_STR(rule, "ip_protocol", "tcp");
        CU_ASSERT_EQUAL(th_num(rule, "from_port"), 5432);
        CU_ASSERT_EQUAL(th_num(rule, "to_port"), 5432);
        CU_ASSERT_PTR_NULL(th_path(rule, "provider"));
    }
    /* the adopted cluster wears it beside today's groups */
    const cJSON *cluster = res(r, "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cluster);
    CU_ASSERT(th_list_has(th_path(cluster, "vpc_security_group_ids"),
                          "${aws_security_group.database_legacy_use1.id}"));
    /* nothing in the new primary VPC feeds no cluster */
    CU_ASSERT_PTR_NULL(res(r, "aws_security_group", "database_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_db_subnet_group", "main_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_vpc_security_group_ingress_rule", "postgres_app_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_vpc_security_group_ingress_rule", "postgres_legacy_use1"));
    /* the secondary keeps its own */
    CU_ASSERT_PTR_NOT_NULL(res(r, "aws_security_group", "database_use2"));
    CU_ASSERT_PTR_NOT_NULL(res(r, "aws_db_subnet_group", "main_use2"));

    /* the primary's application may leave its VPC for the database port */
    const cJSON *egress = res(r, "aws_vpc_security_group_egress_rule", "app_postgres_legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(egress);
    TH_ASSERT_STR(egress, "security_group_id", "${aws_security_group.app_use1.id}");
    TH_ASSERT_STR(egress, "cidr_ipv4", LEGACY_CIDR);
    CU_ASSERT_EQUAL(th_num(egress, "from_port"), 5432);
    th_free(r);

    /* today's port, wherever it is */
    const char *sets[] = {"legacy.database.port=6543", NULL};
    r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *rule = res(r, "aws_vpc_security_group_ingress_rule", "database_legacy_from_use1_use1");
    CU_ASSERT_EQUAL(th_num(rule, "from_port"), 6543);
    CU_ASSERT_EQUAL(th_num(rule, "to_port"), 6543);
    CU_ASSERT_EQUAL(th_num(res(r, "aws_vpc_security_group_egress_rule", "app_postgres_legacy_use1"),
                           "to_port"),
                    6543);
    th_free(r);

    /* every member of the global database listens on it: the secondary's
     * application leaves for it too */
    const char *later[] = {"legacy.database.port=6543", "phase=migration", NULL};
    r = th_generate("profiles/legacy.yaml", later);
    TH_ASSERT_OK(r);
    const cJSON *app = res(r, "aws_vpc_security_group_egress_rule", "app_postgres_use2");
    CU_ASSERT_EQUAL(th_num(app, "from_port"), 6543);
    CU_ASSERT_EQUAL(th_num(app, "to_port"), 6543);
    TH_ASSERT_STR(app, "cidr_ipv4", "10.20.0.0/16");
    rule = res(r, "aws_vpc_security_group_ingress_rule", "postgres_app_use2");
    CU_ASSERT_EQUAL(th_num(rule, "from_port"), 6543);
    th_free(r);
}

static void test_adopted_cluster_group_by_reference(void)
{
    th_run *r = generate("profiles/legacy.yaml", "migration", true);
    TH_ASSERT_OK(r);
    /* the primary's application group, across the primary gateway */
    const cJSON *same = res(r, "aws_vpc_security_group_ingress_rule", "database_legacy_from_use1_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(same);
    TH_ASSERT_STR(same, "referenced_security_group_id", "${aws_security_group.app_use1.id}");
    TH_ASSERT_STR(same, "cidr_ipv4", NULL);
    CU_ASSERT(depends_on(same, PRIMARY_ATTACHMENT));
    CU_ASSERT(depends_on(same, LEGACY_ATTACHMENT));
    /* the secondary's is in another region: by CIDR */
    const cJSON *other = res(r, "aws_vpc_security_group_ingress_rule", "database_legacy_from_use2_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(other);
    TH_ASSERT_STR(other, "cidr_ipv4", "10.20.0.0/16");
    TH_ASSERT_STR(other, "referenced_security_group_id", NULL);
    CU_ASSERT_PTR_NULL(th_path(other, "depends_on"));
    /* an egress rule cannot reference across a Transit Gateway */
    TH_ASSERT_STR(res(r, "aws_vpc_security_group_egress_rule", "app_postgres_legacy_use1"),
                  "cidr_ipv4", LEGACY_CIDR);
    th_free(r);
}

/* A new cluster in the new VPC admits today's application while the VPCs
 * are connected: by CIDR, or by today's groups with references. */
static void test_new_cluster_admits_legacy(void)
{
    th_run *r = generate(RDS, "migration", false);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(res(r, "aws_security_group", "database_legacy_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_vpc_security_group_egress_rule", "app_postgres_legacy_use1"));
    const cJSON *rule = res(r, "aws_vpc_security_group_ingress_rule", "postgres_legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
    TH_ASSERT_STR(rule, "security_group_id", "${aws_security_group.database_use1.id}");
    TH_ASSERT_STR(rule, "cidr_ipv4", LEGACY_CIDR);
    TH_ASSERT_STR(rule, "referenced_security_group_id", NULL);
    TH_ASSERT_STR(rule, "for_each", NULL);
    CU_ASSERT_EQUAL(th_num(rule, "from_port"), 5432);
    /* the secondary's database is not today's application's */
    CU_ASSERT_PTR_NULL(res(r, "aws_vpc_security_group_ingress_rule", "postgres_legacy_use2"));
    th_free(r);

    r = generate(RDS, "legacy", true);
    TH_ASSERT_OK(r);
    rule = res(r, "aws_vpc_security_group_ingress_rule", "postgres_legacy_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
    TH_ASSERT_STR(rule, "for_each", "${toset(data.aws_security_groups.legacy_use1.ids)}");
    CU_ASSERT_PTR_NOT_NULL(th_data(r, "payment", "aws_security_groups", "legacy_use1"));
    TH_ASSERT_STR(rule, "referenced_security_group_id", "${each.value}");
    TH_ASSERT_STR(rule, "cidr_ipv4", NULL);
    CU_ASSERT(depends_on(rule, PRIMARY_ATTACHMENT));
    CU_ASSERT(depends_on(rule, LEGACY_ATTACHMENT));
    th_free(r);
}

/* The VPC of the group a rule references: a group of the stack, or one of
 * today's (each.value over the lookup of today's groups). */
static const char *referenced_vpc(const th_run *r, const cJSON *rule, const char *ref)
{
    if (!strcmp(ref, "${each.value}")) {
        const char *each = th_str(rule, "for_each");
        return each && strstr(each, "data.aws_security_groups.legacy_use1.ids") ? LEGACY_VPC : NULL;
    }
    return th_str(th_target(r, ref), "vpc_id");
}

/* Every ingress rule that references a group in another VPC: both VPCs are
 * the primary's and today's, the rule is in the primary region, and the
 * gateway and both attachments carry referencing, which the rule waits for.
 * Returns how many rules cross. */
static size_t check_references(const th_run *r)
{
    size_t crossing = 0;
    const cJSON *rule;
    cJSON_ArrayForEach(rule, th_path(th_stack(r, "payment"),
                                     "resource.aws_vpc_security_group_ingress_rule"))
    {
        const char *ref = th_str(rule, "referenced_security_group_id");
        if (!ref)
            continue;
        const char *mine = th_str(th_target(r, th_str(rule, "security_group_id")), "vpc_id");
        const char *theirs = referenced_vpc(r, rule, ref);
        CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
        CU_ASSERT_PTR_NOT_NULL_FATAL(theirs);
        if (!strcmp(mine, theirs))
            continue;
        crossing++;
        bool pair = (!strcmp(mine, LEGACY_VPC) && !strcmp(theirs, "${aws_vpc.main_use1.id}")) ||
                    (!strcmp(theirs, LEGACY_VPC) && !strcmp(mine, "${aws_vpc.main_use1.id}"));
        if (!pair)
            fprintf(stderr, "\n  %s references a group of %s across unconnected VPCs\n",
                    rule->string, theirs);
        CU_ASSERT(pair);
        CU_ASSERT_PTR_NULL(th_path(rule, "provider"));
        TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway", "main_use1"),
                      "security_group_referencing_support", "enable");
        TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway_vpc_attachment", "main_use1"),
                      "security_group_referencing_support", "enable");
        TH_ASSERT_STR(res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"),
                      "security_group_referencing_support", "enable");
        CU_ASSERT(depends_on(rule, PRIMARY_ATTACHMENT));
        CU_ASSERT(depends_on(rule, LEGACY_ATTACHMENT));
    }
    return crossing;
}

static void test_no_reference_across_unconnected_vpcs(void)
{
    static const char *const phases[] = {"legacy", "migration", "production"};
    static const char *const profiles[] = {"profiles/legacy.yaml", RDS};
    for (size_t f = 0; f < 2; f++)
        for (size_t p = 0; p < 3; p++)
            for (int on = 0; on < 2; on++) {
                th_run *r = generate(profiles[f], phases[p], on);
                TH_ASSERT_OK(r);
                size_t crossing = check_references(r);
                /* adopted: connected for good; RDS: until production */
                bool connected = f == 0 || p < 2;
                CU_ASSERT_EQUAL(crossing, on && connected ? 1 : 0);
                th_free(r);
            }
}

/* A transit that attached nothing with referencing: aurora must refuse to
 * reference today's groups rather than write a rule EC2 rejects. */
static int transit_without_referencing(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx, (void)out;
    return 0;
}

static void test_reference_without_connection_fails(void)
{
    static const pg_publication publishes[] = {
        {"transit.gateway_id", PG_REGIONAL, PG_KIND_STRING},
        {"transit.referencing_attachments", PG_REGIONAL, PG_KIND_LIST},
        PG_PUBLICATIONS_END,
    };
    static const char *const needs[] = {"vpc", "legacy", NULL};
    TH_PLUGIN(fake, "transit", publishes, needs, NULL, 0, transit_without_referencing);
    static const char *const profiles[] = {"profiles/legacy.yaml", RDS};
    for (size_t f = 0; f < 2; f++) {
        const pg_plugin *const builtins[] = {&fake};
        const char *dir = getenv("PAYGEN_TEST_PLUGIN_DIR");
        const char *sets[] = {"legacy.security_group_references=true",
                              "legacy.security_group_ids=[sg-0a1b2c3d4e5f60009]"};
        char path[4096];
        snprintf(path, sizeof path, "%s", th_source(profiles[f]));
        th_run r = {0};
        pg_options o = {
            .profile = path,
            .sets = sets,
            .set_count = f ? 2 : 1, /* groups only towards the RDS instance's new cluster */
            .plugin_dirs = &dir,
            .plugin_dir_count = 1,
            .builtins = builtins,
            .builtin_count = 1,
            .no_search = true,
        };
        CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
        r.rc = pg_generate(&r.g, &o, &r.err);
        CU_ASSERT_NOT_EQUAL(r.rc, 0);
        TH_ASSERT_ERROR(&r, "--set legacy.security_group_references: plugin aurora: a rule in "
                            "us-east-1 would reference a security group across networks that "
                            "are not connected in the legacy phase");
        pg_generation_free(&r.g);
        pg_errors_free(&r.err);
    }

    /* without references the rules are by CIDR and need no connection */
    const pg_plugin *const builtins[] = {&fake};
    const char *dir = getenv("PAYGEN_TEST_PLUGIN_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s", th_source("profiles/legacy.yaml"));
    th_run r = {0};
    pg_options o = {.profile = path, .plugin_dirs = &dir, .plugin_dir_count = 1,
                    .builtins = builtins, .builtin_count = 1, .no_search = true};
    r.rc = pg_generate(&r.g, &o, &r.err);
    TH_ASSERT_OK(&r);
    pg_generation_free(&r.g);
    pg_errors_free(&r.err);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"attachment on the primary gateway", test_attachment_on_the_primary},
        {"addresses stable across phases", test_addresses_stable_across_phases},
        {"today's tables reach every active region", test_legacy_tables_reach_every_region},
        {"new tables and secondary gateways reach today's VPC", test_new_tables_reach_legacy},
        {"disconnected in production without adoption", test_disconnected_in_production},
        {"referencing only when on, primary only", test_referencing_only_when_on},
        {"adopted cluster: one group in today's VPC", test_adopted_cluster_group},
        {"adopted cluster: the primary's group by reference", test_adopted_cluster_group_by_reference},
        {"new cluster admits today's application", test_new_cluster_admits_legacy},
        {"no reference across unconnected VPCs", test_no_reference_across_unconnected_vpcs},
        {"reference without a connection fails", test_reference_without_connection_fails},
        CU_TEST_INFO_NULL,
    };
    return th_main("transit-legacy", tests);
}
