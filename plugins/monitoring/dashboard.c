/* dashboard.c - one CloudWatch dashboard per active region showing the
 * metrics of the alarms that live there, two widgets a row in the order the
 * alarms were written, so the body is byte-identical from run to run. */
#include "monitoring.h"

#include <stdlib.h>

enum { HEADER_HEIGHT = 2, WIDGET_WIDTH = 12, WIDGET_HEIGHT = 6, FULL_WIDTH = 24 };

static cJSON *header(mon *m, const pg_region *r)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "type", "text");
    cJSON_AddNumberToObject(w, "x", 0);
    cJSON_AddNumberToObject(w, "y", 0);
    cJSON_AddNumberToObject(w, "width", FULL_WIDTH);
    cJSON_AddNumberToObject(w, "height", HEADER_HEIGHT);
    cJSON *p = cJSON_AddObjectToObject(w, "properties");
    cJSON_AddStringToObject(p, "markdown",
                            pg_printf(m->out, "# %s %s-%s in %s\nAlarms notify the topic %s.",
                                      pg_ctx_project(m->ctx), pg_ctx_environment(m->ctx),
                                      pg_ctx_suffix(m->ctx), r->name,
                                      pg_name(m->out, r, "alarms", 256)));
    return w;
}

static const char *body(mon *m, mon_region *mr)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *widgets = cJSON_AddArrayToObject(doc, "widgets");
    cJSON_AddItemToArray(widgets, header(m, mr->region));
    int i = 0;
    cJSON *w;
    /* Moves the collected widgets into the body, placing them on the grid. */
    while ((w = cJSON_DetachItemFromArray(mr->widgets, 0)) != NULL) {
        cJSON_AddNumberToObject(w, "x", (i % 2) * WIDGET_WIDTH);
        cJSON_AddNumberToObject(w, "y", HEADER_HEIGHT + (i / 2) * WIDGET_HEIGHT);
        cJSON_AddNumberToObject(w, "width", WIDGET_WIDTH);
        cJSON_AddNumberToObject(w, "height", WIDGET_HEIGHT);
        cJSON_AddItemToArray(widgets, w);
        i++;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    const char *kept = pg_printf(m->out, "%s", text ? text : "{}");
    free(text);
    return kept;
}

void mon_dashboards(mon *m)
{
    for (size_t i = 0; i < m->count; i++) {
        mon_region *mr = &m->regions[i];
        cJSON *d = pg_resource(m->out, mr->region, "aws_cloudwatch_dashboard", "main");
        cJSON_AddStringToObject(d, "dashboard_name", pg_name(m->out, mr->region, "dashboard", 255));
        cJSON_AddStringToObject(d, "dashboard_body", body(m, mr));
    }
}
