/*
 * testkit.h - generate with paygen from a plugin's own tests, and look at the
 * Terraform JSON that came out.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Part of the plugin SDK (libpaygen, pkg-config paygen). A test of an
 * out-of-tree plugin runs one generation the way `paygen generate` does, with
 * the plugin's build directory searched first, then asserts on the stacks:
 *
 *     const char *const dirs[] = {"build", NULL};
 *     const char *const sets[] = {"waf.mode=count", NULL};
 *     pgt_run *run = pgt_generate(pgt_profile("migration.yaml"), sets, dirs);
 *     PGT_ASSERT_OK(run);
 *     const cJSON *acl = pgt_resource(run, "payment", "aws_wafv2_web_acl", "edge_use1");
 *     PGT_ASSERT_STR(acl, "scope", "REGIONAL");
 *     PGT_ASSERT_PRESENT(acl, "rule.0.override_action.0.count");
 *     pgt_free(run);
 *
 * Paths are dotted, numbers index arrays: "rule.0.statement.0.name". Nested
 * blocks are arrays in ABI 2.0, so a path into one needs its ".0.".
 *
 * Plugins are searched in: the given directories, $PAYGEN_PLUGIN_PATH, and
 * the plugin directory of the libpaygen that runs (<libdir>/paygen/plugins,
 * wherever the SDK was installed or unpacked), else paygen's configured one.
 * pgt_generate_only() searches the given directories and nothing else.
 *
 * Everything a pgt_run hands out (nodes, strings) lives until pgt_free().
 * The PGT_ASSERT_* macros report through CUnit (include <CUnit/CUnit.h>
 * before using them); the pgt_check_*() functions under them work with any
 * test framework: NULL when the check holds, else a message that stays valid
 * until the next pgt_check_*() call.
 */
#ifndef PAYGEN_TESTKIT_H
#define PAYGEN_TESTKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <paygen/paygen.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pgt_run pgt_run;

/* The path of a profile shipped with the SDK ("migration.yaml"), found
 * beside the libpaygen that runs (<prefix>/share/paygen/profiles), or NULL.
 * Valid until the next call. */
const char *pgt_profile(const char *name);

/* One generation of profile (a path) with "key=value" overrides; sets and
 * plugin_dirs are NULL-terminated and may be NULL. Nothing is written.
 * Never NULL: see pgt_ok(). */
pgt_run *pgt_generate(const char *profile, const char *const *sets,
                      const char *const *plugin_dirs);
/* The same with the plugins of plugin_dirs only. */
pgt_run *pgt_generate_only(const char *profile, const char *const *sets,
                           const char *const *plugin_dirs);
/* The same with in-process plugins first (NULL-terminated: a test can link
 * the plugin's sources and pass paygen_plugin_entry()), then the search. */
pgt_run *pgt_generate_with(const char *profile, const char *const *sets,
                           const pg_plugin *const *plugins, const char *const *plugin_dirs);
void pgt_free(pgt_run *run);

/* Whether the generation succeeded (validation included). */
bool pgt_ok(const pgt_run *run);
/* Every error, one per line ("" when none). */
const char *pgt_errors(const pgt_run *run);
size_t pgt_error_count(const pgt_run *run);
/* Whether an error message contains text. */
bool pgt_has_error(const pgt_run *run, const char *text);
/* Writes the stacks and manifest as `paygen generate -o dir` would: 0 or -1. */
int pgt_write(pgt_run *run, const char *dir);

/* The stack "payment" or "bootstrap"; NULL when the run stopped before. */
const cJSON *pgt_stack(const pgt_run *run, const char *stack);
/* manifest.json; NULL unless pgt_ok(). */
const cJSON *pgt_manifest(const pgt_run *run);
/* A resource or data block by type and full label ("edge_use1"), or NULL. */
const cJSON *pgt_resource(const pgt_run *run, const char *stack, const char *type,
                          const char *label);
const cJSON *pgt_data(const pgt_run *run, const char *stack, const char *type, const char *label);
/* How many resources of a type the stack holds. */
size_t pgt_count(const pgt_run *run, const char *stack, const char *type);
/* The version of a loaded plugin, NULL if it was not loaded. */
const char *pgt_plugin_version(const pgt_run *run, const char *plugin);

/* The node at a dotted path under node ("a.b.0.c"), or NULL. */
const cJSON *pgt_path(const cJSON *node, const char *path);
const char *pgt_str(const cJSON *node, const char *path); /* NULL unless a string  */
double pgt_num(const cJSON *node, const char *path);      /* NaN unless a number   */
int pgt_bool(const cJSON *node, const char *path);        /* -1 unless a bool      */
size_t pgt_size(const cJSON *node, const char *path);     /* array/object members  */
/* Whether the list at path holds the string value. */
bool pgt_has(const cJSON *node, const char *path, const char *value);

/* Checks for any framework: NULL when they hold, else why not. */
const char *pgt_check_ok(const pgt_run *run);
const char *pgt_check_error(const pgt_run *run, const char *text);
/* want NULL: the path must be absent. */
const char *pgt_check_str(const cJSON *node, const char *path, const char *want);
const char *pgt_check_num(const cJSON *node, const char *path, double want);
const char *pgt_check_bool(const cJSON *node, const char *path, bool want);
const char *pgt_check_has(const cJSON *node, const char *path, const char *value);
const char *pgt_check_present(const cJSON *node, const char *path);

/* CUnit assertions: a failure reports the message of the check. */
#define PGT_CU_(message, fatal)                                                                    \
    do {                                                                                           \
        const char *pgt_msg_ = (message);                                                          \
        CU_assertImplementation(pgt_msg_ ? CU_FALSE : CU_TRUE, __LINE__, pgt_msg_ ? pgt_msg_ : "", \
                                __FILE__, "", (fatal));                                            \
    } while (0)
#define PGT_ASSERT_OK(run) PGT_CU_(pgt_check_ok(run), CU_TRUE)
#define PGT_ASSERT_ERROR(run, text) PGT_CU_(pgt_check_error((run), (text)), CU_FALSE)
#define PGT_ASSERT_STR(node, path, want) PGT_CU_(pgt_check_str((node), (path), (want)), CU_FALSE)
#define PGT_ASSERT_NUM(node, path, want) PGT_CU_(pgt_check_num((node), (path), (want)), CU_FALSE)
#define PGT_ASSERT_BOOL(node, path, want) PGT_CU_(pgt_check_bool((node), (path), (want)), CU_FALSE)
#define PGT_ASSERT_HAS(node, path, value) PGT_CU_(pgt_check_has((node), (path), (value)), CU_FALSE)
#define PGT_ASSERT_PRESENT(node, path) PGT_CU_(pgt_check_present((node), (path)), CU_FALSE)
#define PGT_ASSERT_ABSENT(node, path) PGT_CU_(pgt_check_str((node), (path), NULL), CU_FALSE)

#ifdef __cplusplus
}
#endif
#endif /* PAYGEN_TESTKIT_H */
