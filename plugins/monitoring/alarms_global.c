/* alarms_global.c - Route 53 health checks (whose metrics exist only in
 * us-east-1) and the migration phase the automation reports. */
#include "monitoring.h"

#define ROUTE53_METRICS_REGION "us-east-1"

int mon_route53_alarms(mon *m)
{
    mon_region *home = mon_find_name(m, ROUTE53_METRICS_REGION);
    /* Route 53 publishes health-check metrics only in us-east-1, so the
     * alarms need a provider there. Without an active us-east-1 region no
     * provider exists for it in this output: the health checks still drive
     * failover, but they get no alarm (see docs/monitoring.md). */
    if (!home)
        return 0;
    for (size_t i = 0; i < m->count; i++) {
        const pg_region *r = m->regions[i].region;
        const char *check = pg_lookup_string(m->ctx, r, "dns.health_check_id");
        if (!check)
            continue;
        /* breaching: Route 53 reports an existing health check every
         * minute; silence means the check is gone, so failover is blind. */
        mon_alarm health = {
            .where = home->region,
            .about = r,
            .label = pg_printf(m->out, "route53_health_%s", r->code),
            .kind = "route53-health",
            .description = pg_printf(m->out,
                                     "The Route 53 health check of %s fails: its "
                                     "records are taken out of DNS",
                                     r->name),
            .ns = "AWS/Route53",
            .metric = "HealthCheckStatus",
            .dims = {"HealthCheckId", check},
            .stat = "Minimum",
            .period = 60,
            .evaluations = 2,
            .threshold = 1,
            .comparison = "LessThanThreshold",
            .missing = "breaching",
        };
        mon_alarm_add(m, &health);
    }
    return 0;
}

/* The value the migration Lambda must report in this phase. */
static int phase_number(const pg_ctx *ctx)
{
    return (int)pg_ctx_phase(ctx) + 1;
}

static cJSON *query(cJSON *list, const char *id)
{
    cJSON *q = cJSON_CreateObject();
    cJSON_AddStringToObject(q, "id", id);
    cJSON_AddItemToArray(list, q);
    return q;
}

int mon_migration_alarm(mon *m)
{
    const pg_region *p = pg_ctx_primary(m->ctx);
    const char *env = pg_ctx_environment(m->ctx);
    int n = phase_number(m->ctx);
    /* One metric-math alarm, |reported - expected| > 0, fires on a phase
     * too low or too high. breaching: the Lambda reports on a schedule, so
     * silence means the migration automation is down. */
    mon_alarm a = {
        .where = p,
        .about = p,
        .label = "migration_phase",
        .kind = "migration-phase",
        .description = pg_printf(m->out,
                                 "The migration automation reports a phase other than "
                                 "%s (%d), or nothing at all",
                                 pg_ctx_phase_name(m->ctx), n),
        .ns = mon_namespace(m),
        .metric = "MigrationPhase",
        .dims = {"Environment", env},
        .stat = "Average",
        .period = 300,
        .evaluations = 3,
        .threshold = 0,
        .comparison = "GreaterThanThreshold",
        .missing = "breaching",
    };
    cJSON *alarm = mon_alarm_base(m, &a);
    if (!alarm)
        return -1;
    cJSON *queries = cJSON_AddArrayToObject(alarm, "metric_query");
    cJSON *m1 = query(queries, "m1");
    cJSON_AddBoolToObject(m1, "return_data", false);
    cJSON *metric = cJSON_CreateObject();
    cJSON_AddStringToObject(metric, "namespace", a.ns);
    cJSON_AddStringToObject(metric, "metric_name", a.metric);
    cJSON_AddNumberToObject(metric, "period", a.period);
    cJSON_AddStringToObject(metric, "stat", a.stat);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(metric, "dimensions"), "Environment", env);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(m1, "metric"), metric);
    cJSON *e1 = query(queries, "e1");
    cJSON_AddStringToObject(e1, "expression", pg_printf(m->out, "ABS(m1 - %d)", n));
    cJSON_AddStringToObject(e1, "label", pg_printf(m->out, "distance from phase %d", n));
    cJSON_AddBoolToObject(e1, "return_data", true);

    cJSON *row = pg_strings(a.ns, a.metric, "Environment", env, NULL);
    cJSON *metrics = cJSON_CreateArray();
    cJSON_AddItemToArray(metrics, row);
    mon_widget(m, p, pg_printf(m->out, "migration phase (expected %d)", n), metrics, a.stat,
               a.period, n);
    return 0;
}
