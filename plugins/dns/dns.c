/* dns - Route 53 traffic to each region's load balancer (R10).
 *
 * A public hosted zone (created, or an existing one looked up by name), one
 * HTTPS health check per active region against that region's ALB, and one
 * weighted alias record per active region. A record whose health check fails
 * is left out of the answers, so an unhealthy region loses its traffic on its
 * own; the weights are Terraform variables (dns_weights.c).
 *
 * The record is weighted from the legacy phase on, even with a single region:
 * turning a simple record into a weighted one is a delete and a create (a
 * gap in resolution), so the primary's record keeps its address and routing
 * policy across all phases (D7).
 *
 * Route 53 is a global service. Its records and health checks are written
 * with the default (primary) provider and labelled with the region code
 * themselves: the provider's region plays no part in Route 53 calls, and a
 * rollback to legacy, whose file has no secondary provider any more, can still
 * delete the secondary's record and health check.
 *
 * Publishes: dns.zone_id, dns.zone_arn, dns.record_name (the FQDN) globally;
 * dns.health_check_id per active region. */
#include "dns.h"

#include <ctype.h>
#include <string.h>

/* A lowercase DNS label: letters, digits, inner hyphens, 1-63 characters. */
static bool valid_label(const char *s, size_t len)
{
    if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return false;
    return true;
}

/* Lowercase labels joined by dots; at least two of them (a zone, not a TLD). */
static bool valid_domain(const char *s)
{
    size_t total = strlen(s);
    if (total == 0 || total > 253 || !strchr(s, '.'))
        return false;
    for (const char *p = s;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (!valid_label(p, len))
            return false;
        if (!dot)
            return true;
        p = dot + 1;
    }
}

static int check_settings(const pg_ctx *ctx, pg_out *out)
{
    const char *zone = pg_ctx_string(ctx, "dns.zone_name");
    const char *record = pg_ctx_string(ctx, "dns.record_name");
    const char *path = pg_ctx_string(ctx, "dns.health_check_path");
    long interval = pg_ctx_int(ctx, "dns.health_check_interval");

    if (!valid_domain(zone)) {
        pg_error(out, "dns.zone_name '%s' is not a lowercase domain name like payments.example.com",
                 zone);
        return -1;
    }
    if (!valid_label(record, strlen(record))) {
        pg_error(out,
                 "dns.record_name '%s' must be one lowercase DNS label (letters, digits, hyphens)",
                 record);
        return -1;
    }
    if (path[0] != '/' || strlen(path) > 255 || strpbrk(path, " \t\"")) {
        pg_error(out,
                 "dns.health_check_path '%s' must start with '/' (at most 255 characters, "
                 "no blanks or quotes)",
                 path);
        return -1;
    }
    if (interval != 10 && interval != 30) {
        pg_error(out, "dns.health_check_interval = %ld: Route 53 checks every 10 or 30 seconds",
                 interval);
        return -1;
    }
    return 0;
}

/* The zone, created or looked up; returns its block for references. */
static const cJSON *hosted_zone(const pg_ctx *ctx, pg_out *out)
{
    const char *name = pg_ctx_string(ctx, "dns.zone_name");
    if (!pg_ctx_bool(ctx, "dns.create_zone")) {
        cJSON *zone = pg_data(out, NULL, "aws_route53_zone", "main");
        cJSON_AddStringToObject(zone, "name", name);
        cJSON_AddBoolToObject(zone, "private_zone", false);
        return zone;
    }
    cJSON *zone = pg_resource(out, NULL, "aws_route53_zone", "main");
    cJSON_AddStringToObject(zone, "name", name);
    cJSON_AddStringToObject(zone, "comment",
                            pg_printf(out, "Payment platform (%s)", pg_ctx_environment(ctx)));
    /* Test profiles stay destroyable: records paygen does not manage would
     * otherwise block the zone's deletion. */
    cJSON_AddBoolToObject(zone, "force_destroy", !pg_ctx_protected(ctx));
    pg_tag_name(zone, pg_name(out, NULL, "zone", 256));
    /* A new zone means new name servers and a broken delegation. */
    pg_protect(ctx, zone);
    pg_output(out, "dns_name_servers", pg_ref(out, zone, "name_servers"),
              "Name servers to delegate the zone to from its parent");
    return zone;
}

static cJSON *health_check(const pg_ctx *ctx, pg_out *out, const pg_region *r, const char *alb_dns)
{
    cJSON *hc =
        pg_resource(out, NULL, "aws_route53_health_check", pg_printf(out, "alb_%s", r->code));
    cJSON_AddStringToObject(hc, "type", "HTTPS");
    cJSON_AddStringToObject(hc, "fqdn", alb_dns);
    cJSON_AddNumberToObject(hc, "port", 443);
    cJSON_AddStringToObject(hc, "resource_path", pg_ctx_string(ctx, "dns.health_check_path"));
    cJSON_AddNumberToObject(hc, "request_interval",
                            (double)pg_ctx_int(ctx, "dns.health_check_interval"));
    cJSON_AddNumberToObject(hc, "failure_threshold", 3);
    cJSON_AddBoolToObject(hc, "measure_latency", true);
    cJSON_AddBoolToObject(hc, "enable_sni", true);
    pg_tag_name(hc, pg_name(out, r, "health-check", 256));
    return hc;
}

static void weighted_record(pg_out *out, const pg_region *r, const char *label, const char *type,
                            const char *zone_id, const char *fqdn, const char *alb_dns,
                            const char *alb_zone, const cJSON *hc)
{
    cJSON *rec = pg_resource(out, NULL, "aws_route53_record", label);
    cJSON_AddStringToObject(rec, "zone_id", zone_id);
    cJSON_AddStringToObject(rec, "name", fqdn);
    cJSON_AddStringToObject(rec, "type", type);
    cJSON_AddStringToObject(rec, "set_identifier", r->name);
    cJSON_AddStringToObject(rec, "health_check_id", pg_ref(out, hc, "id"));

    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "weight", dns_weight_ref(out, r));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rec, "weighted_routing_policy"), w);

    cJSON *alias = cJSON_CreateObject();
    cJSON_AddStringToObject(alias, "name", alb_dns);
    cJSON_AddStringToObject(alias, "zone_id", alb_zone);
    cJSON_AddBoolToObject(alias, "evaluate_target_health", true);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rec, "alias"), alias);
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    if (check_settings(ctx, out) != 0)
        return -1;

    const cJSON *zone = hosted_zone(ctx, out);
    const char *zone_id = pg_ref(out, zone, "zone_id");
    const char *fqdn = pg_printf(out, "%s.%s", pg_ctx_string(ctx, "dns.record_name"),
                                 pg_ctx_string(ctx, "dns.zone_name"));
    bool ipv6 = pg_ctx_bool(ctx, "dns.ipv6");

    dns_weight_variables(ctx, out);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *alb_dns = pg_lookup_string(ctx, r, "alb.dns_name");
        const char *alb_zone = pg_lookup_string(ctx, r, "alb.zone_id");
        if (!alb_dns || !alb_zone) {
            pg_error(out, "alb.dns_name and alb.zone_id are not published for %s", r->name);
            return -1;
        }
        const cJSON *hc = health_check(ctx, out, r, alb_dns);
        weighted_record(out, r, pg_printf(out, "weighted_%s", r->code), "A", zone_id, fqdn, alb_dns,
                        alb_zone, hc);
        if (ipv6)
            weighted_record(out, r, pg_printf(out, "weighted_ipv6_%s", r->code), "AAAA", zone_id,
                            fqdn, alb_dns, alb_zone, hc);
        pg_publish_string(out, r, "dns.health_check_id", pg_ref(out, hc, "id"));
    }

    pg_publish_string(out, NULL, "dns.zone_id", zone_id);
    pg_publish_string(out, NULL, "dns.zone_arn", pg_ref(out, zone, "arn"));
    pg_publish_string(out, NULL, "dns.record_name", fqdn);
    pg_output(out, "dns_zone_id", zone_id, "Route 53 hosted zone id");
    pg_output(out, "dns_record_fqdn", fqdn, "Name clients resolve: weighted over the regions");
    return 0;
}

static const char *const provides[] = {"dns", NULL};
static const char *const needs[] = {"alb", NULL};
static const pg_setting settings[] = {
    {"dns.zone_name", PG_SETTING_STRING, "payments.example.com", 0, 0,
     "public hosted zone the service name lives in"},
    {"dns.create_zone", PG_SETTING_BOOL, "true", 0, 0,
     "create the hosted zone (false: look up an existing public zone of that name)"},
    {"dns.record_name", PG_SETTING_STRING, "api", 0, 0,
     "label of the weighted service record inside the zone (api -> api.<zone>)"},
    {"dns.health_check_path", PG_SETTING_STRING, "/health", 0, 0,
     "HTTPS path the Route 53 health checks request on each region's load balancer"},
    {"dns.health_check_interval", PG_SETTING_INT, "30", 10, 30,
     "seconds between Route 53 health checks: 30 (standard) or 10 (fast, extra cost)"},
    {"dns.migration_secondary_weight", PG_SETTING_INT, "10", 0, 100,
     "percent of traffic the secondary regions get together by default in the migration phase"},
    {"dns.production_secondary_weight", PG_SETTING_INT, "50", 0, 100,
     "percent of traffic the secondary regions get together by default in the production phase"},
    {"dns.ipv6", PG_SETTING_BOOL, "false", 0, 0,
     "also write AAAA alias records (the load balancers must be dualstack)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("dns", "1.0.0",
                 "Route 53 zone, health checks and weighted alias records per region",
                 provides, needs, settings, contribute)
