/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_graph.c - paygen graph and paygen settings: views of one generation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "generate.h"
#include "graph.h"
#include "options.h"

/* graph and settings take each other's options too, as they always did. */
#define VIEW_OPTIONS                                                                                       \
    (PG_OPT_BIT(PG_OPT_PROFILE) | PG_OPT_BIT(PG_OPT_SET) | PG_OPT_BIT(PG_OPT_PLUGIN_PATH) |                \
     PG_OPT_BIT(PG_OPT_STACK) | PG_OPT_BIT(PG_OPT_FORMAT) | PG_OPT_BIT(PG_OPT_REGION) |                   \
     PG_OPT_BIT(PG_OPT_PLUGIN) | PG_OPT_BIT(PG_OPT_ALLOW_EXTENDS_OUTSIDE))

static const pg_cli_command graph_cmd = {
    .synopsis = "graph --profile FILE [--stack payment|bootstrap] [--region REGION] [--plugin NAME]\n"
                " [--set KEY=VALUE]... [--plugin-path DIR]...",
    .uses = (const pg_cli_use[]){
        {PG_OPT_PROFILE, "the profile to draw"},
        {PG_OPT_STACK, NULL},
        {PG_OPT_REGION, NULL},
        {PG_OPT_PLUGIN, "keep one plugin"},
        {PG_OPT_SET, NULL},
        {PG_OPT_PLUGIN_PATH, NULL},
        {PG_OPT_ALLOW_EXTENDS_OUTSIDE, NULL},
        {PG_OPT_COUNT, NULL},
    },
    .tolerated = VIEW_OPTIONS,
    .notes = "  Graphviz DOT on stdout: resources grouped by region and plugin, references as edges.\n"
             "  e.g. paygen graph --profile profiles/production.yaml | dot -Tsvg > platform.svg\n",
    .flags = PG_CLI_BAD_OPTION,
};

int pg_cmd_graph(int argc, char **argv)
{
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &graph_cmd, argc, argv);
    if (rc < 0 && !a.o.profile) {
        fprintf(stderr, "paygen: graph needs --profile FILE\n");
        pg_cli_usage(stderr, &graph_cmd);
        rc = 2;
    }
    size_t stack = PG_STACK_COUNT;
    for (size_t i = 0; rc < 0 && i < PG_STACK_COUNT; i++)
        if (!strcmp(a.stack, pg_stack_names[i]))
            stack = i;
    if (rc < 0 && stack == PG_STACK_COUNT) {
        fprintf(stderr, "paygen: unknown stack '%s' (payment or bootstrap)\n", a.stack);
        rc = 2;
    }
    if (rc < 0) {
        /* --plugin filters the drawing (the last one given); every plugin runs */
        pg_graph_filter filter = {a.region, a.plugin_count ? a.plugins[a.plugin_count - 1] : NULL};
        pg_errors err = {0};
        pg_generation g;
        if (pg_generate(&g, &a.o, &err) == 0) {
            pg_graph_write(stdout, &g, (pg_stack)stack, &filter);
            rc = 0;
        } else {
            rc = pg_report(&err);
        }
        pg_generation_free(&g);
        pg_errors_free(&err);
    }
    pg_cli_args_free(&a);
    return rc;
}

static const pg_cli_command settings_cmd = {
    .synopsis = "settings [--format text|markdown] [--plugin-path DIR]...",
    .uses = (const pg_cli_use[]){
        {PG_OPT_FORMAT, "text (default) or markdown"},
        {PG_OPT_PLUGIN_PATH, NULL},
        {PG_OPT_COUNT, NULL},
    },
    .tolerated = VIEW_OPTIONS,
    .notes = "  Every key a profile may hold (the core's and the loaded plugins'), with type,\n"
             "  default, allowed range, owner and help. docs/profile.md embeds the markdown form.\n",
    .flags = PG_CLI_BAD_OPTION,
};

static const char *type_name(pg_setting_type t)
{
    static const char *const names[] = {"string", "integer", "boolean", "list of strings",
                                        "one of"};
    return names[t];
}

static void print_setting(const pg_setting *s, const char *owner, bool markdown)
{
    char range[256] = "";
    if (s->type == PG_TYPE_INT)
        snprintf(range, sizeof range, "%ld..%ld", s->min, s->max);
    else if (s->type == PG_TYPE_CHOICE)
        snprintf(range, sizeof range, "%s", s->choices);
    const char *def = s->default_value ? s->default_value : "(required)";
    if (markdown) {
        printf("| `%s` | %s%s", s->key, type_name(s->type), *range ? " " : "");
        for (const char *c = range; *c; c++) /* a '|' would end the table cell */
            fputs(*c == '|' ? "\\|" : (char[]){*c, '\0'}, stdout);
        printf(" | `%s` | %s | %s |\n", def, owner, s->help ? s->help : "");
    }
    else
        printf("%-40s %-8s %-12s %-22s %s\n", s->key, type_name(s->type), range, def, owner);
}

int pg_cmd_settings(int argc, char **argv)
{
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &settings_cmd, argc, argv);
    bool markdown = !strcmp(a.format, "markdown");
    if (rc < 0 && !markdown && strcmp(a.format, "text")) {
        fprintf(stderr, "paygen: unknown format '%s' (text or markdown)\n", a.format);
        rc = 2;
    }
    if (rc < 0) {
        pg_plugin_set set = {0};
        pg_errors err = {0};
        pg_find_plugins(&set, &a.o);
        rc = pg_plugins_order(&set, &err) == 0 ? 0 : pg_report(&err);
        if (markdown)
            printf("| key | type | default | owner | meaning |\n|---|---|---|---|---|\n");
        for (const pg_setting *s = pg_core_settings; rc == 0 && s->key; s++)
            print_setting(s, "core", markdown);
        /* plugins sorted by name, not by run order, so the table reads alphabetically */
        for (size_t i = 0; rc == 0 && i < set.count; i++) {
            const pg_loaded *l = &set.items[i];
            if (l->status != PG_PLUGIN_OK || !l->vt->settings)
                continue;
            for (const pg_setting *s = l->vt->settings; s->key; s++)
                print_setting(s, l->vt->name, markdown);
        }
        pg_errors_free(&err);
        pg_plugins_free(&set);
    }
    pg_cli_args_free(&a);
    return rc;
}
