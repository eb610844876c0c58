/* SPDX-License-Identifier: Apache-2.0 */
/* Aurora plugin: global database per phase, credentials without literals,
 * TLS-only parameter groups, 5432 only from the application tier, settings
 * errors. */
#include <string.h>

#include "harness.h"

static const cJSON *param(const cJSON *group, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, th_path(group, "parameter"))
    {
        const char *n = th_str(p, "name");
        if (n && !strcmp(n, name))
            return p;
    }
    return NULL;
}

static void test_legacy_has_primary_cluster_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_global_cluster"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 2);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_rds_cluster", "main_use2"));

    const cJSON *g = th_resource(r, "payment", "aws_rds_global_cluster", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_STRING_EQUAL(th_str(g, "engine"), "aurora-postgresql");
    CU_ASSERT_STRING_EQUAL(th_str(g, "engine_version"), "15.4");
    CU_ASSERT_STRING_EQUAL(th_str(g, "global_cluster_identifier"),
                           "payment-db-global-production-abc123");
    CU_ASSERT_EQUAL(th_bool(g, "storage_encrypted"), 1);
    CU_ASSERT_EQUAL(th_bool(g, "deletion_protection"), 1);
    CU_ASSERT_EQUAL(th_bool(g, "lifecycle.prevent_destroy"), 1);

    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_PTR_NULL(th_path(c, "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(c, "global_cluster_identifier"),
                           "${aws_rds_global_cluster.main.id}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "kms_key_id"), "${aws_kms_key.database_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "master_username"), "payment_admin");
    CU_ASSERT_EQUAL(th_num(c, "backup_retention_period"), 14);
    CU_ASSERT_STRING_EQUAL(th_str(c, "preferred_backup_window"), "03:00-04:00");
    CU_ASSERT_STRING_EQUAL(th_str(c, "preferred_maintenance_window"), "sun:05:00-sun:06:00");
    CU_ASSERT_EQUAL(th_bool(c, "copy_tags_to_snapshot"), 1);
    CU_ASSERT_EQUAL(th_bool(c, "iam_database_authentication_enabled"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(c, "enabled_cloudwatch_logs_exports.0"), "postgresql");
    CU_ASSERT_EQUAL(th_bool(c, "deletion_protection"), 1);
    CU_ASSERT_EQUAL(th_bool(c, "skip_final_snapshot"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(c, "final_snapshot_identifier"),
                           "payment-db-final-production-abc123-use1");
    CU_ASSERT_STRING_EQUAL(th_str(c, "db_subnet_group_name"),
                           "${aws_db_subnet_group.main_use1.name}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "vpc_security_group_ids.0"),
                           "${aws_security_group.database_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "db_cluster_parameter_group_name"),
                           "${aws_rds_cluster_parameter_group.main_use1.name}");
    CU_ASSERT_TRUE(th_list_has(th_path(c, "lifecycle.ignore_changes"), "global_cluster_identifier"));
    CU_ASSERT_TRUE(th_list_has(th_path(c, "lifecycle.ignore_changes"), "engine_version"));
    /* the secret exists without replicas while there is one region */
    const cJSON *s = th_resource(r, "payment", "aws_secretsmanager_secret", "db_master_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(th_str(s, "kms_key_id"), "${aws_kms_key.database_use1.arn}");
    CU_ASSERT_PTR_NULL(th_path(s, "replica"));
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.aurora_writer_endpoint_use2"));
    CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "output.aurora_global_cluster_id.value"),
                           "${aws_rds_global_cluster.main.id}");
    th_free(r);
}

static void test_migration_adds_secondary_cluster(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 4);
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(th_str(c, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(c, "kms_key_id"), "${aws_kms_key.database_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "global_cluster_identifier"),
                           "${aws_rds_global_cluster.main.id}");
    CU_ASSERT_STRING_EQUAL(th_str(c, "source_region"), "us-east-1");
    CU_ASSERT_EQUAL(th_bool(c, "enable_global_write_forwarding"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(c, "cluster_identifier"),
                           "payment-db-cluster-production-abc123-use2");
    CU_ASSERT_PTR_NULL(th_path(c, "master_username"));
    CU_ASSERT_PTR_NULL(th_path(c, "master_password"));
    CU_ASSERT_PTR_NULL(th_path(c, "database_name"));
    const cJSON *deps = th_path(c, "depends_on");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 2);
    CU_ASSERT_TRUE(th_list_has(deps, "aws_rds_cluster_instance.instance_1_use1"));
    CU_ASSERT_TRUE(th_list_has(deps, "aws_rds_cluster_instance.instance_2_use1"));
    const cJSON *ign = th_path(c, "lifecycle.ignore_changes");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ign), 3);
    CU_ASSERT_TRUE(th_list_has(ign, "replication_source_identifier"));
    CU_ASSERT_TRUE(th_list_has(ign, "global_cluster_identifier"));
    CU_ASSERT_TRUE(th_list_has(ign, "engine_version"));
    CU_ASSERT_EQUAL(th_bool(c, "lifecycle.prevent_destroy"), 1);

    const cJSON *in = th_resource(r, "payment", "aws_rds_cluster_instance", "instance_2_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_STRING_EQUAL(th_str(in, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(in, "cluster_identifier"), "${aws_rds_cluster.main_use2.id}");
    CU_ASSERT_STRING_EQUAL(th_str(in, "availability_zone"), "us-east-2b");
    CU_ASSERT_STRING_EQUAL(th_str(in, "instance_class"), "db.r6g.large");
    CU_ASSERT_STRING_EQUAL(th_str(in, "performance_insights_kms_key_id"),
                           "${aws_kms_key.database_use2.arn}");
    CU_ASSERT_EQUAL(th_num(in, "monitoring_interval"), 60);
    CU_ASSERT_STRING_EQUAL(th_str(in, "monitoring_role_arn"),
                           "${aws_iam_role.rds_monitoring_use2.arn}");
    CU_ASSERT_EQUAL(th_bool(in, "publicly_accessible"), 0);
    CU_ASSERT_EQUAL(th_bool(in, "auto_minor_version_upgrade"), 0);
    const cJSON *att =
        th_resource(r, "payment", "aws_iam_role_policy_attachment", "rds_monitoring_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(att);
    CU_ASSERT_STRING_EQUAL(th_str(att, "role"), "${aws_iam_role.rds_monitoring_use2.name}");
    CU_ASSERT_STRING_EQUAL(
        th_str(att, "policy_arn"),
        "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/"
        "AmazonRDSEnhancedMonitoringRole");

    /* the master secret is replicated with the secondary's database key */
    const cJSON *s = th_resource(r, "payment", "aws_secretsmanager_secret", "db_master_use1");
    CU_ASSERT_STRING_EQUAL(th_str(s, "replica.0.region"), "us-east-2");
    CU_ASSERT_STRING_EQUAL(th_str(s, "replica.0.kms_key_id"), "${aws_kms_key.database_use2.arn}");
    CU_ASSERT_STRING_EQUAL(
        th_str(th_stack(r, "payment"), "output.aurora_reader_endpoint_use2.value"),
        "${aws_rds_cluster.main_use2.reader_endpoint}");
    th_free(r);
}

/* Every string in the stack that carries a password is a reference to the
 * generator, never a literal. */
static void no_literal_password(const cJSON *node, int *seen)
{
    const cJSON *child;
    cJSON_ArrayForEach(child, node)
    {
        if (child->string && strstr(child->string, "password") && cJSON_IsString(child) &&
            strcmp(child->string, "exclude_characters")) {
            (*seen)++;
            CU_ASSERT_EQUAL(strncmp(child->valuestring,
                                    "${data.aws_secretsmanager_random_password.db_master_use1.",
                                    57),
                            0);
        }
        if (cJSON_IsString(child) && strstr(child->valuestring, "password =")) {
            (*seen)++;
            CU_ASSERT_PTR_NOT_NULL(strstr(child->valuestring,
                                          "password = data.aws_secretsmanager_random_password."
                                          "db_master_use1.random_password"));
        }
        no_literal_password(child, seen);
    }
}

static void test_no_literal_password(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    int seen = 0;
    no_literal_password(th_stack(r, "payment"), &seen);
    CU_ASSERT_EQUAL(seen, 2); /* master_password and the secret's JSON */
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NULL(th_path(c, "manage_master_user_password"));
    CU_ASSERT_TRUE(th_list_has(th_path(c, "lifecycle.ignore_changes"), "master_password"));
    const cJSON *v =
        th_resource(r, "payment", "aws_secretsmanager_secret_version", "db_master_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(th_str(v, "secret_id"),
                           "${aws_secretsmanager_secret.db_master_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(v, "lifecycle.ignore_changes.0"), "secret_string");
    const cJSON *gen =
        th_data(r, "payment", "aws_secretsmanager_random_password", "db_master_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(gen);
    CU_ASSERT_TRUE(th_num(gen, "password_length") >= 32);
    CU_ASSERT_PTR_NOT_NULL(strchr(th_str(gen, "exclude_characters"), '@'));
    th_free(r);
}

static void test_parameter_groups_force_tls(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *labels[] = {"main_use1", "main_use2"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *pg = th_resource(r, "payment", "aws_rds_cluster_parameter_group", labels[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
        CU_ASSERT_STRING_EQUAL(th_str(pg, "family"), "aurora-postgresql15");
        const cJSON *p = param(pg, "rds.force_ssl");
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(th_str(p, "value"), "1");
    }
    th_free(r);

    const char *sets[] = {"database.engine_version=16.6", NULL};
    r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(
        th_str(th_resource(r, "payment", "aws_rds_cluster_parameter_group", "main_use1"), "family"),
        "aurora-postgresql16");
    th_free(r);
}

/* The ingress rules on one region's database group. */
static size_t db_rules(const th_run *r, const char *code, bool *only_5432, size_t *legacy)
{
    char sg[96];
    snprintf(sg, sizeof sg, "${aws_security_group.database_%s.id}", code);
    size_t n = 0;
    *only_5432 = true;
    *legacy = 0;
    const cJSON *rule;
    cJSON_ArrayForEach(
        rule, th_path(th_stack(r, "payment"), "resource.aws_vpc_security_group_ingress_rule"))
    {
        if (strcmp(th_str(rule, "security_group_id"), sg))
            continue;
        n++;
        if (th_num(rule, "from_port") != 5432 || th_num(rule, "to_port") != 5432 ||
            th_path(rule, "cidr_ipv4") || th_path(rule, "cidr_ipv6"))
            *only_5432 = false;
        if (strstr(rule->string, "legacy"))
            (*legacy)++;
    }
    return n;
}

static void test_security_group_admits_app_tier_only(void)
{
    static const struct {
        const char *profile;
        size_t legacy;
    } phases[] = {{"profiles/legacy.yaml", 1},
                  {"profiles/migration.yaml", 1},
                  {"profiles/production.yaml", 0}};
    for (size_t i = 0; i < 3; i++) {
        th_run *r = th_generate(phases[i].profile, NULL);
        TH_ASSERT_OK(r);
        bool only_5432;
        size_t legacy;
        size_t n = db_rules(r, "use1", &only_5432, &legacy);
        CU_ASSERT_TRUE(only_5432);
        CU_ASSERT_EQUAL(legacy, phases[i].legacy);
        CU_ASSERT_EQUAL(n, 1 + phases[i].legacy);
        const cJSON *app =
            th_resource(r, "payment", "aws_vpc_security_group_ingress_rule", "postgres_app_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(app);
        CU_ASSERT_STRING_EQUAL(th_str(app, "referenced_security_group_id"),
                               "${aws_security_group.app_use1.id}");
        CU_ASSERT_STRING_EQUAL(th_str(app, "ip_protocol"), "tcp");
        const cJSON *sg = th_resource(r, "payment", "aws_security_group", "database_use1");
        CU_ASSERT_PTR_NULL(th_path(sg, "ingress"));
        CU_ASSERT_PTR_NULL(th_path(sg, "egress"));
        if (i > 0) { /* the secondary never admits the legacy groups */
            n = db_rules(r, "use2", &only_5432, &legacy);
            CU_ASSERT_EQUAL(n, 1);
            CU_ASSERT_EQUAL(legacy, 0);
            CU_ASSERT_TRUE(only_5432);
        }
        th_free(r);
    }
}

static void test_unprotected_rehearsal_is_destroyable(void)
{
    const char *sets[] = {"protection=false", "database.instance_count=3", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_EQUAL(th_bool(c, "deletion_protection"), 0);
    CU_ASSERT_EQUAL(th_bool(c, "skip_final_snapshot"), 1);
    CU_ASSERT_PTR_NULL(th_path(c, "final_snapshot_identifier"));
    CU_ASSERT_PTR_NULL(th_path(c, "lifecycle.prevent_destroy"));
    CU_ASSERT_EQUAL(
        th_bool(th_resource(r, "payment", "aws_rds_global_cluster", "main"), "deletion_protection"),
        0);
    CU_ASSERT_EQUAL(th_num(th_resource(r, "payment", "aws_secretsmanager_secret", "db_master_use1"),
                           "recovery_window_in_days"),
                    0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 6);
    CU_ASSERT_STRING_EQUAL(
        th_str(th_resource(r, "payment", "aws_rds_cluster_instance", "instance_3_use2"),
               "availability_zone"),
        "us-east-2c");
    th_free(r);
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "database.backup_retention_days=3",
                 "database.backup_retention_days = 3 is out of range 7..35");
    th_expect_error("profiles/migration.yaml", "database.instance_class=db.t3.medium", "database.instance_class 'db.t3.medium'");
    th_expect_error("profiles/migration.yaml", "database.preferred_backup_window=05:15-05:45", "overlaps");
    th_expect_error("profiles/migration.yaml", "database.preferred_backup_window=3am", "is not hh:mi-hh:mi");
    th_expect_error("profiles/migration.yaml", "database.engine_version=latest", "database.engine_version 'latest'");
    th_expect_error("profiles/migration.yaml", "database.master_username=postgres", "database.master_username 'postgres'");
}

static void test_long_names_fit_rds_limits(void)
{
    const char *sets[] = {"project=paymentplatf", "environment=rehearsal202", "suffix=abcd1234",
                          "database.instance_count=15", NULL};
    /* only aurora and what it needs: the load balancer's 32-character limit would stop
     * these names first */
    th_run *r = th_generate_only("tests/data/profiles/core-only.yaml", sets, "kms,iam,vpc,legacy,aurora");
    TH_ASSERT_OK(r);
    const cJSON *in = th_resource(r, "payment", "aws_rds_cluster_instance", "instance_15_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_TRUE(strlen(th_str(in, "identifier")) <= 63);
    CU_ASSERT_PTR_NULL(strstr(th_str(in, "identifier"), "--"));
    th_free(r);
}

/* With a rotation function the master secret rotates on a schedule. */
static void test_secret_rotation(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_secretsmanager_secret_rotation"), 0);
    th_free(r);
    const char *sets[] = {"database.rotation_lambda_arn=arn:aws:lambda:us-east-1:111122223333:function:rotate-pg",
                          "database.rotation_days=14", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *rot = th_resource(r, "payment", "aws_secretsmanager_secret_rotation", "db_master_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rot);
    CU_ASSERT_STRING_EQUAL(th_str(rot, "secret_id"), "${aws_secretsmanager_secret.db_master_use1.id}");
    CU_ASSERT_STRING_EQUAL(th_str(rot, "rotation_lambda_arn"),
                           "arn:aws:lambda:us-east-1:111122223333:function:rotate-pg");
    CU_ASSERT_EQUAL(th_num(rot, "rotation_rules.0.automatically_after_days"), 14);
    CU_ASSERT_STRING_EQUAL(th_str(rot, "depends_on.0"), "aws_secretsmanager_secret_version.db_master_use1");
    th_free(r);
    th_expect_error("profiles/migration.yaml", "database.rotation_lambda_arn=rotate-pg",
                    "database.rotation_lambda_arn 'rotate-pg' is not an ARN");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"secret rotation", test_secret_rotation},
        {"legacy has the primary cluster only", test_legacy_has_primary_cluster_only},
        {"migration adds the secondary cluster", test_migration_adds_secondary_cluster},
        {"no literal password", test_no_literal_password},
        {"parameter groups force TLS", test_parameter_groups_force_tls},
        {"security group admits the app tier only", test_security_group_admits_app_tier_only},
        {"unprotected rehearsal is destroyable", test_unprotected_rehearsal_is_destroyable},
        {"settings errors", test_settings_errors},
        {"long names fit RDS limits", test_long_names_fit_rds_limits},
        CU_TEST_INFO_NULL,
    };
    return th_main("aurora", tests);
}
