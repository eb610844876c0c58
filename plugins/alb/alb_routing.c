/* alb_routing.c - blue/green by target-group weights (R6, D1). Both colours
 * always exist; the HTTPS listener forwards to both, with weights computed
 * from two Terraform variables: active_color picks the colour that takes the
 * traffic, canary_weight_percent sends a share to the other one. Switching
 * colour is `terraform apply -var active_color=green`. */
#include "alb.h"

/* Terraform JSON expressions of the two weights, in the order of alb_colours. */
static const char *const weights[2] = {"${local.alb_weight_blue}", "${local.alb_weight_green}"};

void alb_traffic_variables(pg_out *out)
{
    cJSON *v = pg_variable(out, "active_color", "string",
                           "Target group colour that takes the traffic: blue or green");
    cJSON_AddStringToObject(v, "default", "blue");
    cJSON *check = alb_block(v, "validation");
    cJSON_AddStringToObject(check, "condition",
                            "${contains([\"blue\", \"green\"], var.active_color)}");
    cJSON_AddStringToObject(check, "error_message",
                            "The active_color must be \"blue\" or \"green\".");

    v = pg_variable(out, "canary_weight_percent", "number",
                    "Share of requests (0-100) sent to the colour that is not active");
    cJSON_AddNumberToObject(v, "default", 0);
    check = alb_block(v, "validation");
    cJSON_AddStringToObject(
        check, "condition",
        "${var.canary_weight_percent >= 0 && var.canary_weight_percent <= 100 && "
        "floor(var.canary_weight_percent) == var.canary_weight_percent}");
    cJSON_AddStringToObject(check, "error_message",
                            "The canary_weight_percent must be a whole number from 0 to 100.");

    pg_local(out, "alb_weight_blue",
             cJSON_CreateString("${var.active_color == \"blue\" ? 100 - var.canary_weight_percent : "
                                "var.canary_weight_percent}"));
    pg_local(out, "alb_weight_green", cJSON_CreateString("${100 - local.alb_weight_blue}"));
}

static const char *certificate_variable(alb_site *s)
{
    pg_out *out = s->out;
    const char *name = pg_printf(out, "certificate_arn_%s", s->r->code);
    cJSON *v =
        pg_variable(out, name, "string",
                    pg_printf(out, "ACM certificate ARN for the HTTPS listener in %s", s->r->name));
    cJSON *check = alb_block(v, "validation");
    cJSON_AddStringToObject(
        check, "condition",
        pg_printf(
            out,
            "${can(regex(\"^arn:aws[a-z-]*:acm:%s:[0-9]{12}:certificate/[0-9a-f-]+$\", var.%s))}",
            s->r->name, name));
    cJSON_AddStringToObject(
        check, "error_message",
        pg_printf(out, "The %s must be an ACM certificate ARN in %s.", name, s->r->name));
    return pg_printf(out, "${var.%s}", name);
}

static int target_group(alb_site *s, size_t c)
{
    pg_out *out = s->out;
    /* Regional namespace, 32 characters: the colour is the kind. */
    const char *name = pg_name(out, NULL, alb_colours[c], 32);
    if (!*name)
        return -1;
    cJSON *tg = s->tg[c] = pg_resource(out, s->r, "aws_lb_target_group", alb_colours[c]);
    cJSON_AddStringToObject(tg, "name", name);
    cJSON_AddStringToObject(tg, "target_type", "ip");
    cJSON_AddStringToObject(tg, "protocol", "HTTPS");
    cJSON_AddStringToObject(tg, "protocol_version", "HTTP1");
    cJSON_AddNumberToObject(tg, "port", (double)s->port);
    cJSON_AddStringToObject(tg, "vpc_id", s->vpc_id);
    cJSON_AddNumberToObject(tg, "deregistration_delay",
                            (double)pg_ctx_int(s->ctx, "alb.deregistration_delay_seconds"));
    cJSON *hc = alb_block(tg, "health_check");
    cJSON_AddBoolToObject(hc, "enabled", true);
    cJSON_AddStringToObject(hc, "protocol", "HTTPS");
    cJSON_AddStringToObject(hc, "port", "traffic-port");
    cJSON_AddStringToObject(hc, "path", pg_ctx_string(s->ctx, "compute.health_check_path"));
    cJSON_AddStringToObject(hc, "matcher", "200");
    cJSON_AddNumberToObject(hc, "interval", 15);
    cJSON_AddNumberToObject(hc, "timeout", 5);
    cJSON_AddNumberToObject(hc, "healthy_threshold", 3);
    cJSON_AddNumberToObject(hc, "unhealthy_threshold", 3);
    pg_tag_name(tg, pg_name(out, s->r, pg_printf(out, "tg-%s", alb_colours[c]), 256));
    return 0;
}

static void https_listener(alb_site *s, const char *certificate)
{
    pg_out *out = s->out;
    cJSON *l = s->https = pg_resource(out, s->r, "aws_lb_listener", "https");
    cJSON_AddStringToObject(l, "load_balancer_arn", pg_ref(out, s->lb, "arn"));
    cJSON_AddNumberToObject(l, "port", 443);
    cJSON_AddStringToObject(l, "protocol", "HTTPS");
    cJSON_AddStringToObject(l, "ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06");
    cJSON_AddStringToObject(l, "certificate_arn", certificate);
    cJSON_AddStringToObject(l, "routing_http_response_strict_transport_security_header_value",
                            "max-age=31536000; includeSubDomains");
    cJSON *action = alb_block(l, "default_action");
    cJSON_AddStringToObject(action, "type", "forward");
    cJSON *forward = alb_block(action, "forward");
    for (size_t c = 0; c < 2; c++) {
        cJSON *t = alb_block(forward, "target_group");
        cJSON_AddStringToObject(t, "arn", pg_ref(out, s->tg[c], "arn"));
        cJSON_AddStringToObject(t, "weight", weights[c]);
    }
    pg_tag_name(l, pg_name(out, s->r, "alb-https", 256));
}

static void http_listener(alb_site *s)
{
    pg_out *out = s->out;
    cJSON *l = pg_resource(out, s->r, "aws_lb_listener", "http");
    cJSON_AddStringToObject(l, "load_balancer_arn", pg_ref(out, s->lb, "arn"));
    cJSON_AddNumberToObject(l, "port", 80);
    cJSON_AddStringToObject(l, "protocol", "HTTP");
    cJSON *action = alb_block(l, "default_action");
    cJSON_AddStringToObject(action, "type", "redirect");
    cJSON *redirect = alb_block(action, "redirect");
    cJSON_AddStringToObject(redirect, "protocol", "HTTPS");
    cJSON_AddStringToObject(redirect, "port", "443");
    cJSON_AddStringToObject(redirect, "status_code", "HTTP_301");
    pg_tag_name(l, pg_name(out, s->r, "alb-http", 256));
}

int alb_routing(alb_site *s)
{
    for (size_t c = 0; c < 2; c++)
        if (target_group(s, c))
            return -1;
    https_listener(s, certificate_variable(s));
    http_listener(s);
    return 0;
}
