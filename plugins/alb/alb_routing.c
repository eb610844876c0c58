/* SPDX-License-Identifier: Apache-2.0 */
/* alb_routing.c - blue/green by target-group weights (R6, D1). Each colour
 * has its own target group, in which only that colour's ECS service
 * registers its tasks (plugins/ecs). The HTTPS listener forwards to both,
 * with weights computed from two Terraform variables: active_color picks the
 * colour that takes the traffic, canary_weight_percent sends a share to the
 * other one. Switching colour, and rolling back, is one variable:
 * `terraform apply -var active_color=green`. A second HTTPS listener, on
 * ALB_TEST_PORT, sends everything to the colour that is not active, so a new
 * release is tested there before any weight moves; only the networks in
 * test_listener_cidrs may reach it (alb_firewall.c). */
#include "alb.h"

const char *const alb_colours[2] = {"blue", "green"};

void alb_traffic_variables(pg_out *out)
{
    pg_variable(out, "active_color", "string",
                "Target group colour that takes the traffic: blue or green",
                PG_STR("default", "blue"),
                PG_BLOCK("validation",
                         PG_STR("condition", "${contains([\"blue\", \"green\"], var.active_color)}"),
                         PG_STR("error_message", "The active_color must be \"blue\" or \"green\".")));
    pg_variable(out, "canary_weight_percent", "number",
                "Share of requests (0-100) sent to the colour that is not active",
                PG_INT("default", 0),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                "${var.canary_weight_percent >= 0 && "
                                "var.canary_weight_percent <= 100 && "
                                "floor(var.canary_weight_percent) == var.canary_weight_percent}"),
                         PG_STR("error_message",
                                "The canary_weight_percent must be a whole number from 0 to 100.")));
    /* IPv4 only (the rule is cidr_ipv4), written as its network address (EC2
     * keeps rules by CIDR), and never the whole Internet: the test listener
     * reaches a release nobody has tested yet. */
    pg_variable(out, "test_listener_cidrs", "list(string)",
                pg_printf(out,
                          "IPv4 networks (CIDR) that may reach the test listener on port %d, "
                          "which serves the colour that is not active",
                          ALB_TEST_PORT),
                PG_JSON("default", cJSON_CreateArray()),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                "${alltrue([for c in var.test_listener_cidrs : "
                                "can(cidrnetmask(c)) && try(cidrsubnet(c, 0, 0) == c, false) && "
                                "!endswith(c, \"/0\")])}"),
                         PG_STR("error_message",
                                "Each test_listener_cidrs entry must be an IPv4 network address in "
                                "CIDR form (e.g. 203.0.113.0/24), not /0.")));

    pg_local_string(out, "alb_weight_blue",
                    "${var.active_color == \"blue\" ? 100 - var.canary_weight_percent : "
                    "var.canary_weight_percent}");
    pg_local_string(out, "alb_weight_green", "${100 - local.alb_weight_blue}");
    /* The test listener: all of it to the colour that is not active (a
     * weight of 0 is allowed: the range is 0 to 999, ELB API Reference,
     * TargetGroupTuple). */
    pg_local_string(out, "alb_test_weight_blue", "${var.active_color == \"blue\" ? 0 : 100}");
    pg_local_string(out, "alb_test_weight_green", "${100 - local.alb_test_weight_blue}");
}

static int target_group(alb_site *s, size_t c)
{
    pg_out *out = s->out;
    /* Regional namespace, 32 characters: the colour is the kind. */
    const char *name = pg_name(out, NULL, alb_colours[c], 32);
    if (!*name)
        return -1;
    s->tg[c] = pg_resource(out, s->r, "aws_lb_target_group", alb_colours[c],
                           PG_STR("name", name),
                           PG_STR("target_type", "ip"),
                           PG_STR("protocol", "HTTPS"),
                           PG_STR("protocol_version", "HTTP1"),
                           PG_INT("port", s->cfg->container_port),
                           PG_STR("vpc_id", s->vpc_id),
                           PG_INT("deregistration_delay", s->cfg->deregistration_delay_seconds),
                           PG_BLOCK("health_check",
                                    PG_BOOL("enabled", true),
                                    PG_STR("protocol", "HTTPS"),
                                    PG_STR("port", "traffic-port"),
                                    PG_STR("path", s->cfg->health_check_path),
                                    PG_STR("matcher", "200"),
                                    PG_INT("interval", 15),
                                    PG_INT("timeout", 5),
                                    PG_INT("healthy_threshold", 3),
                                    PG_INT("unhealthy_threshold", 3)),
                           PG_NAME(pg_printf(out, "tg-%s", alb_colours[c])));
    return 0;
}

/* An HTTPS listener forwarding to both target groups by the locals'
 * weights ("alb_weight" or "alb_test_weight"). */
static cJSON *https_listener(alb_site *s, const char *label, const char *kind, long port,
                             const char *certificate, const char *weights)
{
    pg_out *out = s->out;
    const char *blue = pg_printf(out, "${local.%s_blue}", weights);
    const char *green = pg_printf(out, "${local.%s_green}", weights);
    return pg_resource(out, s->r, "aws_lb_listener", label,
                       PG_REF("load_balancer_arn", s->lb, "arn"),
                       PG_INT("port", port),
                       PG_STR("protocol", "HTTPS"),
                       PG_STR("ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
                       PG_STR("certificate_arn", certificate),
                       PG_STR("routing_http_response_strict_transport_security_header_value",
                              "max-age=31536000; includeSubDomains"),
                       PG_BLOCK("default_action",
                                PG_STR("type", "forward"),
                                PG_BLOCK("forward",
                                         PG_BLOCK("target_group",
                                                  PG_REF("arn", s->tg[0], "arn"),
                                                  PG_STR("weight", blue)),
                                         PG_BLOCK("target_group",
                                                  PG_REF("arn", s->tg[1], "arn"),
                                                  PG_STR("weight", green)))),
                       PG_NAME(kind));
}

static void http_listener(alb_site *s)
{
    pg_resource(s->out, s->r, "aws_lb_listener", "http",
                PG_REF("load_balancer_arn", s->lb, "arn"),
                PG_INT("port", 80),
                PG_STR("protocol", "HTTP"),
                PG_BLOCK("default_action",
                         PG_STR("type", "redirect"),
                         PG_BLOCK("redirect",
                                  PG_STR("protocol", "HTTPS"),
                                  PG_STR("port", "443"),
                                  PG_STR("status_code", "HTTP_301"))),
                PG_NAME("alb-http"));
}

int alb_routing(alb_site *s)
{
    for (size_t c = 0; c < 2; c++)
        if (target_group(s, c))
            return -1;
    s->https = https_listener(s, "https", "alb-https", 443, s->certificate, "alb_weight");
    s->test = https_listener(s, "test", "alb-test", ALB_TEST_PORT, s->certificate,
                             "alb_test_weight");
    http_listener(s);
    return 0;
}
