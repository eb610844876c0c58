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
 * 53 weights are relative, so the percentages read directly. */
static long default_weight(const pg_ctx *ctx, const dns_config *cfg, const pg_region *region)
{
    long share;
    switch (pg_ctx_phase(ctx)) {
    case PG_PHASE_MIGRATION:
        share = cfg->migration_secondary_weight;
        break;
    case PG_PHASE_PRODUCTION:
        share = cfg->production_secondary_weight < 0 ? cfg->migration_secondary_weight
                                                     : cfg->production_secondary_weight;
        break;
    default:
        share = 0; /* legacy: the primary is the only record */
        break;
    }
    long secondaries = (long)pg_ctx_region_count(ctx) - 1;
    if (secondaries < 1)
        return region->primary ? 100 : 0;
    long each = share / secondaries;
    return region->primary ? 100 - each * secondaries : each;
}

const char *dns_weight_ref(pg_out *out, const pg_region *region)
{
    return pg_printf(out, "${var.weight_%s}", region->code);
}

void dns_weight_variables(const pg_ctx *ctx, pg_out *out, const dns_config *cfg)
{
    const char *sum = "";
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *name = pg_printf(out, "weight_%s", r->code);
        const char *var = pg_printf(out, "var.%s", name);
        pg_variable(out, name, "number",
                    pg_printf(out,
                              "Route 53 weight of the %s record (0-255, relative to the other "
                              "regions; 0 takes the region out of rotation)",
                              r->name),
                    PG_INT("default", default_weight(ctx, cfg, r)),
                    PG_BLOCK("validation",
                             PG_STR("condition",
                                    pg_printf(out, "${%s >= 0 && %s <= 255 && floor(%s) == %s}",
                                              var, var, var, var)),
                             PG_STR("error_message",
                                    pg_printf(out, "%s must be a whole number from 0 to 255.",
                                              name))));
        sum = *sum ? pg_printf(out, "%s + %s", sum, var) : var;
    }

    pg_resource(out, NULL, "terraform_data", "dns_weights_guard",
                PG_MAP("lifecycle",
                       PG_BLOCK("precondition",
                                PG_STR("condition", pg_printf(out, "${%s > 0}", sum)),
                                PG_STR("error_message",
                                       "At least one Route 53 weight (weight_<region>) must be "
                                       "above 0: with every weight at 0 Route 53 spreads "
                                       "traffic evenly over all regions."))));
}
