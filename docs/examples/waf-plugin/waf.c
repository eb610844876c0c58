/* waf - an example plugin built out of tree against the installed paygen SDK.
 *
 * A regional WAF web ACL per active region, with AWS managed rule groups and
 * a per-IP rate limit, associated with the region's load balancer published
 * by the alb plugin. A load balancer takes one web ACL: the in-tree alb
 * plugin attaches its own unless the profile sets alb.waf: false, so this
 * plugin refuses to run alongside it.
 *
 * Publishes, per region: waf.web_acl_arn. */
#include <paygen/paygen.h>
#include <string.h>

static const char *const rule_groups[] = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
};

/* Terraform JSON writes a nested block as an array of objects. */
static cJSON *block(cJSON *parent, const char *name)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(parent, name);
    if (!list)
        list = cJSON_AddArrayToObject(parent, name);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddItemToArray(list, b);
    return b;
}

static void visibility(cJSON *parent, const char *metric)
{
    cJSON *v = block(parent, "visibility_config");
    cJSON_AddBoolToObject(v, "cloudwatch_metrics_enabled", true);
    cJSON_AddStringToObject(v, "metric_name", metric);
    cJSON_AddBoolToObject(v, "sampled_requests_enabled", true);
}

static void managed_rules(cJSON *acl, bool count_only)
{
    for (size_t i = 0; i < sizeof rule_groups / sizeof *rule_groups; i++) {
        cJSON *rule = block(acl, "rule");
        cJSON_AddStringToObject(rule, "name", rule_groups[i]);
        cJSON_AddNumberToObject(rule, "priority", (double)(i + 1) * 10);
        /* "none" keeps the group's own actions; "count" only observes. */
        block(block(rule, "override_action"), count_only ? "count" : "none");
        cJSON *group = block(block(rule, "statement"), "managed_rule_group_statement");
        cJSON_AddStringToObject(group, "name", rule_groups[i]);
        cJSON_AddStringToObject(group, "vendor_name", "AWS");
        visibility(rule, rule_groups[i]);
    }
}

static void rate_limit(cJSON *acl, long limit, bool count_only)
{
    cJSON *rule = block(acl, "rule");
    cJSON_AddStringToObject(rule, "name", "RatePerIp");
    cJSON_AddNumberToObject(rule, "priority", 100);
    block(block(rule, "action"), count_only ? "count" : "block");
    cJSON *rate = block(block(rule, "statement"), "rate_based_statement");
    cJSON_AddNumberToObject(rate, "limit", (double)limit);
    cJSON_AddStringToObject(rate, "aggregate_key_type", "IP");
    visibility(rule, "RatePerIp");
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const char *mode = pg_ctx_string(ctx, "waf.mode");
    if (strcmp(mode, "block") && strcmp(mode, "count")) {
        pg_error(out, "waf.mode is '%s': expected 'block' or 'count'", mode);
        return -1;
    }
    if (pg_ctx_bool(ctx, "alb.waf")) {
        pg_error(out, "the alb plugin already attaches a web ACL (alb.waf is true) and a load "
                      "balancer takes only one: set alb.waf: false to use the waf plugin");
        return -1;
    }
    bool count_only = !strcmp(mode, "count");
    long limit = pg_ctx_int(ctx, "waf.rate_limit");

    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *alb_arn = pg_lookup_string(ctx, r, "alb.arn");
        if (!alb_arn) {
            pg_error(out, "no load balancer published for %s (alb.arn)", r->name);
            return -1;
        }
        /* The web ACL name is unique per region and scope: no region code. */
        const char *name = pg_name(out, NULL, "waf-edge", 128);
        cJSON *acl = pg_resource(out, r, "aws_wafv2_web_acl", "edge");
        cJSON_AddStringToObject(acl, "name", name);
        cJSON_AddStringToObject(acl, "description", "managed rules and a per-IP rate limit");
        cJSON_AddStringToObject(acl, "scope", "REGIONAL");
        block(block(acl, "default_action"), "allow");
        managed_rules(acl, count_only);
        rate_limit(acl, limit, count_only);
        visibility(acl, name);
        pg_tag_name(acl, pg_name(out, r, "waf-edge", 256));
        pg_protect(ctx, acl);

        cJSON *assoc = pg_resource(out, r, "aws_wafv2_web_acl_association", "edge");
        cJSON_AddStringToObject(assoc, "resource_arn", alb_arn);
        cJSON_AddStringToObject(assoc, "web_acl_arn", pg_ref(out, acl, "arn"));

        pg_publish_string(out, r, "waf.web_acl_arn", pg_ref(out, acl, "arn"));
    }
    return 0;
}

static const char *const provides[] = {"waf", NULL};
static const char *const needs[] = {"alb", NULL};
static const pg_setting settings[] = {
    {"waf.mode", PG_SETTING_STRING, "block", 0, 0,
     "block: rules act; count: rules only count matches (a first rollout)"},
    {"waf.rate_limit", PG_SETTING_INT, "2000", 100, 2000000000,
     "requests per 5 minutes from one IP address before it is blocked"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("waf", "0.1.0",
                 "example: WAF web ACL with AWS managed rules on every load balancer",
                 provides, needs, settings, contribute)
