/* SPDX-License-Identifier: Apache-2.0 */
/* options.h - the paygen command line's options: one table of every option,
 * one parser that fills one struct, and the usage text made from the table.
 * A command declares which options it takes; what an option means is the
 * command's business (--plugin: a subset to generate, a graph filter). */
#ifndef PG_OPTIONS_H
#define PG_OPTIONS_H

#include <stdio.h>

#include "generate.h"

typedef enum pg_opt {
    PG_OPT_PROFILE,
    PG_OPT_OUTPUT,
    PG_OPT_FORCE_OUTPUT,
    PG_OPT_SET,
    PG_OPT_PLUGIN_PATH,
    PG_OPT_PLUGIN,
    PG_OPT_LOCK,
    PG_OPT_LOCK_FILE,
    PG_OPT_INSECURE_PLUGINS,
    PG_OPT_ALLOW_EXTENDS_OUTSIDE,
    PG_OPT_QUIET,
    PG_OPT_VERBOSE,
    PG_OPT_FROM,
    PG_OPT_TO,
    PG_OPT_STACK,
    PG_OPT_REGION,
    PG_OPT_FORMAT,
    PG_OPT_LIST_RULES,
    PG_OPT_WAIVERS,
    PG_OPT_ALLOW_CRITICAL_WAIVERS,
    PG_OPT_PROVIDER_SCHEMA,
    PG_OPT_NO_PROVIDER_SCHEMA,
    PG_OPT_NO_WARN,
    PG_OPT_TESTS,
    PG_OPT_HELP,
    PG_OPT_COUNT
} pg_opt;

#define PG_OPT_BIT(id) (1u << (id))

/* One option of the table. */
typedef struct pg_option {
    const char *name;        /* the long name, without "--" */
    char letter;             /* the short option, '\0' for none */
    const char *arg;         /* the argument in the usage ("FILE"); NULL: a flag */
    const char *fallback;    /* the value when not given (NULL: none) */
    const char *help;        /* for the usage; '\n' continues on the next line */
} pg_option;

extern const pg_option pg_option_table[PG_OPT_COUNT];

/* An option as a command lists it: help NULL is the table's. */
typedef struct pg_cli_use {
    pg_opt id;
    const char *help;
} pg_cli_use;

/* The operands are left to the command (PATHs, diff's A B); without it an
 * operand is a usage error. */
#define PG_CLI_OPERANDS 1u
/* The wording graph, settings and diff always had: an unknown option and a
 * missing value are both "bad option", and every usage error ends with the
 * usage (otherwise: "unknown option" with the usage, "option X needs a
 * value" and "unexpected argument" without). */
#define PG_CLI_BAD_OPTION 2u

typedef struct pg_cli_command {
    /* After "usage: paygen ". A line starting with a space continues the
     * one above (aligned after the command), any other is another form. */
    const char *synopsis;
    const char *operand, *operand_help; /* listed first ("PATH"), or NULL */
    const pg_cli_use *uses;  /* what it takes, in usage order; ends with PG_OPT_COUNT */
    /* Taken and ignored, not in the usage: what the command's loop accepted
     * before the shared table, kept so that no command line breaks. */
    unsigned tolerated;
    const char *notes;       /* after the options, or NULL */
    unsigned flags;          /* PG_CLI_OPERANDS, PG_CLI_BAD_OPTION */
} pg_cli_command;

/* Everything any command line says. */
typedef struct pg_cli_args {
    pg_options o;            /* --profile, --set, --plugin-path, --lock-file, --insecure-plugins,
                                --allow-extends-outside */
    const char *out_dir;     /* --output */
    bool force_output;       /* --force-output */
    const char **plugins;    /* --plugin, in order: the command says what they mean */
    size_t plugin_count;
    int verbosity;           /* --quiet -1, --verbose 1, the last one wins */
    bool lock;               /* --lock */
    const char *from, *to;   /* --from, --to */
    const char *stack;       /* --stack */
    const char *region;      /* --region */
    const char *format;      /* --format */
    bool list_rules;         /* --list-rules */
    const char *waivers;     /* --waivers */
    bool allow_critical_waivers; /* --allow-critical-waivers */
    const char *provider_schema; /* --provider-schema */
    bool no_provider_schema; /* --no-provider-schema */
    bool no_warn;            /* --no-warn */
    bool tests;              /* --tests */
    char **operands;         /* what follows the options (PG_CLI_OPERANDS) */
    int operand_count;
    const char **sets_, **dirs_; /* storage of o.sets, o.plugin_dirs */
    size_t set_cap_, dir_cap_, plugin_cap_;
} pg_cli_args;

/* Parses argv (argv[0] is the command) into a, which it initialises: the
 * options the command takes or tolerates, with their fallbacks. Returns -1
 * to go on, 0 after printing the usage for --help, 2 after a usage error
 * on stderr. Free a with pg_cli_args_free() whatever it returns. */
int pg_cli_parse(pg_cli_args *a, const pg_cli_command *cmd, int argc, char **argv);
void pg_cli_args_free(pg_cli_args *a);
/* The usage of a command: the synopsis, the operand and every option it
 * takes with its help, then the notes. */
void pg_cli_usage(FILE *f, const pg_cli_command *cmd);

#endif
