/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules.c - the PCI DSS guardrails: one table, one function per rule.
 * Each function looks at the resources of its types in one stack and calls
 * pg_violation for each thing that does not hold. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taggable.h"

static char *addr(const char *type, const char *label)
{
    return pg_xasprintf("%s.%s", type, label);
}

#define VIOLATION(c, type, node, ...)                                                              \
    do {                                                                                           \
        char *a_ = addr(type, (node)->string);                                                     \
        pg_violation(c, a_, __VA_ARGS__);                                                          \
        free(a_);                                                                                  \
    } while (0)

/* ----- S3 */

static bool is_elb_log_bucket(pg_check_ctx *c, const cJSON *bucket)
{
    const char *purpose = pg_c_str(bucket, "tags.Purpose");
    if (purpose && (!strcmp(purpose, "elb-access-logs") || !strcmp(purpose, "alb-access-logs")))
        return true;
    return pg_c_referrer(c, "aws_lb", "access_logs.bucket", "aws_s3_bucket", bucket->string) ||
           pg_c_referrer(c, "aws_alb", "access_logs.bucket", "aws_s3_bucket", bucket->string);
}

static void s3_public_access(pg_check_ctx *c)
{
    static const char *const flags[] = {"block_public_acls", "block_public_policy", "ignore_public_acls",
                                        "restrict_public_buckets"};
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *pab =
            pg_c_referrer(c, "aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket", b->string);
        if (!pab) {
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_public_access_block for this bucket");
            continue;
        }
        for (size_t i = 0; i < 4; i++)
            if (!pg_c_true(pab, flags[i]))
                VIOLATION(c, "aws_s3_bucket_public_access_block", pab, "%s is not true", flags[i]);
    }
}

static void s3_encryption(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *sse = pg_c_referrer(c, "aws_s3_bucket_server_side_encryption_configuration", "bucket",
                                         "aws_s3_bucket", b->string);
        if (!sse) {
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_server_side_encryption_configuration");
            continue;
        }
        const cJSON *dflt = pg_c_path(sse, "rule.apply_server_side_encryption_by_default");
        const char *algo = pg_c_str(dflt, "sse_algorithm");
        const char *t = "aws_s3_bucket_server_side_encryption_configuration";
        if (algo && !strcmp(algo, "AES256") && is_elb_log_bucket(c, b))
            continue; /* ELB access logs can only be written with SSE-S3 */
        if (!algo || strncmp(algo, "aws:kms", 7))
            VIOLATION(c, t, sse, "sse_algorithm is %s, not aws:kms", algo ? algo : "not set");
        else if (!pg_c_is_cmk(pg_c_path(dflt, "kms_master_key_id")))
            VIOLATION(c, t, sse, "kms_master_key_id does not name a customer managed key");
    }
}

static void tls_statement(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)c;
    (void)address;
    *(bool *)user |= st->denies_insecure_transport;
}

static void s3_tls_only(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        const cJSON *pol = pg_c_referrer(c, "aws_s3_bucket_policy", "bucket", "aws_s3_bucket", b->string);
        if (!pol) {
            VIOLATION(c, "aws_s3_bucket", b, "no bucket policy (one denying aws:SecureTransport=false)");
            continue;
        }
        bool denies = false;
        char *a = addr("aws_s3_bucket_policy", pol->string);
        int rc = pg_c_statements(c, pg_c_path(pol, "policy"), a, tls_statement, &denies);
        if (rc != 0)
            pg_violation(c, a, "policy cannot be inspected (not a policy document reference or literal JSON)");
        else if (!denies)
            pg_violation(c, a, "no statement denies requests with aws:SecureTransport=false");
        free(a);
    }
}

static void s3_versioning(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_s3_bucket", b)
    {
        if (pg_c_true(b, "versioning.enabled"))
            continue;
        const cJSON *v = pg_c_referrer(c, "aws_s3_bucket_versioning", "bucket", "aws_s3_bucket", b->string);
        const char *status = pg_c_str(v, "versioning_configuration.status");
        if (!v)
            VIOLATION(c, "aws_s3_bucket", b, "no aws_s3_bucket_versioning for this bucket");
        else if (!status || strcmp(status, "Enabled"))
            VIOLATION(c, "aws_s3_bucket_versioning", v, "versioning status is %s, not Enabled",
                      status ? status : "not set");
    }
}

/* ----- RDS */

static void rds_encryption(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        if (!pg_c_true(r, "storage_encrypted"))
            VIOLATION(c, "aws_rds_cluster", r, "storage_encrypted is not true");
        else if (!pg_c_is_cmk(pg_c_path(r, "kms_key_id")))
            VIOLATION(c, "aws_rds_cluster", r, "kms_key_id does not name a customer managed key");
    }
    PG_FOR_RES(c, "aws_rds_global_cluster", g)
    {
        if (!pg_c_true(g, "storage_encrypted") && !pg_c_path(g, "source_db_cluster_identifier"))
            VIOLATION(c, "aws_rds_global_cluster", g, "storage_encrypted is not true");
    }
}

static bool forces_ssl(const cJSON *group)
{
    const cJSON *params = pg_c_path(group, "parameter");
    const cJSON *one = cJSON_IsObject(params) ? params : NULL;
    for (const cJSON *p = one ? one : cJSON_IsArray(params) ? params->child : NULL; p; p = one ? NULL : p->next) {
        const char *name = pg_c_str(p, "name");
        if (name && !strcmp(name, "rds.force_ssl") && pg_c_num(p, "value", 0) == 1)
            return true;
    }
    return false;
}

static void rds_force_ssl(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        const cJSON *ref = pg_c_path(r, "db_cluster_parameter_group_name");
        const cJSON *group = NULL;
        PG_FOR_RES(c, "aws_rds_cluster_parameter_group", g)
        {
            if (pg_c_mentions(ref, "aws_rds_cluster_parameter_group", g->string))
                group = g;
        }
        if (!group)
            VIOLATION(c, "aws_rds_cluster", r, "no cluster parameter group of this stack is used (default groups do not force SSL)");
        else if (!forces_ssl(group))
            VIOLATION(c, "aws_rds_cluster_parameter_group", group, "rds.force_ssl is not 1");
    }
}

static void rds_deletion_protection(pg_check_ctx *c)
{
    if (c->protection == 0)
        return; /* the profile turned protection off (a throw-away environment) */
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        if (!pg_c_true(r, "deletion_protection"))
            VIOLATION(c, "aws_rds_cluster", r, "deletion_protection is not true while protection is on");
    }
    PG_FOR_RES(c, "aws_rds_global_cluster", g)
    {
        if (!pg_c_true(g, "deletion_protection"))
            VIOLATION(c, "aws_rds_global_cluster", g, "deletion_protection is not true while protection is on");
    }
}

static void rds_backup(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_rds_cluster", r)
    {
        double days = pg_c_num(r, "backup_retention_period", 1);
        if (days < 7)
            VIOLATION(c, "aws_rds_cluster", r, "backup_retention_period is %g days, less than 7", days);
    }
}

static void rds_not_public(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_rds_cluster_instance", "aws_db_instance"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], r)
        {
            if (pg_c_true(r, "publicly_accessible"))
                VIOLATION(c, types[i], r, "publicly_accessible is true");
        }
}

/* ----- KMS */

static void kms_rotation(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_kms_key", k)
    {
        const char *spec = pg_c_str(k, "customer_master_key_spec");
        if (spec && strcmp(spec, "SYMMETRIC_DEFAULT"))
            continue; /* asymmetric and HMAC keys cannot rotate automatically */
        if (!pg_c_true(k, "enable_key_rotation"))
            VIOLATION(c, "aws_kms_key", k, "enable_key_rotation is not true");
    }
}

static void star_principal(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (!st->deny && st->star_principal)
        pg_violation(c, address, "statement %zu allows principal \"*\"", st->index + 1);
}

static void kms_policy(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_kms_key", k)
    {
        const cJSON *policy = pg_c_path(k, "policy");
        const cJSON *kp = pg_c_referrer(c, "aws_kms_key_policy", "key_id", "aws_kms_key", k->string);
        if (!policy && kp)
            policy = pg_c_path(kp, "policy");
        char *a = addr("aws_kms_key", k->string);
        if (!policy)
            pg_violation(c, a, "no key policy (the default policy gives the whole account access)");
        else
            pg_c_statements(c, policy, a, star_principal, NULL);
        free(a);
    }
}

/* ----- IAM */

static bool is_read_action(const char *action)
{
    static const char *const verbs[] = {"Get", "List", "Describe", "BatchGet", "Head", "Search", "Filter",
                                        "Query", "Scan", "Lookup", "View", "Select", NULL};
    const char *colon = strchr(action, ':');
    if (!colon)
        return false;
    for (size_t i = 0; verbs[i]; i++)
        if (pg_str_starts_with(colon + 1, verbs[i]))
            return true;
    return false;
}

/* Actions AWS does not scope to resources: "*" is the only possible resource. */
static bool resourceless_action(const char *action)
{
    static const char *const list[] = {"cloudwatch:PutMetricData", "xray:PutTraceSegments",
                                       "xray:PutTelemetryRecords", "ec2:CreateNetworkInterface",
                                       "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                       "ec2:UnassignPrivateIpAddresses", "logs:CreateLogDelivery",
                                       "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                                       "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", NULL};
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], action))
            return true;
    return false;
}

static void wildcard_action(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (st->deny || st->has_principal)
        return;
    const cJSON *list = st->actions;
    const cJSON *one = cJSON_IsString(list) ? list : NULL;
    for (const cJSON *a = one ? one : cJSON_IsArray(list) ? list->child : NULL; a; a = one ? NULL : a->next) {
        if (!cJSON_IsString(a))
            continue;
        const char *s = a->valuestring, *colon = strchr(s, ':');
        if (!strcmp(s, "*") || (colon && !strcmp(colon + 1, "*")))
            pg_violation(c, address, "statement %zu allows action \"%s\"", st->index + 1, s);
    }
}

static void wildcard_resource(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user)
{
    (void)user;
    if (st->deny || st->has_principal || st->has_condition || !pg_c_list_has(st->resources, "*"))
        return;
    const cJSON *list = st->actions;
    const cJSON *one = cJSON_IsString(list) ? list : NULL;
    for (const cJSON *a = one ? one : cJSON_IsArray(list) ? list->child : NULL; a; a = one ? NULL : a->next) {
        if (cJSON_IsString(a) && !is_read_action(a->valuestring) && !resourceless_action(a->valuestring)) {
            pg_violation(c, address, "statement %zu allows write action \"%s\" on resource \"*\" without a condition",
                         st->index + 1, a->valuestring);
            return;
        }
    }
}

/* Identity policies: every policy document data source, and literal JSON in
 * aws_iam_policy / aws_iam_role_policy (references are covered by the first). */
static void iam_policies(pg_check_ctx *c, pg_stmt_fn fn)
{
    const cJSON *docs = pg_c_type(c, true, "aws_iam_policy_document");
    for (const cJSON *d = docs ? docs->child : NULL; d; d = d->next) {
        char *a = pg_xasprintf("data.aws_iam_policy_document.%s", d->string);
        pg_c_doc_statements(c, d, a, fn, NULL);
        free(a);
    }
    static const char *const types[] = {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                                        "aws_iam_group_policy"};
    for (size_t i = 0; i < 4; i++)
        PG_FOR_RES(c, types[i], r)
        {
            const cJSON *p = pg_c_path(r, "policy");
            if (cJSON_IsString(p) && !pg_str_starts_with(p->valuestring, "${")) {
                char *a = addr(types[i], r->string);
                pg_c_statements(c, p, a, fn, NULL);
                free(a);
            }
        }
}

static void iam_wildcard_action(pg_check_ctx *c) { iam_policies(c, wildcard_action); }
static void iam_wildcard_resource(pg_check_ctx *c) { iam_policies(c, wildcard_resource); }

/* ----- load balancers */

static const char *listener_protocol(const cJSON *l)
{
    const char *p = pg_c_str(l, "protocol");
    if (p)
        return p;
    return pg_c_num(l, "port", 0) == 443 ? "HTTPS" : "HTTP";
}

static void elb_tls_policy(pg_check_ctx *c)
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

static void elb_http_redirect(pg_check_ctx *c)
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

static void elb_drop_invalid_headers(pg_check_ctx *c)
{
    static const char *const types[] = {"aws_lb", "aws_alb"};
    for (size_t i = 0; i < 2; i++)
        PG_FOR_RES(c, types[i], lb)
        {
            if (is_alb(lb) && !pg_c_true(lb, "drop_invalid_header_fields"))
                VIOLATION(c, types[i], lb, "drop_invalid_header_fields is not true");
        }
}

static void elb_access_logs(pg_check_ctx *c)
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
static void elb_waf(pg_check_ctx *c)
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

/* ----- audit trail */

static void cloudtrail_settings(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudtrail", t)
    {
        if (!pg_c_true(t, "is_multi_region_trail"))
            VIOLATION(c, "aws_cloudtrail", t, "is_multi_region_trail is not true");
        if (!pg_c_true(t, "enable_log_file_validation"))
            VIOLATION(c, "aws_cloudtrail", t, "enable_log_file_validation is not true");
        if (!pg_c_is_cmk(pg_c_path(t, "kms_key_id")))
            VIOLATION(c, "aws_cloudtrail", t, "kms_key_id does not name a customer managed key");
        if (!pg_c_str(t, "cloud_watch_logs_group_arn"))
            VIOLATION(c, "aws_cloudtrail", t, "no cloud_watch_logs_group_arn: events reach no alarm");
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

static void open_ingress(pg_check_ctx *c)
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

static void default_sg(pg_check_ctx *c)
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

static void flow_logs(pg_check_ctx *c)
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

static void tgw_auto_accept(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ec2_transit_gateway", t)
    {
        const char *v = pg_c_str(t, "auto_accept_shared_attachments");
        if (v && strcmp(v, "disable"))
            VIOLATION(c, "aws_ec2_transit_gateway", t, "auto_accept_shared_attachments is %s, not disable", v);
    }
}

/* ----- logs */

static void log_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudwatch_log_group", g)
    {
        if (!pg_c_is_cmk(pg_c_path(g, "kms_key_id")))
            VIOLATION(c, "aws_cloudwatch_log_group", g, "kms_key_id does not name a customer managed key");
    }
}

static void log_retention(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_cloudwatch_log_group", g)
    {
        double days = pg_c_num(g, "retention_in_days", 0);
        if (pg_c_path(g, "retention_in_days") && pg_c_num(g, "retention_in_days", -1) < 0)
            VIOLATION(c, "aws_cloudwatch_log_group", g, "retention_in_days is not a literal number");
        else if (days != 0 && days < 365)
            VIOLATION(c, "aws_cloudwatch_log_group", g, "retention_in_days is %g, less than 365", days);
    }
}

/* ----- ECS */

typedef void (*container_fn)(pg_check_ctx *c, const char *address, const char *name, const cJSON *def);

static void each_container(pg_check_ctx *c, container_fn fn, bool report_opaque)
{
    PG_FOR_RES(c, "aws_ecs_task_definition", t)
    {
        char *a = addr("aws_ecs_task_definition", t->string);
        const char *text = pg_c_str(t, "container_definitions");
        cJSON *defs = text ? cJSON_Parse(text) : NULL;
        if (!cJSON_IsArray(defs)) {
            if (report_opaque)
                pg_violation(c, a, "container_definitions is not literal JSON; cannot verify the containers");
        } else {
            const cJSON *d;
            cJSON_ArrayForEach(d, defs)
            {
                const char *name = pg_c_str(d, "name");
                fn(c, a, name ? name : "?", d);
            }
        }
        cJSON_Delete(defs);
        free(a);
    }
}

static void privileged(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (pg_c_true(d, "privileged"))
        pg_violation(c, a, "container %s is privileged", name);
}

static void readonly_root(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (!pg_c_true(d, "readonlyRootFilesystem"))
        pg_violation(c, a, "container %s: readonlyRootFilesystem is not true", name);
}

static bool secret_like(const char *name)
{
    static const char *const words[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY",
                                        "CREDENTIAL", NULL};
    char up[128];
    size_t i = 0;
    for (; i < sizeof up - 1 && name[i]; i++)
        up[i] = (char)((name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32 : name[i]);
    up[i] = '\0';
    for (i = 0; words[i]; i++)
        if (strstr(up, words[i]))
            return true;
    return false;
}

static void secrets(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, pg_c_path(d, "environment"))
    {
        const char *var = pg_c_str(e, "name"), *value = pg_c_str(e, "value");
        if (var && value && *value && secret_like(var))
            pg_violation(c, a, "container %s passes %s as a plain environment value (use secrets[].valueFrom)",
                         name, var);
    }
    cJSON_ArrayForEach(e, pg_c_path(d, "secrets"))
    {
        if (!pg_c_str(e, "valueFrom"))
            pg_violation(c, a, "container %s has a secret without valueFrom", name);
    }
}

static void log_configuration(pg_check_ctx *c, const char *a, const char *name, const cJSON *d)
{
    if (!pg_c_str(d, "logConfiguration.logDriver"))
        pg_violation(c, a, "container %s has no logConfiguration", name);
}

static void ecs_privileged(pg_check_ctx *c) { each_container(c, privileged, true); }
static void ecs_readonly(pg_check_ctx *c) { each_container(c, readonly_root, false); }
static void ecs_secrets(pg_check_ctx *c) { each_container(c, secrets, false); }
static void ecs_logs(pg_check_ctx *c) { each_container(c, log_configuration, false); }

static void ecs_public_ip(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ecs_service", s)
    {
        if (pg_c_true(s, "network_configuration.assign_public_ip"))
            VIOLATION(c, "aws_ecs_service", s, "assign_public_ip is true");
    }
}

static void ecs_insights(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_ecs_cluster", k)
    {
        const cJSON *settings = pg_c_path(k, "setting");
        const cJSON *one = cJSON_IsObject(settings) ? settings : NULL;
        bool on = false;
        for (const cJSON *s = one ? one : cJSON_IsArray(settings) ? settings->child : NULL; s; s = one ? NULL : s->next) {
            const char *n = pg_c_str(s, "name"), *v = pg_c_str(s, "value");
            on |= n && v && !strcmp(n, "containerInsights") && (!strcmp(v, "enabled") || !strcmp(v, "enhanced"));
        }
        if (!on)
            VIOLATION(c, "aws_ecs_cluster", k, "containerInsights is not enabled");
    }
}

/* ----- messaging, tables, secrets */

static void sns_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_sns_topic", t)
    {
        if (!pg_c_is_cmk(pg_c_path(t, "kms_master_key_id")))
            VIOLATION(c, "aws_sns_topic", t, "kms_master_key_id does not name a customer managed key");
    }
}

static void dynamodb_pitr(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_dynamodb_table", t)
    {
        if (!pg_c_true(t, "point_in_time_recovery.enabled"))
            VIOLATION(c, "aws_dynamodb_table", t, "point_in_time_recovery is not enabled");
    }
}

static void dynamodb_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_dynamodb_table", t)
    {
        if (!pg_c_true(t, "server_side_encryption.enabled") ||
            !pg_c_is_cmk(pg_c_path(t, "server_side_encryption.kms_key_arn")))
            VIOLATION(c, "aws_dynamodb_table", t, "server_side_encryption does not use a customer managed key");
    }
}

static void secret_kms(pg_check_ctx *c)
{
    PG_FOR_RES(c, "aws_secretsmanager_secret", s)
    {
        if (!pg_c_is_cmk(pg_c_path(s, "kms_key_id")))
            VIOLATION(c, "aws_secretsmanager_secret", s, "kms_key_id does not name a customer managed key");
    }
}

/* Argument names that hold credentials: a literal value there is a secret in
 * the file (and in every copy of it). */
static bool secret_argument(const char *name)
{
    static const char *const words[] = {"password", "secret_string", "secret_binary", "private_key",
                                        "access_key", "secret_key", "token", "auth"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(name, words[i]))
            return true;
    return false;
}

static void find_literal_secrets(pg_check_ctx *c, const char *type, const cJSON *block, const cJSON *node)
{
    for (const cJSON *v = node->child; v; v = v->next) {
        if (v->string && !strcmp(v->string, "lifecycle"))
            continue; /* ignore_changes names arguments, it holds no values */
        if (cJSON_IsString(v) && v->string && secret_argument(v->string) && *v->valuestring &&
            !strstr(v->valuestring, "${"))
            VIOLATION(c, type, block, "%s is a literal value: a secret written into the file", v->string);
        else if (cJSON_IsObject(v) || cJSON_IsArray(v))
            find_literal_secrets(c, type, block, v);
    }
}

static void no_literal_secrets(pg_check_ctx *c)
{
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
    for (const cJSON *t = types ? types->child : NULL; t; t = t->next)
        for (const cJSON *b = t->child; b; b = b->next)
            find_literal_secrets(c, t->string, b, b);
}

/* R13: every resource carries the migration tags (provider default_tags)
 * and a Name of its own. */
static void tags_present(pg_check_ctx *c)
{
    static const char *const required[] = {"Project", "Environment", "MigrationPhase", "CutoverTimestamp",
                                           "Suffix", "ManagedBy"};
    const cJSON *providers = pg_c_path(c->doc, "provider");
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(providers, "aws");
    const cJSON *list = cJSON_IsArray(aws) ? aws : NULL;
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        const cJSON *tags = pg_c_path(p, "default_tags.tags");
        const char *alias = pg_c_str(p, "alias");
        char *where = pg_xasprintf("provider.aws%s%s", alias ? "." : "", alias ? alias : "");
        for (size_t i = 0; i < sizeof required / sizeof *required; i++)
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tags, required[i])))
                pg_violation(c, where, "default_tags has no %s tag", required[i]);
        free(where);
    }
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->doc, "resource");
    for (const cJSON *t = types ? types->child : NULL; t; t = t->next) {
        if (!pg_type_is_taggable(t->string))
            continue;
        for (const cJSON *b = t->child; b; b = b->next)
            if (!cJSON_IsString(pg_c_path(b, "tags.Name")))
                VIOLATION(c, t->string, b, "no Name tag");
    }
}

#define IAM_TYPES "data.aws_iam_policy_document aws_iam_policy aws_iam_role_policy aws_iam_user_policy aws_iam_group_policy aws_iam_role"
#define LB_TYPES "aws_lb aws_alb"
#define LISTENER_TYPES "aws_lb_listener aws_alb_listener"
#define SG_TYPES "aws_vpc_security_group_ingress_rule aws_security_group_rule aws_security_group"

static const pg_rule rules[] = {
    {"PCI-S3-001", "S3 bucket blocks all public access", "1.3.1, 1.4.4", "S3.8", PG_SEV_HIGH, "aws_s3_bucket",
     s3_public_access, "each bucket has an aws_s3_bucket_public_access_block with all four settings true"},
    {"PCI-S3-002", "S3 bucket encrypted with a customer managed KMS key", "3.5.1", "S3.17", PG_SEV_HIGH,
     "aws_s3_bucket", s3_encryption,
     "sse_algorithm aws:kms and kms_master_key_id naming a CMK; exception: a bucket that only receives ELB "
     "access logs (tag Purpose=elb-access-logs, or the access_logs bucket of an aws_lb) may use AES256, the "
     "only encryption ELB log delivery supports"},
    {"PCI-S3-003", "S3 bucket policy denies insecure transport", "4.2.1, 1.2.5", "S3.5", PG_SEV_HIGH,
     "aws_s3_bucket", s3_tls_only, "an aws_s3_bucket_policy with a Deny statement on aws:SecureTransport = false"},
    {"PCI-S3-004", "S3 bucket versioning enabled", "10.3.4", "S3.14", PG_SEV_MEDIUM, "aws_s3_bucket",
     s3_versioning, "aws_s3_bucket_versioning with status Enabled"},
    {"PCI-RDS-001", "Aurora storage encrypted with a customer managed KMS key", "3.5.1", "RDS.27", PG_SEV_HIGH,
     "aws_rds_cluster aws_rds_global_cluster", rds_encryption,
     "storage_encrypted true and kms_key_id naming a CMK on each cluster; storage_encrypted on global clusters"},
    {"PCI-RDS-002", "Aurora cluster parameter group forces SSL", "4.2.1", NULL, PG_SEV_HIGH, "aws_rds_cluster",
     rds_force_ssl, "the cluster's aws_rds_cluster_parameter_group sets rds.force_ssl = 1"},
    {"PCI-RDS-003", "Aurora deletion protection", "10.3.3", "RDS.7", PG_SEV_MEDIUM,
     "aws_rds_cluster aws_rds_global_cluster", rds_deletion_protection,
     "deletion_protection true when the profile's protection switch is on (manifest profile.protection)"},
    {"PCI-RDS-004", "Aurora backup retention of at least 7 days", "10.3.3, 10.5.1", NULL, PG_SEV_MEDIUM,
     "aws_rds_cluster", rds_backup, "backup_retention_period >= 7 (the default is 1)"},
    {"PCI-RDS-005", "Database instances not publicly accessible", "1.3.1", "RDS.2", PG_SEV_CRITICAL,
     "aws_rds_cluster_instance aws_db_instance", rds_not_public, "publicly_accessible is not true"},
    {"PCI-KMS-001", "KMS key rotation enabled", "3.7.4", "KMS.4", PG_SEV_MEDIUM, "aws_kms_key", kms_rotation,
     "enable_key_rotation true on every symmetric aws_kms_key"},
    {"PCI-KMS-002", "KMS key policy present, no \"*\" principal", "3.7.5", NULL, PG_SEV_HIGH, "aws_kms_key",
     kms_policy, "a policy (or aws_kms_key_policy) whose Allow statements never name principal \"*\""},
    {"PCI-IAM-001", "No IAM wildcard actions", "7.2.1, 7.2.2", "IAM.1, IAM.21", PG_SEV_HIGH, IAM_TYPES,
     iam_wildcard_action,
     "no identity-policy Allow statement with action \"*\" or \"service:*\" (policy documents and literal policies)"},
    {"PCI-IAM-002", "No write actions on resource \"*\" without a condition", "7.2.1, 7.2.2", NULL, PG_SEV_HIGH,
     IAM_TYPES, iam_wildcard_resource,
     "an identity-policy Allow statement on resource \"*\" has a condition or only read actions (Get, List, "
     "Describe...) or actions AWS cannot scope to a resource (cloudwatch:PutMetricData, xray:Put*, ...)"},
    {"PCI-ELB-001", "HTTPS listeners use a TLS 1.2+ policy", "4.2.1", "ELB.17", PG_SEV_HIGH, LISTENER_TYPES,
     elb_tls_policy, "ssl_policy ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS-1-2-*"},
    {"PCI-ELB-002", "HTTP listeners only redirect to HTTPS", "4.2.1, 2.2.7", "ELB.1", PG_SEV_HIGH, LISTENER_TYPES,
     elb_http_redirect, "every action of an HTTP listener (and its rules) is a redirect with protocol HTTPS"},
    {"PCI-ELB-003", "ALB drops invalid header fields", "6.2.4, 10.2.1", "ELB.4", PG_SEV_MEDIUM, LB_TYPES,
     elb_drop_invalid_headers, "drop_invalid_header_fields true on application load balancers"},
    {"PCI-ELB-004", "ALB access logs enabled", "10.2.1", "ELB.5", PG_SEV_MEDIUM, LB_TYPES, elb_access_logs,
     "access_logs with enabled true and a bucket"},
    {"PCI-ELB-005", "Internet-facing ALB behind a WAF web ACL", "6.4.1, 6.4.2", "ELB.16", PG_SEV_HIGH,
     LB_TYPES, elb_waf, "an aws_wafv2_web_acl_association whose resource_arn references the load balancer"},
    {"PCI-EC2-001", "No ingress from anywhere except web ports on the load balancer", "1.3.1, 1.2.8",
     "EC2.18, EC2.19", PG_SEV_CRITICAL, SG_TYPES, open_ingress,
     "0.0.0.0/0 or ::/0 ingress only on port 443 or 80 of a security group attached to an aws_lb"},
    {"PCI-EC2-002", "Default security group has no rules", "1.3.1, 1.2.8", "EC2.2", PG_SEV_MEDIUM, "aws_vpc",
     default_sg, "each VPC has an aws_default_security_group without ingress or egress"},
    {"PCI-EC2-003", "VPC flow logs capture all traffic", "10.2.1", "EC2.6", PG_SEV_MEDIUM, "aws_vpc", flow_logs,
     "each VPC has an aws_flow_log with traffic_type ALL"},
    {"PCI-EC2-004", "Transit gateway does not auto-accept attachments", "1.2.1", "EC2.23", PG_SEV_MEDIUM,
     "aws_ec2_transit_gateway", tgw_auto_accept, "auto_accept_shared_attachments is disable (the default)"},
    {"PCI-LOG-001", "Log groups encrypted with a customer managed KMS key", "3.5.1", NULL, PG_SEV_MEDIUM,
     "aws_cloudwatch_log_group", log_kms, "kms_key_id naming a CMK"},
    {"PCI-LOG-002", "Log groups keep logs for at least a year", "10.5.1", "CloudWatch.16", PG_SEV_MEDIUM,
     "aws_cloudwatch_log_group", log_retention, "retention_in_days >= 365 (or unset/0: never expire)"},
    {"PCI-ECS-001", "ECS containers not privileged", "7.2.1", "ECS.4", PG_SEV_HIGH, "aws_ecs_task_definition",
     ecs_privileged, "no container sets privileged; container_definitions must be literal JSON to be verified"},
    {"PCI-ECS-002", "ECS containers have a read-only root filesystem", "7.2.1", "ECS.5", PG_SEV_MEDIUM,
     "aws_ecs_task_definition", ecs_readonly, "readonlyRootFilesystem true in every container"},
    {"PCI-ECS-003", "ECS secrets come from secrets[].valueFrom", "3.5.1, 8.3.2", "ECS.8", PG_SEV_HIGH,
     "aws_ecs_task_definition", ecs_secrets,
     "no environment variable named like PASSWORD/SECRET/TOKEN/API_KEY carries a value; every secret has valueFrom"},
    {"PCI-ECS-004", "ECS containers log", "10.2.1", "ECS.9", PG_SEV_MEDIUM, "aws_ecs_task_definition", ecs_logs,
     "logConfiguration with a logDriver in every container"},
    {"PCI-ECS-005", "ECS services get no public IP", "1.3.1", "ECS.2", PG_SEV_HIGH, "aws_ecs_service",
     ecs_public_ip, "network_configuration.assign_public_ip is not true"},
    {"PCI-ECS-006", "ECS Container Insights enabled", "10.2.1", "ECS.12", PG_SEV_LOW, "aws_ecs_cluster",
     ecs_insights, "setting containerInsights = enabled (or enhanced)"},
    {"PCI-SNS-001", "SNS topics encrypted with a customer managed KMS key", "3.5.1", "SNS.1", PG_SEV_MEDIUM,
     "aws_sns_topic", sns_kms, "kms_master_key_id naming a CMK (not alias/aws/sns)"},
    {"PCI-DDB-001", "DynamoDB point-in-time recovery", "10.5.1", "DynamoDB.2", PG_SEV_MEDIUM, "aws_dynamodb_table",
     dynamodb_pitr, "point_in_time_recovery.enabled true"},
    {"PCI-DDB-002", "DynamoDB encrypted with a customer managed KMS key", "3.5.1", NULL, PG_SEV_MEDIUM,
     "aws_dynamodb_table", dynamodb_kms, "server_side_encryption enabled with kms_key_arn naming a CMK"},
    {"PCI-SM-001", "Secrets Manager secrets encrypted with a customer managed KMS key", "3.5.1, 8.3.2", NULL,
     PG_SEV_HIGH, "aws_secretsmanager_secret", secret_kms, "kms_key_id naming a CMK"},
    {"PCI-CT-001", "CloudTrail multi-region, validated, encrypted, in CloudWatch Logs",
     "10.2.1, 10.3.2, 10.3.4", "CloudTrail.1, CloudTrail.2, CloudTrail.4, CloudTrail.5", PG_SEV_HIGH,
     "aws_cloudtrail", cloudtrail_settings,
     "is_multi_region_trail, enable_log_file_validation, kms_key_id naming a CMK, cloud_watch_logs_group_arn"},
    {"PCI-SEC-001", "No secrets written into the configuration", "3.5.1, 8.3.2, 8.6.2", NULL, PG_SEV_CRITICAL,
     "*", no_literal_secrets,
     "no argument named like password, secret_string, private_key, access_key, token holds a literal value"},
    {"PCI-TAG-001", "Resources carry the migration tags and a Name", "12.5.1", NULL, PG_SEV_LOW, "provider",
     tags_present,
     "every aws provider has default_tags Project, Environment, MigrationPhase, CutoverTimestamp, Suffix, "
     "ManagedBy; every taggable resource has tags.Name"},
};

const pg_rule *pg_check_rules(size_t *count)
{
    *count = sizeof rules / sizeof *rules;
    return rules;
}
