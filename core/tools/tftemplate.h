/* SPDX-License-Identifier: Apache-2.0 */
/* tftemplate.h - a scanner for Terraform template strings ("${...}",
 * "%{...}") that checks their balance and reports the references in them. */
#ifndef PG_TFTEMPLATE_H
#define PG_TFTEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#define PG_TREF_PARTS 4

/* A traversal such as aws_vpc.main_use1.id: its first name parts; index
 * steps ([0], ["k"], [*], .*) are skipped. */
typedef struct pg_tref {
    const char *part[PG_TREF_PARTS];
    size_t len[PG_TREF_PARTS];
    size_t count;
} pg_tref;

typedef void (*pg_tref_fn)(void *user, const pg_tref *ref);

/* Scans s; calls fn for each reference (names bound by for expressions and
 * function names are not references). Returns NULL when the template is well
 * formed, else a static description of the first syntax problem. */
const char *pg_template_scan(const char *s, pg_tref_fn fn, void *user);

/* Whether s holds an interpolation or directive (unescaped "${" or "%{"). */
bool pg_template_has_expr(const char *s);

#endif
