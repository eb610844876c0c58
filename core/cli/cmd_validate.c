/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_validate.c - paygen validate [--provider-schema FILE | --no-provider-schema]
 * [--no-warn] PATH... */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "inputs.h"
#include "validate.h"

/* Where the shipped schema is (core/CMakeLists.txt sets all three). */
#ifndef PAYGEN_SCHEMA_RELPATH /* from the executable's directory */
#define PAYGEN_SCHEMA_RELPATH "../share/paygen/aws-5.x.schema.json.gz"
#endif
#ifndef PAYGEN_SOURCE_SCHEMA /* the source tree's copy, for a build tree */
#define PAYGEN_SOURCE_SCHEMA ""
#endif
#ifndef PAYGEN_DATA_SCHEMA /* the configured install path */
#define PAYGEN_DATA_SCHEMA "/usr/share/paygen/aws-5.x.schema.json.gz"
#endif

static const char *const validate_usage =
    "usage: paygen validate [--provider-schema FILE | --no-provider-schema] [--no-warn] PATH...\n"
    "  PATH                      an output directory (manifest.json, stacks/*/cdk.tf.json)\n"
    "                            or one cdk.tf.json file\n"
    "  -S, --provider-schema FILE  check types, arguments and blocks against FILE, the output of\n"
    "                            `terraform providers schema -json` (plain or .gz); default: the\n"
    "                            AWS provider 5.99.1 schema shipped with paygen\n"
    "                            (" PAYGEN_DATA_SCHEMA ")\n"
    "  -n, --no-provider-schema  check structure, templates and references only\n"
    "  -W, --no-warn             print errors only\n"
    "exit status: 0 valid, 1 errors found, 2 usage error\n";

static bool is_file(const char *path)
{
    return path[0] && access(path, R_OK) == 0;
}

/* The shipped schema: beside the executable first (an installed tree, any
 * prefix, an unpacked package), then the source tree (running from a build
 * tree), then the configured install path. NULL when none is there; the
 * caller frees the result. */
static char *default_schema(void)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *beside = pg_xasprintf("%s/%s", dirname(exe), PAYGEN_SCHEMA_RELPATH);
        char real[PATH_MAX];
        if (is_file(beside) && realpath(beside, real)) {
            free(beside);
            return pg_xstrdup(real);
        }
        free(beside);
    }
    if (is_file(PAYGEN_SOURCE_SCHEMA))
        return pg_xstrdup(PAYGEN_SOURCE_SCHEMA);
    if (is_file(PAYGEN_DATA_SCHEMA))
        return pg_xstrdup(PAYGEN_DATA_SCHEMA);
    return NULL;
}

int pg_cmd_validate(int argc, char **argv)
{
    static const struct option longs[] = {
        {"provider-schema", required_argument, NULL, 'S'},
        {"no-provider-schema", no_argument, NULL, 'n'},
        {"no-warn", no_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *schema_path = NULL;
    bool warn = true, no_schema = false;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":S:nWh", longs, NULL)) != -1;) {
        switch (c) {
        case 'S': schema_path = optarg; break;
        case 'n': no_schema = true; break;
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
    if (schema_path && no_schema) {
        fprintf(stderr, "paygen: --provider-schema and --no-provider-schema exclude each other\n%s",
                validate_usage);
        return 2;
    }
    pg_errors err = {0};
    pg_schema *schema = NULL;
    char *shipped = NULL;
    if (!schema_path && !no_schema) {
        if (!(schema_path = shipped = default_schema()))
            fprintf(stderr, "paygen: validate: the shipped provider schema is not installed (%s); "
                            "types and arguments not checked (--provider-schema FILE)\n",
                    PAYGEN_DATA_SCHEMA);
    }
    if (schema_path && !(schema = pg_schema_load(schema_path, &err))) {
        free(shipped);
        return pg_report(&err);
    }
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
    fprintf(stderr, "paygen: validate: %zu document%s, %zu error%s, %zu warning%s (%s%s)\n", in.count,
            in.count == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
            schema ? "provider schema " : "no provider schema: types and arguments not checked",
            schema ? schema_path : "");
    pg_inputs_free(&in);
    pg_schema_free(schema);
    free(shipped);
    return rc || errors ? 1 : 0;
}
