/* SPDX-License-Identifier: Apache-2.0 */
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
    int rc = 0;
    for (size_t i = 0; i < m->count; i++) {
        const pg_region *r = m->regions[i].region;
        const char *check = pg_lookup(m->ctx, r, "dns.health_check_id");
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
        rc |= mon_alarm_add(m, &health);
    }
    return rc;
}

int mon_migration_alarm(mon *m)
{
    const pg_region *p = pg_ctx_primary(m->ctx);
    /* The value the migration Lambda must report in this phase. */
    int n = (int)pg_ctx_phase(m->ctx) + 1;
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
        .ns = m->cfg->namespace_name,
        .metric = "MigrationPhase",
        .dims = {"Environment", pg_ctx_environment(m->ctx)},
        .stat = "Average",
        .period = 300,
        .evaluations = 3,
        .threshold = 0,
        .comparison = "GreaterThanThreshold",
        .missing = "breaching",
        .expression = pg_printf(m->out, "ABS(m1 - %d)", n),
        .expression_label = pg_printf(m->out, "distance from phase %d", n),
        .expected = n,
        .title = pg_printf(m->out, "migration phase (expected %d)", n),
    };
    return mon_alarm_add(m, &a);
}
