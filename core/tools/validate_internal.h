/* SPDX-License-Identifier: Apache-2.0 */
/* validate_internal.h - shared by validate.c and validate_schema.c. */
#ifndef PG_VALIDATE_INTERNAL_H
#define PG_VALIDATE_INTERNAL_H

#include <stdbool.h>

#include "validate.h"

#define PATH_MAX_LEN 768

/* Formats a finding's path into a PATH_MAX_LEN buffer (truncating). */
void pg_v_path(char *dst, const char *fmt, ...) PG_FMT(2, 3);

typedef struct pg_vstate {
    const cJSON *doc;
    const char *stack;
    const pg_schema *schema;
    pg_errors *errors, *warnings;
    size_t error_count;
    /* scope of the block being walked */
    bool has_count, has_each, allow_self;
    const cJSON *dynamic_names; /* the block's body, searched for dynamic iterators */
    cJSON *builtins;            /* built-in types, parsed when a document uses one */
} pg_vstate;

void pg_v_error(pg_vstate *v, const char *path, const char *fmt, ...) PG_FMT(3, 4);
void pg_v_warn(pg_vstate *v, const char *path, const char *fmt, ...) PG_FMT(3, 4);

/* Item key of an object, or of any object of an array of objects. */
const cJSON *pg_v_member(const cJSON *node, const char *key);

/* Iterates the members of an object or of each object of an array of objects. */
typedef struct pg_v_iter {
    const cJSON *outer, *obj, *cur;
} pg_v_iter;
void pg_v_iter_init(pg_v_iter *it, const cJSON *node);
const cJSON *pg_v_iter_next(pg_v_iter *it);

/* Closest name among the keys of up to two objects, or NULL. */
const char *pg_v_suggest(const char *name, const cJSON *a, const cJSON *b);

/* AWS name rules (validate_names.c). */
void pg_v_names(pg_vstate *v, const char *address, const char *type, const cJSON *body);

/* The schema block of a type: from the provider schema, or built in; NULL if unknown. */
const cJSON *pg_v_type_block(pg_vstate *v, bool data, const char *type);

/* Schema checks of a resource/data body (validate_schema.c). */
void pg_v_schema_body(pg_vstate *v, const char *path, const cJSON *body, const cJSON *block, bool top,
                      bool data);
/* Whether a type's schema block has attribute or block name; warns on synthetic. */
void pg_v_schema_ref(pg_vstate *v, const char *path, bool data, const char *type, const char *attr);

#endif
