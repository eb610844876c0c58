/* SPDX-License-Identifier: Apache-2.0 */
/* References of ABI 2.0 (core/engine/registry.c): a plugin publishes only names it
 * declares, with their scope and kind; a reader reads only declared names in
 * a namespace it needs, in the right scope and kind. pg_need() fails the run
 * on a missing value, pg_lookup() answers NULL quietly. Every misuse is an
 * error naming the plugin and the name. */
#include <string.h>

#include "harness.h"

/* What the publisher x and the readers do in the test running now. */
static enum {
    PUBLISH_ALL, PUBLISH_UNDECLARED, PUBLISH_PATTERN_TOO_DEEP, PUBLISH_GLOBAL_IN_REGION,
    PUBLISH_REGIONAL_GLOBALLY, PUBLISH_STRING_AS_LIST, PUBLISH_LIST_AS_STRING, PUBLISH_TWICE,
} publish_mode;

static enum {
    READ_ALL, READ_UNDECLARED, READ_GLOBAL_IN_REGION, READ_REGIONAL_GLOBALLY, READ_LIST_AS_STRING,
    READ_STRING_AS_LIST, NEED_UNPUBLISHED, NEED_UNPUBLISHED_REGIONAL, LOOKUP_UNPUBLISHED,
} read_mode;

static const pg_publication x_publishes[] = {
    {"x.global", PG_GLOBAL, PG_KIND_STRING},
    {"x.regional", PG_REGIONAL, PG_KIND_STRING},
    {"x.list", PG_GLOBAL, PG_KIND_LIST},
    {"x.zones", PG_REGIONAL, PG_KIND_LIST},
    {"x.*.arn", PG_REGIONAL, PG_KIND_STRING},
    {"x.later", PG_GLOBAL, PG_KIND_STRING},          /* declared, never published */
    {"x.regional_later", PG_REGIONAL, PG_KIND_STRING},
    PG_PUBLICATIONS_END,
};

static int publish_x(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *primary = pg_ctx_primary(ctx);
    switch (publish_mode) {
    case PUBLISH_UNDECLARED: pg_publish_string(out, NULL, "x.other", "o"); break;
    case PUBLISH_PATTERN_TOO_DEEP: pg_publish_string(out, primary, "x.a.b.arn", "arn"); break;
    case PUBLISH_GLOBAL_IN_REGION: pg_publish_string(out, primary, "x.global", "g"); break;
    case PUBLISH_REGIONAL_GLOBALLY: pg_publish_string(out, NULL, "x.regional", "r"); break;
    case PUBLISH_STRING_AS_LIST: pg_publish(out, NULL, "x.list", cJSON_CreateString("a")); break;
    case PUBLISH_LIST_AS_STRING: pg_publish(out, NULL, "x.global", pg_strings("a")); break;
    case PUBLISH_TWICE:
        pg_publish_string(out, NULL, "x.global", "first");
        pg_publish_string(out, NULL, "x.global", "second");
        break;
    case PUBLISH_ALL:
        pg_publish_string(out, NULL, "x.global", "g");
        pg_publish(out, NULL, "x.list", pg_strings("a", "b"));
        for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
            const pg_region *r = pg_ctx_region(ctx, i);
            pg_publish_string(out, r, "x.regional", pg_printf(out, "r-%s", r->code));
            pg_publish(out, r, "x.zones", pg_strings(r->azs[0], r->azs[1], r->azs[2]));
            cJSON *db = pg_resource(out, r, "aws_sqs_queue", "db");
            pg_publish_refs(out, r, "x.db", db, "arn");
        }
        break;
    }
    return 0;
}

static const char *text_of(const cJSON *list, int i)
{
    const cJSON *item = cJSON_GetArrayItem(list, i);
    return cJSON_IsString(item) ? item->valuestring : "(not a string)";
}

static int read_all(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_region(ctx, 1);
    const char *global = pg_need(ctx, NULL, "x.global");
    const char *regional = pg_need(ctx, r, "x.regional");
    const char *arn = pg_need(ctx, r, "x.db.arn");
    const cJSON *list = pg_need_list(ctx, NULL, "x.list");
    const cJSON *zones = pg_lookup_list(ctx, r, "x.zones");
    const char *region = pg_need(ctx, r, "aws.region");
    const char *account = pg_need(ctx, NULL, "aws.account_id");
    if (!global || !regional || !arn || !list || !zones || !region || !account)
        return -1;
    pg_output(out, "global", global, NULL);
    pg_output(out, "regional", regional, NULL);
    pg_output(out, "arn", arn, NULL);
    pg_output(out, "list", pg_printf(out, "%d:%s,%s", cJSON_GetArraySize(list), text_of(list, 0),
                                     text_of(list, 1)), NULL);
    pg_output(out, "zones", pg_printf(out, "%d:%s", cJSON_GetArraySize(zones), text_of(zones, 2)), NULL);
    pg_output(out, "region", region, NULL);
    pg_output(out, "account", account, NULL);
    return 0;
}

static int reader(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_primary(ctx);
    const char *v = NULL;
    switch (read_mode) {
    case READ_ALL: return read_all(ctx, out);
    case READ_UNDECLARED: v = pg_lookup(ctx, NULL, "x.nothing"); break;
    case READ_GLOBAL_IN_REGION: v = pg_lookup(ctx, r, "x.global"); break;
    case READ_REGIONAL_GLOBALLY: v = pg_need(ctx, NULL, "x.regional"); break;
    case READ_LIST_AS_STRING: v = pg_lookup(ctx, NULL, "x.list"); break;
    case READ_STRING_AS_LIST: v = pg_lookup_list(ctx, NULL, "x.global") ? "a list" : NULL; break;
    case NEED_UNPUBLISHED:
        if (!(v = pg_need(ctx, NULL, "x.later")))
            return -1;
        break;
    case NEED_UNPUBLISHED_REGIONAL:
        if (!(v = pg_need(ctx, r, "x.regional_later")))
            return -1;
        break;
    case LOOKUP_UNPUBLISHED: v = pg_lookup(ctx, NULL, "x.later"); break;
    }
    pg_output(out, "value", v ? v : "absent", NULL);
    return 0;
}

static int loner(const pg_ctx *ctx, pg_out *out)
{
    (void)out;
    (void)pg_lookup(ctx, NULL, "x.global");
    return 0;
}

static const char *const needs_x[] = {"x", NULL};
TH_PLUGIN(plugin_x, "x", x_publishes, NULL, NULL, 0, publish_x);
TH_PLUGIN(plugin_reader, "reader", NULL, needs_x, NULL, 0, reader);
TH_PLUGIN(plugin_loner, "loner", NULL, NULL, NULL, 0, loner);

static th_run *run_modes(int publish, int read)
{
    publish_mode = publish;
    read_mode = read;
    const pg_plugin *plugins[] = {&plugin_reader, &plugin_x};
    return th_core_only(NULL, plugins, 2);
}

/* ------------------------------------------------------------------- reading */

static void test_declared_references_read_back(void)
{
    th_run *r = run_modes(PUBLISH_ALL, READ_ALL);
    TH_ASSERT_OK(r);
    const cJSON *p = th_stack(r, "payment");
    TH_ASSERT_STR(p, "output.global.value", "g");
    TH_ASSERT_STR(p, "output.regional.value", "r-use2");
    TH_ASSERT_STR(p, "output.arn.value", "${aws_sqs_queue.db_use2.arn}");
    TH_ASSERT_STR(p, "output.list.value", "2:a,b");
    TH_ASSERT_STR(p, "output.zones.value", "3:us-east-2c");
    TH_ASSERT_STR(p, "output.region.value", "us-east-2");
    TH_ASSERT_STR(p, "output.account.value", "${data.aws_caller_identity.current.account_id}");
    /* the reader ran after the publisher, whatever the discovery order */
    CU_ASSERT_STRING_EQUAL(r->g.plugins.order[0]->vt->name, "x");
    th_free(r);
}

/* read_mode fails the run with exactly one error, want. */
static void expect_read_error(int mode, const char *want)
{
    th_run *r = run_modes(PUBLISH_ALL, mode);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, want);
    if (r->err.count != 1)
        th_dump_errors(r);
    CU_ASSERT_EQUAL(r->err.count, 1);
    th_free(r);
}

static void test_misreads_name_plugin_and_reference(void)
{
    expect_read_error(READ_UNDECLARED, "plugin reader reads 'x.nothing', which no loaded plugin declares");
    expect_read_error(READ_GLOBAL_IN_REGION,
                      "plugin reader reads 'x.global' in a region, but x publishes it globally");
    expect_read_error(READ_REGIONAL_GLOBALLY,
                      "plugin reader reads 'x.regional' globally, but x publishes it per region");
    expect_read_error(READ_LIST_AS_STRING, "plugin reader reads 'x.list' as a string, but it is a list");
    expect_read_error(READ_STRING_AS_LIST, "plugin reader reads 'x.global' as a list, but it is a string");
}

static void test_read_outside_needs_is_an_error(void)
{
    publish_mode = PUBLISH_ALL;
    const pg_plugin *plugins[] = {&plugin_x, &plugin_loner};
    th_run *r = th_core_only(NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "plugin loner reads 'x.global' but does not declare the need 'x'");
    th_free(r);
}

static void test_need_of_unpublished_fails_the_run(void)
{
    /* The reason once, and no "failed without saying why" on top of it. */
    expect_read_error(NEED_UNPUBLISHED, "plugin reader needs 'x.later', which x did not publish");
    expect_read_error(NEED_UNPUBLISHED_REGIONAL,
                      "plugin reader needs 'x.regional_later' in us-east-1, which x did not publish");
}

static void test_lookup_of_unpublished_is_quietly_null(void)
{
    th_run *r = run_modes(PUBLISH_ALL, LOOKUP_UNPUBLISHED);
    TH_ASSERT_OK(r);
    CU_ASSERT_EQUAL(r->err.count, 0);
    TH_ASSERT_STR(th_stack(r, "payment"), "output.value.value", "absent");
    th_free(r);
}

/* ---------------------------------------------------------------- publishing */

static void expect_publish_error(int mode, const char *want)
{
    th_run *r = run_modes(mode, LOOKUP_UNPUBLISHED);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, want);
    th_free(r);
}

static void test_mispublishing_is_an_error(void)
{
    expect_publish_error(PUBLISH_UNDECLARED,
                         "plugin x: publishes 'x.other' a name it does not declare in its publishes table");
    /* '*' stands for one dotted segment only */
    expect_publish_error(PUBLISH_PATTERN_TOO_DEEP,
                         "plugin x: publishes 'x.a.b.arn' a name it does not declare in its publishes table");
    expect_publish_error(PUBLISH_GLOBAL_IN_REGION,
                         "plugin x: publishes 'x.global' in a region, but declares it global");
    expect_publish_error(PUBLISH_REGIONAL_GLOBALLY,
                         "plugin x: publishes 'x.regional' without a region, but declares it per region");
    expect_publish_error(PUBLISH_STRING_AS_LIST, "plugin x: publishes 'x.list' with a value that is not a list");
    expect_publish_error(PUBLISH_LIST_AS_STRING,
                         "plugin x: publishes 'x.global' with a value that is not a string");
    expect_publish_error(PUBLISH_TWICE, "plugin x: publishes 'x.global', already published by x");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"declared references read back", test_declared_references_read_back},
        {"misreads name plugin and reference", test_misreads_name_plugin_and_reference},
        {"read outside needs is an error", test_read_outside_needs_is_an_error},
        {"need of an unpublished name fails the run", test_need_of_unpublished_fails_the_run},
        {"lookup of an unpublished name is quietly NULL", test_lookup_of_unpublished_is_quietly_null},
        {"mispublishing is an error", test_mispublishing_is_an_error},
        CU_TEST_INFO_NULL,
    };
    return th_main("references", tests);
}
