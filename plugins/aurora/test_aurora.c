/* SPDX-License-Identifier: Apache-2.0 */
/* Aurora plugin: global database per phase, credentials without literals,
 * TLS-only parameter groups, 5432 only from the application tier, settings
 * errors; and today's database by move: adopt (imports whose replacement-
 * forcing arguments come from the profile), replica (promoted at
 * migration), dms (a new primary). */
#include <string.h>

#include "harness.h"

/* Overrides that describe no legacy platform at all: the shipped profiles
 * adopt today's Aurora cluster, these tests need a platform built from
 * nothing. */
#define GREENFIELD                                                                                 \
    "legacy.vpc_id=", "legacy.cidr=", "legacy.subnet_ids=[]", "legacy.route_table_ids=[]",         \
        "legacy.database.kind=none", "legacy.database.identifier=",                                \
        "legacy.database.engine_version=", "legacy.database.kms_key_arn=",                         \
        "legacy.database.subnet_group=", "legacy.database.security_group_ids=[]",                  \
        "legacy.database.master_username=", "legacy.database.instance_identifiers=[]",             \
        "legacy.endpoint.dns_name=", "legacy.endpoint.zone_id=", "legacy.state.bucket="

static const char *const greenfield[] = {GREENFIELD, NULL};

/* The adopted cluster of these tests: every value differs from the shipped
 * example, so each one seen in the output came from the profile. */
#define ADOPT_ID "pay-core-db"
#define ADOPT_KEY "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"
#define ADOPT_SETS                                                                                 \
    "legacy.database.identifier=" ADOPT_ID, "legacy.database.kms_key_arn=" ADOPT_KEY,              \
        "legacy.database.subnet_group=pay-core-subnets",                                           \
        "legacy.database.security_group_ids=[sg-0123456789abcdef0, sg-0fedcba9876543210]",         \
        "legacy.database.master_username=core_admin",                                              \
        "legacy.database.instance_identifiers=[pay-core-db-a, pay-core-db-b, pay-core-db-c]",      \
        "legacy.database.port=6432"

/* The import block of an address in the payment stack, or NULL. */
static const cJSON *import_of(const th_run *r, const char *to)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, th_path(th_stack(r, "payment"), "import"))
    {
        const char *t = th_str(e, "to");
        if (t && !strcmp(t, to))
            return e;
    }
    return NULL;
}

static int import_count(const th_run *r)
{
    return cJSON_GetArraySize(th_path(th_stack(r, "payment"), "import"));
}

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
    th_run *r = th_generate("profiles/legacy.yaml", greenfield);
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
                           "payment-db-final-use1-production-abc123");
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
    th_run *r = th_generate("profiles/migration.yaml", greenfield);
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
    /* write forwarding: off by default, the same on every member */
    CU_ASSERT_EQUAL(th_bool(c, "enable_global_write_forwarding"), 0);
    CU_ASSERT_PTR_NOT_NULL(th_path(c, "enable_global_write_forwarding"));
    CU_ASSERT_PTR_NOT_NULL(th_path(th_resource(r, "payment", "aws_rds_cluster", "main_use1"),
                                   "enable_global_write_forwarding"));
    /* a switchover rewrites these on every member, the primary's too */
    for (int k = 0; k < 2; k++) {
        const cJSON *m = th_resource(r, "payment", "aws_rds_cluster", k ? "main_use2" : "main_use1");
        const cJSON *ignored = th_path(m, "lifecycle.ignore_changes");
        CU_ASSERT_TRUE(th_list_has(ignored, "replication_source_identifier"));
        CU_ASSERT_TRUE(th_list_has(ignored, "global_cluster_identifier"));
    }
    CU_ASSERT_STRING_EQUAL(th_str(c, "cluster_identifier"),
                           "payment-db-cluster-use2-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(c, "master_username"));
    CU_ASSERT_PTR_NULL(th_path(c, "master_password"));
    CU_ASSERT_PTR_NULL(th_path(c, "database_name"));
    const cJSON *deps = th_path(c, "depends_on");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 3);
    CU_ASSERT_TRUE(th_list_has(deps, "aws_cloudwatch_log_group.db_postgresql_use2"));
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
    /* the application's user signs in with IAM, by the cluster's resource id */
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "aurora.app_username"), "payment_app");
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, 1),
                                     "aurora.cluster_resource_id"),
                           "${aws_rds_cluster.main_use2.cluster_resource_id}");
    /* writes go where the writer is, whichever region holds it */
    const char *writer = pg_lookup(&r->g.ctx, NULL, "aurora.global_writer_endpoint");
    CU_ASSERT_PTR_NOT_NULL_FATAL(writer);
    CU_ASSERT_STRING_EQUAL(writer, "${aws_rds_global_cluster.main.endpoint}");
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "aurora.global_cluster_id"),
                           "${aws_rds_global_cluster.main.id}");
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
            /* wrapped in sensitive(): the generator's value is not marked so */
            CU_ASSERT_EQUAL(strncmp(child->valuestring,
                                    "${sensitive(data.aws_secretsmanager_random_password.db_master_use1.",
                                    67),
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
    th_run *r = th_generate("profiles/migration.yaml", greenfield);
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

    const char *sets[] = {GREENFIELD, "database.engine_version=16.6", NULL};
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
        /* the other regions' applications, by their VPC's CIDR: the writer
         * may be here after a switchover */
        bool other_region = !strncmp(rule->string, "postgres_from_", 14) &&
                            th_path(rule, "cidr_ipv4") &&
                            (!strcmp(th_str(rule, "cidr_ipv4"), "10.10.0.0/16") ||
                             !strcmp(th_str(rule, "cidr_ipv4"), "10.20.0.0/16"));
        if (th_num(rule, "from_port") != 5432 || th_num(rule, "to_port") != 5432 ||
            (!other_region && (th_path(rule, "cidr_ipv4") || th_path(rule, "cidr_ipv6"))))
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
    } phases[] = {{"profiles/legacy.yaml", 0},
                  {"profiles/migration.yaml", 0},
                  {"profiles/production.yaml", 0}};
    for (size_t i = 0; i < 3; i++) {
        th_run *r = th_generate(phases[i].profile, greenfield);
        TH_ASSERT_OK(r);
        bool only_5432;
        size_t legacy;
        size_t n = db_rules(r, "use1", &only_5432, &legacy);
        CU_ASSERT_TRUE(only_5432);
        CU_ASSERT_EQUAL(legacy, phases[i].legacy);
        /* + the rotation function, + us-east-2's applications */
        CU_ASSERT_EQUAL(n, 2 + phases[i].legacy + (i > 0));
        if (i > 0)
            TH_ASSERT_STR(th_resource(r, "payment", "aws_vpc_security_group_ingress_rule",
                                      "postgres_from_use2_use1"),
                          "cidr_ipv4", "10.20.0.0/16");
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
            CU_ASSERT_EQUAL(n, 2); /* its applications, and us-east-1's */
            CU_ASSERT_EQUAL(legacy, 0);
            CU_ASSERT_TRUE(only_5432);
        }
        th_free(r);
    }
}

static void test_unprotected_rehearsal_is_destroyable(void)
{
    const char *sets[] = {GREENFIELD, "protection=false", "database.instance_count=3", NULL};
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

    /* the staging rehearsal adopts a staging copy: destroyable as well */
    r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(import_of(r, "aws_rds_cluster.main_use1"), "id", "payment-legacy-db-staging");
    c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_EQUAL(th_bool(c, "deletion_protection"), 0);
    CU_ASSERT_EQUAL(th_bool(c, "skip_final_snapshot"), 1);
    CU_ASSERT_PTR_NULL(th_path(c, "lifecycle.prevent_destroy"));
    CU_ASSERT_PTR_NULL(th_path(th_resource(r, "payment", "aws_rds_cluster_instance",
                                           "instance_1_use1"),
                               "lifecycle.prevent_destroy"));
    CU_ASSERT_EQUAL(th_bool(th_resource(r, "payment", "aws_rds_global_cluster", "main"),
                            "force_destroy"),
                    1);
    th_free(r);
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "database.backup_retention_days=3",
                 "database.backup_retention_days = 3 is out of range 7..35");
    th_expect_error("profiles/migration.yaml", "database.instance_class=db.t3.medium", "database.instance_class 'db.t3.medium'");
    th_expect_error("profiles/migration.yaml", "database.preferred_backup_window=05:15-05:45", "overlaps");
    th_expect_error("profiles/migration.yaml", "database.app_username=payment_admin",
                    "--set database.app_username: plugin aurora: 'payment_admin' must be 1-63 "
                    "letters, digits or '_', start with a letter, not be a reserved name "
                    "(postgres, rds*) and not be the master user");
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
    th_run *r = th_generate_only("tests/data/profiles/core-only.yaml", sets, "kms,iam,vpc,legacy,transit,aurora");
    TH_ASSERT_OK(r);
    const cJSON *in = th_resource(r, "payment", "aws_rds_cluster_instance", "instance_15_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_TRUE(strlen(th_str(in, "identifier")) <= 63);
    CU_ASSERT_PTR_NULL(strstr(th_str(in, "identifier"), "--"));
    th_free(r);
}

/* The master secret always rotates on a schedule: by the operator's
 * function, or by AWS's single-user PostgreSQL function the stack deploys
 * in the primary's data subnets with a group only the database admits. */
static void test_secret_rotation(void)
{
    th_run *r = th_generate("profiles/migration.yaml", greenfield);
    TH_ASSERT_OK(r);
    const cJSON *app = th_resource(r, "payment", "aws_serverlessapplicationrepository_cloudformation_stack",
                                   "db_rotation_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(app);
    TH_ASSERT_STR(app, "application_id",
                  "arn:${data.aws_partition.current.partition}:serverlessrepo:us-east-1:297356227824:"
                  "applications/SecretsManagerRDSPostgreSQLRotationSingleUser");
    TH_ASSERT_STR(app, "semantic_version", "1.1.671");
    TH_ASSERT_STR(app, "parameters.vpcSecurityGroupIds", "${aws_security_group.db_rotation_use1.id}");
    TH_ASSERT_STR(app, "parameters.kmsKeyArn", "${aws_kms_key.database_use1.arn}");
    CU_ASSERT_PTR_NOT_NULL(strstr(th_str(app, "parameters.vpcSubnetIds"), "${join(\",\", [aws_subnet."));
    const cJSON *deployed = th_resource(r, "payment", "aws_secretsmanager_secret_rotation", "db_master_use1");
    TH_ASSERT_STR(deployed, "rotation_lambda_arn",
                  "${aws_serverlessapplicationrepository_cloudformation_stack.db_rotation_use1.outputs[\"RotationLambdaARN\"]}");
    TH_ASSERT_STR(th_resource(r, "payment", "aws_vpc_security_group_ingress_rule", "postgres_rotation_use1"),
                  "referenced_security_group_id", "${aws_security_group.db_rotation_use1.id}");
    th_free(r);
    const char *sets[] = {GREENFIELD,
                          "database.rotation_lambda_arn=arn:aws:lambda:us-east-1:111122223333:function:rotate-pg",
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
    th_expect_error("profiles/migration.yaml", "database.rotation_app_version=latest",
                    "database.rotation_app_version");
    th_expect_error("profiles/migration.yaml", "database.rotation_app_version=1.1",
                    "'1.1' is not a semantic version like 1.1.671");
    const char *pinned[] = {GREENFIELD, "database.rotation_app_version=1.1.700", NULL};
    r = th_generate("profiles/migration.yaml", pinned);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_serverlessapplicationrepository_cloudformation_stack",
                              "db_rotation_use1"),
                  "semantic_version", "1.1.700");
    th_free(r);
}

/* Today's Aurora cluster is imported as the primary in the legacy phase;
 * every argument that forces a replacement is the profile's value. */
static void test_adopt_imports_todays_cluster(void)
{
    const char *sets[] = {ADOPT_SETS, NULL};
    th_run *r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    /* the cluster, its three instances and its log group */
    CU_ASSERT_EQUAL(import_count(r), 5);
    const cJSON *imp = import_of(r, "aws_rds_cluster.main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(imp);
    TH_ASSERT_STR(imp, "id", ADOPT_ID);
    TH_ASSERT_STR(imp, "provider", NULL);
    static const char *const instances[] = {"pay-core-db-a", "pay-core-db-b", "pay-core-db-c"};
    for (int i = 0; i < 3; i++) {
        char to[96], label[32];
        snprintf(label, sizeof label, "instance_%d_use1", i + 1);
        snprintf(to, sizeof to, "aws_rds_cluster_instance.%s", label);
        imp = import_of(r, to);
        CU_ASSERT_PTR_NOT_NULL_FATAL(imp);
        TH_ASSERT_STR(imp, "id", instances[i]);
        const cJSON *in = th_resource(r, "payment", "aws_rds_cluster_instance", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        TH_ASSERT_STR(in, "identifier", instances[i]);
        TH_ASSERT_STR(in, "cluster_identifier", "${aws_rds_cluster.main_use1.id}");
        TH_ASSERT_STR(in, "engine", "${aws_rds_cluster.main_use1.engine}");
        /* forcing or unchangeable arguments that are not known: left to what exists */
        CU_ASSERT_PTR_NULL(th_path(in, "availability_zone"));
        CU_ASSERT_PTR_NULL(th_path(in, "db_subnet_group_name"));
        CU_ASSERT_PTR_NULL(th_path(in, "performance_insights_kms_key_id"));
        CU_ASSERT_EQUAL(th_bool(in, "lifecycle.prevent_destroy"), 1);
    }
    /* instance_count is the number of today's instances, not database.instance_count */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 3);

    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    TH_ASSERT_STR(c, "cluster_identifier", ADOPT_ID);
    TH_ASSERT_STR(c, "engine", "aurora-postgresql");
    TH_ASSERT_STR(c, "engine_version", "15.4");
    TH_ASSERT_STR(c, "kms_key_id", ADOPT_KEY);
    TH_ASSERT_STR(c, "db_subnet_group_name", "pay-core-subnets");
    TH_ASSERT_STR(c, "master_username", "core_admin");
    CU_ASSERT_EQUAL(th_bool(c, "storage_encrypted"), 1);
    CU_ASSERT_EQUAL(th_num(c, "port"), 6432);
    CU_ASSERT_PTR_NULL(th_path(c, "database_name"));
    CU_ASSERT_PTR_NULL(th_path(c, "master_password"));
    CU_ASSERT_PTR_NULL(th_path(c, "global_cluster_identifier"));
    CU_ASSERT_PTR_NULL(th_path(c, "replication_source_identifier"));
    const cJSON *ign = th_path(c, "lifecycle.ignore_changes");
    CU_ASSERT_TRUE(th_list_has(ign, "global_cluster_identifier"));
    CU_ASSERT_TRUE(th_list_has(ign, "master_password"));
    CU_ASSERT_EQUAL(th_bool(c, "deletion_protection"), 1);
    CU_ASSERT_EQUAL(th_bool(c, "lifecycle.prevent_destroy"), 1);
    /* today's groups, then paygen's one group in the legacy VPC */
    const cJSON *sgs = th_path(c, "vpc_security_group_ids");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(sgs), 3);
    TH_ASSERT_STR(sgs, "0", "sg-0123456789abcdef0");
    TH_ASSERT_STR(sgs, "1", "sg-0fedcba9876543210");
    const cJSON *mine = th_target(r, th_str(sgs, "2"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
    TH_ASSERT_STR(mine, "vpc_id", "vpc-0a1b2c3d4e5f60718");

    /* the global cluster is made from it, from the legacy phase on */
    const cJSON *g = th_resource(r, "payment", "aws_rds_global_cluster", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    TH_ASSERT_STR(g, "source_db_cluster_identifier", "${aws_rds_cluster.main_use1.arn}");
    CU_ASSERT_EQUAL(th_bool(g, "force_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(g, "engine"));
    CU_ASSERT_PTR_NULL(th_path(g, "engine_version"));
    CU_ASSERT_PTR_NULL(th_path(g, "storage_encrypted"));

    /* today's password stays: nothing generates one or writes it */
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_secretsmanager_random_password", "db_master_use1"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_secretsmanager_secret_version"), 0);
    CU_ASSERT_PTR_NOT_NULL(th_resource(r, "payment", "aws_secretsmanager_secret", "db_master_use1"));
    const char *port = pg_lookup(&r->g.ctx, NULL, "aurora.port");
    CU_ASSERT_PTR_NOT_NULL_FATAL(port);
    CU_ASSERT_STRING_EQUAL(port, "6432");
    th_free(r);
}

/* From migration on the secondaries join the global cluster made from the
 * adopted one, at today's version; the imports stay the same. */
static void test_adopt_secondaries_join(void)
{
    const char *sets[] = {ADOPT_SETS, "database.instance_count=2", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(import_count(r), 5);
    TH_ASSERT_STR(import_of(r, "aws_rds_cluster.main_use1"), "id", ADOPT_ID);
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    TH_ASSERT_STR(c, "global_cluster_identifier", "${aws_rds_global_cluster.main.id}");
    TH_ASSERT_STR(c, "engine_version", "15.4");
    TH_ASSERT_STR(c, "source_region", "us-east-1");
    CU_ASSERT_EQUAL(th_num(c, "port"), 6432);
    CU_ASSERT_PTR_NULL(th_path(c, "master_username"));
    CU_ASSERT_PTR_NULL(import_of(r, "aws_rds_cluster.main_use2"));
    /* it joins once today's instances are under management */
    const cJSON *deps = th_path(c, "depends_on");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(deps), 4);
    CU_ASSERT_TRUE(th_list_has(deps, "aws_rds_cluster_instance.instance_3_use1"));
    CU_ASSERT_TRUE(th_list_has(deps, "aws_cloudwatch_log_group.db_postgresql_use2"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 5);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_rds_global_cluster", "main"),
                  "source_db_cluster_identifier", "${aws_rds_cluster.main_use1.arn}");
    th_free(r);

    /* production: still the adopted cluster, still wrapped */
    r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(import_of(r, "aws_rds_cluster.main_use1"), "id", "payment-legacy-db");
    TH_ASSERT_STR(th_resource(r, "payment", "aws_rds_cluster", "main_use1"), "cluster_identifier",
                  "payment-legacy-db");
    TH_ASSERT_STR(th_resource(r, "payment", "aws_rds_cluster", "main_use2"),
                  "global_cluster_identifier", "${aws_rds_global_cluster.main.id}");
    th_free(r);
}

/* An RDS PostgreSQL instance: an Aurora read replica of it in the legacy
 * phase, promoted and wrapped into the global cluster from migration on. */
static void test_replica_then_promoted(void)
{
    const char *sets[] = {"legacy.database.identifier=pay-pg-main", NULL};
    th_run *r = th_generate("profiles/examples/from-rds-postgresql.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    TH_ASSERT_STR(c, "replication_source_identifier",
                  "arn:${data.aws_partition.current.partition}:rds:us-east-1:"
                  "${data.aws_caller_identity.current.account_id}:db:pay-pg-main");
    TH_ASSERT_STR(c, "cluster_identifier", "payment-db-cluster-use1-production-abc123");
    TH_ASSERT_STR(c, "kms_key_id", "${aws_kms_key.database_use1.arn}");
    TH_ASSERT_STR(c, "engine_version", "15.4");
    CU_ASSERT_PTR_NULL(th_path(c, "master_username"));
    CU_ASSERT_PTR_NULL(th_path(c, "master_password"));
    CU_ASSERT_PTR_NULL(th_path(c, "database_name"));
    CU_ASSERT_PTR_NULL(th_path(c, "global_cluster_identifier"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_global_cluster"), 0);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "terraform_data", "replica_promoted"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 1);
    CU_ASSERT_EQUAL(import_count(r), 0);
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_secretsmanager_random_password", "db_master_use1"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_secretsmanager_secret_version"), 0);
    CU_ASSERT_PTR_NULL(th_path(th_stack(r, "payment"), "output.aurora_global_cluster_id"));
    th_free(r);

    const char *mig[] = {"legacy.database.identifier=pay-pg-main", "phase=migration", NULL};
    r = th_generate("profiles/examples/from-rds-postgresql.yaml", mig);
    TH_ASSERT_OK(r);
    c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    /* the same cluster, promoted by hand at the cutover; the plan checks it
     * (the argument is ignored: dropping it would promote from a plan, and a
     * switchover rewrites it later) */
    TH_ASSERT_STR(c, "cluster_identifier", "payment-db-cluster-use1-production-abc123");
    CU_ASSERT_PTR_NULL(th_path(c, "replication_source_identifier"));
    CU_ASSERT_TRUE(th_list_has(th_path(c, "lifecycle.ignore_changes"),
                               "replication_source_identifier"));
    const cJSON *now = th_data(r, "payment", "aws_rds_cluster", "primary_now_use1");
    TH_ASSERT_STR(now, "cluster_identifier", "payment-db-cluster-use1-production-abc123");
    const cJSON *check = th_resource(r, "payment", "terraform_data", "replica_promoted");
    TH_ASSERT_STR(check, "lifecycle.precondition.0.condition",
                  "${data.aws_rds_cluster.primary_now_use1.replication_source_identifier == \"\"}");
    CU_ASSERT_PTR_NULL(th_path(c, "global_cluster_identifier"));
    CU_ASSERT_PTR_NULL(th_path(c, "master_password"));
    const cJSON *g = th_resource(r, "payment", "aws_rds_global_cluster", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    TH_ASSERT_STR(g, "source_db_cluster_identifier", "${aws_rds_cluster.main_use1.arn}");
    CU_ASSERT_EQUAL(th_bool(g, "force_destroy"), 1);
    CU_ASSERT_PTR_NULL(th_path(g, "engine"));
    CU_ASSERT_TRUE(th_list_has(th_path(g, "depends_on"), "terraform_data.replica_promoted"));
    const cJSON *s = th_resource(r, "payment", "aws_rds_cluster", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    TH_ASSERT_STR(s, "global_cluster_identifier", "${aws_rds_global_cluster.main.id}");
    TH_ASSERT_STR(s, "engine_version", "15.4");
    /* promoted, the primary gets its full size */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_rds_cluster_instance"), 4);
    CU_ASSERT_EQUAL(import_count(r), 0);
    th_free(r);
}

/* DMS moves the data: the Aurora side is a new primary as without a legacy
 * database. */
static void test_dms_is_a_new_primary(void)
{
    th_run *r = th_generate("profiles/examples/from-rds-postgresql-dms.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *g = th_resource(r, "payment", "aws_rds_global_cluster", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    TH_ASSERT_STR(g, "engine", "aurora-postgresql");
    CU_ASSERT_PTR_NULL(th_path(g, "source_db_cluster_identifier"));
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", "main_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    TH_ASSERT_STR(c, "global_cluster_identifier", "${aws_rds_global_cluster.main.id}");
    TH_ASSERT_STR(c, "master_username", "payment_admin");
    TH_ASSERT_STR(c, "master_password",
                  "${sensitive(data.aws_secretsmanager_random_password.db_master_use1.random_password)}");
    CU_ASSERT_PTR_NULL(th_path(c, "replication_source_identifier"));
    CU_ASSERT_EQUAL(import_count(r), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_secretsmanager_secret_version"), 1);
    th_free(r);
}

/* Two overrides, one error that names the key; nothing generated. */
static void expect_error2(const char *profile, const char *a, const char *b, const char *text)
{
    const char *sets[] = {a, b, NULL};
    th_run *r = th_generate(profile, sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, text);
    th_free(r);
}

static void test_engine_version_errors(void)
{
    const char *adopt = "profiles/migration.yaml";
    th_expect_error(adopt, "database.engine_version=15.5",
                    "--set database.engine_version: plugin aurora: '15.5' differs from "
                    "legacy.database.engine_version '15.4'");
    expect_error2(adopt, "legacy.database.engine_version=13.2", "database.engine_version=13.2",
                  "--set legacy.database.engine_version: plugin aurora: Aurora PostgreSQL 13.2 "
                  "cannot run in a global database; version 13 needs 13.3 or higher");
    expect_error2(adopt, "legacy.database.engine_version=11.10", "database.engine_version=11.10",
                  "Aurora PostgreSQL 11.10 cannot run in a global database");
    const char *gf[] = {GREENFIELD, "database.engine_version=18.1", NULL};
    th_run *r = th_generate(adopt, gf);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "--set database.engine_version: plugin aurora: Aurora PostgreSQL 18.1: "
                       "major version 18 is not one paygen knows a global database to run");
    th_free(r);
    const char *rds = "profiles/examples/from-rds-postgresql.yaml";
    th_expect_error(rds, "database.engine_version=15.3",
                    "--set database.engine_version: plugin aurora: Aurora PostgreSQL 15.3 cannot be "
                    "a read replica of RDS PostgreSQL 15.4");
    th_expect_error(rds, "database.engine_version=16.1", "cannot be a read replica");
    expect_error2(rds, "legacy.database.engine_version=14.1", "database.engine_version=14.2",
                  "--set database.engine_version: plugin aurora: Aurora PostgreSQL 14.2 cannot run "
                  "in a global database; version 14 needs 14.3 or higher");
    /* a higher minor of the same major is a valid replica */
    const char *ok[] = {"database.engine_version=15.6", NULL};
    r = th_generate(rds, ok);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_rds_cluster", "main_use1"), "engine_version",
                  "15.6");
    th_free(r);
}

/* Region code's cluster exports to a group made first: named after the
 * cluster identifier, the region's logs key, the retention, protected. */
static void assert_log_group(const th_run *r, const char *code, double retention)
{
    char label[32], logs_key[64], dep[64], name[160];
    snprintf(label, sizeof label, "main_%s", code);
    const cJSON *c = th_resource(r, "payment", "aws_rds_cluster", label);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    snprintf(label, sizeof label, "db_postgresql_%s", code);
    const cJSON *g = th_resource(r, "payment", "aws_cloudwatch_log_group", label);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    snprintf(name, sizeof name, "/aws/rds/cluster/%s/postgresql", th_str(c, "cluster_identifier"));
    TH_ASSERT_STR(g, "name", name);
    snprintf(logs_key, sizeof logs_key, "${aws_kms_key.logs_%s.arn}", code);
    TH_ASSERT_STR(g, "kms_key_id", logs_key);
    CU_ASSERT_PTR_NOT_NULL(th_target(r, logs_key));
    CU_ASSERT_EQUAL(th_num(g, "retention_in_days"), retention);
    TH_ASSERT_STR(g, "provider", th_str(c, "provider"));
    CU_ASSERT_EQUAL(th_bool(g, "lifecycle.prevent_destroy"), 1);
    snprintf(dep, sizeof dep, "aws_cloudwatch_log_group.%s", label);
    CU_ASSERT_TRUE(th_list_has(th_path(c, "depends_on"), dep));
    CU_ASSERT_STRING_EQUAL(th_str(c, "enabled_cloudwatch_logs_exports.0"), "postgresql");
}

static const cJSON *log_import(const th_run *r, const char *code)
{
    char to[64];
    snprintf(to, sizeof to, "aws_cloudwatch_log_group.db_postgresql_%s", code);
    return import_of(r, to);
}

static void test_log_group_per_cluster(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", greenfield);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 365);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_cloudwatch_log_group", "db_postgresql_use2"));
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudwatch_log_group", "db_postgresql_use1"),
                  "name", "/aws/rds/cluster/payment-db-cluster-use1-production-abc123/postgresql");
    CU_ASSERT_PTR_NULL(log_import(r, "use1"));
    th_free(r);

    const char *sets[] = {GREENFIELD, "database.log_retention_days=731", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 731);
    assert_log_group(r, "use2", 731);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudwatch_log_group", "db_postgresql_use2"),
                  "name", "/aws/rds/cluster/payment-db-cluster-use2-production-abc123/postgresql");
    CU_ASSERT_EQUAL(import_count(r), 0);
    th_free(r);

    /* a replica of today's instance exports as well, before and after promotion */
    const char *rds[] = {"legacy.database.identifier=pay-pg-main", NULL};
    r = th_generate("profiles/examples/from-rds-postgresql.yaml", rds);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 365);
    th_free(r);
}

/* Today's cluster exports already: RDS made its group, which is imported by
 * the name its identifier gives; the secondaries' groups are new. */
static void test_adopted_log_group_imported(void)
{
    const char *sets[] = {ADOPT_SETS, NULL};
    th_run *r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 365);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_cloudwatch_log_group", "db_postgresql_use1"),
                  "name", "/aws/rds/cluster/" ADOPT_ID "/postgresql");
    const cJSON *imp = log_import(r, "use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(imp);
    TH_ASSERT_STR(imp, "id", "/aws/rds/cluster/" ADOPT_ID "/postgresql");
    th_free(r);

    r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 365);
    assert_log_group(r, "use2", 365);
    TH_ASSERT_STR(log_import(r, "use1"), "id", "/aws/rds/cluster/payment-legacy-db/postgresql");
    CU_ASSERT_PTR_NULL(log_import(r, "use2"));
    th_free(r);

    /* exports off today and no group left: created like the others */
    const char *create[] = {ADOPT_SETS, "database.adopted_log_group=create", NULL};
    r = th_generate("profiles/migration.yaml", create);
    TH_ASSERT_OK(r);
    assert_log_group(r, "use1", 365);
    assert_log_group(r, "use2", 365);
    CU_ASSERT_PTR_NULL(log_import(r, "use1"));
    CU_ASSERT_EQUAL(import_count(r), 4);
    th_free(r);
}

static void test_log_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "database.log_retention_days=30",
                    "database.log_retention_days = '30' is not one of 365|400|545");
    th_expect_error("profiles/migration.yaml", "database.log_retention_days=366",
                    "database.log_retention_days = '366' is not one of");
    th_expect_error("profiles/migration.yaml", "database.adopted_log_group=skip",
                    "database.adopted_log_group = 'skip' is not one of import|create");
    th_expect_error("profiles/migration.yaml", "database.slow_statement_ms=-2",
                    "database.slow_statement_ms");
    /* before PostgreSQL 13 a slow statement's bind values cannot be left out */
    const char *old[] = {GREENFIELD, "database.engine_version=12.9", NULL};
    th_run *r = th_generate("profiles/migration.yaml", old);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "plugin aurora: database.slow_statement_ms (not set): is 1000, but "
                       "PostgreSQL 12.9 logs a slow statement's bind values");
    th_free(r);
    const char *off[] = {GREENFIELD, "database.engine_version=12.9", "database.slow_statement_ms=-1",
                         NULL};
    r = th_generate("profiles/migration.yaml", off);
    TH_ASSERT_OK(r);
    const cJSON *pg = th_resource(r, "payment", "aws_rds_cluster_parameter_group", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    TH_ASSERT_STR(param(pg, "log_min_duration_statement"), "value", "-1");
    /* PostgreSQL 12 has no such parameter: RDS would refuse the group */
    CU_ASSERT_PTR_NULL(param(pg, "log_parameter_max_length"));
    CU_ASSERT_PTR_NULL(param(pg, "log_parameter_max_length_on_error"));
    TH_ASSERT_STR(param(pg, "shared_preload_libraries"), "value", "pg_stat_statements,pgaudit");
    th_free(r);
}

/* Statement logging never writes bind values; pgaudit is loaded, logs DDL
 * and role changes, audits objects through rds_pgaudit, without parameters. */
static void test_parameters_keep_bind_values_out(void)
{
    static const char *const expected[][2] = {
        {"log_connections", "1"},
        {"log_disconnections", "1"},
        {"log_statement", "ddl"},
        {"log_min_duration_statement", "1000"},
        {"log_parameter_max_length", "0"},
        {"log_parameter_max_length_on_error", "0"},
        {"shared_preload_libraries", "pg_stat_statements,pgaudit"},
        {"pgaudit.log", "ddl,role"},
        {"pgaudit.role", "rds_pgaudit"},
        {"pgaudit.log_parameter", "0"},
        {"pgaudit.log_catalog", "0"},
    };
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *labels[] = {"main_use1", "main_use2"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *pg = th_resource(r, "payment", "aws_rds_cluster_parameter_group", labels[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
        for (size_t k = 0; k < sizeof expected / sizeof *expected; k++) {
            const cJSON *p = param(pg, expected[k][0]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            TH_ASSERT_STR(p, "value", expected[k][1]);
            /* static ones (shared_preload_libraries) refuse immediate */
            TH_ASSERT_STR(p, "apply_method", "pending-reboot");
        }
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(pg, "parameter")),
                        2 + (int)(sizeof expected / sizeof *expected));
    }
    th_free(r);

    const char *sets[] = {"database.slow_statement_ms=250", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(param(th_resource(r, "payment", "aws_rds_cluster_parameter_group", "main_use1"),
                        "log_min_duration_statement"),
                  "value", "250");
    th_free(r);
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
        {"adopt imports today's cluster", test_adopt_imports_todays_cluster},
        {"adopt: secondaries join", test_adopt_secondaries_join},
        {"replica, then promoted", test_replica_then_promoted},
        {"dms is a new primary", test_dms_is_a_new_primary},
        {"engine version errors", test_engine_version_errors},
        {"a log group per cluster", test_log_group_per_cluster},
        {"adopted cluster's log group imported", test_adopted_log_group_imported},
        {"log settings errors", test_log_settings_errors},
        {"parameters keep bind values out", test_parameters_keep_bind_values_out},
        CU_TEST_INFO_NULL,
    };
    return th_main("aurora", tests);
}
