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
/* The block address a traversal starts with, into buf: "type.label" or
 * "data.type.label" of "aws_vpc.main_use1.id" (local.NAME alike); false
 * when it does not fit. */
bool pg_traversal_address(const char *token, size_t len, char *buf, size_t size);

/* qsort that accepts an empty (NULL) array. */
void pg_sort(void *items, size_t count, size_t size, int (*cmp)(const void *, const void *));

/* The names in the directory fd (taken: closed here) that want accepts,
 * sorted with strcmp, as readdir's order is the file system's (malloc'ed,
 * the caller frees each and the array); -1 with errno set when it cannot be
 * listed. */
int pg_sorted_names(int fd, bool (*want)(int dir, const char *name, const void *arg), const void *arg,
                    char ***names, size_t *n);

/* text escaped for a message, the quotes around it left to the caller:
 * control characters, quotes and backslashes as \n, \t, \r, \x1b, \u202e,
 * \', \", \\ (also C1 controls, bidirectional overrides, line separators and
 * bytes that are not UTF-8), cut after max_chars characters (or where size
 * runs out) with "..." appended. A value from a merge request cannot forge
 * log lines or terminal output. size must be at least 4; returns buf. */
const char *pg_escape_text(char *buf, size_t size, const char *text, size_t max_chars);

/* A profile value as error messages show it: in single quotes, escaped like
 * pg_escape_text except that '"' is left as it is, cut after PG_SHOWN_CHARS
 * characters with "..." after the quote. Returns buf. */
#define PG_SHOWN_CHARS 80
#define PG_SHOWN_SIZE (PG_SHOWN_CHARS * 6 + 8)
const char *pg_shown(char buf[PG_SHOWN_SIZE], const char *text);

/* Whether text is valid UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF); *bad gets the offset of the first bad byte. */
bool pg_utf8_valid(const char *text, size_t len, size_t *bad);

#endif
