/* SPDX-License-Identifier: Apache-2.0 */
/* dashboard.c - one CloudWatch dashboard per active region showing the
 * metrics of the alarms that live there, two widgets a row in the order the
 * alarms were written, so the body is byte-identical from run to run.
 *
 * dashboard_body is a JSON document held in a string: it is built as a value
 * (with the same item macros as the blocks) and printed compact. */
#include "monitoring.h"

#include <stdlib.h>
#include <string.h>

enum { HEADER_HEIGHT = 2, WIDGET_WIDTH = 12, WIDGET_HEIGHT = 6, FULL_WIDTH = 24 };

static void header(mon *m, cJSON *doc, const pg_region *r)
{
    pg_out *out = m->out;
    pg_block(out, doc, "widgets",
             PG_STR("type", "text"),
             PG_INT("x", 0),
             PG_INT("y", 0),
             PG_INT("width", FULL_WIDTH),
             PG_INT("height", HEADER_HEIGHT),
             PG_MAP("properties",
                    PG_STR("markdown",
                           pg_printf(out, "# %s %s-%s in %s\nAlarms notify the topic %s.",
                                     pg_ctx_project(m->ctx), pg_ctx_environment(m->ctx),
                                     pg_ctx_suffix(m->ctx), r->name,
                                     pg_name(out, r, "alarms", 256)))));
}

/* The alarm's metric with a line at its threshold (metric math: at the
 * value expected), the i-th widget below the header. */
static void widget(mon *m, cJSON *doc, const mon_alarm *a, int i)
{
    pg_out *out = m->out;
    const char *title = a->title ? a->title
                        : a->about ? pg_printf(out, "%s (%s)", a->kind, a->about->name)
                                   : a->kind;
    /* one row: namespace, metric name, then the dimensions' keys and values */
    cJSON *metrics = cJSON_CreateArray();
    cJSON_AddItemToArray(metrics, pg_strings(a->ns, a->metric, a->dims[0], a->dims[1],
                                             a->dims[2], a->dims[3], a->dims[4], a->dims[5]));
    pg_block(out, doc, "widgets",
             PG_STR("type", "metric"),
             PG_MAP("properties",
                    PG_STR("title", title),
                    PG_STR("region", a->where->name),
                    PG_STR("view", "timeSeries"),
                    PG_BOOL("stacked", false),
                    PG_STR("stat", a->stat),
                    PG_INT("period", a->period),
                    PG_JSON("metrics", metrics),
                    PG_MAP("annotations",
                           PG_BLOCK("horizontal",
                                    PG_STR("label", "alarm threshold"),
                                    PG_NUM("value", a->expression ? a->expected : a->threshold)))),
             PG_INT("x", (i % 2) * WIDGET_WIDTH),
             PG_INT("y", HEADER_HEIGHT + (i / 2) * WIDGET_HEIGHT),
             PG_INT("width", WIDGET_WIDTH),
             PG_INT("height", WIDGET_HEIGHT));
}

static const char *body(mon *m, const mon_region *mr)
{
    cJSON *doc = cJSON_CreateObject();
    header(m, doc, mr->region);
    int i = 0;
    for (size_t k = 0; k < m->alarm_count; k++)
        if (mon_find(m, m->alarms[k].where) == mr)
            widget(m, doc, &m->alarms[k], i++);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    const char *kept = pg_printf(m->out, "%s", text ? text : "{}");
    free(text);
    return kept;
}

void mon_dashboards(mon *m)
{
    for (size_t i = 0; i < m->count; i++) {
        const mon_region *mr = &m->regions[i];
        pg_resource(m->out, mr->region, "aws_cloudwatch_dashboard", "main",
                    PG_STR("dashboard_name", pg_name(m->out, mr->region, "dashboard", 255)),
                    PG_STR("dashboard_body", body(m, mr)));
    }
}
