/* SPDX-License-Identifier: Apache-2.0 */
/* alb_waf.c - a regional web ACL in front of every load balancer (PCI DSS
 * 6.4.2: an automated solution that detects and prevents web attacks). It
 * allows by default, blocks a client address that sends more than
 * alb.waf_rate_limit requests in five minutes, and blocks what the AWS
 * managed rule groups match. Every request it inspects is logged (PCI DSS
 * 10.2) to a CloudWatch Logs group under the logs key, kept
 * alb.waf_log_retention_days, with the Authorization and Cookie headers
 * redacted. WAF requires the group's name to start with "aws-waf-logs-"
 * ("Logging web ACL traffic", WAF Developer Guide); the group's resource
 * policy is the stack's own, because the one WAF writes by itself is shared
 * by every web ACL of the account and region and fails at its 5,120
 * characters (hashicorp/terraform-provider-aws#25296). */
#include "alb.h"

#include <stdlib.h>

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

/* The ACL's log: the group, the permission for log delivery to write it,
 * and the logging configuration. */
static int waf_logging(alb_site *s, const cJSON *acl)
{
    pg_out *out = s->out;
    const pg_region *r = s->r;
    const char *key = pg_need(s->ctx, r, "kms.logs.arn");
    const char *account = pg_need(s->ctx, NULL, "aws.account_id");
    const char *partition = pg_need(s->ctx, NULL, "aws.partition");
    if (!key || !account || !partition)
        return -1;
    cJSON *group = pg_resource(out, r, "aws_cloudwatch_log_group", "waf",
                               PG_STR("name", pg_printf(out, "aws-waf-logs-%s",
                                                        pg_name(out, r, "waf", 499))),
                               PG_STR("kms_key_id", key),
                               PG_INT("retention_in_days",
                                      strtol(s->cfg->waf_log_retention_days, NULL, 10)),
                               PG_NAME("waf-logs"),
                               PG_PROTECT);
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "waf_logs",
                         PG_BLOCK("statement",
                                  PG_STR("sid", "DeliverWafLogs"),
                                  PG_STR("effect", "Allow"),
                                  PG_PRINCIPALS("Service", "delivery.logs.amazonaws.com"),
                                  PG_STRS("actions", "logs:CreateLogStream", "logs:PutLogEvents"),
                                  PG_STRS("resources", pg_printf(out, "%s:*", pg_ref(out, group, "arn"))),
                                  PG_CONDITION("StringEquals", "aws:SourceAccount", account),
                                  PG_CONDITION("ArnLike", "aws:SourceArn",
                                               pg_printf(out, "arn:%s:logs:%s:%s:*", partition,
                                                         r->name, account))));
    cJSON *policy = pg_resource(out, r, "aws_cloudwatch_log_resource_policy", "waf_logs",
                                PG_STR("policy_name", pg_name(out, r, "waf-logs", 255)),
                                PG_REF("policy_document", doc, "json"));
    pg_resource(out, r, "aws_wafv2_web_acl_logging_configuration", "alb",
                PG_STRS("log_destination_configs", pg_ref(out, group, "arn")),
                PG_REF("resource_arn", acl, "arn"),
                /* bearer tokens and session cookies stay out of the log */
                PG_BLOCK("redacted_fields", PG_BLOCK("single_header", PG_STR("name", "authorization"))),
                PG_BLOCK("redacted_fields", PG_BLOCK("single_header", PG_STR("name", "cookie"))),
                PG_DEPENDS_ON(policy));
    return 0;
}

int alb_waf(alb_site *s)
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
    /* First: a flood is cut off before the managed groups inspect it. */
    pg_block(out, acl, "rule",
             PG_STR("name", "RateLimitPerClient"),
             PG_INT("priority", 1),
             PG_BLOCK("action", PG_BLOCK("block")),
             PG_BLOCK("statement",
                      PG_BLOCK("rate_based_statement",
                               PG_INT("limit", s->cfg->waf_rate_limit),
                               PG_STR("aggregate_key_type", "IP"),
                               PG_INT("evaluation_window_sec", 300))),
             VISIBILITY("RateLimitPerClient"));
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
    return waf_logging(s, acl);
}
