/* SPDX-License-Identifier: Apache-2.0 */
/* dns plugin: weighted alias records per phase, health checks per region,
 * weight variables with validation, the created and the looked-up zone, and
 * today's endpoint as a weighted target. The shipped profiles describe an
 * example legacy endpoint; tests of the regions alone remove it (NO_LEGACY),
 * tests of the legacy target set their own (LEGACY). */
#include "harness.h"
#include <stdlib.h>
#include <string.h>

#define NO_LEGACY "legacy.endpoint.dns_name=", "legacy.endpoint.zone_id="
#define LEGACY_DNS "payment-old-0123456789.us-east-1.elb.amazonaws.com"
#define LEGACY "legacy.endpoint.dns_name=" LEGACY_DNS, "legacy.endpoint.zone_id=Z35SXDOTRQ7X7K"

static const char *const no_legacy[] = {NO_LEGACY, NULL};
static const char *const with_legacy[] = {LEGACY, NULL};


static const cJSON *stack(const th_run *r) { return th_stack(r, "payment"); }

/* The weighted records: the zone also holds the certificates' validation
 * records (alb), counted apart. */
static int records(const th_run *r, const char *prefix)
{
    int n = 0;
    const cJSON *rec;
    cJSON_ArrayForEach (rec, th_path(stack(r), "resource.aws_route53_record"))
        n += !strncmp(rec->string, prefix, strlen(prefix));
    return n;
}

static int weighted(const th_run *r) { return records(r, "weighted_"); }

static bool starts_ends(const char *s, const char *prefix, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, p = strlen(prefix), q = strlen(suffix);
    return s && n >= p + q && !strncmp(s, prefix, p) && !strcmp(s + n - q, suffix);
}

/* Without a legacy endpoint: today's behaviour, the primary alone at 100. */
static void test_legacy_has_one_weighted_record(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", no_legacy);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 1);
    CU_ASSERT_EQUAL(records(r, "certificate_validation_"), 1); /* the primary's certificate */
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route53_record"), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route53_health_check"), 1);
    const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "type"), "A");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "name"), "api.payments.example.com");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "us-east-1");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "weighted_routing_policy.0.weight"), "${var.weight_use1}");
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 100);
    CU_ASSERT_PTR_NULL(th_path(stack(r), "variable.weight_use2"));
    CU_ASSERT_PTR_NULL(th_path(stack(r), "variable.weight_legacy"));
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_route53_record", "weighted_legacy"));
    CU_ASSERT_PTR_NULL(th_path(stack(r), "output.dns_legacy_health_check_id"));
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "resource.terraform_data.dns_weights_guard.lifecycle."
                                            "precondition.0.condition"),
                           "${var.weight_use1 > 0}");
    th_free(r);
}

/* Migration builds the new region dark: the defaults are legacy's (100 to
 * the primary), so applying the migration file moves no traffic. */
static void test_migration_weights_default_dark(void)
{
    th_run *r = th_generate("profiles/migration.yaml", no_legacy);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 2);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 100);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 0);
    const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "us-east-2");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "weighted_routing_policy.0.weight"), "${var.weight_use2}");
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "resource.terraform_data.dns_weights_guard.lifecycle."
                                            "precondition.0.condition"),
                           "${var.weight_use1 + var.weight_use2 > 0}");
    th_free(r);

    const char *sets[] = {"dns.migration_secondary_weight=10", NO_LEGACY, NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 90);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 10);
    th_free(r);
}

/* Production keeps migration's defaults unless the profile says otherwise. */
static void test_production_weights_follow_setting(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 100);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 0);
    th_free(r);

    /* -1 (the default) follows dns.migration_secondary_weight */
    const char *follow[] = {"dns.migration_secondary_weight=10", NULL};
    r = th_generate("profiles/production.yaml", follow);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 90);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 10);
    th_free(r);

    const char *sets[] = {"dns.production_secondary_weight=30", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 70);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 30);
    th_free(r);
}

/* The default weights of a phase file equal the previous phase's, so the
 * next phase's apply never moves traffic by itself (issue 16, part 4). A
 * region without a record in the previous phase counts as weight 0. */
static void test_phase_defaults_carry_over(void)
{
    const char *plain[] = {NO_LEGACY, NULL};
    const char *tuned[] = {"dns.migration_secondary_weight=7", NO_LEGACY, NULL};
    const char *const *extra[] = {plain, tuned};
    const char *vars[] = {"variable.weight_use1.default", "variable.weight_use2.default"};
    for (size_t k = 0; k < 2; k++) {
        th_run *leg = th_generate("profiles/legacy.yaml", (const char **)extra[k]);
        th_run *mig = th_generate("profiles/migration.yaml", (const char **)extra[k]);
        th_run *prod = th_generate("profiles/production.yaml", (const char **)extra[k]);
        TH_ASSERT_OK(leg);
        TH_ASSERT_OK(mig);
        TH_ASSERT_OK(prod);
        for (size_t v = 0; v < 2; v++) {
            double legacy = th_path(stack(leg), vars[v]) ? th_num(stack(leg), vars[v]) : 0;
            CU_ASSERT_PTR_NOT_NULL(th_path(stack(mig), vars[v]));
            CU_ASSERT_PTR_NOT_NULL(th_path(stack(prod), vars[v]));
            if (k == 0) /* a tuned migration share is an explicit choice */
                CU_ASSERT_EQUAL(th_num(stack(mig), vars[v]), legacy);
            CU_ASSERT_EQUAL(th_num(stack(prod), vars[v]), th_num(stack(mig), vars[v]));
        }
        th_free(leg);
        th_free(mig);
        th_free(prod);
    }
}

/* Each region's record points at that region's load balancer and health check. */
static void test_alias_targets_same_region(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *codes[] = {"use1", "use2"};
    for (size_t i = 0; i < 2; i++) {
        char label[32], suffix[64], hc[96];
        snprintf(label, sizeof label, "weighted_%s", codes[i]);
        const cJSON *rec = th_resource(r, "payment", "aws_route53_record", label);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
        snprintf(suffix, sizeof suffix, "_%s.dns_name}", codes[i]);
        CU_ASSERT_TRUE(starts_ends(th_str(rec, "alias.0.name"), "${aws_lb.", suffix));
        snprintf(suffix, sizeof suffix, "_%s.zone_id}", codes[i]);
        CU_ASSERT_TRUE(starts_ends(th_str(rec, "alias.0.zone_id"), "${aws_lb.", suffix));
        CU_ASSERT_EQUAL(th_bool(rec, "alias.0.evaluate_target_health"), 1);
        snprintf(hc, sizeof hc, "${aws_route53_health_check.alb_%s.id}", codes[i]);
        CU_ASSERT_STRING_EQUAL(th_str(rec, "health_check_id"), hc);
        CU_ASSERT_STRING_EQUAL(th_str(rec, "zone_id"), "${aws_route53_zone.main.zone_id}");
        /* Route 53 is global: everything goes through the default provider. */
        CU_ASSERT_PTR_NULL(th_path(rec, "provider"));
        CU_ASSERT_PTR_NULL(th_path(rec, "ttl"));
    }
    th_free(r);
}

static void test_health_check_per_region(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route53_health_check"), 2);
    const cJSON *hc = th_resource(r, "payment", "aws_route53_health_check", "alb_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "type"), "HTTPS");
    CU_ASSERT_TRUE(starts_ends(th_str(hc, "fqdn"), "${aws_lb.", "_use2.dns_name}"));
    CU_ASSERT_EQUAL(th_num(hc, "port"), 443);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "resource_path"), "/health");
    CU_ASSERT_EQUAL(th_num(hc, "request_interval"), 30);
    CU_ASSERT_EQUAL(th_num(hc, "failure_threshold"), 3);
    CU_ASSERT_EQUAL(th_bool(hc, "measure_latency"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "tags.Name"), "payment-health-check-use2-production-abc123");
    th_free(r);

    const char *sets[] = {"dns.health_check_path=/ready", "dns.health_check_interval=10", NULL};
    r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    hc = th_resource(r, "payment", "aws_route53_health_check", "alb_use1");
    CU_ASSERT_STRING_EQUAL(th_str(hc, "resource_path"), "/ready");
    CU_ASSERT_EQUAL(th_num(hc, "request_interval"), 10);
    th_free(r);
}

static void test_weight_variables_are_validated(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *v = th_path(stack(r), "variable.weight_use2");
    CU_ASSERT_STRING_EQUAL(th_str(v, "type"), "number");
    const char *cond = th_str(v, "validation.0.condition");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cond);
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "var.weight_use2 >= 0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "var.weight_use2 <= 255"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cond, "floor(var.weight_use2) == var.weight_use2"));
    /* a validation may only reference its own variable */
    CU_ASSERT_PTR_NULL(strstr(cond, "weight_use1"));
    CU_ASSERT_PTR_NOT_NULL(th_str(v, "validation.0.error_message"));
    th_free(r);
}

static void test_created_zone_and_outputs(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *zone = th_resource(r, "payment", "aws_route53_zone", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(zone);
    CU_ASSERT_STRING_EQUAL(th_str(zone, "name"), "payments.example.com");
    CU_ASSERT_EQUAL(th_bool(zone, "lifecycle.prevent_destroy"), 1);
    CU_ASSERT_EQUAL(th_bool(zone, "force_destroy"), 0);
    CU_ASSERT_PTR_NULL(th_data(r, "payment", "aws_route53_zone", "main"));
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "output.dns_zone_id.value"),
                           "${aws_route53_zone.main.zone_id}");
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "output.dns_name_servers.value"),
                           "${aws_route53_zone.main.name_servers}");
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "output.dns_record_fqdn.value"),
                           "api.payments.example.com");
    th_free(r);

    const char *sets[] = {"protection=false", NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    zone = th_resource(r, "payment", "aws_route53_zone", "main");
    CU_ASSERT_PTR_NULL(th_path(zone, "lifecycle"));
    CU_ASSERT_EQUAL(th_bool(zone, "force_destroy"), 1);
    th_free(r);
}

static void test_existing_zone_is_looked_up(void)
{
    const char *sets[] = {"dns.create_zone=false", "dns.zone_name=pay.example.org",
                          "dns.record_name=checkout", NULL};
    th_run *r = th_generate("profiles/production.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_route53_zone", "main"));
    const cJSON *zone = th_data(r, "payment", "aws_route53_zone", "main");
    CU_ASSERT_PTR_NOT_NULL_FATAL(zone);
    CU_ASSERT_STRING_EQUAL(th_str(zone, "name"), "pay.example.org");
    CU_ASSERT_EQUAL(th_bool(zone, "private_zone"), 0);
    const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_use1");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "zone_id"), "${data.aws_route53_zone.main.zone_id}");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "name"), "checkout.pay.example.org");
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "output.dns_zone_id.value"),
                           "${data.aws_route53_zone.main.zone_id}");
    CU_ASSERT_PTR_NULL(th_path(stack(r), "output.dns_name_servers"));
    th_free(r);
}

static void test_ipv6_adds_aaaa_records(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_route53_record", "weighted_ipv6_use1"));
    CU_ASSERT_PTR_NULL(th_resource(r, "payment", "aws_route53_record", "weighted_ipv6_legacy"));
    th_free(r);

    const char *sets[] = {"dns.ipv6=true", NO_LEGACY, NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 4);
    const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_ipv6_use2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "type"), "AAAA");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "us-east-2");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "weighted_routing_policy.0.weight"), "${var.weight_use2}");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "health_check_id"),
                           "${aws_route53_health_check.alb_use2.id}");
    th_free(r);

    /* today's endpoint gets its AAAA record too */
    const char *both[] = {"dns.ipv6=true", LEGACY, NULL};
    r = th_generate("profiles/migration.yaml", both);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 6);
    rec = th_resource(r, "payment", "aws_route53_record", "weighted_ipv6_legacy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "type"), "AAAA");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "legacy");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "weighted_routing_policy.0.weight"), "${var.weight_legacy}");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "alias.0.name"), LEGACY_DNS);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "health_check_id"),
                           "${aws_route53_health_check.alb_legacy.id}");
    th_free(r);
}

/* The legacy phase with today's endpoint: it keeps all the traffic (100),
 * the new primary is built dark (0), each with a health check. */
static void test_legacy_endpoint_is_a_weighted_target(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", with_legacy);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 2);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route53_health_check"), 2);
    const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_legacy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "type"), "A");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "name"), "api.payments.example.com");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "zone_id"), "${aws_route53_zone.main.zone_id}");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "legacy");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "weighted_routing_policy.0.weight"), "${var.weight_legacy}");
    CU_ASSERT_STRING_EQUAL(th_str(rec, "alias.0.name"), LEGACY_DNS);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "alias.0.zone_id"), "Z35SXDOTRQ7X7K");
    CU_ASSERT_EQUAL(th_bool(rec, "alias.0.evaluate_target_health"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "health_check_id"),
                           "${aws_route53_health_check.alb_legacy.id}");
    CU_ASSERT_PTR_NULL(th_path(rec, "provider"));

    const cJSON *hc = th_resource(r, "payment", "aws_route53_health_check", "alb_legacy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "type"), "HTTPS");
    CU_ASSERT_STRING_EQUAL(th_str(hc, "fqdn"), LEGACY_DNS);
    CU_ASSERT_EQUAL(th_num(hc, "port"), 443);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "resource_path"), "/health");
    CU_ASSERT_EQUAL(th_num(hc, "request_interval"), 30);
    CU_ASSERT_EQUAL(th_num(hc, "failure_threshold"), 3);
    CU_ASSERT_EQUAL(th_bool(hc, "enable_sni"), 1);
    CU_ASSERT_STRING_EQUAL(th_str(hc, "tags.Name"), "payment-health-check-legacy-production-abc123");
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "output.dns_legacy_health_check_id.value"),
                           "${aws_route53_health_check.alb_legacy.id}");

    /* the new primary is still a record of its own, at 0 */
    rec = th_resource(r, "payment", "aws_route53_record", "weighted_use1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    CU_ASSERT_STRING_EQUAL(th_str(rec, "set_identifier"), "us-east-1");
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_legacy.default"), 100);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 0);
    const cJSON *v = th_path(stack(r), "variable.weight_legacy");
    CU_ASSERT_STRING_EQUAL(th_str(v, "type"), "number");
    CU_ASSERT_STRING_EQUAL(th_str(v, "validation.0.condition"),
                           "${var.weight_legacy >= 0 && var.weight_legacy <= 255 && "
                           "floor(var.weight_legacy) == var.weight_legacy}");
    CU_ASSERT_STRING_EQUAL(th_str(v, "validation.0.error_message"),
                           "weight_legacy must be a whole number from 0 to 255.");
    /* the all-zero guard counts today's endpoint */
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "resource.terraform_data.dns_weights_guard.lifecycle."
                                            "precondition.0.condition"),
                           "${var.weight_use1 + var.weight_legacy > 0}");
    th_free(r);
}

/* Migration carries the legacy phase's weights over (legacy 100, primary 0,
 * the new region 0); a migration share is taken from today's endpoint. */
static void test_migration_keeps_the_legacy_target(void)
{
    th_run *r = th_generate("profiles/migration.yaml", with_legacy);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(weighted(r), 3);
    CU_ASSERT_EQUAL(th_count(r, "payment", "aws_route53_health_check"), 3);
    CU_ASSERT_PTR_NOT_NULL(th_resource(r, "payment", "aws_route53_record", "weighted_legacy"));
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_legacy.default"), 100);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 0);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 0);
    CU_ASSERT_STRING_EQUAL(th_str(stack(r), "resource.terraform_data.dns_weights_guard.lifecycle."
                                            "precondition.0.condition"),
                           "${var.weight_use1 + var.weight_use2 + var.weight_legacy > 0}");
    th_free(r);

    const char *sets[] = {"dns.migration_secondary_weight=10", LEGACY, NULL};
    r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_legacy.default"), 90);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use1.default"), 0);
    CU_ASSERT_EQUAL(th_num(stack(r), "variable.weight_use2.default"), 10);
    th_free(r);
}

/* Production has no legacy target: today's share (legacy + primary in
 * migration) is the primary's, the state reached before production. */
static void test_production_drops_the_legacy_target(void)
{
    const char *plain[] = {LEGACY, NULL};
    const char *tuned[] = {"dns.migration_secondary_weight=7", LEGACY, NULL};
    const char *const *extra[] = {plain, tuned};
    for (size_t k = 0; k < 2; k++) {
        th_run *leg = th_generate("profiles/legacy.yaml", extra[k]);
        th_run *mig = th_generate("profiles/migration.yaml", extra[k]);
        th_run *prod = th_generate("profiles/production.yaml", extra[k]);
        TH_ASSERT_OK(leg);
        TH_ASSERT_OK(mig);
        TH_ASSERT_OK(prod);
        CU_ASSERT_PTR_NULL(th_resource(prod, "payment", "aws_route53_record", "weighted_legacy"));
        CU_ASSERT_PTR_NULL(th_resource(prod, "payment", "aws_route53_health_check", "alb_legacy"));
        CU_ASSERT_PTR_NULL(th_path(stack(prod), "variable.weight_legacy"));
        /* legacy -> migration: every default as before (absent = 0), unless tuned */
        const char *vars[] = {"variable.weight_legacy.default", "variable.weight_use1.default",
                              "variable.weight_use2.default"};
        for (size_t v = 0; k == 0 && v < 3; v++) {
            double before = th_path(stack(leg), vars[v]) ? th_num(stack(leg), vars[v]) : 0;
            CU_ASSERT_EQUAL(th_num(stack(mig), vars[v]), before);
        }
        /* migration -> production: today's share folds into the primary */
        CU_ASSERT_EQUAL(th_num(stack(prod), "variable.weight_use1.default"),
                        th_num(stack(mig), "variable.weight_use1.default") +
                            th_num(stack(mig), "variable.weight_legacy.default"));
        CU_ASSERT_EQUAL(th_num(stack(prod), "variable.weight_use2.default"),
                        th_num(stack(mig), "variable.weight_use2.default"));
        th_free(leg);
        th_free(mig);
        th_free(prod);
    }
}

/* The shipped phase profiles describe today's endpoint: the weighted record
 * set includes it in legacy and migration, not in production. */
static void test_shipped_profiles_include_the_legacy_target(void)
{
    const char *phases[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                            "profiles/production.yaml"};
    for (size_t p = 0; p < 3; p++) {
        th_run *r = th_generate(phases[p], NULL);
        TH_ASSERT_OK(r);
        const cJSON *rec = th_resource(r, "payment", "aws_route53_record", "weighted_legacy");
        if (p < 2) {
            CU_ASSERT_PTR_NOT_NULL(rec);
            CU_ASSERT_PTR_NOT_NULL(th_resource(r, "payment", "aws_route53_health_check", "alb_legacy"));
        } else {
            CU_ASSERT_PTR_NULL(rec);
        }
        th_free(r);
    }
}

static void test_settings_errors(void)
{
    th_expect_error("profiles/migration.yaml", "dns.health_check_interval=20",
                    "dns.health_check_interval = '20' is not one of 10|30");
    th_expect_error("profiles/migration.yaml", "dns.zone_name=Payments.Example.com",
                    "--set dns.zone_name: plugin zone: 'Payments.Example.com' is not a lowercase "
                    "domain name");
    th_expect_error("profiles/migration.yaml", "dns.zone_name=localhost",
                    "--set dns.zone_name: plugin zone: 'localhost'");
    th_expect_error("profiles/migration.yaml", "dns.record_name=a.b",
                    "--set dns.record_name: plugin zone: 'a.b' must be one lowercase DNS label");
    th_expect_error("profiles/migration.yaml", "dns.health_check_path=health", "dns.health_check_path 'health'");
    th_expect_error("profiles/migration.yaml", "dns.migration_secondary_weight=101",
                 "dns.migration_secondary_weight = 101 is out of range 0..100");
    th_expect_error("profiles/production.yaml", "dns.production_secondary_weight=-2",
                 "dns.production_secondary_weight = -2 is out of range -1..100");
    /* half a legacy endpoint: refused by the legacy plugin, naming the key */
    th_expect_error("profiles/legacy.yaml", "legacy.endpoint.zone_id=",
                    "--set legacy.endpoint.zone_id: plugin legacy: the legacy endpoint needs both "
                    "dns_name and zone_id");
}

/* The zone has no usable default: without one, the run stops at the zone
 * plugin, naming the key, before alb or dns write anything. */
static void test_zone_name_is_required(void)
{
    const char *sets[] = {"dns.zone_name=", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "--set dns.zone_name: plugin zone: required: the public hosted "
                                   "zone the API name lives in"));
    CU_ASSERT_TRUE(th_has_error(r, "plugin alb: skipped, it needs 'zone'"));
    CU_ASSERT_TRUE(th_has_error(r, "plugin dns: skipped, it needs 'zone'"));
    th_free(r);

    /* a profile without the key: the default is no zone at all */
    char *base = th_slurp(NULL, th_source("profiles/base.yaml"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(base);
    char *line = strstr(base, "\n  zone_name:");
    CU_ASSERT_PTR_NOT_NULL_FATAL(line);
    char *next = strchr(line + 1, '\n');
    CU_ASSERT_PTR_NOT_NULL_FATAL(next);
    memmove(line, next, strlen(next) + 1);
    size_t cap = strlen(base) + 64;
    char *yaml = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(yaml);
    snprintf(yaml, cap, "%s\nphase: legacy\ncutover: \"2026-12-01T06:00:00Z\"\n", base);
    r = th_generate_text(yaml, NULL);
    free(yaml);
    free(base);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugin zone: dns.zone_name (not set): required"));
    th_free(r);

    /* one name for both: the certificates are for the name the records answer */
    const char *longer[] = {"dns.record_name=gateway", NULL};
    r = th_generate("profiles/legacy.yaml", longer);
    TH_ASSERT_OK(r);
    TH_ASSERT_STR(th_resource(r, "payment", "aws_route53_record", "weighted_use1"), "name",
                  "gateway.payments.example.com");
    TH_ASSERT_STR(th_regional(r, "aws_acm_certificate", "api", "use1"), "domain_name",
                  "gateway.payments.example.com");
    th_free(r);
}

/* More secondaries share the phase's percentage evenly. */
static void test_weights_split_over_many_secondaries(void)
{
    const char *sets[] = {"dns.production_secondary_weight=50", NULL};
    th_run *r = th_generate("tests/data/profiles/three-regions.yaml", sets);
    TH_ASSERT_OK(r);
    const cJSON *p = th_stack(r, "payment");
    CU_ASSERT_EQUAL(th_num(p, "variable.weight_use1.default"), 50);
    CU_ASSERT_EQUAL(th_num(p, "variable.weight_use2.default"), 25);
    CU_ASSERT_EQUAL(th_num(p, "variable.weight_usw2.default"), 25);
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"weights split over many secondaries", test_weights_split_over_many_secondaries},
        {"legacy has one weighted record", test_legacy_has_one_weighted_record},
        {"migration defaults keep the new region dark", test_migration_weights_default_dark},
        {"production weights follow the setting", test_production_weights_follow_setting},
        {"phase defaults carry over", test_phase_defaults_carry_over},
        {"alias targets the same region's ALB", test_alias_targets_same_region},
        {"health check per region", test_health_check_per_region},
        {"weight variables are validated", test_weight_variables_are_validated},
        {"created zone and outputs", test_created_zone_and_outputs},
        {"existing zone is looked up", test_existing_zone_is_looked_up},
        {"ipv6 adds AAAA records", test_ipv6_adds_aaaa_records},
        {"legacy endpoint is a weighted target", test_legacy_endpoint_is_a_weighted_target},
        {"migration keeps the legacy target", test_migration_keeps_the_legacy_target},
        {"production drops the legacy target", test_production_drops_the_legacy_target},
        {"shipped profiles include the legacy target", test_shipped_profiles_include_the_legacy_target},
        {"settings errors", test_settings_errors},
        {"zone name is required", test_zone_name_is_required},
        CU_TEST_INFO_NULL,
    };
    return th_main("dns", tests);
}
