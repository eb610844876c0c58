/* SPDX-License-Identifier: Apache-2.0 */
/* Legacy plugin: today's platform from the profile's legacy section. What it
 * publishes for the plugins that adopt, connect and move (per phase and per
 * database kind), the lookups it makes only where they feed something, the
 * state read with its precondition, and every half-filled or wrong section
 * refused with the key and where it was set. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define VPC "vpc-0a1b2c3d4e5f60718"

/* A published value, or a failure when it is missing. */
#define STR_EQ(got, want)                                                                          \
    do {                                                                                           \
        const char *got_ = (got);                                                                  \
        CU_ASSERT_PTR_NOT_NULL(got_);                                                              \
        if (got_)                                                                                  \
            CU_ASSERT_STRING_EQUAL(got_, want);                                                    \
    } while (0)

static const cJSON *sgs(const th_run *r) { return th_data(r, "payment", "aws_security_groups", "legacy_use1"); }
static const cJSON *subnets(const th_run *r) { return th_data(r, "payment", "aws_subnets", "legacy_use1"); }
static const cJSON *state(const th_run *r) { return th_data(r, "payment", "terraform_remote_state", "legacy"); }

static const char *primary(th_run *r, const char *name)
{
    return pg_lookup(&r->g.ctx, pg_ctx_primary(&r->g.ctx), name);
}

static const char *global(th_run *r, const char *name)
{
    return pg_lookup(&r->g.ctx, NULL, name);
}

static void test_aurora_platform_published(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    STR_EQ(global(r, "legacy.database.kind"), "aurora-postgresql");
    STR_EQ(global(r, "legacy.database.move"), "adopt");
    STR_EQ(global(r, "legacy.database.identifier"), "payment-legacy-db");
    STR_EQ(global(r, "legacy.database.port"), "5432");
    STR_EQ(global(r, "legacy.database.subnet_group"), "payment-legacy-db-subnets");
    STR_EQ(global(r, "legacy.database.master_username"), "payment_admin");
    STR_EQ(global(r, "legacy.database.arn"),
                     "arn:${data.aws_partition.current.partition}:rds:us-east-1:"
                     "${data.aws_caller_identity.current.account_id}:cluster:payment-legacy-db");
    const cJSON *instances = pg_lookup_list(&r->g.ctx, NULL, "legacy.database.instance_identifiers");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(instances), 2);
    CU_ASSERT(th_list_has(instances, "payment-legacy-db-2"));
    CU_ASSERT_PTR_NULL(global(r, "legacy.database.secret_arn"));
    STR_EQ(global(r, "legacy.endpoint.zone_id"), "Z35SXDOTRQ7X7K");
    STR_EQ(primary(r, "legacy.vpc_id"), VPC);
    STR_EQ(primary(r, "legacy.cidr"), "10.0.0.0/16");
    STR_EQ(primary(r, "legacy.security_group_references"), "false");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(pg_lookup_list(&r->g.ctx, pg_ctx_primary(&r->g.ctx),
                                                      "legacy.route_table_ids")), 3);
    /* connected: the attachment's subnets, by id, inside the legacy VPC */
    const cJSON *sn = subnets(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sn);
    TH_ASSERT_STR(sn, "filter.0.name", "subnet-id");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(sn, "filter.0.values")), 3);
    TH_ASSERT_STR(sn, "filter.1.name", "vpc-id");
    TH_ASSERT_STR(sn, "filter.1.values.0", VPC);
    STR_EQ(primary(r, "legacy.subnet_ids"), "${data.aws_subnets.legacy_use1.ids}");
    /* groups are not referenced: no lookup that would feed nothing */
    CU_ASSERT_PTR_NULL(sgs(r));
    CU_ASSERT_PTR_NULL(primary(r, "legacy.security_group_ids"));
    th_free(r);
}

static void test_state_read_proves_the_vpc(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *st = state(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    TH_ASSERT_STR(st, "backend", "s3");
    TH_ASSERT_STR(st, "config.bucket", "payment-legacy-terraform-state");
    TH_ASSERT_STR(st, "config.key", "legacy/terraform.tfstate");
    TH_ASSERT_STR(st, "config.region", "us-east-1");
    /* a missing output is a value, so the precondition below reports it */
    TH_ASSERT_STR(st, "defaults.vpc_id", "");
    const cJSON *check = th_resource(r, "payment", "terraform_data", "legacy_state_check");
    CU_ASSERT_PTR_NOT_NULL_FATAL(check);
    TH_ASSERT_STR(check, "lifecycle.precondition.0.condition",
                  "${data.terraform_remote_state.legacy.outputs[\"vpc_id\"] == \"" VPC "\"}");
    CU_ASSERT_PTR_NOT_NULL(strstr(th_str(check, "lifecycle.precondition.0.error_message"), VPC));
    th_free(r);

    /* the output name, bucket and region come from the profile */
    const char *sets[] = {"legacy.state.vpc_id_output=network_vpc", "legacy.state.region=us-west-2",
                          "legacy.state.bucket=acme-legacy-state.prod", NULL};
    r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(state(r), "config.bucket", "acme-legacy-state.prod");
    TH_ASSERT_STR(state(r), "config.region", "us-west-2");
    TH_ASSERT_STR(state(r), "defaults.network_vpc", "");
    th_free(r);

    /* no bucket: nothing read */
    const char *none[] = {"legacy.state.bucket=", NULL};
    r = th_generate("profiles/legacy.yaml", none);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(state(r));
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "terraform_data", "legacy_state_check"));
    th_free(r);
}

static void test_production_keeps_only_what_still_runs(void)
{
    /* the adopted cluster stays in the legacy VPC: still connected */
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NOT_NULL(subnets(r));
    STR_EQ(global(r, "legacy.database.move"), "adopt");
    CU_ASSERT_PTR_NULL(global(r, "legacy.endpoint.dns_name"));
    CU_ASSERT_PTR_NULL(state(r));
    th_free(r);

    /* a moved RDS instance leaves nothing to reach in production */
    const char *sets[] = {"phase=production", NULL};
    r = th_generate("profiles/examples/from-rds-postgresql.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(subnets(r));
    CU_ASSERT_PTR_NULL(primary(r, "legacy.subnet_ids"));
    STR_EQ(primary(r, "legacy.vpc_id"), VPC);
    th_free(r);
}

static void test_rds_moves(void)
{
    th_run *r = th_generate("profiles/examples/from-rds-postgresql.yaml", NULL);
    TH_ASSERT_OK(r);
    STR_EQ(global(r, "legacy.database.kind"), "rds-postgresql");
    STR_EQ(global(r, "legacy.database.move"), "replica");
    STR_EQ(global(r, "legacy.database.arn"),
                     "arn:${data.aws_partition.current.partition}:rds:us-east-1:"
                     "${data.aws_caller_identity.current.account_id}:db:payment-legacy-pg");
    CU_ASSERT_PTR_NULL(global(r, "legacy.database.subnet_group"));
    CU_ASSERT_PTR_NULL(pg_lookup_list(&r->g.ctx, NULL, "legacy.database.instance_identifiers"));
    th_free(r);

    r = th_generate("profiles/examples/from-rds-postgresql-dms.yaml", NULL);
    TH_ASSERT_OK(r);
    STR_EQ(global(r, "legacy.database.move"), "dms");
    STR_EQ(global(r, "legacy.database.secret_arn"),
                     "arn:aws:secretsmanager:us-east-1:111122223333:secret:payment-legacy-pg-AbCdEf");
    th_free(r);
}

static void test_group_references_look_groups_up(void)
{
    const char *sets[] = {"legacy.security_group_references=true",
                          "legacy.security_group_tag_key=Tier",
                          "legacy.security_group_tag_value=payment-app*", NULL};
    th_run *r = th_generate("profiles/examples/from-rds-postgresql.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *sg = sgs(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sg);
    TH_ASSERT_STR(sg, "filter.0.name", "tag:Tier");
    TH_ASSERT_STR(sg, "filter.0.values.0", "payment-app*");
    TH_ASSERT_STR(sg, "filter.1.values.0", VPC);
    STR_EQ(primary(r, "legacy.security_group_ids"), "${data.aws_security_groups.legacy_use1.ids}");
    STR_EQ(primary(r, "legacy.security_group_references"), "true");
    th_free(r);

    /* an adopted cluster admits today's application through today's groups:
     * with references, only the new VPC's groups are referenced */
    const char *adopt[] = {"legacy.security_group_references=true", NULL};
    r = th_generate("profiles/legacy.yaml", adopt);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(sgs(r));
    STR_EQ(primary(r, "legacy.security_group_references"), "true");
    th_free(r);
}

static void test_greenfield_describes_nothing(void)
{
    const char *sets[] = {"legacy.vpc_id=", "legacy.cidr=", "legacy.subnet_ids=[]",
                          "legacy.route_table_ids=[]", "legacy.database.kind=none",
                          "legacy.database.identifier=", "legacy.database.engine_version=",
                          "legacy.database.kms_key_arn=", "legacy.database.subnet_group=",
                          "legacy.database.security_group_ids=[]",
                          "legacy.database.master_username=",
                          "legacy.database.instance_identifiers=[]", "legacy.endpoint.dns_name=",
                          "legacy.endpoint.zone_id=", "legacy.state.bucket=", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(subnets(r));
    CU_ASSERT_PTR_NULL(state(r));
    CU_ASSERT_PTR_NULL(global(r, "legacy.database.kind"));
    CU_ASSERT_PTR_NULL(primary(r, "legacy.vpc_id"));
    CU_ASSERT_PTR_NULL(global(r, "legacy.endpoint.dns_name"));
    th_free(r);
}

static void test_bad_sections_rejected(void)
{
    const char *p = "profiles/legacy.yaml";
    th_expect_error(p, "legacy.vpc_id=vpc-xyz", "--set legacy.vpc_id: plugin legacy: 'vpc-xyz' is not a VPC id");
    th_expect_error(p, "legacy.cidr=10.10.128.0/17",
                    "legacy.cidr: plugin legacy: 10.10.128.0/17 overlaps us-east-1's cidr 10.10.0.0/16");
    th_expect_error(p, "legacy.cidr=10.20.0.0/24", "10.20.0.0/24 overlaps us-east-2's cidr");
    th_expect_error(p, "legacy.cidr=10.0.0.1/16", "'10.0.0.1/16' is not a CIDR block");
    th_expect_error(p, "legacy.subnet_ids=[subnet-0123456789abcdef0, sg-12345678]",
                    "'sg-12345678' is not a subnet id");
    th_expect_error(p, "legacy.route_table_ids=[]", "legacy.route_table_ids: plugin legacy: list today's route tables");
    th_expect_error(p, "legacy.security_group_ids=[sg-12345678]",
                    "used only with legacy.security_group_references: true and a database that "
                    "is not adopted");
    th_expect_error("profiles/examples/from-rds-postgresql.yaml",
                    "legacy.security_group_references=true",
                    "plugin legacy: legacy.security_group_ids (not set): list the ids, or set "
                    "legacy.security_group_tag_value");
    th_expect_error(p, "legacy.database.kind=oracle",
                    "legacy.database.kind = 'oracle' is not one of none|aurora-postgresql|rds-postgresql");
    th_expect_error(p, "legacy.database.kind=none", "is none, but other legacy.database keys are set");
    th_expect_error(p, "legacy.database.kind=rds-postgresql", "describe an Aurora cluster; remove them");
    th_expect_error(p, "legacy.database.move=dms", "an Aurora PostgreSQL cluster is adopted as it is");
    th_expect_error(p, "legacy.database.kms_key_arn=arn:aws:kms:us-east-2:111122223333:key/abc",
                    "is not a KMS key ARN in us-east-1");
    th_expect_error(p, "legacy.database.identifier=1-db", "'1-db' is not an RDS identifier");
    th_expect_error(p, "legacy.database.instance_identifiers=[]", "list today's 1-15 cluster instances");
    th_expect_error(p, "legacy.endpoint.zone_id=", "the legacy endpoint needs both dns_name and zone_id");
    th_expect_error(p, "legacy.endpoint.zone_id=z35", "'z35' is not a hosted zone id");
    th_expect_error(p, "legacy.state.bucket=Legacy_State", "'Legacy_State' is not an S3 bucket name");
    th_expect_error(p, "legacy.state.key=/legacy.tfstate", "must be an object key");
    th_expect_error(p, "legacy.state.region=mars", "'mars' is not a region name");
    th_expect_error(p, "legacy.vpc_id=", "the legacy network is half described");
    th_expect_error("profiles/examples/from-rds-postgresql.yaml", "legacy.database.move=dms",
                    "plugin legacy: legacy.database.secret_arn (not set): is empty; DMS reads");
    th_expect_error("profiles/examples/from-rds-postgresql.yaml", "legacy.database.move=snapshot",
                    "'snapshot' is not replica or dms");
}

static void test_errors_point_into_the_file(void)
{
    th_run *r = th_generate("tests/fixtures/legacy/half-database.yaml", NULL);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    /* the key as written in the fixture, and the file it came from */
    TH_ASSERT_ERROR(r, "half-database.yaml:8:5: plugin legacy: legacy.database.identifier: '' is "
                       "not an RDS identifier");
    TH_ASSERT_ERROR(r, "half-database.yaml:9:5: plugin legacy: legacy.database.kms_key_arn:");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"an Aurora platform is published", test_aurora_platform_published},
        {"the state read proves the VPC", test_state_read_proves_the_vpc},
        {"production keeps only what still runs", test_production_keeps_only_what_still_runs},
        {"RDS moves: replica and dms", test_rds_moves},
        {"group references look the groups up", test_group_references_look_groups_up},
        {"a greenfield profile describes nothing", test_greenfield_describes_nothing},
        {"bad sections rejected", test_bad_sections_rejected},
        {"errors point into the file", test_errors_point_into_the_file},
        CU_TEST_INFO_NULL,
    };
    return th_main("legacy", tests);
}
