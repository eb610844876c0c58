/* SPDX-License-Identifier: Apache-2.0 */
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

/* Metrics and sampled requests of the ACL and of each rule. */
#define VISIBILITY(metric)                                   \
    PG_BLOCK("visibility_config",                            \
             PG_BOOL("cloudwatch_metrics_enabled", true),    \
             PG_STR("metric_name", (metric)),                \
             PG_BOOL("sampled_requests_enabled", true))

void alb_waf(alb_site *s)
{
    pg_out *out = s->out;
    const char *name = pg_name(out, NULL, "waf", 128);
    cJSON *acl = pg_resource(out, s->r, "aws_wafv2_web_acl", "alb",
                             PG_STR("name", name),
                             PG_STR("description", "AWS managed protections of the payment API"),
                             PG_STR("scope", "REGIONAL"),
                             PG_BLOCK("default_action", PG_BLOCK("allow")),
                             VISIBILITY(name),
                             PG_NAME("waf"));
    for (size_t i = 0; i < sizeof rule_groups / sizeof *rule_groups; i++)
        pg_block(out, acl, "rule",
                 PG_STR("name", rule_groups[i]),
                 PG_INT("priority", (i + 1) * 10),
                 /* "none": keep the group's own block actions (not count-only). */
                 PG_BLOCK("override_action", PG_BLOCK("none")),
                 PG_BLOCK("statement",
                          PG_BLOCK("managed_rule_group_statement",
                                   PG_STR("name", rule_groups[i]),
                                   PG_STR("vendor_name", "AWS"))),
                 VISIBILITY(rule_groups[i]));

    pg_resource(out, s->r, "aws_wafv2_web_acl_association", "alb",
                PG_REF("resource_arn", s->lb, "arn"),
                PG_REF("web_acl_arn", acl, "arn"));
    /* A load balancer takes one web ACL: a plugin that brings its own reads
     * this to refuse a second one. */
    pg_publish_string(out, s->r, "alb.web_acl_arn", pg_ref(out, acl, "arn"));
}
