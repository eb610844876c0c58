/* alb_waf.c - a regional web ACL in front of every load balancer (PCI DSS
 * 6.4.2: an automated solution that detects and prevents web attacks). It
 * allows by default and blocks what the AWS managed rule groups match. */
#include "alb.h"

static const char *const rule_groups[] = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
};

static void visibility(cJSON *parent, const char *metric)
{
    cJSON *v = alb_block(parent, "visibility_config");
    cJSON_AddBoolToObject(v, "cloudwatch_metrics_enabled", true);
    cJSON_AddStringToObject(v, "metric_name", metric);
    cJSON_AddBoolToObject(v, "sampled_requests_enabled", true);
}

void alb_waf(alb_site *s)
{
    pg_out *out = s->out;
    const char *name = pg_name(out, NULL, "waf", 128);
    cJSON *acl = pg_resource(out, s->r, "aws_wafv2_web_acl", "alb");
    cJSON_AddStringToObject(acl, "name", name);
    cJSON_AddStringToObject(acl, "description", "AWS managed protections of the payment API");
    cJSON_AddStringToObject(acl, "scope", "REGIONAL");
    alb_block(alb_block(acl, "default_action"), "allow");
    for (size_t i = 0; i < sizeof rule_groups / sizeof *rule_groups; i++) {
        cJSON *rule = alb_block(acl, "rule");
        cJSON_AddStringToObject(rule, "name", rule_groups[i]);
        cJSON_AddNumberToObject(rule, "priority", (double)(i + 1) * 10);
        /* "none": keep the group's own block actions (not count-only). */
        alb_block(alb_block(rule, "override_action"), "none");
        cJSON *group = alb_block(alb_block(rule, "statement"), "managed_rule_group_statement");
        cJSON_AddStringToObject(group, "name", rule_groups[i]);
        cJSON_AddStringToObject(group, "vendor_name", "AWS");
        visibility(rule, rule_groups[i]);
    }
    visibility(acl, name);
    pg_tag_name(acl, pg_name(out, s->r, "waf", 256));

    cJSON *assoc = pg_resource(out, s->r, "aws_wafv2_web_acl_association", "alb");
    cJSON_AddStringToObject(assoc, "resource_arn", pg_ref(out, s->lb, "arn"));
    cJSON_AddStringToObject(assoc, "web_acl_arn", pg_ref(out, acl, "arn"));
}
