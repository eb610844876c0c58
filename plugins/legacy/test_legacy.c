/* SPDX-License-Identifier: Apache-2.0 */
/* Legacy plugin: lookups of the legacy security groups, subnets and state in
 * the legacy and migration phases, nothing in production; ids, tags and state
 * location from the profile, bad values rejected. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const cJSON *sgs(const th_run *r) { return th_data(r, "payment", "aws_security_groups", "legacy_use1"); }
static const cJSON *subnets(const th_run *r) { return th_data(r, "payment", "aws_subnets", "legacy_use1"); }
static const cJSON *state(const th_run *r) { return th_data(r, "payment", "terraform_remote_state", "legacy"); }

static const char *published(th_run *r, const char *name)
{
    return pg_lookup(&r->g.ctx, pg_ctx_primary(&r->g.ctx), name);
}

static void check_defaults(th_run *r)
{
    const cJSON *sg = sgs(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sg);
    CU_ASSERT_PTR_NULL(th_path(sg, "provider"));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(sg, "filter")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.0.name"), "tag:Name");
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.0.values.0"), "payment-legacy-app*");
    const cJSON *sn = subnets(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sn);
    CU_ASSERT_STRING_EQUAL(th_str(sn, "filter.0.name"), "tag:Name");
    CU_ASSERT_STRING_EQUAL(th_str(sn, "filter.0.values.0"), "payment-legacy-private*");
    const cJSON *st = state(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(th_str(st, "backend"), "s3");
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.bucket"), "payment-legacy-terraform-state");
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.key"), "legacy/terraform.tfstate");
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.region"), "us-east-1");
    /* data sources only: nothing to create, nothing to tag */
    CU_ASSERT_PTR_NULL(th_path(sg, "tags"));
    CU_ASSERT_STRING_EQUAL(published(r, "legacy.security_group_ids"),
                           "${data.aws_security_groups.legacy_use1.ids}");
    CU_ASSERT_STRING_EQUAL(published(r, "legacy.subnet_ids"), "${data.aws_subnets.legacy_use1.ids}");
}

static void test_present_in_legacy_and_migration(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    check_defaults(r);
    th_free(r);

    r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    check_defaults(r);
    /* the primary region only */
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_subnets", "legacy_use2"));
    CU_ASSERT_PTR_NULL(pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, 1), "legacy.subnet_ids"));
    th_free(r);
}

static void test_absent_in_production(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(sgs(r));
    CU_ASSERT_PTR_NULL(subnets(r));
    CU_ASSERT_PTR_NULL(state(r));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "data.terraform_remote_state"));
    CU_ASSERT_PTR_NULL(published(r, "legacy.subnet_ids"));
    CU_ASSERT_PTR_NULL(published(r, "legacy.security_group_ids"));
    th_free(r);
}

static void test_ids_vpc_and_state_from_profile(void)
{
    const char *sets[] = {"legacy.vpc_id=vpc-0123456789abcdef0",
                          "legacy.security_group_ids=[sg-0123456789abcdef0, sg-12345678]",
                          "legacy.subnet_tag_key=Tier",
                          "legacy.subnet_tag_value=private",
                          "legacy.state_bucket=acme-legacy-state.prod",
                          "legacy.state_key=env:/production/payment.tfstate",
                          "legacy.state_region=us-west-2",
                          NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *sg = sgs(r);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(sg, "filter")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.0.name"), "group-id");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(sg, "filter.0.values")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.0.values.1"), "sg-12345678");
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.1.name"), "vpc-id");
    CU_ASSERT_STRING_EQUAL(th_str(sg, "filter.1.values.0"), "vpc-0123456789abcdef0");
    const cJSON *sn = subnets(r);
    CU_ASSERT_STRING_EQUAL(th_str(sn, "filter.0.name"), "tag:Tier");
    CU_ASSERT_STRING_EQUAL(th_str(sn, "filter.0.values.0"), "private");
    CU_ASSERT_STRING_EQUAL(th_str(sn, "filter.1.name"), "vpc-id");
    const cJSON *st = state(r);
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.bucket"), "acme-legacy-state.prod");
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.key"), "env:/production/payment.tfstate");
    CU_ASSERT_STRING_EQUAL(th_str(st, "config.region"), "us-west-2");
    th_free(r);
}

static void test_bad_values_rejected(void)
{
    th_expect_error("profiles/legacy.yaml", "legacy.vpc_id=vpc-xyz", "legacy.vpc_id = 'vpc-xyz' is not a VPC id");
    th_expect_error("profiles/legacy.yaml", "legacy.subnet_ids=[subnet-0123456789abcdef0, sg-12345678]",
                 "legacy.subnet_ids: 'sg-12345678' is not a subnet id");
    th_expect_error("profiles/legacy.yaml", "legacy.security_group_ids=[sg-ABCDEF12]",
                 "legacy.security_group_ids: 'sg-ABCDEF12' is not a security_group id");
    th_expect_error("profiles/legacy.yaml", "legacy.security_group_tag_key=",
                 "legacy.security_group_tag_key must be a tag key of 1-128 characters");
    th_expect_error("profiles/legacy.yaml", "legacy.state_bucket=Legacy_State", "legacy.state_bucket = 'Legacy_State' is not an S3 bucket name");
    th_expect_error("profiles/legacy.yaml", "legacy.state_key=/legacy.tfstate", "legacy.state_key = '/legacy.tfstate' must be an object key");
    th_expect_error("profiles/legacy.yaml", "legacy.state_region=mars", "legacy.state_region = 'mars' is not a region name");
    th_expect_error("profiles/legacy.yaml", "legacy.subnet_ids=subnet-0123456789abcdef0", "'legacy.subnet_ids' must be a list");
}

static void test_bad_values_ignored_in_production(void)
{
    /* production has no legacy lookups: nothing to validate, nothing written */
    const char *sets[] = {"legacy.vpc_id=vpc-12345678", NULL};
    th_run *r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(sgs(r));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"present in legacy and migration", test_present_in_legacy_and_migration},
        {"absent in production", test_absent_in_production},
        {"ids, VPC and state from the profile", test_ids_vpc_and_state_from_profile},
        {"bad values rejected", test_bad_values_rejected},
        {"production ignores the lookups", test_bad_values_ignored_in_production},
        CU_TEST_INFO_NULL,
    };
    return th_main("legacy", tests);
}
