/* SPDX-License-Identifier: Apache-2.0 */
/* util.h - small shared helpers of the core: growable arrays, an arena for
 * strings that live as long as the run, and an error list. */
#ifndef PG_UTIL_H
#define PG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define PG_FMT(f, a) __attribute__((format(printf, f, a)))
#else
#define PG_FMT(f, a)
#endif

/* Every allocation in the core goes through these; they abort on OOM, which
 * for a command-line generator is the only honest answer. */
void *pg_xmalloc(size_t n);
void *pg_xcalloc(size_t n, size_t size);
void *pg_xrealloc(void *p, size_t n);
char *pg_xstrdup(const char *s);
char *pg_xasprintf(const char *fmt, ...) PG_FMT(1, 2);
char *pg_xvasprintf(const char *fmt, va_list ap);

/* Grows *items so that it holds at least need elements of size bytes. */
void pg_grow(void *items_ptr, size_t *cap, size_t need, size_t size);

/* Strings owned by the run, freed together. */
typedef struct pg_arena {
    char **strings;
    size_t count, cap;
} pg_arena;

const char *pg_arena_keep(pg_arena *a, char *owned);
const char *pg_arena_dup(pg_arena *a, const char *s);
void pg_arena_free(pg_arena *a);

/* Messages collected while a step runs, printed by the CLI. */
typedef struct pg_errors {
    char **messages;
    size_t count, cap;
} pg_errors;

void pg_errors_add(pg_errors *e, const char *fmt, ...) PG_FMT(2, 3);
void pg_errors_vadd(pg_errors *e, const char *fmt, va_list ap);
void pg_errors_free(pg_errors *e);

/* Edit distance, for did-you-mean suggestions. */
size_t pg_edit_distance(const char *a, const char *b);

bool pg_str_starts_with(const char *s, const char *prefix);

/* qsort that accepts an empty (NULL) array. */
void pg_sort(void *items, size_t count, size_t size, int (*cmp)(const void *, const void *));

#endif
