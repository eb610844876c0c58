/* SPDX-License-Identifier: Apache-2.0 */
/* DMS plugin: the move of an RDS for PostgreSQL database by DMS, only when
 * legacy.database.move is dms, in the legacy and migration phases, in the
 * primary region (production keeps only the task logs); its arguments and
 * references; nothing otherwise; bad input named by key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define DMS_PROFILE "profiles/examples/from-rds-postgresql-dms.yaml"
#define SECRET "arn:aws:secretsmanager:us-east-1:111122223333:secret:payment-legacy-pg-AbCdEf"

static const cJSON *res(const th_run *r, const char *type, const char *label)
{
    return th_resource(r, "payment", type, label);
}

/* Every block (resource or data) the dms plugin wrote. */
static size_t dms_blocks(const th_run *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->g.out.block_count; i++)
        n += !strcmp(r->g.out.blocks[i].plugin, "dms");
    return n;
}

static void assert_nothing(const th_run *r)
{
    CU_ASSERT_EQUAL(dms_blocks(r), 0);
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_iam_role", "dms_vpc"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.dms_replication_task_arn"));
}

/* A JSON document held in a string argument; the caller deletes it. */
static cJSON *parsed(const cJSON *block, const char *path)
{
    const char *text = th_str(block, path);
    CU_ASSERT_PTR_NOT_NULL(text);
    return text ? cJSON_Parse(text) : NULL;
}

static void check_network(const th_run *r)
{
    const cJSON *group = res(r, "aws_dms_replication_subnet_group", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(group);
    CU_ASSERT_PTR_NULL(th_path(group, "provider"));
    TH_ASSERT_STR(group, "subnet_ids.0", "${aws_subnet.data_a_use1.id}");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(group, "subnet_ids")), 3);
    TH_ASSERT_STR(group, "lifecycle.precondition.0.condition",
                  "${strcontains(data.aws_iam_role.dms_vpc.assume_role_policy, "
                  "\"dms.amazonaws.com\")}");

    const cJSON *sg = res(r, "aws_security_group", "dms_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sg);
    TH_ASSERT_STR(sg, "vpc_id", "${aws_vpc.main_use1.id}");
    CU_ASSERT_PTR_NULL(th_path(sg, "ingress"));
    CU_ASSERT_PTR_NULL(th_path(sg, "egress"));

    /* egress only: today's database port in the legacy CIDR, Aurora's
     * group, HTTPS in the VPC (Secrets Manager endpoint) */
    const cJSON *legacy = res(r, "aws_vpc_security_group_egress_rule", "dms_to_legacy_db_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(legacy);
    TH_ASSERT_STR(legacy, "security_group_id", "${aws_security_group.dms_use1.id}");
    TH_ASSERT_STR(legacy, "cidr_ipv4", "10.0.0.0/16");
    CU_ASSERT_EQUAL(th_num(legacy, "from_port"), 5432);
    CU_ASSERT_EQUAL(th_num(legacy, "to_port"), 5432);
    const cJSON *aurora = res(r, "aws_vpc_security_group_egress_rule", "dms_to_aurora_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(aurora);
    TH_ASSERT_STR(aurora, "referenced_security_group_id", "${aws_security_group.database_use1.id}");
    CU_ASSERT_PTR_NULL(th_path(aurora, "cidr_ipv4"));
    const cJSON *https = res(r, "aws_vpc_security_group_egress_rule", "dms_to_endpoints_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(https);
    CU_ASSERT_EQUAL(th_num(https, "from_port"), 443);
    TH_ASSERT_STR(https, "cidr_ipv4", "10.10.0.0/16");
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_vpc_security_group_egress_rule", "dms"), 3);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_vpc_security_group_ingress_rule", "dms"), 1);

    /* Aurora admits the replication instance */
    const cJSON *in = res(r, "aws_vpc_security_group_ingress_rule", "aurora_from_dms_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    TH_ASSERT_STR(in, "security_group_id", "${aws_security_group.database_use1.id}");
    TH_ASSERT_STR(in, "referenced_security_group_id", "${aws_security_group.dms_use1.id}");
    CU_ASSERT_EQUAL(th_num(in, "from_port"), 5432);
    CU_ASSERT_PTR_NOT_NULL(th_target(r, th_str(in, "security_group_id")));
}

static void check_access(const th_run *r)
{
    /* account-wide roles looked up, never created */
    TH_ASSERT_STR(th_data(r, "payment", "aws_iam_role", "dms_vpc"), "name", "dms-vpc-role");
    TH_ASSERT_STR(th_data(r, "payment", "aws_iam_role", "dms_cloudwatch_logs"), "name",
                  "dms-cloudwatch-logs-role");
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_iam_role", "dms"), 1);

    const cJSON *role = res(r, "aws_iam_role", "dms_secrets_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(role);
    TH_ASSERT_STR(role, "assume_role_policy", "${data.aws_iam_policy_document.dms_secrets_trust_use1.json}");
    const cJSON *trust = th_data(r, "payment", "aws_iam_policy_document", "dms_secrets_trust_use1");
    const cJSON *st = th_statement(trust, "TrustedService");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_TRUE(th_list_has(th_path(st, "principals.0.identifiers"), "dms.us-east-1.amazonaws.com"));
    TH_ASSERT_STR(st, "condition.0.variable", "aws:SourceAccount");

    const cJSON *policy = res(r, "aws_iam_role_policy", "dms_secrets_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
    TH_ASSERT_STR(policy, "role", "${aws_iam_role.dms_secrets_use1.id}");
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "dms_secrets_use1");
    const cJSON *read = th_statement(doc, "ReadMoveSecrets");
    CU_ASSERT_PTR_NOT_NULL_FATAL(read);
    /* exactly today's secret and Aurora's */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(read, "resources")), 2);
    CU_ASSERT_TRUE(th_list_has(th_path(read, "resources"), SECRET));
    CU_ASSERT_TRUE(th_list_has(th_path(read, "resources"), "${aws_secretsmanager_secret.db_master_use1.arn}"));
    CU_ASSERT_FALSE(th_list_has(th_path(read, "actions"), "secretsmanager:*"));
    const cJSON *decrypt = th_statement(doc, "DecryptMoveSecrets");
    CU_ASSERT_PTR_NOT_NULL_FATAL(decrypt);
    TH_ASSERT_STR(decrypt, "actions.0", "kms:Decrypt");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(decrypt, "actions")), 1);
    TH_ASSERT_STR(decrypt, "condition.0.variable", "kms:ViaService");
    TH_ASSERT_STR(decrypt, "condition.0.values.0", "secretsmanager.us-east-1.amazonaws.com");
    TH_ASSERT_STR(decrypt, "condition.1.variable", "kms:EncryptionContext:SecretARN");
    CU_ASSERT_TRUE(th_list_has(th_path(decrypt, "condition.1.values"), SECRET));

    const cJSON *logs = res(r, "aws_cloudwatch_log_group", "dms_tasks_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(logs);
    TH_ASSERT_STR(logs, "name", "dms-tasks-payment-dms-use1-production-abc123");
    TH_ASSERT_STR(logs, "kms_key_id", "${aws_kms_key.logs_use1.arn}");
    CU_ASSERT_EQUAL(th_num(logs, "retention_in_days"), 365);
}

static void check_endpoints(const th_run *r)
{
    const cJSON *src = res(r, "aws_dms_endpoint", "source_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(src);
    TH_ASSERT_STR(src, "endpoint_type", "source");
    TH_ASSERT_STR(src, "engine_name", "postgres");
    TH_ASSERT_STR(src, "database_name", "payments");
    TH_ASSERT_STR(src, "ssl_mode", "require");
    CU_ASSERT_PTR_NULL(th_path(src, "certificate_arn"));
    TH_ASSERT_STR(src, "kms_key_arn", "${aws_kms_key.database_use1.arn}");
    TH_ASSERT_STR(src, "secrets_manager_arn", SECRET);
    TH_ASSERT_STR(src, "secrets_manager_access_role_arn", "${aws_iam_role.dms_secrets_use1.arn}");
    /* the provider refuses these beside a secret: the secret holds them */
    CU_ASSERT_PTR_NULL(th_path(src, "server_name"));
    CU_ASSERT_PTR_NULL(th_path(src, "port"));
    CU_ASSERT_PTR_NULL(th_path(src, "password"));
    CU_ASSERT_EQUAL(th_bool(src, "postgres_settings.0.capture_ddls"), 0);
    CU_ASSERT_EQUAL(th_bool(src, "postgres_settings.0.fail_tasks_on_lob_truncation"), 1);
    TH_ASSERT_STR(src, "depends_on.0", "aws_iam_role_policy.dms_secrets_use1");

    const cJSON *dst = res(r, "aws_dms_endpoint", "target_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dst);
    TH_ASSERT_STR(dst, "endpoint_type", "target");
    TH_ASSERT_STR(dst, "engine_name", "aurora-postgresql");
    TH_ASSERT_STR(dst, "ssl_mode", "require");
    TH_ASSERT_STR(dst, "secrets_manager_arn", "${aws_secretsmanager_secret.db_master_use1.arn}");
    TH_ASSERT_STR(dst, "kms_key_arn", "${aws_kms_key.database_use1.arn}");
    TH_ASSERT_STR(dst, "postgres_settings.0.after_connect_script",
                  "SET session_replication_role = 'replica'");
    CU_ASSERT_PTR_NOT_NULL(th_target(r, th_str(dst, "secrets_manager_arn")));
}

static void check_instance_and_task(const th_run *r)
{
    const cJSON *ri = res(r, "aws_dms_replication_instance", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ri);
    TH_ASSERT_STR(ri, "replication_instance_id", "payment-dms-use1-production-abc123");
    TH_ASSERT_STR(ri, "replication_instance_class", "dms.r6i.large");
    CU_ASSERT_EQUAL(th_num(ri, "allocated_storage"), 100);
    CU_ASSERT_EQUAL(th_bool(ri, "multi_az"), 1);
    CU_ASSERT_EQUAL(th_bool(ri, "publicly_accessible"), 0);
    CU_ASSERT_EQUAL(th_bool(ri, "auto_minor_version_upgrade"), 1);
    TH_ASSERT_STR(ri, "kms_key_arn", "${aws_kms_key.database_use1.arn}");
    TH_ASSERT_STR(ri, "replication_subnet_group_id",
                  "${aws_dms_replication_subnet_group.main_use1.replication_subnet_group_id}");
    TH_ASSERT_STR(ri, "vpc_security_group_ids.0", "${aws_security_group.dms_use1.id}");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(ri, "vpc_security_group_ids")), 1);
    TH_ASSERT_STR(ri, "preferred_maintenance_window", "sun:07:00-sun:08:00");
    CU_ASSERT_PTR_NULL(th_path(ri, "engine_version"));
    /* the production phase removes it: never prevent_destroy */
    CU_ASSERT_PTR_NULL(th_path(ri, "lifecycle.prevent_destroy"));

    const cJSON *task = res(r, "aws_dms_replication_task", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(task);
    TH_ASSERT_STR(task, "migration_type", "full-load-and-cdc");
    CU_ASSERT_EQUAL(th_bool(task, "start_replication_task"), 0);
    TH_ASSERT_STR(task, "replication_instance_arn",
                  "${aws_dms_replication_instance.main_use1.replication_instance_arn}");
    TH_ASSERT_STR(task, "source_endpoint_arn", "${aws_dms_endpoint.source_use1.endpoint_arn}");
    TH_ASSERT_STR(task, "target_endpoint_arn", "${aws_dms_endpoint.target_use1.endpoint_arn}");
    TH_ASSERT_STR(task, "depends_on.0", "aws_cloudwatch_log_group.dms_tasks_use1");
    TH_ASSERT_STR(task, "lifecycle.precondition.0.condition",
                  "${strcontains(data.aws_iam_role.dms_cloudwatch_logs.assume_role_policy, "
                  "\"dms.amazonaws.com\")}");

    cJSON *mappings = parsed(task, "table_mappings");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(mappings, "rules")), 1);
    TH_ASSERT_STR(mappings, "rules.0.rule-type", "selection");
    TH_ASSERT_STR(mappings, "rules.0.rule-action", "include");
    TH_ASSERT_STR(mappings, "rules.0.object-locator.schema-name", "payment");
    TH_ASSERT_STR(mappings, "rules.0.object-locator.table-name", "%");
    cJSON_Delete(mappings);

    cJSON *settings = parsed(task, "replication_task_settings");
    CU_ASSERT_EQUAL(th_bool(settings, "ValidationSettings.EnableValidation"), 1);
    TH_ASSERT_STR(settings, "ValidationSettings.ValidationMode", "ROW_LEVEL");
    CU_ASSERT_EQUAL(th_bool(settings, "Logging.EnableLogging"), 1);
    /* read-only keys the provider refuses */
    CU_ASSERT_PTR_NULL(th_path(settings, "Logging.CloudWatchLogGroup"));
    TH_ASSERT_STR(settings, "FullLoadSettings.TargetTablePrepMode", "DO_NOTHING");
    CU_ASSERT_EQUAL(th_bool(settings, "TargetMetadata.LimitedSizeLobMode"), 1);
    CU_ASSERT_EQUAL(th_num(settings, "TargetMetadata.LobMaxSize"), 1024);
    cJSON_Delete(settings);

    const cJSON *stack = th_stack(r, "payment");
    TH_ASSERT_STR(stack, "output.dms_replication_task_arn.value",
                  "${aws_dms_replication_task.main_use1.replication_task_arn}");
    TH_ASSERT_STR(stack, "output.dms_source_endpoint_arn.value",
                  "${aws_dms_endpoint.source_use1.endpoint_arn}");
}

static void test_legacy_phase(void)
{
    th_run *r = th_generate(DMS_PROFILE, NULL);
    TH_ASSERT_OK(r);
    check_network(r);
    check_access(r);
    check_endpoints(r);
    check_instance_and_task(r);
    th_free(r);
}

static void test_migration_phase_primary_only(void)
{
    const char *sets[] = {"phase=migration", NULL};
    th_run *r = th_generate(DMS_PROFILE, sets);
    TH_ASSERT_OK(r);
    check_network(r);
    check_access(r);
    check_endpoints(r);
    check_instance_and_task(r);
    CU_ASSERT_EQUAL(th_count_by(r, "payment", "aws_dms_replication_instance", "dms"), 1);
    CU_ASSERT_PTR_NULL(res(r, "aws_dms_replication_instance", "main_use2"));
    CU_ASSERT_PTR_NULL(res(r, "aws_security_group", "dms_use2"));
    th_free(r);
}

static void test_production_removes_the_move(void)
{
    const char *sets[] = {"phase=production", NULL};
    th_run *r = th_generate(DMS_PROFILE, sets);
    TH_ASSERT_OK(r);
    /* the move is gone; its task logs stay, the same group as before */
    CU_ASSERT_EQUAL(dms_blocks(r), 1);
    const cJSON *logs = res(r, "aws_cloudwatch_log_group", "dms_tasks_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(logs);
    TH_ASSERT_STR(logs, "name", "dms-tasks-payment-dms-use1-production-abc123");
    TH_ASSERT_STR(logs, "kms_key_id", "${aws_kms_key.logs_use1.arn}");
    CU_ASSERT_PTR_NULL(res(r, "aws_dms_replication_task", "main_use1"));
    CU_ASSERT_PTR_NULL(res(r, "aws_dms_replication_instance", "main_use1"));
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_iam_role", "dms_vpc"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.dms_replication_task_arn"));
    th_free(r);
}

static void test_nothing_unless_dms(void)
{
    /* an RDS instance moved by a read replica, today's Aurora cluster
     * adopted, no database described */
    const char *replica[] = {"legacy.database.move=replica", NULL};
    const char *profiles[] = {DMS_PROFILE, "profiles/legacy.yaml", "profiles/migration.yaml"};
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        th_run *r = th_generate(profiles[i], i == 0 ? replica : NULL);
        TH_ASSERT_OK(r);
        assert_nothing(r);
        th_free(r);
    }
    th_run *r = th_generate("profiles/examples/from-rds-postgresql.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_nothing(r);
    th_free(r);
}

static void test_settings_from_profile(void)
{
    const char *sets[] = {
        "dms.ca_certificate_arn=arn:aws:dms:us-east-1:111122223333:cert:RDSGLOBALBUNDLE",
        "dms.schemas=[payment, ledger]",
        "dms.instance_class=dms.r6i.xlarge",
        "dms.engine_version=3.5.3",
        "dms.allocated_storage=250",
        "dms.preferred_maintenance_window=sat:22:30-sat:23:30",
        "dms.source_database=legacy_payments",
        "dms.target_table_prep_mode=TRUNCATE_BEFORE_LOAD",
        "dms.lob_max_kb=4096",
        "dms.log_retention_days=731",
        NULL};
    th_run *r = th_generate(DMS_PROFILE, sets);
    TH_ASSERT_OK(r);
    /* with the RDS CA imported, both ends verify the server */
    for (int i = 0; i < 2; i++) {
        const cJSON *e = res(r, "aws_dms_endpoint", i ? "target_use1" : "source_use1");
        TH_ASSERT_STR(e, "ssl_mode", "verify-full");
        TH_ASSERT_STR(e, "certificate_arn", "arn:aws:dms:us-east-1:111122223333:cert:RDSGLOBALBUNDLE");
    }
    TH_ASSERT_STR(res(r, "aws_dms_endpoint", "source_use1"), "database_name", "legacy_payments");
    TH_ASSERT_STR(res(r, "aws_dms_endpoint", "target_use1"), "database_name", "payments");
    const cJSON *ri = res(r, "aws_dms_replication_instance", "main_use1");
    TH_ASSERT_STR(ri, "replication_instance_class", "dms.r6i.xlarge");
    TH_ASSERT_STR(ri, "engine_version", "3.5.3");
    CU_ASSERT_EQUAL(th_num(ri, "allocated_storage"), 250);
    TH_ASSERT_STR(ri, "preferred_maintenance_window", "sat:22:30-sat:23:30");
    CU_ASSERT_EQUAL(th_num(res(r, "aws_cloudwatch_log_group", "dms_tasks_use1"), "retention_in_days"), 731);

    const cJSON *task = res(r, "aws_dms_replication_task", "main_use1");
    cJSON *mappings = parsed(task, "table_mappings");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(mappings, "rules")), 2);
    TH_ASSERT_STR(mappings, "rules.1.object-locator.schema-name", "ledger");
    TH_ASSERT_STR(mappings, "rules.1.rule-id", "2");
    cJSON_Delete(mappings);
    cJSON *settings = parsed(task, "replication_task_settings");
    TH_ASSERT_STR(settings, "FullLoadSettings.TargetTablePrepMode", "TRUNCATE_BEFORE_LOAD");
    CU_ASSERT_EQUAL(th_num(settings, "TargetMetadata.LobMaxSize"), 4096);
    cJSON_Delete(settings);
    th_free(r);
}

static void test_bad_input_named(void)
{
    th_expect_error(DMS_PROFILE, "legacy.database.secret_arn=", "legacy.database.secret_arn");
    th_expect_error(DMS_PROFILE, "dms.instance_class=r6i.large",
                    "'r6i.large' is not a replication instance class");
    th_expect_error(DMS_PROFILE, "dms.instance_class=r6i.large", "dms.instance_class");
    th_expect_error(DMS_PROFILE, "dms.schemas=[Payment]", "'Payment' is not a lower-case PostgreSQL schema");
    th_expect_error(DMS_PROFILE, "dms.schemas=[]", "dms.schemas");
    th_expect_error(DMS_PROFILE, "dms.preferred_maintenance_window=sunday",
                    "'sunday' is not a weekly window");
    th_expect_error(DMS_PROFILE, "dms.preferred_maintenance_window=sun:25:00-sun:26:00",
                    "dms.preferred_maintenance_window");
    th_expect_error(DMS_PROFILE, "dms.engine_version=3.5", "'3.5' is not a DMS engine version");
    th_expect_error(DMS_PROFILE, "dms.source_database=pay-ments", "dms.source_database");
    th_expect_error(DMS_PROFILE,
                    "dms.ca_certificate_arn=arn:aws:dms:us-west-2:111122223333:cert:X",
                    "is not a DMS certificate ARN in us-east-1");
    th_expect_error(DMS_PROFILE, "dms.target_table_prep_mode=DROP_AND_CREATE",
                    "dms.target_table_prep_mode");
    th_expect_error(DMS_PROFILE, "dms.allocated_storage=2", "dms.allocated_storage");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"legacy phase: instance, endpoints, task, network, access", test_legacy_phase},
        {"migration phase: the primary region only", test_migration_phase_primary_only},
        {"production: the move is removed, its logs kept", test_production_removes_the_move},
        {"nothing unless legacy.database.move is dms", test_nothing_unless_dms},
        {"settings from the profile", test_settings_from_profile},
        {"bad input is named by its key", test_bad_input_named},
        CU_TEST_INFO_NULL,
    };
    return th_main("dms", tests);
}
