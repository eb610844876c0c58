/* SPDX-License-Identifier: Apache-2.0 */
/* VPC plugin: routing per tier and the egress modes (endpoints, NAT per AZ,
 * both); the data tier never reaches the internet. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const letters[] = {"a", "b", "c"};
static const char *const tiers[] = {"public", "app", "data"};

/* Is there a route to 0.0.0.0/0 in route table label (full label)? Which target? */
static const cJSON *default_route(const th_run *r, const char *rt_label)
{
    char ref[128];
    snprintf(ref, sizeof ref, "${aws_route_table.%s.id}", rt_label);
    const cJSON *route;
    cJSON_ArrayForEach(route, th_path(th_stack(r, "payment"), "resource.aws_route"))
    {
        const char *rt = th_str(route, "route_table_id");
        const char *dst = th_str(route, "destination_cidr_block");
        if (rt && dst && !strcmp(rt, ref) && !strcmp(dst, "0.0.0.0/0"))
            return route;
    }
    return NULL;
}

static size_t default_routes(const th_run *r)
{
    size_t n = 0;
    const cJSON *route;
    cJSON_ArrayForEach(route, th_path(th_stack(r, "payment"), "resource.aws_route"))
    {
        const char *dst = th_str(route, "destination_cidr_block");
        n += dst && !strcmp(dst, "0.0.0.0/0");
    }
    return n;
}

static void check_data_tier_has_no_internet(const th_run *r)
{
    for (size_t a = 0; a < 3; a++) {
        char label[32];
        snprintf(label, sizeof label, "data_%s_use1", letters[a]);
        CU_ASSERT_PTR_NOT_NULL(th_resource(r, "payment", "aws_route_table", label));
        CU_ASSERT_PTR_NULL(default_route(r, label));
        snprintf(label, sizeof label, "data_%s_use2", letters[a]);
        CU_ASSERT_PTR_NULL(default_route(r, label));
    }
    /* no route of any kind is written inline in a route table */
    const cJSON *rt;
    cJSON_ArrayForEach(rt, th_path(th_stack(r, "payment"), "resource.aws_route_table"))
    {
        CU_ASSERT_PTR_NULL(th_path(rt, "route"));
    }
}

static const char *const interface_services[] = {"ecr.api", "ecr.dkr", "logs", "kms",
                                                 "secretsmanager", "sts", "monitoring"};
static const char *const interface_labels[] = {"ecr_api", "ecr_dkr", "logs", "kms",
                                               "secretsmanager", "sts", "monitoring"};

static void test_endpoints_by_default(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_nat_gateway"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_eip"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc_endpoint"), 16);
    /* the only default routes are the public tables' to the internet gateway */
    CU_ASSERT_EQUAL(default_routes(r), 2);
    CU_ASSERT_STRING_EQUAL(th_str(default_route(r, "public_use2"), "gateway_id"),
                           "${aws_internet_gateway.main_use2.id}");
    CU_ASSERT_PTR_NULL(default_route(r, "app_a_use1"));
    for (size_t i = 0; i < 7; i++) {
        char label[64], service[64];
        snprintf(label, sizeof label, "%s_use2", interface_labels[i]);
        snprintf(service, sizeof service, "com.amazonaws.us-east-2.%s", interface_services[i]);
        const cJSON *ep = th_resource(r, "payment", "aws_vpc_endpoint", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ep);
        CU_ASSERT_STRING_EQUAL(th_str(ep, "service_name"), service);
        CU_ASSERT_STRING_EQUAL(th_str(ep, "vpc_endpoint_type"), "Interface");
        CU_ASSERT_EQUAL(th_bool(ep, "private_dns_enabled"), 1);
        CU_ASSERT_STRING_EQUAL(th_str(ep, "provider"), "aws.use2");
        CU_ASSERT_STRING_EQUAL(th_str(ep, "subnet_ids.0"), "${aws_subnet.app_a_use2.id}");
        CU_ASSERT_STRING_EQUAL(th_str(ep, "subnet_ids.2"), "${aws_subnet.app_c_use2.id}");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(ep, "subnet_ids")), 3);
        CU_ASSERT_STRING_EQUAL(th_str(ep, "security_group_ids.0"),
                               "${aws_security_group.endpoints_use2.id}");
    }
    const cJSON *s3 = th_resource(r, "payment", "aws_vpc_endpoint", "s3_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s3);
    CU_ASSERT_STRING_EQUAL(th_str(s3, "service_name"), "com.amazonaws.us-east-1.s3");
    CU_ASSERT_STRING_EQUAL(th_str(s3, "vpc_endpoint_type"), "Gateway");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(s3, "route_table_ids")), 6);
    CU_ASSERT_STRING_EQUAL(th_str(s3, "route_table_ids.0"), "${aws_route_table.app_a_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(s3, "route_table_ids.5"), "${aws_route_table.data_c_use1.id}");
    /* the endpoint reaches this account's buckets and ECR's image layers only */
    CU_ASSERT_STRING_EQUAL(th_str(s3, "policy"), "${data.aws_iam_policy_document.s3_endpoint_use1.json}");
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "s3_endpoint_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.0.variable"), "aws:ResourceAccount");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.0.values.0"),
                           "${data.aws_caller_identity.current.account_id}");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.principals.0.type"), "*");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.1.actions.0"), "s3:GetObject");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement.1.actions")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.1.resources.0"),
                           "arn:${data.aws_partition.current.partition}:s3:::prod-us-east-1-starport-layer-bucket/*");
    CU_ASSERT_PTR_NULL(th_path(doc, "statement.1.condition"));
    /* the endpoints admit HTTPS from the VPC and nothing else */
    const cJSON *in = th_resource(r, "payment", "aws_vpc_security_group_ingress_rule",
                                  "endpoints_https_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_STRING_EQUAL(th_str(in, "cidr_ipv4"), "10.20.0.0/16");
    CU_ASSERT_EQUAL(th_num(in, "from_port"), 443);
    CU_ASSERT_EQUAL(th_num(in, "to_port"), 443);
    CU_ASSERT_STRING_EQUAL(th_str(in, "security_group_id"), "${aws_security_group.endpoints_use2.id}");
    CU_ASSERT_PTR_NULL(th_path(th_resource(r, "payment", "aws_security_group", "endpoints_use2"),
                               "ingress"));
    check_data_tier_has_no_internet(r);
    th_free(r);
}

static void test_nat_per_az(void)
{
    const char *sets[] = {"network.egress=nat", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_nat_gateway"), 6);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_eip"), 6);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc_endpoint"), 0);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_security_group", "endpoints_use1"));
    for (size_t a = 0; a < 3; a++) {
        char label[32], expect[96];
        snprintf(label, sizeof label, "%s_use2", letters[a]);
        const cJSON *nat = th_resource(r, "payment", "aws_nat_gateway", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
        snprintf(expect, sizeof expect, "${aws_subnet.public_%s_use2.id}", letters[a]);
        CU_ASSERT_STRING_EQUAL(th_str(nat, "subnet_id"), expect);
        snprintf(expect, sizeof expect, "${aws_eip.nat_%s_use2.id}", letters[a]);
        CU_ASSERT_STRING_EQUAL(th_str(nat, "allocation_id"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(nat, "provider"), "aws.use2");
        snprintf(label, sizeof label, "nat_%s_use2", letters[a]);
        CU_ASSERT_STRING_EQUAL(th_str(th_resource(r, "payment", "aws_eip", label), "domain"), "vpc");
        /* each AZ's app tier leaves through its own AZ's NAT gateway */
        snprintf(label, sizeof label, "app_%s_use2", letters[a]);
        snprintf(expect, sizeof expect, "${aws_nat_gateway.%s_use2.id}", letters[a]);
        CU_ASSERT_STRING_EQUAL(th_str(default_route(r, label), "nat_gateway_id"), expect);
    }
    CU_ASSERT_EQUAL(default_routes(r), 2 + 6);
    check_data_tier_has_no_internet(r);
    th_free(r);
}

static void test_both_modes(void)
{
    const char *sets[] = {"network.egress=both", NULL};
    th_run *r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_nat_gateway"), 6);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_vpc_endpoint"), 16);
    check_data_tier_has_no_internet(r);
    /* route tables and associations do not depend on the mode */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route_table"), 14);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route_table_association"), 18);
    th_free(r);
}

static void test_routing_per_tier(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route_table"), 7);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_internet_gateway"), 1);
    for (size_t t = 0; t < 3; t++)
        for (size_t a = 0; a < 3; a++) {
            char label[32], expect[96];
            snprintf(label, sizeof label, "%s_%s_use1", tiers[t], letters[a]);
            const cJSON *as = th_resource(r, "payment", "aws_route_table_association", label);
            CU_ASSERT_PTR_NOT_NULL_FATAL(as);
            snprintf(expect, sizeof expect, "${aws_subnet.%s.id}", label);
            CU_ASSERT_STRING_EQUAL(th_str(as, "subnet_id"), expect);
            if (t == 0)
                snprintf(expect, sizeof expect, "${aws_route_table.public_use1.id}");
            else
                snprintf(expect, sizeof expect, "${aws_route_table.%s.id}", label);
            CU_ASSERT_STRING_EQUAL(th_str(as, "route_table_id"), expect);
        }
    th_free(r);
}
int main(void)
{
    static const CU_TestInfo tests[] = {
        {"endpoints by default", test_endpoints_by_default},
        {"NAT gateway per AZ", test_nat_per_az},
        {"both egress modes", test_both_modes},
        {"routing per tier", test_routing_per_tier},
        CU_TEST_INFO_NULL,
    };
    return th_main("vpc routing", tests);
}
