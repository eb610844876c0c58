/* ecs_scaling.c - target tracking on CPU and on requests per target. The
 * requests policy exists once per target group: with the listener's weights
 * the active colour's group carries the load, and Application Auto Scaling
 * scales out when any policy asks and in only when all agree, so the busy
 * colour always wins. */
#include "ecs.h"

static void tracking(ecs_site *s, cJSON *target, const char *label, const char *kind,
                     const char *metric, const char *resource_label, long value)
{
    pg_out *out = s->out;
    cJSON *p = pg_resource(out, s->r, "aws_appautoscaling_policy", label);
    cJSON_AddStringToObject(p, "name", pg_name(out, NULL, kind, 255));
    cJSON_AddStringToObject(p, "policy_type", "TargetTrackingScaling");
    cJSON_AddStringToObject(p, "service_namespace", pg_ref(out, target, "service_namespace"));
    cJSON_AddStringToObject(p, "resource_id", pg_ref(out, target, "resource_id"));
    cJSON_AddStringToObject(p, "scalable_dimension", pg_ref(out, target, "scalable_dimension"));
    cJSON *cfg = ecs_block(p, "target_tracking_scaling_policy_configuration");
    cJSON_AddNumberToObject(cfg, "target_value", (double)value);
    cJSON_AddNumberToObject(cfg, "scale_out_cooldown", 60);
    cJSON_AddNumberToObject(cfg, "scale_in_cooldown", 300);
    cJSON *m = ecs_block(cfg, "predefined_metric_specification");
    cJSON_AddStringToObject(m, "predefined_metric_type", metric);
    if (resource_label)
        cJSON_AddStringToObject(m, "resource_label", resource_label);
}

int ecs_scaling(ecs_site *s)
{
    pg_out *out = s->out;
    const char *alb = ecs_need(s, s->r, "alb.arn_suffix");
    const char *tg[2] = {ecs_need(s, s->r, "alb.target_group.blue.arn_suffix"),
                         ecs_need(s, s->r, "alb.target_group.green.arn_suffix")};
    if (!alb || !tg[0] || !tg[1])
        return -1;

    cJSON *t = pg_resource(out, s->r, "aws_appautoscaling_target", "api");
    cJSON_AddStringToObject(t, "service_namespace", "ecs");
    cJSON_AddStringToObject(t, "scalable_dimension", "ecs:service:DesiredCount");
    cJSON_AddStringToObject(t, "resource_id",
                            pg_printf(out, "service/%s/%s", pg_ref(out, s->cluster, "name"),
                                      pg_ref(out, s->service, "name")));
    /* The operators' desired count is the floor autoscaling keeps. */
    cJSON_AddStringToObject(t, "min_capacity", s->desired);
    cJSON_AddNumberToObject(t, "max_capacity", (double)pg_ctx_int(s->ctx, "compute.max_tasks"));
    pg_tag_name(t, pg_name(out, s->r, "api-scaling", 256));

    tracking(s, t, "cpu", "api-cpu", "ECSServiceAverageCPUUtilization", NULL,
             pg_ctx_int(s->ctx, "compute.cpu_target_percent"));
    long requests = pg_ctx_int(s->ctx, "compute.requests_per_target");
    tracking(s, t, "requests_blue", "api-requests-blue", "ALBRequestCountPerTarget",
             pg_printf(out, "%s/%s", alb, tg[0]), requests);
    tracking(s, t, "requests_green", "api-requests-green", "ALBRequestCountPerTarget",
             pg_printf(out, "%s/%s", alb, tg[1]), requests);
    return 0;
}
