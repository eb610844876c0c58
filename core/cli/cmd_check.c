/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_check.c - paygen check [--format text|sarif] [--list-rules] [-v] PATH... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "inputs.h"

static const char *const check_usage =
    "usage: paygen check [--format text|sarif] [-v] PATH...\n"
    "       paygen check --list-rules [--format text|markdown]\n"
    "  PATH               an output directory (manifest.json, stacks/*/cdk.tf.json) or a cdk.tf.json\n"
    "  -f, --format FMT   text (default), sarif (SARIF 2.1.0 on stdout) or, with --list-rules, markdown\n"
    "  -l, --list-rules   print the rules: id, severity, PCI DSS v4.0, Security Hub, title\n"
    "  -v, --verbose      also list the rules that passed or had nothing to check\n"
    "  A rule is waived by the profile's check.waivers ('RULE-ID: reason'); waived findings are\n"
    "  still reported, with the reason, and do not fail the check.\n"
    "exit status: 0 no unwaived violation, 1 violations (or unreadable input), 2 usage error\n";

int pg_cmd_check(int argc, char **argv)
{
    static const struct option longs[] = {
        {"format", required_argument, NULL, 'f'}, {"list-rules", no_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *format = "text";
    bool list = false, verbose = false;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":f:lvh", longs, NULL)) != -1;) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'l': list = true; break;
        case 'v': verbose = true; break;
        case 'h': fputs(check_usage, stdout); return 0;
        case ':': fprintf(stderr, "paygen: option %s needs a value\n", argv[optind - 1]); return 2;
        default: fprintf(stderr, "paygen: unknown option '%s'\n%s", argv[optind - 1], check_usage); return 2;
        }
    }
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
    if (optind >= argc) {
        fprintf(stderr, "paygen: check needs at least one PATH\n%s", check_usage);
        return 2;
    }
    pg_errors err = {0};
    pg_inputs in = {0};
    int rc = 0;
    for (int i = optind; i < argc; i++)
        if (pg_inputs_add(&in, argv[i], &err) != 0)
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
