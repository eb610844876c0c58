/* alb - the public entry of each active region (R6): an internet-facing
 * Application Load Balancer in the public subnets, HTTPS only (HTTP answers
 * with a redirect), forwarding by weight to a blue and a green target group
 * so that switching colour is a Terraform variable, not a code change (D1).
 *
 * Publishes, per region: alb.arn, alb.arn_suffix, alb.dns_name, alb.zone_id,
 * alb.security_group_id, alb.target_group.{blue,green}.{arn,arn_suffix},
 * alb.listener_https_arn. Outputs the DNS name of every region's balancer. */
#include "alb.h"

#include <string.h>

const char *const alb_colours[2] = {"blue", "green"};

const char *alb_need(alb_site *s, const char *name)
{
    const char *v = pg_lookup_string(s->ctx, s->r, name);
    if (!v)
        pg_error(s->out, "reference '%s' is missing in %s", name, s->r->name);
    return v;
}

cJSON *alb_block(cJSON *parent, const char *key)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!list)
        list = cJSON_AddArrayToObject(parent, key);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddItemToArray(list, item);
    return item;
}

static void publish(alb_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    pg_publish_string(out, r, "alb.arn", pg_ref(out, s->lb, "arn"));
    pg_publish_string(out, r, "alb.arn_suffix", pg_ref(out, s->lb, "arn_suffix"));
    pg_publish_string(out, r, "alb.dns_name", pg_ref(out, s->lb, "dns_name"));
    pg_publish_string(out, r, "alb.zone_id", pg_ref(out, s->lb, "zone_id"));
    pg_publish_string(out, r, "alb.security_group_id", pg_ref(out, s->sg, "id"));
    for (size_t c = 0; c < 2; c++) {
        pg_publish_string(out, r, pg_printf(out, "alb.target_group.%s.arn", alb_colours[c]),
                          pg_ref(out, s->tg[c], "arn"));
        pg_publish_string(out, r, pg_printf(out, "alb.target_group.%s.arn_suffix", alb_colours[c]),
                          pg_ref(out, s->tg[c], "arn_suffix"));
    }
    pg_publish_string(out, r, "alb.listener_https_arn", pg_ref(out, s->https, "arn"));
    pg_output(out, pg_printf(out, "alb_dns_name_%s", r->code), pg_ref(out, s->lb, "dns_name"),
              pg_printf(out, "DNS name of the load balancer in %s", r->name));
}

static int load_balancer(alb_site *s)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const cJSON *subnets = pg_lookup(s->ctx, r, "vpc.public_subnet_ids");
    const char *bucket = alb_need(s, "storage.access_logs.bucket");
    /* A regional namespace with a 32-character limit: no region code. */
    const char *name = pg_name(out, NULL, "alb", 32);
    if (!subnets || !cJSON_IsArray(subnets)) {
        pg_error(out, "reference 'vpc.public_subnet_ids' is missing in %s", r->name);
        return -1;
    }
    if (!bucket || !*name)
        return -1;

    cJSON *lb = s->lb = pg_resource(out, r, "aws_lb", "main");
    cJSON_AddStringToObject(lb, "name", name);
    cJSON_AddBoolToObject(lb, "internal", false);
    cJSON_AddStringToObject(lb, "load_balancer_type", "application");
    cJSON_AddStringToObject(lb, "ip_address_type", "ipv4");
    cJSON_AddItemToObject(lb, "security_groups", pg_strings(pg_ref(out, s->sg, "id"), NULL));
    cJSON_AddItemToObject(lb, "subnets", cJSON_Duplicate(subnets, true));
    cJSON_AddBoolToObject(lb, "drop_invalid_header_fields", true);
    cJSON_AddStringToObject(lb, "desync_mitigation_mode", "defensive");
    cJSON_AddBoolToObject(lb, "enable_http2", true);
    cJSON_AddNumberToObject(lb, "idle_timeout",
                            (double)pg_ctx_int(s->ctx, "alb.idle_timeout_seconds"));
    cJSON_AddBoolToObject(lb, "enable_deletion_protection", pg_ctx_protected(s->ctx));
    /* The access-log bucket is in the balancer's region; the prefix keeps
     * the regions apart should the logs ever be gathered in one place. */
    cJSON *logs = alb_block(lb, "access_logs");
    cJSON_AddStringToObject(logs, "bucket", bucket);
    cJSON_AddStringToObject(logs, "prefix", pg_printf(out, "alb/%s", r->name));
    cJSON_AddBoolToObject(logs, "enabled", true);
    pg_tag_name(lb, pg_name(out, r, "alb", 256));
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const char *path = pg_ctx_string(ctx, "compute.health_check_path");
    if (!path || path[0] != '/' || strlen(path) > 1024) {
        pg_error(out,
                 "compute.health_check_path '%s' must start with '/' (at most 1024 characters)",
                 path ? path : "");
        return -1;
    }
    alb_traffic_variables(out);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        alb_site s = {.ctx = ctx,
                      .out = out,
                      .r = pg_ctx_region(ctx, i),
                      .port = pg_ctx_int(ctx, "compute.container_port")};
        if (!(s.vpc_id = alb_need(&s, "vpc.id")))
            return -1;
        if (alb_firewall(&s) || load_balancer(&s) || alb_routing(&s))
            return -1;
        if (pg_ctx_bool(ctx, "alb.waf"))
            alb_waf(&s);
        publish(&s);
    }
    return 0;
}

static const char *const provides[] = {"alb", NULL};
static const char *const needs[] = {"vpc", "storage", NULL};
static const pg_setting settings[] = {
    {"compute.container_port", PG_SETTING_INT, "8443", 1024, 65535,
     "port the application container listens on (HTTPS); target groups and security groups use it"},
    {"compute.health_check_path", PG_SETTING_STRING, "/health", 0, 0,
     "HTTPS path the target groups probe; must answer 200"},
    {"alb.deregistration_delay_seconds", PG_SETTING_INT, "30", 0, 3600,
     "seconds a target drains in-flight requests before it leaves a target group"},
    {"alb.idle_timeout_seconds", PG_SETTING_INT, "60", 1, 4000,
     "seconds an idle client connection stays open"},
    {"alb.waf", PG_SETTING_BOOL, "true", 0, 0,
     "attach a WAF web ACL with AWS managed rule groups to every load balancer (PCI DSS 6.4.2)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("alb", "1.0.0",
                 "internet-facing HTTPS load balancer per region with blue/green target groups",
                 provides, needs, settings, contribute)
