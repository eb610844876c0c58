/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_graph.c - paygen graph and paygen settings: views of one generation. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "generate.h"
#include "graph.h"

typedef struct view_args {
    pg_options o;
    const char **sets, **dirs;
    size_t set_cap, dir_cap;
    const char *stack;
    const char *format;
    pg_graph_filter filter;
} view_args;

/* Options shared by the views: --profile, --set, --plugin-path, --stack, --format. */
static int parse_view(view_args *a, int argc, char **argv, const char *usage)
{
    static const struct option longs[] = {
        {"profile", required_argument, NULL, 'p'}, {"set", required_argument, NULL, 's'},
        {"plugin-path", required_argument, NULL, 'P'}, {"stack", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},  {"help", no_argument, NULL, 'h'},
        {"region", required_argument, NULL, 'r'},  {"plugin", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":p:s:P:S:f:r:g:h", longs, NULL)) != -1;) {
        switch (c) {
        case 'p': a->o.profile = optarg; break;
        case 's':
            pg_grow(&a->sets, &a->set_cap, a->o.set_count + 1, sizeof *a->sets);
            a->sets[a->o.set_count++] = optarg;
            break;
        case 'P':
            pg_grow(&a->dirs, &a->dir_cap, a->o.plugin_dir_count + 1, sizeof *a->dirs);
            a->dirs[a->o.plugin_dir_count++] = optarg;
            break;
        case 'S': a->stack = optarg; break;
        case 'f': a->format = optarg; break;
        case 'r': a->filter.region = optarg; break;
        case 'g': a->filter.plugin = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            fprintf(stderr, "paygen: bad option '%s'\n%s", argv[optind - 1], usage);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "paygen: unexpected argument '%s'\n%s", argv[optind], usage);
        return 2;
    }
    a->o.sets = a->sets;
    a->o.plugin_dirs = a->dirs;
    return -1;
}

static const char *const graph_usage =
    "usage: paygen graph --profile FILE [--stack payment|bootstrap] [--region R] [--plugin P]\n"
    "                    [--set KEY=VALUE]... [--plugin-path DIR]...\n"
    "  --region R keeps one region (us-east-2, use2, or global); --plugin P one plugin.\n"
    "  Graphviz DOT on stdout: resources grouped by region and plugin, references as edges.\n"
    "  e.g. paygen graph --profile profiles/production.yaml | dot -Tsvg > platform.svg\n";

int pg_cmd_graph(int argc, char **argv)
{
    view_args a = {.stack = "payment"};
    int rc = parse_view(&a, argc, argv, graph_usage);
    if (rc < 0 && !a.o.profile) {
        fprintf(stderr, "paygen: graph needs --profile FILE\n%s", graph_usage);
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
        pg_errors err = {0};
        pg_generation g;
        if (pg_generate(&g, &a.o, &err) == 0) {
            pg_graph_write(stdout, &g, (pg_stack)stack, &a.filter);
            rc = 0;
        } else {
            rc = pg_report(&err);
        }
        pg_generation_free(&g);
        pg_errors_free(&err);
    }
    free(a.sets);
    free(a.dirs);
    return rc;
}

static const char *const settings_usage =
    "usage: paygen settings [--format text|markdown] [--plugin-path DIR]...\n"
    "  Every key a profile may hold (the core's and the loaded plugins'), with type,\n"
    "  default, allowed range, owner and help. docs/profile.md embeds the markdown form.\n";

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
    view_args a = {.format = "text"};
    int rc = parse_view(&a, argc, argv, settings_usage);
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
    free(a.sets);
    free(a.dirs);
    return rc;
}
