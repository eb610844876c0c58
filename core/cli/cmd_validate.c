/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_validate.c - paygen validate [--provider-schema FILE | --no-provider-schema]
 * [--no-warn] PATH... */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "inputs.h"
#include "options.h"
#include "validate.h"

/* Where the shipped schema is (core/cli/CMakeLists.txt sets all three). */
#ifndef PAYGEN_SCHEMA_RELPATH /* from the executable's directory */
#define PAYGEN_SCHEMA_RELPATH "../share/paygen/aws-5.x.schema.json.gz"
#endif
#ifndef PAYGEN_SOURCE_SCHEMA /* the source tree's copy, for a build tree */
#define PAYGEN_SOURCE_SCHEMA ""
#endif
#ifndef PAYGEN_DATA_SCHEMA /* the configured install path */
#define PAYGEN_DATA_SCHEMA "/usr/share/paygen/aws-5.x.schema.json.gz"
#endif

static const pg_cli_command validate_cmd = {
    .synopsis = "validate [--provider-schema FILE | --no-provider-schema] [--no-warn] PATH...",
    .operand = "PATH",
    .operand_help = "an output directory (manifest.json, stacks/*/cdk.tf.json)\nor one cdk.tf.json file",
    .uses = (const pg_cli_use[]){
        {PG_OPT_PROVIDER_SCHEMA, "check types, arguments and blocks against FILE, the output of\n"
                                 "`terraform providers schema -json` (plain or .gz); default: the\n"
                                 "AWS provider 5.99.1 schema shipped with paygen\n"
                                 "(" PAYGEN_DATA_SCHEMA ")"},
        {PG_OPT_NO_PROVIDER_SCHEMA, NULL},
        {PG_OPT_NO_WARN, NULL},
        {PG_OPT_COUNT, NULL},
    },
    .notes = "exit status: 0 valid, 1 errors found, 2 usage error\n",
    .flags = PG_CLI_OPERANDS,
};

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
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &validate_cmd, argc, argv);
    if (rc < 0 && a.operand_count == 0) {
        fprintf(stderr, "paygen: validate needs at least one PATH\n");
        pg_cli_usage(stderr, &validate_cmd);
        rc = 2;
    }
    if (rc < 0 && a.provider_schema && a.no_provider_schema) {
        fprintf(stderr, "paygen: --provider-schema and --no-provider-schema exclude each other\n");
        pg_cli_usage(stderr, &validate_cmd);
        rc = 2;
    }
    if (rc >= 0) {
        pg_cli_args_free(&a);
        return rc;
    }
    const char *schema_path = a.provider_schema;
    bool warn = !a.no_warn;
    pg_errors err = {0};
    pg_schema *schema = NULL;
    char *shipped = NULL;
    if (!schema_path && !a.no_provider_schema) {
        if (!(schema_path = shipped = default_schema()))
            fprintf(stderr, "paygen: validate: the shipped provider schema is not installed (%s); "
                            "types and arguments not checked (--provider-schema FILE)\n",
                    PAYGEN_DATA_SCHEMA);
    }
    if (schema_path && !(schema = pg_schema_load(schema_path, &err))) {
        free(shipped);
        pg_cli_args_free(&a);
        return pg_report(&err);
    }
    pg_inputs in = {0};
    rc = 0;
    for (int i = 0; i < a.operand_count; i++)
        if (pg_inputs_add(&in, a.operands[i], &err) != 0)
            rc = 1;
    /* What could not be read is an error of the run, and a document that
     * failed to parse is still a document */
    size_t errors = err.count, warnings = 0, documents = in.count + in.refused;
    pg_report(&err);
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
    fprintf(stderr, "paygen: validate: %zu document%s, %zu error%s, %zu warning%s (%s%s)\n", documents,
            documents == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
            schema ? "provider schema " : "no provider schema: types and arguments not checked",
            schema ? schema_path : "");
    pg_inputs_free(&in);
    pg_schema_free(schema);
    free(shipped);
    pg_cli_args_free(&a);
    return rc || errors ? 1 : 0;
}
