/* SPDX-License-Identifier: Apache-2.0 */
/* IAM plugin: the permissions boundary caps regions, identity and keys, and
 * no policy document the plugin writes allows a wildcard action. */
#include <string.h>

#include "harness.h"

#define ACCOUNT "${data.aws_caller_identity.current.account_id}"
#define PARTITION "${data.aws_partition.current.partition}"

static const cJSON *condition(const cJSON *statement, const char *variable)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, th_path(statement, "condition"))
    {
        const char *v = th_str(c, "variable");
        if (v && !strcmp(v, variable))
            return c;
    }
    return NULL;
}

static bool is_read_action(const char *action)
{
    const char *verb = strchr(action, ':');
    verb = verb ? verb + 1 : action;
    return !strncmp(verb, "Describe", 8) || !strncmp(verb, "Get", 3) || !strncmp(verb, "List", 4);
}

/* PCI 7.2.1/7.2.2: no "*" action; in Allow statements no "service:*", and a
 * "*" resource only for read actions or for writes narrowed by a condition. */
static void assert_no_wildcards(const cJSON *doc, const char *label)
{
    const cJSON *st;
    cJSON_ArrayForEach(st, th_path(doc, "statement"))
    {
        bool allow = !strcmp(th_str(st, "effect"), "Allow");
        const char *keys[] = {"actions", "not_actions"};
        for (size_t k = 0; k < 2; k++) {
            const cJSON *a;
            cJSON_ArrayForEach(a, th_path(st, keys[k]))
            {
                CU_ASSERT_STRING_NOT_EQUAL(a->valuestring, "*");
                size_t n = strlen(a->valuestring);
                if (allow && n >= 2 && !strcmp(a->valuestring + n - 2, ":*")) {
                    fprintf(stderr, "%s: allows %s\n", label, a->valuestring);
                    CU_FAIL("service-wide wildcard in an Allow statement");
                }
                if (allow && th_list_has(th_path(st, "resources"), "*") && !is_read_action(a->valuestring) &&
                    !th_path(st, "condition.0")) {
                    fprintf(stderr, "%s: allows %s on *\n", label, a->valuestring);
                    CU_FAIL("write action on resource *");
                }
            }
        }
    }
}

static void test_no_wildcard_actions_in_any_document(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *docs = th_path(th_stack(r, "payment"), "data.aws_iam_policy_document");
    size_t checked = 0;
    const cJSON *doc;
    cJSON_ArrayForEach(doc, docs)
    {
        /* only this plugin's documents: trust policies and boundaries */
        const pg_block_info *info = pg_out_info(&r->g.out, doc);
        if (!info || strcmp(info->plugin, "iam"))
            continue;
        assert_no_wildcards(doc, doc->string);
        checked++;
    }
    CU_ASSERT_EQUAL(checked, 11 + 2); /* trust policies and boundaries */
    th_free(r);
}

static void test_boundary_caps_regions_and_identity(void)
{
    th_run *legacy = th_generate("profiles/legacy.yaml", NULL);
    th_run *migration = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(legacy);
    TH_ASSERT_OK(migration);

    const cJSON *p = th_resource(migration, "payment", "aws_iam_policy", "boundary_use2");
    CU_ASSERT_STRING_EQUAL(th_str(p, "policy"), "${data.aws_iam_policy_document.boundary_use2.json}");
    CU_ASSERT_STRING_EQUAL(th_str(p, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(p, "path"), "/payment/");

    const cJSON *doc = th_data(migration, "payment", "aws_iam_policy_document", "boundary_use1");
    const cJSON *st = th_statement(doc, "DenyOutsideProfileRegions");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "effect"), "Deny");
    const cJSON *c = condition(st, "aws:RequestedRegion");
    CU_ASSERT_STRING_EQUAL(th_str(c, "test"), "StringNotEquals");
    CU_ASSERT_TRUE(th_list_has(th_path(c, "values"), "us-east-1"));
    CU_ASSERT_TRUE(th_list_has(th_path(c, "values"), "us-east-2"));

    /* legacy: the secondary region is outside the platform */
    doc = th_data(legacy, "payment", "aws_iam_policy_document", "boundary_use1");
    c = condition(th_statement(doc, "DenyOutsideProfileRegions"), "aws:RequestedRegion");
    CU_ASSERT_TRUE(th_list_has(th_path(c, "values"), "us-east-1"));
    CU_ASSERT_FALSE(th_list_has(th_path(c, "values"), "us-east-2"));

    st = th_statement(doc, "DenyIdentityAndKeyDestruction");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "effect"), "Deny");
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "iam:*"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "organizations:*"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "kms:ScheduleKeyDeletion"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "kms:DisableKey"));

    /* the replication role's S3 actions are within the cap, on this
     * environment's buckets only */
    st = th_statement(doc, "S3Objects");
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "s3:ReplicateObject"));
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"),
                           "arn:" PARTITION ":s3:::payment-*-production-abc123/*");
    st = th_statement(doc, "KmsUse");
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"),
                           "arn:" PARTITION ":kms:us-east-1:" ACCOUNT ":key/*");
    CU_ASSERT_PTR_NULL(th_path(st, "resources.1"));

    /* writes AWS cannot scope to a resource are narrowed by a condition */
    st = th_statement(doc, "MetricsInPlatformNamespaces");
    CU_ASSERT_STRING_EQUAL(th_str(st, "actions.0"), "cloudwatch:PutMetricData");
    c = condition(st, "cloudwatch:namespace");
    CU_ASSERT_STRING_EQUAL(th_str(c, "test"), "StringLike");
    CU_ASSERT_STRING_EQUAL(th_str(c, "values.0"), "Payment/*");
    st = th_statement(doc, "TracesInProfileRegions");
    CU_ASSERT_TRUE(th_list_has(th_path(condition(st, "aws:RequestedRegion"), "values"), "us-east-1"));
    /* Route 53 is global: scoped to zones, exempt from the region deny */
    st = th_statement(doc, "Route53ReadZones");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "resources.0"), "arn:" PARTITION ":route53:::hostedzone/*");
    CU_ASSERT_TRUE(th_list_has(th_path(th_statement(doc, "DenyOutsideProfileRegions"), "not_actions"),
                       "route53:GetHostedZone"));
    /* one owner for the weights (Terraform): no workload may write a record */
    CU_ASSERT_PTR_NULL(th_statement(doc, "Route53Weights"));
    CU_ASSERT_FALSE(th_list_has(th_path(st, "actions"), "route53:ChangeResourceRecordSets"));
    th_free(legacy);
    th_free(migration);
}

static void test_metric_namespaces_setting(void)
{
    const char *sets[] = {"iam.metric_namespaces=[Payment/Service, Payments/Cutover]", NULL};
    th_run *r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "boundary_use1");
    const cJSON *c = condition(th_statement(doc, "MetricsInPlatformNamespaces"), "cloudwatch:namespace");
    CU_ASSERT_STRING_EQUAL(th_str(c, "values.0"), "Payment/Service");
    CU_ASSERT_STRING_EQUAL(th_str(c, "values.1"), "Payments/Cutover");
    CU_ASSERT_PTR_NULL(th_path(c, "values.2"));
    th_free(r);

    const char *none[] = {"iam.metric_namespaces=[]", NULL};
    r = th_generate("profiles/legacy.yaml", none);
    TH_ASSERT_OK(r);
    doc = th_data(r, "payment", "aws_iam_policy_document", "boundary_use1");
    CU_ASSERT_PTR_NOT_NULL(th_statement(doc, "KmsUse"));
    CU_ASSERT_PTR_NULL(th_statement(doc, "MetricsInPlatformNamespaces"));
    th_free(r);
}

/* The failover function's actions, where a global database has secondaries:
 * on clusters and global clusters of the account, nothing else. */
static void test_failover_grants_only_with_secondaries(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "boundary_use2");
    const cJSON *st = th_statement(doc, "GlobalDatabaseWriterMoves");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "rds:SwitchoverGlobalCluster"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "actions"), "rds:FailoverGlobalCluster"));
    CU_ASSERT_FALSE(th_list_has(th_path(st, "resources"), "*"));
    CU_ASSERT_TRUE(th_list_has(th_path(st, "resources"),
                               "arn:${data.aws_partition.current.partition}:rds::"
                               "${data.aws_caller_identity.current.account_id}:global-cluster:*"));
    CU_ASSERT_PTR_NOT_NULL(th_statement(doc, "Route53HealthChecksRead"));
    /* the application user's IAM sign-in, in the account's regions only */
    const cJSON *connect = th_statement(doc, "DatabaseConnect");
    CU_ASSERT_TRUE(th_list_has(th_path(connect, "actions"), "rds-db:connect"));
    CU_ASSERT_TRUE(th_list_has(th_path(connect, "resources"),
                               "arn:${data.aws_partition.current.partition}:rds-db:us-east-2:"
                               "${data.aws_caller_identity.current.account_id}:dbuser:*/*"));
    CU_ASSERT_PTR_NOT_NULL(th_statement(doc, "NotificationsPublish"));
    CU_ASSERT_TRUE(th_list_has(th_path(th_statement(doc, "DenyOutsideProfileRegions"), "not_actions"),
                               "route53:GetHealthCheckStatus"));
    /* other plugins cap their roles with it */
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, 1), "iam.boundary.arn"),
                           "${aws_iam_policy.boundary_use2.arn}");
    th_free(r);

    r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    doc = th_data(r, "payment", "aws_iam_policy_document", "boundary_use1");
    CU_ASSERT_PTR_NULL(th_statement(doc, "GlobalDatabaseWriterMoves"));
    CU_ASSERT_PTR_NULL(th_statement(doc, "NotificationsPublish"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"no wildcard action in any document", test_no_wildcard_actions_in_any_document},
        {"boundary caps regions, identity and keys", test_boundary_caps_regions_and_identity},
        {"metric namespaces setting", test_metric_namespaces_setting},
        {"failover grants only with secondaries", test_failover_grants_only_with_secondaries},
        CU_TEST_INFO_NULL,
    };
    return th_main("iam boundary", tests);
}
