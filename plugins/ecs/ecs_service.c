/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_service.c - cluster and the two services of a region. Each colour's
 * service runs its own task definition and registers in its own target
 * group only, so a new release deployed to one colour leaves the other's
 * tasks alone. The listener's weights decide which colour gets the
 * requests; a colour that gets any keeps the region's floor of tasks
 * (desired_count_<code>), the other one idle_color_tasks (ecs.c), because a
 * target group without targets answers 503. Tasks run in the private app
 * subnets with the application tier's security group, which admits the load
 * balancer on the container port and nothing else. */
#include "ecs.h"

#include <string.h>

static void cluster(ecs_site *s)
{
    pg_out *out = s->out;
    s->cluster = pg_resource(out, s->r, "aws_ecs_cluster", "main",
                             PG_STR("name", pg_name(out, NULL, "ecs", 255)),
                             PG_BLOCK("setting",
                                      PG_STR("name", "containerInsights"),
                                      PG_STR("value", "enabled")),
                             PG_NAME("ecs"));
}

/* desired_count_<code>: the tasks a region runs at least in each colour that
 * takes requests (D1). Autoscaling owns the services' counts afterwards, so
 * the variable also sets the scalable targets' minimum; see ecs_scaling.c.
 * Returns "var.desired_count_<code>", to be used inside an expression. */
static const char *desired_count_variable(ecs_site *s)
{
    pg_out *out = s->out;
    long max = s->cfg->max_tasks;
    const char *name = pg_printf(out, "desired_count_%s", s->r->code);
    pg_variable(out, name, "number",
                pg_printf(out,
                          "Fewest payment API tasks in %s of each colour that takes requests "
                          "(autoscaling adds up to %ld)",
                          s->r->name, max),
                PG_INT("default", s->cfg->min_tasks),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                pg_printf(out,
                                          "${var.%s >= 1 && var.%s <= %ld && "
                                          "floor(var.%s) == var.%s}",
                                          name, name, max, name, name)),
                         PG_STR("error_message",
                                pg_printf(out, "The %s must be a whole number from 1 to %ld.",
                                          name, max))));
    return pg_printf(out, "var.%s", name);
}

/* "aws_lb_listener.https_use1" from "${aws_lb_listener.https_use1.arn}":
 * depends_on takes a bare address, the catalogue publishes expressions. */
static const char *address_of(pg_out *out, const char *ref)
{
    size_t n = strlen(ref);
    const char *dot = NULL;
    if (n < 4 || strncmp(ref, "${", 2) || ref[n - 1] != '}')
        return NULL;
    for (const char *p = ref + 2; p < ref + n - 1; p++)
        if (*p == '.')
            dot = p;
    return dot ? pg_printf(out, "%.*s", (int)(dot - ref - 2), ref + 2) : NULL;
}

static void ingress_from_alb(ecs_site *s, const char *app_sg, const char *alb_sg)
{
    pg_resource(s->out, s->r, "aws_vpc_security_group_ingress_rule", "app_from_alb",
                PG_STR("security_group_id", app_sg),
                PG_STR("referenced_security_group_id", alb_sg),
                PG_STR("description", "Requests and health checks from the load balancer"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", s->port),
                PG_INT("to_port", s->port),
                PG_NAME("sgr-app-from-alb"));
}

/* local.ecs_tasks_<colour>_<code>: the colour's floor, by whether the
 * listener sends it any requests. */
static int floors(ecs_site *s, const char *desired)
{
    pg_out *out = s->out;
    for (size_t c = 0; c < 2; c++) {
        const char *key = pg_printf(out, "alb.weight.%s", ecs_colours[c].name);
        const char *weight = pg_need(s->ctx, NULL, key);
        if (!weight || !(weight = ecs_expression(s, key, weight)))
            return -1;
        const char *name = pg_printf(out, "ecs_tasks_%s_%s", ecs_colours[c].name, s->r->code);
        pg_local_string(out, name,
                        pg_printf(out, "${%s > 0 ? %s : var.idle_color_tasks}", weight, desired));
        s->floor[c] = pg_printf(out, "${local.%s}", name);
    }
    return 0;
}

static void service(ecs_site *s, size_t c, const cJSON *subnets, const char *app_sg,
                    const char *target_group, const char *after)
{
    pg_out *out = s->out;
    s->service[c] =
        pg_resource(out, s->r, "aws_ecs_service", ecs_colours[c].label,
                    PG_STR("name", pg_name(out, NULL, ecs_colours[c].kind, 255)),
                    PG_REF("cluster", s->cluster, "arn"),
                    PG_REF("task_definition", s->task[c], "arn"),
                    PG_STR("launch_type", "FARGATE"),
                    PG_STR("platform_version", "1.4.0"),
                    PG_STR("desired_count", s->floor[c]),
                    PG_INT("deployment_minimum_healthy_percent", 100),
                    PG_INT("deployment_maximum_percent", 200),
                    PG_BLOCK("deployment_circuit_breaker",
                             PG_BOOL("enable", true),
                             PG_BOOL("rollback", true)),
                    PG_BLOCK("deployment_controller", PG_STR("type", "ECS")),
                    PG_BLOCK("network_configuration",
                             PG_JSON("subnets", cJSON_Duplicate(subnets, true)),
                             PG_STRS("security_groups", app_sg),
                             PG_BOOL("assign_public_ip", false)),
                    PG_BLOCK("load_balancer",
                             PG_STR("target_group_arn", target_group),
                             PG_STR("container_name", ECS_CONTAINER),
                             PG_INT("container_port", s->port)),
                    PG_INT("health_check_grace_period_seconds",
                           s->cfg->health_check_grace_seconds),
                    PG_STR("propagate_tags", "SERVICE"),
                    PG_BOOL("enable_ecs_managed_tags", true),
                    PG_BOOL("enable_execute_command", false),
                    PG_BOOL("wait_for_steady_state", false),
                    /* Autoscaling changes the count; a plan must not reset it. */
                    PG_IGNORE_CHANGES("desired_count"),
                    PG_STRS("depends_on", after),
                    PG_DEPENDS_ON(s->policies[0], s->policies[1]),
                    PG_NAME(ecs_colours[c].kind));
}

int ecs_service(ecs_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const cJSON *subnets = pg_need_list(s->ctx, r, "vpc.app_subnet_ids");
    const char *app_sg = pg_need(s->ctx, r, "vpc.app_security_group_id");
    const char *listener = pg_need(s->ctx, r, "alb.listener_https_arn");
    const char *alb_sg = pg_need(s->ctx, r, "alb.security_group_id");
    const char *groups[2];
    for (size_t c = 0; c < 2; c++)
        groups[c] = pg_need(s->ctx, r,
                            pg_printf(out, "alb.target_group.%s.arn", ecs_colours[c].name));
    if (!subnets || !app_sg || !groups[0] || !groups[1] || !listener || !alb_sg)
        return -1;
    /* A target group takes targets only once a listener uses it (the HTTPS
     * listener forwards to both, weight 0 included), and tasks start only
     * with the roles' permissions in place. */
    const char *after = address_of(out, listener);
    if (!after)
        return pg_fail(out, "alb.listener_https_arn '%s' is not a resource attribute", listener);
    cluster(s);
    if (floors(s, desired_count_variable(s)))
        return -1;
    for (size_t c = 0; c < 2; c++) {
        service(s, c, subnets, app_sg, groups[c], after);
        ecs_image_precondition(s, c, s->service[c]);
    }
    ingress_from_alb(s, app_sg, alb_sg);
    return 0;
}
