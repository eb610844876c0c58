/* SPDX-License-Identifier: Apache-2.0 */
/* settings.h - profile keys checked against their declarations. The core and
 * every plugin declare the keys they own (struct pg_setting); anything else in
 * a profile is an error with a did-you-mean. */
#ifndef PG_SETTINGS_H
#define PG_SETTINGS_H

#include "paygen/paygen.h"
#include "profile.h"

typedef struct pg_declared {
    const pg_setting *settings; /* array ending with {NULL} */
    const char *owner;          /* "core" or the plugin name */
} pg_declared;

/* text and items are what the engine hands out (pg_ctx_string, list items,
 * config structs): escaped for Terraform's templates, so "${" and "%{" in a
 * profile arrive in the output as literal text. raw and raw_items are the
 * value as written, for the core's own checks and messages only. */
typedef struct pg_resolved {
    const pg_setting *decl;
    const char *owner;
    const char *text;           /* scalar (from the profile or the default), escaped */
    const char *const *items;   /* list items, escaped */
    size_t item_count;
    const char *raw;            /* text as written */
    const char *const *raw_items;
    long number;                /* PG_TYPE_INT */
    bool flag;                  /* PG_TYPE_BOOL */
    pg_origin at;
} pg_resolved;

typedef struct pg_settings {
    pg_resolved *entries;       /* sorted by key */
    size_t count;
    pg_arena arena;
} pg_settings;

extern const pg_setting pg_core_settings[];

/* Checks every profile value against the declarations and fills in defaults.
 * All problems are reported, not only the first. Returns 0 or -1. */
int pg_settings_resolve(pg_settings *s, const pg_profile *p, const pg_declared *decls,
                        size_t decl_count, pg_errors *err);
const pg_resolved *pg_settings_get(const pg_settings *s, const char *key);
void pg_settings_free(pg_settings *s);
/* 1 + the position of text among "a|b|c", or 0 when it is not listed. */
size_t pg_choice_index(const char *choices, const char *text);

#endif
