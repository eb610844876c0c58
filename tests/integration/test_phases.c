/* SPDX-License-Identifier: Apache-2.0 */
/* Every phase end to end with every plugin: the whole output validates
 * against the AWS provider schema, resources of a region use that region's
 * keys and provider, names follow R14, and stepping between phases never
 * replaces or destroys a stateful resource (D7). */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "harness.h"
#include "taggable.h"
#include "validate.h"

static void test_every_phase_validates_against_the_provider_schema(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(th_schema());
    for (size_t p = 0; p < TH_PHASES; p++) {
        th_run *r = th_generate(th_phases[p], NULL);
        TH_ASSERT_OK(r);
        for (size_t s = 0; s < PG_STACK_COUNT; s++) {
            pg_errors errors = {0}, warnings = {0};
            size_t n = pg_validate_stack(r->g.out.stacks[s], pg_stack_names[s], th_schema(), &errors,
                                         &warnings);
            for (size_t i = 0; i < errors.count; i++)
                fprintf(stderr, "\n  %s: %s", th_phases[p], errors.messages[i]);
            for (size_t i = 0; i < warnings.count; i++)
                fprintf(stderr, "\n  %s: warning: %s", th_phases[p], warnings.messages[i]);
            CU_ASSERT_EQUAL(n, 0);
            CU_ASSERT_EQUAL(errors.count, 0);
            pg_errors_free(&errors);
            pg_errors_free(&warnings);
        }
        th_free(r);
    }
}

/* The region code a label or address ends with ("_use2"), or NULL. */
static const char *region_suffix(const pg_ctx *ctx, const char *address)
{
    size_t len = strcspn(address, ".");
    const char *label = address + len + 1;
    if (!address[len])
        return NULL;
    size_t ll = strcspn(label, ".}[");
    for (size_t i = 0; i < pg_ctx_all_region_count(ctx); i++) {
        const char *code = pg_ctx_all_region(ctx, i)->code;
        size_t cl = strlen(code);
        if (ll > cl + 1 && label[ll - cl - 1] == '_' && !strncmp(label + ll - cl, code, cl))
            return code;
    }
    return NULL;
}

/* Arguments that name an encryption key: they must point at a key of the
 * block's own region (R5, R7, R9). */
static bool is_key_argument(const char *name)
{
    return !strcmp(name, "kms_key_id") || !strcmp(name, "kms_master_key_id") ||
           !strcmp(name, "kms_key_arn") || !strcmp(name, "sse_kms_key_id") ||
           !strcmp(name, "performance_insights_kms_key_id");
}

static void check_keys(const pg_ctx *ctx, const char *address, const char *region, const cJSON *node,
                       size_t *checked)
{
    for (const cJSON *c = node->child; c; c = c->next) {
        if (cJSON_IsString(c) && c->string && is_key_argument(c->string) &&
            strstr(c->valuestring, "${aws_kms_key.")) {
            const char *ref = strstr(c->valuestring, "aws_kms_key.");
            const char *key_region = region_suffix(ctx, ref);
            (*checked)++;
            if (!key_region || strcmp(key_region, region)) {
                fprintf(stderr, "\n  %s.%s = %s: key of another region", address, c->string,
                        c->valuestring);
                CU_FAIL("a resource uses a KMS key of another region");
            }
        } else if (!cJSON_IsString(c)) {
            /* a block that names its own region (a secret's or a global table's
             * replica) uses that region's key */
            const char *inner = region;
            const char *named = th_str(c, "region") ? th_str(c, "region") : th_str(c, "region_name");
            for (size_t i = 0; named && i < pg_ctx_all_region_count(ctx); i++)
                if (!strcmp(pg_ctx_all_region(ctx, i)->name, named))
                    inner = pg_ctx_all_region(ctx, i)->code;
            check_keys(ctx, address, inner, c, checked);
        }
    }
}

static void test_regional_resources_use_their_region_keys_and_provider(void)
{
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    const pg_out *out = &r->g.out;
    size_t checked = 0, secondary = 0;
    for (size_t i = 0; i < out->block_count; i++) {
        const pg_block_info *b = &out->blocks[i];
        if (!b->region)
            continue;
        const char *provider = th_str(b->block, "provider");
        bool primary = !strcmp(b->region, pg_ctx_primary(&r->g.ctx)->code);
        if (primary) {
            CU_ASSERT_PTR_NULL(provider);
        } else {
            secondary++;
            CU_ASSERT_TRUE(provider && !strcmp(provider + 4, b->region));
        }
        check_keys(&r->g.ctx, b->address, b->region, b->block, &checked);
    }
    CU_ASSERT_TRUE(checked > 10);   /* buckets, clusters, log groups, topics in both regions */
    CU_ASSERT_TRUE(secondary > 50); /* the secondary region is really built */
    th_free(r);
}

static bool literal(const cJSON *v)
{
    return cJSON_IsString(v) && !strstr(v->valuestring, "${");
}

static void test_names_carry_environment_and_suffix(void)
{
    static const char *const name_args[] = {"name", "bucket", "cluster_identifier",
                                            "global_cluster_identifier", "identifier", "family"};
    const char *sets[] = {"suffix=q1w2e3", NULL};
    th_run *r = th_generate("profiles/migration.yaml", sets);
    TH_ASSERT_OK(r);
    const pg_out *out = &r->g.out;
    const cJSON *imports = th_path(th_stack(r, "payment"), "import");
    size_t checked = 0, adopted = 0;
    for (size_t i = 0; i < out->block_count; i++) {
        const pg_block_info *b = &out->blocks[i];
        if (b->is_data || !pg_type_is_taggable(b->type))
            continue;
        /* an adopted resource keeps the name it has today */
        bool imported = false;
        const cJSON *imp;
        cJSON_ArrayForEach(imp, imports) imported |= !strcmp(th_str(imp, "to"), b->address);
        if (imported) {
            adopted++;
            continue;
        }
        for (size_t a = 0; a < sizeof name_args / sizeof *name_args; a++) {
            const cJSON *v = th_path(b->block, name_args[a]);
            /* a hosted zone is named by its DNS domain, chosen by the profile */
            if (!literal(v) || !strcmp(b->type, "aws_route53_zone") ||
                (!strcmp(name_args[a], "family") && strcmp(b->type, "aws_ecs_task_definition")))
                continue;
            checked++;
            if (!strstr(v->valuestring, "production") || !strstr(v->valuestring, "q1w2e3")) {
                fprintf(stderr, "\n  %s.%s = %s", b->address, name_args[a], v->valuestring);
                CU_FAIL("a name without environment and suffix");
            }
        }
        const char *tag = th_str(b->block, "tags.Name");
        CU_ASSERT_TRUE(tag && strstr(tag, "production") && strstr(tag, "q1w2e3"));
    }
    CU_ASSERT_TRUE(checked > 20);
    CU_ASSERT_EQUAL(adopted, 4); /* today's cluster, its two instances and its log group */
    th_free(r);
}

static void step(const char *from, const char *to, size_t *added)
{
    th_run *a = th_generate(from, NULL), *b = th_generate(to, NULL);
    TH_ASSERT_OK(a);
    TH_ASSERT_OK(b);
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        pg_diff d = {0};
        pg_diff_stack(&d, a->g.out.stacks[s], b->g.out.stacks[s]);
        for (size_t i = 0; i < d.count; i++) {
            const pg_change *c = &d.changes[i];
            if (c->kind == PG_ADDED) {
                (*added)++;
                continue;
            }
            if (c->kind == PG_REPLACED || (c->kind == PG_REMOVED && (c->stateful || c->protected_))) {
                fprintf(stderr, "\n  %s -> %s: %s %s", from, to, c->address, c->detail ? c->detail : "removed");
                CU_FAIL("a phase step replaces or destroys a stateful resource");
            }
        }
        pg_diff_free(&d);
    }
    th_free(a);
    th_free(b);
}

static void test_forward_steps_keep_stateful_resources(void)
{
    size_t added = 0;
    step("profiles/legacy.yaml", "profiles/migration.yaml", &added);
    CU_ASSERT_TRUE(added > 50);
    added = 0;
    step("profiles/migration.yaml", "profiles/production.yaml", &added);
}

static void test_rollback_to_legacy_is_reported_unsafe(void)
{
    th_run *a = th_generate("profiles/migration.yaml", NULL), *b = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(a);
    TH_ASSERT_OK(b);
    pg_diff d = {0};
    pg_diff_stack(&d, a->g.out.stacks[PG_STACK_PAYMENT], b->g.out.stacks[PG_STACK_PAYMENT]);
    CU_ASSERT_FALSE(pg_diff_is_safe(&d));
    bool secondary_cluster = false;
    for (size_t i = 0; i < d.count; i++)
        if (d.changes[i].kind == PG_REMOVED && pg_str_starts_with(d.changes[i].address, "aws_rds_cluster.") &&
            strstr(d.changes[i].address, "_use2")) {
            secondary_cluster = true;
            CU_ASSERT_TRUE(d.changes[i].stateful);
            CU_ASSERT_PTR_NOT_NULL(d.changes[i].advice);
        }
    CU_ASSERT_TRUE(secondary_cluster);
    pg_diff_free(&d);
    th_free(a);
    th_free(b);
}

/* One owner for the weights (issue 16): the default weights of a phase file
 * equal the previous phase's (a variable the previous file lacks counts as
 * 0), so applying the next phase never moves traffic; the step stays safe.
 * Today's endpoint (weight_legacy, issue 15) exists in legacy and migration
 * only: production's primary default is migration's primary + legacy (the
 * state the traffic steps reach first), and removing its record is the one
 * serving change of migration -> production, which needs weight_legacy 0. */
static void weights_carry_over(const char *profile, const char *from, const char *to)
{
    const char *a_sets[] = {from, NULL}, *b_sets[] = {to, NULL};
    th_run *a = th_generate(profile, a_sets), *b = th_generate(profile, b_sets);
    TH_ASSERT_OK(a);
    TH_ASSERT_OK(b);
    const cJSON *va = th_path(th_stack(a, "payment"), "variable");
    const cJSON *vb = th_path(th_stack(b, "payment"), "variable");
    const cJSON *legacy_before = cJSON_GetObjectItemCaseSensitive(va, "weight_legacy");
    bool legacy_goes = legacy_before && !cJSON_GetObjectItemCaseSensitive(vb, "weight_legacy");
    size_t weights = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, vb)
    {
        if (strncmp(v->string, "weight_", 7) != 0)
            continue;
        weights++;
        const cJSON *before = cJSON_GetObjectItemCaseSensitive(va, v->string);
        double want = before ? th_num(before, "default") : 0;
        if (legacy_goes && !strcmp(v->string, "weight_use1"))
            want += th_num(legacy_before, "default");
        if (th_num(v, "default") != want)
            fprintf(stderr, "\n  %s %s -> %s: %s default %g, was %g", profile, from, to, v->string,
                    th_num(v, "default"), want);
        CU_ASSERT_EQUAL(th_num(v, "default"), want);
    }
    CU_ASSERT_TRUE(weights >= 1);
    pg_diff d = {0};
    pg_diff_stack(&d, a->g.out.stacks[PG_STACK_PAYMENT], b->g.out.stacks[PG_STACK_PAYMENT]);
    for (size_t i = 0; i < d.count; i++) {
        const pg_change *c = &d.changes[i];
        if (!pg_change_is_dangerous(c))
            continue;
        bool legacy_record = legacy_goes && c->kind == PG_REMOVED &&
                             (!strcmp(c->address, "aws_route53_record.weighted_legacy") ||
                              !strcmp(c->address, "aws_route53_record.weighted_ipv6_legacy"));
        if (!legacy_record)
            fprintf(stderr, "\n  %s %s -> %s: %s", profile, from, to, c->address);
        CU_ASSERT_TRUE(legacy_record);
    }
    pg_diff_free(&d);
    th_free(a);
    th_free(b);
}

static void test_phase_steps_keep_the_weights(void)
{
    const char *profiles[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                              "profiles/production.yaml",
                              "profiles/examples/staging-rehearsal.yaml"};
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        weights_carry_over(profiles[i], "phase=legacy", "phase=migration");
        weights_carry_over(profiles[i], "phase=migration", "phase=production");
    }
    /* concretely: legacy 100; migration 100/0; production 100/0 */
    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(th_num(th_stack(r, "payment"), "variable.weight_use1.default"), 100);
    CU_ASSERT_EQUAL(th_num(th_stack(r, "payment"), "variable.weight_use2.default"), 0);
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"every phase validates against the provider schema",
         test_every_phase_validates_against_the_provider_schema},
        {"regional resources use their region's keys and provider",
         test_regional_resources_use_their_region_keys_and_provider},
        {"names carry environment and suffix", test_names_carry_environment_and_suffix},
        {"forward steps keep stateful resources", test_forward_steps_keep_stateful_resources},
        {"rollback to legacy is reported unsafe", test_rollback_to_legacy_is_reported_unsafe},
        {"phase steps keep the weights", test_phase_steps_keep_the_weights},
        CU_TEST_INFO_NULL,
    };
    return th_main("phases", tests);
}
