/* SPDX-License-Identifier: Apache-2.0 */
/* main.c - the paygen command line: a thin shell over libpaygen. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "generate.h"

static void on_crash(int sig)
{
    /* Only async-signal-safe calls: name the plugin, then die as we would have. */
    const char *who = pg_running_plugin;
    const char *head = "paygen: crashed while running plugin ";
    if (who) {
        (void)!write(2, head, strlen(head));
        (void)!write(2, who, strlen(who));
        (void)!write(2, "\n", 1);
    } else {
        const char *msg = "paygen: crashed (not inside a plugin)\n";
        (void)!write(2, msg, strlen(msg));
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handler(void)
{
    const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], on_crash);
}

static const pg_command commands[] = {
    {"generate", pg_cmd_generate, "write the Terraform JSON of a profile (the default)"},
    {"plugins", pg_cmd_plugins, "list the plugins found, where, their ABI and status"},
    {"validate", pg_cmd_validate, "check generated Terraform JSON (structure, references, provider schema)"},
    {"check", pg_cmd_check, "PCI DSS guardrails over generated Terraform JSON (text or SARIF)"},
    {"diff", pg_cmd_diff, "what a step between two phases adds, changes, replaces and destroys"},
    {"graph", pg_cmd_graph, "the resources and their references as Graphviz DOT"},
    {"settings", pg_cmd_settings, "every profile key: type, default, owner, help"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: paygen [generate] --profile FILE [-o DIR] [--set KEY=VALUE]...\n"
               "              [--plugin-path DIR]... [-q|-v]\n"
               "       paygen COMMAND [OPTIONS]   (paygen COMMAND --help)\n\ncommands:\n");
    for (const pg_command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->help);
    fprintf(f, "\n  --help, --version\n");
}

int main(int argc, char **argv)
{
    install_crash_handler();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("paygen %s (plugin ABI %d.%d)\n", PAYGEN_VERSION, PG_ABI_MAJOR, PG_ABI_MINOR);
        return 0;
    }
    for (const pg_command *c = commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    if (argv[1][0] == '-')
        return pg_cmd_generate(argc, argv);
    fprintf(stderr, "paygen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
