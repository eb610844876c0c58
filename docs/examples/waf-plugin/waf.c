/* SPDX-License-Identifier: Apache-2.0 */
/* waf - an example plugin built out of tree against the installed paygen SDK.
 *
 * A regional WAF web ACL per active region, with AWS managed rule groups and
 * a per-IP rate limit, associated with the region's load balancer published
 * by the alb plugin. A load balancer takes one web ACL: the in-tree alb
 * plugin attaches its own (and publishes alb.web_acl_arn) unless the profile
 * sets alb.waf: false, so this plugin refuses to run alongside it.
 *
 * Publishes, per region: waf.web_acl_arn. */
#include <paygen/paygen.h>
#include <stdbool.h>
#include <string.h>

typedef struct waf_config {
    const char *mode; /* "block" or "count" */
    long rate_limit;
} waf_config;

static const char *const rule_groups[] = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
};

/* CloudWatch metrics and sampled requests, under one metric name. */
#define VISIBILITY(metric)                                  \
    PG_BLOCK("visibility_config",                           \
             PG_BOOL("cloudwatch_metrics_enabled", true),   \
             PG_STR("metric_name", metric),                 \
             PG_BOOL("sampled_requests_enabled", true))

static void managed_rules(pg_out *out, cJSON *acl, bool count_only)
{
    for (size_t i = 0; i < sizeof rule_groups / sizeof *rule_groups; i++)
        pg_block(out, acl, "rule",
                 PG_STR("name", rule_groups[i]),
                 PG_INT("priority", (i + 1) * 10),
                 /* "none" keeps the group's own actions; "count" only observes. */
                 PG_BLOCK("override_action", PG_BLOCK(count_only ? "count" : "none")),
                 PG_BLOCK("statement",
                          PG_BLOCK("managed_rule_group_statement",
                                   PG_STR("name", rule_groups[i]),
                                   PG_STR("vendor_name", "AWS"))),
                 VISIBILITY(rule_groups[i]));
}

static void rate_limit(pg_out *out, cJSON *acl, long limit, bool count_only)
{
    pg_block(out, acl, "rule",
             PG_STR("name", "RatePerIp"),
             PG_INT("priority", 100),
             PG_BLOCK("action", PG_BLOCK(count_only ? "count" : "block")),
             PG_BLOCK("statement",
                      PG_BLOCK("rate_based_statement",
                               PG_INT("limit", limit),
                               PG_STR("aggregate_key_type", "IP"))),
             VISIBILITY("RatePerIp"));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const waf_config *cfg = pg_config(ctx);
    bool count_only = !strcmp(cfg->mode, "count");

    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        if (pg_lookup(ctx, r, "alb.web_acl_arn"))
            return pg_fail(out, "the alb plugin already attaches a web ACL in %s (alb.web_acl_arn) "
                                "and a load balancer takes only one: set alb.waf: false to use "
                                "the waf plugin",
                           r->name);
        const char *alb_arn = pg_need(ctx, r, "alb.arn");
        if (!alb_arn)
            return -1;

        /* The web ACL name is unique per region and scope: no region code. */
        const char *name = pg_name(out, NULL, "waf-edge", 128);
        cJSON *acl = pg_resource(out, r, "aws_wafv2_web_acl", "edge",
                                 PG_STR("name", name),
                                 PG_STR("description", "managed rules and a per-IP rate limit"),
                                 PG_STR("scope", "REGIONAL"),
                                 PG_BLOCK("default_action", PG_BLOCK("allow")),
                                 VISIBILITY(name),
                                 PG_NAME("waf-edge"),
                                 PG_PROTECT);
        managed_rules(out, acl, count_only);
        rate_limit(out, acl, cfg->rate_limit, count_only);

        pg_resource(out, r, "aws_wafv2_web_acl_association", "edge",
                    PG_STR("resource_arn", alb_arn),
                    PG_REF("web_acl_arn", acl, "arn"));

        pg_publish_string(out, r, "waf.web_acl_arn", pg_ref(out, acl, "arn"));
    }
    return 0;
}

static const pg_publication publishes[] = {
    {"waf.web_acl_arn", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static const char *const needs[] = {"alb", NULL};

static const pg_setting settings[] = {
    PG_SETTING_CHOICE("waf.mode", waf_config, mode, "block", "block|count",
                      "block: rules act; count: rules only count matches (a first rollout)"),
    PG_SETTING_INT("waf.rate_limit", waf_config, rate_limit, "2000", 100, 2000000000,
                   "requests per 5 minutes from one IP address before it is blocked"),
    PG_SETTINGS_END,
};

PG_PLUGIN_DEFINE("waf", "0.1.0", "Apache-2.0",
                 "example: WAF web ACL with AWS managed rules on every load balancer",
                 publishes, needs, settings, sizeof(waf_config), contribute)
