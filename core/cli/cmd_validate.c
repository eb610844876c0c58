/* cmd_validate.c - paygen validate [--provider-schema FILE] [--no-warn] PATH... */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "inputs.h"
#include "validate.h"

static const char *const validate_usage =
    "usage: paygen validate [--provider-schema FILE] [--no-warn] PATH...\n"
    "  PATH                      an output directory (manifest.json, stacks/*/cdk.tf.json)\n"
    "                            or one cdk.tf.json file\n"
    "  -S, --provider-schema FILE  also check types, arguments and blocks against the output of\n"
    "                            `terraform providers schema -json` (plain or .gz)\n"
    "  -W, --no-warn             print errors only\n"
    "exit status: 0 valid, 1 errors found, 2 usage error\n";

int pg_cmd_validate(int argc, char **argv)
{
    static const struct option longs[] = {
        {"provider-schema", required_argument, NULL, 'S'},
        {"no-warn", no_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *schema_path = NULL;
    bool warn = true;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":S:Wh", longs, NULL)) != -1;) {
        switch (c) {
        case 'S': schema_path = optarg; break;
        case 'W': warn = false; break;
        case 'h': fputs(validate_usage, stdout); return 0;
        case ':': fprintf(stderr, "paygen: option %s needs a value\n", argv[optind - 1]); return 2;
        default:
            fprintf(stderr, "paygen: unknown option '%s'\n%s", argv[optind - 1], validate_usage);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "paygen: validate needs at least one PATH\n%s", validate_usage);
        return 2;
    }
    pg_errors err = {0};
    pg_schema *schema = NULL;
    if (schema_path && !(schema = pg_schema_load(schema_path, &err)))
        return pg_report(&err);
    pg_inputs in = {0};
    int rc = 0;
    for (int i = optind; i < argc; i++)
        if (pg_inputs_add(&in, argv[i], &err) != 0)
            rc = 1;
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "paygen: %s\n", err.messages[i]);
    pg_errors_free(&err);
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < in.count; i++) {
        pg_errors e = {0}, w = {0};
        errors += pg_validate_stack(in.items[i].doc, in.items[i].stack, schema, &e, warn ? &w : NULL);
        for (size_t k = 0; k < e.count; k++)
            printf("%s: %s\n", in.items[i].file, e.messages[k]);
        for (size_t k = 0; k < w.count; k++)
            printf("warning: %s: %s\n", in.items[i].file, w.messages[k]);
        warnings += w.count;
        pg_errors_free(&e);
        pg_errors_free(&w);
    }
    fprintf(stderr, "paygen: validate: %zu document%s, %zu error%s, %zu warning%s%s\n", in.count,
            in.count == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
            schema ? "" : " (no --provider-schema: types and arguments not checked)");
    pg_inputs_free(&in);
    pg_schema_free(schema);
    return rc || errors ? 1 : 0;
}
