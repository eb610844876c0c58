/* SPDX-License-Identifier: Apache-2.0 */
/* paygen generate --tests: the terraform test documents of a stack (mocked
 * providers per alias, the ARN table kept honest against the shipped AWS
 * provider schema, remote state, variables, runs) and its determinism.
 * tests/integration/terraform-test.sh runs them with Terraform;
 * tests/faults/tftest.sh covers writing them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "tftest.h"
#include "writer.h"

/* The attribute of a type in the schema, NULL when it has none. */
static const cJSON *attribute(bool data, const char *type, const char *name)
{
    const cJSON *block = pg_schema_block(th_schema(), data, type);
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(block, "attributes"), name);
}

static bool computed(const cJSON *attr)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(attr, "computed"));
}

/* The table knows the type; *arn: it mocks its "arn". */
static bool in_table(bool data, const char *type, bool *arn)
{
    const char *t, *a, *f;
    bool known = false;
    *arn = false;
    for (size_t i = 0; pg_tftest_mock_row(data, i, &t, &a, &f); i++)
        if (!strcmp(t, type)) {
            known = true;
            *arn |= a && !strcmp(a, "arn");
        }
    return known;
}

/* Every row names a type of the provider and, for a value, an attribute
 * the provider computes; a type listed as having nothing to mock has no
 * computed arn; each type's rows are together. */
static void test_table_matches_the_provider_schema(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(th_schema());
    for (int data = 0; data < 2; data++) {
        const char *type, *attr, *format, *last = "";
        size_t i = 0;
        for (; pg_tftest_mock_row(data, i, &type, &attr, &format); i++) {
            bool ok = pg_schema_block(th_schema(), data, type) != NULL;
            /* an ARN attribute gets an ARN, others ("arn_suffix", "account_id") not */
            bool is_arn = strstr(attr ? attr : "", "arn") && !strstr(attr, "suffix");
            /* a value a data source looks up by (aws_ecr_image.image_digest) is
             * Optional and Computed in the provider; the shipped schema, read
             * from typed bindings, says only optional */
            const cJSON *a = attribute(data, type, attr);
            bool settable = computed(a) ||
                            (data && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "optional")));
            if (ok && format)
                ok = settable && !strncmp(format, "arn:", 4) == is_arn;
            if (ok && !format)
                ok = !computed(attribute(data, type, "arn"));
            if (ok && strcmp(last, type) > 0)
                ok = false; /* sorted, so the rows of a type are together */
            if (!ok)
                fprintf(stderr, "\n  %s row %s.%s does not match the schema (or is out of order)",
                        data ? "data" : "resource", type, attr ? attr : "-");
            CU_ASSERT(ok);
            last = type;
        }
        CU_ASSERT(i > 0); /* an empty table would match anything */
    }
}

/* Every aws type the phases use is in the table, and each with a computed
 * arn has it mocked: a new type in a plugin fails here until it is added. */
static void test_every_type_of_every_phase_is_in_the_table(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(th_schema());
    for (size_t p = 0; p < TH_PHASES; p++) {
        th_run *r = th_generate(th_phases[p], NULL);
        TH_ASSERT_OK(r);
        size_t checked = 0; /* a phase with no aws type would check nothing */
        for (size_t s = 0; s < PG_STACK_COUNT; s++)
            for (int data = 0; data < 2; data++) {
                const cJSON *type;
                cJSON_ArrayForEach(type, cJSON_GetObjectItemCaseSensitive(r->g.out.stacks[s],
                                                                         data ? "data" : "resource"))
                {
                    if (!pg_str_starts_with(type->string, "aws_"))
                        continue;
                    bool arn, known = in_table(data, type->string, &arn);
                    bool ok = known && arn == computed(attribute(data, type->string, "arn"));
                    if (!ok)
                        fprintf(stderr, "\n  %s: %s %s is not in core/engine/tftest.c's table as it should",
                                th_phases[p], data ? "data" : "resource", type->string);
                    CU_ASSERT(ok);
                    checked++;
                }
            }
        CU_ASSERT(checked > 0);
        th_free(r);
    }
}

static const cJSON *run_named(const cJSON *doc, const char *name)
{
    const cJSON *run;
    cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(doc, "run"))
        if (!strcmp(run->child->string, name))
            return run->child;
    return NULL;
}

static char *runs_of(const cJSON *doc)
{
    char *names = pg_xstrdup("");
    const cJSON *run;
    cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(doc, "run"))
    {
        char *more = pg_xasprintf("%s%s%s", names, *names ? " " : "", run->child->string);
        free(names);
        names = more;
    }
    return names;
}

static void test_migration_payment(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    pg_tftest t;
    pg_tftest_build(&t, th_stack(r, "payment"));
    const cJSON *m = t.doc;
    CU_ASSERT_FALSE(t.applies); /* protection: true */
    TH_ASSERT_STR(t.doc, "//", "Written by paygen generate --tests. No AWS account is used: terraform init "
                                "-backend=false, then TF_WORKSPACE=production terraform test "
                                "(docs/testing-terraform.md).");
    /* one mocked provider per provider block, the alias kept */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(m, "mock_provider.aws")), 2);
    CU_ASSERT_PTR_NULL(th_path(m, "mock_provider.aws.0.alias"));
    TH_ASSERT_STR(m, "mock_provider.aws.1.alias", "use2");
    TH_ASSERT_STR(m, "mock_provider.aws.0.override_during", "plan");
    TH_ASSERT_STR(m, "mock_provider.aws.1.override_during", "plan");
    /* ARNs in the provider's region; IAM's without one */
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_resource.aws_kms_key.defaults.arn",
                  "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000");
    TH_ASSERT_STR(m, "mock_provider.aws.1.mock_resource.aws_kms_key.defaults.arn",
                  "arn:aws:kms:us-east-2:123456789012:key/00000000-0000-0000-0000-000000000000");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_resource.aws_iam_role.defaults.arn",
                  "arn:aws:iam::123456789012:role/paygen-test");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_resource.aws_lb.defaults.arn_suffix",
                  "app/paygen-test/0123456789abcdef");
    CU_ASSERT_PTR_NULL(th_path(m, "mock_provider.aws.0.mock_resource.aws_route")); /* no ARN */
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_data.aws_caller_identity.defaults.account_id", "123456789012");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_data.aws_partition.defaults.partition", "aws");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_data.aws_iam_policy_document.defaults.json",
                  "{\"Statement\":[],\"Version\":\"2012-10-17\"}");
    /* remote state: the output the state check compares holds the value it
     * is compared with, so the plan passes the precondition */
    TH_ASSERT_STR(m, "override_data.0.target", "data.terraform_remote_state.legacy");
    TH_ASSERT_STR(m, "override_data.0.values.outputs.vpc_id", "vpc-0a1b2c3d4e5f60718");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(m, "override_data.0.values.outputs")), 1);
    /* variables that pass, and values each validation refuses */
    TH_ASSERT_STR(m, "variables.alert_email", "alerts@example.com");
    /* the certificates are the stack's: ACM ARNs in each region, and the
     * one validation record a certificate of one name asks for */
    CU_ASSERT_PTR_NULL(th_path(m, "variables.certificate_arn_use1"));
    TH_ASSERT_STR(m, "mock_provider.aws.1.mock_resource.aws_acm_certificate.defaults.arn",
                  "arn:aws:acm:us-east-2:123456789012:certificate/00000000-0000-0000-0000-000000000000");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_resource.aws_acm_certificate.defaults."
                     "domain_validation_options.0.resource_record_type", "CNAME");
    CU_ASSERT_PTR_NULL(th_path(m, "variables.active_color")); /* it has a default */
    char *names = runs_of(m);
    CU_ASSERT_STRING_EQUAL(names, "plan variables_rejected");
    free(names);
    const cJSON *bad = run_named(m, "variables_rejected");
    TH_ASSERT_STR(bad, "command", "plan");
    TH_ASSERT_STR(bad, "expect_failures.0", "var.alert_email");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(bad, "expect_failures")), 1);
    TH_ASSERT_STR(bad, "variables.alert_email", "alerts.example.com");
    CU_ASSERT_STRING_EQUAL(t.environment, "production");
    pg_tftest_free(&t);
    th_free(r);
}

static void test_unprotected_profile_applies(void)
{
    /* today's RDS instance, moved: nothing is imported */
    const char *sets[] = {"protection=false", "environment=staging", "phase=migration", NULL};
    th_run *r = th_generate("profiles/examples/from-rds-postgresql.yaml", sets);
    TH_ASSERT_OK(r);
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        pg_tftest t;
        pg_tftest_build(&t, r->g.out.stacks[s]);
        CU_ASSERT_TRUE(t.applies);
        CU_ASSERT_STRING_EQUAL(t.environment, "staging");
        char *names = runs_of(t.doc);
        CU_ASSERT_STRING_EQUAL(names, s == PG_STACK_PAYMENT ? "plan variables_rejected apply" : "plan apply");
        free(names);
        /* the mocks are applied when the apply is, else the plan's random
         * values would differ from the apply's */
        CU_ASSERT_PTR_NULL(th_path(t.doc, "mock_provider.aws.0.override_during"));
        pg_tftest_free(&t);
    }
    th_free(r);
}

/* Mocked providers cannot import: each import target is overridden, at
 * plan, and a stack that adopts is planned only, protected or not. */
static void test_adopting_profile_is_planned_only(void)
{
    th_run *r = th_generate("profiles/examples/staging-rehearsal.yaml", NULL);
    TH_ASSERT_OK(r);
    pg_tftest t;
    pg_tftest_build(&t, r->g.out.stacks[PG_STACK_PAYMENT]);
    CU_ASSERT_FALSE(t.applies);
    char *names = runs_of(t.doc);
    CU_ASSERT_STRING_EQUAL(names, "plan variables_rejected");
    free(names);
    const cJSON *o = th_path(t.doc, "override_resource");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(o), 3); /* the cluster's log group, the cluster, its instance */
    TH_ASSERT_STR(o, "0.target", "aws_cloudwatch_log_group.db_postgresql_use1");
    TH_ASSERT_STR(o, "0.values.arn", "arn:aws:logs:us-east-1:123456789012:log-group:paygen-test");
    TH_ASSERT_STR(o, "0.override_during", "plan");
    TH_ASSERT_STR(o, "1.target", "aws_rds_cluster.main_use1");
    TH_ASSERT_STR(o, "1.values.arn", "arn:aws:rds:us-east-1:123456789012:cluster:paygen-test");
    TH_ASSERT_STR(o, "2.target", "aws_rds_cluster_instance.instance_1_use1");
    TH_ASSERT_STR(t.doc, "mock_provider.aws.0.override_during", "plan");
    pg_tftest_free(&t);
    th_free(r);
}

/* The same stack, built twice and generated twice, prints the same. */
static void test_deterministic(void)
{
    th_run *a = th_generate("profiles/production.yaml", NULL);
    th_run *b = th_generate("profiles/production.yaml", NULL);
    TH_ASSERT_OK(a);
    TH_ASSERT_OK(b);
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        pg_tftest x, y, z;
        pg_tftest_build(&x, a->g.out.stacks[s]);
        pg_tftest_build(&y, a->g.out.stacks[s]);
        pg_tftest_build(&z, b->g.out.stacks[s]);
        char *tx = pg_json_print(x.doc), *ty = pg_json_print(y.doc), *tz = pg_json_print(z.doc);
        CU_ASSERT_STRING_EQUAL(tx, ty);
        CU_ASSERT_STRING_EQUAL(tx, tz);
        free(tx), free(ty), free(tz);
        pg_tftest_free(&x), pg_tftest_free(&y), pg_tftest_free(&z);
    }
    th_free(a);
    th_free(b);
}

/* What other plugins could write: another partition, a type the table does
 * not know on an aliased provider, remote state outputs read, variables of
 * other types, a protected terraform_data. */
static void test_other_stacks(void)
{
    static const char text[] =
        "{\"provider\": {\"aws\": [{\"region\": \"us-gov-west-1\"}, {\"alias\": \"east\", \"region\": "
        "\"us-gov-east-1\"}]},"
        " \"data\": {\"aws_partition\": {\"current\": {}},"
        "          \"terraform_remote_state\": {\"net\": {\"backend\": \"s3\", \"config\": {}}}},"
        " \"resource\": {\"aws_sqs_queue\": {\"q\": {\"provider\": \"aws.east\", \"name\": \"q\"}},"
        "   \"aws_ssm_parameter\": {\"p\": {\"name\": \"p\", \"type\": \"String\","
        "      \"value\": \"${data.terraform_remote_state.net.outputs.vpc_id}/"
        "${data.terraform_remote_state.net.outputs.zone}"
        "${data.terraform_remote_state.net.outputs.vpc_id}\"}},"
        "   \"terraform_data\": {\"workspace_guard\": {\"input\": \"dev\","
        "      \"lifecycle\": {\"prevent_destroy\": true}}}},"
        " \"variable\": {\"replicas\": {\"type\": \"number\"}, \"names\": {\"type\": \"list(string)\"},"
        "   \"certificate_arn_east\": {\"type\": \"string\"}, \"tier\": {\"default\": \"x\"},"
        "   \"owner_email\": {\"type\": \"string\"}}}";
    cJSON *stack = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(stack);
    pg_tftest t;
    pg_tftest_build(&t, stack);
    const cJSON *m = t.doc;
    CU_ASSERT_FALSE(t.applies);
    CU_ASSERT_STRING_EQUAL(t.environment, "dev");
    TH_ASSERT_STR(m, "mock_provider.aws.0.mock_data.aws_partition.defaults.partition", "aws-us-gov");
    CU_ASSERT_PTR_NULL(th_path(m, "mock_provider.aws.1.mock_data")); /* only the default reads it */
    CU_ASSERT_PTR_NULL(th_path(m, "mock_provider.aws.0.mock_resource")); /* the queue is east's */
    TH_ASSERT_STR(m, "mock_provider.aws.1.mock_resource.aws_sqs_queue.defaults.arn",
                  "arn:aws-us-gov:sqs:us-gov-east-1:123456789012:queue/paygen-test");
    TH_ASSERT_STR(m, "override_data.0.values.outputs.vpc_id", "paygen-test");
    TH_ASSERT_STR(m, "override_data.0.values.outputs.zone", "paygen-test");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(th_path(m, "override_data.0.values.outputs")), 2);
    CU_ASSERT_EQUAL(th_num(m, "variables.replicas"), 1);
    CU_ASSERT(cJSON_IsArray(th_path(m, "variables.names")));
    TH_ASSERT_STR(m, "variables.certificate_arn_east",
                  "arn:aws-us-gov:acm:us-gov-east-1:123456789012:certificate/"
                  "00000000-0000-0000-0000-000000000000");
    TH_ASSERT_STR(m, "variables.owner_email", "alerts@example.com");
    CU_ASSERT_PTR_NULL(th_path(m, "variables.tier"));
    char *names = runs_of(m);
    CU_ASSERT_STRING_EQUAL(names, "plan"); /* no validation to refuse a value */
    free(names);
    pg_tftest_free(&t);
    cJSON_Delete(stack);

    /* no workspace guard, no provider block: Terraform's default provider */
    stack = cJSON_Parse("{\"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"b\"}}}}");
    pg_tftest_build(&t, stack);
    CU_ASSERT_PTR_NULL(t.environment);
    CU_ASSERT_TRUE(t.applies);
    TH_ASSERT_STR(t.doc, "mock_provider.aws.0.mock_resource.aws_s3_bucket.defaults.arn",
                  "arn:aws:s3:::paygen-test");
    pg_tftest_free(&t);
    cJSON_Delete(stack);
}

static bool exists(const char *dir, const char *name)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    struct stat st;
    bool found = lstat(path, &st) == 0;
    free(path);
    return found;
}

/* The writer's extra files: below a stack, in directories it makes (more
 * than one level), printed like the stacks; a failure removes the
 * directories the run made and leaves the rest as it was. */
static void test_writer_extra_files(void)
{
    th_run *r = th_generate("profiles/legacy.yaml", NULL);
    TH_ASSERT_OK(r);
    cJSON *doc = cJSON_Parse("{\"b\": 2, \"a\": 1}");
    const pg_extra_file extra[] = {{PG_STACK_PAYMENT, "tests/deeper", "x.json", doc},
                                   {PG_STACK_BOOTSTRAP, "tests", "y.json", doc}};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", th_scratch("extra"));
    pg_errors err = {0};
    int rc = pg_write_tree_with(dir, r->g.out.stacks, r->g.manifest, extra, 2, PG_WRITE_FORCE, &err);
    CU_ASSERT_EQUAL(rc, 0);
    char *x = th_slurp(dir, "stacks/payment/tests/deeper/x.json");
    char *y = th_slurp(dir, "stacks/bootstrap/tests/y.json");
    CU_ASSERT_PTR_NOT_NULL(x);
    CU_ASSERT_PTR_NOT_NULL(y);
    if (x && y) {
        CU_ASSERT_STRING_EQUAL(x, "{\n  \"b\": 2,\n  \"a\": 1\n}\n"); /* the caller sorts */
        CU_ASSERT_STRING_EQUAL(x, y);
    }
    free(x);
    free(y);
    CU_ASSERT_EQUAL(err.count, 0);

    /* stacks/bootstrap/tests is a file: refused, payment's tests/ removed */
    snprintf(dir, sizeof dir, "%s", th_scratch("extra-blocked"));
    CU_ASSERT_EQUAL_FATAL(pg_write_tree(dir, r->g.out.stacks, r->g.manifest, PG_WRITE_FORCE, &err), 0);
    char *manifest = th_slurp(dir, "manifest.json");
    char *blocker = pg_xasprintf("%s/stacks/bootstrap/tests", dir);
    FILE *f = fopen(blocker, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    free(blocker);
    CU_ASSERT_EQUAL(pg_write_tree_with(dir, r->g.out.stacks, r->g.manifest, extra, 2, 0, &err), -1);
    CU_ASSERT(err.count == 1 &&
              strstr(err.messages[0], "stacks/bootstrap/tests: exists and is not a directory"));
    CU_ASSERT_FALSE(exists(dir, "stacks/payment/tests"));
    char *after = th_slurp(dir, "manifest.json");
    CU_ASSERT(manifest && after && !strcmp(manifest, after));
    free(manifest);
    free(after);
    pg_errors_free(&err);
    cJSON_Delete(doc);
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"the table matches the provider schema", test_table_matches_the_provider_schema},
        {"every type of every phase is in the table", test_every_type_of_every_phase_is_in_the_table},
        {"migration's payment stack", test_migration_payment},
        {"an unprotected profile applies", test_unprotected_profile_applies},
        {"an adopting profile is planned only", test_adopting_profile_is_planned_only},
        {"deterministic", test_deterministic},
        {"what other plugins could write", test_other_stacks},
        {"the writer's extra files", test_writer_extra_files},
        CU_TEST_INFO_NULL,
    };
    return th_main("tftest", tests);
}
