/* monitoring.h - shared between the monitoring plugin's files: the run's
 * regions with their alarm topics, the alarm builder and the dashboards. */
#ifndef PG_MONITORING_H
#define PG_MONITORING_H

#include <paygen/paygen.h>

/* Name of the Terraform variable that receives the alarm e-mail (D1). */
#define MON_EMAIL_VARIABLE "alert_email"

typedef struct mon_region {
    const pg_region *region;
    const char *topic_arn; /* "${aws_sns_topic.alarms_use1.arn}" */
    cJSON *widgets;        /* dashboard widgets of the alarms living here */
} mon_region;

typedef struct mon {
    const pg_ctx *ctx;
    pg_out *out;
    mon_region *regions; /* the active regions, in context order */
    size_t count;
    int alarms; /* alarms written, for the dashboards' layout */
} mon;

/* The entry of an active region; NULL when the region is not active. */
mon_region *mon_find(mon *m, const pg_region *region);
/* The active region named name ("us-east-1"); NULL when none. */
mon_region *mon_find_name(mon *m, const char *name);

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
} mon_alarm;

/* Writes the alarm with actions on its region's topic and a dashboard widget
 * in that region; NULL (and an error) when where is not active. */
cJSON *mon_alarm_add(mon *m, const mon_alarm *a);
/* The same without the metric arguments: for metric-math alarms, which fill
 * metric_query themselves and add their own widget. */
cJSON *mon_alarm_base(mon *m, const mon_alarm *a);
/* Appends a metric widget for metrics (a new array: ownership passes). */
void mon_widget(mon *m, const pg_region *where, const char *title, cJSON *metrics, const char *stat,
                int period, double threshold);

/* Per active region: topic, topic policy, e-mail subscription. */
int mon_topics(mon *m);
/* The alarm families; each skips what is absent in the phase. */
int mon_aurora_alarms(mon *m);
int mon_ecs_alarms(mon *m);
int mon_alb_alarms(mon *m);
int mon_s3_alarms(mon *m);
int mon_route53_alarms(mon *m);
int mon_migration_alarm(mon *m);
/* One dashboard per active region from the widgets collected. */
void mon_dashboards(mon *m);

/* The namespace of the migration metric, published as monitoring.namespace. */
const char *mon_namespace(const mon *m);

#endif
