/* SPDX-License-Identifier: Apache-2.0 */
/* paygen validate: small broken documents (tests/data/validate/) each give
 * exactly the expected finding; the valid one gives none; the provider
 * schema loads and knows the built-in types; generated stacks validate. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "inputs.h"
#include "tftemplate.h"
#include "validate.h"

static const char *schema_path(void)
{
    static char buf[4096];
    const char *src = getenv("PAYGEN_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/share/aws-provider-schema/aws-5.x.schema.json.gz", src ? src : ".");
    return buf;
}

/* The schema must be there: a missing file fails the schema tests. */
static const pg_schema *need_schema(void)
{
    const pg_schema *s = th_schema();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

/* Parsed as is, not through inputs.c: the reader refuses some of these
 * documents (duplicate_key) before validate would see them, and here
 * validate's own findings are under test. */
static cJSON *load(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/validate/%s.json", name);
    pg_errors err = {0};
    char *text = pg_read_text(th_source(rel), &err);
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "\n%s", err.messages[i]);
    pg_errors_free(&err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    return doc;
}

typedef struct expectation {
    const char *file;
    bool with_schema;
    const char *finding; /* the one error expected, stack "t" */
} expectation;

static const expectation cases[] = {
    /* provider schema */
    {"unknown_type", true, "t/aws_vpcc.extra: unknown resource type aws_vpcc (did you mean aws_vpc?)"},
    {"unknown_argument", true, "t/aws_vpc.main.cidr_blok: unknown argument (did you mean cidr_block?)"},
    {"computed_only", true, "t/aws_vpc.main.arn: computed-only attribute cannot be set"},
    {"missing_required", true, "t/aws_subnet.app.vpc_id: missing required argument"},
    {"block_as_string", true,
     "t/aws_lb.web.access_logs: block given as a string; expected an object or an array of objects"},
    {"max_items", true, "t/aws_lb.web.access_logs: at most 1 block allowed, 2 given"},
    {"unknown_attribute", true, "t/aws_subnet.app.vpc_id: aws_vpc has no attribute \"idd\" (did you mean id?)"},
    {"number_for_bool", true, "t/aws_vpc.main.enable_dns_hostnames: expected bool, got number"},
    /* without a schema */
    {"unbalanced", false, "t/aws_vpc.main.tags.Name: unbalanced \"${\" (no closing \"}\")"},
    {"unbalanced_directive", false, "t/output.vpc_id.value: \"%{if}\" without \"%{endif}\""},
    {"undeclared", false, "t/aws_subnet.app.vpc_id: reference to undeclared resource aws_vpc.missing"},
    {"undeclared_data", false,
     "t/output.policy.value: reference to undeclared data source data.aws_iam_policy_document.q"},
    {"undeclared_variable", false, "t/output.vpc_id.value: reference to undeclared variable var.wieght"},
    {"alias_missing", false,
     "t/aws_s3_bucket.logs.provider: provider aws.use3 is not configured (no provider \"aws\" block with alias "
     "\"use3\")"},
    {"provider_template", false,
     "t/aws_s3_bucket.logs.provider: must be a bare provider reference (like aws.use2), not \"${...}\": "
     "\"${aws.use2}\""},
    {"depends_on_template", false,
     "t/aws_subnet.app.depends_on: must be a bare reference (like aws_vpc.main), not \"${...}\": "
     "\"${aws_vpc.main}\""},
    {"ignore_changes_template", false,
     "t/aws_subnet.app.lifecycle.ignore_changes: must be a bare attribute name, not \"${...}\": \"${tags}\""},
    {"lifecycle_key", false, "t/aws_subnet.app.lifecycle.prevent_destory: unknown lifecycle argument"},
    {"count_and_for_each", false, "t/aws_subnet.app: \"count\" and \"for_each\" cannot both be set"},
    {"count_index_outside", false, "t/aws_vpc.main.tags.Name: count.index used in a block without \"count\""},
    {"no_name_tag", false, "t/aws_vpc.main.tags: taggable resource has no Name tag"},
    {"unknown_top_key", false, "t/resources: unknown top-level key (did you mean resource?)"},
    {"long_name", false,
     "t/aws_lb.web.name: name \"payment-tg-blue-production-abc123\" is 33 characters; AWS allows 1 to 32"},
    {"bucket_uppercase", false,
     "t/aws_s3_bucket.logs.bucket: name \"Payment-Logs\" has a character AWS does not allow ('P')"},
    {"duplicate_key", false, "t/resource.aws_vpc.main: duplicate key \"enable_dns_hostnames\""},
    {"bad_label", false, "t/aws_vpc.main vpc: label \"main vpc\" is not a valid identifier"},
    {"enum_value", false,
     "t/aws_lb.web.load_balancer_type: \"applicaton\" is not one of application|gateway|network"},
    {"import_twice", false, "t/import[1].to: aws_vpc.main is imported twice"},
    {"import_undeclared", false, "t/import[1].to: reference to undeclared aws_rds_cluster.gone"},
    {"import_data", false, "t/import[1].to: must name a managed resource (like aws_rds_cluster.main)"},
};

static void check_case(const expectation *c, const pg_schema *s)
{
    cJSON *doc = load(c->file);
    pg_errors errors = {0}, warnings = {0};
    size_t n = pg_validate_stack(doc, "t", s, &errors, &warnings);
    bool ok = n == 1 && errors.count == 1 && !strcmp(errors.messages[0], c->finding);
    if (!ok) {
        fprintf(stderr, "\n%s: expected \"%s\", got %zu:\n", c->file, c->finding, n);
        for (size_t i = 0; i < errors.count; i++)
            fprintf(stderr, "  %s\n", errors.messages[i]);
    }
    CU_ASSERT_TRUE(ok);
    pg_errors_free(&errors);
    pg_errors_free(&warnings);
    cJSON_Delete(doc);
}

static void test_schema_findings(void)
{
    const pg_schema *s = need_schema();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (cases[i].with_schema)
            check_case(&cases[i], s);
}

static void test_findings_without_schema(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (!cases[i].with_schema)
            check_case(&cases[i], NULL);
}

/* The same structural findings come out with a schema too, and nothing more. */
static void test_structural_findings_with_schema(void)
{
    const pg_schema *s = need_schema();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (!cases[i].with_schema && strcmp(cases[i].file, "bad_label") && strcmp(cases[i].file, "unknown_top_key"))
            check_case(&cases[i], s);
}

static void test_valid_document(void)
{
    const pg_schema *s = need_schema();
    cJSON *doc = load("valid");
    pg_errors errors = {0}, warnings = {0};
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", NULL, &errors, &warnings), 0);
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", s, &errors, &warnings), 0);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "\n  %s", errors.messages[i]);
    CU_ASSERT_EQUAL(errors.count, 0);
    CU_ASSERT_EQUAL(warnings.count, 0);
    pg_errors_free(&errors);
    pg_errors_free(&warnings);
    cJSON_Delete(doc);
}

static void test_schema_index(void)
{
    const pg_schema *s = need_schema();
    CU_ASSERT_PTR_NOT_NULL(pg_schema_block(s, false, "aws_vpc"));
    CU_ASSERT_PTR_NOT_NULL(pg_schema_block(s, true, "aws_iam_policy_document"));
    CU_ASSERT_PTR_NULL(pg_schema_block(s, true, "aws_vpc_security_group_ingress_rule"));
    CU_ASSERT_PTR_NOT_NULL(pg_schema_block(s, false, "terraform_data"));
    CU_ASSERT_PTR_NOT_NULL(pg_schema_block(s, true, "terraform_remote_state"));
    CU_ASSERT_PTR_NULL(pg_schema_block(s, false, "terraform_remote_state"));
    CU_ASSERT_STRING_EQUAL(pg_schema_suggest(s, false, "aws_s3_buckt"), "aws_s3_bucket");
    pg_errors err = {0};
    CU_ASSERT_PTR_NULL(pg_schema_load(th_source("tests/data/validate/valid.json"), &err));
    CU_ASSERT_EQUAL(err.count, 1);
    pg_errors_free(&err);
}

/* Paths are cut at 767 characters; a step of the walk that would not fit is
 * left out whole, and the steps below it still show. */
static void test_long_paths(void)
{
    char key[761], label[801];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    memset(label, 'l', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    cJSON *doc = cJSON_CreateObject();
    cJSON *vpc = cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "resource"), "aws_vpc");
    cJSON *main_vpc = cJSON_AddObjectToObject(vpc, "main");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(main_vpc, "tags"), "Name", "x");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(main_vpc, key), "a", "${var.nope}");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(vpc, label), "cidr_block", "10.1.0.0/16");
    pg_errors errors = {0};
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", NULL, &errors, NULL), 2);
    char *address = pg_xasprintf("aws_vpc.%s", label);
    char *cut = pg_xasprintf("t/%.767s: taggable resource has no Name tag", address);
    if (errors.count == 2) {
        CU_ASSERT_STRING_EQUAL(errors.messages[0], "t/aws_vpc.main.a: reference to undeclared variable var.nope");
        CU_ASSERT_STRING_EQUAL(errors.messages[1], cut);
    }
    free(cut);
    free(address);
    pg_errors_free(&errors);
    cJSON_Delete(doc);
}

/* terraform_data and terraform_remote_state are checked with no schema at all. */
static void test_builtin_types_without_schema(void)
{
    cJSON *doc = cJSON_Parse("{\"resource\":{\"terraform_data\":{\"x\":{\"inputt\":1,"
                             "\"triggers_replace\":\"${data.terraform_remote_state.net.outputz}\"}}},"
                             "\"data\":{\"terraform_remote_state\":{\"net\":{\"config\":{}}}},"
                             "\"output\":{\"o\":{\"value\":\"${terraform_data.x.output}\"}}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    pg_errors errors = {0};
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", NULL, &errors, NULL), 3);
    static const char *const want[] = {
        "t/terraform_data.x.triggers_replace: data.terraform_remote_state has no attribute \"outputz\" (did you "
        "mean outputs?)",
        "t/terraform_data.x.inputt: unknown argument (did you mean input?)",
        "t/data.terraform_remote_state.net.backend: missing required argument",
    };
    for (size_t i = 0; i < errors.count && i < 3; i++) {
        if (strcmp(errors.messages[i], want[i]))
            fprintf(stderr, "\n  got %s\n want %s", errors.messages[i], want[i]);
        CU_ASSERT_STRING_EQUAL(errors.messages[i], want[i]);
    }
    pg_errors_free(&errors);
    cJSON_Delete(doc);
}

static void test_templates(void)
{
    /* escapes, nested strings and for expressions are not references */
    cJSON *doc = cJSON_Parse(
        "{\"variable\":{\"names\":{}},\"resource\":{\"terraform_data\":{\"x\":{"
        "\"input\":\"$${literal} %%{ also } ${join(\\\",\\\", [for n in var.names : \\\"${n}-${upper(n)}\\\"])}"
        " ${{for k, v in var.names : k => v}} ${var.names[\\\"a}\\\"]}\","
        "\"triggers_replace\":\"${terraform.workspace}${path.module}\"}}}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    pg_errors errors = {0};
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", NULL, &errors, NULL), 0);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "\n  %s", errors.messages[i]);
    pg_errors_free(&errors);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"resource\":{\"terraform_data\":{\"x\":{\"input\":\"${self.id} ${each.key} ${foo(}\"}}}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(pg_validate_stack(doc, "t", NULL, &errors, NULL), 3);
    CU_ASSERT_STRING_EQUAL(errors.messages[2], "t/terraform_data.x.input: mismatched bracket in template");
    pg_errors_free(&errors);
    cJSON_Delete(doc);
    static const char *const broken[][2] = {
        {"%{ if true }x", "\"%{if}\" without \"%{endif}\""},
        {"%{ for x in [] }x%{ endif }", "\"%{endif}\" without \"%{if}\""},
        {"x%{ else }", "\"%{else}\" without \"%{if}\""},
        {"%{ if true ", "unbalanced \"%{\" (no closing \"}\")"},
        {"${[1, 2}", "mismatched bracket in template"},
        {"${\"abc}", "unterminated string inside a template"},
        {"%{ while x }", "unknown template directive (expected if, else, endif, for or endfor)"},
    };
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        const char *problem = pg_template_scan(broken[i][0], NULL, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(problem);
        CU_ASSERT_STRING_EQUAL(problem, broken[i][1]);
    }
    CU_ASSERT_PTR_NULL(pg_template_scan("$${x %%{ y ${a ? \"}\" : \"{\"} %{ for a, b in c }${a}%{ endfor }", NULL, NULL));
    CU_ASSERT_TRUE(pg_template_has_expr("a ${b}"));
    CU_ASSERT_FALSE(pg_template_has_expr("a $${b} %%{c}"));
}

/* Every stack the real plugins generate validates against the provider
 * schema; without a schema, validation takes no more than microseconds per
 * resource. */
static void test_generated_stacks_validate(void)
{
    const pg_schema *s = need_schema();
    static const char *const profiles[] = {"profiles/legacy.yaml", "profiles/migration.yaml",
                                           "profiles/production.yaml"};
    for (size_t p = 0; p < 3; p++) {
        th_run *r = th_generate(profiles[p], NULL);
        TH_ASSERT_OK(r);
        for (size_t k = 0; k < PG_STACK_COUNT; k++) {
            pg_errors errors = {0};
            size_t n = pg_validate_stack(r->g.out.stacks[k], pg_stack_names[k], s, &errors, NULL);
            for (size_t i = 0; i < errors.count; i++)
                fprintf(stderr, "\n%s: %s", profiles[p], errors.messages[i]);
            CU_ASSERT_EQUAL(n, 0);
            pg_errors_free(&errors);
        }
        if (p == 2) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            size_t found = 0;
            for (int rep = 0; rep < 20; rep++)
                for (size_t k = 0; k < PG_STACK_COUNT; k++) {
                    pg_errors errors = {0};
                    found += pg_validate_stack(r->g.out.stacks[k], pg_stack_names[k], NULL, &errors, NULL);
                    pg_errors_free(&errors);
                }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / 20;
            fprintf(stderr, "\n  validate without schema: %.3f ms per generation (%zu blocks)\n", ms,
                    r->g.out.block_count);
            CU_ASSERT_EQUAL(found, 0);
        }
        th_free(r);
    }
}

static void test_inputs_from_output_dir(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    const char *dir = th_scratch("validate-out");
    CU_ASSERT_EQUAL_FATAL(pg_generation_write(&r->g, dir, &r->err), 0);
    pg_inputs in = {0};
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_inputs_add(&in, dir, &err), 0);
    CU_ASSERT_EQUAL(in.count, PG_STACK_COUNT);
    for (size_t i = 0; i < in.count; i++)
        CU_ASSERT_EQUAL(in.items[i].protection, 1);
    CU_ASSERT_TRUE(!strcmp(in.items[0].stack, "bootstrap") || !strcmp(in.items[0].stack, "payment"));
    CU_ASSERT_STRING_NOT_EQUAL(in.items[0].stack, in.items[1].stack);
    pg_inputs_free(&in);
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/broken.json", dir);
    FILE *f = fopen(bad, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("{\n  \"resource\": {\n    \"x\": 1,,\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(pg_inputs_add(&in, bad, &err), -1);
    CU_ASSERT_EQUAL_FATAL(err.count, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.messages[0], "broken.json:3:"));
    pg_errors_free(&err);
    pg_inputs_free(&in);
    th_free(r);
}

/* The command: FILE: finding lines, exit 1 on errors, 0 when valid, 2 on usage errors;
 * the shipped provider schema by default. */
static void test_command(void)
{
    char cmd[20000], out[4200];
    const char *bin = getenv("PAYGEN_BINARY_DIR");
    const char *scratch = th_scratch("validate-cli");
    char file[4096];
    snprintf(file, sizeof file, "%s", th_source("tests/data/validate/unknown_argument.json"));
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate --provider-schema '%s' '%s' > '%s/out.txt' 2>/dev/null",
             bin ? bin : ".", schema_path(), file, scratch);
    int rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    snprintf(out, sizeof out, "%s/out.txt", scratch);
    pg_errors err = {0};
    char *text = pg_read_text(out, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    char want[12288];
    snprintf(want, sizeof want, "%s: validate/aws_vpc.main.cidr_blok: unknown argument (did you mean cidr_block?)\n",
             file);
    CU_ASSERT_STRING_EQUAL(text, want);
    free(text);
    /* Without --provider-schema the shipped schema is used (from a build
     * tree: share/aws-provider-schema/ of the source tree), and says so. */
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate '%s' > '%s/out.txt' 2> '%s/err.txt'", bin ? bin : ".",
             file, scratch, scratch);
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    text = pg_read_text(out, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, want);
    free(text);
    char err_file[4200];
    snprintf(err_file, sizeof err_file, "%s/err.txt", scratch);
    text = pg_read_text(err_file, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(provider schema "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "share/aws-provider-schema/aws-5.x.schema.json.gz)"));
    free(text);
    /* --no-provider-schema: structure only, so the unknown argument passes. */
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate --no-provider-schema '%s' > /dev/null 2> '%s/err.txt'",
             bin ? bin : ".", file, scratch);
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    text = pg_read_text(err_file, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(no provider schema: types and arguments not checked)"));
    free(text);
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate --no-provider-schema --provider-schema '%s' '%s' 2>/dev/null",
             bin ? bin : ".", schema_path(), file);
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate '%s' 2>/dev/null", bin ? bin : ".",
             th_source("tests/data/validate/valid.json"));
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    snprintf(cmd, sizeof cmd, "'%s/paygen' validate 2>/dev/null", bin ? bin : ".");
    rc = system(cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    pg_errors_free(&err);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"schema findings", test_schema_findings},
        {"findings without schema", test_findings_without_schema},
        {"structural findings with schema", test_structural_findings_with_schema},
        {"valid document", test_valid_document},
        {"schema index", test_schema_index},
        {"templates", test_templates},
        {"built-in types without schema", test_builtin_types_without_schema},
        {"long paths", test_long_paths},
        {"generated stacks validate", test_generated_stacks_validate},
        {"inputs from an output directory", test_inputs_from_output_dir},
        {"command", test_command},
        CU_TEST_INFO_NULL,
    };
    return th_main("validate", tests);
}
