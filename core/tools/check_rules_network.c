/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules_network.c - the guardrails of the network: load balancer
 * listeners (TLS policy, HTTP only redirecting), ALB settings (invalid
 * headers, access logs, WAF), security group ingress, default security
 * groups, VPC flow logs and transit gateway attachments. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_rules.h"

/* ----- load balancers */

static const char *listener_protocol(const cJSON *l)
{
    const char *p = pg_c_str(l, "protocol");
    if (p)
        return p;
    return pg_c_num(l, "port", 0) == 443 ? "HTTPS" : "HTTP";
}

void pg_rule_elb_tls_policy(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb_listener", "aws_alb_listener"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], l)
        {
            const char *proto = listener_protocol(l);
            if (strcmp(proto, "HTTPS") && strcmp(proto, "TLS"))
                continue;
            const char *policy = pg_c_str(l, "ssl_policy");
            if (!policy || !(pg_str_starts_with(policy, "ELBSecurityPolicy-TLS13-1-2-") ||
                             pg_str_starts_with(policy, "ELBSecurityPolicy-TLS13-1-3-") ||
                             pg_str_starts_with(policy, "ELBSecurityPolicy-TLS-1-2-")))
                VIOLATION(c, types[i], l, "ssl_policy %s does not enforce TLS 1.2 or later", policy ? policy : "not set (the default allows TLS 1.0)");
        }
}

static bool action_redirects_https(const cJSON *action)
{
    const char *type = pg_c_str(action, "type");
    const char *proto = pg_c_str(action, "redirect.protocol");
    return type && !strcmp(type, "redirect") && proto && !strcmp(proto, "HTTPS");
}

void pg_rule_elb_http_redirect(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb_listener", "aws_alb_listener"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], l)
        {
            if (strcmp(listener_protocol(l), "HTTP"))
                continue;
            const cJSON *acts = pg_c_path(l, "default_action");
            const cJSON *one = cJSON_IsObject(acts) ? acts : NULL;
            bool ok = acts != NULL;
            for (const cJSON *a = one ? one : cJSON_IsArray(acts) ? acts->child : NULL; a; a = one ? NULL : a->next)
                ok &= action_redirects_https(a);
            if (!ok)
                VIOLATION(c, types[i], l, "HTTP listener does not only redirect to HTTPS");
            PG_FOR_RES(c, "aws_lb_listener_rule", r)
            {
                if (pg_c_mentions(pg_c_path(r, "listener_arn"), types[i], l->string) &&
                    !action_redirects_https(pg_c_path(r, "action")))
                    VIOLATION(c, "aws_lb_listener_rule", r, "rule on an HTTP listener does not redirect to HTTPS");
            }
        }
}

static bool is_alb(const cJSON *lb)
{
    const char *t = pg_c_str(lb, "load_balancer_type");
    return !t || !strcmp(t, "application");
}

void pg_rule_elb_drop_invalid_headers(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb", "aws_alb"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], lb)
        {
            if (is_alb(lb) && !pg_c_true(lb, "drop_invalid_header_fields"))
                VIOLATION(c, types[i], lb, "drop_invalid_header_fields is not true");
        }
}

void pg_rule_elb_access_logs(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb", "aws_alb"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], lb)
        {
            if (!pg_c_true(lb, "access_logs.enabled") || !pg_c_str(lb, "access_logs.bucket"))
                VIOLATION(c, types[i], lb, "access_logs are not enabled with a bucket");
        }
}

/* An internet-facing ALB answers card-holder traffic: a web application
 * firewall must stand in front of it (associated by reference). */
void pg_rule_elb_waf(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb", "aws_alb"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], lb)
        {
            if (pg_c_true(lb, "internal"))
                continue;
            const char *lbtype = pg_c_str(lb, "load_balancer_type");
            if (lbtype && strcmp(lbtype, "application"))
                continue;
            if (!pg_c_referrer(c, "aws_wafv2_web_acl_association", "resource_arn", types[i], lb->string))
                VIOLATION(c, types[i], lb, "no aws_wafv2_web_acl_association protects this internet-facing load balancer");
        }
}

/* A web ACL's decisions are audit evidence: what it blocked, and what it
 * let through, is logged (referenced by a logging configuration). */
void pg_rule_waf_logging(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_wafv2_web_acl", acl)
    {
        if (!pg_c_referrer(c, "aws_wafv2_web_acl_logging_configuration", "resource_arn", "aws_wafv2_web_acl",
                           acl->string))
            VIOLATION(c, "aws_wafv2_web_acl", acl, "no aws_wafv2_web_acl_logging_configuration logs this web ACL");
    }
}

/* ----- VPC and security groups */

static bool is_lb_group(pg_check_ctx *c, const cJSON *sg_ref)
{
    static const char *const types[] = {"aws_lb", "aws_alb"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], lb)
        {
            PG_FOR_RES(c, "aws_security_group", sg)
            {
                if (pg_c_mentions(sg_ref, "aws_security_group", sg->string) &&
                    pg_c_mentions(pg_c_path(lb, "security_groups"), "aws_security_group", sg->string))
                    return true;
            }
        }
    return false;
}

static bool web_port(const cJSON *rule, const char *from, const char *to)
{
    double f = pg_c_num(rule, from, -1), t = pg_c_num(rule, to, -2);
    return f == t && (f == 443 || f == 80);
}

void pg_rule_open_ingress(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_vpc_security_group_ingress_rule", r)
    {
        const char *v4 = pg_c_str(r, "cidr_ipv4"), *v6 = pg_c_str(r, "cidr_ipv6");
        bool open = (v4 && !strcmp(v4, "0.0.0.0/0")) || (v6 && !strcmp(v6, "::/0"));
        if (open && !(web_port(r, "from_port", "to_port") && is_lb_group(c, pg_c_path(r, "security_group_id"))))
            VIOLATION(c, "aws_vpc_security_group_ingress_rule", r,
                      "ingress from %s other than 443/80 on the load balancer's group", v4 ? v4 : v6);
    }
    PG_FOR_RES(c, "aws_security_group_rule", r)
    {
        const char *type = pg_c_str(r, "type");
        bool open = pg_c_list_has(pg_c_path(r, "cidr_blocks"), "0.0.0.0/0") ||
                    pg_c_list_has(pg_c_path(r, "ipv6_cidr_blocks"), "::/0");
        if (type && !strcmp(type, "ingress") && open &&
            !(web_port(r, "from_port", "to_port") && is_lb_group(c, pg_c_path(r, "security_group_id"))))
            VIOLATION(c, "aws_security_group_rule", r, "ingress from anywhere other than 443/80 on the load balancer's group");
    }
    PG_FOR_RES(c, "aws_security_group", sg)
    {
        const cJSON *ing = pg_c_path(sg, "ingress"), *i;
        const cJSON *list = cJSON_IsArray(ing) ? ing : NULL;
        char *self_ref = pg_xasprintf("${aws_security_group.%s.id}", sg->string);
        cJSON *ref = cJSON_CreateString(self_ref);
        cJSON_ArrayForEach(i, list)
        {
            bool open = pg_c_list_has(pg_c_path(i, "cidr_blocks"), "0.0.0.0/0") ||
                        pg_c_list_has(pg_c_path(i, "ipv6_cidr_blocks"), "::/0");
            if (open && !(web_port(i, "from_port", "to_port") && is_lb_group(c, ref)))
                VIOLATION(c, "aws_security_group", sg, "inline ingress from anywhere other than 443/80 on the load balancer's group");
        }
        cJSON_Delete(ref);
        free(self_ref);
    }
}

static bool empty_rules(const cJSON *v)
{
    return !v || cJSON_IsNull(v) || (cJSON_IsArray(v) && !v->child);
}

void pg_rule_default_sg(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_vpc", v)
    {
        const cJSON *d = pg_c_referrer(c, "aws_default_security_group", "vpc_id", "aws_vpc", v->string);
        if (!d)
            VIOLATION(c, "aws_vpc", v, "no aws_default_security_group takes the default group's rules away");
        else if (!empty_rules(pg_c_path(d, "ingress")) || !empty_rules(pg_c_path(d, "egress")))
            VIOLATION(c, "aws_default_security_group", d, "the default security group has rules");
    }
}

void pg_rule_flow_logs(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_vpc", v)
    {
        const cJSON *f = pg_c_referrer(c, "aws_flow_log", "vpc_id", "aws_vpc", v->string);
        const char *traffic = pg_c_str(f, "traffic_type");
        if (!f)
            VIOLATION(c, "aws_vpc", v, "no aws_flow_log for this VPC");
        else if (!traffic || strcmp(traffic, "ALL"))
            VIOLATION(c, "aws_flow_log", f, "traffic_type is %s, not ALL", traffic ? traffic : "not set");
    }
}

void pg_rule_tgw_auto_accept(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ec2_transit_gateway", t)
    {
        const char *v = pg_c_str(t, "auto_accept_shared_attachments");
        if (v && strcmp(v, "disable"))
            VIOLATION(c, "aws_ec2_transit_gateway", t, "auto_accept_shared_attachments is %s, not disable", v);
    }
}
