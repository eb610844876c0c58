/* SPDX-License-Identifier: Apache-2.0 */
/* check_internal.h - the helpers below check.c, the entry file of paygen
 * check, that the rules (check_rules_*.c) share: reading Terraform JSON and
 * recording violations (check_query.c), IAM policy statements
 * (check_policy.c). None of them calls back into check.c. */
#ifndef PG_CHECK_INTERNAL_H
#define PG_CHECK_INTERNAL_H

#include "check.h"

struct pg_check_ctx {
    const cJSON *doc;
    const char *stack, *file;
    int protection;
    const pg_rule *rule;
    pg_findings *out;
    size_t found;
};

/* ----- recording and reading (check_query.c) */

void pg_violation(pg_check_ctx *c, const char *address, const char *fmt, ...) PG_FMT(3, 4);

/* "type.label", allocated. */
char *pg_c_addr(const char *type, const char *label);
/* A violation of the resource node of type. */
#define VIOLATION(c, type, node, ...)                                                              \
    do {                                                                                           \
        char *a_ = pg_c_addr(type, (node)->string);                                                \
        pg_violation(c, a_, __VA_ARGS__);                                                          \
        free(a_);                                                                                  \
    } while (0)

/* The labels object of resource type (NULL if none); data when data is true. */
const cJSON *pg_c_type(const pg_check_ctx *c, bool data, const char *type);
#define PG_FOR_RES(c, type, node)                                                                   \
    for (const cJSON *node = pg_c_type(c, false, type) ? pg_c_type(c, false, type)->child : NULL; node; \
         node = node->next)

/* Walks "a.b.c" below node; arrays of blocks are looked through (first item). */
const cJSON *pg_c_path(const cJSON *node, const char *path);
const char *pg_c_str(const cJSON *node, const char *path);
bool pg_c_true(const cJSON *node, const char *path);   /* true or "true" */
/* Number (or numeric string) at path; def when absent or not a literal. */
double pg_c_num(const cJSON *node, const char *path, double def);
/* Whether any string below node references resource type.label. */
bool pg_c_mentions(const cJSON *node, const char *type, const char *label);
/* First resource of type whose argument arg mentions target type.label. */
const cJSON *pg_c_referrer(const pg_check_ctx *c, const char *type, const char *arg, const char *ttype,
                           const char *tlabel);
/* Whether a string names a customer managed KMS key (reference or ARN). */
bool pg_c_is_cmk(const cJSON *value);
/* Whether a string array (or string) holds value. */
bool pg_c_list_has(const cJSON *list, const char *value);

/* ----- policy statements (check_policy.c) */

/* One policy statement, from a policy document data source or literal JSON. */
typedef struct pg_stmt {
    size_t index;
    bool deny;
    const cJSON *actions, *resources; /* string or array of strings */
    bool has_principal, star_principal, has_condition, denies_insecure_transport;
} pg_stmt;
typedef void (*pg_stmt_fn)(pg_check_ctx *c, const char *address, const pg_stmt *st, void *user);
/* Statements of policy (a "${data.aws_iam_policy_document.X.json}" reference or
 * literal JSON); address is the document's. -1 when it cannot be inspected. */
int pg_c_statements(pg_check_ctx *c, const cJSON *policy, const char *owner, pg_stmt_fn fn, void *user);
/* Statements of one aws_iam_policy_document data block. */
void pg_c_doc_statements(pg_check_ctx *c, const cJSON *doc, const char *address, pg_stmt_fn fn, void *user);

#endif
