/* SPDX-License-Identifier: Apache-2.0 */
/* ALB plugin: one internet-facing balancer per active region, HTTPS with a
 * modern policy, HTTP redirected, blue/green forwarding by variable weights,
 * a test listener on the colour that is not active, names within the
 * 32-character limit, the only public ingress, an ACM certificate per region
 * validated in the zone. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const codes[] = {"use1", "use2"};
static const char *const region_names[] = {"us-east-1", "us-east-2"};

static const cJSON *top(const th_run *r, const char *path)
{
    return th_path(th_stack(r, "payment"), path);
}

static void test_balancer_per_region_in_public_subnets(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_lb"), 2);
    const char *buckets[2] = {NULL, NULL};
    for (size_t i = 0; i < 2; i++) {
        char expect[128];
        const cJSON *lb = th_regional(r, "aws_lb", "main", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lb);
        CU_ASSERT_EQUAL(th_bool(lb, "internal"), 0);
        CU_ASSERT_STRING_EQUAL(th_str(lb, "load_balancer_type"), "application");
        CU_ASSERT_EQUAL(th_bool(lb, "drop_invalid_header_fields"), 1);
        CU_ASSERT_STRING_EQUAL(th_str(lb, "desync_mitigation_mode"), "defensive");
        CU_ASSERT_EQUAL(th_bool(lb, "enable_deletion_protection"), 1);
        CU_ASSERT_STRING_EQUAL(th_str(lb, "name"), "payment-alb-production-abc123");
        snprintf(expect, sizeof expect, "${aws_security_group.alb_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(lb, "security_groups.0"), expect);

        /* three subnets of the region's VPC (the one the group is in), all
         * with a route to the Internet gateway: the public ones */
        const char *vpc = th_str(th_regional(r, "aws_security_group", "alb", codes[i]), "vpc_id");
        CU_ASSERT_PTR_NOT_NULL_FATAL(vpc);
        const cJSON *subnets = th_path(lb, "subnets");
        CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(subnets), 3);
        const cJSON *id;
        cJSON_ArrayForEach (id, subnets) {
            const cJSON *subnet = th_target(r, id->valuestring);
            CU_ASSERT_PTR_NOT_NULL_FATAL(subnet);
            CU_ASSERT_STRING_EQUAL(th_str(subnet, "vpc_id"), vpc);
        }

        /* access logs on, into the region's access-log bucket, per-region prefix */
        CU_ASSERT_EQUAL(th_bool(lb, "access_logs.0.enabled"), 1);
        buckets[i] = th_str(lb, "access_logs.0.bucket");
        /* named through the bucket policy: created only once ELB may deliver */
        snprintf(expect, sizeof expect, "${aws_s3_bucket_policy.access_logs_%s.bucket}", codes[i]);
        CU_ASSERT_STRING_EQUAL(buckets[i], expect);
        CU_ASSERT_PTR_NOT_NULL_FATAL(buckets[i]);
        CU_ASSERT_PTR_NOT_NULL(th_target(r, buckets[i]));
        CU_ASSERT_PTR_NOT_NULL(strstr(buckets[i], codes[i]));
        snprintf(expect, sizeof expect, "alb/%s", region_names[i]);
        CU_ASSERT_STRING_EQUAL(th_str(lb, "access_logs.0.prefix"), expect);
    }
    CU_ASSERT_STRING_NOT_EQUAL(buckets[0], buckets[1]);
    CU_ASSERT_PTR_NULL(th_path(th_regional(r, "aws_lb", "main", "use1"), "provider"));
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_lb", "main", "use2"), "provider"), "aws.use2");

    CU_ASSERT_STRING_EQUAL(th_str(top(r, "output.alb_dns_name_use2"), "value"),
                           "${aws_lb.main_use2.dns_name}");
    CU_ASSERT_STRING_EQUAL(th_str(top(r, "output.alb_dns_name_use1"), "value"),
                           "${aws_lb.main_use1.dns_name}");
    th_free(r);
}

static void test_balancer_subnets_route_to_the_internet(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    /* the public subnets have a route table with a default route to an IGW */
    const cJSON *subnets = th_path(th_regional(r, "aws_lb", "main", "use2"), "subnets");
    const cJSON *id;
    size_t public_count = 0;
    cJSON_ArrayForEach (id, subnets) {
        const cJSON *subnet = th_target(r, id->valuestring);
        CU_ASSERT_PTR_NOT_NULL_FATAL(subnet);
        const cJSON *assoc, *all = top(r, "resource.aws_route_table_association");
        cJSON_ArrayForEach (assoc, all) {
            if (strcmp(th_str(assoc, "subnet_id"), id->valuestring))
                continue;
            const cJSON *rt = th_target(r, th_str(assoc, "route_table_id"));
            const cJSON *route, *routes = top(r, "resource.aws_route");
            cJSON_ArrayForEach (route, routes) {
                const char *gw = th_str(route, "gateway_id");
                const char *table = th_str(route, "route_table_id");
                if (gw && strstr(gw, "aws_internet_gateway.") && table && rt &&
                    th_target(r, table) == rt)
                    public_count++;
            }
            const cJSON *inline_routes = th_path(rt, "route");
            const cJSON *ir;
            cJSON_ArrayForEach (ir, inline_routes) {
                const char *gw = th_str(ir, "gateway_id");
                if (gw && strstr(gw, "aws_internet_gateway."))
                    public_count++;
            }
        }
    }
    CU_ASSERT_EQUAL(public_count, 3);
    th_free(r);
}

static void test_legacy_has_the_primary_balancer_only(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_lb"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_lb_target_group"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_lb_listener"), 3); /* https, test, http */
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_lb_listener", "test", "use1"));
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_lb", "main", "use1"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_lb", "main", "use2"));
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_acm_certificate"), 1);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_acm_certificate_validation"), 1);
    CU_ASSERT_PTR_NOT_NULL(th_regional(r, "aws_acm_certificate", "api", "use1"));
    CU_ASSERT_PTR_NULL(th_regional(r, "aws_acm_certificate", "api", "use2"));
    CU_ASSERT_PTR_NULL(top(r, "output.alb_dns_name_use2"));
    th_free(r);
}

static void test_names_fit_and_unprotected_balancer(void)
{
    const char *sets[] = {"protection=false", NULL};
    th_run *r = th_generate("profiles/examples/staging-rehearsal.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *lb = th_regional(r, "aws_lb", "main", "use2");
    CU_ASSERT_STRING_EQUAL(th_str(lb, "name"), "payment-alb-staging-xyz789");
    CU_ASSERT_EQUAL(th_bool(lb, "enable_deletion_protection"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_lb_target_group", "blue", "use2"), "name"),
                           "payment-blue-staging-xyz789");
    CU_ASSERT_STRING_EQUAL(th_str(th_regional(r, "aws_lb_target_group", "green", "use1"), "name"),
                           "payment-green-staging-xyz789");
    th_free(r);

    r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const char *blue = th_str(th_regional(r, "aws_lb_target_group", "blue", codes[i]), "name");
        const char *green = th_str(th_regional(r, "aws_lb_target_group", "green", codes[i]), "name");
        CU_ASSERT_STRING_EQUAL(blue, "payment-blue-production-abc123");
        CU_ASSERT_STRING_EQUAL(green, "payment-green-production-abc123");
        CU_ASSERT_TRUE(strlen(green) <= 32);
    }
    th_free(r);
}

static void test_balancer_name_over_32_is_an_error(void)
{
    /* 8 + 3 + 1 + 12 + 1 + 8 = 33 characters */
    const char *sets[] = {"environment=preprodstage", "suffix=abcd1234", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "'payment-alb-preprodstage-abcd1234' (alb) is 33 characters, "
                                   "over the AWS limit of 32"));
    th_free(r);
}

static void test_green_target_group_name_over_32_is_an_error(void)
{
    /* the balancer fits (31), blue fits exactly (32), green does not (33) */
    const char *sets[] = {"environment=rehearsal1", "suffix=abcd1234", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "'payment-green-rehearsal1-abcd1234' (green) is 33 characters"));
    CU_ASSERT_FALSE(th_has_error(r, "(alb)"));
    CU_ASSERT_FALSE(th_has_error(r, "(blue)"));
    th_free(r);
}

static void test_https_listener_forwards_by_variable_weights(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        char expect[160];
        const cJSON *l = th_regional(r, "aws_lb_listener", "https", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(l);
        snprintf(expect, sizeof expect, "${aws_lb.main_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(l, "load_balancer_arn"), expect);
        CU_ASSERT_EQUAL(th_num(l, "port"), 443);
        CU_ASSERT_STRING_EQUAL(th_str(l, "protocol"), "HTTPS");
        CU_ASSERT_STRING_EQUAL(th_str(l, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-2-2021-06");
        snprintf(expect, sizeof expect, "${aws_acm_certificate_validation.api_%s.certificate_arn}",
                 codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(l, "certificate_arn"), expect);

        CU_ASSERT_STRING_EQUAL(th_str(l, "default_action.0.type"), "forward");
        CU_ASSERT_PTR_NULL(th_path(l, "default_action.0.target_group_arn"));
        const cJSON *groups = th_path(l, "default_action.0.forward.0.target_group");
        CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(groups), 2);
        snprintf(expect, sizeof expect, "${aws_lb_target_group.blue_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(groups, "0.arn"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(groups, "0.weight"), "${local.alb_weight_blue}");
        snprintf(expect, sizeof expect, "${aws_lb_target_group.green_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(groups, "1.arn"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(groups, "1.weight"), "${local.alb_weight_green}");

    }
    /* no certificate is asked of the operator any more */
    const cJSON *v;
    cJSON_ArrayForEach (v, top(r, "variable"))
        CU_ASSERT_PTR_NULL(strstr(v->string, "certificate"));

    /* weights: the active colour takes 100 minus the canary share */
    CU_ASSERT_STRING_EQUAL(th_str(top(r, "locals"), "alb_weight_blue"),
                           "${var.active_color == \"blue\" ? 100 - var.canary_weight_percent : "
                           "var.canary_weight_percent}");
    CU_ASSERT_STRING_EQUAL(th_str(top(r, "locals"), "alb_weight_green"),
                           "${100 - local.alb_weight_blue}");
    const cJSON *colour = top(r, "variable.active_color");
    CU_ASSERT_STRING_EQUAL(th_str(colour, "default"), "blue");
    CU_ASSERT_STRING_EQUAL(th_str(colour, "validation.0.condition"),
                           "${contains([\"blue\", \"green\"], var.active_color)}");
    const cJSON *canary = top(r, "variable.canary_weight_percent");
    CU_ASSERT_STRING_EQUAL(th_str(canary, "type"), "number");
    CU_ASSERT_EQUAL(th_num(canary, "default"), 0);
    const char *cond = th_str(canary, "validation.0.condition");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cond);
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "var.canary_weight_percent >= 0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "var.canary_weight_percent <= 100"));
    th_free(r);
}

/* The test listener: HTTPS on 8443 with the same certificate and policy,
 * everything to the colour that is not active; the weights of both
 * listeners for each value of the variables, as Terraform computes them. */
static void test_test_listener_serves_the_colour_that_is_not_active(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        char expect[160];
        const cJSON *l = th_regional(r, "aws_lb_listener", "test", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(l);
        snprintf(expect, sizeof expect, "${aws_lb.main_%s.arn}", codes[i]);
        TH_ASSERT_STR(l, "load_balancer_arn", expect);
        CU_ASSERT_EQUAL(th_num(l, "port"), 8443);
        TH_ASSERT_STR(l, "protocol", "HTTPS");
        TH_ASSERT_STR(l, "ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06");
        snprintf(expect, sizeof expect, "${aws_acm_certificate_validation.api_%s.certificate_arn}",
                 codes[i]);
        TH_ASSERT_STR(l, "certificate_arn", expect);
        TH_ASSERT_STR(l, "default_action.0.type", "forward");
        const cJSON *groups = th_path(l, "default_action.0.forward.0.target_group");
        CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(groups), 2);
        snprintf(expect, sizeof expect, "${aws_lb_target_group.blue_%s.arn}", codes[i]);
        TH_ASSERT_STR(groups, "0.arn", expect);
        TH_ASSERT_STR(groups, "0.weight", "${local.alb_test_weight_blue}");
        snprintf(expect, sizeof expect, "${aws_lb_target_group.green_%s.arn}", codes[i]);
        TH_ASSERT_STR(groups, "1.arn", expect);
        TH_ASSERT_STR(groups, "1.weight", "${local.alb_test_weight_green}");
        /* published for whoever watches or tests it */
        snprintf(expect, sizeof expect, "${aws_lb_listener.test_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(
            pg_lookup(&r->g.ctx, pg_ctx_region(&r->g.ctx, i), "alb.listener_test_arn"), expect);
    }
    const cJSON *locals = top(r, "locals");
    TH_ASSERT_STR(locals, "alb_test_weight_blue", "${var.active_color == \"blue\" ? 0 : 100}");
    TH_ASSERT_STR(locals, "alb_test_weight_green", "${100 - local.alb_test_weight_blue}");
    /* what ecs sizes the colours by */
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "alb.active_color"), "${var.active_color}");
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "alb.weight.blue"),
                           "${local.alb_weight_blue}");
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "alb.weight.green"),
                           "${local.alb_weight_green}");
    th_free(r);
}

/* Both listeners' weights come from active_color and canary_weight_percent
 * alone, in every phase (terraform-test.sh evaluates them). */
static void test_weights_in_the_legacy_phase(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *l = th_regional(r, "aws_lb_listener", "https", "use1");
    const cJSON *groups = th_path(l, "default_action.0.forward.0.target_group");
    TH_ASSERT_STR(groups, "0.weight", "${local.alb_weight_blue}");
    TH_ASSERT_STR(groups, "1.weight", "${local.alb_weight_green}");
    TH_ASSERT_STR(top(r, "locals"), "alb_weight_blue",
                  "${var.active_color == \"blue\" ? 100 - var.canary_weight_percent : "
                  "var.canary_weight_percent}");
    TH_ASSERT_STR(top(r, "locals"), "alb_test_weight_blue",
                  "${var.active_color == \"blue\" ? 0 : 100}");
    th_free(r);
}

/* Only the networks of test_listener_cidrs reach the test listener: one
 * rule each (none by default), IPv4 network addresses, never /0. */
static void test_test_listener_admits_the_test_networks_only(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *in =
            th_regional(r, "aws_vpc_security_group_ingress_rule", "alb_test", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        TH_ASSERT_STR(in, "for_each", "${toset(var.test_listener_cidrs)}");
        TH_ASSERT_STR(in, "cidr_ipv4", "${each.value}");
        CU_ASSERT_EQUAL(th_num(in, "from_port"), 8443);
        CU_ASSERT_EQUAL(th_num(in, "to_port"), 8443);
        TH_ASSERT_STR(in, "ip_protocol", "tcp");
        char expect[96];
        snprintf(expect, sizeof expect, "${aws_security_group.alb_%s.id}", codes[i]);
        TH_ASSERT_STR(in, "security_group_id", expect);
    }
    const cJSON *v = top(r, "variable.test_listener_cidrs");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    TH_ASSERT_STR(v, "type", "list(string)");
    CU_ASSERT_TRUE(cJSON_IsArray(th_path(v, "default")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(v, "default")), 0);
    TH_ASSERT_STR(v, "validation.0.condition",
                  "${alltrue([for c in var.test_listener_cidrs : can(cidrnetmask(c)) && "
                  "try(cidrsubnet(c, 0, 0) == c, false) && !endswith(c, \"/0\")])}");
    th_free(r);
}

static void test_http_redirects_to_https(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *l = th_regional(r, "aws_lb_listener", "http", "use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_EQUAL(th_num(l, "port"), 80);
    CU_ASSERT_STRING_EQUAL(th_str(l, "protocol"), "HTTP");
    CU_ASSERT_STRING_EQUAL(th_str(l, "default_action.0.type"), "redirect");
    CU_ASSERT_STRING_EQUAL(th_str(l, "default_action.0.redirect.0.protocol"), "HTTPS");
    CU_ASSERT_STRING_EQUAL(th_str(l, "default_action.0.redirect.0.port"), "443");
    CU_ASSERT_STRING_EQUAL(th_str(l, "default_action.0.redirect.0.status_code"), "HTTP_301");
    CU_ASSERT_PTR_NULL(th_path(l, "default_action.0.forward"));
    CU_ASSERT_STRING_EQUAL(th_str(l, "provider"), "aws.use2");
    th_free(r);
}

static void test_target_groups_probe_https_on_the_container_port(void)
{
    const char *sets[] = {"compute.container_port=9443", "compute.health_check_path=/ready", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const char *colours[] = {"blue", "green"};
    for (size_t c = 0; c < 2; c++) {
        const cJSON *tg = th_regional(r, "aws_lb_target_group", colours[c], "use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(tg);
        CU_ASSERT_STRING_EQUAL(th_str(tg, "target_type"), "ip");
        CU_ASSERT_STRING_EQUAL(th_str(tg, "protocol"), "HTTPS");
        CU_ASSERT_EQUAL(th_num(tg, "port"), 9443);
        CU_ASSERT_EQUAL(th_num(tg, "deregistration_delay"), 30);
        CU_ASSERT_STRING_EQUAL(th_str(tg, "vpc_id"),
                               th_str(th_regional(r, "aws_security_group", "alb", "use1"), "vpc_id"));
        CU_ASSERT_STRING_EQUAL(th_str(tg, "health_check.0.protocol"), "HTTPS");
        CU_ASSERT_STRING_EQUAL(th_str(tg, "health_check.0.path"), "/ready");
        CU_ASSERT_STRING_EQUAL(th_str(tg, "health_check.0.matcher"), "200");
        CU_ASSERT_EQUAL(th_num(tg, "health_check.0.healthy_threshold"), 3);
    }
    const cJSON *eg = th_regional(r, "aws_vpc_security_group_egress_rule", "alb_to_app", "use1");
    CU_ASSERT_EQUAL(th_num(eg, "from_port"), 9443);
    CU_ASSERT_EQUAL(th_num(eg, "to_port"), 9443);
    /* the port, as text, for ecs: the container listens where the groups send */
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "alb.target_port"), "9443");
    th_free(r);

    r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_lb_target_group", "blue", "use2"), "port"), 8443);
    CU_ASSERT_STRING_EQUAL(pg_lookup(&r->g.ctx, NULL, "alb.target_port"), "8443");
    th_free(r);
}

static void test_health_check_path_must_be_absolute(void)
{
    const char *sets[] = {"compute.health_check_path=health", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "compute.health_check_path 'health' must start with '/'"));
    th_free(r);
}

/* Every ingress rule of the whole configuration that is open to the world
 * belongs to the balancer's group and is 443 or 80. */
static void test_only_public_ingress_is_https_and_http(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *rule, *rules = top(r, "resource.aws_vpc_security_group_ingress_rule");
    size_t open = 0;
    cJSON_ArrayForEach (rule, rules) {
        const char *cidr = th_str(rule, "cidr_ipv4");
        if (!cidr || strcmp(cidr, "0.0.0.0/0"))
            continue;
        open++;
        CU_ASSERT_PTR_NOT_NULL(
            strstr(th_str(rule, "security_group_id"), "aws_security_group.alb_"));
        double port = th_num(rule, "from_port");
        CU_ASSERT_TRUE(port == 443 || port == 80);
        CU_ASSERT_EQUAL(th_num(rule, "to_port"), port);
        CU_ASSERT_STRING_EQUAL(th_str(rule, "ip_protocol"), "tcp");
    }
    CU_ASSERT_EQUAL(open, 4); /* 443 and 80 in two regions */

    for (size_t i = 0; i < 2; i++) {
        const cJSON *sg = th_regional(r, "aws_security_group", "alb", codes[i]);
        CU_ASSERT_PTR_NULL(th_path(sg, "ingress"));
        CU_ASSERT_PTR_NULL(th_path(sg, "egress"));
        const cJSON *eg = th_regional(r, "aws_vpc_security_group_egress_rule", "alb_to_app", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(eg);
        CU_ASSERT_PTR_NULL(th_path(eg, "cidr_ipv4"));
        char expect[96];
        snprintf(expect, sizeof expect, "${aws_security_group.alb_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(eg, "security_group_id"), expect);
        /* the application tier's group: the one the ECS service runs in */
        const cJSON *app_sg = th_target(r, th_str(eg, "referenced_security_group_id"));
        CU_ASSERT_PTR_NOT_NULL(app_sg);
        CU_ASSERT_NOT_EQUAL(app_sg, sg);
        CU_ASSERT_EQUAL(th_num(eg, "from_port"), 8443);
    }
    th_free(r);
}

static void test_waf_guards_every_balancer(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *acl = th_regional(r, "aws_wafv2_web_acl", "alb", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(acl);
        CU_ASSERT_STRING_EQUAL(th_str(acl, "scope"), "REGIONAL");
        CU_ASSERT_PTR_NOT_NULL(th_path(acl, "default_action.0.allow"));
        /* the rate limit first, blocking */
        CU_ASSERT_STRING_EQUAL(th_str(acl, "rule.0.name"), "RateLimitPerClient");
        CU_ASSERT_EQUAL(th_num(acl, "rule.0.priority"), 1);
        CU_ASSERT_PTR_NOT_NULL(th_path(acl, "rule.0.action.0.block"));
        CU_ASSERT_EQUAL(th_num(acl, "rule.0.statement.0.rate_based_statement.0.limit"), 2000);
        CU_ASSERT_STRING_EQUAL(th_str(acl, "rule.0.statement.0.rate_based_statement.0.aggregate_key_type"), "IP");
        CU_ASSERT_EQUAL(th_num(acl, "rule.0.statement.0.rate_based_statement.0.evaluation_window_sec"), 300);
        CU_ASSERT_STRING_EQUAL(
            th_str(acl, "rule.1.statement.0.managed_rule_group_statement.0.name"),
            "AWSManagedRulesCommonRuleSet");
        CU_ASSERT_STRING_EQUAL(
            th_str(acl, "rule.1.statement.0.managed_rule_group_statement.0.vendor_name"), "AWS");
        CU_ASSERT_PTR_NOT_NULL(th_path(acl, "rule.1.override_action.0.none"));
        CU_ASSERT_PTR_NULL(th_path(acl, "rule.1.action"));
        const cJSON *assoc = th_regional(r, "aws_wafv2_web_acl_association", "alb", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(assoc);
        char expect[96];
        snprintf(expect, sizeof expect, "${aws_lb.main_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(assoc, "resource_arn"), expect);
        snprintf(expect, sizeof expect, "${aws_wafv2_web_acl.alb_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(assoc, "web_acl_arn"), expect);

        /* every request logged, under the logs key, a year, credentials redacted */
        const cJSON *group = th_regional(r, "aws_cloudwatch_log_group", "waf", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(group);
        snprintf(expect, sizeof expect, "aws-waf-logs-payment-waf-%s-production-abc123", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(group, "name"), expect);
        snprintf(expect, sizeof expect, "${aws_kms_key.logs_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(group, "kms_key_id"), expect);
        CU_ASSERT_EQUAL(th_num(group, "retention_in_days"), 365);
        CU_ASSERT_PTR_NOT_NULL(th_path(group, "lifecycle.prevent_destroy"));
        const cJSON *logging = th_regional(r, "aws_wafv2_web_acl_logging_configuration", "alb", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(logging);
        snprintf(expect, sizeof expect, "${aws_cloudwatch_log_group.waf_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(logging, "log_destination_configs.0"), expect);
        snprintf(expect, sizeof expect, "${aws_wafv2_web_acl.alb_%s.arn}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(logging, "resource_arn"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(logging, "redacted_fields.0.single_header.0.name"), "authorization");
        CU_ASSERT_STRING_EQUAL(th_str(logging, "redacted_fields.1.single_header.0.name"), "cookie");
        snprintf(expect, sizeof expect, "aws_cloudwatch_log_resource_policy.waf_logs_%s", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(logging, "depends_on.0"), expect);
        /* log delivery may write that group, for this account only */
        const cJSON *policy = th_regional(r, "aws_cloudwatch_log_resource_policy", "waf_logs", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
        const cJSON *doc = th_data(r, "payment", "aws_iam_policy_document",
                                   i ? "waf_logs_use2" : "waf_logs_use1");
        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.principals.0.identifiers.0"),
                               "delivery.logs.amazonaws.com");
        snprintf(expect, sizeof expect, "${aws_cloudwatch_log_group.waf_%s.arn}:*", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.resources.0"), expect);
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.0.variable"), "aws:SourceAccount");
        CU_ASSERT_STRING_EQUAL(th_str(doc, "statement.0.condition.1.variable"), "aws:SourceArn");
    }
    th_free(r);

    const char *sets[] = {"alb.waf=false", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_wafv2_web_acl"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_wafv2_web_acl_association"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_wafv2_web_acl_logging_configuration"), 0);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_cloudwatch_log_resource_policy"), 0);
    th_free(r);

    const char *tuned[] = {"alb.waf_rate_limit=500", "alb.waf_log_retention_days=731", NULL};
    r = th_generate("profiles/migration.yaml", tuned);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_wafv2_web_acl", "alb", "use1"),
                           "rule.0.statement.0.rate_based_statement.0.limit"), 500);
    CU_ASSERT_EQUAL(th_num(th_regional(r, "aws_cloudwatch_log_group", "waf", "use2"),
                           "retention_in_days"), 731);
    th_free(r);
    th_expect_error("profiles/migration.yaml", "alb.waf_rate_limit=5", "alb.waf_rate_limit");
    th_expect_error("profiles/migration.yaml", "alb.waf_log_retention_days=30",
                    "alb.waf_log_retention_days");
}

/* Each region's listeners get an ACM certificate of that region for the
 * API's name, validated by DNS in the zone: no certificate is made by hand. */
static void test_certificate_per_region_validated_in_the_zone(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_acm_certificate"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_acm_certificate_validation"), 2);
    for (size_t i = 0; i < 2; i++) {
        char expect[160];
        const cJSON *cert = th_regional(r, "aws_acm_certificate", "api", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(cert);
        TH_ASSERT_STR(cert, "domain_name", "api.payments.example.com");
        TH_ASSERT_STR(cert, "validation_method", "DNS");
        TH_ASSERT_STR(cert, "key_algorithm", "RSA_2048");
        TH_ASSERT_STR(cert, "options.0.certificate_transparency_logging_preference", "ENABLED");
        CU_ASSERT_EQUAL(th_bool(cert, "lifecycle.create_before_destroy"), 1);
        CU_ASSERT_PTR_NULL(th_path(cert, "subject_alternative_names"));
        /* in the balancer's region */
        TH_ASSERT_STR(cert, "provider", i ? "aws.use2" : NULL);

        /* the validation record, in the zone, from the region's own
         * certificate (one name: one record) */
        snprintf(expect, sizeof expect, "certificate_validation_%s", codes[i]);
        const cJSON *rec = th_resource(r, "payment", "aws_route53_record", expect);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
        CU_ASSERT_PTR_NULL(th_path(rec, "for_each"));
        char option[96];
        snprintf(option, sizeof option, "one(aws_acm_certificate.api_%s.domain_validation_options)",
                 codes[i]);
        TH_ASSERT_STR(rec, "zone_id", "${aws_route53_zone.main.zone_id}");
        snprintf(expect, sizeof expect, "${%s.resource_record_name}", option);
        TH_ASSERT_STR(rec, "name", expect);
        snprintf(expect, sizeof expect, "${%s.resource_record_type}", option);
        TH_ASSERT_STR(rec, "type", expect);
        snprintf(expect, sizeof expect, "${%s.resource_record_value}", option);
        TH_ASSERT_STR(rec, "records.0", expect);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(rec, "records")), 1);
        CU_ASSERT_EQUAL(th_num(rec, "ttl"), 300);
        /* both regions' certificates ask for the same record */
        CU_ASSERT_EQUAL(th_bool(rec, "allow_overwrite"), 1);
        /* Route 53 is global: the default provider, as for every record */
        CU_ASSERT_PTR_NULL(th_path(rec, "provider"));

        const cJSON *v = th_regional(r, "aws_acm_certificate_validation", "api", codes[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        snprintf(expect, sizeof expect, "${aws_acm_certificate.api_%s.arn}", codes[i]);
        TH_ASSERT_STR(v, "certificate_arn", expect);
        snprintf(expect, sizeof expect, "${aws_route53_record.certificate_validation_%s.fqdn}",
                 codes[i]);
        TH_ASSERT_STR(v, "validation_record_fqdns.0", expect);
        CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(v, "validation_record_fqdns")), 1);
        TH_ASSERT_STR(v, "timeouts.create", "75m");
        TH_ASSERT_STR(v, "provider", i ? "aws.use2" : NULL);

        /* both listeners wait for the issued certificate */
        snprintf(expect, sizeof expect, "${aws_acm_certificate_validation.api_%s.certificate_arn}",
                 codes[i]);
        TH_ASSERT_STR(th_regional(r, "aws_lb_listener", "https", codes[i]), "certificate_arn",
                      expect);
        TH_ASSERT_STR(th_regional(r, "aws_lb_listener", "test", codes[i]), "certificate_arn",
                      expect);
    }
    th_free(r);

    /* an existing zone: the records go into the zone looked up */
    const char *sets[] = {"dns.create_zone=false", "dns.zone_name=pay.example.org",
                          "dns.record_name=gateway", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_regional(r, "aws_acm_certificate", "api", "use2"), "domain_name",
                  "gateway.pay.example.org");
    TH_ASSERT_STR(th_resource(r, "payment", "aws_route53_record", "certificate_validation_use2"),
                  "zone_id", "${data.aws_route53_zone.main.zone_id}");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"balancer per region in public subnets", test_balancer_per_region_in_public_subnets},
        {"public subnets route to the Internet", test_balancer_subnets_route_to_the_internet},
        {"legacy has the primary balancer only", test_legacy_has_the_primary_balancer_only},
        {"names fit, unprotected balancer", test_names_fit_and_unprotected_balancer},
        {"balancer name over 32 is an error", test_balancer_name_over_32_is_an_error},
        {"green target group name over 32 is an error",
         test_green_target_group_name_over_32_is_an_error},
        {"HTTPS listener forwards by variable weights",
         test_https_listener_forwards_by_variable_weights},
        {"test listener serves the colour that is not active",
         test_test_listener_serves_the_colour_that_is_not_active},
        {"weights in the legacy phase", test_weights_in_the_legacy_phase},
        {"test listener admits the test networks only",
         test_test_listener_admits_the_test_networks_only},
        {"HTTP redirects to HTTPS", test_http_redirects_to_https},
        {"target groups probe HTTPS on the container port",
         test_target_groups_probe_https_on_the_container_port},
        {"health check path must be absolute", test_health_check_path_must_be_absolute},
        {"only public ingress is 443 and 80", test_only_public_ingress_is_https_and_http},
        {"WAF guards every balancer", test_waf_guards_every_balancer},
        {"certificate per region, validated in the zone",
         test_certificate_per_region_validated_in_the_zone},
        CU_TEST_INFO_NULL,
    };
    return th_main("alb", tests);
}
