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
    cJSON *c = s->cluster = pg_resource(out, s->r, "aws_ecs_cluster", "main");
    cJSON_AddStringToObject(c, "name", pg_name(out, NULL, "ecs", 255));
    cJSON *insights = ecs_block(c, "setting");
    cJSON_AddStringToObject(insights, "name", "containerInsights");
    cJSON_AddStringToObject(insights, "value", "enabled");
    pg_tag_name(c, pg_name(out, s->r, "ecs", 256));
}

/* desired_count_<code>: the tasks a region runs at least (D1). Autoscaling
 * owns the service's count afterwards, so the variable also sets the
 * scalable target's minimum; see ecs_scaling.c. */
static const char *desired_count_variable(ecs_site *s)
{
    pg_out *out = s->out;
    long max = pg_ctx_int(s->ctx, "compute.max_tasks");
    const char *name = pg_printf(out, "desired_count_%s", s->r->code);
    cJSON *v = pg_variable(out, name, "number",
                           pg_printf(out,
                                     "Fewest payment API tasks running in %s (autoscaling adds "
                                     "up to %ld)",
                                     s->r->name, max));
    cJSON_AddNumberToObject(v, "default", (double)pg_ctx_int(s->ctx, "compute.min_tasks"));
    cJSON *check = ecs_block(v, "validation");
    cJSON_AddStringToObject(check, "condition",
                            pg_printf(out,
                                      "${var.%s >= 1 && var.%s <= %ld && floor(var.%s) == var.%s}",
                                      name, name, max, name, name));
    cJSON_AddStringToObject(
        check, "error_message",
        pg_printf(out, "The %s must be a whole number from 1 to %ld.", name, max));
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

static void target(ecs_site *s, cJSON *svc, const char *tg)
{
    cJSON *lb = ecs_block(svc, "load_balancer");
    cJSON_AddStringToObject(lb, "target_group_arn", tg);
    cJSON_AddStringToObject(lb, "container_name", ECS_CONTAINER);
    cJSON_AddNumberToObject(lb, "container_port", (double)s->port);
}

static int ingress_from_alb(ecs_site *s, const char *app_sg)
{
    pg_out *out = s->out;
    const char *alb_sg = ecs_need(s, s->r, "alb.security_group_id");
    if (!alb_sg)
        return -1;
    cJSON *in = pg_resource(out, s->r, "aws_vpc_security_group_ingress_rule", "app_from_alb");
    cJSON_AddStringToObject(in, "security_group_id", app_sg);
    cJSON_AddStringToObject(in, "referenced_security_group_id", alb_sg);
    cJSON_AddStringToObject(in, "description", "Requests and health checks from the load balancer");
    cJSON_AddStringToObject(in, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(in, "from_port", (double)s->port);
    cJSON_AddNumberToObject(in, "to_port", (double)s->port);
    pg_tag_name(in, pg_name(out, s->r, "sgr-app-from-alb", 256));
    return 0;
}

int ecs_service(ecs_site *s)
{
    pg_out *out = s->out;
    const cJSON *subnets = pg_lookup(s->ctx, s->r, "vpc.app_subnet_ids");
    const char *app_sg = ecs_need(s, s->r, "vpc.app_security_group_id");
    const char *blue = ecs_need(s, s->r, "alb.target_group.blue.arn");
    const char *green = ecs_need(s, s->r, "alb.target_group.green.arn");
    const char *listener = ecs_need(s, s->r, "alb.listener_https_arn");
    if (!cJSON_IsArray(subnets)) {
        pg_error(out, "reference 'vpc.app_subnet_ids' is missing in %s", s->r->name);
        return -1;
    }
    if (!app_sg || !blue || !green || !listener)
        return -1;
    cluster(s);

    cJSON *svc = s->service = pg_resource(out, s->r, "aws_ecs_service", "api");
    cJSON_AddStringToObject(svc, "name", pg_name(out, NULL, "api", 255));
    cJSON_AddStringToObject(svc, "cluster", pg_ref(out, s->cluster, "arn"));
    cJSON_AddStringToObject(svc, "task_definition", pg_ref(out, s->task, "arn"));
    cJSON_AddStringToObject(svc, "launch_type", "FARGATE");
    cJSON_AddStringToObject(svc, "platform_version", "1.4.0");
    cJSON_AddStringToObject(svc, "desired_count", s->desired = desired_count_variable(s));
    cJSON_AddNumberToObject(svc, "deployment_minimum_healthy_percent", 100);
    cJSON_AddNumberToObject(svc, "deployment_maximum_percent", 200);
    cJSON *breaker = ecs_block(svc, "deployment_circuit_breaker");
    cJSON_AddBoolToObject(breaker, "enable", true);
    cJSON_AddBoolToObject(breaker, "rollback", true);
    cJSON_AddStringToObject(ecs_block(svc, "deployment_controller"), "type", "ECS");
    cJSON *net = ecs_block(svc, "network_configuration");
    cJSON_AddItemToObject(net, "subnets", cJSON_Duplicate(subnets, true));
    cJSON_AddItemToObject(net, "security_groups", pg_strings(app_sg, NULL));
    cJSON_AddBoolToObject(net, "assign_public_ip", false);
    target(s, svc, blue);
    target(s, svc, green);
    cJSON_AddNumberToObject(svc, "health_check_grace_period_seconds",
                            (double)pg_ctx_int(s->ctx, "compute.health_check_grace_seconds"));
    cJSON_AddStringToObject(svc, "propagate_tags", "SERVICE");
    cJSON_AddBoolToObject(svc, "enable_ecs_managed_tags", true);
    cJSON_AddBoolToObject(svc, "enable_execute_command", false);
    cJSON_AddBoolToObject(svc, "wait_for_steady_state", false);
    /* Autoscaling changes the count; a plan must not reset it. */
    cJSON_AddItemToObject(cJSON_AddObjectToObject(svc, "lifecycle"), "ignore_changes",
                          pg_strings("desired_count", NULL));
    /* A target group takes targets only once a listener uses it, and tasks
     * start only with the roles' permissions in place. */
    const char *after = address_of(out, listener);
    if (!after) {
        pg_error(out, "alb.listener_https_arn '%s' is not a resource attribute", listener);
        return -1;
    }
    cJSON_AddItemToObject(
        svc, "depends_on",
        pg_strings(after, pg_address(out, s->policies[0]), pg_address(out, s->policies[1]), NULL));
    pg_tag_name(svc, pg_name(out, s->r, "api", 256));
    return ingress_from_alb(s, app_sg);
}
