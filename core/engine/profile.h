/* SPDX-License-Identifier: Apache-2.0 */
/* profile.h - a YAML profile read into flat dotted keys, before any meaning is
 * given to them. settings.c checks the keys against what is declared. */
#ifndef PG_PROFILE_H
#define PG_PROFILE_H

#include "util.h"

typedef struct pg_origin {
    const char *file; /* owned by the profile's arena */
    int line, col;    /* 1-based; 0 when not from a file (--set, defaults) */
} pg_origin;

typedef struct pg_value {
    char *key;        /* "database.instance_count" */
    char *text;       /* scalar text; NULL for a list */
    char **items;     /* list items when text is NULL */
    size_t item_count;
    bool quoted;      /* written as a quoted scalar: a string, never a number */
    pg_origin at;
} pg_value;

typedef struct pg_region_spec {
    char *name;
    char *cidr;
    char **azs;
    size_t az_count;
    pg_origin at, name_at, cidr_at, azs_at;
} pg_region_spec;

typedef struct pg_profile {
    pg_value *values;
    size_t count, cap;
    pg_region_spec *regions;
    size_t region_count, region_cap;
    bool has_regions;
    pg_origin regions_at;
    const char *path;  /* the file given on the command line */
    pg_arena names;    /* file names referenced by origins */
    bool allow_outside; /* set before loading: extends: may leave the root */
    char *root;        /* what extends: may not leave (see pg_profile_load) */
} pg_profile;

/* Reads path and the chain of files it extends. Errors read
 * "FILE:LINE:COL: message". Returns 0 or -1.
 * extends: names a file relative to the file that says it; unless
 * p->allow_outside, absolute names and files outside the root are refused.
 * The root is the git work tree of path (the nearest directory above it with
 * a .git entry), or path's own directory outside one. Scalars holding a NUL
 * byte or invalid UTF-8 are refused. */
int pg_profile_load(pg_profile *p, const char *path, pg_errors *err);

/* Applies "key=value" from the command line over the loaded values. A value
 * in brackets ("[a, b]") sets a list. Invalid UTF-8 is refused. */
int pg_profile_set(pg_profile *p, const char *assignment, pg_errors *err);

/* Parses YAML text already in memory (the fuzzer's and tests' entry). */
int pg_profile_load_buffer(pg_profile *p, const char *name, const unsigned char *data, size_t size,
                           pg_errors *err);

const pg_value *pg_profile_find(const pg_profile *p, const char *key);

/* pg_shown, PG_SHOWN_SIZE and pg_utf8_valid are in util.h. */
void pg_profile_free(pg_profile *p);

#endif
