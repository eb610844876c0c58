/* dns_weights.c - the Route 53 weights as Terraform variables (D1).
 *
 * The phase only picks the defaults; operators shift traffic during a phase
 * with `terraform apply -var weight_use2=50`, without regenerating. A
 * variable's validation may only look at that variable, so the rule that
 * spans all of them (not every weight 0) is a precondition on a
 * terraform_data resource: unlike a check block, it fails the plan. */
#include "dns.h"

#include <string.h>

/* The phase's share (percent) goes to the secondaries together, split evenly;
 * the primary keeps the rest. With one secondary that is the share itself
 * (migration 90/10, production 50/50); with five, production is 50 and 10
 * each. Route 53 weights are relative, so the percentages read directly. */
long dns_default_weight(const pg_ctx *ctx, const pg_region *region)
{
    long share;
    switch (pg_ctx_phase(ctx)) {
    case PG_PHASE_MIGRATION:
        share = pg_ctx_int(ctx, "dns.migration_secondary_weight");
        break;
    case PG_PHASE_PRODUCTION:
        share = pg_ctx_int(ctx, "dns.production_secondary_weight");
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

static void add_validation(cJSON *variable, const char *condition, const char *message)
{
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "condition", condition);
    cJSON_AddStringToObject(v, "error_message", message);
    cJSON *list = cJSON_AddArrayToObject(variable, "validation");
    cJSON_AddItemToArray(list, v);
}

void dns_weight_variables(const pg_ctx *ctx, pg_out *out)
{
    size_t n = pg_ctx_region_count(ctx);
    const char *sum = "";

    for (size_t i = 0; i < n; i++) {
        const pg_region *r = pg_ctx_region(ctx, i);
        const char *name = pg_printf(out, "weight_%s", r->code);
        const char *var = pg_printf(out, "var.%s", name);
        cJSON *v = pg_variable(
            out, name, "number",
            pg_printf(out,
                      "Route 53 weight of the %s record (0-255, relative to the other regions; "
                      "0 takes the region out of rotation)",
                      r->name));
        cJSON_AddNumberToObject(v, "default", (double)dns_default_weight(ctx, r));
        add_validation(
            v, pg_printf(out, "${%s >= 0 && %s <= 255 && floor(%s) == %s}", var, var, var, var),
            pg_printf(out, "%s must be a whole number from 0 to 255.", name));
        sum = *sum ? pg_printf(out, "%s + %s", sum, var) : var;
    }

    cJSON *guard = pg_resource(out, NULL, "terraform_data", "dns_weights_guard");
    cJSON *pre = cJSON_CreateObject();
    cJSON_AddStringToObject(pre, "condition", pg_printf(out, "${%s > 0}", sum));
    cJSON_AddStringToObject(pre, "error_message",
                            "At least one Route 53 weight (weight_<region>) must be above 0: with "
                            "every weight at 0 Route 53 spreads traffic evenly over all regions.");
    cJSON *pres = cJSON_CreateArray();
    cJSON_AddItemToArray(pres, pre);
    cJSON_AddItemToObject(cJSON_AddObjectToObject(guard, "lifecycle"), "precondition", pres);
}
