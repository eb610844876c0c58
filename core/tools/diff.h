/* SPDX-License-Identifier: Apache-2.0 */
/* diff.h - what moving from one generated configuration to another does to
 * the resources: added, removed, changed in place, or replaced. */
#ifndef PG_DIFF_H
#define PG_DIFF_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef enum pg_change_kind { PG_ADDED, PG_REMOVED, PG_CHANGED, PG_REPLACED } pg_change_kind;

typedef struct pg_change {
    pg_change_kind kind;
    char *address;     /* "aws_rds_cluster.main_use2" */
    char *detail;      /* changed arguments, or the identifying argument that forces replacement */
    bool stateful;     /* holds data: a destroy loses it */
    bool protected_;   /* prevent_destroy or AWS deletion protection in the old configuration */
    bool traffic;      /* serves traffic: removing it first needs traffic shifted away */
    const char *advice; /* what to do before applying, for removals and replacements of stateful resources */
    const char *region; /* region code from the label ("use2"), NULL for global blocks */
    const char *plugin; /* author, when known (filled by the caller) */
} pg_change;

typedef struct pg_diff {
    pg_change *changes; /* sorted by kind, then address */
    size_t count, cap;
} pg_diff;

/* The resource blocks of one stack document, sorted by type and label. */
typedef struct pg_resource {
    const char *type, *label;
    const cJSON *body; /* always an object */
} pg_resource;

typedef struct pg_resources {
    pg_resource *items;
    size_t count, cap;
} pg_resources;

/* Reads doc's "resource" in any form Terraform's JSON syntax allows: each
 * level an object or an array of objects ("resource": [{"TYPE": ...}],
 * "TYPE": [{"LABEL": ...}], "LABEL": [{body}]). A body that is not an
 * object, or a block defined twice, goes to err as "where: ..."; returns -1
 * then (what could be read is kept). The result points into doc. */
int pg_resources_read(pg_resources *r, const cJSON *doc, const char *where, pg_errors *err);
void pg_resources_free(pg_resources *r);

/* Compares two versions of one stack's resources. */
void pg_diff_resources(pg_diff *d, const pg_resources *from, const pg_resources *to);
/* The same on two stack documents (what cannot be read is left out: for
 * documents paygen generated in memory). */
void pg_diff_stack(pg_diff *d, const cJSON *from, const cJSON *to);
/* Whether a change destroys something that needs a step first. */
bool pg_change_is_dangerous(const pg_change *c);
/* Whether the step destroys data, protected resources or serving records
 * without preparation (then it is unsafe). */
bool pg_diff_is_safe(const pg_diff *d);
void pg_diff_free(pg_diff *d);

#endif
