/* VPC plugin: one VPC per active region, the documented subnet layout, routing
 * per tier, the egress modes, flow logs, the default and app security groups,
 * and the references other plugins read. */
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

/* The value another plugin sees for a reference. */
static const cJSON *published(th_run *r, size_t region, const char *name)
{
    return pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, region), name);
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
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "tags.Name"), "payment-vpc-production-abc123-use1");
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
                           "payment-subnet-data-c-production-abc123-use1");
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
                               "    azs: [us-east-2a, us-east-2b, us-east-2c]\n";
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

static void test_flow_logs_encrypted_and_scoped(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    static const char *const codes[] = {"use1", "use2"};
    for (size_t i = 0; i < 2; i++) {
        char label[32], expect[128];
        snprintf(label, sizeof label, "flow_logs_%s", codes[i]);
        const cJSON *group = th_resource(r, "payment", "aws_cloudwatch_log_group", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(group);
        snprintf(expect, sizeof expect, "${aws_kms_key.logs_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(group, "kms_key_id"), expect);
        CU_ASSERT_EQUAL(th_num(group, "retention_in_days"), 365);
        CU_ASSERT_EQUAL(th_bool(group, "lifecycle.prevent_destroy"), 1);
        CU_ASSERT_STRING_EQUAL(th_str(group, "name"), "/aws/vpc/payment-flow-logs-production-abc123");

        snprintf(label, sizeof label, "main_%s", codes[i]);
        const cJSON *fl = th_resource(r, "payment", "aws_flow_log", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(fl);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "traffic_type"), "ALL");
        CU_ASSERT_STRING_EQUAL(th_str(fl, "log_destination_type"), "cloud-watch-logs");
        snprintf(expect, sizeof expect, "${aws_cloudwatch_log_group.flow_logs_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "log_destination"), expect);
        snprintf(expect, sizeof expect, "${aws_vpc.main_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "vpc_id"), expect);
        const char *role_arn = cJSON_GetStringValue(published(r, i, "iam.flow_logs.arn"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(role_arn);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "iam_role_arn"), role_arn);
        snprintf(expect, sizeof expect, "aws_iam_role_policy.vpc_flow_logs_%s", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "depends_on.0"), expect);

        /* the role may write into exactly this group */
        snprintf(label, sizeof label, "vpc_flow_logs_%s", codes[i]);
        const cJSON *policy = th_resource(r, "payment", "aws_iam_role_policy", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
        CU_ASSERT_STRING_EQUAL(th_str(policy, "role"),
                               cJSON_GetStringValue(published(r, i, "iam.flow_logs.name")));
        snprintf(expect, sizeof expect, "${data.aws_iam_policy_document.vpc_flow_logs_%s.json}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(policy, "policy"), expect);
        const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", label);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement")), 1);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.effect"), "Allow");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement.0.actions")), 3);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.actions.0"), "logs:CreateLogStream");
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.actions.1"), "logs:PutLogEvents");
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.actions.2"), "logs:DescribeLogStreams");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement.0.resources")), 2);
        snprintf(expect, sizeof expect, "${aws_cloudwatch_log_group.flow_logs_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.resources.0"), expect);
        snprintf(expect, sizeof expect, "${aws_cloudwatch_log_group.flow_logs_%s.arn}:*", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.resources.1"), expect);
    }
    th_free(r);

    const char *sets[] = {"network.flow_log_retention_days=3653", "protection=false", NULL};
    r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *group = th_resource(r, "payment", "aws_cloudwatch_log_group", "flow_logs_use1");
    CU_ASSERT_EQUAL(th_num(group, "retention_in_days"), 3653);
    CU_ASSERT_PTR_NULL(th_path(group, "lifecycle"));
    th_free(r);
}

static void test_security_groups(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *dsg = th_resource(r, "payment", "aws_default_security_group", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dsg);
    CU_ASSERT_STRING_EQUAL(th_str(dsg, "vpc_id"), "${aws_vpc.main_use2.id}");
    CU_ASSERT_TRUE(cJSON_IsArray(th_path(dsg, "ingress")));
    CU_ASSERT_TRUE(cJSON_IsArray(th_path(dsg, "egress")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(dsg, "ingress")), 0);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(dsg, "egress")), 0);

    const cJSON *app = th_resource(r, "payment", "aws_security_group", "app_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(app);
    CU_ASSERT_PTR_NULL(th_path(app, "ingress"));
    CU_ASSERT_PTR_NULL(th_path(app, "egress"));
    CU_ASSERT_STRING_EQUAL(th_str(app, "name"), "payment-sg-app-production-abc123");
    const cJSON *https = th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_https_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(https);
    CU_ASSERT_STRING_EQUAL(th_str(https, "security_group_id"), "${aws_security_group.app_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(https, "cidr_ipv4"), "0.0.0.0/0");
    CU_ASSERT_EQUAL(th_num(https, "from_port"), 443);
    CU_ASSERT_EQUAL(th_num(https, "to_port"), 443);
    CU_ASSERT_STRING_EQUAL(th_str(https, "ip_protocol"), "tcp");
    const cJSON *db = th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_postgres_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(th_str(db, "cidr_ipv4"), "10.20.0.0/16");
    CU_ASSERT_EQUAL(th_num(db, "from_port"), 5432);
    CU_ASSERT_EQUAL(th_num(db, "to_port"), 5432);
    /* vpc writes egress only; ingress to the app group is ecs's */
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_vpc_security_group_ingress_rule", "app_https_use1"));
    th_free(r);
}

static void test_published_references(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(published(r, 0, "vpc.id")), "${aws_vpc.main_use1.id}");
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(published(r, 1, "vpc.cidr")), "10.20.0.0/16");
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(published(r, 1, "vpc.app_security_group_id")),
                           "${aws_security_group.app_use2.id}");
    static const char *const lists[] = {"vpc.public_subnet_ids", "vpc.app_subnet_ids",
                                        "vpc.data_subnet_ids", "vpc.app_route_table_ids",
                                        "vpc.data_route_table_ids"};
    for (size_t i = 0; i < 5; i++) {
        const cJSON *v = published(r, 1, lists[i]);
        CU_ASSERT_TRUE(cJSON_IsArray(v));
        CU_ASSERT_EQUAL(cJSON_GetArraySize(v), 3);
    }
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(cJSON_GetArrayItem(published(r, 1, "vpc.data_subnet_ids"), 2)),
                           "${aws_subnet.data_c_use2.id}");
    CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(cJSON_GetArrayItem(published(r, 0, "vpc.app_route_table_ids"), 1)),
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
    CU_ASSERT_TRUE(th_has_error(r, "network.egress = 'internet' must be one of endpoints, nat, both"));
    th_free(r);

    const char *period[] = {"network.flow_log_retention_days=100", NULL};
    r = th_generate("profiles/migration.yaml", period);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "network.flow_log_retention_days = 100 is not a CloudWatch Logs "
                                   "retention period"));
    th_free(r);

    const char *range[] = {"network.flow_log_retention_days=0", NULL};
    r = th_generate("profiles/migration.yaml", range);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "network.flow_log_retention_days = 0 is out of range 1..3653"));
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
        {"endpoints by default", test_endpoints_by_default},
        {"NAT gateway per AZ", test_nat_per_az},
        {"both egress modes", test_both_modes},
        {"routing per tier", test_routing_per_tier},
        {"flow logs encrypted and scoped", test_flow_logs_encrypted_and_scoped},
        {"security groups", test_security_groups},
        {"published references", test_published_references},
        {"bad settings", test_bad_settings},
        CU_TEST_INFO_NULL,
    };
    return th_main("vpc", tests);
}
