/* SPDX-License-Identifier: Apache-2.0 */
/* dns_weights.c - the Route 53 weights as Terraform variables (D1).
 *
 * The phase only picks the defaults; operators shift traffic during a phase
 * with `terraform apply -var weight_use2=50`, without regenerating. A
 * variable's validation may only look at that variable, so the rule that
 * spans all of them (not every weight 0) is a precondition on a
 * terraform_data resource: unlike a check block, it fails the plan. */
#include "dns.h"

/* The phase's share (percent) goes to the secondaries together, split evenly;
 * the primary keeps the rest. The defaults carry over from phase to phase, so
 * applying the next phase's file never moves traffic by itself: legacy has
 * no secondary (0), migration defaults to 0 (the new region is built dark),
 * production defaults to the migration share (dns.production_secondary_weight
 * -1). Traffic moves only by an explicit -var or .auto.tfvars change. Route
 * 53 weights are relative, so the percentages read directly.
 *
 * With today's endpoint as a target (legacy and migration phases), the rest
 * is its weight and the new primary starts at 0: built dark, it takes traffic
 * only by -var (legacy 100 -> new primary -> both regions). Production has no
 * legacy target; its primary default is migration's legacy and primary
 * weights together, the state the runbook reaches before production. */
static long secondary_share(const pg_ctx *ctx, const dns_config *cfg)
{
    switch (pg_ctx_phase(ctx)) {
    case PG_PHASE_MIGRATION:
        return cfg->migration_secondary_weight;
    case PG_PHASE_PRODUCTION:
        return cfg->production_secondary_weight < 0 ? cfg->migration_secondary_weight
                                                    : cfg->production_secondary_weight;
    default:
        return 0; /* legacy: the primary is the only region */
    }
}

/* region NULL: today's endpoint. */
static long default_weight(const pg_ctx *ctx, const dns_config *cfg, const pg_region *region,
                           bool legacy)
{
    long secondaries = (long)pg_ctx_region_count(ctx) - 1;
    long each = secondaries < 1 ? 0 : secondary_share(ctx, cfg) / secondaries;
    long rest = 100 - each * secondaries;
    if (!region)
        return rest;
    if (!region->primary)
        return each;
    return legacy ? 0 : rest;
}

static void weight_variable(pg_out *out, const char *name, const char *what, long fallback)
{
    const char *var = pg_printf(out, "var.%s", name);
    pg_variable(out, name, "number",
                pg_printf(out,
                          "Route 53 weight of %s (0-255, relative to the other records; 0 takes "
                          "it out of rotation)",
                          what),
                PG_INT("default", fallback),
                PG_BLOCK("validation",
                         PG_STR("condition",
                                pg_printf(out, "${%s >= 0 && %s <= 255 && floor(%s) == %s}", var,
                                          var, var, var)),
                         PG_STR("error_message",
                                pg_printf(out, "%s must be a whole number from 0 to 255.", name))));
}

const char *dns_weight_ref(pg_out *out, const pg_region *region)
{
    return pg_printf(out, "${var.weight_%s}", region->code);
}

void dns_weight_variables(const pg_ctx *ctx, pg_out *out, const dns_config *cfg, bool legacy)
{
    const char *sum = "";
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *name = pg_printf(out, "weight_%s", r->code);
        weight_variable(out, name, pg_printf(out, "the %s record", r->name),
                        default_weight(ctx, cfg, r, legacy));
        sum = *sum ? pg_printf(out, "%s + var.%s", sum, name) : pg_printf(out, "var.%s", name);
    }
    if (legacy) {
        weight_variable(out, "weight_" DNS_LEGACY,
                        "today's endpoint, the legacy record",
                        default_weight(ctx, cfg, NULL, true));
        sum = pg_printf(out, "%s + var.weight_" DNS_LEGACY, sum);
    }

    pg_resource(out, NULL, "terraform_data", "dns_weights_guard",
                PG_MAP("lifecycle",
                       PG_BLOCK("precondition",
                                PG_STR("condition", pg_printf(out, "${%s > 0}", sum)),
                                PG_STR("error_message",
                                       "At least one Route 53 weight (weight_<region>, "
                                       "weight_legacy) must be above 0: with every weight at 0 "
                                       "Route 53 spreads traffic evenly over all records."))));
}
