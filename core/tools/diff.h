/* SPDX-License-Identifier: Apache-2.0 */
/* diff.h - what moving from one generated configuration to another does to
 * the resources: added, adopted (brought under management by an import
 * block), removed, changed in place, or replaced. */
#ifndef PG_DIFF_H
#define PG_DIFF_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef enum pg_change_kind {
    PG_ADDED,
    PG_REMOVED,
    PG_CHANGED,
    PG_REPLACED,
    PG_ADOPTED /* not in the old configuration, and an import block brings in what exists */
} pg_change_kind;
#define PG_CHANGE_KINDS 5

/* A replica's replication source appearing or disappearing (aws_rds_cluster
 * replication_source_identifier, aws_db_instance replicate_source_db). */
typedef enum pg_replica_step {
    PG_REPLICA_NONE,
    PG_REPLICA_PROMOTED,  /* removed: the provider promotes the replica to a standalone writer */
    PG_REPLICA_REATTACHED /* set on a resource that exists: the provider refuses it */
} pg_replica_step;

typedef struct pg_change {
    pg_change_kind kind;
    char *address;     /* "aws_rds_cluster.main_use2" */
    char *detail;      /* changed arguments, or the identifying argument that forces replacement */
    bool stateful;     /* holds data: a destroy loses it */
    bool protected_;   /* prevent_destroy or AWS deletion protection in the old configuration */
    bool traffic;      /* serves traffic: removing it first needs traffic shifted away */
    const char *advice; /* what to do before applying, for removals and replacements of stateful resources */
    char *import_id;   /* the id an import block brings in at this address (the new side's, or the
                          old side's for a removal); NULL without one */
    bool adopted;      /* an import block targets it: an object that existed before paygen */
    bool destroys_existing; /* destroys such an object: an adopted resource removed or replaced, or
                               an import whose block does not match the object it brings in */
    pg_replica_step replica;
    char *note;        /* what the change means when its arguments do not say it, or NULL */
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

/* One import block: import { to = <address>, id = <id> }. */
typedef struct pg_import {
    const char *to, *id;
} pg_import;

typedef struct pg_resources {
    pg_resource *items;
    size_t count, cap;
    pg_import *imports; /* sorted by address */
    size_t import_count, import_cap;
} pg_resources;

/* Reads doc's "resource" in any form Terraform's JSON syntax allows: each
 * level an object or an array of objects ("resource": [{"TYPE": ...}],
 * "TYPE": [{"LABEL": ...}], "LABEL": [{body}]), and its "import" blocks (an
 * object or an array of objects with "to" and "id"). A body that is not an
 * object, a block defined twice, or an import without "to" and "id" strings
 * goes to err as "where: ..."; returns -1 then (what could be read is kept).
 * The result points into doc. An empty pg_resources is "nothing managed":
 * the old side of the adoption step. */
int pg_resources_read(pg_resources *r, const cJSON *doc, const char *where, pg_errors *err);
void pg_resources_free(pg_resources *r);

/* Compares two versions of one stack's resources. */
void pg_diff_resources(pg_diff *d, const pg_resources *from, const pg_resources *to);
/* The same on two stack documents (what cannot be read is left out: for
 * documents paygen generated in memory). */
void pg_diff_stack(pg_diff *d, const cJSON *from, const cJSON *to);
/* Whether a change needs a step first: it destroys data, protected or serving
 * resources or an object adopted by import, or it moves a replica. */
bool pg_change_is_dangerous(const pg_change *c);
/* Whether the step destroys data, protected resources, adopted objects or
 * serving records, or moves a replica, without preparation (then it is
 * unsafe). */
bool pg_diff_is_safe(const pg_diff *d);
/* How many changes of that kind. */
size_t pg_diff_count(const pg_diff *d, pg_change_kind kind);
void pg_diff_free(pg_diff *d);

#endif
