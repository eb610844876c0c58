/* SPDX-License-Identifier: Apache-2.0 */
/* alarms_app.c - the application tier: the ECS service (running tasks, CPU,
 * memory) and its load balancer (5xx, p99 latency, unhealthy targets). */
#include "monitoring.h"

static int ecs_region(mon *m, const pg_region *r)
{
    const char *cluster = pg_lookup(m->ctx, r, "ecs.cluster_name");
    const char *service = pg_lookup(m->ctx, r, "ecs.service_name");
    if (!cluster || !service)
        return 0;
    /* breaching: Container Insights reports RunningTaskCount every minute
     * for a live service; silence means the service (or Insights) is gone. */
    mon_alarm tasks = {
        .where = r,
        .about = r,
        .label = "ecs_running_tasks",
        .kind = "ecs-running-tasks",
        .description = "The ECS service runs fewer tasks than the minimum",
        .ns = "ECS/ContainerInsights",
        .metric = "RunningTaskCount",
        .dims = {"ClusterName", cluster, "ServiceName", service},
        .stat = "Minimum",
        .period = 60,
        .evaluations = 3,
        .threshold = (double)m->cfg->min_running_tasks,
        .comparison = "LessThanThreshold",
        .missing = "breaching",
    };
    int rc = mon_alarm_add(m, &tasks);
    /* notBreaching: without tasks there is no utilization; that case is the
     * running-task alarm's, not a second notification. */
    mon_alarm cpu = tasks;
    cpu.label = "ecs_cpu";
    cpu.kind = "ecs-cpu";
    cpu.description = "CPU utilization of the ECS service is high";
    cpu.ns = "AWS/ECS";
    cpu.metric = "CPUUtilization";
    cpu.stat = "Average";
    cpu.evaluations = 5;
    cpu.threshold = (double)m->cfg->service_cpu_percent;
    cpu.comparison = "GreaterThanThreshold";
    cpu.missing = "notBreaching";
    rc |= mon_alarm_add(m, &cpu);
    mon_alarm mem = cpu;
    mem.label = "ecs_memory";
    mem.kind = "ecs-memory";
    mem.description = "Memory utilization of the ECS service is high";
    mem.metric = "MemoryUtilization";
    mem.threshold = (double)m->cfg->service_memory_percent;
    rc |= mon_alarm_add(m, &mem);
    return rc;
}

int mon_ecs_alarms(mon *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->count; i++)
        rc |= ecs_region(m, m->regions[i].region);
    return rc;
}

static const char *const colours[] = {"blue", "green"};

static int alb_region(mon *m, const pg_region *r)
{
    const char *lb = pg_lookup(m->ctx, r, "alb.arn_suffix");
    if (!lb)
        return 0;
    /* notBreaching for the traffic metrics: the load balancer reports them
     * only when requests arrive, and an idle region is healthy (its
     * reachability is the Route 53 health-check alarm's job). */
    mon_alarm elb = {
        .where = r,
        .about = r,
        .label = "alb_elb_5xx",
        .kind = "alb-elb-5xx",
        .description = "The load balancer itself answers with 5xx errors",
        .ns = "AWS/ApplicationELB",
        .metric = "HTTPCode_ELB_5XX_Count",
        .dims = {"LoadBalancer", lb},
        .stat = "Sum",
        .period = 60,
        .evaluations = 3,
        .threshold = (double)m->cfg->http_5xx_count,
        .comparison = "GreaterThanThreshold",
        .missing = "notBreaching",
    };
    int rc = mon_alarm_add(m, &elb);
    mon_alarm target = elb;
    target.label = "alb_target_5xx";
    target.kind = "alb-target-5xx";
    target.description = "The application answers with 5xx errors";
    target.metric = "HTTPCode_Target_5XX_Count";
    rc |= mon_alarm_add(m, &target);
    mon_alarm latency = elb;
    latency.label = "alb_latency_p99";
    latency.kind = "alb-latency-p99";
    latency.description = "p99 target response time is above the latency target";
    latency.metric = "TargetResponseTime";
    latency.stat = "p99";
    latency.evaluations = 5;
    /* TargetResponseTime is in seconds, the setting in milliseconds. */
    latency.threshold = (double)m->cfg->latency_ms / 1000.0;
    rc |= mon_alarm_add(m, &latency);

    for (size_t c = 0; c < sizeof colours / sizeof *colours; c++) {
        const char *tg = pg_lookup(
            m->ctx, r, pg_printf(m->out, "alb.target_group.%s.arn_suffix", colours[c]));
        if (!tg)
            continue;
        /* notBreaching: the idle colour's target group may have no targets
         * and then reports nothing. Both dimensions are required. */
        mon_alarm unhealthy = {
            .where = r,
            .about = r,
            .label = pg_printf(m->out, "alb_unhealthy_%s", colours[c]),
            .kind = pg_printf(m->out, "alb-unhealthy-%s", colours[c]),
            .description =
                pg_printf(m->out, "The %s target group has unhealthy targets", colours[c]),
            .ns = "AWS/ApplicationELB",
            .metric = "UnHealthyHostCount",
            .dims = {"TargetGroup", tg, "LoadBalancer", lb},
            .stat = "Maximum",
            .period = 60,
            .evaluations = 3,
            .threshold = 0,
            .comparison = "GreaterThanThreshold",
            .missing = "notBreaching",
        };
        rc |= mon_alarm_add(m, &unhealthy);
    }
    return rc;
}

int mon_alb_alarms(mon *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->count; i++)
        rc |= alb_region(m, m->regions[i].region);
    return rc;
}
