/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"

#include <paygen/testkit.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *th_source(const char *relative)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", env_or("PAYGEN_SOURCE_DIR", "."), relative);
    return buf;
}

const char *th_scratch(const char *name)
{
    /* one folder per test program: ctest runs them in parallel */
    char exe[1024] = "test";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 4] = '\0';
    const char *prog = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
    static char buf[4096];
    snprintf(buf, sizeof buf, "%.2000s/test-scratch/%.200s/%.900s", env_or("PAYGEN_BINARY_DIR", "."), prog,
             name);
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
    if (system(cmd) != 0)
        fprintf(stderr, "harness: cannot prepare %s\n", buf);
    return buf;
}

char *th_slurp(const char *dir, const char *name)
{
    char *path = dir ? pg_xasprintf("%s/%s", dir, name) : pg_xstrdup(name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    size_t len = 0, cap = 4096;
    char *text = pg_xmalloc(cap);
    for (size_t n; (n = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (cap - len - 1 == 0)
            text = pg_xrealloc(text, cap *= 2);
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

static th_run *run(const char *profile_path, const char *const *sets, const pg_plugin *const *plugins,
                   size_t count, bool search, bool anywhere)
{
    th_run *r = pg_xcalloc(1, sizeof *r);
    size_t n = 0;
    while (sets && sets[n])
        n++;
    const char *dir = env_or("PAYGEN_TEST_PLUGIN_DIR", "plugins");
    pg_options o = {
        .profile = profile_path,
        .sets = sets,
        .set_count = n,
        .plugin_dirs = search ? &dir : NULL,
        .plugin_dir_count = search ? 1 : 0,
        .builtins = plugins,
        .builtin_count = count,
        .no_search = true,
        .allow_extends_outside = anywhere,
    };
    r->rc = pg_generate(&r->g, &o, &r->err);
    return r;
}

th_run *th_generate(const char *profile, const char *const *sets)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", th_source(profile));
    return run(path, sets, NULL, 0, true, false);
}

th_run *th_generate_with(const char *profile, const char *const *sets,
                         const pg_plugin *const *plugins, size_t count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", profile[0] == '/' ? profile : th_source(profile));
    return run(path, sets, plugins, count, false, false);
}

th_run *th_generate_only(const char *profile, const char *const *sets, const char *plugins)
{
    char dir[4096], path[4096];
    snprintf(dir, sizeof dir, "%s", th_scratch("only-plugins"));
    char *list = pg_xstrdup(plugins);
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        char *target = pg_xasprintf("%s/%s.so", env_or("PAYGEN_TEST_PLUGIN_DIR", "plugins"), name);
        char *link = pg_xasprintf("%s/%s.so", dir, name);
        if (symlink(target, link) != 0)
            fprintf(stderr, "harness: cannot link %s\n", target);
        free(target);
        free(link);
    }
    free(list);
    snprintf(path, sizeof path, "%s", th_source(profile));
    size_t n = 0;
    while (sets && sets[n])
        n++;
    const char *dirs[] = {dir};
    pg_options o = {.profile = path, .sets = sets, .set_count = n, .plugin_dirs = dirs,
                    .plugin_dir_count = 1, .no_search = true};
    th_run *r = pg_xcalloc(1, sizeof *r);
    r->rc = pg_generate(&r->g, &o, &r->err);
    return r;
}

th_run *th_generate_text(const char *yaml, const char *const *sets)
{
    char path[4200];
    snprintf(path, sizeof path, "%.4000s/profile.yaml", th_scratch("text-profile"));
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(yaml, f);
        fclose(f);
    }
    /* the scratch file is in the build tree, which need not lie inside the
     * source tree its extends: names */
    return run(path, sets, NULL, 0, true, true);
}

th_run *th_core_only(const char *const *sets, const pg_plugin *const *plugins, size_t count)
{
    return th_generate_with("tests/data/profiles/core-only.yaml", sets, plugins, count);
}

void th_free(th_run *r)
{
    if (!r)
        return;
    pg_generation_free(&r->g);
    pg_errors_free(&r->err);
    free(r);
}

const cJSON *th_stack(const th_run *r, const char *stack)
{
    for (size_t s = 0; s < PG_STACK_COUNT; s++)
        if (!strcmp(pg_stack_names[s], stack))
            return r->g.out.stacks[s];
    return NULL;
}

static const cJSON *block(const th_run *r, const char *stack, const char *kind, const char *type,
                          const char *label)
{
    const cJSON *s = th_stack(r, stack);
    const cJSON *k = s ? cJSON_GetObjectItemCaseSensitive(s, kind) : NULL;
    const cJSON *t = k ? cJSON_GetObjectItemCaseSensitive(k, type) : NULL;
    return t ? cJSON_GetObjectItemCaseSensitive(t, label) : NULL;
}

const cJSON *th_resource(const th_run *r, const char *stack, const char *type, const char *label)
{
    return block(r, stack, "resource", type, label);
}

const cJSON *th_data(const th_run *r, const char *stack, const char *type, const char *label)
{
    return block(r, stack, "data", type, label);
}

size_t th_count(const th_run *r, const char *stack, const char *type)
{
    const cJSON *s = th_stack(r, stack);
    const cJSON *t = th_path(s, "resource");
    t = t ? cJSON_GetObjectItemCaseSensitive(t, type) : NULL;
    return t ? (size_t)cJSON_GetArraySize(t) : 0;
}

size_t th_count_by(const th_run *r, const char *stack, const char *type, const char *plugin)
{
    size_t n = 0;
    for (size_t i = 0; i < r->g.out.block_count; i++) {
        const pg_block_info *b = &r->g.out.blocks[i];
        n += !b->is_data && !strcmp(pg_stack_names[b->stack], stack) && !strcmp(b->type, type) &&
             !strcmp(b->plugin, plugin);
    }
    return n;
}

/* The SDK's test kit reads paths the same way for out-of-tree plugins. */
const cJSON *th_path(const cJSON *node, const char *path) { return pgt_path(node, path); }
const char *th_str(const cJSON *node, const char *path) { return pgt_str(node, path); }
double th_num(const cJSON *node, const char *path) { return pgt_num(node, path); }
int th_bool(const cJSON *node, const char *path) { return pgt_bool(node, path); }

const cJSON *th_target(const th_run *r, const char *ref)
{
    char type[128], label[128];
    if (!ref || sscanf(ref, "${%127[^.].%127[^.].", type, label) != 2)
        return NULL;
    return th_resource(r, "payment", type, label);
}

const cJSON *th_regional(const th_run *r, const char *type, const char *prefix, const char *code)
{
    char label[128];
    snprintf(label, sizeof label, "%s_%s", prefix, code);
    return th_resource(r, "payment", type, label);
}

void th_expect_error(const char *profile, const char *set, const char *text)
{
    const char *sets[] = {set, NULL};
    th_run *r = th_generate(profile, sets);
    CU_ASSERT_NOT_EQUAL(r->rc, 0);
    if (!th_has_error(r, text)) {
        fprintf(stderr, "\n  expected an error containing '%s' for --set %s, got:\n", text, set);
        th_dump_errors(r);
        CU_FAIL("missing error");
    }
    th_free(r);
}

bool th_list_has(const cJSON *list, const char *value)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        if (cJSON_IsString(item) && !strcmp(item->valuestring, value))
            return true;
    }
    return false;
}

const cJSON *th_statement(const cJSON *doc, const char *sid)
{
    const cJSON *st;
    cJSON_ArrayForEach(st, th_path(doc, "statement"))
    {
        const char *s = th_str(st, "sid");
        if (!s)
            s = th_str(st, "Sid");
        if (s && !strcmp(s, sid))
            return st;
    }
    cJSON_ArrayForEach(st, th_path(doc, "Statement"))
    {
        const char *s = th_str(st, "Sid");
        if (s && !strcmp(s, sid))
            return st;
    }
    return NULL;
}

th_cli_result th_cli(const char *args)
{
    char *cmd = pg_xasprintf("cd '%s' && '%s/paygen' %s 2>&1", env_or("PAYGEN_SOURCE_DIR", "."),
                             env_or("PAYGEN_BINARY_DIR", "."), args);
    FILE *p = popen(cmd, "r");
    free(cmd);
    th_cli_result r = {0};
    size_t cap = 0, len = 0;
    char chunk[4096];
    for (size_t n; p && (n = fread(chunk, 1, sizeof chunk, p)) > 0;) {
        pg_grow(&r.output, &cap, len + n + 1, 1);
        memcpy(r.output + len, chunk, n);
        len += n;
        r.output[len] = '\0';
    }
    if (!r.output)
        r.output = pg_xstrdup("");
    int st = p ? pclose(p) : -1;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
    return r;
}

bool th_errors_have(const pg_errors *err, const char *text)
{
    for (size_t i = 0; i < err->count; i++)
        if (strstr(err->messages[i], text))
            return true;
    return false;
}

bool th_has_error(const th_run *r, const char *text) { return th_errors_have(&r->err, text); }

void th_assert_error_(const th_run *r, const char *text, unsigned line, const char *file)
{
    bool found = th_has_error(r, text);
    char msg[1024];
    snprintf(msg, sizeof msg, "an error containing \"%.900s\"", text);
    if (!found) {
        fprintf(stderr, "\n  %s:%u: expected %s, got%s\n", file, line, msg,
                r->err.count ? ":" : " none");
        th_dump_errors(r);
    }
    CU_assertImplementation(found, line, msg, file, "", CU_FALSE);
}

void th_assert_str_(const cJSON *node, const char *path, const char *want, unsigned line,
                    const char *file)
{
    const char *got = th_str(node, path);
    bool same = got && want ? !strcmp(got, want) : got == want;
    char msg[1536];
    snprintf(msg, sizeof msg, "%.200s is %s%.600s%s, expected %s%.600s%s", path, got ? "\"" : "",
             got ? got : "absent", got ? "\"" : "", want ? "\"" : "", want ? want : "absent",
             want ? "\"" : "");
    if (!same)
        fprintf(stderr, "\n  %s:%u: %s\n", file, line, msg);
    CU_assertImplementation(same, line, msg, file, "", CU_FALSE);
}

void th_dump_errors(const th_run *r)
{
    for (size_t i = 0; i < r->err.count; i++)
        fprintf(stderr, "  error: %s\n", r->err.messages[i]);
}

const char *const th_phases[TH_PHASES] = {
    "profiles/legacy.yaml", "profiles/migration.yaml", "profiles/production.yaml",
    "profiles/examples/staging-rehearsal.yaml", "tests/data/profiles/three-regions.yaml"};

static pg_schema *schema;
static bool schema_tried;

const pg_schema *th_schema(void)
{
    if (!schema_tried) {
        schema_tried = true;
        pg_errors err = {0};
        schema = pg_schema_load(th_source("share/aws-provider-schema/aws-5.x.schema.json.gz"), &err);
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "schema: %s\n", err.messages[i]);
        pg_errors_free(&err);
    }
    return schema;
}

int th_main(const char *suite, const CU_TestInfo *tests)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_SuiteInfo suites[] = {{suite, NULL, NULL, NULL, NULL, (CU_TestInfo *)tests}, CU_SUITE_INFO_NULL};
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    pg_schema_free(schema);
    schema = NULL;
    schema_tried = false;
    return failed || ran == 0 ? 1 : 0;
}
