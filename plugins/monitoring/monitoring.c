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

mon_region *mon_find(mon *m, const pg_region *region)
{
    for (size_t i = 0; region && i < m->count; i++)
        if (m->regions[i].region == region || !strcmp(m->regions[i].region->name, region->name))
            return &m->regions[i];
    return NULL;
}

mon_region *mon_find_name(mon *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (!strcmp(m->regions[i].region->name, name))
            return &m->regions[i];
    return NULL;
}

const char *mon_namespace(const mon *m)
{
    return pg_ctx_string(m->ctx, "monitoring.namespace");
}

/* A CloudWatch custom namespace: 1-255 of the characters CloudWatch allows
 * (letters, digits and . - _ / # :), and not the reserved "AWS/" prefix. */
static int check_namespace(mon *m)
{
    const char *ns = mon_namespace(m);
    size_t n = ns ? strlen(ns) : 0;
    bool ok = n > 0 && n <= 255 && strncmp(ns, "AWS/", 4) != 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)ns[i]) || strchr(".-_/#:", ns[i]) != NULL;
    if (!ok) {
        pg_error(m->out,
                 "monitoring.namespace '%s' must be 1-255 letters, digits or . - _ / # : and "
                 "must not start with 'AWS/'",
                 ns ? ns : "");
        return -1;
    }
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    mon m = {.ctx = ctx, .out = out, .count = pg_ctx_region_count(ctx)};
    m.regions = calloc(m.count ? m.count : 1, sizeof *m.regions);
    if (!m.regions) {
        pg_error(out, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < m.count; i++) {
        m.regions[i].region = pg_ctx_region(ctx, i);
        m.regions[i].widgets = cJSON_CreateArray();
    }
    int rc = check_namespace(&m);
    if (!rc)
        rc = mon_topics(&m);
    if (!rc) {
        pg_publish_string(out, NULL, "monitoring.namespace", mon_namespace(&m));
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
    for (size_t i = 0; i < m.count; i++)
        cJSON_Delete(m.regions[i].widgets);
    free(m.regions);
    return rc ? -1 : 0;
}

static const char *const provides[] = {"monitoring", NULL};
static const char *const needs[] = {"kms", "aurora", "ecs", "alb", "storage", "dns", NULL};
static const pg_setting settings[] = {
    {"monitoring.alert_email", PG_SETTING_STRING, "", 0, 0,
     "default of the Terraform variable alert_email (empty: given at apply time)"},
    {"monitoring.namespace", PG_SETTING_STRING, "Payment/Migration", 0, 0,
     "CloudWatch namespace of the MigrationPhase metric the migration Lambda publishes"},
    {"monitoring.replication_lag_ms", PG_SETTING_INT, "100", 1, 3600000,
     "alarm when Aurora global replication lag on a secondary exceeds this (ms)"},
    {"monitoring.db_cpu_percent", PG_SETTING_INT, "80", 1, 100,
     "alarm when the Aurora writer's CPU exceeds this (%)"},
    {"monitoring.db_freeable_memory_mb", PG_SETTING_INT, "1024", 1, 1048576,
     "alarm when the Aurora writer's freeable memory drops below this (MiB)"},
    {"monitoring.min_running_tasks", PG_SETTING_INT, "2", 1, 1000,
     "alarm when an ECS service runs fewer tasks than this"},
    {"monitoring.service_cpu_percent", PG_SETTING_INT, "80", 1, 100,
     "alarm when an ECS service's CPU utilization exceeds this (%)"},
    {"monitoring.service_memory_percent", PG_SETTING_INT, "80", 1, 100,
     "alarm when an ECS service's memory utilization exceeds this (%)"},
    {"monitoring.http_5xx_count", PG_SETTING_INT, "10", 0, 1000000,
     "alarm when a load balancer counts more 5xx responses than this per minute"},
    {"monitoring.latency_ms", PG_SETTING_INT, "200", 1, 60000,
     "alarm when the load balancer's p99 target response time exceeds this (ms)"},
    {"monitoring.s3_replication_latency_s", PG_SETTING_INT, "900", 1, 86400,
     "alarm when S3 cross-region replication lags more than this (s; RTC promises 900)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("monitoring", "1.0.0",
                 "CloudWatch alarms and dashboards with KMS-encrypted SNS notifications",
                 provides, needs, settings, contribute)
