/* SPDX-License-Identifier: Apache-2.0 */
/* validate_internal.h - the helpers below validate.c, the entry file of
 * paygen validate. Each is defined in the file named at its group; none of
 * them calls back into validate.c. */
#ifndef PG_VALIDATE_INTERNAL_H
#define PG_VALIDATE_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "hashtab.h"
#include "schema.h"
#include "util.h"

#define PATH_MAX_LEN 768

/* Where a finding is: "aws_vpc.main_use1.tags.Name", "data.x.y.statement[0]".
 * A path is a chain of steps on the stack, from the last one up to the root;
 * it is formatted only when a finding is reported, never while walking. */
typedef struct pg_vpath {
    const struct pg_vpath *up;  /* NULL at the root */
    const char *key;            /* appended as ".key" (no dot at the start); NULL: "[index]" */
    size_t index;
    bool whole;                 /* appended whole or not at all when the path is long (a
                                 * step of a tree walk); otherwise cut at PATH_MAX_LEN - 1 */
} pg_vpath;

/* A member of an object looked up through the index of validate_lookup.c;
 * member NULL marks the object as indexed. */
typedef struct pg_vmember {
    const cJSON *object, *member;
} pg_vmember;

typedef struct pg_vstate {
    const cJSON *doc;
    const char *stack;
    const pg_schema *schema;
    pg_errors *errors, *warnings;
    size_t error_count;
    /* scope of the block being walked */
    bool has_count, has_each, allow_self;
    const cJSON *dynamic_names; /* the block's body, searched for dynamic iterators */
    const char **iterators;     /* their names, collected on the first reference */
    size_t iterator_count, iterator_cap;
    bool iterators_known;
    cJSON *builtins;            /* built-in types, parsed when a document uses one */
    pg_vmember *members;        /* the document's objects indexed by pg_v_lookup */
    size_t member_count, member_cap;
    pg_hashtab member_index;
} pg_vstate;

/* ----- findings and walking (validate_walk.c) */

/* The steps of a path: up.key and up[index], cut at PATH_MAX_LEN - 1 ... */
static inline pg_vpath pg_v_key(const pg_vpath *up, const char *key)
{
    return (pg_vpath){.up = up, .key = key};
}

static inline pg_vpath pg_v_index(const pg_vpath *up, size_t index)
{
    return (pg_vpath){.up = up, .index = index};
}

/* ... and a step of a tree walk: .key, or [index] when key is NULL, left out when too long. */
static inline pg_vpath pg_v_step(const pg_vpath *up, const char *key, size_t index)
{
    return (pg_vpath){.up = up, .key = key, .index = index, .whole = true};
}

/* Formats path into a PATH_MAX_LEN buffer; returns its length. */
size_t pg_v_path_format(char *dst, const pg_vpath *path);

void pg_v_error(pg_vstate *v, const pg_vpath *path, const char *fmt, ...) PG_FMT(3, 4);
void pg_v_warn(pg_vstate *v, const pg_vpath *path, const char *fmt, ...) PG_FMT(3, 4);
/* The same, at a path given as text (not cut). */
void pg_v_error_at(pg_vstate *v, const char *path, const char *fmt, ...) PG_FMT(3, 4);

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

/* The first n bytes of s into dst, cut to fit size (as snprintf "%.*s"). */
void pg_v_copy(char *dst, size_t size, const char *s, size_t n);

/* A letter or _, then letters, digits, _ and -. */
bool pg_v_is_identifier(const char *s);
/* An object, or a non-empty array of objects. */
bool pg_v_is_object_or_objects(const cJSON *node);

/* ----- the document's names (validate_lookup.c) */

/* pg_v_member(node, key) through an index of each object, built on its first
 * lookup: for the large objects of the document (its resource types, the
 * labels of a type, variables, locals), looked up for every reference. */
const cJSON *pg_v_lookup(pg_vstate *v, const cJSON *node, const char *key);

/* ----- templates and references (validate_template.c) */

/* Every string below node; skip names keys whose values are not templates. */
void pg_v_scan_tree(pg_vstate *v, const pg_vpath *path, const cJSON *node, const char *const *skip);

/* ----- meta-arguments (validate_meta.c) */

/* PATH.depends_on: an array of bare references to declared blocks. */
void pg_v_depends_on(pg_vstate *v, const pg_vpath *path, const cJSON *deps);
/* provider = "aws" or "aws.alias" naming a configured provider block. */
void pg_v_provider_ref(pg_vstate *v, const pg_vpath *path, const cJSON *value);
/* PATH.lifecycle: its arguments and their values. */
void pg_v_lifecycle(pg_vstate *v, const pg_vpath *path, const cJSON *lc);

/* ----- the document (validate_structure.c) */

/* Terraform refuses an object with the same key twice; cJSON keeps both. */
void pg_v_duplicates(pg_vstate *v, const pg_vpath *path, const cJSON *node);
/* Known top-level keys, each an object (or an array of objects). */
void pg_v_top(pg_vstate *v);
/* The import blocks: a declared resource as target, an id, one per address. */
void pg_v_imports(pg_vstate *v);
/* validate_values.c: the enumerated values of the arguments paygen sets. */
void pg_v_values(pg_vstate *v);
/* Outputs, locals, variables, providers, checks and modules: templates and meta. */
void pg_v_others(pg_vstate *v);

/* ----- resource and data blocks (validate_blocks.c) */

/* resource/data: TYPE -> LABEL -> body, each level an object or array of objects. */
void pg_v_blocks(pg_vstate *v, bool data);

/* ----- AWS name rules (validate_names.c) */

void pg_v_names(pg_vstate *v, const pg_vpath *address, const char *type, const cJSON *body);

/* ----- the provider schema (validate_schema.c) */

/* The schema block of a type: from the provider schema, or built in; NULL if unknown. */
const cJSON *pg_v_type_block(pg_vstate *v, bool data, const char *type);
/* Schema checks of a resource/data body. */
void pg_v_schema_body(pg_vstate *v, const pg_vpath *path, const cJSON *body, const cJSON *block, bool top,
                      bool data);
/* Whether a type's schema block has attribute or block name; warns on synthetic. */
void pg_v_schema_ref(pg_vstate *v, const pg_vpath *path, bool data, const char *type, const char *attr);

#endif
