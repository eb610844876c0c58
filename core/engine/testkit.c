/* SPDX-License-Identifier: Apache-2.0 */
/* testkit.c - the public test kit of the plugin SDK (paygen/testkit.h): one
 * generation through pg_generate(), and NULL-safe reads and checks of the
 * JSON it made, for the tests of out-of-tree plugins. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include "paygen/testkit.h"

#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "generate.h"

#ifndef PAYGEN_PLUGIN_DIR
#define PAYGEN_PLUGIN_DIR "/usr/lib/paygen/plugins"
#endif

struct pgt_run {
    pg_generation g;
    pg_errors err;
    int rc;
    char *errors; /* err, one per line */
};

/* --------------------------------------------------------------- generating */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}


/* <libdir>/paygen/plugins beside the libpaygen that runs, if it exists: an
 * SDK installed or unpacked anywhere tests against its own plugins. */
static char *own_plugin_dir(void)
{
    char *libdir = pg_own_libdir();
    char *dir = libdir ? pg_xasprintf("%s/paygen/plugins", libdir) : NULL;
    free(libdir);
    if (dir && is_dir(dir))
        return dir;
    free(dir);
    return NULL;
}

const char *pgt_profile(const char *name)
{
    static char path[PATH_MAX];
    char *libdir = pg_own_libdir();
    bool found = false;
    /* <prefix>/lib or a multiarch <prefix>/lib/<triplet> */
    static const char *const ups[] = {"..", "../.."};
    for (size_t i = 0; libdir && name && !found && i < sizeof ups / sizeof *ups; i++) {
        char *candidate = pg_xasprintf("%s/%s/share/paygen/profiles/%s", libdir, ups[i], name);
        struct stat st;
        found = stat(candidate, &st) == 0 && S_ISREG(st.st_mode) &&
                realpath(candidate, path) != NULL;
        free(candidate);
    }
    free(libdir);
    return found ? path : NULL;
}

static size_t count_of(const void *const *list)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    return n;
}

static void join_errors(pgt_run *run)
{
    size_t len = 1;
    for (size_t i = 0; i < run->err.count; i++)
        len += strlen(run->err.messages[i]) + 1;
    free(run->errors);
    run->errors = pg_xcalloc(1, len);
    for (size_t i = 0; i < run->err.count; i++) {
        strcat(run->errors, run->err.messages[i]);
        strcat(run->errors, "\n");
    }
}

static pgt_run *generate(const char *profile, const char *const *sets,
                         const pg_plugin *const *plugins, const char *const *plugin_dirs, bool only)
{
    pgt_run *run = pg_xcalloc(1, sizeof *run);
    char **dirs = NULL;
    size_t dir_count = 0, dir_cap = 0;
    for (size_t i = 0; plugin_dirs && plugin_dirs[i]; i++)
        pg_plugin_dirs_add(&dirs, &dir_count, &dir_cap, plugin_dirs[i]);
    if (!only) {
        const char *env = getenv("PAYGEN_PLUGIN_PATH");
        if (env)
            pg_plugin_dirs_add(&dirs, &dir_count, &dir_cap, env);
        char *own = own_plugin_dir();
        pg_plugin_dirs_add(&dirs, &dir_count, &dir_cap, own ? own : PAYGEN_PLUGIN_DIR);
        free(own);
    }
    pg_options o = {
        .profile = profile,
        .sets = sets,
        .set_count = count_of((const void *const *)sets),
        .plugin_dirs = (const char *const *)dirs,
        .plugin_dir_count = dir_count,
        .builtins = plugins,
        .builtin_count = count_of((const void *const *)plugins),
        .no_search = true,
    };
    if (!profile) {
        pg_errors_add(&run->err, "pgt_generate: no profile given");
        run->rc = -1;
    } else {
        run->rc = pg_generate(&run->g, &o, &run->err);
    }
    for (size_t i = 0; i < dir_count; i++)
        free(dirs[i]);
    free(dirs);
    join_errors(run);
    return run;
}

pgt_run *pgt_generate(const char *profile, const char *const *sets, const char *const *plugin_dirs)
{
    return generate(profile, sets, NULL, plugin_dirs, false);
}

pgt_run *pgt_generate_only(const char *profile, const char *const *sets,
                           const char *const *plugin_dirs)
{
    return generate(profile, sets, NULL, plugin_dirs, true);
}

pgt_run *pgt_generate_with(const char *profile, const char *const *sets,
                           const pg_plugin *const *plugins, const char *const *plugin_dirs)
{
    return generate(profile, sets, plugins, plugin_dirs, false);
}

void pgt_free(pgt_run *run)
{
    if (!run)
        return;
    pg_generation_free(&run->g);
    pg_errors_free(&run->err);
    free(run->errors);
    free(run);
}

bool pgt_ok(const pgt_run *run) { return run && run->rc == 0; }
const char *pgt_errors(const pgt_run *run) { return run ? run->errors : "no run"; }
size_t pgt_error_count(const pgt_run *run) { return run ? run->err.count : 0; }

bool pgt_has_error(const pgt_run *run, const char *text)
{
    for (size_t i = 0; run && text && i < run->err.count; i++)
        if (strstr(run->err.messages[i], text))
            return true;
    return false;
}

int pgt_write(pgt_run *run, const char *dir)
{
    if (!pgt_ok(run) || !dir)
        return -1;
    int rc = pg_generation_write(&run->g, dir, &run->err);
    join_errors(run);
    return rc;
}

/* ------------------------------------------------------------------ reading */

const cJSON *pgt_stack(const pgt_run *run, const char *stack)
{
    if (!run || !run->g.have_out || !stack)
        return NULL;
    for (size_t s = 0; s < PG_STACK_COUNT; s++)
        if (!strcmp(pg_stack_names[s], stack))
            return run->g.out.stacks[s];
    return NULL;
}

const cJSON *pgt_manifest(const pgt_run *run) { return pgt_ok(run) ? run->g.manifest : NULL; }

static const cJSON *member(const cJSON *node, const char *key)
{
    return node && key ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
}

const cJSON *pgt_resource(const pgt_run *run, const char *stack, const char *type, const char *label)
{
    return member(member(member(pgt_stack(run, stack), "resource"), type), label);
}

const cJSON *pgt_data(const pgt_run *run, const char *stack, const char *type, const char *label)
{
    return member(member(member(pgt_stack(run, stack), "data"), type), label);
}

size_t pgt_count(const pgt_run *run, const char *stack, const char *type)
{
    return (size_t)cJSON_GetArraySize(member(member(pgt_stack(run, stack), "resource"), type));
}

const char *pgt_plugin_version(const pgt_run *run, const char *plugin)
{
    for (size_t i = 0; run && plugin && i < run->g.plugins.order_count; i++)
        if (!strcmp(run->g.plugins.order[i]->vt->name, plugin))
            return run->g.plugins.order[i]->vt->version;
    return NULL;
}

const cJSON *pgt_path(const cJSON *node, const char *path)
{
    if (!path)
        return NULL;
    char *copy = pg_xstrdup(path);
    for (char *save = NULL, *part = strtok_r(copy, ".", &save); part && node;
         part = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(node)) {
            char *end;
            long i = strtol(part, &end, 10);
            node = *end || i < 0 || i > INT_MAX ? NULL : cJSON_GetArrayItem(node, (int)i);
        } else {
            node = cJSON_GetObjectItemCaseSensitive(node, part);
        }
    }
    free(copy);
    return node;
}

const char *pgt_str(const cJSON *node, const char *path)
{
    const cJSON *v = pgt_path(node, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double pgt_num(const cJSON *node, const char *path)
{
    const cJSON *v = pgt_path(node, path);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int pgt_bool(const cJSON *node, const char *path)
{
    const cJSON *v = pgt_path(node, path);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

size_t pgt_size(const cJSON *node, const char *path)
{
    const cJSON *v = pgt_path(node, path);
    return cJSON_IsArray(v) || cJSON_IsObject(v) ? (size_t)cJSON_GetArraySize(v) : 0;
}

bool pgt_has(const cJSON *node, const char *path, const char *value)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, pgt_path(node, path))
        if (cJSON_IsString(item) && value && !strcmp(item->valuestring, value))
            return true;
    return false;
}

/* ----------------------------------------------------------------- checking */

static char *message;

static const char *fail(const char *fmt, ...) PG_FMT(1, 2);
static const char *fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(message);
    message = pg_xvasprintf(fmt, ap);
    va_end(ap);
    return message;
}

/* What a node is, for a message: "absent", "\"x\"", "3", "an object"... */
static char *describe(const cJSON *v)
{
    if (!v)
        return pg_xstrdup("absent");
    if (cJSON_IsString(v))
        return pg_xasprintf("\"%s\"", v->valuestring);
    if (cJSON_IsNumber(v))
        return pg_xasprintf("%.17g", v->valuedouble);
    if (cJSON_IsBool(v))
        return pg_xstrdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNull(v))
        return pg_xstrdup("null");
    if (cJSON_IsArray(v))
        return pg_xasprintf("an array of %d", cJSON_GetArraySize(v));
    int keys = cJSON_GetArraySize(v);
    return pg_xasprintf("an object with %d key%s", keys, keys == 1 ? "" : "s");
}

static const char *mismatch(const char *path, const cJSON *got, const char *want_fmt, ...)
    PG_FMT(3, 4);
static const char *mismatch(const char *path, const cJSON *got, const char *want_fmt, ...)
{
    va_list ap;
    va_start(ap, want_fmt);
    char *want = pg_xvasprintf(want_fmt, ap);
    va_end(ap);
    char *is = describe(got);
    fail("%s is %s, expected %s", path ? path : "(null path)", is, want);
    free(want);
    free(is);
    return message;
}

const char *pgt_check_ok(const pgt_run *run)
{
    return pgt_ok(run) ? NULL : fail("generation failed:\n%s", pgt_errors(run));
}

const char *pgt_check_error(const pgt_run *run, const char *text)
{
    if (pgt_ok(run))
        return fail("generation succeeded, expected an error containing \"%s\"", text);
    if (pgt_has_error(run, text))
        return NULL;
    return fail("no error contains \"%s\"; the errors:\n%s", text, pgt_errors(run));
}

const char *pgt_check_str(const cJSON *node, const char *path, const char *want)
{
    const cJSON *v = pgt_path(node, path);
    if (!want)
        return v ? mismatch(path, v, "absent") : NULL;
    if (cJSON_IsString(v) && !strcmp(v->valuestring, want))
        return NULL;
    return mismatch(path, v, "\"%s\"", want);
}

const char *pgt_check_num(const cJSON *node, const char *path, double want)
{
    const cJSON *v = pgt_path(node, path);
    if (cJSON_IsNumber(v) && v->valuedouble == want)
        return NULL;
    return mismatch(path, v, "%.17g", want);
}

const char *pgt_check_bool(const cJSON *node, const char *path, bool want)
{
    const cJSON *v = pgt_path(node, path);
    if (cJSON_IsBool(v) && cJSON_IsTrue(v) == want)
        return NULL;
    return mismatch(path, v, "%s", want ? "true" : "false");
}

const char *pgt_check_has(const cJSON *node, const char *path, const char *value)
{
    if (pgt_has(node, path, value))
        return NULL;
    return mismatch(path, pgt_path(node, path), "a list holding \"%s\"", value ? value : "(null)");
}

const char *pgt_check_present(const cJSON *node, const char *path)
{
    return pgt_path(node, path) ? NULL : mismatch(path, NULL, "present");
}
