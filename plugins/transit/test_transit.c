/* SPDX-License-Identifier: Apache-2.0 */
/* Transit plugin: nothing in legacy without a legacy VPC; from migration on
 * a Transit Gateway per region, VPC attachments, the peering attachment
 * accepted in the secondary, route table associations and routes both ways.
 * The legacy VPC's attachment and routes: test_link.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const cJSON *res(const th_run *r, const char *type, const char *label)
{
    return th_resource(r, "payment", type, label);
}

/* base.yaml without its legacy section, in the given phase: a platform
 * built from nothing. */
static th_run *generate_without_legacy(const char *phase)
{
    char *base = th_slurp(NULL, th_source("profiles/base.yaml"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(base);
    char *start = strstr(base, "\nlegacy:");
    CU_ASSERT_PTR_NOT_NULL_FATAL(start);
    /* the section ends at the next top-level key */
    char *end = start + 1;
    while ((end = strchr(end, '\n')) && (end[1] == ' ' || end[1] == '#' || end[1] == '\n'))
        end++;
    size_t cap = strlen(base) + 128;
    char *yaml = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(yaml);
    snprintf(yaml, cap, "%.*s%s\nphase: %s\ncutover: \"2026-12-01T06:00:00Z\"\n",
             (int)(start - base), base, end ? end : "", phase);
    th_run *r = th_generate_text(yaml, NULL);
    free(yaml);
    free(base);
    return r;
}

static void test_nothing_in_legacy(void)
{
    th_run *r = generate_without_legacy("legacy");
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_vpc_attachment"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_peering_attachment"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_route"), 0);
    CU_ASSERT_PTR_NULL(res(r, "aws_route", "tgw_app_a_to_use2_use1"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.transit_gateway_id_use1"));
    CU_ASSERT_PTR_NULL(pg_lookup(&r->g.ctx, pg_ctx_primary(&r->g.ctx), "transit.gateway_id"));
    th_free(r);

    /* nor anything of the legacy VPC later */
    r = generate_without_legacy("migration");
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_vpc_attachment"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_route"), 4);
    CU_ASSERT_PTR_NULL(res(r, "aws_ec2_transit_gateway_vpc_attachment", "legacy_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_route", "tgw_app_a_to_legacy_use1"));
    th_free(r);
}

static void test_gateways_and_attachments(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_route_table"), 2);
    /* the two VPCs and today's (test_link.c) */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_vpc_attachment"), 3);
    static const char *const codes[] = {"use1", "use2"};
    for (size_t i = 0; i < 2; i++) {
        char label[64], expect[128];
        snprintf(label, sizeof label, "main_%s", codes[i]);
        const cJSON *tgw = res(r, "aws_ec2_transit_gateway", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(tgw);
        CU_ASSERT_STRING_EQUAL(th_str(tgw, "auto_accept_shared_attachments"), "disable");
        CU_ASSERT_STRING_EQUAL(th_str(tgw, "default_route_table_association"), "disable");
        CU_ASSERT_STRING_EQUAL(th_str(tgw, "default_route_table_propagation"), "disable");
        CU_ASSERT_EQUAL(th_num(tgw, "amazon_side_asn"), 64512 + (double)i);
        /* referencing only when the profile asks for it (test_link.c) */
        CU_ASSERT_PTR_NULL(th_path(tgw, "security_group_referencing_support"));
        if (i == 0) {
            CU_ASSERT_PTR_NULL(th_path(tgw, "provider"));
        } else {
            CU_ASSERT_STRING_EQUAL(th_str(tgw, "provider"), "aws.use2");
        }

        const cJSON *rt = res(r, "aws_ec2_transit_gateway_route_table", label);
        snprintf(expect, sizeof expect, "${aws_ec2_transit_gateway.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(rt, "transit_gateway_id"), expect);

        const cJSON *att = res(r, "aws_ec2_transit_gateway_vpc_attachment", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(att);
        CU_ASSERT_STRING_EQUAL(th_str(att, "transit_gateway_id"), expect);
        snprintf(expect, sizeof expect, "${aws_vpc.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(att, "vpc_id"), expect);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(att, "subnet_ids")), 3);
        snprintf(expect, sizeof expect, "${aws_subnet.app_a_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(att, "subnet_ids.0"), expect);
        CU_ASSERT_EQUAL(th_bool(att, "transit_gateway_default_route_table_association"), 0);
        CU_ASSERT_EQUAL(th_bool(att, "transit_gateway_default_route_table_propagation"), 0);
        CU_ASSERT_PTR_NULL(th_path(att, "security_group_referencing_support"));

        snprintf(label, sizeof label, "vpc_%s", codes[i]);
        const cJSON *assoc = res(r, "aws_ec2_transit_gateway_route_table_association", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(assoc);
        snprintf(expect, sizeof expect, "${aws_ec2_transit_gateway_vpc_attachment.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(assoc, "transit_gateway_attachment_id"), expect);
        snprintf(expect, sizeof expect, "${aws_ec2_transit_gateway_route_table.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(assoc, "transit_gateway_route_table_id"), expect);

        snprintf(expect, sizeof expect, "${aws_ec2_transit_gateway.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(
            pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, i), "transit.gateway_id"),
            expect);
        snprintf(label, sizeof label, "output.transit_gateway_id_%s.value", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), label), expect);
    }
    th_free(r);
}

static void test_peering_accepted_in_secondary(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_peering_attachment"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_peering_attachment_accepter"), 1);
    const cJSON *req = res(r, "aws_ec2_transit_gateway_peering_attachment", "peering_to_use2_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(req);
    CU_ASSERT_PTR_NULL(th_path(req, "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(req, "transit_gateway_id"), "${aws_ec2_transit_gateway.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(req, "peer_transit_gateway_id"), "${aws_ec2_transit_gateway.main_use2.id}");
    CU_ASSERT_STRING_EQUAL(th_str(req, "peer_region"), "us-east-2");

    const cJSON *acc = res(r, "aws_ec2_transit_gateway_peering_attachment_accepter", "peering_from_use1_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(acc);
    CU_ASSERT_STRING_EQUAL(th_str(acc, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(acc, "transit_gateway_attachment_id"),
                           "${aws_ec2_transit_gateway_peering_attachment.peering_to_use2_use1.id}");

    /* associated with both route tables, once accepted */
    const cJSON *a1 = res(r, "aws_ec2_transit_gateway_route_table_association", "peering_to_use2_use1");
    const cJSON *a2 = res(r, "aws_ec2_transit_gateway_route_table_association", "peering_from_use1_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a2);
    CU_ASSERT_STRING_EQUAL(th_str(a1, "transit_gateway_attachment_id"),
                           "${aws_ec2_transit_gateway_peering_attachment.peering_to_use2_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(a1, "transit_gateway_route_table_id"),
                           "${aws_ec2_transit_gateway_route_table.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(a2, "transit_gateway_route_table_id"),
                           "${aws_ec2_transit_gateway_route_table.main_use2.id}");
    CU_ASSERT_STRING_EQUAL(th_str(a2, "provider"), "aws.use2");
    const char *accepter = "aws_ec2_transit_gateway_peering_attachment_accepter.peering_from_use1_use2";
    CU_ASSERT_STRING_EQUAL(th_str(a1, "depends_on.0"), accepter);
    CU_ASSERT_STRING_EQUAL(th_str(a2, "depends_on.0"), accepter);
    th_free(r);
}

static void test_tgw_routes_both_ways(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    /* both VPCs' and the peering's both ways, and today's CIDR on each side */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_ec2_transit_gateway_route"), 6);
    const char *accepter = "aws_ec2_transit_gateway_peering_attachment_accepter.peering_from_use1_use2";

    const cJSON *to = res(r, "aws_ec2_transit_gateway_route", "peering_to_use2_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(to);
    CU_ASSERT_STRING_EQUAL(th_str(to, "destination_cidr_block"), "10.20.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(to, "transit_gateway_route_table_id"),
                           "${aws_ec2_transit_gateway_route_table.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(to, "transit_gateway_attachment_id"),
                           "${aws_ec2_transit_gateway_peering_attachment.peering_to_use2_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(to, "depends_on.0"), accepter);
    CU_ASSERT_PTR_NULL(th_path(to, "provider"));

    const cJSON *back = res(r, "aws_ec2_transit_gateway_route", "peering_from_use1_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    CU_ASSERT_STRING_EQUAL(th_str(back, "destination_cidr_block"), "10.10.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(back, "transit_gateway_route_table_id"),
                           "${aws_ec2_transit_gateway_route_table.main_use2.id}");
    CU_ASSERT_STRING_EQUAL(th_str(back, "transit_gateway_attachment_id"),
                           "${aws_ec2_transit_gateway_peering_attachment_accepter.peering_from_use1_use2."
                           "transit_gateway_attachment_id}");
    CU_ASSERT_STRING_EQUAL(th_str(back, "depends_on.0"), accepter);
    CU_ASSERT_STRING_EQUAL(th_str(back, "provider"), "aws.use2");

    /* the local VPC CIDR goes to the VPC attachment on each side */
    const cJSON *l1 = res(r, "aws_ec2_transit_gateway_route", "local_vpc_use1");
    const cJSON *l2 = res(r, "aws_ec2_transit_gateway_route", "local_vpc_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l2);
    CU_ASSERT_STRING_EQUAL(th_str(l1, "destination_cidr_block"), "10.10.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(l1, "transit_gateway_attachment_id"),
                           "${aws_ec2_transit_gateway_vpc_attachment.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(l2, "destination_cidr_block"), "10.20.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(l2, "transit_gateway_route_table_id"),
                           "${aws_ec2_transit_gateway_route_table.main_use2.id}");
    th_free(r);
}

static void test_vpc_routes_in_every_private_table(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    static const char *const tiers[] = {"app", "data"};
    static const char *const letters[] = {"a", "b", "c"};
    size_t found = 0;
    for (size_t t = 0; t < 2; t++)
        for (size_t a = 0; a < 3; a++) {
            char label[64], expect[128];
            snprintf(label, sizeof label, "tgw_%s_%s_to_use2_use1", tiers[t], letters[a]);
            const cJSON *out = res(r, "aws_route", label);
            CU_ASSERT_PTR_NOT_NULL_FATAL(out);
            snprintf(expect, sizeof expect, "${aws_route_table.%s_%s_use1.id}", tiers[t], letters[a]);
            CU_ASSERT_STRING_EQUAL(th_str(out, "route_table_id"), expect);
            CU_ASSERT_STRING_EQUAL(th_str(out, "destination_cidr_block"), "10.20.0.0/16");
            CU_ASSERT_STRING_EQUAL(th_str(out, "transit_gateway_id"), "${aws_ec2_transit_gateway.main_use1.id}");
            CU_ASSERT_STRING_EQUAL(th_str(out, "depends_on.0"), "aws_ec2_transit_gateway_vpc_attachment.main_use1");
            CU_ASSERT_PTR_NULL(th_path(out, "provider"));

            snprintf(label, sizeof label, "tgw_%s_%s_to_use1_use2", tiers[t], letters[a]);
            const cJSON *in = res(r, "aws_route", label);
            CU_ASSERT_PTR_NOT_NULL_FATAL(in);
            snprintf(expect, sizeof expect, "${aws_route_table.%s_%s_use2.id}", tiers[t], letters[a]);
            CU_ASSERT_STRING_EQUAL(th_str(in, "route_table_id"), expect);
            CU_ASSERT_STRING_EQUAL(th_str(in, "destination_cidr_block"), "10.10.0.0/16");
            CU_ASSERT_STRING_EQUAL(th_str(in, "transit_gateway_id"), "${aws_ec2_transit_gateway.main_use2.id}");
            CU_ASSERT_STRING_EQUAL(th_str(in, "depends_on.0"), "aws_ec2_transit_gateway_vpc_attachment.main_use2");
            CU_ASSERT_STRING_EQUAL(th_str(in, "provider"), "aws.use2");
            found += 2;
        }
    CU_ASSERT_EQUAL(found, 12);
    /* the public tables keep their internet route only */
    const cJSON *route;
    cJSON_ArrayForEach(route, th_path(th_stack(r, "payment"), "resource.aws_route"))
    {
        const char *rt = th_str(route, "route_table_id");
        if (rt && strstr(rt, "aws_route_table.public_")) {
            CU_ASSERT_PTR_NULL(th_path(route, "transit_gateway_id"));
        }
    }
    th_free(r);
}

static void test_staging_cidrs(void)
{
    th_run *r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(th_str(res(r, "aws_ec2_transit_gateway_route", "peering_to_use2_use1"),
                                  "destination_cidr_block"),
                           "10.120.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(res(r, "aws_route", "tgw_data_c_to_use1_use2"), "destination_cidr_block"),
                           "10.110.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(res(r, "aws_ec2_transit_gateway", "main_use1"), "tags.Name"),
                           "payment-tgw-use1-staging-xyz789");
    CU_ASSERT_STRING_EQUAL(th_str(res(r, "aws_ec2_transit_gateway_peering_attachment_accepter",
                                      "peering_from_use1_use2"), "tags.Name"),
                           "payment-tgw-peering-use1-use2-staging-xyz789");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"nothing in legacy without a legacy VPC", test_nothing_in_legacy},
        {"gateways and VPC attachments", test_gateways_and_attachments},
        {"peering accepted in the secondary", test_peering_accepted_in_secondary},
        {"TGW routes both ways", test_tgw_routes_both_ways},
        {"VPC routes in every private table", test_vpc_routes_in_every_private_table},
        {"staging CIDRs", test_staging_cidrs},
        CU_TEST_INFO_NULL,
    };
    return th_main("transit", tests);
}
