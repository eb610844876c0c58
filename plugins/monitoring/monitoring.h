/* SPDX-License-Identifier: Apache-2.0 */
/* monitoring.h - the helpers below the entry file monitoring.c: the alarm
 * machinery (alarm.c), the alarm tables (alarms_*.c), the alarm topics
 * (topic.c) and the dashboards (dashboard.c). None of them calls back into
 * monitoring.c. */
#ifndef PG_MONITORING_H
#define PG_MONITORING_H

#include <paygen/paygen.h>

/* Name of the Terraform variable that receives the alarm e-mail (D1). */
#define MON_EMAIL_VARIABLE "alert_email"

/* The monitoring.* settings, filled by the core from monitoring.c's table. */
typedef struct mon_config {
    const char *alert_email;
    const char *namespace_name; /* of the MigrationPhase metric */
    long replication_lag_ms;
    long db_cpu_percent;
    long db_freeable_memory_mb;
    long min_running_tasks;
    long service_cpu_percent;
    long service_memory_percent;
    long http_5xx_count;
    long latency_ms;
    long s3_replication_latency_s;
    long rds_replica_lag_s;
} mon_config;

/* One CloudWatch alarm on one metric. Dimensions are key/value pairs. */
typedef struct mon_alarm {
    const pg_region *where; /* region the alarm lives in: provider and topic */
    const pg_region *about; /* region of the watched resource: name suffix  */
    const char *label;      /* Terraform label, the core appends where's code */
    const char *kind;       /* name kind after "alarm-"                      */
    const char *description;
    const char *ns;
    const char *metric;
    const char *dims[6]; /* key, value, key, value, ... (NULL ends)       */
    const char *stat;    /* Average/Sum/Minimum/Maximum, or "p99"         */
    int period;          /* seconds                                       */
    int evaluations;     /* evaluation_periods = datapoints_to_alarm      */
    double threshold;
    const char *comparison;
    const char *missing; /* treat_missing_data                            */
    /* Metric math (NULL: none): the alarm watches expression, computed from
     * m1, the metric above; the dashboard draws the metric with a line at
     * expected and the title below. */
    const char *expression;
    const char *expression_label;
    double expected;
    const char *title; /* widget title; NULL: "<kind> (<region watched>)" */
} mon_alarm;

typedef struct mon_region {
    const pg_region *region;
    const char *topic_arn; /* "${aws_sns_topic.alarms_use1.arn}" */
} mon_region;

typedef struct mon {
    const pg_ctx *ctx;
    pg_out *out;
    const mon_config *cfg;
    mon_region *regions; /* the active regions, in context order */
    size_t count;
    mon_alarm *alarms; /* written so far, in order: the dashboards' widgets */
    size_t alarm_count, alarm_cap;
} mon;

/* alarm.c: the entry of an active region (NULL when not active), by region
 * or by name ("us-east-1"). */
mon_region *mon_find(mon *m, const pg_region *region);
mon_region *mon_find_name(mon *m, const char *name);
/* Writes the alarm with actions on its region's topic and keeps it for the
 * dashboard of that region; -1 (and an error) when where is not active. */
int mon_alarm_add(mon *m, const mon_alarm *a);

/* topic.c: per active region, topic, topic policy, e-mail subscription. */
int mon_topics(mon *m);

/* alarms_data.c, alarms_app.c, alarms_global.c: the alarm families; each
 * skips what is absent in the phase. */
int mon_aurora_alarms(mon *m);
int mon_s3_alarms(mon *m);
int mon_ecs_alarms(mon *m);
int mon_alb_alarms(mon *m);
int mon_route53_alarms(mon *m);
int mon_migration_alarm(mon *m);

/* dashboard.c: one dashboard per active region from the alarms written. */
void mon_dashboards(mon *m);

#endif
