/* SPDX-License-Identifier: Apache-2.0 */
/* commands.h - one function per paygen subcommand; each declares the
 * options it takes (options.h), parses argv with them (argv[0] is the
 * command name) and returns the exit code. */
#ifndef PG_COMMANDS_H
#define PG_COMMANDS_H

#include <stdio.h>

#include "util.h"

typedef struct pg_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} pg_command;

int pg_cmd_generate(int argc, char **argv);
int pg_cmd_plugins(int argc, char **argv);
int pg_cmd_validate(int argc, char **argv);
int pg_cmd_check(int argc, char **argv);
int pg_cmd_diff(int argc, char **argv);
int pg_cmd_graph(int argc, char **argv);
int pg_cmd_settings(int argc, char **argv);

/* Prints every message as "paygen: message" and frees them; returns 1. */
int pg_report(pg_errors *err);
/* prefix and msg on one line, control characters escaped (\n, \t, \x1b). */
void pg_print_message(FILE *f, const char *prefix, const char *msg);

#endif
