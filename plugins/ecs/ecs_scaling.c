/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_scaling.c - target tracking on CPU and on requests per target. The
 * requests policy exists once per target group: with the listener's weights
 * the active colour's group carries the load, and Application Auto Scaling
 * scales out when any policy asks and in only when all agree, so the busy
 * colour always wins. */
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
    const char *blue = pg_need(s->ctx, s->r, "alb.target_group.blue.arn_suffix");
    const char *green = pg_need(s->ctx, s->r, "alb.target_group.green.arn_suffix");
    if (!alb || !blue || !green)
        return -1;

    cJSON *t = pg_resource(out, s->r, "aws_appautoscaling_target", "api",
                           PG_STR("service_namespace", "ecs"),
                           PG_STR("scalable_dimension", "ecs:service:DesiredCount"),
                           PG_STR("resource_id",
                                  pg_printf(out, "service/%s/%s", pg_ref(out, s->cluster, "name"),
                                            pg_ref(out, s->service, "name"))),
                           /* The operators' desired count is the floor autoscaling keeps. */
                           PG_STR("min_capacity", s->desired),
                           PG_INT("max_capacity", s->cfg->max_tasks),
                           PG_NAME("api-scaling"));

    tracking(s, t, "cpu", "api-cpu", "ECSServiceAverageCPUUtilization", "",
             s->cfg->cpu_target_percent);
    long requests = s->cfg->requests_per_target;
    tracking(s, t, "requests_blue", "api-requests-blue", "ALBRequestCountPerTarget",
             pg_printf(out, "%s/%s", alb, blue), requests);
    tracking(s, t, "requests_green", "api-requests-green", "ALBRequestCountPerTarget",
             pg_printf(out, "%s/%s", alb, green), requests);
    return 0;
}
