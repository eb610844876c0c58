/* SPDX-License-Identifier: Apache-2.0 */
/* harness.h - what every paygen test needs: run a generation with the real
 * plugins of the build tree, then look at the JSON it made. */
#ifndef PG_HARNESS_H
#define PG_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>

#include "generate.h"
#include "schema.h"

typedef struct th_run {
    pg_generation g;
    pg_errors err;
    int rc;
} th_run;

/* Source-tree path of a file ("profiles/migration.yaml"); static buffer. */
const char *th_source(const char *relative);
/* A scratch directory under the build tree, emptied first; static buffer. */
const char *th_scratch(const char *name);
/* The whole of the file dir/name (dir NULL: name is the path), NUL-ended;
 * NULL when it cannot be read. The caller frees. */
char *th_slurp(const char *dir, const char *name);

/* Generates profile (relative to the source tree) with the build tree's
 * plugins and the NULL-terminated overrides. Never NULL; see ->rc, ->err. */
th_run *th_generate(const char *profile, const char *const *sets);
/* The same with in-process plugins only (no search). */
th_run *th_generate_with(const char *profile, const char *const *sets,
                         const pg_plugin *const *plugins, size_t count);
/* The same with only the named plugins of the build tree ("kms,iam,vpc"):
 * for limits that a plugin not under test would hit first. */
th_run *th_generate_only(const char *profile, const char *const *sets, const char *plugins);
/* The same on a profile written from text into a scratch file; its extends:
 * may point anywhere (the build tree need not be inside the source tree). */
th_run *th_generate_text(const char *yaml, const char *const *sets);
void th_free(th_run *r);

const cJSON *th_stack(const th_run *r, const char *stack);
/* resource/data block by type and full label ("main_use1"); NULL if absent. */
const cJSON *th_resource(const th_run *r, const char *stack, const char *type, const char *label);
const cJSON *th_data(const th_run *r, const char *stack, const char *type, const char *label);
size_t th_count(const th_run *r, const char *stack, const char *type);
/* The same, counting only the blocks one plugin wrote. */
size_t th_count_by(const th_run *r, const char *stack, const char *type, const char *plugin);

/* Walks "a.b.0.c" (numbers index arrays); NULL if absent. */
const cJSON *th_path(const cJSON *node, const char *path);
const char *th_str(const cJSON *node, const char *path);  /* NULL unless a string */
double th_num(const cJSON *node, const char *path);       /* NaN unless a number  */
int th_bool(const cJSON *node, const char *path);         /* -1 unless a bool     */

/* The resource a "${type.label.attr}" reference points at, in the payment
 * stack; NULL when it points at nothing. */
const cJSON *th_target(const th_run *r, const char *ref);
/* The payment stack's resource labelled "<prefix>_<region code>". */
const cJSON *th_regional(const th_run *r, const char *type, const char *prefix, const char *code);
/* Generating profile with the one override set fails, with an error that
 * contains text (the errors are printed when it does not). */
void th_expect_error(const char *profile, const char *set, const char *text);

/* Whether a JSON list holds the string value. */
bool th_list_has(const cJSON *list, const char *value);
/* The statement with this sid in a policy document (data block or JSON). */
const cJSON *th_statement(const cJSON *doc, const char *sid);

/* The paygen command line, run from the source tree: its exit code (or 128
 * + signal) and its stdout and stderr together (the caller frees output). */
typedef struct th_cli_result {
    int status;
    char *output;
} th_cli_result;
th_cli_result th_cli(const char *args);

/* Whether any error message contains text. */
bool th_has_error(const th_run *r, const char *text);
/* The same for errors that did not come from a run. */
bool th_errors_have(const pg_errors *err, const char *text);
/* Prints the errors (for a failing assertion's context). */
void th_dump_errors(const th_run *r);

/* The phases every end-to-end test walks: the shipped profiles, the
 * staging example and a three-region profile (source-tree relative). */
#define TH_PHASES 5
extern const char *const th_phases[TH_PHASES];

/* The shipped AWS provider schema, loaded on first use (its errors printed)
 * and freed by th_main(); NULL when it could not be loaded, which fails the
 * tests that need it, visibly. */
const pg_schema *th_schema(void);

/* Runs the suite's tests and returns the exit code for main(). */
int th_main(const char *suite, const CU_TestInfo *tests);

/* An in-process plugin for th_generate_with(), its descriptor in ABI order. */
#define TH_PLUGIN(var, name, publishes, needs, settings, config_size, contribute)                  \
    static const pg_plugin var = {PG_ABI_MAJOR, PG_ABI_MINOR, sizeof(pg_plugin), (name), "1.0.0",   \
                                  "Apache-2.0", "test plugin", (publishes), (needs), (settings),  \
                                  (config_size), (contribute)}

/* Runs the in-process plugins alone on tests/data/profiles/core-only.yaml. */
th_run *th_core_only(const char *const *sets, const pg_plugin *const *plugins, size_t count);

/* Assertions that name what they wanted and print what they got. */
void th_assert_error_(const th_run *r, const char *text, unsigned line, const char *file);
void th_assert_str_(const cJSON *node, const char *path, const char *want, unsigned line,
                    const char *file);
#define TH_ASSERT_ERROR(run, text) th_assert_error_((run), (text), __LINE__, __FILE__)
/* node.path is the string want (NULL: absent or not a string). */
#define TH_ASSERT_STR(node, path, want) th_assert_str_((node), (path), (want), __LINE__, __FILE__)

#define TH_ASSERT_OK(run)                                                                          \
    do {                                                                                           \
        if ((run)->rc != 0)                                                                        \
            th_dump_errors(run);                                                                   \
        CU_ASSERT_FATAL((run)->rc == 0);                                                           \
    } while (0)

#endif
