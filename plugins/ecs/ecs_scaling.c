/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_scaling.c - per colour, a scalable target on its service with target
 * tracking on the service's CPU and on requests per target of the colour's
 * own target group. Application Auto Scaling scales out when either policy
 * asks and in only when both agree. The minimum is the colour's floor
 * (ecs_service.c): when it rises above the running count, as when a colour
 * starts taking requests, registering the target moves the count into the
 * range at once (Application Auto Scaling API Reference,
 * RegisterScalableTarget). */
#include "ecs.h"

/* resource_label "" for a metric without one. */
static void tracking(ecs_site *s, const cJSON *target, const char *label, const char *kind,
                     const char *metric, const char *resource_label, long value)
{
    pg_resource(s->out, s->r, "aws_appautoscaling_policy", label,
                PG_STR("name", pg_name(s->out, NULL, kind, 255)),
                PG_STR("policy_type", "TargetTrackingScaling"),
                PG_REF("service_namespace", target, "service_namespace"),
                PG_REF("resource_id", target, "resource_id"),
                PG_REF("scalable_dimension", target, "scalable_dimension"),
                PG_BLOCK("target_tracking_scaling_policy_configuration",
                         PG_INT("target_value", value),
                         PG_INT("scale_out_cooldown", 60),
                         PG_INT("scale_in_cooldown", 300),
                         PG_BLOCK("predefined_metric_specification",
                                  PG_STR("predefined_metric_type", metric),
                                  PG_IF(*resource_label,
                                        PG_STR("resource_label", resource_label)))));
}

int ecs_scaling(ecs_site *s)
{
    pg_out *out = s->out;
    const char *alb = pg_need(s->ctx, s->r, "alb.arn_suffix");
    if (!alb)
        return -1;
    for (size_t c = 0; c < 2; c++) {
        const ecs_colour *colour = &ecs_colours[c];
        const char *group = pg_need(s->ctx, s->r,
                                    pg_printf(out, "alb.target_group.%s.arn_suffix", colour->name));
        if (!group)
            return -1;
        cJSON *t = pg_resource(out, s->r, "aws_appautoscaling_target", colour->label,
                               PG_STR("service_namespace", "ecs"),
                               PG_STR("scalable_dimension", "ecs:service:DesiredCount"),
                               PG_STR("resource_id",
                                      pg_printf(out, "service/%s/%s",
                                                pg_ref(out, s->cluster, "name"),
                                                pg_ref(out, s->service[c], "name"))),
                               PG_STR("min_capacity", s->floor[c]),
                               PG_INT("max_capacity", s->cfg->max_tasks),
                               PG_NAME(pg_printf(out, "%s-scaling", colour->kind)));
        /* Blue keeps the single service's labels: "cpu", "requests_blue". */
        tracking(s, t, c ? pg_printf(out, "cpu_%s", colour->name) : "cpu",
                 pg_printf(out, "%s-cpu", colour->kind), "ECSServiceAverageCPUUtilization", "",
                 s->cfg->cpu_target_percent);
        tracking(s, t, pg_printf(out, "requests_%s", colour->name),
                 pg_printf(out, "api-requests-%s", colour->name), "ALBRequestCountPerTarget",
                 pg_printf(out, "%s/%s", alb, group), s->cfg->requests_per_target);
    }
    return 0;
}
