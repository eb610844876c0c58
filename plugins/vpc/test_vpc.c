/* SPDX-License-Identifier: Apache-2.0 */
/* VPC plugin: one VPC per active region, the documented subnet layout, and
 * the references other plugins read. Routing and egress: test_vpc_routing.c;
 * security groups and flow logs: test_vpc_security.c. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const letters[] = {"a", "b", "c"};
static const char *const tiers[] = {"public", "app", "data"};

static bool parse(const char *cidr, unsigned *addr, unsigned *prefix)
{
    unsigned a, b, c, d, n;
    if (!cidr || sscanf(cidr, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &n) != 5)
        return false;
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    *prefix = n;
    return true;
}

static bool contains(unsigned outer, unsigned outer_prefix, unsigned inner, unsigned inner_prefix)
{
    unsigned mask = outer_prefix ? ~0u << (32 - outer_prefix) : 0;
    return inner_prefix >= outer_prefix && (inner & mask) == outer;
}

/* The value another plugin sees for a reference: a string, or a list. */
static const char *published(th_run *r, size_t region, const char *name)
{
    return pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, region), name);
}

static const cJSON *published_list(th_run *r, size_t region, const char *name)
{
    return pg_lookup_list(&r->g.ctx, pg_ctx_region(&r->g.ctx, region), name);
}

static const cJSON *subnet(const th_run *r, const char *tier, const char *letter, const char *code)
{
    char label[64];
    snprintf(label, sizeof label, "%s_%s_%s", tier, letter, code);
    return th_resource(r, "payment", "aws_subnet", label);
}

static void test_one_vpc_in_legacy_two_in_migration(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_subnet"), 9);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_flow_log"), 1);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_vpc", "main_use2"));
    const cJSON *vpc = th_resource(r, "payment", "aws_vpc", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(vpc);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "cidr_block"), "10.10.0.0/16");
    CU_ASSERT_EQUAL(th_bool(vpc, "enable_dns_support"), 1);
    CU_ASSERT_EQUAL(th_bool(vpc, "enable_dns_hostnames"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "tags.Name"), "payment-vpc-use1-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(vpc, "provider"));
    th_free(r);

    r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_subnet"), 18);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_flow_log"), 2);
    vpc = th_resource(r, "payment", "aws_vpc", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(vpc);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "cidr_block"), "10.20.0.0/16");
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "provider"), "aws.use2");
    const cJSON *s = subnet(r, "app", "b", "use2");
    CU_ASSERT_STRING_EQUAL(th_str(s, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(s, "availability_zone"), "us-east-2b");
    CU_ASSERT_STRING_EQUAL(th_str(s, "vpc_id"), "${aws_vpc.main_use2.id}");
    th_free(r);
}

/* The layout of the comment in vpc.c: block tier*4 + az of a /20 split. */
static void test_subnet_layout_is_the_documented_one(void)
{
    static const char *const expect_use1[3][3] = {
        {"10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"},
        {"10.10.64.0/20", "10.10.80.0/20", "10.10.96.0/20"},
        {"10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"},
    };
    static const char *const expect_use2[3][3] = {
        {"10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"},
        {"10.20.64.0/20", "10.20.80.0/20", "10.20.96.0/20"},
        {"10.20.128.0/20", "10.20.144.0/20", "10.20.160.0/20"},
    };
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t t = 0; t < 3; t++)
        for (size_t a = 0; a < 3; a++) {
            const cJSON *s1 = subnet(r, tiers[t], letters[a], "use1");
            const cJSON *s2 = subnet(r, tiers[t], letters[a], "use2");
            CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
            CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
            CU_ASSERT_STRING_EQUAL(th_str(s1, "cidr_block"), expect_use1[t][a]);
            CU_ASSERT_STRING_EQUAL(th_str(s2, "cidr_block"), expect_use2[t][a]);
            char az[16];
            snprintf(az, sizeof az, "us-east-1%s", letters[a]);
            CU_ASSERT_STRING_EQUAL(th_str(s1, "availability_zone"), az);
            /* Nothing gets a public address, not even in the public tier. */
            CU_ASSERT_EQUAL(th_bool(s1, "map_public_ip_on_launch"), 0);
        }
    CU_ASSERT_STRING_EQUAL(th_str(subnet(r, "data", "c", "use1"), "tags.Name"),
                           "payment-subnet-data-c-use1-production-abc123");
    th_free(r);
}

/* Every subnet lies inside its VPC and no two overlap, whatever the prefix. */
static void check_carving(const char *yaml)
{
    th_run *r = yaml ? th_generate_text(yaml, NULL)
                     : th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *subnets = th_path(th_stack(r, "payment"), "resource.aws_subnet");
    CU_ASSERT_FATAL(cJSON_GetArraySize(subnets) == 18);
    unsigned addr[18], prefix[18];
    const char *vpc_of[18];
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, subnets)
    {
        CU_ASSERT_FATAL(parse(th_str(s, "cidr_block"), &addr[n], &prefix[n]));
        vpc_of[n] = th_str(s, "vpc_id");
        char label[64];
        const char *ref = vpc_of[n];
        CU_ASSERT_FATAL(ref && sscanf(ref, "${aws_vpc.%63[^.]", label) == 1);
        unsigned va = 0, vp = 0;
        CU_ASSERT_FATAL(parse(th_str(th_resource(r, "payment", "aws_vpc", label), "cidr_block"), &va, &vp));
        CU_ASSERT_EQUAL(prefix[n], vp + 4);
        CU_ASSERT_TRUE(contains(va, vp, addr[n], prefix[n]));
        n++;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            unsigned shorter = prefix[i] < prefix[j] ? prefix[i] : prefix[j];
            unsigned m = ~0u << (32 - shorter);
            CU_ASSERT_NOT_EQUAL(addr[i] & m, addr[j] & m);
        }
    th_free(r);
}

static void test_subnets_never_overlap(void)
{
    check_carving(NULL);
    static const char yaml[] = "project: payment\nenvironment: staging\nsuffix: tiny01\n"
                               "phase: migration\ncutover: \"2026-12-01T06:00:00Z\"\n"
                               "protection: false\nregions:\n"
                               "  - name: us-east-1\n    cidr: 10.30.0.0/24\n"
                               "    azs: [us-east-1a, us-east-1b, us-east-1c]\n"
                               "  - name: us-east-2\n    cidr: 192.168.4.0/22\n"
                               "    azs: [us-east-2a, us-east-2b, us-east-2c]\n"
                               "dns:\n  zone_name: tiny.example.net\n";
    th_run *r = th_generate_text(yaml, NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(th_str(subnet(r, "public", "a", "use1"), "cidr_block"), "10.30.0.0/28");
    CU_ASSERT_STRING_EQUAL(th_str(subnet(r, "app", "a", "use1"), "cidr_block"), "10.30.0.64/28");
    CU_ASSERT_STRING_EQUAL(th_str(subnet(r, "data", "c", "use1"), "cidr_block"), "10.30.0.160/28");
    CU_ASSERT_STRING_EQUAL(th_str(subnet(r, "data", "c", "use2"), "cidr_block"), "192.168.6.128/26");
    th_free(r);
    /* /24 gives /28 subnets (the AWS minimum), /22 gives /26, all inside */
    check_carving(yaml);
}

static void test_published_references(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(published(r, 0, "vpc.id"), "${aws_vpc.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(published(r, 1, "vpc.cidr"), "10.20.0.0/16");
    CU_ASSERT_STRING_EQUAL(published(r, 1, "vpc.app_security_group_id"),
                           "${aws_security_group.app_use2.id}");
    static const char *const lists[] = {"vpc.public_subnet_ids", "vpc.app_subnet_ids",
                                        "vpc.data_subnet_ids", "vpc.app_route_table_ids",
                                        "vpc.data_route_table_ids"};
    for (size_t i = 0; i < 5; i++) {
        const cJSON *v = published_list(r, 1, lists[i]);
        CU_ASSERT_TRUE(cJSON_IsArray(v));
        CU_ASSERT_EQUAL(cJSON_GetArraySize(v), 3);
    }
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(cJSON_GetArrayItem(published_list(r, 1, "vpc.data_subnet_ids"), 2)),
                           "${aws_subnet.data_c_use2.id}");
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(cJSON_GetArrayItem(published_list(r, 0, "vpc.app_route_table_ids"), 1)),
                           "${aws_route_table.app_b_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "output.vpc_id_use1.value"), "${aws_vpc.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "output.vpc_id_use2.value"), "${aws_vpc.main_use2.id}");
    th_free(r);

    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.vpc_id_use2"));
    th_free(r);
}

static void test_bad_settings(void)
{
    const char *egress[] = {"network.egress=internet", NULL};
    th_run *r = th_generate("profiles/migration.yaml", egress);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "network.egress = 'internet' is not one of endpoints|nat|both"));
    th_free(r);

    const char *period[] = {"network.flow_log_retention_days=100", NULL};
    r = th_generate("profiles/migration.yaml", period);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "network.flow_log_retention_days = '100' is not one of "
                                   "1|3|5|7|14|30|60|90|120|150|180|365|400|545|731|1096|1827|"
                                   "2192|2557|2922|3288|3653"));
    th_free(r);

    const char *range[] = {"network.flow_log_retention_days=0", NULL};
    r = th_generate("profiles/migration.yaml", range);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "network.flow_log_retention_days = '0' is not one of 1|3|5|"));
    th_free(r);

    const char *typo[] = {"network.egres=nat", NULL};
    r = th_generate("profiles/migration.yaml", typo);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "did you mean 'network.egress'"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"one VPC in legacy, two in migration", test_one_vpc_in_legacy_two_in_migration},
        {"subnet layout is the documented one", test_subnet_layout_is_the_documented_one},
        {"subnets never overlap", test_subnets_never_overlap},
        {"published references", test_published_references},
        {"bad settings", test_bad_settings},
        CU_TEST_INFO_NULL,
    };
    return th_main("vpc", tests);
}
