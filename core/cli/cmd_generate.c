/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_generate.c - paygen [generate] and paygen plugins. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "generate.h"
#include "trust.h"

int pg_report(pg_errors *err)
{
    for (size_t i = 0; i < err->count; i++)
        fprintf(stderr, "paygen: %s\n", err->messages[i]);
    pg_errors_free(err);
    return 1;
}

typedef struct args {
    pg_options o;
    const char *out_dir;
    const char **sets, **dirs, **only;
    size_t set_cap, dir_cap, only_cap;
    int verbosity; /* -1 quiet, 0 summary, 1 verbose */
    bool lock;     /* paygen plugins --lock */
} args;

#define DEFAULT_LOCK_FILE "paygen.lock"

static const char *const generate_usage =
    "usage: paygen [generate] --profile FILE [-o DIR] [--set KEY=VALUE]...\n"
    "                         [--plugin-path DIR]... [--plugin NAME]... [-q|-v]\n"
    "  -p, --profile FILE      the profile to generate (legacy, migration, production)\n"
    "  -o, --output DIR        where OUT/stacks/<stack>/cdk.tf.json go (default: out)\n"
    "  -s, --set KEY=VALUE     override a profile value for this run (repeatable)\n"
    "  -P, --plugin-path DIR   search DIR for plugins first (repeatable, or a:b:c)\n"
    "      --plugin NAME       run only NAME and the plugins it needs (repeatable)\n"
    "      --lock-file FILE    the plugin lock (default: ./paygen.lock, used when present)\n"
    "      --insecure-plugins  load plugin files others could have written (development)\n"
    "  -q, --quiet             print nothing on success\n"
    "  -v, --verbose           print the plugin order and search path\n"
    "usage: paygen plugins [--plugin-path DIR]... [--lock] [--lock-file FILE]\n"
    "      --lock              pin the plugins found: name, version, sha256 -> the lock file\n";

static int parse(args *a, int argc, char **argv, bool need_profile)
{
    static const struct option longs[] = {
        {"profile", required_argument, NULL, 'p'}, {"output", required_argument, NULL, 'o'},
        {"set", required_argument, NULL, 's'},     {"plugin-path", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},         {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {"plugin", required_argument, NULL, 'n'},
        {"lock-file", required_argument, NULL, 'L'}, {"insecure-plugins", no_argument, NULL, 'I'},
        {"lock", no_argument, NULL, 'l'},          {NULL, 0, NULL, 0},
    };
    a->o.lock_file = DEFAULT_LOCK_FILE;
    a->out_dir = "out";
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":p:o:s:P:qvh", longs, NULL)) != -1;) {
        switch (c) {
        case 'p': a->o.profile = optarg; break;
        case 'o': a->out_dir = optarg; break;
        case 's':
            pg_grow(&a->sets, &a->set_cap, a->o.set_count + 1, sizeof *a->sets);
            a->sets[a->o.set_count++] = optarg;
            break;
        case 'P':
            pg_grow(&a->dirs, &a->dir_cap, a->o.plugin_dir_count + 1, sizeof *a->dirs);
            a->dirs[a->o.plugin_dir_count++] = optarg;
            break;
        case 'n':
            pg_grow(&a->only, &a->only_cap, a->o.only_count + 1, sizeof *a->only);
            a->only[a->o.only_count++] = optarg;
            break;
        case 'L': a->o.lock_file = optarg; break;
        case 'I': a->o.allow_insecure = true; break;
        case 'l': a->lock = true; break;
        case 'q': a->verbosity = -1; break;
        case 'v': a->verbosity = 1; break;
        case 'h': fputs(generate_usage, stdout); return 0;
        case ':':
            fprintf(stderr, "paygen: option %s needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "paygen: unknown option '%s'\n%s", argv[optind - 1], generate_usage);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "paygen: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (need_profile && !a->o.profile) {
        fprintf(stderr, "paygen: --profile FILE is required\n%s", generate_usage);
        return 2;
    }
    a->o.sets = a->sets;
    a->o.plugin_dirs = a->dirs;
    a->o.only = a->only;
    return -1;
}

static void free_args(args *a)
{
    free(a->sets);
    free(a->dirs);
    free(a->only);
}

static void print_summary(const pg_generation *g, const char *dir)
{
    const pg_out *out = &g->out;
    const pg_ctx *c = &g->ctx;
    printf("paygen: %s phase, environment %s, suffix %s -> %s/\n", c->phase_name, c->environment,
           c->suffix, dir);
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        size_t res = 0, data = 0;
        for (size_t i = 0; i < out->block_count; i++)
            if (out->blocks[i].stack == (pg_stack)s)
                out->blocks[i].is_data ? data++ : res++;
        printf("  stacks/%s/cdk.tf.json: %zu resources, %zu data sources\n", pg_stack_names[s], res,
               data);
    }
    printf("  %-12s", "resources");
    for (size_t r = 0; r < c->active_count; r++)
        printf(" %8s", c->regions[r].name);
    printf(" %8s\n", "global");
    for (size_t p = 0; p < g->plugins.order_count; p++) {
        const char *name = g->plugins.order[p]->vt->name;
        printf("  %-12s", name);
        for (size_t r = 0; r <= c->active_count; r++) {
            const char *code = r < c->active_count ? c->regions[r].code : NULL;
            size_t n = 0;
            for (size_t i = 0; i < out->block_count; i++) {
                const pg_block_info *b = &out->blocks[i];
                if (!b->is_data && !strcmp(b->plugin, name) &&
                    (code ? b->region && !strcmp(b->region, code) : !b->region))
                    n++;
            }
            printf(" %8zu", n);
        }
        printf("\n");
    }
}

int pg_cmd_generate(int argc, char **argv)
{
    args a = {0};
    int rc = parse(&a, argc, argv, true);
    if (rc >= 0) {
        free_args(&a);
        return rc;
    }
    pg_errors err = {0};
    pg_generation g;
    rc = pg_generate(&g, &a.o, &err);
    if (rc == 0 && a.verbosity > 0) {
        fprintf(stderr, "paygen: plugin order:");
        for (size_t i = 0; i < g.plugins.order_count; i++)
            fprintf(stderr, " %s", g.plugins.order[i]->vt->name);
        fprintf(stderr, "\n");
    }
    for (size_t i = 0; a.verbosity >= 0 && i < g.warnings.count; i++)
        fprintf(stderr, "paygen: warning: %s\n", g.warnings.messages[i]);
    if (rc == 0)
        rc = pg_generation_write(&g, a.out_dir, &err);
    if (rc == 0 && a.verbosity >= 0)
        print_summary(&g, a.out_dir);
    pg_generation_free(&g);
    free_args(&a);
    return rc == 0 ? 0 : pg_report(&err);
}

static const char *status_name(pg_plugin_status s)
{
    return s == PG_PLUGIN_OK ? "ok" : s == PG_PLUGIN_SHADOWED ? "shadowed" : "broken";
}

static void write_lock(const pg_plugin_set *set, const char *path, pg_errors *err)
{
    cJSON *lock = pg_lock_build(set);
    char *text = pg_json_print(lock);
    cJSON_Delete(lock);
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(text, f) != EOF;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        pg_errors_add(err, "cannot write the lock file %s", path);
    else
        printf("locked %zu plugins in %s\n", set->order_count, path);
    free(text);
}

int pg_cmd_plugins(int argc, char **argv)
{
    args a = {0};
    int rc = parse(&a, argc, argv, false);
    if (rc >= 0) {
        free_args(&a);
        return rc;
    }
    pg_plugin_set set = {0};
    pg_find_plugins(&set, &a.o);
    char **dirs = NULL;
    size_t n = pg_plugin_search_path(&dirs, a.o.plugin_dirs, a.o.plugin_dir_count);
    printf("search path:\n");
    for (size_t i = 0; i < n; i++) {
        printf("  %s\n", dirs[i]);
        free(dirs[i]);
    }
    free(dirs);
    printf("%-12s %-8s %-5s %-8s %s\n", "plugin", "version", "abi", "status", "path");
    int broken = 0;
    for (size_t i = 0; i < set.count; i++) {
        const pg_loaded *l = &set.items[i];
        char abi[16] = "?";
        if (l->vt)
            snprintf(abi, sizeof abi, "%d.%d", l->vt->abi_major, l->vt->abi_minor);
        printf("%-12s %-8s %-5s %-8s %s%s%s\n", l->vt ? l->vt->name : "?",
               l->vt && l->vt->version ? l->vt->version : "-", abi, status_name(l->status), l->path,
               l->problem ? ": " : "", l->problem ? l->problem : "");
        broken += l->status == PG_PLUGIN_BROKEN;
    }
    pg_errors err = {0};
    if (pg_plugins_order(&set, &err) == 0) {
        printf("order:");
        for (size_t i = 0; i < set.order_count; i++)
            printf(" %s", set.order[i]->vt->name);
        printf("\n");
    }
    if (set.order_count == 0 && !err.count)
        pg_errors_add(&err, "no plugins found: build them, or point --plugin-path or "
                            "PAYGEN_PLUGIN_PATH at their directory");
    if (!err.count && !broken && a.lock)
        write_lock(&set, a.o.lock_file, &err);
    pg_plugins_free(&set);
    free_args(&a);
    if (err.count || broken)
        return pg_report(&err);
    return 0;
}
