/* SPDX-License-Identifier: Apache-2.0 */
/* zone - the service's public name: the Route 53 hosted zone (created, or an
 * existing one looked up by name) and the API's name in it. A plugin of its
 * own, built from the dns folder, so that alb can validate its certificates
 * in the zone while dns, which points the name at the load balancers, needs
 * alb: zone needs nothing, alb needs zone, dns needs alb and zone.
 *
 * dns.zone_name has no usable default: a zone is delegated from its parent,
 * and the shipped profiles only carry an example (example.com cannot be
 * delegated, RFC 2606).
 *
 * Publishes, globally: zone.id, zone.arn, zone.name (the zone) and
 * zone.api_name (record_name.zone_name, a literal: ACM needs the domain at
 * plan to know its validation records). */
#include <paygen/paygen.h>

#include <ctype.h>
#include <string.h>

/* Settings of one run. */
typedef struct zone_config {
    const char *zone_name;
    bool create_zone;
    const char *record_name;
} zone_config;

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

static int check_settings(const zone_config *cfg, pg_out *out)
{
    if (!*cfg->zone_name)
        return pg_fail_at(out, "dns.zone_name",
                          "required: the public hosted zone the API name lives in (e.g. "
                          "payments.<your domain>), a domain whose parent you can delegate");
    if (!valid_domain(cfg->zone_name))
        return pg_fail_at(out, "dns.zone_name",
                          "'%s' is not a lowercase domain name like payments.example.com",
                          cfg->zone_name);
    if (!valid_label(cfg->record_name, strlen(cfg->record_name)))
        return pg_fail_at(out, "dns.record_name",
                          "'%s' must be one lowercase DNS label (letters, digits, hyphens)",
                          cfg->record_name);
    /* ACM's limit on a domain name (RequestCertificate, DomainName). */
    if (strlen(cfg->record_name) + 1 + strlen(cfg->zone_name) > 253)
        return pg_fail_at(out, "dns.record_name",
                          "'%s.%s' is longer than the 253 characters of a domain name",
                          cfg->record_name, cfg->zone_name);
    return 0;
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const zone_config *cfg = pg_config(ctx);
    if (check_settings(cfg, out) != 0)
        return -1;

    const cJSON *zone;
    if (!cfg->create_zone) {
        zone = pg_data(out, NULL, "aws_route53_zone", "main",
                       PG_STR("name", cfg->zone_name),
                       PG_BOOL("private_zone", false));
    } else {
        zone = pg_resource(out, NULL, "aws_route53_zone", "main",
                           PG_STR("name", cfg->zone_name),
                           PG_STR("comment", pg_printf(out, "Payment platform (%s)",
                                                       pg_ctx_environment(ctx))),
                           /* Test profiles stay destroyable: records paygen does not
                            * manage would otherwise block the zone's deletion. */
                           PG_BOOL("force_destroy", !pg_ctx_protected(ctx)),
                           PG_NAME("zone"),
                           /* A new zone means new name servers and a broken delegation. */
                           PG_PROTECT);
        pg_output(out, "dns_name_servers", pg_ref(out, zone, "name_servers"),
                  "Name servers to delegate the zone to from its parent (before the "
                  "certificates can validate: docs/migration-runbook.md)");
    }
    pg_publish_string(out, NULL, "zone.id", pg_ref(out, zone, "zone_id"));
    pg_publish_string(out, NULL, "zone.arn", pg_ref(out, zone, "arn"));
    pg_publish_string(out, NULL, "zone.name", cfg->zone_name);
    pg_publish_string(out, NULL, "zone.api_name",
                      pg_printf(out, "%s.%s", cfg->record_name, cfg->zone_name));
    return 0;
}

static const pg_publication publishes[] = {
    {"zone.id", PG_GLOBAL, PG_KIND_STRING},
    {"zone.arn", PG_GLOBAL, PG_KIND_STRING},
    {"zone.name", PG_GLOBAL, PG_KIND_STRING},
    {"zone.api_name", PG_GLOBAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const pg_setting settings[] = {
    PG_SETTING_STRING("dns.zone_name", zone_config, zone_name, "",
                      "public hosted zone the service name lives in (required; the shipped "
                      "profiles carry an example)"),
    PG_SETTING_BOOL("dns.create_zone", zone_config, create_zone, "true",
                    "create the hosted zone (false: look up an existing public zone of that name)"),
    PG_SETTING_STRING("dns.record_name", zone_config, record_name, "api",
                      "label of the weighted service record inside the zone (api -> api.<zone>); "
                      "the certificates are for this name"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("zone", "1.0.0", "Apache-2.0",
                 "Route 53 public hosted zone and the API's name in it",
                 publishes, NULL, settings, sizeof(zone_config), contribute)
