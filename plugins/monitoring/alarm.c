/* SPDX-License-Identifier: Apache-2.0 */
/* alarm.c - one CloudWatch alarm, its actions on the topic of the region it
 * lives in (an alarm can only notify a topic of its own region), kept for
 * the dashboard of that region. */
#include "monitoring.h"

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

/* statistic and extended_statistic are exclusive; percentiles ("p99") are
 * the extended kind. */
static const char *statistic_key(const char *stat)
{
    bool percentile = stat[0] == 'p' && stat[1] >= '0' && stat[1] <= '9';
    return percentile ? "extended_statistic" : "statistic";
}

/* The alarm's dimensions: one to three key/value pairs. */
#define DIMENSIONS(a)                                               \
    PG_MAP("dimensions",                                            \
           PG_STR((a)->dims[0], (a)->dims[1]),                      \
           PG_IF((a)->dims[2], PG_STR((a)->dims[2], (a)->dims[3])), \
           PG_IF((a)->dims[4], PG_STR((a)->dims[4], (a)->dims[5])))

static int keep(mon *m, const mon_alarm *a)
{
    if (m->alarm_count == m->alarm_cap) {
        size_t cap = m->alarm_cap ? 2 * m->alarm_cap : 32;
        mon_alarm *grown = realloc(m->alarms, cap * sizeof *grown);
        if (!grown)
            return pg_fail(m->out, "out of memory");
        m->alarms = grown;
        m->alarm_cap = cap;
    }
    m->alarms[m->alarm_count++] = *a;
    return 0;
}

int mon_alarm_add(mon *m, const mon_alarm *a)
{
    pg_out *out = m->out;
    const mon_region *mr = mon_find(m, a->where);
    if (!mr || !mr->topic_arn)
        return pg_fail(out, "alarm %s would live in %s, which is not active in this phase",
                       a->kind, a->where ? a->where->name : "no region");
    const char *name = pg_name(out, a->about, pg_printf(out, "alarm-%s", a->kind), 255);
    bool math = a->expression != NULL;
    pg_resource(out, a->where, "aws_cloudwatch_metric_alarm", a->label,
                PG_STR("alarm_name", name),
                PG_STR("alarm_description", a->description),
                PG_IF(!math, PG_STR("namespace", a->ns)),
                PG_IF(!math, PG_STR("metric_name", a->metric)),
                PG_IF(!math, PG_INT("period", a->period)),
                PG_IF(!math, PG_STR(statistic_key(a->stat), a->stat)),
                PG_IF(!math, DIMENSIONS(a)),
                /* metric math: m1 is the metric, e1 what the alarm compares */
                PG_IF(math, PG_BLOCK("metric_query",
                                     PG_STR("id", "m1"),
                                     PG_BOOL("return_data", false),
                                     PG_BLOCK("metric",
                                              PG_STR("namespace", a->ns),
                                              PG_STR("metric_name", a->metric),
                                              PG_INT("period", a->period),
                                              PG_STR("stat", a->stat),
                                              DIMENSIONS(a)))),
                PG_IF(math, PG_BLOCK("metric_query",
                                     PG_STR("id", "e1"),
                                     PG_STR("expression", a->expression),
                                     PG_STR("label", a->expression_label),
                                     PG_BOOL("return_data", true))),
                PG_STR("comparison_operator", a->comparison),
                PG_NUM("threshold", a->threshold),
                PG_INT("evaluation_periods", a->evaluations),
                PG_INT("datapoints_to_alarm", a->evaluations),
                PG_STR("treat_missing_data", a->missing),
                PG_BOOL("actions_enabled", true),
                PG_STRS("alarm_actions", mr->topic_arn),
                PG_STRS("ok_actions", mr->topic_arn),
                /* named after the region watched, which is not always where it lives */
                PG_MAP("tags", PG_STR("Name", name)));
    return keep(m, a);
}
