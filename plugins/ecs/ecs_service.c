/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_service.c - cluster and service of a region. The service is registered
 * with BOTH target groups: the listener's weights decide which colour gets
 * the requests, so both must have healthy targets at any time. Tasks run in
 * the private app subnets with the application tier's security group, which
 * admits the load balancer on the container port and nothing else. */
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

/* desired_count_<code>: the tasks a region runs at least (D1). Autoscaling
 * owns the service's count afterwards, so the variable also sets the
 * scalable target's minimum; see ecs_scaling.c. */
static const char *desired_count_variable(ecs_site *s)
{
    pg_out *out = s->out;
    long max = s->cfg->max_tasks;
    const char *name = pg_printf(out, "desired_count_%s", s->r->code);
    pg_variable(out, name, "number",
                pg_printf(out, "Fewest payment API tasks running in %s (autoscaling adds up to %ld)",
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
    return pg_printf(out, "${var.%s}", name);
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

int ecs_service(ecs_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const cJSON *subnets = pg_need_list(s->ctx, r, "vpc.app_subnet_ids");
    const char *app_sg = pg_need(s->ctx, r, "vpc.app_security_group_id");
    const char *blue = pg_need(s->ctx, r, "alb.target_group.blue.arn");
    const char *green = pg_need(s->ctx, r, "alb.target_group.green.arn");
    const char *listener = pg_need(s->ctx, r, "alb.listener_https_arn");
    const char *alb_sg = pg_need(s->ctx, r, "alb.security_group_id");
    if (!subnets || !app_sg || !blue || !green || !listener || !alb_sg)
        return -1;
    /* A target group takes targets only once a listener uses it, and tasks
     * start only with the roles' permissions in place. */
    const char *after = address_of(out, listener);
    if (!after)
        return pg_fail(out, "alb.listener_https_arn '%s' is not a resource attribute", listener);
    cluster(s);
    s->desired = desired_count_variable(s);

    s->service = pg_resource(out, r, "aws_ecs_service", "api",
                             PG_STR("name", pg_name(out, NULL, "api", 255)),
                             PG_REF("cluster", s->cluster, "arn"),
                             PG_REF("task_definition", s->task, "arn"),
                             PG_STR("launch_type", "FARGATE"),
                             PG_STR("platform_version", "1.4.0"),
                             PG_STR("desired_count", s->desired),
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
                                      PG_STR("target_group_arn", blue),
                                      PG_STR("container_name", ECS_CONTAINER),
                                      PG_INT("container_port", s->port)),
                             PG_BLOCK("load_balancer",
                                      PG_STR("target_group_arn", green),
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
                             PG_NAME("api"));
    ingress_from_alb(s, app_sg, alb_sg);
    return 0;
}
