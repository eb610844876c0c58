/* SPDX-License-Identifier: Apache-2.0 */
/* monitoring - CloudWatch alarms, SNS alarm topics and dashboards (R11).
 *
 * Per active region: a KMS-encrypted SNS topic with an e-mail subscription
 * (the address is the Terraform variable alert_email, D1), alarms whose
 * actions and ok_actions go to that region's topic, and a dashboard with the
 * same metrics. Every alarm is written only when the resources it watches are
 * published in the phase, so a legacy output has no replication alarms.
 *
 * Publishes: monitoring.topic_arn (per region), monitoring.namespace (global,
 * where the migration Lambda puts the MigrationPhase metric). */
#include "monitoring.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A CloudWatch custom namespace: 1-255 of the characters CloudWatch allows
 * (letters, digits and . - _ / # :), and not the reserved "AWS/" prefix. */
static int check_namespace(pg_out *out, const char *ns)
{
    size_t n = strlen(ns);
    bool ok = n > 0 && n <= 255 && strncmp(ns, "AWS/", 4) != 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)ns[i]) || strchr(".-_/#:", ns[i]) != NULL;
    if (!ok)
        return pg_fail(out,
                       "monitoring.namespace '%s' must be 1-255 letters, digits or . - _ / # : "
                       "and must not start with 'AWS/'",
                       ns);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    mon m = {.ctx = ctx, .out = out, .cfg = pg_config(ctx), .count = pg_ctx_region_count(ctx)};
    if (check_namespace(out, m.cfg->namespace_name) < 0)
        return -1;
    m.regions = calloc(m.count ? m.count : 1, sizeof *m.regions);
    if (!m.regions)
        return pg_fail(out, "out of memory");
    for (size_t i = 0; i < m.count; i++)
        m.regions[i].region = pg_ctx_region(ctx, i);

    int rc = mon_topics(&m);
    if (!rc) {
        pg_publish_string(out, NULL, "monitoring.namespace", m.cfg->namespace_name);
        /* Every family runs so that all errors are reported at once. */
        rc |= mon_aurora_alarms(&m);
        rc |= mon_ecs_alarms(&m);
        rc |= mon_alb_alarms(&m);
        rc |= mon_s3_alarms(&m);
        rc |= mon_route53_alarms(&m);
        rc |= mon_migration_alarm(&m);
        if (!rc)
            mon_dashboards(&m);
    }
    free(m.alarms);
    free(m.regions);
    return rc ? -1 : 0;
}

static const pg_publication publishes[] = {
    {"monitoring.topic_arn", PG_REGIONAL, PG_KIND_STRING},
    {"monitoring.namespace", PG_GLOBAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"kms", "aurora", "ecs", "alb", "storage", "dns", "legacy",
                                    NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("monitoring.alert_email", mon_config, alert_email, "",
                      "default of the Terraform variable alert_email (empty: given at apply time)"),
    PG_SETTING_STRING("monitoring.namespace", mon_config, namespace_name, "Payment/Migration",
                      "CloudWatch namespace of the MigrationPhase metric the migration Lambda "
                      "publishes"),
    PG_SETTING_INT("monitoring.replication_lag_ms", mon_config, replication_lag_ms, "100", 1,
                   3600000,
                   "alarm when Aurora global replication lag on a secondary exceeds this (ms)"),
    PG_SETTING_INT("monitoring.db_cpu_percent", mon_config, db_cpu_percent, "80", 1, 100,
                   "alarm when the Aurora writer's CPU exceeds this (%)"),
    PG_SETTING_INT("monitoring.db_freeable_memory_mb", mon_config, db_freeable_memory_mb, "1024",
                   1, 1048576,
                   "alarm when the Aurora writer's freeable memory drops below this (MiB)"),
    PG_SETTING_INT("monitoring.min_running_tasks", mon_config, min_running_tasks, "2", 1, 1000,
                   "alarm when an ECS service runs fewer tasks than this"),
    PG_SETTING_INT("monitoring.service_cpu_percent", mon_config, service_cpu_percent, "80", 1, 100,
                   "alarm when an ECS service's CPU utilization exceeds this (%)"),
    PG_SETTING_INT("monitoring.service_memory_percent", mon_config, service_memory_percent, "80", 1,
                   100, "alarm when an ECS service's memory utilization exceeds this (%)"),
    PG_SETTING_INT("monitoring.http_5xx_count", mon_config, http_5xx_count, "10", 0, 1000000,
                   "alarm when a load balancer counts more 5xx responses than this per minute"),
    PG_SETTING_INT("monitoring.latency_ms", mon_config, latency_ms, "200", 1, 60000,
                   "alarm when the load balancer's p99 target response time exceeds this (ms)"),
    PG_SETTING_INT("monitoring.s3_replication_latency_s", mon_config, s3_replication_latency_s,
                   "900", 1, 86400,
                   "alarm when S3 cross-region replication lags more than this (s; RTC promises "
                   "900)"),
    PG_SETTING_INT("monitoring.rds_replica_lag_s", mon_config, rds_replica_lag_s, "60", 1, 86400,
                   "legacy.database.move replica, legacy phase: alarm when the Aurora read replica "
                   "lags today's RDS instance by more than this (s)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("monitoring", "1.0.0", "Apache-2.0",
                 "CloudWatch alarms and dashboards with KMS-encrypted SNS notifications",
                 publishes, needs, settings, sizeof(mon_config), contribute)
