/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_check.c - paygen check [--format text|sarif] [--list-rules] [-v] PATH... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "inputs.h"
#include "options.h"

static const pg_cli_command check_cmd = {
    .synopsis = "check [--format text|sarif] [-v] PATH...\n"
                "check --list-rules [--format text|markdown]",
    .operand = "PATH",
    .operand_help = "an output directory (manifest.json, stacks/*/cdk.tf.json) or a cdk.tf.json",
    .uses = (const pg_cli_use[]){
        {PG_OPT_FORMAT, "text (default), sarif (SARIF 2.1.0 on stdout) or, with --list-rules, markdown"},
        {PG_OPT_LIST_RULES, NULL},
        {PG_OPT_VERBOSE, "also list the rules that passed or had nothing to check"},
        {PG_OPT_COUNT, NULL},
    },
    .notes = "  A rule is waived by the profile's check.waivers ('RULE-ID: reason'); waived findings are\n"
             "  still reported, with the reason, and do not fail the check.\n"
             "exit status: 0 no unwaived violation, 1 violations (or unreadable input), 2 usage error\n",
    .flags = PG_CLI_OPERANDS,
};

static int check(const pg_cli_args *a)
{
    const char *format = a->format;
    bool list = a->list_rules, verbose = a->verbosity > 0;
    bool sarif = !strcmp(format, "sarif"), markdown = !strcmp(format, "markdown");
    if (!sarif && !markdown && strcmp(format, "text")) {
        fprintf(stderr, "paygen: unknown format '%s' (text, sarif or markdown)\n", format);
        return 2;
    }
    if (list) {
        if (sarif) {
            pg_findings none = {0};
            cJSON *log = pg_check_sarif(&none);
            char *text = cJSON_Print(log);
            puts(text);
            cJSON_free(text);
            cJSON_Delete(log);
        } else {
            pg_check_print_rules(stdout, markdown);
        }
        return 0;
    }
    if (markdown) {
        fprintf(stderr, "paygen: --format markdown is only for --list-rules\n");
        return 2;
    }
    if (a->operand_count == 0) {
        fprintf(stderr, "paygen: check needs at least one PATH\n");
        pg_cli_usage(stderr, &check_cmd);
        return 2;
    }
    pg_errors err = {0};
    pg_inputs in = {0};
    int rc = 0;
    for (int i = 0; i < a->operand_count; i++)
        if (pg_inputs_add(&in, a->operands[i], &err) != 0)
            rc = 1;
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "paygen: %s\n", err.messages[i]);
    pg_errors_free(&err);
    size_t nrules;
    const pg_rule *rules = pg_check_rules(&nrules);
    bool *applies = pg_xcalloc(nrules, sizeof *applies);
    pg_findings fs = {0};
    size_t open = 0;
    for (size_t i = 0; i < in.count; i++) {
        size_t first = fs.count;
        pg_check_stack(in.items[i].doc, in.items[i].stack, in.items[i].file, in.items[i].protection, &fs, applies);
        open += pg_check_waive(&fs, first, in.items[i].waivers);
    }
    if (sarif) {
        cJSON *log = pg_check_sarif(&fs);
        char *text = cJSON_Print(log);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(log);
    } else {
        pg_check_print_text(stdout, &fs);
        if (verbose)
            for (size_t r = 0; r < nrules; r++) {
                bool failed = false;
                for (size_t k = 0; k < fs.count; k++)
                    failed |= fs.items[k].rule == &rules[r];
                if (!failed)
                    printf("%s %s\n", rules[r].id, applies[r] ? "pass" : "not applicable");
            }
        fprintf(stderr, "paygen: check: %zu document%s, %zu violation%s, %zu waived\n", in.count,
                in.count == 1 ? "" : "s", open, open == 1 ? "" : "s", fs.count - open);
    }
    if (open)
        rc = 1;
    free(applies);
    pg_findings_free(&fs);
    pg_inputs_free(&in);
    return rc;
}

int pg_cmd_check(int argc, char **argv)
{
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &check_cmd, argc, argv);
    if (rc < 0)
        rc = check(&a);
    pg_cli_args_free(&a);
    return rc;
}
