/* SPDX-License-Identifier: Apache-2.0 */
#include "generate.h"

#include "graph.h"
#include "trust.h"
#include "validate.h"
#include "writer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *volatile pg_running_plugin;

void pg_find_plugins(pg_plugin_set *set, const pg_options *o)
{
    const char *insecure = getenv("PAYGEN_INSECURE_PLUGINS");
    set->allow_insecure = o->allow_insecure || (insecure && !strcmp(insecure, "1"));
    for (size_t i = 0; i < o->builtin_count; i++)
        pg_plugins_add_static(set, o->builtins[i], "(built in)");
    char **dirs = NULL;
    size_t n = 0, cap = 0;
    if (o->no_search) {
        for (size_t i = 0; i < o->plugin_dir_count; i++) {
            pg_grow(&dirs, &cap, n + 1, sizeof *dirs);
            dirs[n++] = pg_xstrdup(o->plugin_dirs[i]);
        }
    } else {
        n = pg_plugin_search_path(&dirs, o->plugin_dirs, o->plugin_dir_count);
    }
    pg_plugins_discover(set, dirs, n);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

static cJSON *build_manifest(const pg_generation *g)
{
    const pg_ctx *c = &g->ctx;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "version", PAYGEN_VERSION);
    cJSON *stacks = cJSON_AddObjectToObject(m, "stacks");
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        const char *name = pg_stack_names[s];
        cJSON *st = cJSON_AddObjectToObject(stacks, name);
        char *dir = pg_xasprintf("stacks/%s", name);
        char *file = pg_xasprintf("stacks/%s/cdk.tf.json", name);
        cJSON_AddStringToObject(st, "name", name);
        cJSON_AddStringToObject(st, "constructPath", name);
        cJSON_AddStringToObject(st, "workingDirectory", dir);
        cJSON_AddStringToObject(st, "synthesizedStackPath", file);
        cJSON_AddItemToObject(st, "annotations", cJSON_CreateArray());
        cJSON *deps = cJSON_AddArrayToObject(st, "dependencies");
        if (s == PG_STACK_PAYMENT)
            cJSON_AddItemToArray(deps, cJSON_CreateString(pg_stack_names[PG_STACK_BOOTSTRAP]));
        free(dir);
        free(file);
    }
    cJSON *p = cJSON_AddObjectToObject(m, "profile");
    cJSON_AddStringToObject(p, "phase", c->phase_name);
    cJSON_AddStringToObject(p, "environment", c->environment);
    cJSON_AddStringToObject(p, "suffix", c->suffix);
    cJSON_AddStringToObject(p, "cutover", c->cutover);
    cJSON_AddBoolToObject(p, "protection", c->protect);
    cJSON *waivers = cJSON_AddArrayToObject(p, "waivers");
    for (size_t i = 0; i < pg_ctx_list_count(c, "check.waivers"); i++)
        cJSON_AddItemToArray(waivers, cJSON_CreateString(pg_ctx_list_item(c, "check.waivers", i)));
    cJSON *regions = cJSON_AddArrayToObject(p, "regions");
    for (size_t i = 0; i < c->active_count; i++)
        cJSON_AddItemToArray(regions, cJSON_CreateString(c->regions[i].name));
    /* Which exact files wrote this output. */
    cJSON *plugins = cJSON_AddObjectToObject(m, "plugins");
    for (size_t i = 0; i < g->plugins.order_count; i++) {
        if (!g->selected[i])
            continue;
        const pg_loaded *l = g->plugins.order[i];
        cJSON *entry = cJSON_AddObjectToObject(plugins, l->vt->name);
        cJSON_AddStringToObject(entry, "version", l->vt->version ? l->vt->version : "");
        cJSON_AddStringToObject(entry, "license", l->vt->license);
        cJSON_AddStringToObject(entry, "path", l->path);
        cJSON_AddStringToObject(entry, "sha256", l->sha256);
    }
    return m;
}

/* The first need of plugin i that a failed plugin provides, or NULL. */
static const char *failed_need(const pg_generation *g, const bool *failed, size_t i)
{
    const pg_loaded *l = g->plugins.order[i];
    for (size_t k = 0; l->vt->needs && l->vt->needs[k]; k++)
        if (l->provider_pos[k] != SIZE_MAX && failed[l->provider_pos[k]])
            return l->vt->needs[k];
    return NULL;
}

/* The "aws" namespace every plugin may read: who and where we are. */
static void publish_core_references(pg_generation *g)
{
    pg_out *out = &g->out;
    out->plugin = "core";
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        pg_use_stack(out, (pg_stack)s);
        pg_data(out, NULL, "aws_caller_identity", "current");
        pg_data(out, NULL, "aws_partition", "current");
    }
    pg_publish_string(out, NULL, "aws.account_id", "${data.aws_caller_identity.current.account_id}");
    pg_publish_string(out, NULL, "aws.partition", "${data.aws_partition.current.partition}");
    for (size_t i = 0; i < g->ctx.active_count; i++)
        pg_publish_string(out, &g->ctx.regions[i], "aws.region", g->ctx.regions[i].name);
}

static int run_plugins(pg_generation *g, pg_errors *err)
{
    publish_core_references(g);
    size_t before = err->count;
    pg_errors misuse = {0};
    g->ctx.misuse = &misuse;
    bool *failed = pg_xcalloc(g->plugins.order_count, sizeof *failed);
    for (size_t i = 0; i < g->plugins.order_count; i++) {
        const pg_plugin *vt = g->plugins.order[i]->vt;
        size_t errs = err->count, misused = misuse.count;
        if (!g->selected[i])
            continue;
        /* A plugin whose provider failed would only add "not published"
         * noise after the real error: skip it. */
        const char *blocked = failed_need(g, failed, i);
        if (blocked) {
            failed[i] = true;
            pg_errors_add(err, "plugin %s: skipped, it needs '%s' from a plugin that failed",
                          vt->name, blocked);
            continue;
        }
        g->ctx.current = vt;
        g->ctx.current_config = g->ctx.configs ? g->ctx.configs[i] : NULL;
        g->out.plugin = vt->name;
        pg_use_stack(&g->out, PG_STACK_PAYMENT);
        pg_running_plugin = vt->name;
        int rc = vt->contribute(&g->ctx, &g->out);
        pg_running_plugin = NULL;
        bool said = err->count > errs || misuse.count > misused;
        if (rc != 0 && !said)
            pg_errors_add(err, "plugin %s: failed without saying why", vt->name);
        failed[i] = rc != 0 || said;
    }
    free(failed);
    g->ctx.current = NULL;
    g->ctx.current_config = NULL;
    g->out.plugin = NULL;
    g->ctx.misuse = NULL;
    for (size_t i = 0; i < misuse.count; i++)
        pg_errors_add(err, "plugin %s", misuse.messages[i]);
    pg_errors_free(&misuse);
    return err->count > before ? -1 : 0;
}

/* The plugins --plugin names, and every plugin they need, transitively. */
static int select_plugins(pg_generation *g, const pg_options *o, pg_errors *err)
{
    const pg_plugin_set *set = &g->plugins;
    g->selected = pg_xcalloc(set->order_count + 1, sizeof *g->selected);
    for (size_t i = 0; i < set->order_count; i++)
        g->selected[i] = o->only_count == 0;
    for (size_t k = 0; k < o->only_count; k++) {
        bool found = false;
        for (size_t i = 0; i < set->order_count; i++)
            if (!strcmp(set->order[i]->vt->name, o->only[k]))
                found = g->selected[i] = true;
        if (!found)
            pg_errors_add(err, "--plugin %s: no such plugin was found", o->only[k]);
    }
    /* In reverse run order a reader comes before what it needs. */
    for (size_t i = set->order_count; i-- > 0;) {
        if (!g->selected[i])
            continue;
        const pg_loaded *l = set->order[i];
        for (size_t k = 0; l->vt->needs && l->vt->needs[k]; k++)
            if (l->provider_pos[k] != SIZE_MAX)
                g->selected[l->provider_pos[k]] = true;
    }
    return err->count ? -1 : 0;
}

/* Plugins hidden behind another of the same name: announced, as a plugin on
 * PAYGEN_PLUGIN_PATH replacing a packaged one should never go unnoticed. */
static void warn_shadowed(pg_generation *g)
{
    for (size_t i = 0; i < g->plugins.count; i++) {
        const pg_loaded *l = &g->plugins.items[i];
        if (l->status == PG_PLUGIN_SHADOWED)
            pg_errors_add(&g->warnings, "plugin %s: %s is used instead of %s", l->vt->name,
                          l->problem + strlen("shadowed by "), l->path);
    }
}

int pg_generate(pg_generation *g, const pg_options *o, pg_errors *err)
{
    *g = (pg_generation){0};
    pg_find_plugins(&g->plugins, o);
    int rc = pg_plugins_order(&g->plugins, err);
    if (rc == 0 && g->plugins.order_count == 0) {
        pg_errors_add(err, "no plugins found: build them, or point --plugin-path or "
                           "PAYGEN_PLUGIN_PATH at their directory");
        rc = -1;
    }
    if (rc == 0 && o->lock_file) {
        pg_lock lock;
        rc = pg_lock_read(&lock, o->lock_file, err);
        if (rc == 0)
            rc = pg_lock_check(&lock, &g->plugins, err);
        pg_lock_free(&lock);
    }
    if (rc == 0)
        rc = select_plugins(g, o, err);
    if (rc == 0)
        warn_shadowed(g);
    g->profile.allow_outside = o->allow_extends_outside;
    if (rc == 0)
        rc = pg_profile_load(&g->profile, o->profile, err);
    for (size_t i = 0; rc == 0 && i < o->set_count; i++)
        rc = pg_profile_set(&g->profile, o->sets[i], err);
    if (rc == 0) {
        rc = pg_ctx_init(&g->ctx, &g->profile, &g->plugins, err);
        g->have_ctx = true;
    }
    if (rc == 0) {
        pg_out_init(&g->out, &g->ctx, err);
        g->have_out = true;
        rc = run_plugins(g, err);
    }
    if (rc == 0)
        rc = pg_out_finish(&g->out);
    /* Broken output is never written: every stack is validated first. */
    for (size_t s = 0; rc == 0 && s < PG_STACK_COUNT; s++)
        if (pg_validate_stack(g->out.stacks[s], pg_stack_names[s], o->schema, err, &g->warnings))
            rc = -1;
    if (rc == 0) {
        g->manifest = build_manifest(g);
        for (size_t s = 0; s < PG_STACK_COUNT; s++)
            pg_json_sort(g->out.stacks[s]);
        pg_json_sort(g->manifest);
    }
    return rc;
}

int pg_generation_write_with(pg_generation *g, const char *dir, const pg_extra_file *extra,
                             size_t extra_count, unsigned flags, pg_errors *err)
{
    size_t n = 0;
    for (const pg_package_file *p = g->out.packages; p; p = p->next)
        n++;
    pg_binary_file *zips = pg_xcalloc(n + 1, sizeof *zips);
    n = 0;
    for (const pg_package_file *p = g->out.packages; p; p = p->next)
        zips[n++] = (pg_binary_file){p->stack, "functions", p->name, p->data, p->size};
    int rc = pg_write_tree_files(dir, g->out.stacks, g->manifest, extra, extra_count, zips, n,
                                 flags, err);
    free(zips);
    return rc;
}

int pg_generation_write(pg_generation *g, const char *dir, pg_errors *err)
{
    return pg_generation_write_with(g, dir, NULL, 0, 0, err);
}

void pg_generation_free(pg_generation *g)
{
    cJSON_Delete(g->manifest);
    free(g->selected);
    if (g->have_out)
        pg_out_free(&g->out);
    if (g->have_ctx)
        pg_ctx_free(&g->ctx);
    pg_profile_free(&g->profile);
    pg_plugins_free(&g->plugins);
    pg_errors_free(&g->warnings);
    *g = (pg_generation){0};
}

void pg_graph_write(FILE *f, const pg_generation *g, pg_stack stack, const pg_graph_filter *filter)
{
    const pg_out *out = &g->out;
    pg_graph_block *blocks = pg_xcalloc(out->block_count + 1, sizeof *blocks);
    size_t n = 0;
    for (size_t i = 0; i < out->block_count; i++) {
        const pg_block_info *b = &out->blocks[i];
        if (b->stack == stack)
            blocks[n++] = (pg_graph_block){b->address, b->plugin, b->region, b->block, b->is_data};
    }
    /* the core writes blocks too (providers aside): its cluster comes first */
    const char **writers = pg_xcalloc(g->plugins.order_count + 1, sizeof *writers);
    writers[0] = "core";
    for (size_t p = 0; p < g->plugins.order_count; p++)
        writers[p + 1] = g->plugins.order[p]->vt->name;
    pg_graph_region *regions = pg_xcalloc(g->ctx.region_count + 1, sizeof *regions);
    for (size_t r = 0; r < g->ctx.region_count; r++)
        regions[r] = (pg_graph_region){g->ctx.regions[r].code, g->ctx.regions[r].name};
    pg_graph_input in = {
        .stack = pg_stack_names[stack],
        .blocks = blocks,
        .block_count = n,
        .writers = writers,
        .writer_count = g->plugins.order_count + 1,
        .regions = regions,
        .region_count = g->ctx.region_count,
        .active_count = g->ctx.active_count,
    };
    pg_graph_draw(f, &in, filter);
    free(regions);
    free(writers);
    free(blocks);
}
