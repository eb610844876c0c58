/* SPDX-License-Identifier: Apache-2.0 */
/* Monitoring plugin: alarm topics, the exact alarms of each phase, where they
 * live, what they watch, their thresholds and actions, and the dashboards. */
#include "harness.h"
#include <math.h>
#include <string.h>


#define ALARM "aws_cloudwatch_metric_alarm"

static const char *const legacy_alarms[] = {
    "alb_elb_5xx_use1",
    "alb_latency_p99_use1",
    "alb_target_5xx_use1",
    "alb_unhealthy_blue_use1",
    "alb_unhealthy_green_use1",
    "aurora_writer_cpu_use1",
    "aurora_writer_memory_use1",
    "ecs_cpu_use1",
    "ecs_memory_use1",
    "ecs_running_tasks_use1",
    "migration_phase_use1",
    "route53_health_use1_use1",
    NULL,
};

/* What the migration and production phases add to the legacy set. */
static const char *const two_region_alarms[] = {
    "alb_elb_5xx_use2",
    "alb_latency_p99_use2",
    "alb_target_5xx_use2",
    "alb_unhealthy_blue_use2",
    "alb_unhealthy_green_use2",
    "aurora_replication_lag_use1",
    "aurora_replication_lag_use2",
    "ecs_cpu_use2",
    "ecs_memory_use2",
    "ecs_running_tasks_use2",
    "route53_health_use2_use1",
    "s3_replication_latency_transaction_logs_use1",
    "s3_replication_failed_transaction_logs_use1",
    "s3_replication_latency_audit_trail_use1",
    "s3_replication_failed_audit_trail_use1",
    /* us-east-2's transaction logs replicate out of it too */
    "s3_replication_latency_transaction_logs_use2",
    "s3_replication_failed_transaction_logs_use2",
    NULL,
};

/* No legacy platform: base.yaml describes today's platform in us-east-1,
 * which a profile with another primary region cannot adopt. */
static const char *const greenfield[] = {
    "legacy.vpc_id=", "legacy.cidr=", "legacy.subnet_ids=[]", "legacy.route_table_ids=[]",
    "legacy.database.kind=none", "legacy.database.identifier=",
    "legacy.database.engine_version=", "legacy.database.kms_key_arn=",
    "legacy.database.subnet_group=", "legacy.database.security_group_ids=[]",
    "legacy.database.master_username=", "legacy.database.instance_identifiers=[]",
    "legacy.endpoint.dns_name=", "legacy.endpoint.zone_id=", "legacy.state.bucket=", NULL};

static th_run *ok_run(const char *profile, const char *const *sets)
{
    th_run *r = th_generate(profile, sets);
    if (r->rc != 0)
        th_dump_errors(r);
    return r;
}

static const cJSON *alarm(const th_run *r, const char *label)
{
    return th_resource(r, "payment", ALARM, label);
}

/* A reference another plugin published in this run (region NULL: global). */
static const char *published(th_run *r, const char *region_code, const char *name)
{
    const pg_ctx *ctx = &r->g.ctx;
    if (!region_code)
        return pg_lookup(ctx, NULL, name);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++)
        if (!strcmp(pg_ctx_region(ctx, i)->code, region_code))
            return pg_lookup(ctx, pg_ctx_region(ctx, i), name);
    return NULL;
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

/* The alarms of the run are exactly the union of the lists. */
static void assert_alarm_set(const th_run *r, const char *const *a, const char *const *b)
{
    size_t expected = 0;
    for (const char *const *l = a; *l; l++, expected++)
        if (!alarm(r, *l))
            fprintf(stderr, "\n  missing alarm %s\n", *l);
    for (const char *const *l = b; l && *l; l++, expected++)
        if (!alarm(r, *l))
            fprintf(stderr, "\n  missing alarm %s\n", *l);
    const cJSON *all = th_path(th_stack(r, "payment"), "resource." ALARM);
    const cJSON *it;
    size_t found = 0;
    cJSON_ArrayForEach(it, all)
    {
        if (!strncmp(it->string, "audit_", 6) || !strncmp(it->string, "failover_", 9))
            continue; /* the audit plugin's security alarms, the failover function's */
        found++;
        if (!in_list(a, it->string) && !in_list(b, it->string))
            fprintf(stderr, "\n  unexpected alarm %s\n", it->string);
        CU_ASSERT_TRUE(in_list(a, it->string) || in_list(b, it->string));
    }
    CU_ASSERT_EQUAL(found, expected);
}

/* ------------------------------------------------------------ topics */

static void test_topics_encrypted_with_region_keys(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_sns_topic"), 2);
    const cJSON *t1 = th_resource(r, "payment", "aws_sns_topic", "alarms_use1");
    const cJSON *t2 = th_resource(r, "payment", "aws_sns_topic", "alarms_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t2);
    CU_ASSERT_STRING_EQUAL(th_str(t1, "kms_master_key_id"),
                           "${aws_kms_key.notifications_use1.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(t2, "kms_master_key_id"),
                           "${aws_kms_key.notifications_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(t2, "provider"), "aws.use2");
    CU_ASSERT_PTR_NULL(th_path(t1, "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(t2, "name"), "payment-alarms-use2-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(t2, "tags.Name"), "payment-alarms-use2-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(t2, "display_name"), "payment production alarms");
    CU_ASSERT_TRUE(
        str_eq(published(r, "use2", "monitoring.topic_arn"), "${aws_sns_topic.alarms_use2.arn}"));
    CU_ASSERT_TRUE(str_eq(published(r, NULL, "monitoring.namespace"), "Payment/Migration"));
    th_free(r);
}

static void test_topic_policy_admits_account_cloudwatch_only(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *pol = th_resource(r, "payment", "aws_sns_topic_policy", "alarms_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
    CU_ASSERT_STRING_EQUAL(th_str(pol, "arn"), "${aws_sns_topic.alarms_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(pol, "policy"),
                           "${data.aws_iam_policy_document.alarms_topic_use2.json}");
    CU_ASSERT_STRING_EQUAL(th_str(pol, "provider"), "aws.use2");
    const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document", "alarms_topic_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.actions.0"), "sns:Publish");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(doc, "statement.0.actions")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.resources.0"),
                           "${aws_sns_topic.alarms_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.principals.0.identifiers.0"),
                           "cloudwatch.amazonaws.com");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.0.variable"), "aws:SourceAccount");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.0.values.0"),
                           "${data.aws_caller_identity.current.account_id}");
    CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.1.values.0"),
                           "arn:${data.aws_partition.current.partition}:cloudwatch:us-east-2:"
                           "${data.aws_caller_identity.current.account_id}:alarm:*");
    th_free(r);
}

static void test_email_subscription_from_variable(void)
{
    th_run *r = ok_run("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_sns_topic_subscription"), 1);
    const cJSON *sub = th_resource(r, "payment", "aws_sns_topic_subscription", "alarms_email_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
    CU_ASSERT_STRING_EQUAL(th_str(sub, "protocol"), "email");
    CU_ASSERT_STRING_EQUAL(th_str(sub, "endpoint"), "${var.alert_email}");
    CU_ASSERT_STRING_EQUAL(th_str(sub, "topic_arn"), "${aws_sns_topic.alarms_use1.arn}");
    const cJSON *v = th_path(th_stack(r, "payment"), "variable.alert_email");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(th_str(v, "type"), "string");
    CU_ASSERT_PTR_NULL(th_path(v, "default"));
    const char *cond = th_str(v, "validation.0.condition");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cond);
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "var.alert_email"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "regex("));
    CU_ASSERT_PTR_NOT_NULL(th_str(v, "validation.0.error_message"));
    th_free(r);
}

static void test_alert_email_default_and_bad_address(void)
{
    const char *good[] = {"monitoring.alert_email=ops@example.com", NULL};
    th_run *r = ok_run("profiles/legacy.yaml", good);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "variable.alert_email.default"),
                           "ops@example.com");
    th_free(r);

    const char *bad[] = {"monitoring.alert_email=ops.example.com", NULL};
    r = th_generate("profiles/legacy.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "monitoring.alert_email 'ops.example.com' does not look like an "
                                   "e-mail address"));
    th_free(r);
}

/* --------------------------------------------------------- alarm sets */

static void test_legacy_alarm_set(void)
{
    th_run *r = ok_run("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_alarm_set(r, legacy_alarms, NULL);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_sns_topic"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_cloudwatch_dashboard"), 1);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_sns_topic", "alarms_use2"));
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_replication_lag_use2"));
    CU_ASSERT_PTR_NULL(alarm(r, "s3_replication_latency_transaction_logs_use1"));
    CU_ASSERT_PTR_NULL(alarm(r, "s3_replication_failed_audit_trail_use1"));
    th_free(r);
}

static void test_migration_alarm_set(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_alarm_set(r, legacy_alarms, two_region_alarms);
    /* on every member: whichever is a secondary reports the lag, before and
     * after a switchover; the writer's cluster reports nothing */
    CU_ASSERT_STRING_EQUAL(th_str(alarm(r, "aurora_replication_lag_use1"), "treat_missing_data"),
                           "notBreaching");
    /* and a notification when the writer changes region, from each region */
    static const char *const codes[] = {"use1", "use2"};
    for (size_t i = 0; i < 2; i++) {
        char label[64];
        snprintf(label, sizeof label, "writer_moves_%s", codes[i]);
        const cJSON *sub = th_resource(r, "payment", "aws_db_event_subscription", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
        char topic[64], cluster[64];
        snprintf(topic, sizeof topic, "${aws_sns_topic.alarms_%s.arn}", codes[i]);
        snprintf(cluster, sizeof cluster, "${aws_rds_cluster.main_%s.cluster_identifier}", codes[i]);
        TH_ASSERT_STR(sub, "sns_topic", topic);
        TH_ASSERT_STR(sub, "source_type", "db-cluster");
        TH_ASSERT_STR(sub, "source_ids.0", cluster);
        CU_ASSERT_TRUE(th_list_has(th_path(sub, "event_categories"), "global-failover"));
    }
    th_free(r);
}

static void test_production_alarm_set(void)
{
    th_run *r = ok_run("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    assert_alarm_set(r, legacy_alarms, two_region_alarms);
    th_free(r);
}

/* Every alarm notifies, on alarm and on recovery, the topic of the region it
 * lives in, and is named by pg_name within CloudWatch's limit. */
static void test_actions_on_own_region_topic(void)
{
    th_run *r = ok_run("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *it;
    size_t n = 0;
    cJSON_ArrayForEach(it, th_path(th_stack(r, "payment"), "resource." ALARM))
    {
        if (!strncmp(it->string, "audit_", 6) || !strncmp(it->string, "failover_", 9))
            continue; /* the audit plugin's security alarms, the failover function's */
        const char *provider = th_str(it, "provider");
        const char *topic = provider && !strcmp(provider, "aws.use2")
                                ? "${aws_sns_topic.alarms_use2.arn}"
                                : "${aws_sns_topic.alarms_use1.arn}";
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(it, "alarm_actions")), 1);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(it, "ok_actions")), 1);
        CU_ASSERT_TRUE(str_eq(th_str(it, "alarm_actions.0"), topic));
        CU_ASSERT_TRUE(str_eq(th_str(it, "ok_actions.0"), topic));
        const char *name = th_str(it, "alarm_name");
        CU_ASSERT_PTR_NOT_NULL_FATAL(name);
        CU_ASSERT_TRUE(strlen(name) <= 255);
        CU_ASSERT_EQUAL(strncmp(name, "payment-alarm-", 14), 0);
        CU_ASSERT_TRUE(str_eq(th_str(it, "tags.Name"), name));
        const char *missing = th_str(it, "treat_missing_data");
        CU_ASSERT_TRUE(str_eq(missing, "breaching") || str_eq(missing, "notBreaching"));
        n++;
    }
    CU_ASSERT_EQUAL(n, 29); /* no writer alarms on the secondary, a lag alarm on each member, us-east-2 replicates out */
    /* names are unique across regions */
    const cJSON *a;
    cJSON_ArrayForEach(a, th_path(th_stack(r, "payment"), "resource." ALARM))
    {
        const cJSON *b;
        for (b = a->next; b; b = b->next)
            CU_ASSERT_FALSE(str_eq(th_str(a, "alarm_name"), th_str(b, "alarm_name")));
    }
    th_free(r);
}

/* ------------------------------------------------------------- aurora */

/* legacy.database.move replica: the read replica's lag behind today's RDS
 * instance is watched in the legacy phase only; promoted, there is none. */
static void test_rds_replica_lag(void)
{
    const char *sets[] = {"monitoring.rds_replica_lag_s=30", NULL};
    th_run *r = ok_run("profiles/examples/from-rds-postgresql.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *a = alarm(r, "aurora_rds_replica_lag_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NULL(th_path(a, "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(a, "namespace"), "AWS/RDS");
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_name"), "RDSToAuroraPostgreSQLReplicaLag");
    CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.DBClusterIdentifier"),
                          published(r, "use1", "aurora.cluster_id")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(a, "dimensions")), 1);
    CU_ASSERT_STRING_EQUAL(th_str(a, "statistic"), "Maximum");
    CU_ASSERT_EQUAL(th_num(a, "threshold"), 30);
    CU_ASSERT_STRING_EQUAL(th_str(a, "comparison_operator"), "GreaterThanThreshold");
    CU_ASSERT_STRING_EQUAL(th_str(a, "treat_missing_data"), "missing");
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"), "${aws_sns_topic.alarms_use1.arn}");
    th_free(r);

    const char *mig[] = {"phase=migration", NULL};
    r = ok_run("profiles/examples/from-rds-postgresql.yaml", mig);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_rds_replica_lag_use1"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use2"));
    th_free(r);
    /* neither an adopted cluster nor DMS has a read replica to watch */
    r = ok_run("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_rds_replica_lag_use1"));
    th_free(r);
    r = ok_run("profiles/examples/from-rds-postgresql-dms.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_rds_replica_lag_use1"));
    th_free(r);
}

static void test_replication_lag_on_secondary(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *a = alarm(r, "aurora_replication_lag_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(th_str(a, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(a, "namespace"), "AWS/RDS");
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_name"), "AuroraGlobalDBReplicationLag");
    const char *cluster2 = published(r, "use2", "aurora.cluster_id");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cluster2);
    CU_ASSERT_PTR_NOT_NULL(strstr(cluster2, "use2"));
    CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.DBClusterIdentifier"), cluster2));
    CU_ASSERT_FALSE(str_eq(th_str(a, "dimensions.DBClusterIdentifier"),
                           published(r, "use1", "aurora.cluster_id")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(a, "dimensions")), 1);
    CU_ASSERT_EQUAL(th_num(a, "threshold"), 100);
    CU_ASSERT_STRING_EQUAL(th_str(a, "comparison_operator"), "GreaterThanThreshold");
    CU_ASSERT_STRING_EQUAL(th_str(a, "treat_missing_data"), "notBreaching");
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"), "${aws_sns_topic.alarms_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(a, "ok_actions.0"), "${aws_sns_topic.alarms_use2.arn}");
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_name"),
                           "payment-alarm-aurora-replication-lag-use2-production-abc123");
    th_free(r);
}

/* Writer alarms on the primary only: a secondary cluster of a global
 * database has no writer, so Role=WRITER alarms there never get data. */
static void test_aurora_writer_alarms(void)
{
    th_run *r = ok_run("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *cpu = alarm(r, "aurora_writer_cpu_use1");
    const cJSON *mem = alarm(r, "aurora_writer_memory_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cpu);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "metric_name"), "CPUUtilization");
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "dimensions.Role"), "WRITER");
    CU_ASSERT_TRUE(str_eq(th_str(cpu, "dimensions.DBClusterIdentifier"),
                          published(r, "use1", "aurora.cluster_id")));
    CU_ASSERT_EQUAL(th_num(cpu, "threshold"), 80);
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "treat_missing_data"), "notBreaching");
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "statistic"), "Average");
    CU_ASSERT_STRING_EQUAL(th_str(mem, "metric_name"), "FreeableMemory");
    CU_ASSERT_STRING_EQUAL(th_str(mem, "namespace"), "AWS/RDS");
    CU_ASSERT_STRING_EQUAL(th_str(mem, "comparison_operator"), "LessThanThreshold");
    CU_ASSERT_EQUAL(th_num(mem, "threshold"), 1024.0 * 1048576.0);
    CU_ASSERT_STRING_EQUAL(th_str(mem, "dimensions.Role"), "WRITER");
    CU_ASSERT_TRUE(str_eq(th_str(mem, "dimensions.DBClusterIdentifier"),
                          published(r, "use1", "aurora.cluster_id")));
    /* the secondary has no writer: no writer alarm, the lag alarm stays */
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_writer_cpu_use2"));
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_writer_memory_use2"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use2"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use1"));
    th_free(r);

    const char *sets[] = {"dns.production_secondary_weight=50", NULL};
    r = ok_run("tests/data/profiles/three-regions.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_writer_cpu_use1"));
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_writer_cpu_use2"));
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_writer_cpu_usw2"));
    CU_ASSERT_PTR_NULL(alarm(r, "aurora_writer_memory_usw2"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use2"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_usw2"));
    th_free(r);
}

/* ---------------------------------------------------------------- ECS */

static void test_ecs_alarms(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *tasks = alarm(r, "ecs_running_tasks_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(tasks);
    CU_ASSERT_STRING_EQUAL(th_str(tasks, "namespace"), "ECS/ContainerInsights");
    CU_ASSERT_STRING_EQUAL(th_str(tasks, "metric_name"), "RunningTaskCount");
    CU_ASSERT_TRUE(
        str_eq(th_str(tasks, "dimensions.ClusterName"), published(r, "use2", "ecs.cluster_name")));
    CU_ASSERT_TRUE(
        str_eq(th_str(tasks, "dimensions.ServiceName"), published(r, "use2", "ecs.service_name")));
    CU_ASSERT_STRING_EQUAL(th_str(tasks, "comparison_operator"), "LessThanThreshold");
    CU_ASSERT_EQUAL(th_num(tasks, "threshold"), 2);
    CU_ASSERT_STRING_EQUAL(th_str(tasks, "treat_missing_data"), "breaching");
    const cJSON *cpu = alarm(r, "ecs_cpu_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cpu);
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "namespace"), "AWS/ECS");
    CU_ASSERT_STRING_EQUAL(th_str(cpu, "metric_name"), "CPUUtilization");
    CU_ASSERT_TRUE(
        str_eq(th_str(cpu, "dimensions.ClusterName"), published(r, "use1", "ecs.cluster_name")));
    const cJSON *mem = alarm(r, "ecs_memory_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    CU_ASSERT_STRING_EQUAL(th_str(mem, "metric_name"), "MemoryUtilization");
    CU_ASSERT_STRING_EQUAL(th_str(mem, "namespace"), "AWS/ECS");
    th_free(r);
}

/* ---------------------------------------------------------------- ALB */

static void test_alb_alarms(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *lb = published(r, "use2", "alb.arn_suffix");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
    const cJSON *lat = alarm(r, "alb_latency_p99_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lat);
    CU_ASSERT_STRING_EQUAL(th_str(lat, "namespace"), "AWS/ApplicationELB");
    CU_ASSERT_STRING_EQUAL(th_str(lat, "metric_name"), "TargetResponseTime");
    CU_ASSERT_STRING_EQUAL(th_str(lat, "extended_statistic"), "p99");
    CU_ASSERT_PTR_NULL(th_path(lat, "statistic"));
    CU_ASSERT_DOUBLE_EQUAL(th_num(lat, "threshold"), 0.2, 1e-12);
    CU_ASSERT_TRUE(str_eq(th_str(lat, "dimensions.LoadBalancer"), lb));
    for (int i = 0; i < 2; i++) {
        const cJSON *x = alarm(r, i ? "alb_target_5xx_use2" : "alb_elb_5xx_use2");
        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        CU_ASSERT_STRING_EQUAL(th_str(x, "metric_name"),
                               i ? "HTTPCode_Target_5XX_Count" : "HTTPCode_ELB_5XX_Count");
        CU_ASSERT_STRING_EQUAL(th_str(x, "statistic"), "Sum");
        CU_ASSERT_STRING_EQUAL(th_str(x, "treat_missing_data"), "notBreaching");
        CU_ASSERT_TRUE(str_eq(th_str(x, "dimensions.LoadBalancer"), lb));
    }
    const cJSON *green = alarm(r, "alb_unhealthy_green_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(green);
    CU_ASSERT_STRING_EQUAL(th_str(green, "metric_name"), "UnHealthyHostCount");
    CU_ASSERT_TRUE(str_eq(th_str(green, "dimensions.TargetGroup"),
                          published(r, "use2", "alb.target_group.green.arn_suffix")));
    CU_ASSERT_FALSE(str_eq(th_str(green, "dimensions.TargetGroup"),
                           published(r, "use2", "alb.target_group.blue.arn_suffix")));
    CU_ASSERT_TRUE(str_eq(th_str(green, "dimensions.LoadBalancer"), lb));
    CU_ASSERT_EQUAL(th_num(green, "threshold"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(green, "comparison_operator"), "GreaterThanThreshold");
    th_free(r);
}

static void test_thresholds_follow_settings(void)
{
    const char *sets[] = {"monitoring.replication_lag_ms=250", "monitoring.latency_ms=350",
                          "monitoring.min_running_tasks=4", "monitoring.http_5xx_count=25", NULL};
    th_run *r = ok_run("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(alarm(r, "aurora_replication_lag_use2"), "threshold"), 250);
    CU_ASSERT_DOUBLE_EQUAL(th_num(alarm(r, "alb_latency_p99_use1"), "threshold"), 0.35, 1e-12);
    CU_ASSERT_EQUAL(th_num(alarm(r, "ecs_running_tasks_use1"), "threshold"), 4);
    CU_ASSERT_EQUAL(th_num(alarm(r, "alb_target_5xx_use2"), "threshold"), 25);
    th_free(r);

    const char *bad[] = {"monitoring.latency_ms=0", NULL};
    r = th_generate("profiles/migration.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "monitoring.latency_ms"));
    th_free(r);
}

/* ------------------------------------------------------ S3 replication */

static void test_s3_replication_alarms(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    static const char *const buckets[] = {"transaction_logs", "audit_trail"};
    for (int b = 0; b < 2; b++) {
        char label[96], ref[96];
        const char *rule, *src, *dst;
        snprintf(ref, sizeof ref, "storage.replication.%s.rule_id", buckets[b]);
        rule = published(r, "use1", ref);
        snprintf(ref, sizeof ref, "storage.%s.bucket", buckets[b]);
        src = published(r, "use1", ref);
        dst = published(r, "use2", ref);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
        CU_ASSERT_FALSE(str_eq(src, dst));
        for (int k = 0; k < 2; k++) {
            snprintf(label, sizeof label, "s3_replication_%s_%s_use1", k ? "failed" : "latency",
                     buckets[b]);
            const cJSON *a = alarm(r, label);
            CU_ASSERT_PTR_NOT_NULL_FATAL(a);
            CU_ASSERT_PTR_NULL(th_path(a, "provider"));
            CU_ASSERT_STRING_EQUAL(th_str(a, "namespace"), "AWS/S3");
            CU_ASSERT_STRING_EQUAL(th_str(a, "metric_name"),
                                   k ? "OperationsFailedReplication" : "ReplicationLatency");
            CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(a, "dimensions")), 3);
            CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.SourceBucket"), src));
            CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.DestinationBucket"), dst));
            CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.RuleId"), rule));
            CU_ASSERT_EQUAL(th_num(a, "threshold"), k ? 0 : 900);
            CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"),
                                   "${aws_sns_topic.alarms_use1.arn}");
        }
    }
    th_free(r);
}

/* ----------------------------------------------------------- Route 53 */

static void test_route53_alarms_in_us_east_1(void)
{
    th_run *r = ok_run("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *codes[] = {"use1", "use2"};
    for (int i = 0; i < 2; i++) {
        char label[64];
        snprintf(label, sizeof label, "route53_health_%s_use1", codes[i]);
        const cJSON *a = alarm(r, label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NULL(th_path(a, "provider")); /* us-east-1 is the default provider */
        CU_ASSERT_STRING_EQUAL(th_str(a, "namespace"), "AWS/Route53");
        CU_ASSERT_STRING_EQUAL(th_str(a, "metric_name"), "HealthCheckStatus");
        CU_ASSERT_TRUE(str_eq(th_str(a, "dimensions.HealthCheckId"),
                              published(r, codes[i], "dns.health_check_id")));
        CU_ASSERT_EQUAL(th_num(a, "threshold"), 1);
        CU_ASSERT_STRING_EQUAL(th_str(a, "comparison_operator"), "LessThanThreshold");
        CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"), "${aws_sns_topic.alarms_use1.arn}");
    }
    CU_ASSERT_STRING_EQUAL(th_str(alarm(r, "route53_health_use2_use1"), "alarm_name"),
                           "payment-alarm-route53-health-use2-production-abc123");
    th_free(r);
}

/* us-east-1 as the secondary: the health alarms take its provider alias. */
static void test_route53_alarms_follow_us_east_1_provider(void)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "extends: %s\nphase: migration\ncutover: \"2026-12-01T06:00:00Z\"\nprotection: false\n"
             "regions:\n"
             "  - name: us-east-2\n    cidr: 10.20.0.0/16\n    azs: [us-east-2a, us-east-2b, "
             "us-east-2c]\n"
             "  - name: us-east-1\n    cidr: 10.10.0.0/16\n    azs: [us-east-1a, us-east-1b, "
             "us-east-1c]\n",
             th_source("profiles/base.yaml"));
    th_run *r = th_generate_text(yaml, greenfield);
    TH_ASSERT_OK(r);
    const cJSON *a = alarm(r, "route53_health_use2_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(th_str(a, "provider"), "aws.use1");
    CU_ASSERT_STRING_EQUAL(th_str(a, "alarm_actions.0"), "${aws_sns_topic.alarms_use1.arn}");
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "route53_health_use1_use1"));
    /* a lag alarm on each member, in its region */
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use1"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use2"));
    th_free(r);
}

/* Without an active us-east-1 there is no provider for the Route 53
 * metrics: the health-check alarms are left out, everything else stays. */
static void test_no_route53_alarms_without_us_east_1(void)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "extends: %s\nphase: migration\ncutover: \"2026-12-01T06:00:00Z\"\nprotection: false\n"
             "regions:\n"
             "  - name: us-west-2\n    cidr: 10.30.0.0/16\n    azs: [us-west-2a, us-west-2b, "
             "us-west-2c]\n"
             "  - name: us-east-2\n    cidr: 10.20.0.0/16\n    azs: [us-east-2a, us-east-2b, "
             "us-east-2c]\n",
             th_source("profiles/base.yaml"));
    th_run *r = th_generate_text(yaml, greenfield);
    TH_ASSERT_OK(r);
    const cJSON *it;
    size_t n = 0;
    cJSON_ArrayForEach(it, th_path(th_stack(r, "payment"), "resource." ALARM))
    {
        CU_ASSERT_PTR_NULL(strstr(it->string, "route53"));
        n += strncmp(it->string, "audit_", 6) != 0;
    }
    CU_ASSERT_EQUAL(n, 29 - 2);
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "aurora_replication_lag_use2"));
    CU_ASSERT_PTR_NOT_NULL(alarm(r, "migration_phase_usw2"));
    th_free(r);
}

/* ---------------------------------------------------------- migration */

static void check_phase_alarm(const char *profile, const char *expression)
{
    th_run *r = ok_run(profile, NULL);
    TH_ASSERT_OK(r);
    const cJSON *a = alarm(r, "migration_phase_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NULL(th_path(a, "metric_name"));
    CU_ASSERT_PTR_NULL(th_path(a, "namespace"));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(a, "metric_query")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_query.0.id"), "m1");
    CU_ASSERT_EQUAL(th_bool(a, "metric_query.0.return_data"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_query.0.metric.0.metric_name"), "MigrationPhase");
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_query.0.metric.0.namespace"), "Payment/Migration");
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_query.0.metric.0.dimensions.Environment"),
                           "production");
    CU_ASSERT_STRING_EQUAL(th_str(a, "metric_query.1.expression"), expression);
    CU_ASSERT_EQUAL(th_bool(a, "metric_query.1.return_data"), 1);
    CU_ASSERT_EQUAL(th_num(a, "threshold"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(a, "comparison_operator"), "GreaterThanThreshold");
    CU_ASSERT_STRING_EQUAL(th_str(a, "treat_missing_data"), "breaching");
    th_free(r);
}

static void test_migration_phase_alarm(void)
{
    check_phase_alarm("profiles/legacy.yaml", "ABS(m1 - 1)");
    check_phase_alarm("profiles/migration.yaml", "ABS(m1 - 2)");
    check_phase_alarm("profiles/production.yaml", "ABS(m1 - 3)");
}

static void test_namespace_setting(void)
{
    const char *sets[] = {"monitoring.namespace=Payments/Cutover", NULL};
    th_run *r = ok_run("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_STRING_EQUAL(
        th_str(alarm(r, "migration_phase_use1"), "metric_query.0.metric.0.namespace"),
        "Payments/Cutover");
    CU_ASSERT_TRUE(str_eq(published(r, NULL, "monitoring.namespace"), "Payments/Cutover"));
    th_free(r);
    const char *bad[] = {"monitoring.namespace=AWS/Payment", NULL};
    r = th_generate("profiles/legacy.yaml", bad);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "must not start with 'AWS/'"));
    th_free(r);
    const char *spaced[] = {"monitoring.namespace=Payment Migration", NULL};
    r = th_generate("profiles/legacy.yaml", spaced);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "monitoring.namespace 'Payment Migration' must be 1-255"));
    th_free(r);
}

/* --------------------------------------------------------- dashboards */

static cJSON *dashboard(const th_run *r, const char *label)
{
    const char *body =
        th_str(th_resource(r, "payment", "aws_cloudwatch_dashboard", label), "dashboard_body");
    return body ? cJSON_Parse(body) : NULL;
}

/* Whether a metric widget of the dashboard shows metric. */
static bool shows(const cJSON *d, const char *metric)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, th_path(d, "widgets"))
    {
        const cJSON *row;
        cJSON_ArrayForEach(row, th_path(w, "properties.metrics"))
        {
            if (str_eq(th_str(row, "1"), metric))
                return true;
        }
    }
    return false;
}

static void test_dashboards_per_region(void)
{
    th_run *r = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_cloudwatch_dashboard"), 2);
    const cJSON *d2 = th_resource(r, "payment", "aws_cloudwatch_dashboard", "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
    CU_ASSERT_STRING_EQUAL(th_str(d2, "provider"), "aws.use2");
    CU_ASSERT_STRING_EQUAL(th_str(d2, "dashboard_name"),
                           "payment-dashboard-use2-production-abc123");
    cJSON *b1 = dashboard(r, "main_use1"), *b2 = dashboard(r, "main_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
    CU_ASSERT_TRUE(shows(b2, "AuroraGlobalDBReplicationLag"));
    CU_ASSERT_TRUE(shows(b1, "AuroraGlobalDBReplicationLag")); /* after a switchover */
    CU_ASSERT_TRUE(shows(b1, "HealthCheckStatus"));
    CU_ASSERT_TRUE(shows(b1, "ReplicationLatency"));
    CU_ASSERT_TRUE(shows(b1, "MigrationPhase"));
    CU_ASSERT_TRUE(shows(b2, "TargetResponseTime"));
    /* a header plus one widget per alarm living in the region: 18 in use1 */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(b1, "widgets")), 1 + 18);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(b2, "widgets")), 1 + 11); /* no writer alarms in use2 */
    CU_ASSERT_STRING_EQUAL(th_str(b2, "widgets.1.properties.region"), "us-east-2");
    /* the body is compact JSON, identical from run to run */
    const char *text = th_str(d2, "dashboard_body");
    CU_ASSERT_PTR_NULL(strchr(text, '\n'));
    CU_ASSERT_PTR_NULL(strchr(text, '\t'));
    th_run *again = ok_run("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(again);
    CU_ASSERT_TRUE(
        str_eq(text, th_str(th_resource(again, "payment", "aws_cloudwatch_dashboard", "main_use2"),
                            "dashboard_body")));
    th_free(again);
    cJSON_Delete(b1);
    cJSON_Delete(b2);
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"topics encrypted with region keys", test_topics_encrypted_with_region_keys},
        {"topic policy admits account CloudWatch only",
         test_topic_policy_admits_account_cloudwatch_only},
        {"e-mail subscription from variable", test_email_subscription_from_variable},
        {"alert e-mail default and bad address", test_alert_email_default_and_bad_address},
        {"legacy alarm set", test_legacy_alarm_set},
        {"migration alarm set", test_migration_alarm_set},
        {"production alarm set", test_production_alarm_set},
        {"actions on own region topic", test_actions_on_own_region_topic},
        {"replication lag on secondary", test_replication_lag_on_secondary},
        {"aurora writer alarms", test_aurora_writer_alarms},
        {"ECS alarms", test_ecs_alarms},
        {"ALB alarms", test_alb_alarms},
        {"thresholds follow settings", test_thresholds_follow_settings},
        {"S3 replication alarms", test_s3_replication_alarms},
        {"Route 53 alarms in us-east-1", test_route53_alarms_in_us_east_1},
        {"Route 53 alarms follow us-east-1 provider",
         test_route53_alarms_follow_us_east_1_provider},
        {"no Route 53 alarms without us-east-1", test_no_route53_alarms_without_us_east_1},
        {"migration phase alarm", test_migration_phase_alarm},
        {"namespace setting", test_namespace_setting},
        {"dashboards per region", test_dashboards_per_region},
        {"RDS read replica lag", test_rds_replica_lag},
        CU_TEST_INFO_NULL,
    };
    return th_main("monitoring", tests);
}
