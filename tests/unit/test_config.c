/* SPDX-License-Identifier: Apache-2.0 */
/* Settings of ABI 2.0: each plugin's table declares its profile keys, the
 * core validates them and fills the plugin's config struct (pg_config());
 * pg_ctx_*() read only the core's keys and the plugin's own; a table that
 * does not fit its struct makes the plugin broken. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

typedef struct cfg_config {
    const char *name;
    long count;
    bool enabled;
    pg_list zones;
    const char *mode;
} cfg_config;

static const pg_setting cfg_settings[] = {
    PG_SETTING_STRING("cfg.name", cfg_config, name, "default-name", "a name"),
    PG_SETTING_INT("cfg.count", cfg_config, count, "3", 1, 10, "how many"),
    PG_SETTING_BOOL("cfg.enabled", cfg_config, enabled, "false", "on or off"),
    PG_SETTING_LIST("cfg.zones", cfg_config, zones, "a, b", "zones"),
    PG_SETTING_CHOICE("cfg.mode", cfg_config, mode, "block", "block|count", "what rules do"),
    PG_SETTINGS_END,
};

/* What cfg saw, through its struct and through pg_ctx_*(); the struct lives
 * until the run is freed. */
static struct {
    const cfg_config *config;
    const char *name, *mode, *environment;
    long count;
    bool enabled, protection;
} seen;

static int cfg(const pg_ctx *ctx, pg_out *out)
{
    (void)out;
    seen.config = pg_config(ctx);
    seen.name = pg_ctx_string(ctx, "cfg.name");
    seen.mode = pg_ctx_string(ctx, "cfg.mode"); /* a choice reads as a string */
    seen.count = pg_ctx_int(ctx, "cfg.count");
    seen.enabled = pg_ctx_bool(ctx, "cfg.enabled");
    seen.environment = pg_ctx_string(ctx, "environment");
    seen.protection = pg_ctx_bool(ctx, "protection");
    return 0;
}
TH_PLUGIN(plugin_cfg, "cfg", NULL, NULL, cfg_settings, sizeof(cfg_config), cfg);

/* A second plugin with a config of its own, and reads it may not make. */
typedef struct nosy_config {
    long level;
} nosy_config;

static const pg_setting nosy_settings[] = {
    PG_SETTING_INT("nosy.level", nosy_config, level, "1", 0, 5, "how nosy"),
    PG_SETTINGS_END,
};

static enum { NOSY_OWN, NOSY_FOREIGN, NOSY_UNDECLARED, NOSY_WRONG_TYPE } nosy_mode;
static long nosy_level;

static int nosy(const pg_ctx *ctx, pg_out *out)
{
    (void)out;
    const nosy_config *c = pg_config(ctx);
    nosy_level = c->level;
    switch (nosy_mode) {
    case NOSY_OWN: break;
    case NOSY_FOREIGN: (void)pg_ctx_string(ctx, "cfg.name"); break;
    case NOSY_UNDECLARED: (void)pg_ctx_string(ctx, "nosy.secret"); break;
    case NOSY_WRONG_TYPE: (void)pg_ctx_string(ctx, "nosy.level"); break;
    }
    return 0;
}
TH_PLUGIN(plugin_nosy, "nosy", NULL, NULL, nosy_settings, sizeof(nosy_config), nosy);

static th_run *run_cfg(const char *const *sets)
{
    memset(&seen, 0, sizeof seen);
    nosy_mode = NOSY_OWN;
    nosy_level = -1;
    const pg_plugin *plugins[] = {&plugin_cfg, &plugin_nosy};
    return th_core_only(sets, plugins, 2);
}

/* cfg's struct as the run filled it: zones has count items, first to last. */
static void assert_config(const char *name, long count, bool enabled, size_t zones,
                          const char *first, const char *last, const char *mode)
{
    const cfg_config *c = seen.config;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c->name, name);
    CU_ASSERT_EQUAL(c->count, count);
    CU_ASSERT_EQUAL(c->enabled, enabled);
    CU_ASSERT_EQUAL_FATAL(c->zones.count, zones);
    CU_ASSERT_STRING_EQUAL(c->zones.items[0], first);
    CU_ASSERT_STRING_EQUAL(c->zones.items[zones - 1], last);
    CU_ASSERT_STRING_EQUAL(c->mode, mode);
}

static void test_defaults_fill_the_config(void)
{
    th_run *r = run_cfg(NULL);
    TH_ASSERT_OK(r);
    assert_config("default-name", 3, false, 2, "a", "b", "block");
    CU_ASSERT_EQUAL(nosy_level, 1);
    th_free(r);
}

static void test_profile_values_fill_the_config(void)
{
    const char *sets[] = {"cfg.name=hello", "cfg.count=7", "cfg.enabled=true",
                          "cfg.zones=[us-east-1a, us-east-1c, us-east-1b]", "cfg.mode=count",
                          "nosy.level=4", NULL};
    th_run *r = run_cfg(sets);
    TH_ASSERT_OK(r);
    assert_config("hello", 7, true, 3, "us-east-1a", "us-east-1b", "count");
    /* the same values through pg_ctx_*(), the core's keys included */
    CU_ASSERT_STRING_EQUAL(seen.name, "hello");
    CU_ASSERT_STRING_EQUAL(seen.mode, "count");
    CU_ASSERT_EQUAL(seen.count, 7);
    CU_ASSERT_TRUE(seen.enabled);
    CU_ASSERT_STRING_EQUAL(seen.environment, "staging");
    CU_ASSERT_FALSE(seen.protection);
    /* each plugin gets its own struct */
    CU_ASSERT_EQUAL(nosy_level, 4);
    th_free(r);
}

static void expect_profile_error(const char *set, const char *want)
{
    const char *sets[] = {set, NULL};
    th_run *r = run_cfg(sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, want);
    CU_ASSERT_PTR_NULL(seen.config); /* no plugin ran */
    th_free(r);
}

static void test_values_are_checked_against_the_table(void)
{
    expect_profile_error("cfg.mode=skip", "--set: cfg.mode = 'skip' is not one of block|count");
    expect_profile_error("cfg.mode=Block", "--set: cfg.mode = 'Block' is not one of block|count");
    expect_profile_error("cfg.count=11", "--set: cfg.count = 11 is out of range 1..10");
    expect_profile_error("cfg.count=many", "--set: 'cfg.count' must be an integer, not 'many'");
    expect_profile_error("cfg.enabled=yes", "--set: 'cfg.enabled' must be true or false, not 'yes'");
    expect_profile_error("cfg.zones=a", "--set: 'cfg.zones' must be a list");
    expect_profile_error("cfg.nmae=x", "--set: unknown key 'cfg.nmae' (did you mean 'cfg.name'?)");
}

static void expect_nosy_error(int mode, const char *want)
{
    memset(&seen, 0, sizeof seen);
    nosy_mode = mode;
    const pg_plugin *plugins[] = {&plugin_cfg, &plugin_nosy};
    th_run *r = th_core_only(NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, want);
    th_free(r);
}

static void test_pg_ctx_reads_only_own_and_core_keys(void)
{
    expect_nosy_error(NOSY_FOREIGN, "plugin nosy reads setting 'cfg.name', which is owned by another plugin");
    expect_nosy_error(NOSY_UNDECLARED, "plugin nosy reads setting 'nosy.secret', which is not declared");
    expect_nosy_error(NOSY_WRONG_TYPE, "plugin nosy reads setting 'nosy.level', which is of another type");
}

static void test_key_declared_twice_is_an_error(void)
{
    static const pg_setting twin_settings[] = {
        PG_SETTING_STRING("cfg.name", cfg_config, name, "x", "the same key as cfg"),
        PG_SETTINGS_END,
    };
    TH_PLUGIN(twin, "twin", NULL, NULL, twin_settings, sizeof(cfg_config), cfg);
    const pg_plugin *plugins[] = {&plugin_cfg, &twin};
    th_run *r = th_core_only(NULL, plugins, 2);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "setting 'cfg.name' is declared by both cfg and twin");
    th_free(r);
}

static void test_required_setting_without_value(void)
{
    static const pg_setting required[] = {
        PG_SETTING_STRING("cfg.name", cfg_config, name, NULL, "the account's name"),
        PG_SETTINGS_END,
    };
    TH_PLUGIN(strict, "strict", NULL, NULL, required, sizeof(cfg_config), cfg);
    const pg_plugin *plugins[] = {&strict};
    th_run *r = th_core_only(NULL, plugins, 1);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    TH_ASSERT_ERROR(r, "missing required key 'cfg.name' (the account's name)");
    th_free(r);
}

/* A descriptor whose settings table does not fit: broken, with want. */
static void expect_broken(const pg_plugin *vt, const char *want)
{
    const pg_plugin *plugins[] = {vt};
    th_run *r = th_core_only(NULL, plugins, 1);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    CU_ASSERT_EQUAL(r->g.plugins.items[0].status, PG_PLUGIN_BROKEN);
    TH_ASSERT_ERROR(r, want);
    th_free(r);
}

static void test_table_must_fit_the_struct(void)
{
    char want[256];
    pg_plugin vt = plugin_cfg;
    vt.name = "outside";
    vt.config_size = offsetof(cfg_config, mode); /* the choice lands past the end */
    snprintf(want, sizeof want,
             "(built in): plugin 'outside': setting 'cfg.mode' lands outside its config struct "
             "(offset %zu, config_size %zu)",
             offsetof(cfg_config, mode), offsetof(cfg_config, mode));
    expect_broken(&vt, want);

    vt.config_size = 0; /* settings without a struct */
    snprintf(want, sizeof want,
             "(built in): plugin 'outside': setting 'cfg.name' lands outside its config struct "
             "(offset 0, config_size 0)");
    expect_broken(&vt, want);

    static const pg_setting no_choices[] = {
        PG_SETTING_CHOICE("cfg.mode", cfg_config, mode, "block", "", "what rules do"),
        PG_SETTINGS_END,
    };
    vt = plugin_cfg;
    vt.name = "choiceless";
    vt.settings = no_choices;
    expect_broken(&vt, "(built in): plugin 'choiceless': choice setting 'cfg.mode' lists no choices");
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"defaults fill the config", test_defaults_fill_the_config},
        {"profile values fill the config", test_profile_values_fill_the_config},
        {"values are checked against the table", test_values_are_checked_against_the_table},
        {"pg_ctx reads only own and core keys", test_pg_ctx_reads_only_own_and_core_keys},
        {"key declared twice is an error", test_key_declared_twice_is_an_error},
        {"required setting without value", test_required_setting_without_value},
        {"table must fit the struct", test_table_must_fit_the_struct},
        CU_TEST_INFO_NULL,
    };
    return th_main("config", tests);
}
