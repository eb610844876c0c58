/* SPDX-License-Identifier: Apache-2.0 */
/* dns - Route 53 traffic to each region's load balancer (R10).
 *
 * In the hosted zone of the zone plugin (zone.c, built from this folder), one
 * HTTPS health check per active region against that region's ALB, and one
 * weighted alias record per active region. A record whose health check fails
 * is left out of the answers, so an unhealthy region loses its traffic on its
 * own; the weights are Terraform variables (dns_weights.c).
 *
 * Today's endpoint (legacy.endpoint.*, published by the legacy plugin in the
 * legacy and migration phases) is one more weighted target with its own
 * health check, set identifier "legacy" and var.weight_legacy, so clients
 * move from it to the new platform by changing variables (docs/traffic.md).
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
 * dns.health_check_id per active region; dns.legacy_health_check_id while
 * today's endpoint is a target. */
#include "dns.h"

#include <stdlib.h>
#include <string.h>

static int check_settings(const dns_config *cfg, pg_out *out)
{
    const char *path = cfg->health_check_path;
    if (path[0] != '/' || strlen(path) > 255 || strpbrk(path, " \t\""))
        return pg_fail(out,
                       "dns.health_check_path '%s' must start with '/' (at most 255 characters, "
                       "no blanks or quotes)",
                       path);
    return 0;
}

/* Route 53 resources are global (no region of their own), but each health
 * check is named after the target it watches. */
static cJSON *health_check(pg_out *out, const dns_config *cfg, const char *label, const char *name,
                           const char *target_dns)
{
    return pg_resource(out, NULL, "aws_route53_health_check", label,
                       PG_STR("type", "HTTPS"),
                       PG_STR("fqdn", target_dns),
                       PG_INT("port", 443),
                       PG_STR("resource_path", cfg->health_check_path),
                       PG_INT("request_interval", strtol(cfg->health_check_interval, NULL, 10)),
                       PG_INT("failure_threshold", 3),
                       PG_BOOL("measure_latency", true),
                       PG_BOOL("enable_sni", true),
                       PG_MAP("tags", PG_STR("Name", name)));
}

/* One weighted alias; the A record and, with dns.ipv6, the AAAA record. */
typedef struct target {
    const char *label;      /* "use1" or "legacy": weighted_<label> */
    const char *set_id;     /* the record's set_identifier */
    const char *weight;     /* "${var.weight_<label>}" */
    const char *alb_dns, *alb_zone;
    const cJSON *hc;
} target;

static void weighted_record(pg_out *out, const target *t, const char *type, const char *zone_id,
                            const char *fqdn)
{
    const char *label = pg_printf(out, "weighted_%s%s", strcmp(type, "A") ? "ipv6_" : "", t->label);
    pg_resource(out, NULL, "aws_route53_record", label,
                PG_STR("zone_id", zone_id),
                PG_STR("name", fqdn),
                PG_STR("type", type),
                PG_STR("set_identifier", t->set_id),
                PG_REF("health_check_id", t->hc, "id"),
                PG_BLOCK("weighted_routing_policy", PG_STR("weight", t->weight)),
                PG_BLOCK("alias",
                         PG_STR("name", t->alb_dns),
                         PG_STR("zone_id", t->alb_zone),
                         PG_BOOL("evaluate_target_health", true)));
}

static void weighted_records(pg_out *out, const dns_config *cfg, const target *t,
                             const char *zone_id, const char *fqdn)
{
    weighted_record(out, t, "A", zone_id, fqdn);
    if (cfg->ipv6)
        weighted_record(out, t, "AAAA", zone_id, fqdn);
}

/* Today's load balancer as a weighted target. evaluate_target_health makes
 * Route 53 also follow that ALB's own target health, as for the new ones. */
static void legacy_target(pg_out *out, const dns_config *cfg, const char *zone_id,
                          const char *fqdn, const char *dns_name, const char *alb_zone)
{
    const cJSON *hc = health_check(out, cfg, "alb_" DNS_LEGACY,
                                   pg_name(out, NULL, "health-check-" DNS_LEGACY, 256), dns_name);
    target t = {DNS_LEGACY, DNS_LEGACY, DNS_LEGACY_WEIGHT_REF, dns_name, alb_zone, hc};
    weighted_records(out, cfg, &t, zone_id, fqdn);
    pg_publish_string(out, NULL, "dns.legacy_health_check_id", pg_ref(out, hc, "id"));
    pg_output(out, "dns_legacy_health_check_id", pg_ref(out, hc, "id"),
              "Route 53 health check of today's endpoint (watch it between traffic steps)");
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const dns_config *cfg = pg_config(ctx);
    if (check_settings(cfg, out) != 0)
        return -1;

    const char *zone_id = pg_need(ctx, NULL, "zone.id");
    const char *zone_arn = pg_need(ctx, NULL, "zone.arn");
    const char *fqdn = pg_need(ctx, NULL, "zone.api_name");
    if (!zone_id || !zone_arn || !fqdn)
        return -1;

    /* Both or neither: the legacy plugin refuses half an endpoint. */
    const char *legacy_dns = pg_lookup(ctx, NULL, "legacy.endpoint.dns_name");
    const char *legacy_zone = pg_lookup(ctx, NULL, "legacy.endpoint.zone_id");
    bool legacy = legacy_dns && legacy_zone;

    dns_weight_variables(ctx, out, cfg, legacy);
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *alb_dns = pg_need(ctx, r, "alb.dns_name");
        const char *alb_zone = pg_need(ctx, r, "alb.zone_id");
        if (!alb_dns || !alb_zone)
            return -1;
        const cJSON *hc = health_check(out, cfg, pg_printf(out, "alb_%s", r->code),
                                       pg_name(out, r, "health-check", 256), alb_dns);
        target t = {r->code, r->name, dns_weight_ref(out, r), alb_dns, alb_zone, hc};
        weighted_records(out, cfg, &t, zone_id, fqdn);
        pg_publish_string(out, r, "dns.health_check_id", pg_ref(out, hc, "id"));
    }
    if (legacy)
        legacy_target(out, cfg, zone_id, fqdn, legacy_dns, legacy_zone);

    pg_publish_string(out, NULL, "dns.zone_id", zone_id);
    pg_publish_string(out, NULL, "dns.zone_arn", zone_arn);
    pg_publish_string(out, NULL, "dns.record_name", fqdn);
    pg_output(out, "dns_zone_id", zone_id, "Route 53 hosted zone id");
    pg_output(out, "dns_record_fqdn", fqdn,
              "Name clients resolve: weighted over the regions (and today's endpoint while it "
              "is a target)");
    return 0;
}

static const pg_publication publishes[] = {
    {"dns.zone_id", PG_GLOBAL, PG_KIND_STRING},
    {"dns.zone_arn", PG_GLOBAL, PG_KIND_STRING},
    {"dns.record_name", PG_GLOBAL, PG_KIND_STRING},
    {"dns.health_check_id", PG_REGIONAL, PG_KIND_STRING},
    {"dns.legacy_health_check_id", PG_GLOBAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"zone", "alb", "legacy", NULL};

static const pg_setting settings[] = {
    PG_SETTING_STRING("dns.health_check_path", dns_config, health_check_path, "/health",
                      "HTTPS path the Route 53 health checks request on each region's load "
                      "balancer"),
    PG_SETTING_CHOICE("dns.health_check_interval", dns_config, health_check_interval, "30",
                      "10|30",
                      "seconds between Route 53 health checks: 30 (standard) or 10 (fast, extra "
                      "cost)"),
    PG_SETTING_INT("dns.migration_secondary_weight", dns_config, migration_secondary_weight, "0",
                   0, 100,
                   "percent of traffic the secondary regions get together by default in the "
                   "migration phase (0: built dark; move traffic with -var weight_<code>)"),
    PG_SETTING_INT("dns.production_secondary_weight", dns_config, production_secondary_weight,
                   "-1", -1, 100,
                   "percent of traffic the secondary regions get together by default in the "
                   "production phase (-1: the same as dns.migration_secondary_weight, so "
                   "applying production moves no traffic)"),
    PG_SETTING_BOOL("dns.ipv6", dns_config, ipv6, "false",
                    "also write AAAA alias records (the load balancers must be dualstack)"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("dns", "1.0.0", "Apache-2.0",
                 "Route 53 zone, health checks and weighted alias records per region",
                 publishes, needs, settings, sizeof(dns_config), contribute)
