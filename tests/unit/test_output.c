/* SPDX-License-Identifier: Apache-2.0 */
/* Output: the cdktf layout, byte-identical runs, atomic replacement, and
 * what the core adds to every stack (providers, guard, tags). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static char *path_in(const char *dir, const char *rel)
{
    return pg_xasprintf("%s/%s", dir, rel);
}

static void generate_into(const char *profile, const char *dir)
{
    th_run *r = th_generate(profile, NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(pg_generation_write(&r->g, dir, &r->err), 0);
    th_free(r);
}

static void test_layout_and_byte_identical_runs(void)
{
    static const char *const files[] = {"manifest.json", "stacks/payment/cdk.tf.json",
                                        "stacks/bootstrap/cdk.tf.json"};
    char *a = pg_xstrdup(th_scratch("determinism-a"));
    char *b = pg_xstrdup(th_scratch("determinism-b"));
    generate_into("profiles/production.yaml", a);
    generate_into("profiles/production.yaml", b);
    for (size_t i = 0; i < 3; i++) {
        char *pa = path_in(a, files[i]), *pb = path_in(b, files[i]);
        char *ta = th_slurp(NULL, pa), *tb = th_slurp(NULL, pb);
        CU_ASSERT_PTR_NOT_NULL(ta);
        CU_ASSERT_TRUE(ta && tb && strlen(ta) > 100 && !strcmp(ta, tb));
        cJSON *doc = ta ? cJSON_Parse(ta) : NULL;
        CU_ASSERT_PTR_NOT_NULL(doc); /* valid JSON */
        cJSON_Delete(doc);
        free(ta);
        free(tb);
        free(pa);
        free(pb);
    }
    free(a);
    free(b);
}

static void test_manifest_points_at_stacks(void)
{
    char *dir = pg_xstrdup(th_scratch("manifest"));
    generate_into("profiles/migration.yaml", dir);
    char *p = path_in(dir, "manifest.json");
    char *text = th_slurp(NULL, p);
    cJSON *m = cJSON_Parse(text);
    CU_ASSERT_STRING_EQUAL(th_str(m, "stacks.payment.synthesizedStackPath"), "stacks/payment/cdk.tf.json");
    CU_ASSERT_STRING_EQUAL(th_str(m, "stacks.payment.dependencies.0"), "bootstrap");
    CU_ASSERT_STRING_EQUAL(th_str(m, "stacks.bootstrap.workingDirectory"), "stacks/bootstrap");
    CU_ASSERT_STRING_EQUAL(th_str(m, "profile.phase"), "migration");
    CU_ASSERT_STRING_EQUAL(th_str(m, "profile.regions.1"), "us-east-2");
    cJSON_Delete(m);
    free(text);
    free(p);
    free(dir);
}

static void test_failed_write_leaves_old_output_untouched(void)
{
    char *dir = pg_xstrdup(th_scratch("atomic"));
    generate_into("profiles/legacy.yaml", dir);
    char *manifest = path_in(dir, "manifest.json");
    char *payment = path_in(dir, "stacks/payment/cdk.tf.json");
    char *bootstrap = path_in(dir, "stacks/bootstrap/cdk.tf.json");
    char *before_manifest = th_slurp(NULL, manifest), *before_payment = th_slurp(NULL, payment);
    /* Block the bootstrap stack's file with a directory: the run must fail
     * and neither the manifest nor the payment stack may change. */
    CU_ASSERT_EQUAL(unlink(bootstrap), 0);
    CU_ASSERT_EQUAL(mkdir(bootstrap, 0755), 0);

    th_run *r = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_NOT_EQUAL(pg_generation_write(&r->g, dir, &r->err), 0);
    CU_ASSERT_TRUE(th_has_error(r, "cdk.tf.json: exists and is not a regular file"));
    th_free(r);

    char *after_manifest = th_slurp(NULL, manifest), *after_payment = th_slurp(NULL, payment);
    CU_ASSERT_STRING_EQUAL(after_manifest, before_manifest);
    CU_ASSERT_STRING_EQUAL(after_payment, before_payment);
    /* and no temporary file was left behind (find itself must succeed: a
     * grep at the end of a pipeline would lose its failure) */
    char *cmd = pg_xasprintf("found=$(find '%s' -name '*.tmp-*') && [ -z \"$found\" ]", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    free(cmd);
    free(before_manifest);
    free(before_payment);
    free(after_manifest);
    free(after_payment);
    free(manifest);
    free(payment);
    free(bootstrap);
    free(dir);
}

static void test_output_below_a_file_is_an_error(void)
{
    char *dir = pg_xstrdup(th_scratch("blocked"));
    char *file = path_in(dir, "not-a-dir");
    write_text(file, "x");
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    CU_ASSERT_NOT_EQUAL(pg_generation_write(&r->g, file, &r->err), 0);
    CU_ASSERT_TRUE(th_has_error(r, "not-a-dir"));
    th_free(r);
    free(file);
    free(dir);
}

static void test_providers_tags_and_guard(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const cJSON *p = th_stack(r, "payment");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(p, "provider.aws")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(p, "provider.aws.0.region"), "us-east-1");
    CU_ASSERT_PTR_NULL(th_path(p, "provider.aws.0.alias"));
    CU_ASSERT_STRING_EQUAL(th_str(p, "provider.aws.1.alias"), "use2");
    CU_ASSERT_STRING_EQUAL(th_str(p, "provider.aws.1.region"), "us-east-2");
    const cJSON *tags = th_path(p, "provider.aws.1.default_tags.0.tags");
    CU_ASSERT_STRING_EQUAL(th_str(tags, "MigrationPhase"), "migration");
    CU_ASSERT_STRING_EQUAL(th_str(tags, "CutoverTimestamp"), "2026-12-01T06:00:00Z");
    CU_ASSERT_STRING_EQUAL(th_str(tags, "Environment"), "production");
    CU_ASSERT_STRING_EQUAL(th_str(tags, "Suffix"), "abc123");
    CU_ASSERT_STRING_EQUAL(th_str(tags, "ManagedBy"), "paygen");
    CU_ASSERT_STRING_EQUAL(th_str(p, "terraform.required_providers.aws.source"), "hashicorp/aws");
    for (size_t s = 0; s < 2; s++) {
        const cJSON *guard = th_resource(r, s ? "bootstrap" : "payment", "terraform_data", "workspace_guard");
        CU_ASSERT_STRING_EQUAL(th_str(guard, "lifecycle.precondition.0.condition"),
                               "${terraform.workspace == \"production\"}");
    }
    th_free(r);

    const char *sets[] = {"environment=staging", NULL};
    r = th_generate("profiles/legacy.yaml", sets);
    TH_ASSERT_OK(r);
    p = th_stack(r, "payment");
    /* the secondary's provider stays, so a rollback can still destroy its resources */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(p, "provider.aws")), 2);
    CU_ASSERT_STRING_EQUAL(th_str(p, "provider.aws.1.alias"), "use2");
    CU_ASSERT_STRING_EQUAL(th_str(th_resource(r, "payment", "terraform_data", "workspace_guard"),
                                  "lifecycle.precondition.0.condition"),
                           "${terraform.workspace == \"staging\"}");
    th_free(r);
}

static void test_name_limit_is_an_error_not_a_truncation(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *name = pg_name(&r->g.out, NULL, "a-very-long-resource-kind", 32);
    CU_ASSERT_STRING_EQUAL(name, "");
    CU_ASSERT_TRUE(th_has_error(r, "name 'payment-a-very-long-resource-kind-production-abc123' "
                                   "(a-very-long-resource-kind) is 51 characters, over the AWS limit of 32"));
    CU_ASSERT_STRING_EQUAL(pg_name(&r->g.out, pg_ctx_region(&r->g.ctx, 1), "vpc", 63),
                           "payment-vpc-use2-production-abc123");
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"layout and byte-identical runs", test_layout_and_byte_identical_runs},
        {"manifest points at stacks", test_manifest_points_at_stacks},
        {"failed write leaves old output untouched", test_failed_write_leaves_old_output_untouched},
        {"output below a file is an error", test_output_below_a_file_is_an_error},
        {"providers, tags and workspace guard", test_providers_tags_and_guard},
        {"name limit is an error, not a truncation", test_name_limit_is_an_error_not_a_truncation},
        CU_TEST_INFO_NULL,
    };
    return th_main("output", tests);
}
