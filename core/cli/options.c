/* SPDX-License-Identifier: Apache-2.0 */
/* options.c - every option of the paygen command line in one table, the one
 * parser over it (getopt_long, built from the options a command takes) and
 * the usage text it makes. */
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const pg_option pg_option_table[PG_OPT_COUNT] = {
    [PG_OPT_PROFILE] = {"profile", 'p', "FILE", NULL,
                        "the profile to generate (legacy, migration, production)"},
    [PG_OPT_OUTPUT] = {"output", 'o', "DIR", "out", "where OUT/stacks/<stack>/cdk.tf.json go (default: out)"},
    [PG_OPT_FORCE_OUTPUT] = {"force-output", '\0', NULL, NULL,
                             "write even into /, the home directory or a non-empty\n"
                             "directory that holds no paygen output"},
    [PG_OPT_SET] = {"set", 's', "KEY=VALUE", NULL, "override a profile value for this run (repeatable)"},
    [PG_OPT_PLUGIN_PATH] = {"plugin-path", 'P', "DIR", NULL, "search DIR for plugins first (repeatable, or a:b:c)"},
    [PG_OPT_PLUGIN] = {"plugin", 'g', "NAME", NULL, "run only NAME and the plugins it needs (repeatable)"},
    [PG_OPT_LOCK] = {"lock", '\0', NULL, NULL, "pin the plugins found: name, version, sha256 -> the lock file"},
    [PG_OPT_LOCK_FILE] = {"lock-file", '\0', "FILE", "paygen.lock",
                          "the plugin lock (default: ./paygen.lock, used when present)"},
    [PG_OPT_INSECURE_PLUGINS] = {"insecure-plugins", '\0', NULL, NULL,
                                 "load plugin files others could have written (development)"},
    [PG_OPT_ALLOW_EXTENDS_OUTSIDE] = {"allow-extends-outside", '\0', NULL, NULL,
                                      "let extends: read files outside the profile's repository\n"
                                      "(a shared base profile)"},
    [PG_OPT_QUIET] = {"quiet", 'q', NULL, NULL, "print nothing on success"},
    [PG_OPT_VERBOSE] = {"verbose", 'v', NULL, NULL, "print the plugin order and search path"},
    [PG_OPT_FROM] = {"from", 'F', "A", NULL, "one side of the step: a profile or an output directory"},
    [PG_OPT_TO] = {"to", 'T', "B", NULL, "the other side: a profile or an output directory"},
    [PG_OPT_STACK] = {"stack", 'S', "STACK", "payment", "payment (default) or bootstrap"},
    [PG_OPT_REGION] = {"region", 'r', "REGION", NULL, "keep one region (us-east-2, use2, or global)"},
    [PG_OPT_FORMAT] = {"format", 'f', "FMT", "text", "the output format (default: text)"},
    [PG_OPT_LIST_RULES] = {"list-rules", 'l', NULL, NULL,
                           "print the rules: id, severity, PCI DSS v4.0, Security Hub, title"},
    [PG_OPT_WAIVERS] = {"waivers", '\0', "FILE", NULL,
                        "waive rules as the reviewed FILE says (rule, owner, expires, reason)"},
    [PG_OPT_ALLOW_CRITICAL_WAIVERS] = {"allow-critical-waivers", '\0', NULL, NULL,
                                       "accept waivers of critical rules"},
    [PG_OPT_PROVIDER_SCHEMA] = {"provider-schema", 'S', "FILE", NULL,
                                "check against FILE, the output of `terraform providers schema -json`"},
    [PG_OPT_NO_PROVIDER_SCHEMA] = {"no-provider-schema", 'n', NULL, NULL,
                                   "check structure, templates and references only"},
    [PG_OPT_NO_WARN] = {"no-warn", 'W', NULL, NULL, "print errors only"},
    [PG_OPT_TESTS] = {"tests", '\0', NULL, NULL,
                      "also write each stack's offline terraform test:\n"
                      "stacks/<stack>/tests/paygen.tftest.json"},
    [PG_OPT_HELP] = {"help", 'h', NULL, NULL, "print this help"},
};

/* getopt_long's value of an option without a short letter. */
#define LONG_ONLY 256

static unsigned taken(const pg_cli_command *cmd)
{
    unsigned set = cmd->tolerated | PG_OPT_BIT(PG_OPT_HELP);
    for (const pg_cli_use *u = cmd->uses; u->id != PG_OPT_COUNT; u++)
        set |= PG_OPT_BIT(u->id);
    return set;
}

static void add(const char ***items, size_t *count, size_t *cap, const char *value)
{
    pg_grow(items, cap, *count + 1, sizeof **items);
    (*items)[(*count)++] = value;
}

static void store(pg_cli_args *a, pg_opt id, const char *value)
{
    switch (id) {
    case PG_OPT_PROFILE: a->o.profile = value; break;
    case PG_OPT_OUTPUT: a->out_dir = value; break;
    case PG_OPT_FORCE_OUTPUT: a->force_output = true; break;
    case PG_OPT_SET:
        add(&a->sets_, &a->o.set_count, &a->set_cap_, value);
        a->o.sets = a->sets_;
        break;
    case PG_OPT_PLUGIN_PATH:
        add(&a->dirs_, &a->o.plugin_dir_count, &a->dir_cap_, value);
        a->o.plugin_dirs = a->dirs_;
        break;
    case PG_OPT_PLUGIN: add(&a->plugins, &a->plugin_count, &a->plugin_cap_, value); break;
    case PG_OPT_LOCK: a->lock = true; break;
    case PG_OPT_LOCK_FILE: a->o.lock_file = value; break;
    case PG_OPT_INSECURE_PLUGINS: a->o.allow_insecure = true; break;
    case PG_OPT_ALLOW_EXTENDS_OUTSIDE: a->o.allow_extends_outside = true; break;
    case PG_OPT_QUIET: a->verbosity = -1; break;
    case PG_OPT_VERBOSE: a->verbosity = 1; break;
    case PG_OPT_FROM: a->from = value; break;
    case PG_OPT_TO: a->to = value; break;
    case PG_OPT_STACK: a->stack = value; break;
    case PG_OPT_REGION: a->region = value; break;
    case PG_OPT_FORMAT: a->format = value; break;
    case PG_OPT_LIST_RULES: a->list_rules = true; break;
    case PG_OPT_WAIVERS: a->waivers = value; break;
    case PG_OPT_ALLOW_CRITICAL_WAIVERS: a->allow_critical_waivers = true; break;
    case PG_OPT_PROVIDER_SCHEMA: a->provider_schema = value; break;
    case PG_OPT_NO_PROVIDER_SCHEMA: a->no_provider_schema = true; break;
    case PG_OPT_NO_WARN: a->no_warn = true; break;
    case PG_OPT_TESTS: a->tests = true; break;
    case PG_OPT_HELP:
    case PG_OPT_COUNT: break;
    }
}

static int usage_error(const pg_cli_command *cmd, int c, const char *arg)
{
    if (cmd->flags & PG_CLI_BAD_OPTION) {
        fprintf(stderr, "paygen: bad option '%s'\n", arg);
        pg_cli_usage(stderr, cmd);
    } else if (c == ':') {
        fprintf(stderr, "paygen: option %s needs a value\n", arg);
    } else {
        fprintf(stderr, "paygen: unknown option '%s'\n", arg);
        pg_cli_usage(stderr, cmd);
    }
    return 2;
}

static bool whole_name(const struct option *longs, const char *text)
{
    size_t n = strcspn(text + 2, "=");
    for (; longs->name; longs++)
        if (strlen(longs->name) == n && !strncmp(longs->name, text + 2, n))
            return true;
    return false;
}

int pg_cli_parse(pg_cli_args *a, const pg_cli_command *cmd, int argc, char **argv)
{
    *a = (pg_cli_args){0};
    unsigned set = taken(cmd);
    struct option longs[PG_OPT_COUNT + 1];
    char shorts[2 + 2 * PG_OPT_COUNT] = ":"; /* ':' first: a missing value is not an unknown option */
    size_t nlong = 0, nshort = 1;
    for (int id = 0; id < PG_OPT_COUNT; id++) {
        const pg_option *t = &pg_option_table[id];
        if (!(set & PG_OPT_BIT(id)))
            continue;
        if (t->fallback)
            store(a, (pg_opt)id, t->fallback);
        longs[nlong++] = (struct option){t->name, t->arg ? required_argument : no_argument, NULL,
                                         t->letter ? t->letter : LONG_ONLY + id};
        if (!t->letter)
            continue;
        if (memchr(shorts + 1, t->letter, nshort - 1)) { /* a command taking -S twice */
            fprintf(stderr, "paygen: internal error: -%c is two options of one command\n", t->letter);
            abort();
        }
        shorts[nshort++] = t->letter;
        if (t->arg)
            shorts[nshort++] = ':';
    }
    longs[nlong] = (struct option){NULL, 0, NULL, 0};
    shorts[nshort] = '\0';
    optind = 1;
    opterr = 0;
    int li = -1;
    for (int c; (c = getopt_long(argc, argv, shorts, longs, &li)) != -1; li = -1) {
        /* getopt_long takes any unique prefix ("--lock" for --lock-file):
         * only whole names, so an option of another command is not misread. */
        const char *text = argv[optind - 1];
        if (c != '?' && optarg && optarg == text && optind >= 2)
            text = argv[optind - 2];
        if (c != '?' && !strncmp(text, "--", 2) && !whole_name(longs, text))
            return usage_error(cmd, '?', text);
        if (c == ':' || c == '?')
            return usage_error(cmd, c, argv[optind - 1]);
        int id = c - LONG_ONLY;
        for (int k = 0; c < LONG_ONLY && k < PG_OPT_COUNT; k++)
            if ((set & PG_OPT_BIT(k)) && pg_option_table[k].letter == c)
                id = k;
        if (id == PG_OPT_HELP) {
            pg_cli_usage(stdout, cmd);
            return 0;
        }
        store(a, (pg_opt)id, optarg);
    }
    if (cmd->flags & PG_CLI_OPERANDS) {
        a->operands = argv + optind;
        a->operand_count = argc - optind;
    } else if (optind < argc) {
        fprintf(stderr, "paygen: unexpected argument '%s'\n", argv[optind]);
        if (cmd->flags & PG_CLI_BAD_OPTION)
            pg_cli_usage(stderr, cmd);
        return 2;
    }
    return -1;
}

void pg_cli_args_free(pg_cli_args *a)
{
    free(a->sets_);
    free(a->dirs_);
    free(a->plugins);
    *a = (pg_cli_args){0};
}

/* "  -p, --profile FILE", "      --lock", "  PATH" */
static int label(char *buf, size_t size, const pg_option *t)
{
    return snprintf(buf, size, "  %c%c%c --%s%s%s", t->letter ? '-' : ' ', t->letter ? t->letter : ' ',
                    t->letter ? ',' : ' ', t->name, t->arg ? " " : "", t->arg ? t->arg : "");
}

/* label, padded to the column, then the help with its continuation lines
 * indented to the column */
static void item(FILE *f, const char *label_text, int column, const char *help)
{
    fprintf(f, "%-*s", column, label_text);
    for (const char *p = help; *p; p++) {
        fputc(*p, f);
        if (*p == '\n' && p[1])
            fprintf(f, "%*s", column, "");
    }
    fputc('\n', f);
}

void pg_cli_usage(FILE *f, const pg_cli_command *cmd)
{
    static const char head[] = "usage: paygen ";
    const char *s = cmd->synopsis;
    int word = (int)strcspn(s, " \n");
    fputs(head, f);
    for (const char *line = s; *line;) {
        size_t len = strcspn(line, "\n");
        if (line != s && *line == ' ') { /* continues the line above */
            while (*line == ' ')
                line++, len--;
            fprintf(f, "%*s", (int)sizeof head - 1 + word + 1, "");
        } else if (line != s) { /* another form */
            fprintf(f, "%*s%s", (int)sizeof head - 1 - (int)strlen("paygen "), "", "paygen ");
        }
        fprintf(f, "%.*s\n", (int)len, line);
        line += len + (line[len] == '\n');
    }
    char buf[128];
    int column = cmd->operand ? 2 + (int)strlen(cmd->operand) : 0;
    for (const pg_cli_use *u = cmd->uses; u->id != PG_OPT_COUNT; u++) {
        int n = label(buf, sizeof buf, &pg_option_table[u->id]);
        if (n > column)
            column = n;
    }
    column += 2;
    if (cmd->operand) {
        snprintf(buf, sizeof buf, "  %s", cmd->operand);
        item(f, buf, column, cmd->operand_help);
    }
    for (const pg_cli_use *u = cmd->uses; u->id != PG_OPT_COUNT; u++) {
        label(buf, sizeof buf, &pg_option_table[u->id]);
        item(f, buf, column, u->help ? u->help : pg_option_table[u->id].help);
    }
    if (cmd->notes)
        fputs(cmd->notes, f);
}
