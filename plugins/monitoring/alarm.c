/* alarm.c - one CloudWatch alarm, its actions on the topic of the region it
 * lives in (an alarm can only notify a topic of its own region), and the
 * matching dashboard widget. */
#include "monitoring.h"

#include <string.h>

static cJSON *topic_list(const mon_region *mr)
{
    return pg_strings(mr->topic_arn, NULL);
}

cJSON *mon_alarm_base(mon *m, const mon_alarm *a)
{
    pg_out *out = m->out;
    mon_region *mr = mon_find(m, a->where);
    if (!mr || !mr->topic_arn) {
        pg_error(out, "alarm %s would live in %s, which is not active in this phase", a->kind,
                 a->where ? a->where->name : "no region");
        return NULL;
    }
    cJSON *alarm = pg_resource(out, a->where, "aws_cloudwatch_metric_alarm", a->label);
    const char *name = pg_name(out, a->about, pg_printf(out, "alarm-%s", a->kind), 255);
    cJSON_AddStringToObject(alarm, "alarm_name", name);
    cJSON_AddStringToObject(alarm, "alarm_description", a->description);
    cJSON_AddStringToObject(alarm, "comparison_operator", a->comparison);
    cJSON_AddNumberToObject(alarm, "threshold", a->threshold);
    cJSON_AddNumberToObject(alarm, "evaluation_periods", a->evaluations);
    cJSON_AddNumberToObject(alarm, "datapoints_to_alarm", a->evaluations);
    cJSON_AddStringToObject(alarm, "treat_missing_data", a->missing);
    cJSON_AddBoolToObject(alarm, "actions_enabled", true);
    cJSON_AddItemToObject(alarm, "alarm_actions", topic_list(mr));
    cJSON_AddItemToObject(alarm, "ok_actions", topic_list(mr));
    pg_tag_name(alarm, name);
    m->alarms++;
    return alarm;
}

static bool is_percentile(const char *stat)
{
    return stat[0] == 'p' && stat[1] >= '0' && stat[1] <= '9';
}

cJSON *mon_alarm_add(mon *m, const mon_alarm *a)
{
    cJSON *alarm = mon_alarm_base(m, a);
    if (!alarm)
        return NULL;
    cJSON_AddStringToObject(alarm, "namespace", a->ns);
    cJSON_AddStringToObject(alarm, "metric_name", a->metric);
    cJSON_AddNumberToObject(alarm, "period", a->period);
    /* statistic and extended_statistic are exclusive; percentiles are the
     * extended kind. */
    cJSON_AddStringToObject(alarm, is_percentile(a->stat) ? "extended_statistic" : "statistic",
                            a->stat);
    cJSON *dims = cJSON_AddObjectToObject(alarm, "dimensions");
    cJSON *row = pg_strings(a->ns, a->metric, NULL);
    for (size_t i = 0; i + 1 < sizeof a->dims / sizeof *a->dims && a->dims[i]; i += 2) {
        cJSON_AddStringToObject(dims, a->dims[i], a->dims[i + 1]);
        cJSON_AddItemToArray(row, cJSON_CreateString(a->dims[i]));
        cJSON_AddItemToArray(row, cJSON_CreateString(a->dims[i + 1]));
    }
    cJSON *metrics = cJSON_CreateArray();
    cJSON_AddItemToArray(metrics, row);
    const char *title = a->about ? pg_printf(m->out, "%s (%s)", a->kind, a->about->name) : a->kind;
    mon_widget(m, a->where, title, metrics, a->stat, a->period, a->threshold);
    return alarm;
}

void mon_widget(mon *m, const pg_region *where, const char *title, cJSON *metrics, const char *stat,
                int period, double threshold)
{
    mon_region *mr = mon_find(m, where);
    if (!mr) {
        cJSON_Delete(metrics);
        return;
    }
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "type", "metric");
    cJSON *p = cJSON_AddObjectToObject(w, "properties");
    cJSON_AddStringToObject(p, "title", title);
    cJSON_AddStringToObject(p, "region", where->name);
    cJSON_AddStringToObject(p, "view", "timeSeries");
    cJSON_AddBoolToObject(p, "stacked", false);
    cJSON_AddStringToObject(p, "stat", stat);
    cJSON_AddNumberToObject(p, "period", period);
    cJSON_AddItemToObject(p, "metrics", metrics);
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "label", "alarm threshold");
    cJSON_AddNumberToObject(line, "value", threshold);
    cJSON *horizontal =
        cJSON_AddArrayToObject(cJSON_AddObjectToObject(p, "annotations"), "horizontal");
    cJSON_AddItemToArray(horizontal, line);
    cJSON_AddItemToArray(mr->widgets, w);
}
