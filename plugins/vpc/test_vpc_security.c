/* SPDX-License-Identifier: Apache-2.0 */
/* VPC plugin: the emptied default security group, the application group's
 * egress rules, and flow logs encrypted, protected and delivered by a role
 * scoped to their group. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* The value another plugin sees for a reference. */
static const char *published(th_run *r, size_t region, const char *name)
{
    return pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, region), name);
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
        const char *role_arn = published(r, i, "iam.flow_logs.arn");
        CU_ASSERT_PTR_NOT_NULL_FATAL(role_arn);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "iam_role_arn"), role_arn);
        snprintf(expect, sizeof expect, "aws_iam_role_policy.vpc_flow_logs_%s", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(fl, "depends_on.0"), expect);

        /* the role may write into exactly this group */
        snprintf(label, sizeof label, "vpc_flow_logs_%s", codes[i]);
        const cJSON *policy = th_resource(r, "payment", "aws_iam_role_policy", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
        CU_ASSERT_STRING_EQUAL(th_str(policy, "role"),
                               published(r, i, "iam.flow_logs.name"));
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
    /* endpoints only: HTTPS to the VPC's interface endpoints and to S3's prefix list */
    CU_ASSERT_STRING_EQUAL(th_str(https, "cidr_ipv4"), "10.10.0.0/16");
    CU_ASSERT_EQUAL(th_num(https, "from_port"), 443);
    CU_ASSERT_EQUAL(th_num(https, "to_port"), 443);
    CU_ASSERT_STRING_EQUAL(th_str(https, "ip_protocol"), "tcp");
    const cJSON *s3 = th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_s3_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s3);
    CU_ASSERT_STRING_EQUAL(th_str(s3, "prefix_list_id"), "${aws_vpc_endpoint.s3_use1.prefix_list_id}");
    CU_ASSERT_PTR_NULL(th_path(s3, "cidr_ipv4"));
    CU_ASSERT_EQUAL(th_num(s3, "from_port"), 443);
    CU_ASSERT_EQUAL(th_num(s3, "to_port"), 443);
    const cJSON *db = th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_postgres_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(th_str(db, "cidr_ipv4"), "10.20.0.0/16");
    CU_ASSERT_EQUAL(th_num(db, "from_port"), 5432);
    CU_ASSERT_EQUAL(th_num(db, "to_port"), 5432);
    /* vpc writes egress only; ingress to the app group is ecs's */
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_vpc_security_group_ingress_rule", "app_https_use1"));
    th_free(r);

    /* with NAT the application may call out on 443; no prefix-list rule without endpoints */
    const char *const modes[] = {"network.egress=nat", "network.egress=both"};
    for (size_t m = 0; m < 2; m++) {
        const char *sets[] = {modes[m], NULL};
        r = th_generate("profiles/production.yaml", sets);
        TH_ASSERT_OK(r);
        TH_ASSERT_STR(th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_https_use1"),
                      "cidr_ipv4", "0.0.0.0/0");
        CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_vpc_security_group_egress_rule", "app_s3_use1"));
        th_free(r);
    }
}
/* The applications write wherever the writer is: each app group reaches the
 * database port in every other active region, by its CIDR, and nothing more. */
static void test_app_reaches_the_writer_in_every_region(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    static const char *const labels[] = {"app_postgres_to_use2_use1", "app_postgres_to_use1_use2"};
    static const char *const cidrs[] = {"10.20.0.0/16", "10.10.0.0/16"};
    static const char *const groups[] = {"${aws_security_group.app_use1.id}",
                                         "${aws_security_group.app_use2.id}"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *rule = th_resource(r, "payment", "aws_vpc_security_group_egress_rule", labels[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
        TH_ASSERT_STR(rule, "security_group_id", groups[i]);
        TH_ASSERT_STR(rule, "cidr_ipv4", cidrs[i]);
        CU_ASSERT_EQUAL(th_num(rule, "from_port"), 5432);
        CU_ASSERT_EQUAL(th_num(rule, "to_port"), 5432);
    }
    th_free(r);
    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_vpc_security_group_egress_rule",
                                   "app_postgres_to_use2_use1"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"flow logs encrypted and scoped", test_flow_logs_encrypted_and_scoped},
        {"security groups", test_security_groups},
        {"app reaches the writer in every region", test_app_reaches_the_writer_in_every_region},
        CU_TEST_INFO_NULL,
    };
    return th_main("vpc security", tests);
}
