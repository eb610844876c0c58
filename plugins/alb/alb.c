/* SPDX-License-Identifier: Apache-2.0 */
/* alb - the public entry of each active region (R6): an internet-facing
 * Application Load Balancer in the public subnets, HTTPS only (HTTP answers
 * with a redirect), forwarding by weight to a blue and a green target group
 * so that switching colour is a Terraform variable, not a code change (D1),
 * and a test listener that reaches the colour not taking the traffic. The
 * listeners' certificate is ACM's, validated in the zone plugin's hosted zone
 * (alb_certificate.c).
 *
 * Publishes, per region: alb.arn, alb.arn_suffix, alb.dns_name, alb.zone_id,
 * alb.security_group_id, alb.target_group.{blue,green}.{arn,arn_suffix},
 * alb.listener_https_arn, alb.listener_test_arn; globally alb.target_port,
 * the targets' (container) port as a literal ("8443"), alb.active_color and
 * alb.weight.{blue,green}, the expressions of the active colour and of each
 * colour's share of the requests (0-100). Outputs the DNS name of every
 * region's balancer. */
#include "alb.h"

#include <string.h>

static void publish(alb_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    pg_publish_refs(out, r, "alb", s->lb, "arn", "arn_suffix", "dns_name", "zone_id");
    pg_publish_string(out, r, "alb.security_group_id", pg_ref(out, s->sg, "id"));
    pg_publish_refs(out, r, "alb.target_group.blue", s->tg[0], "arn", "arn_suffix");
    pg_publish_refs(out, r, "alb.target_group.green", s->tg[1], "arn", "arn_suffix");
    pg_publish_string(out, r, "alb.listener_https_arn", pg_ref(out, s->https, "arn"));
    pg_publish_string(out, r, "alb.listener_test_arn", pg_ref(out, s->test, "arn"));
    pg_output(out, pg_printf(out, "alb_dns_name_%s", r->code), pg_ref(out, s->lb, "dns_name"),
              pg_printf(out, "DNS name of the load balancer in %s", r->name));
}

static int load_balancer(alb_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const cJSON *subnets = pg_need_list(s->ctx, r, "vpc.public_subnet_ids");
    const char *bucket = pg_need(s->ctx, r, "storage.access_logs.bucket");
    /* A regional namespace with a 32-character limit: no region code. */
    const char *name = pg_name(out, NULL, "alb", 32);
    if (!subnets || !bucket || !*name)
        return -1;

    s->lb = pg_resource(out, r, "aws_lb", "main",
                        PG_STR("name", name),
                        PG_BOOL("internal", false),
                        PG_STR("load_balancer_type", "application"),
                        PG_STR("ip_address_type", "ipv4"),
                        PG_STRS("security_groups", pg_ref(out, s->sg, "id")),
                        PG_JSON("subnets", cJSON_Duplicate(subnets, true)),
                        PG_BOOL("drop_invalid_header_fields", true),
                        PG_STR("desync_mitigation_mode", "defensive"),
                        PG_BOOL("enable_http2", true),
                        PG_INT("idle_timeout", s->cfg->idle_timeout_seconds),
                        PG_BOOL("enable_deletion_protection", pg_ctx_protected(s->ctx)),
                        /* The access-log bucket is in the balancer's region; the
                         * prefix keeps the regions apart should the logs ever be
                         * gathered in one place. */
                        PG_BLOCK("access_logs",
                                 PG_STR("bucket", bucket),
                                 PG_STR("prefix", pg_printf(out, "alb/%s", r->name)),
                                 PG_BOOL("enabled", true)),
                        PG_NAME("alb"));
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const alb_config *cfg = pg_config(ctx);
    const char *path = cfg->health_check_path;
    if (path[0] != '/' || strlen(path) > 1024)
        return pg_fail(out,
                       "compute.health_check_path '%s' must start with '/' (at most 1024 characters)",
                       path);
    const char *zone_id = pg_need(ctx, NULL, "zone.id");
    const char *api_name = pg_need(ctx, NULL, "zone.api_name");
    if (!zone_id || !api_name)
        return -1;
    alb_traffic_variables(out);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        alb_site s = {.ctx = ctx, .out = out, .r = pg_ctx_region(ctx, i), .cfg = cfg,
                      .zone_id = zone_id, .api_name = api_name};
        if (!(s.vpc_id = pg_need(ctx, s.r, "vpc.id")))
            return -1;
        if (alb_firewall(&s) || load_balancer(&s) || alb_certificate(&s) || alb_routing(&s))
            return -1;
        if (cfg->waf && alb_waf(&s))
            return -1;
        publish(&s);
    }
    /* The application listens where the target groups send: ecs reads it. */
    pg_publish_string(out, NULL, "alb.target_port", pg_printf(out, "%ld", cfg->container_port));
    /* ecs sizes each colour by whether it takes requests. */
    pg_publish_string(out, NULL, "alb.active_color", "${var.active_color}");
    for (size_t c = 0; c < 2; c++)
        pg_publish_string(out, NULL, pg_printf(out, "alb.weight.%s", alb_colours[c]),
                          pg_printf(out, "${local.alb_weight_%s}", alb_colours[c]));
    return 0;
}

static const pg_publication publishes[] = {
    {"alb.arn", PG_REGIONAL, PG_KIND_STRING},
    {"alb.arn_suffix", PG_REGIONAL, PG_KIND_STRING},
    {"alb.dns_name", PG_REGIONAL, PG_KIND_STRING},
    {"alb.zone_id", PG_REGIONAL, PG_KIND_STRING},
    {"alb.security_group_id", PG_REGIONAL, PG_KIND_STRING},
    {"alb.target_group.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"alb.target_group.*.arn_suffix", PG_REGIONAL, PG_KIND_STRING},
    {"alb.listener_https_arn", PG_REGIONAL, PG_KIND_STRING},
    {"alb.listener_test_arn", PG_REGIONAL, PG_KIND_STRING},
    {"alb.target_port", PG_GLOBAL, PG_KIND_STRING},
    {"alb.active_color", PG_GLOBAL, PG_KIND_STRING},
    {"alb.weight.*", PG_GLOBAL, PG_KIND_STRING},
    {"alb.web_acl_arn", PG_REGIONAL, PG_KIND_STRING}, /* only while alb.waf is on */
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"vpc", "storage", "zone", "kms", NULL};

static const pg_setting settings[] = {
    PG_SETTING_INT("compute.container_port", alb_config, container_port, "8443", 1024, 65535,
                   "port the application container listens on (HTTPS); target groups and "
                   "security groups use it"),
    PG_SETTING_STRING("compute.health_check_path", alb_config, health_check_path, "/health",
                      "HTTPS path the target groups probe; must answer 200"),
    PG_SETTING_INT("alb.deregistration_delay_seconds", alb_config, deregistration_delay_seconds,
                   "30", 0, 3600,
                   "seconds a target drains in-flight requests before it leaves a target group"),
    PG_SETTING_INT("alb.idle_timeout_seconds", alb_config, idle_timeout_seconds, "60", 1, 4000,
                   "seconds an idle client connection stays open"),
    PG_SETTING_BOOL("alb.waf", alb_config, waf, "true",
                    "attach a WAF web ACL with AWS managed rule groups to every load balancer "
                    "(PCI DSS 6.4.2)"),
    PG_SETTING_INT("alb.waf_rate_limit", alb_config, waf_rate_limit, "2000", 10, 2000000000,
                   "requests one client address may send in five minutes before the web ACL "
                   "blocks it (a rate-based rule ahead of the managed rule groups)"),
    PG_SETTING_CHOICE("alb.waf_log_retention_days", alb_config, waf_log_retention_days, "365",
                      "365|400|545|731|1096|1827|2192|2557|2922|3288|3653",
                      "days the web ACL's request log (CloudWatch Logs, logs key) keeps events "
                      "(PCI DSS 10.5.1: at least a year)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("alb", "1.0.0", "Apache-2.0",
                 "internet-facing HTTPS load balancer per region with blue/green target groups",
                 publishes, needs, settings, sizeof(alb_config), contribute)
