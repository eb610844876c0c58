/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_generate.c - paygen [generate] and paygen plugins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "generate.h"
#include "options.h"
#include "tftest.h"
#include "trust.h"
#include "writer.h"

/* One message on one line: control characters a value brought in (a plugin
 * echoing a profile value, a file name) are shown escaped, so no value can
 * end the line and forge another. */
void pg_print_message(FILE *f, const char *prefix, const char *msg)
{
    fputs(prefix, f);
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
        if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
    fputc('\n', f);
}

int pg_report(pg_errors *err)
{
    for (size_t i = 0; i < err->count; i++)
        pg_print_message(stderr, "paygen: ", err->messages[i]);
    pg_errors_free(err);
    return 1;
}

static const pg_cli_command generate_cmd = {
    .synopsis = "[generate] --profile FILE [-o DIR [--force-output]] [--set KEY=VALUE]...\n"
                " [--plugin-path DIR]... [--plugin NAME]... [--tests] [-q|-v]",
    .uses = (const pg_cli_use[]){
        {PG_OPT_PROFILE, NULL},
        {PG_OPT_OUTPUT, NULL},
        {PG_OPT_FORCE_OUTPUT, NULL},
        {PG_OPT_SET, NULL},
        {PG_OPT_PLUGIN_PATH, NULL},
        {PG_OPT_PLUGIN, NULL},
        {PG_OPT_LOCK_FILE, NULL},
        {PG_OPT_INSECURE_PLUGINS, NULL},
        {PG_OPT_ALLOW_EXTENDS_OUTSIDE, NULL},
        {PG_OPT_TESTS, NULL},
        {PG_OPT_QUIET, NULL},
        {PG_OPT_VERBOSE, NULL},
        {PG_OPT_COUNT, NULL},
    },
};

static const pg_cli_command plugins_cmd = {
    .synopsis = "plugins [--plugin-path DIR]... [--lock] [--lock-file FILE] [--insecure-plugins]",
    .uses = (const pg_cli_use[]){
        {PG_OPT_PLUGIN_PATH, NULL},
        {PG_OPT_LOCK, NULL},
        {PG_OPT_LOCK_FILE, "where --lock writes (default: ./paygen.lock)"},
        {PG_OPT_INSECURE_PLUGINS, NULL},
        {PG_OPT_COUNT, NULL},
    },
    /* generate's options: plugins shared its option loop */
    .tolerated = PG_OPT_BIT(PG_OPT_PROFILE) | PG_OPT_BIT(PG_OPT_OUTPUT) | PG_OPT_BIT(PG_OPT_SET) |
                 PG_OPT_BIT(PG_OPT_PLUGIN) | PG_OPT_BIT(PG_OPT_QUIET) | PG_OPT_BIT(PG_OPT_VERBOSE),
};

static void print_summary(const pg_generation *g, const char *dir, const pg_tftest *tests)
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
        if (tests && tests[s].doc) {
            printf("  stacks/%s/" PG_TFTEST_DIR "/" PG_TFTEST_FILE ": runs", pg_stack_names[s]);
            const cJSON *runs = cJSON_GetObjectItemCaseSensitive(tests[s].doc, "run"), *run;
            cJSON_ArrayForEach(run, runs)
                printf("%s %s", run == runs->child ? "" : ",", run->child->string);
            printf("%s\n", tests[s].applies ? ", then destroys" : " (prevent_destroy: not applied)");
        }
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

/* Test files an earlier --tests run left: they test that output, not this
 * one, and terraform test would still run them. */
static void warn_stale_tests(const char *dir)
{
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        char *file = pg_xasprintf("%s/stacks/%s/" PG_TFTEST_DIR "/" PG_TFTEST_FILE, dir, pg_stack_names[s]);
        if (access(file, F_OK) == 0)
            fprintf(stderr, "paygen: warning: %s was written by an earlier --tests run and tests that "
                            "output: generate with --tests again, or remove it\n", file);
        free(file);
    }
}

int pg_cmd_generate(int argc, char **argv)
{
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &generate_cmd, argc, argv);
    if (rc < 0 && !a.o.profile) {
        fprintf(stderr, "paygen: --profile FILE is required\n");
        pg_cli_usage(stderr, &generate_cmd);
        rc = 2;
    }
    if (rc >= 0) {
        pg_cli_args_free(&a);
        return rc;
    }
    a.o.only = a.plugins; /* --plugin: run these and what they need */
    a.o.only_count = a.plugin_count;
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
        pg_print_message(stderr, "paygen: warning: ", g.warnings.messages[i]);
    /* --tests: each stack's terraform test file, written with it */
    pg_tftest tests[PG_STACK_COUNT] = {{0}};
    pg_extra_file extra[PG_STACK_COUNT];
    size_t extra_count = 0;
    for (size_t s = 0; rc == 0 && a.tests && s < PG_STACK_COUNT; s++) {
        pg_tftest_build(&tests[s], g.out.stacks[s]);
        extra[extra_count++] = (pg_extra_file){(pg_stack)s, PG_TFTEST_DIR, PG_TFTEST_FILE, tests[s].doc};
    }
    if (rc == 0)
        rc = pg_generation_write_with(&g, a.out_dir, extra, extra_count,
                                      a.force_output ? PG_WRITE_FORCE : 0, &err);
    if (rc == 0 && !a.tests && a.verbosity >= 0)
        warn_stale_tests(a.out_dir);
    if (rc == 0 && a.verbosity >= 0)
        print_summary(&g, a.out_dir, a.tests ? tests : NULL);
    for (size_t s = 0; s < PG_STACK_COUNT; s++)
        pg_tftest_free(&tests[s]);
    pg_generation_free(&g);
    pg_cli_args_free(&a);
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
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &plugins_cmd, argc, argv);
    if (rc >= 0) {
        pg_cli_args_free(&a);
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
    pg_cli_args_free(&a);
    if (err.count || broken)
        return pg_report(&err);
    return 0;
}
