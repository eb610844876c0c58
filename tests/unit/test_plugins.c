/* SPDX-License-Identifier: Apache-2.0 */
/* Plugin loading, ABI checks, ordering by needs, the reference registry and
 * merge conflicts. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- in-process plugins: a chain c -> b -> a through namespaces y and x */

static int publish_x(const pg_ctx *ctx, pg_out *out)
{
    const char *y = pg_need(ctx, NULL, "y.value");
    pg_publish_string(out, NULL, "x.value", y ? "x-after-y" : "x-without-y");
    return 0;
}

static int publish_y(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    pg_publish_string(out, NULL, "y.value", "y");
    return 0;
}

static int read_x(const pg_ctx *ctx, pg_out *out)
{
    const char *x = pg_lookup(ctx, NULL, "x.value");
    pg_variable(out, "seen", "string", "what a saw", PG_STR("default", x ? x : "nothing"));
    return 0;
}

static int read_undeclared(const pg_ctx *ctx, pg_out *out)
{
    (void)out;
    (void)pg_lookup(ctx, NULL, "y.value");
    return 0;
}

static int publish_foreign(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    pg_publish_string(out, NULL, "y.value", "stolen");
    return 0;
}

static int fail_silently(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    (void)out;
    return -1;
}

static int local_twice(const pg_ctx *ctx, pg_out *out)
{
    (void)ctx;
    pg_local(out, "shared", cJSON_CreateString("first"));
    pg_local(out, "shared", cJSON_CreateString("second"));
    return 0;
}

static const pg_publication pub_x[] = {{"x.value", PG_GLOBAL, PG_KIND_STRING}, PG_PUBLICATIONS_END};
static const pg_publication pub_y[] = {{"y.value", PG_GLOBAL, PG_KIND_STRING}, PG_PUBLICATIONS_END};
static const char *const ns_x[] = {"x", NULL};
static const char *const ns_y[] = {"y", NULL};
static const char *const ns_z[] = {"z", NULL};

#define PLUGIN(var, nm, pub, need, fn) TH_PLUGIN(var, nm, pub, need, NULL, 0, fn)

PLUGIN(plugin_a, "a", NULL, ns_x, read_x);
PLUGIN(plugin_b, "b", pub_x, ns_y, publish_x);
PLUGIN(plugin_c, "c", pub_y, NULL, publish_y);
PLUGIN(plugin_cyc1, "cyc1", pub_x, ns_y, publish_x);
PLUGIN(plugin_cyc2, "cyc2", pub_y, ns_x, publish_y);
PLUGIN(plugin_needs_z, "needs-z", NULL, ns_z, read_x);
PLUGIN(plugin_sneaky, "sneaky", NULL, NULL, read_undeclared);
PLUGIN(plugin_thief, "thief", pub_x, NULL, publish_foreign);
PLUGIN(plugin_mute, "mute", NULL, NULL, fail_silently);
PLUGIN(plugin_c_again, "c2", pub_y, NULL, publish_y);
PLUGIN(plugin_locals, "locals", NULL, NULL, local_twice);

static const char *profile(void) { return "tests/data/profiles/core-only.yaml"; }

static void test_order_follows_needs_whatever_the_discovery_order(void)
{
    const pg_plugin *forward[] = {&plugin_a, &plugin_b, &plugin_c};
    const pg_plugin *backward[] = {&plugin_c, &plugin_b, &plugin_a};
    const pg_plugin *const *sets[] = {forward, backward};
    for (size_t s = 0; s < 2; s++) {
        th_run *r = th_generate_with(profile(), NULL, sets[s], 3);
        TH_ASSERT_OK(r);
        CU_ASSERT_EQUAL_FATAL(r->g.plugins.order_count, 3);
        CU_ASSERT_STRING_EQUAL(r->g.plugins.order[0]->vt->name, "c");
        CU_ASSERT_STRING_EQUAL(r->g.plugins.order[1]->vt->name, "b");
        CU_ASSERT_STRING_EQUAL(r->g.plugins.order[2]->vt->name, "a");
        /* a read b's reference, which b made after reading c's */
        CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "variable.seen.default"), "x-after-y");
        th_free(r);
    }
}

static void test_cycle_names_both_plugins(void)
{
    const pg_plugin *plugins[] = {&plugin_cyc1, &plugin_cyc2};
    th_run *r = th_generate_with(profile(), NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugins cyc1 and cyc2 need each other"));
    th_free(r);
}

static void test_missing_need_names_plugin_and_need(void)
{
    const pg_plugin *plugins[] = {&plugin_needs_z};
    th_run *r = th_generate_with(profile(), NULL, plugins, 1);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugin needs-z needs 'z', which no loaded plugin provides"));
    th_free(r);
}

static void test_two_providers_of_a_namespace(void)
{
    const pg_plugin *plugins[] = {&plugin_c, &plugin_c_again};
    th_run *r = th_generate_with(profile(), NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugins c and c2 both provide 'y'"));
    th_free(r);
}

static void test_registry_enforces_declared_namespaces(void)
{
    const pg_plugin *reader[] = {&plugin_c, &plugin_sneaky};
    th_run *r = th_generate_with(profile(), NULL, reader, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "sneaky reads 'y.value' but does not declare the need 'y'"));
    th_free(r);

    const pg_plugin *writer[] = {&plugin_c, &plugin_thief};
    r = th_generate_with(profile(), NULL, writer, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(
        r, "plugin thief: publishes 'y.value' a name it does not declare in its publishes table"));
    th_free(r);
}

static void test_local_written_twice_is_an_error(void)
{
    const pg_plugin *plugins[] = {&plugin_locals};
    th_run *r = th_generate_with(profile(), NULL, plugins, 1);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugin locals: writes local.shared in stack payment twice"));
    CU_ASSERT_STRING_EQUAL(th_str(th_stack(r, "payment"), "locals.shared"), "first");
    th_free(r);
}

static void test_failure_without_message_is_reported(void)
{
    const pg_plugin *plugins[] = {&plugin_mute};
    th_run *r = th_generate_with(profile(), NULL, plugins, 1);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "plugin mute: failed without saying why"));
    th_free(r);
}

/* The fixture plugin next to the build tree's real ones. */
static th_run *with_fixture(const char *fixture)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fixture-plugins/%s", getenv("PAYGEN_BINARY_DIR"), fixture);
    const char *dirs[] = {dir, getenv("PAYGEN_TEST_PLUGIN_DIR")};
    pg_options o = {
        .profile = th_source("profiles/migration.yaml"),
        .plugin_dirs = dirs,
        .plugin_dir_count = 2,
        .no_search = true,
    };
    th_run *r = pg_xcalloc(1, sizeof *r);
    r->rc = pg_generate(&r->g, &o, &r->err);
    return r;
}

static void test_wrong_abi_major_is_refused(void)
{
    /* A 1.0 descriptor has another layout: not even its name is read. */
    th_run *r = with_fixture("bad_abi");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "bad_abi.so: plugin '?' speaks ABI 1.0; this paygen speaks 2.1 "
                                   "(same major, minor up to 1)"));
    th_free(r);
}

static void test_short_descriptor_is_refused(void)
{
    char want[200];
    snprintf(want, sizeof want, "short_descriptor.so: descriptor of %zu bytes is smaller than ABI 2.0's %zu",
             offsetof(pg_plugin, contribute), sizeof(pg_plugin));
    th_run *r = with_fixture("short_descriptor");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, want);
    th_free(r);
}

/* One in-process descriptor, broken in one way: the run fails with want. */
static void expect_broken(const pg_plugin *vt, const char *want)
{
    const pg_plugin *plugins[] = {vt, &plugin_c};
    th_run *r = th_generate_with(profile(), NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_EQUAL(r->g.plugins.items[0].status, PG_PLUGIN_BROKEN);
    CU_ASSERT_PTR_NULL(r->g.plugins.items[0].vt);
    CU_ASSERT_EQUAL(r->g.plugins.items[1].status, PG_PLUGIN_OK);
    TH_ASSERT_ERROR(r, want);
    th_free(r);
}

static void test_descriptor_checks(void)
{
    pg_plugin vt = plugin_c;
    vt.name = "newer";
    vt.abi_minor = PG_ABI_MINOR + 1;
    expect_broken(&vt, "(built in): plugin 'newer' speaks ABI 2.2; this paygen speaks 2.1 "
                       "(same major, minor up to 1)");

    char want[200];
    vt = plugin_c;
    vt.struct_size = sizeof(pg_plugin) - sizeof(void *);
    snprintf(want, sizeof want, "(built in): descriptor of %zu bytes is smaller than ABI 2.0's %zu",
             sizeof(pg_plugin) - sizeof(void *), sizeof(pg_plugin));
    expect_broken(&vt, want);

    vt = plugin_c;
    vt.name = "unlicensed";
    vt.license = NULL;
    expect_broken(&vt, "(built in): plugin 'unlicensed' declares no license (an SPDX identifier)");
    vt.license = "";
    expect_broken(&vt, "(built in): plugin 'unlicensed' declares no license (an SPDX identifier)");

    static const pg_publication bare[] = {{"arn", PG_GLOBAL, PG_KIND_STRING}, PG_PUBLICATIONS_END};
    static const pg_publication core_ns[] = {{"aws.vpc_id", PG_GLOBAL, PG_KIND_STRING},
                                             PG_PUBLICATIONS_END};
    vt = plugin_c;
    vt.name = "bare";
    vt.publishes = bare;
    expect_broken(&vt, "(built in): plugin 'bare' publishes 'arn': a name is <namespace>.<name>, "
                       "outside the core's 'aws'");
    vt.publishes = core_ns;
    expect_broken(&vt, "(built in): plugin 'bare' publishes 'aws.vpc_id': a name is "
                       "<namespace>.<name>, outside the core's 'aws'");

    vt = plugin_c;
    vt.name = "Bad Name";
    expect_broken(&vt, "(built in): descriptor without a valid name ([a-z0-9_-], 1-32) or contribute()");
    vt = plugin_c;
    vt.contribute = NULL;
    expect_broken(&vt, "(built in): descriptor without a valid name ([a-z0-9_-], 1-32) or contribute()");
}

static void test_shared_object_without_entry_is_refused(void)
{
    th_run *r = with_fixture("no_entry");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "no_entry.so: not a paygen plugin: no paygen_plugin_entry symbol"));
    th_free(r);
}

static void test_conflicting_address_names_both_plugins(void)
{
    th_run *r = with_fixture("conflicter");
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(
        r, "plugin conflicter: writes aws_kms_key.database_use1 in stack payment, already written by kms"));
    th_free(r);
}

static void test_real_plugin_found_first_shadows_later_copy(void)
{
    const char *dir = getenv("PAYGEN_TEST_PLUGIN_DIR");
    const char *dirs[] = {dir, dir};
    pg_plugin_set set = {0};
    pg_options o = {.plugin_dirs = dirs, .plugin_dir_count = 1, .no_search = true};
    pg_find_plugins(&set, &o);
    size_t first = set.count;
    /* the same directory again: every plugin is now found twice */
    char *const twice[] = {(char *)dirs[0], (char *)dirs[1]};
    pg_plugins_discover(&set, twice + 1, 1);
    CU_ASSERT_EQUAL(set.count, first * 2);
    CU_ASSERT_EQUAL(set.items[first].status, PG_PLUGIN_SHADOWED);
    pg_errors err = {0};
    CU_ASSERT_EQUAL(pg_plugins_order(&set, &err), 0);
    CU_ASSERT_EQUAL(set.order_count, first);
    pg_errors_free(&err);
    pg_plugins_free(&set);
}

static void test_no_plugins_is_an_error(void)
{
    const char *dirs[] = {"/nonexistent-plugin-dir"};
    pg_options o = {.profile = th_source(profile()), .plugin_dirs = dirs, .plugin_dir_count = 1,
                    .no_search = true};
    th_run *r = pg_xcalloc(1, sizeof *r);
    r->rc = pg_generate(&r->g, &o, &r->err);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_TRUE(th_has_error(r, "no plugins found"));
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"order follows needs", test_order_follows_needs_whatever_the_discovery_order},
        {"cycle names both plugins", test_cycle_names_both_plugins},
        {"missing need names plugin and need", test_missing_need_names_plugin_and_need},
        {"two providers of a namespace", test_two_providers_of_a_namespace},
        {"registry enforces declared namespaces", test_registry_enforces_declared_namespaces},
        {"failure without message is reported", test_failure_without_message_is_reported},
        {"local written twice is an error", test_local_written_twice_is_an_error},
        {"wrong ABI major is refused", test_wrong_abi_major_is_refused},
        {"short descriptor is refused", test_short_descriptor_is_refused},
        {"descriptor checks", test_descriptor_checks},
        {"shared object without entry is refused", test_shared_object_without_entry_is_refused},
        {"conflicting address names both plugins", test_conflicting_address_names_both_plugins},
        {"first plugin found shadows later copy", test_real_plugin_found_first_shadows_later_copy},
        {"no plugins is an error", test_no_plugins_is_an_error},
        CU_TEST_INFO_NULL,
    };
    return th_main("plugins", tests);
}
